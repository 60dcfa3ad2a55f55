"""The summary of a 人大 round for a township and a county (issue 11 "Reports"), every figure worked
out by hand from the records below.

青山镇 (清河县), 第18届, election day 2027-01-20:

- 乡镇级 第1选区 (东山村, 2 seats, 10 voters 选民00–09): nominees 选民00, 选民01 (政党、人民团体),
  选民02, 选民03 (十人联名), 选民04 withdrawn (not counted). Formal list published: 选民00, 01, 02 on it,
  选民03 left out after the primary → 3 candidates for 2 seats, 差额 1/2 = 50.0%. First ballot: 8 of 10
  returned (80.0%), of them 2 at a mobile box; one approved proxy. Elected 选民00 (F, 1990-05-01 → 36,
  中共党员, 藏族, 大学本科, 农民) and 选民01 (M, 1975-03-01 → 51, 群众, Han, education 未填, category 未填).
- 乡镇级 第2选区 (西岭村, 1 seat, 6 voters): nominees 1 party, 2 joint; no formal list; not voted.
- 县级 第1选区 (both villages, 1 seat): its register is the township districts' 16 voters; one joint nominee.

Last term: 乡镇级 第17届 (one district over 东山村, 2 seats, 5 registered, 4 voted = 80.0%), elected 选民01's
ID number (→ 选民01 re-elected, 选民00 new) and a woman (F, 中共党员); no county round of term 17: the county
deputies' re-election comes from the candidates' 现任代表 answer (blank → 未填).
"""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from candidates.models import Candidate, DeputyCategory
from reports.deputy_figures import CATEGORIES
from reports.deputy_queries import build_deputy_report
from reports.scopes import get_scope
from tests.builders import (
    make_deputy_round,
    make_district,
    make_district_election,
    make_elected,
    make_round,
    make_station,
    make_tally,
    make_user,
    make_voter,
)
from villages.models import Election, Role
from voters.models import Proxy, Voter

DAY = date(2027, 1, 20)
LAST_DAY = date(2021, 11, 15)


def _nominee(election, voter, source, status=Candidate.Status.NOMINATED, **fields):
    order = Candidate.objects.filter(election=election, status=Candidate.Status.ON_LIST).count() + 1
    return Candidate.objects.create(election=election, voter=voter, post="deputy", source=source,
                                    nominated_on=date(2026, 12, 17), status=status,
                                    list_order=order if status == Candidate.Status.ON_LIST else None, **fields)


PARTY, JOINT = Candidate.Source.PARTY, Candidate.Source.JOINT


