"""The Party member register's pages and the excusal service (issue 12; LAW.md §4.2): 应到会 with its arithmetic,
each excusal with the upper level's consent and the meeting's vote, audit-logged and locked after certification;
the register is confidential: another village's liaison officer gets a 404, ID numbers are masked."""

from __future__ import annotations

from datetime import date
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.builders import make_party_campaign, make_voter
from villages.access import ElectionLocked
from villages.audit_labels import action_label
from villages.models import AuditEntry, Election
from voters.models import AttendanceExcusal, Voter
from voters.services import party

CONSENT, MEETING = date(2026, 10, 8), date(2026, 10, 15)


@pytest.fixture
def branch_a(township, village_a, village_b, clerk):
    return make_party_campaign(township=township, by=clerk).elections.get(village=village_a)


@pytest.fixture
def members(branch_a):
    """Ten members: 7 full members with rights, one probationary, one under 留党察看, one under 留置."""
    made = [make_voter(election=branch_a, name=f"党员{n}", serial=n, category="PARTY_FULL") for n in range(7)]
    made.append(make_voter(election=branch_a, name="预备甲", serial=7, category="PARTY_PROBATIONARY",
                           status="not_registered", not_registered_reason="预备党员没有表决权、选举权和被选举权"))
    made.append(make_voter(election=branch_a, name="察看乙", serial=8, category="PARTY_FULL", status="not_registered",
                           party_restriction="discipline_probation",
                           not_registered_reason="受留党察看处分的党员在察看期间没有表决权、选举权和被选举权"))
    made.append(make_voter(election=branch_a, name="留置丙", serial=9, category="PARTY_FULL", status="suspended",
                           party_restriction="detained", not_registered_reason="被留置的党员暂停行使表决权、选举权和被选举权"))
    return made


def excuse(election, member, by, category="away", **overrides):
    values = dict(facts="2025年3月起在外省务工，组织关系未转出", upper_consent_on=CONSENT,
                  upper_consent_ref="青山镇党委批复〔2026〕12号", meeting_on=MEETING, votes_for=5, votes_against=1,
                  votes_abstained=0, today=date(2026, 11, 1))
    values.update(overrides)
    return party.record_excusal(by=by, election=election, member=member, category=category, **values)


def test_expected_attendance_is_the_entitled_members_less_the_excused_exactly(branch_a, members, clerk):
    figures = party.register_figures(branch_a)
    assert (figures.members, figures.full, figures.probationary, figures.excluded, figures.suspended,
            figures.entitled, figures.attendance.expected) == (10, 9, 1, 2, 1, 7, 7)
    excuse(branch_a, members[0], clerk, "away")
    excuse(branch_a, members[1], clerk, "ill", facts="脑梗后不能表达本人意志")
    figures = party.register_figures(branch_a)
    assert (figures.entitled, figures.excused_total, figures.attendance.expected) == (7, 2, 5)
    assert figures.attendance.finding.message == (
        "有选举权的党员7名，经上级党组织同意并经党员大会通过不列入应到会人数的2名"
        "（因病不能表达本人意志1名、外出半年以上未转组织关系1名），应到会5名")


def test_register_page_shows_status_reason_and_the_arithmetic(client, branch_a, members, clerk):
    excuse(branch_a, members[0], clerk)
    client.force_login(clerk)
    page = client.get(reverse("voters:party-register", args=[branch_a.pk])).content.decode()
    assert "7 − 1 = <strong>6</strong> 名" in page
    assert "中共东山村支部委员会" in page and "中共青山镇委员会" in page
    assert "预备党员没有表决权、选举权和被选举权" in page and "暂停行使选举权" in page
    assert "受留党察看处分的党员在察看期间没有表决权" in page and "不列入应到会" in page
    assert members[2].id_number not in page and members[2].masked_id_number in page


def test_voter_list_of_a_party_election_leads_to_the_member_register(client, branch_a, clerk):
    client.force_login(clerk)
    response = client.get(reverse("voters:voter-list", args=[branch_a.pk]))
    assert response.status_code == 302 and response.url == reverse("voters:party-register", args=[branch_a.pk])


def test_another_village_liaison_gets_404_and_own_liaison_reads_masked(client, branch_a, members, liaison_a, liaison_b):
    url = reverse("voters:party-register", args=[branch_a.pk])
    client.force_login(liaison_b)
    assert client.get(url).status_code == 404
    assert client.get(reverse("voters:excusal-create", args=[branch_a.pk])).status_code == 404
    client.force_login(liaison_a)
    page = client.get(url).content.decode()
    assert all(m.id_number not in page for m in members)
    assert members[0].birth_date.isoformat() not in page


def test_member_register_of_a_village_committee_election_is_not_found(client, election_a, clerk):
    client.force_login(clerk)
    assert client.get(reverse("voters:party-register", args=[election_a.pk])).status_code == 404


