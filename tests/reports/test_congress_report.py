"""The township Party congresses' delegate composition as a township's or a county's report (issue 12 "Reports and
papers"), reference 003's figures from data: 23 branches, 431 full members (57 women, 13.2%; no minorities), 49
delegates in 21 units — women 14 = 28.6%, cadres 25 = 51.0% (≤ 60%), 45 or under 28 = 57.1% (≥ 50%); the candidate
list (49 + 21 = 70): women 14 = 20.0%, cadres 25 = 35.7%, 45 or under 28 = 40.0% (< 50%)."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from openpyxl import load_workbook

from ballots.models import Round
from candidates import congress_services
from reports import scopes
from reports.congress_report import CongressFacts, CongressReport, report_tables
from reports.congress_report_queries import build_congress_report
from tests.builders import make_congress_members, make_elected, make_round, make_township, make_user, make_village, preset
from tests.villages.test_party_congress import DAY, congress  # noqa: F401  (reference 003's 431 members)
from villages import party_congress
from villages.audit_labels import action_label
from villages.kinds.party_composition import DelegateCounts, MemberCounts
from villages.models import AuditEntry, PartyOrganisation, Role, Township
from voters.models import Voter

YOUNG, OLD, FORTY_FIVE, FORTY_SIX = date(1990, 5, 1), date(1960, 5, 1), date(1981, 11, 28), date(1980, 11, 27)


@pytest.fixture
def elected(congress, clerk):  # noqa: F811
    """49 delegates allocated to the 21 units by their members; each unit's list its delegates and one more, the
    first elected. Of the 49 in unit order: 14 women (those of the first units' registers), the first 28 aged 45 or
    under (the 28th exactly 45 on the day, the 29th 46), the 22nd to the 46th cadres (25)."""
    party_congress.set_delegate_total(by=clerk, campaign=congress, total=49)
    congress.refresh_from_db()
    party_congress.apply_allocation(by=clerk, campaign=congress)
    slot = 0
    for election in party_congress.unit_elections(congress):
        members = list(Voter.objects.filter(election=election, category="PARTY_FULL").order_by("name"))
        women = [m for m in members if m.sex == "F"][:election.seats_member] if slot < 14 else []
        chosen = (women + [m for m in members if m.sex == "M"])[:election.seats_member + 1]
        entries = []
        for i, member in enumerate(chosen):
            n, is_elected = slot + i, i < election.seats_member
            born = (FORTY_FIVE if n == 27 else FORTY_SIX if n == 28 else YOUNG if n < 27 else OLD) if is_elected else OLD
            Voter.objects.filter(pk=member.pk).update(birth_date=born)
            member.birth_date = born
            entries.append((member, is_elected and 21 <= n <= 45))
        congress_services.publish_delegate_candidates(by=clerk, election=election, entries=entries, published_on=DAY)
        round = make_round(election=election, by=clerk, held_on=DAY, seats={"deputy": election.seats_member})
        Round.objects.filter(pk=round.pk).update(expected_attendance=len(members), present=len(members) - 1)
        for i, (member, _cadre) in enumerate(entries[:election.seats_member]):
            make_elected(election=election, round=round, voter=member, post="deputy", votes=len(members) - 1 - i)
        slot += election.seats_member
    assert slot == 49
    return congress


def test_reference_003s_figures_come_out_of_the_data(elected, township):
    report = build_congress_report(scopes.get_scope("township", township.code))
    assert report.members == MemberCounts(431, 57, 0)
    assert report.elected == DelegateCounts(total=49, cadres=25, young=28, women=14, minorities=0)
    assert report.candidates == DelegateCounts(total=70, cadres=25, young=28, women=14, minorities=0)
    tables = {t.key: t for t in report_tables(report)}
    structure = {row[0]: row for row in tables["structure"].rows}
    women = structure["女性"]
    assert women[1:3] + women[4:6] == (14, 70, 14, 49)
    assert (str(women[3]), str(women[6])) == ("20.0%", "28.6%")
    assert women[7] == "不低于女党员占党员总数的比例13.2%（57/431）"
    cadres = structure["乡镇、村、经济组织、社会组织的党员干部"]
    assert (cadres[4], cadres[5], str(cadres[6]), cadres[7]) == (25, 49, "51.0%", "不超过60%")
    young = structure["45岁以下"]
    assert (young[4], str(young[6]), str(young[3]), young[7]) == (28, "57.1%", "40.0%", "不少于50%")
    assert structure["少数民族"][7] == "无少数民族党员，不作要求"
    members = tables["members"].rows[0]
    assert members[:6] == ("青山镇", "第十次党代表大会", 23, 21, 431, 57) and str(members[6]) == "13.2%"
    assert members[9] == 49
    units = tables["units"].rows
    assert units[0] == ("第01村", 1, 37, 4, 5, 1, "代表应选4名，候选人5名，多于应选名额1名，不少于应选名额的20%（至少多1名）")
    assert units[-1][:3] == ("第21选举单位", 3, 21)  # the last three small branches together: 8 + 7 + 6 members
    assert [sum(u[i] for u in units) for i in (1, 2, 3, 4, 5)] == [23, 431, 49, 70, 21]
    checks = [(r[1], r[2], r[3]) for r in tables["checks"].rows]
    assert ("当选代表", "符合", "女代表14名，占代表总数49名的28.6%，不低于女党员57名占党员总数431名的13.2%") in checks
    assert ("代表候选人", "不符合", "45周岁以下代表候选人28名，占代表候选人总数70名的40.0%，少于50%") in checks


def test_the_page_the_workbook_and_the_pdf(client, elected, township, supervisor):
    client.force_login(supervisor)
    home = client.get(reverse("reports:congress-report-home"))
    url = reverse("reports:congress-report", kwargs={"kind": "township", "code": township.code})
    assert home.status_code == 302 and home["Location"] == url
    page = BeautifulSoup(client.get(url).content.decode(), "html.parser")
    assert page.select_one("#narrative").get_text(strip=True) == (
        "全镇第十次党代表大会代表选举，23个党组织编为21个选举单位，代表名额49名，正式党员431名，其中女党员57名，占13.2%，无少数民族党员；"
        "代表候选人70名，其中女性14名，占20.0%；少数民族0名，占0.0%；45岁以下28名，占40.0%；党员干部25名，占35.7%；"
        "当选代表49名，其中女性14名，占28.6%；少数民族0名，占0.0%；45岁以下28名，占57.1%；党员干部25名，占51.0%。")
    cells = [[td.get_text(strip=True) for td in tr.select("td")] for tr in page.select("#table-townships tbody tr")]
    assert cells[1] == ["青山镇", "当选代表", "49", "14", "28.6%", "0", "0.0%", "28", "57.1%", "25", "51.0%"]
    export = reverse("reports:congress-report-export", kwargs={"kind": "township", "code": township.code, "fmt": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(client.get(export).streaming_content)))
    assert book.sheetnames == ["封面", "党员和代表名额", "代表结构", "各乡镇代表结构", "结构要求检查", "各选举单位代表名额和候选人"]
    row = [c.value for c in book["代表结构"][3]]
    assert row[:7] == ["女性", 14, 70, 14 / 70, 14, 49, 14 / 49] and book["代表结构"]["G3"].number_format == "0.0%"
    response = client.get(export.replace("/xlsx/", "/pdf/"))
    path = Path("/tmp/party-reports-congress.pdf")
    path.write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = text.replace(" ", "").replace("\n", "")
    assert "青山镇党代表大会代表结构统计" in flat
    assert "女代表14名，占代表总数49名的28.6%，不低于女党员57名占党员总数431名的13.2%" in flat
    assert AuditEntry.objects.filter(action="reports.congress_report.exported").count() == 2
    assert action_label("reports.congress_report.exported") == "导出乡镇党代表大会代表结构统计报表"


def test_a_county_sums_its_townships_and_a_liaison_officer_reads_none(client, elected, township, county_office):
    client.force_login(county_office)
    url = reverse("reports:congress-report", kwargs={"kind": "county", "code": township.county.code})
    page = BeautifulSoup(client.get(url).content.decode(), "html.parser")
    assert page.select_one("#table-members tbody td").get_text(strip=True) == "青山镇"
    units = page.select("#table-units tbody tr")
    assert len(units) == 21 and [td.get_text(strip=True) for td in units[0].select("td")][:5] == [
        "青山镇", "第01村", "1", "37", "4"]
    village = township.villages.order_by("code").first()
    liaison = make_user(username="liaison_one", role=Role.LIAISON, township=township, villages=(village,))
    client.force_login(liaison)
    assert client.get(reverse("reports:congress-report-home")).status_code == 200
    assert client.get(reverse("reports:congress-report", kwargs={"kind": "township", "code": township.code})
                      ).status_code == 404
    assert client.get(reverse("reports:congress-report", kwargs={"kind": "village", "code": village.code})
                      ).status_code == 404


def test_a_township_without_a_congress_round_has_an_empty_report(client, township, clerk):
    client.force_login(clerk)
    page = client.get(reverse("reports:congress-report", kwargs={"kind": "township", "code": township.code}))
    assert "该范围内还没有乡镇党代表大会代表选举。" in page.content.decode()


def test_several_townships_are_summed_with_their_own_members_as_the_floors():
    first = CongressFacts("青山镇", "第十次党代表大会", MemberCounts(431, 57, 0), None,
                          DelegateCounts(49, 25, 28, 14, 0), 49, cadre_ceiling=(3, 5), young_floor=(1, 2))
    second = CongressFacts("白云乡", "第9次党代表大会", MemberCounts(100, 30, 10), None,
                           DelegateCounts(20, 8, 12, 6, 2), 20, cadre_ceiling=(3, 5), young_floor=(1, 2))
    report = CongressReport("清河县", "county", "county:330199", (first, second))
    assert report.members == MemberCounts(531, 87, 10) and report.candidates is None
    assert report.elected == DelegateCounts(69, 33, 40, 20, 2)
    tables = {t.key: t for t in report_tables(report)}
    total = tables["members"].rows[-1]
    assert total[:6] == ("合计", "", 0, 0, 531, 87) and str(total[6]) == "16.4%" and total[9] == 69
    structure = {row[0]: row for row in tables["structure"].rows}
    assert structure["代表（候选人）总数"][1] == "尚无" and structure["女性"][4:6] == (20, 69)
    assert structure["少数民族"][7] == "不低于少数民族党员占党员总数的比例1.9%（10/531）"
    assert structure["乡镇、村、经济组织、社会组织的党员干部"][7] == ""  # no single rule over several townships
    assert [r[:3] for r in tables["checks"].rows] == [("青山镇", "代表候选人", "尚无"), ("白云乡", "代表候选人", "尚无")]


def test_hostile_township_names_go_into_the_workbook_as_text():
    from reports.congress_report_documents import congress_report_workbook
    from tests.xlsx import live_cells

    facts = CongressFacts("=HYPERLINK(\"x\")", "第十次党代表大会", MemberCounts(10, 2, 0), None,
                          DelegateCounts(4, 1, 2, 1, 0), 4)
    data = congress_report_workbook(CongressReport("@青山镇", "township", "township:330199101", (facts,)))
    assert live_cells(data) == []
    book = load_workbook(io.BytesIO(data))
    assert book["封面"]["B3"].value == "'@青山镇"
    assert book["党员和代表名额"]["A2"].value == "'=HYPERLINK(\"x\")"


# ---------------------------------------------------------------- the query count


def _small_congress(township, clerk, *, term_number=10):
    """A township's round with one unit of two villages' organisations, 6 full members, 2 delegates, 3 candidates,
    the first two elected."""
    for n in range(2):
        make_village(township=township, name=f"{township.name}{n + 1}村", groups=1)
    campaign = party_congress.open_congress_round(by=clerk, township=township, term_number=term_number,
                                                  preset=preset("REFERENCE_003_CONGRESS"), election_day=DAY)
    election = party_congress.add_unit(by=clerk, campaign=campaign, name=f"{township.name}联合选举单位",
                                       organisations=list(PartyOrganisation.objects.filter(village__township=township)))
    members = make_congress_members(election=election, count=6, women=2, young=3,
                                    start=1 + 100 * Township.objects.filter(code__lt=township.code).count())
    party_congress.set_delegate_total(by=clerk, campaign=campaign, total=2)
    campaign.refresh_from_db()
    party_congress.apply_allocation(by=clerk, campaign=campaign)
    election.refresh_from_db()
    congress_services.publish_delegate_candidates(by=clerk, election=election,
                                                  entries=[(m, i == 0) for i, m in enumerate(members[:3])],
                                                  published_on=DAY)
    round = make_round(election=election, by=clerk, held_on=DAY, seats={"deputy": 2})
    for i, member in enumerate(members[:2]):
        make_elected(election=election, round=round, voter=member, post="deputy", votes=5 - i)
    return campaign


def test_the_queries_do_not_grow_with_the_townships(township, clerk, django_assert_num_queries):
    _small_congress(township, clerk)
    for n, name in ((2, "白云乡"), (3, "红石乡")):
        other = make_township(name=name, code=f"33019910{n}", county=township.county)
        _small_congress(other, make_user(username=f"clerk{n}", role=Role.CLERK, township=other))
    one, three = scopes.get_scope("township", township.code), scopes.get_scope("county", township.county.code)
    with django_assert_num_queries(QUERIES):
        report = build_congress_report(one)
    assert [t.township for t in report.townships] == ["青山镇"]
    with django_assert_num_queries(QUERIES):
        report = build_congress_report(three)
    assert [t.township for t in report.townships] == ["青山镇", "白云乡", "红石乡"]
    assert [(t.members.total, t.seats, t.candidates.total, t.elected.total, t.elected.cadres,
             [(u.name, u.organisations, u.members, u.seats, u.candidates) for u in t.units])
            for t in report.townships] == [
        (6, 2, 3, 2, 1, [(f"{name}联合选举单位", 2, 6, 2, 3)]) for name in ("青山镇", "白云乡", "红石乡")]


QUERIES = 7  # the rounds; members, candidates, units, elected (the composition); units' members, organisations