@pytest.fixture
def npc(county_office, clerk, township, village_a, village_b):
    # Last term first: 乡镇级 第17届, one district, written directly.
    last = make_deputy_round(by=county_office, township=township, term_number=17, day=LAST_DAY)
    old = Election.objects.with_places().get(district=make_district(campaign=last, by=county_office, number=1,
                                                                     villages=[village_a], seats=2))
    group = village_a.groups.order_by("number").first()
    old_voters = [make_voter(election=old, group=group, name=f"旧选民{i}", serial=400 + i,
                             sex="F" if i == 0 else "M", birth_date=date(1970 + i, 1, 1)) for i in range(5)]
    old_round = make_round(election=old, by=county_office, held_on=LAST_DAY, seats={"deputy": 2})
    make_tally(round=old_round, station=make_station(election=old), by=county_office, returned=4)
    Voter.objects.filter(pk=old_voters[0].pk).update(political_status="01")
    make_elected(election=old, round=old_round, voter=old_voters[0], post="deputy")

    e1 = make_district_election(county_office=county_office, clerk=clerk, township=township, villages=[village_a],
                                seats=2, voters=10, day=DAY)
    e2 = make_district_election(county_office=county_office, clerk=clerk, township=township, villages=[village_b],
                                seats=1, voters=6, day=DAY, campaign=e1.campaign, number=2)
    v1 = list(Voter.objects.filter(election=e1).order_by("name"))
    v2 = list(Voter.objects.filter(election=e2).order_by("name"))
    # 选民01 was a deputy last term (same ID number, last term's register).
    Voter.objects.filter(pk=old_voters[1].pk).update(id_number=v1[1].id_number)
    make_elected(election=old, round=old_round, voter=old_voters[1], post="deputy")

    Voter.objects.filter(pk=v1[0].pk).update(birth_date=date(1990, 5, 1), political_status="01", ethnicity="04",
                                             education="21", education_edition="2006")
    Voter.objects.filter(pk=v1[1].pk).update(birth_date=date(1975, 3, 1), political_status="13", ethnicity="01",
                                             education="")
    _nominee(e1, v1[0], PARTY, Candidate.Status.ON_LIST, deputy_category=DeputyCategory.FARMER)
    _nominee(e1, v1[1], PARTY, Candidate.Status.ON_LIST)
    _nominee(e1, v1[2], JOINT, Candidate.Status.ON_LIST, deputy_category=DeputyCategory.CADRE)
    _nominee(e1, v1[3], JOINT, Candidate.Status.NOT_SELECTED)
    _nominee(e1, v1[4], PARTY, Candidate.Status.WITHDRAWN, withdrawn_on=date(2026, 12, 18), withdrawal_reason="本人辞去")
    Election.objects.filter(pk=e1.pk).update(candidate_list_published_on=date(2026, 12, 28), stage="voting")
    _nominee(e2, v2[0], PARTY)
    _nominee(e2, v2[1], JOINT)
    _nominee(e2, v2[2], JOINT)

    first = make_round(election=e1, by=clerk, held_on=DAY, seats={"deputy": 2})
    make_tally(round=first, station=make_station(election=e1, name="中心投票站"), by=clerk, returned=6)
    make_tally(round=first, station=make_station(election=e1, name="流动票箱", kind="mobile"), by=clerk, returned=2)
    Proxy.objects.create(election=e1, principal=v1[8], holder=v1[9], status=Proxy.Status.APPROVED, relation="OTHER_VOTER",
                         authorized_on=date(2027, 1, 10), approved_on=date(2027, 1, 11))
    make_elected(election=e1, round=first, voter=v1[0], post="deputy")
    make_elected(election=e1, round=first, voter=v1[1], post="deputy")

    county_round = make_deputy_round(by=county_office, county=township.county, day=DAY)
    county = Election.objects.with_places().get(district=make_district(
        campaign=county_round, by=county_office, number=1, villages=[village_a, village_b], seats=1))
    _nominee(county, v1[5], JOINT)
    return {"e1": e1, "e2": e2, "county": county, "v1": v1}


def township_report(user=None):
    return build_deputy_report(get_scope("township", "330199101"), user=user)


def test_the_category_list_is_the_candidates_one():
    assert CATEGORIES == tuple((value, str(label)) for value, label in DeputyCategory.choices)


