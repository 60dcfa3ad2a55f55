"""The delegate candidates of a township Party congress's units (≥ 20% more than each unit's delegates) and the
composition of the list and of the elected against the province's rules (issue 12; reference 003: 49 delegates
of 431 full members — 14 women, 28.6%, against 57 women members, 13.2%; 25 cadres, 51.0% ≤ 60%; 28 aged 45 or
under, 57.1% ≥ 50%; no minority members). The world is built from data: the registers, the lists, the elected."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from candidates import congress_composition, congress_credentials, congress_services
from ballots.models import ElectedMember, Round
from candidates.models import Candidate
from tests.builders import make_elected, make_round
from tests.villages.test_party_congress import DAY, congress  # noqa: F401  (the 431-member world)
from villages import party_congress
from villages.audit_labels import action_label
from voters.models import Voter

YOUNG, OLD, FORTY_FIVE, FORTY_SIX = date(1990, 5, 1), date(1960, 5, 1), date(1981, 11, 28), date(1980, 11, 27)


@pytest.fixture
def allocated(congress, clerk):  # noqa: F811
    party_congress.set_delegate_total(by=clerk, campaign=congress, total=49)
    congress.refresh_from_db()
    party_congress.apply_allocation(by=clerk, campaign=congress)
    return congress


@pytest.fixture
def elected(allocated, clerk):
    """Each unit's list: its delegates and one more (the least 20% surplus); the first of each list elected. Of the
    49 elected in unit order, those who can be are women (14: the women of the first four units' registers), the
    first 28 are 45 or under (the 28th exactly 45 on the day, the 29th 46), the 22nd to the 46th cadres (25)."""
    slot = 0
    for election in party_congress.unit_elections(allocated):
        members = list(Voter.objects.filter(election=election, category="PARTY_FULL").order_by("name"))
        women = [m for m in members if m.sex == "F"][:election.seats_member] if slot < 14 else []
        men = [m for m in members if m.sex == "M"]
        chosen = (women + men)[:election.seats_member + 1]
        entries = []
        for i, member in enumerate(chosen):
            is_elected = i < election.seats_member
            n = slot + i
            born = (FORTY_FIVE if n == 27 else FORTY_SIX if n == 28 else YOUNG if n < 27 else OLD) if is_elected else OLD
            Voter.objects.filter(pk=member.pk).update(birth_date=born)
            member.birth_date = born
            entries.append((member, is_elected and 21 <= n <= 45))
        congress_services.publish_delegate_candidates(by=clerk, election=election, entries=entries, published_on=DAY)
        round = make_round(election=election, by=clerk, held_on=DAY, seats={"deputy": election.seats_member})
        expected = len(members)  # 应到会: every full member (none excused); 实到会 one fewer
        Round.objects.filter(pk=round.pk).update(expected_attendance=expected, present=expected - 1)
        for i, (member, _cadre) in enumerate(entries[:election.seats_member]):
            make_elected(election=election, round=round, voter=member, post="deputy", votes=expected - 1 - i)
        slot += election.seats_member
    assert slot == 49
    return allocated


def test_the_township_members_are_the_units_full_members(allocated):
    assert congress_composition.member_counts(allocated) == congress_composition.MemberCounts(431, 57, 0)


def test_the_elected_meet_the_provinces_rules_with_their_figures(elected):
    result = congress_composition.composition(elected)
    assert result.elected == congress_composition.DelegateCounts(total=49, cadres=25, young=28, women=14, minorities=0)
    assert [f.message for f in result.elected_check.findings] == [
        "乡镇、村、经济组织、社会组织的党员干部代表25名，占代表总数49名的51.0%，不超过60%",
        "45周岁以下代表28名，占代表总数49名的57.1%，不少于50%",
        "女代表14名，占代表总数49名的28.6%，不低于女党员57名占党员总数431名的13.2%",
        "本乡镇没有少数民族党员，少数民族代表的比例不作要求",
    ]
    assert {f.severity for f in result.elected_check.findings} == {"ok"}


def test_the_candidate_list_is_checked_too_and_falls_short_of_the_young(elected):
    result = congress_composition.composition(elected)
    # 49 delegates + 21 units × 1 more = 70 candidates; the 21 not elected are older than 45 and no cadres.
    assert result.candidates == congress_composition.DelegateCounts(total=70, cadres=25, young=28, women=14,
                                                                    minorities=0)
    assert [(f.severity, f.message) for f in result.candidate_check.findings][:2] == [
        ("ok", "乡镇、村、经济组织、社会组织的党员干部代表候选人25名，占代表候选人总数70名的35.7%，不超过60%"),
        ("error", "45周岁以下代表候选人28名，占代表候选人总数70名的40.0%，少于50%"),
    ]
    first = result.slates[0]
    assert (first.seats, first.candidates, first.finding.message) == (
        4, 5, "代表应选4名，候选人5名，多于应选名额1名，不少于应选名额的20%（至少多1名）")
    assert sum(s.seats for s in result.slates) == 49 and sum(s.candidates for s in result.slates) == 70


def test_a_list_without_the_surplus_or_with_a_probationary_member_is_refused(allocated, clerk):
    election = party_congress.unit_elections(allocated).first()  # 4 delegates: at least 5 candidates
    full = list(Voter.objects.filter(election=election, category="PARTY_FULL").order_by("name"))
    with pytest.raises(ValidationError, match="代表应选4名，候选人4名，差额不足应选名额的20%，候选人应不少于5名"):
        congress_services.publish_delegate_candidates(by=clerk, election=election,
                                                      entries=[(m, False) for m in full[:4]], published_on=DAY)
    probationary = Voter.objects.filter(election=election, category="PARTY_PROBATIONARY").first()
    with pytest.raises(ValidationError, match="不是有选举权的正式党员"):
        congress_services.publish_delegate_candidates(
            by=clerk, election=election, entries=[(m, False) for m in full[:4]] + [(probationary, False)],
            published_on=DAY)
    assert Candidate.objects.filter(election=election).count() == 0
    congress_services.publish_delegate_candidates(by=clerk, election=election,
                                                  entries=[(m, False) for m in full[:5]], published_on=DAY)
    assert list(Candidate.objects.filter(election=election).values_list("list_order", "status", "post"))[:1] == [
        (1, "on_list", "deputy")]
    assert action_label("candidates.congress.list_published") == "确定党代表大会代表候选人名单"


def test_the_supervisor_reads_the_composition_and_prints_it(client, elected, supervisor):
    client.force_login(supervisor)
    page = client.get(reverse("candidates:congress-composition", args=[elected.pk])).content.decode()
    assert "【符合】女代表14名，占代表总数49名的28.6%，不低于女党员57名占党员总数431名的13.2%。" in page
    assert "【不符合】45周岁以下代表候选人28名，占代表候选人总数70名的40.0%，少于50%。" in page
    response = client.get(reverse("candidates:congress-composition-pdf", args=[elected.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    path = Path("/tmp/party-congress-composition.pdf")
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "青山镇第十次党代表大会" in text
    assert "党员干部代表25名，占代表总数49名的51.0%，不超过60%" in text.replace("\n", "").replace(" ", "")


# ---------------------------------------------------------------- 代表资格审查


def test_the_credentials_review_checks_quorum_list_rights_and_the_majority_of_those_present(elected, supervisor,
                                                                                           client):
    units = congress_credentials.credentials(elected)
    first = units[0]  # 37 full members, 36 present, votes 36, 35, 34, 33
    assert first.quorum.message == "有选举权的到会党员36名，超过应到会37名的五分之四（至少30名），可以进行选举"
    assert [d.votes for d in first.delegates] == [36, 35, 34, 33]
    assert [f.message for f in first.delegates[0].findings] == [
        f"{first.delegates[0].name}得赞成票36票，超过实到会有选举权的党员36名的半数（至少19票），可以当选"]
    assert all(d.valid for unit in units for d in unit.delegates)
    assert sum(len(unit.delegates) for unit in units) == 49
    # The 18th unit (12 members, 11 present): its delegate's votes lowered to 4, and only 9 present (4 of 9 is
    # not more than half; 9 is not more than 4/5 of 12: at least 10).
    eighteenth = units[17].election
    ElectedMember.objects.filter(election=eighteenth).update(votes=4)
    Round.objects.filter(election=eighteenth).update(present=9)
    unit = congress_credentials.credentials(elected)[17]
    assert unit.quorum.message == "有选举权的到会党员9名，未超过应到会12名的五分之四（至少10名），不能进行选举"
    assert [f.severity for f in unit.delegates[0].findings] == ["warning", "error"]
    assert not unit.delegates[0].valid
    client.force_login(supervisor)
    page = client.get(reverse("candidates:congress-credentials", args=[elected.pk])).content.decode()
    assert "当选代表 49 名，资格审查无问题 48 名，需核实 1 名" in page