def test_excusal_entered_on_its_page_is_audited_with_its_label(client, branch_a, members, liaison_a):
    client.force_login(liaison_a)
    url = reverse("voters:excusal-create", args=[branch_a.pk])
    form = client.get(url).content.decode()
    assert "预备甲" not in form and "党员0" in form  # only members with voting rights
    response = client.post(url, {
        "member": members[3].pk, "category": "frail", "facts": "长期卧床，生活不能自理", "upper_consent_on": "2026-10-08",
        "upper_consent_ref": "镇党委同意", "meeting_on": "2026-10-15", "votes_for": "6", "votes_against": "0",
        "votes_abstained": "0"})
    assert response.status_code == 302
    excusal = AttendanceExcusal.objects.get(member=members[3])
    entry = AuditEntry.objects.get(action="voters.excusal.recorded")
    assert (entry.village_id, entry.actor, action_label(entry.action)) == (
        branch_a.village_id, liaison_a, "登记不列入应到会人数的党员")
    assert entry.changes["category"] == [None, "frail"]
    client.post(reverse("voters:excusal-withdraw", args=[branch_a.pk, excusal.pk]), {"reason": "误录"})
    excusal.refresh_from_db()
    assert not excusal.is_active and excusal.withdrawn_reason == "误录"
    assert action_label(AuditEntry.objects.get(action="voters.excusal.withdrawn").action) == "撤销不列入应到会人数"
    assert party.register_figures(branch_a).attendance.expected == 7


def test_excusal_form_errors_are_chinese_and_nothing_is_written(client, branch_a, members, clerk):
    client.force_login(clerk)
    page = client.post(reverse("voters:excusal-create", args=[branch_a.pk]), {
        "member": members[0].pk, "category": "away", "facts": "外出", "upper_consent_on": "2026-10-20",
        "upper_consent_ref": "批复", "meeting_on": "2026-10-15", "votes_for": "3", "votes_against": "2",
        "votes_abstained": "1"}).content.decode()
    assert "须先经上级党组织同意，再提交党员大会表决" in page
    assert "党员大会表决赞成3票，未超过参加表决的6人的半数" in page
    assert not AttendanceExcusal.objects.exists()


@pytest.mark.parametrize("overrides,field,message", [
    ({"meeting_on": date(2026, 11, 21)}, "meeting_on", "党员大会表决的日期不能晚于选举日（2026年11月20日）。"),
    ({"upper_consent_on": date(2026, 11, 2), "today": date(2026, 11, 1)}, "upper_consent_on", "上级党组织同意的日期不能晚于今天。"),
    ({"votes_for": 3, "votes_against": 3}, "votes_for", "党员大会表决赞成3票，未超过参加表决的6人的半数，不能不列入应到会人数。"),
    ({"upper_consent_ref": " "}, "upper_consent_ref", "请写明上级党组织同意的文件或记录（如批复文号、会议纪要）。"),
])
def test_excusal_rules(branch_a, members, clerk, overrides, field, message):
    with pytest.raises(ValidationError) as refused:
        excuse(branch_a, members[0], clerk, **{"today": date(2026, 11, 30), **overrides})
    assert refused.value.message_dict[field] == [message]


def test_members_without_rights_are_not_excused_and_one_excusal_at_a_time(branch_a, members, clerk):
    with pytest.raises(ValidationError) as refused:
        excuse(branch_a, members[7], clerk)
    assert refused.value.message_dict["member"] == ["预备甲没有选举权或暂停行使选举权利，本来就不计入应到会人数，无需办理。"]
    excuse(branch_a, members[0], clerk)
    with pytest.raises(ValidationError) as again:
        excuse(branch_a, members[0], clerk, category="ill")
    assert again.value.message_dict["member"] == [
        "党员0已列为不列入应到会人数（工作调动、下派锻炼、外出学习或者工作半年以上，应转走组织关系而没有转走的），如需更改请先撤销。"]


def test_excusals_are_locked_after_certification(client, branch_a, members, clerk):
    excusal = excuse(branch_a, members[0], clerk)
    Election.objects.filter(pk=branch_a.pk).update(certified_at=timezone.now(), certified_by=clerk)
    with pytest.raises(ElectionLocked):
        excuse(branch_a, members[1], clerk)
    with pytest.raises(ElectionLocked):
        party.withdraw_excusal(by=clerk, excusal=excusal, reason="误录")
    client.force_login(clerk)
    assert client.get(reverse("voters:excusal-create", args=[branch_a.pk])).status_code == 403
    assert client.get(reverse("voters:party-register", args=[branch_a.pk])).status_code == 200
    assert AttendanceExcusal.objects.filter(withdrawn_at__isnull=True).count() == 1


def test_import_pages_serve_a_party_election(client, branch_a, clerk):
    client.force_login(clerk)
    page = client.get(reverse("voters:import-upload", args=[branch_a.pk])).content.decode()
    assert "导入党员名册" in page and "党员类别（正式党员或预备党员）" in page and "党员名册文件" in page
    template = client.get(reverse("voters:import-template", args=[branch_a.pk]))
    assert template.status_code == 200 and "党员名册" in unquote(template["Content-Disposition"])
    assert Voter.objects.count() == 0


def test_a_certified_party_round_with_a_later_term_leaves_the_village_groups_to_the_committee_round(
        branch_a, election_a, clerk):
    from villages.access import latest_election_of

    Election.objects.filter(campaign=branch_a.campaign).update(certified_at=timezone.now())
    branch_a.campaign.__class__.objects.filter(pk=branch_a.campaign_id).update(term_number=20)
    assert latest_election_of(branch_a.village_id) == election_a


def test_the_election_page_of_a_party_election_opens_and_checks_the_branch_committee_posts(client, branch_a, clerk):
    client.force_login(clerk)
    page = client.get(reverse("villages:election-detail", args=[branch_a.pk])).content.decode()
    assert "村党组织委员会职数与正式党员人数相符" in page
    assert "党员名册中还没有正式党员，请先导入党员名册，再按正式党员人数确定职数。" in page
    assert reverse("voters:party-register", args=[branch_a.pk]) in page