def test_township_figures_from_the_records(npc):
    report = township_report()
    assert [level.level for level in report.levels] == ["county", "township"]
    county, town = report.levels
    assert town.rounds == ("青山镇第18届乡镇人民代表大会代表选举",) or len(town.rounds) == 1
    assert (len(town.districts), town.seats, town.population) == (2, 3, 3000)
    assert town.population_per_deputy == 1000
    assert (town.registered, town.registered_voted, town.voted) == (16, 10, 8)
    assert (town.turnout.numerator, town.turnout.denominator, str(town.turnout)) == (8, 10, "80.0%")
    assert (town.by_mobile_box.numerator, town.by_mobile_box.denominator) == (2, 8)
    assert (town.by_proxy.numerator, town.by_proxy.denominator) == (1, 8)
    assert town.nominees == 7
    assert (town.nominees_party.numerator, town.nominees_party.denominator, str(town.nominees_party)) == (3, 7, "42.9%")
    assert (town.nominees_joint.numerator, str(town.nominees_joint)) == (4, "57.1%")
    assert (len(town.listed_districts), town.listed_seats, town.candidates) == (1, 2, 3)
    assert (town.surplus.numerator, town.surplus.denominator, str(town.surplus)) == (1, 2, "50.0%")
    assert (town.elected.numerator, town.elected.denominator) == (2, 3)
    c = town.composition
    assert c.total == 2
    assert [(s.numerator, s.denominator) for s in (c.men, c.women, c.party_members, c.non_party, c.minority)] == [
        (1, 2), (1, 2), (1, 2), (1, 2), (1, 2)]
    assert {k: s.numerator for k, s in c.age_bands.items()} == {"≤35岁": 0, "36–45岁": 1, "46–55岁": 1, "≥56岁": 0}
    assert c.average_age_display == "43.5"
    assert (c.education["大专及以上"].numerator, c.education_unknown.numerator) == (1, 1)
    assert {k: s.numerator for k, s in c.categories.items()} == {
        "工人": 0, "农民": 1, "专业技术人员": 0, "党政领导干部": 0, "企业负责人": 0, "解放军和武警": 0, "其他": 0}
    assert (c.category_unknown.numerator, c.category_unknown.denominator) == (1, 2)
    assert (c.workers_and_farmers.numerator, c.workers_and_farmers.denominator) == (1, 2)
    # Against last term's deputies (term 17 in the system): 选民01 re-elected, 选民00 new.
    assert [(s.numerator, s.denominator) for s in (c.re_elected, c.new, c.re_election_unknown)] == [
        (1, 2), (1, 2), (0, 2)]
    p = town.previous
    assert (len(p.districts), p.seats, p.registered, p.voted, str(p.turnout)) == (1, 2, 5, 4, "80.0%")
    assert (p.composition.total, p.composition.women.numerator, p.composition.party_members.numerator) == (2, 1, 1)

    # The county-level district lying in the township: its register is the township districts' voters.
    assert (len(county.districts), county.seats, county.registered, county.voted) == (1, 1, 16, 0)
    assert county.districts[0].turnout.has_voted is False
    assert (county.nominees, county.nominees_joint.numerator, county.candidates, county.composition.total) == (1, 1, 0, 0)
    assert county.previous is None


def test_the_tables_and_the_narrative(npc):
    from reports.deputy_documents import deputy_report_context

    context = deputy_report_context(township_report(), charts=False)
    town = context["levels"][1]
    rows = {r[0]: r[1:] for r in town["tables"]["overview"].rows}
    assert rows["参加投票（参选率）"][:2] == (8, 10) and str(rows["参加投票（参选率）"][2]) == "80.0%"
    assert rows["参加投票（参选率）"][3] == "已投票选区的登记选民"
    rows = {r[0]: r[1:] for r in town["tables"]["composition"].rows}
    assert rows["代表结构类别未填"][:2] == (1, 2) and rows["代表结构类别未填"][3] == "当选代表"
    assert rows["其中：农民"][:2] == (1, 2)
    districts = town["tables"]["districts"].rows
    assert [r[0] for r in districts] == ["第1选区", "第2选区"]
    assert districts[0][1:] [:5] == (1500, 2, 10, 8, districts[0][5])
    assert str(districts[0][5]) == "80.0%" and districts[1][4] == "尚未投票" and districts[1][8] == "未公布"
    assert str(districts[0][9]) == "50.0%"
    changes = {r[0]: r for r in town["tables"]["changes"].rows}
    assert changes["当选代表"][1:] == (2, None, 2, None, "与上届持平")
    assert changes["登记选民"][5] == "比上届增加11人"
    assert changes["正式代表候选人（差额比例）"][3:] == (None, changes["正式代表候选人（差额比例）"][4], "—")  # no list last term
    assert changes["女性"][5] == "与上届持平"
    assert changes["非中共党员"][5] == "与上届持平"
    assert changes["大专及以上学历"][1:] [:4] == (1, changes["大专及以上学历"][2], 0, changes["大专及以上学历"][4])
    assert changes["大专及以上学历"][5] == "比上届提高50.0个百分点"
    assert context["levels"][0]["tables"]["changes"].rows == ()
    text = town["narrative"]
    assert text.startswith("全镇划分乡镇人大代表选区2个，应选代表3名，每名代表代表人口1000人；")
    assert "已投票的1个选区登记选民10人，参加投票8人，参选率80.0%（8/10）" in text
    assert "各政党、各人民团体推荐3人（占42.9%），选民十人以上联名推荐4人（占57.1%）" in text
    assert "确定正式代表候选人3名，差额比例50.0%（1/2）" in text
    assert "连选连任1名，占50.0%，新当选1名，占50.0%" in text


def test_queries_do_not_grow_with_the_districts(npc, county_office, clerk, township, village_a, village_b):
    from villages.models import VillagerGroup

    scope = get_scope("township", "330199101")
    with CaptureQueriesContext(connection) as before:
        build_deputy_report(scope)
    # Two more districts at each level, with voters, nominees and a vote.
    e1 = npc["e1"]
    g = VillagerGroup.objects.create(village=village_b, number=9, name="第九组")
    for number in (3, 4):
        e = Election.objects.with_places().get(district=make_district(
            campaign=e1.campaign, by=county_office, number=number, groups=[g] if number == 3 else [], villages=[]
            if number == 3 else [village_b], seats=1))
        voter = make_voter(election=e, group=g, serial=300 + number)
        _nominee(e, voter, PARTY)
        rnd = make_round(election=e, by=clerk, held_on=DAY, seats={"deputy": 1})
        make_tally(round=rnd, station=make_station(election=e), by=clerk, returned=1)
        make_elected(election=e, round=rnd, voter=voter, post="deputy")
        make_district(campaign=npc["county"].campaign, by=county_office, number=number, villages=[village_a], seats=1)
    with CaptureQueriesContext(connection) as after:
        report = build_deputy_report(scope)
    assert len(report.levels[1].districts) == 4 and len(report.levels[0].districts) == 3
    assert len(after.captured_queries) == len(before.captured_queries)


def test_a_liaison_officer_sees_only_the_districts_of_their_villages(npc, liaison_a):
    report = township_report(liaison_a)
    assert report.restricted
    county, town = report.levels
    assert [d.number for d in town.districts] == [1] and [d.number for d in county.districts] == [1]


def test_the_county_summary_takes_every_township(npc, county_office, other_township):
    report = build_deputy_report(get_scope("county", "330199"), user=county_office)
    county, town = report.levels
    assert town.registered == 16 and county.registered == 16
    assert town.rounds == ("青山镇第18届乡镇人民代表大会代表选举",) or len(town.rounds) == 1


def test_the_pages_and_files(client, npc, clerk, county_office, liaison_b, other_township, tmp_path):
    from openpyxl import load_workbook

    client.force_login(clerk)
    url = reverse("reports:deputy-report", args=["township", "330199101"])
    page = client.get(url).content.decode()
    assert "青山镇县乡两级人大代表选举统计报表" in page and "差额比例" in page and "未填" in page
    assert client.get(reverse("reports:deputy-report", args=["county", "330199"])).status_code == 404
    assert client.get(reverse("reports:deputy-report-home")).status_code == 302
    round_page = client.get(reverse("villages:deputy-round-detail", args=[npc["e1"].campaign_id])).content.decode()
    assert f'id="deputy-summary-link" href="{url}"' in round_page
    response = client.get(reverse("reports:deputy-report-export", args=["township", "330199101", "xlsx"]))
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    book = load_workbook(path)
    assert "乡镇级当选代表结构" in book.sheetnames and "县级选区和参选情况" in book.sheetnames
    sheet = book["乡镇级选区和参选情况"]
    rows = {r[0]: r[1:] for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]}
    assert rows["参加投票（参选率）"][:3] == (8, 10, 0.8)
    assert sheet["D1"].value == "占比"
    assert book["乡镇级提名和候选人"]["D8"].number_format == "0.0%"
    response = client.get(reverse("reports:deputy-report-export", args=["township", "330199101", "pdf"]))
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "青山镇县乡两级人大代表选举统计报表" in text and "参选率80.0%（8/10）" in text
    from villages.models import AuditEntry
    assert AuditEntry.objects.filter(action="reports.deputy_report.exported").count() == 2

    client.force_login(county_office)
    page = client.get(reverse("reports:deputy-report", args=["county", "330199"])).content.decode()
    assert "清河县县乡两级人大代表选举统计报表" in page
    assert client.get(reverse("reports:deputy-report", args=["township", other_township.code])).status_code == 404
    client.force_login(liaison_b)
    page = client.get(url).content.decode()
    assert "仅含您可查看的选区" in page
    assert client.get(reverse("reports:deputy-report", args=["county", "330199"])).status_code == 404
    user = make_user(username="outsider", role=Role.CLERK, township=other_township)
    client.force_login(user)
    assert client.get(url).status_code == 404
