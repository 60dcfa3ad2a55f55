"""The branch elections' process report (issue 12 "Reports and papers"; reference 002: "长沙坑村有97.5%的村民参加了
信任投票"): each stage's electorate, issued, returned with 收回率 and 参加率, the 党员大会's attendance and quorum,
the posts filled after the shortfall decisions and the elections finished, township and county, page, Excel, PDF.

The world, worked out by hand — 青山镇, round 第8届, each election 5 seats (书记 1, 副书记 1, 委员 3):

- 甲村 两票制: 信任投票 应参加 200, 发出 198, 收回 195 (收回率 98.5%, 参加率 97.5%); 党员大会 应到会 40, 实到会 36
  (90.0%, 36 > 4/5 × 40 = 32); 5 elected: finished.
- 乙村 两推一选: 党员推荐 30/30/29 (96.7%, 96.7%); 群众推荐 400/380/376 (98.9%, 94.0%); a first meeting of 30 with
  24 present (exactly 4/5: not more, void), met again with 28 present (93.3%, met); 3 elected, the seats reduced
  from 5 to 3 with the upper level's consent: finished.
- 丙村 公推直选: 公开推荐 150/150/150 (100.0%, 100.0%); 党员大会 opened (应到会 25), 实到会 not recorded; none elected.
- 丁村: no method yet, nothing recorded.

Scope totals: 4 villages (each method 1, 25.0%; 未确定 1); meetings with 实到会: 甲 and 乙, 应到会 70, 实到会 64
(91.4%), both met; seats 18 (20 less 2 reduced), elected 8 (44.4%); finished 2 of 4 (50.0%).
甲村's 信任票 (national rules: more than half of the 195 returned, no ratio): 150, 120, 98 pass, 97 does not.
白云乡 (same county, reference 002's rules: 70% of those voting, 人选 1.5 × the 5 formal candidates → 7): 戊村 两票制
信任投票 100/100/99, votes 99 95 90 88 85 80 75 70 50 — 8 reach 70%, 7 taken. County 信任投票: 300/298/294 → 收回率
98.7%, 参加率 98.0%; 13 voted on, 11 passed, 10 taken.
"""

from __future__ import annotations

import io
import subprocess
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from ballots.models import Round, ShortfallDecision
from candidates.models import PartyNomination, PartyStage, PartyStageVote
from reports import scopes
from reports.branch_process import BranchFacts, MeetingFacts, StageFacts, stage_totals
from reports.branch_process_queries import build_branch_process_report, gather
from tests.builders import make_elected, make_party_campaign, make_round, make_township, make_user, make_village, make_voter
from villages.audit_labels import action_label
from villages.models import AuditEntry, Election, Role

DAY = date(2026, 11, 20)


def _stage(election, by, code, electorate, issued, returned, basis="village_register"):
    return PartyStage.objects.create(election=election, stage=code, basis=basis, electorate=electorate,
                                     held_on=DAY, ballots_issued=issued, ballots_returned=returned, recorded_by=by)


def _votes(stage, votes):
    for i, count in enumerate(votes):
        member = make_voter(election=stage.election, name=f"党员{i}", serial=50 + i, category="PARTY_FULL")
        PartyStageVote.objects.create(stage=stage, member=member, votes=count)


def _method(election, by, method, formal_candidates=6):
    PartyNomination.objects.create(election=election, method=method, formal_candidates=formal_candidates,
                                   recorded_by=by)


def _meeting(election, by, *, expected, present, number=1, status="announced"):
    round = make_round(election=election, by=by, number=number, status=status, held_on=DAY, seats={"member": 5})
    Round.objects.filter(pk=round.pk).update(expected_attendance=expected, present=present)
    return round


def _elect(election, by, round, count, start=0):
    for i in range(count):
        make_elected(election=election, round=round, voter=make_voter(election=election, name=f"当选{i}",
                                                                       serial=start + i, category="PARTY_FULL"))


@pytest.fixture
def world(township, clerk):
    villages = {name: make_village(township=township, name=name) for name in ("甲村", "乙村", "丙村", "丁村")}
    other = make_township(name="白云乡", code="330199102", county=township.county)
    villages["戊村"] = make_village(township=other, name="戊村")
    make_party_campaign(township=township, by=clerk, day=DAY)
    make_party_campaign(township=other, by=clerk, day=DAY, preset_code="CHONGREN_TWO_BALLOTS")
    Election.objects.filter(village__in=villages.values()).update(seats_chair=1, seats_vice_chair=1, seats_member=3)
    e = {name: Election.objects.get(village=v) for name, v in villages.items()}

    _method(e["甲村"], clerk, "two_ballots")
    _votes(_stage(e["甲村"], clerk, "confidence_vote", 200, 198, 195), [150, 120, 98, 97])
    _elect(e["甲村"], clerk, _meeting(e["甲村"], clerk, expected=40, present=36), 5)

    _method(e["乙村"], clerk, "two_recommendations")
    _stage(e["乙村"], clerk, "members_recommendation", 30, 30, 29, basis="party_members")
    _stage(e["乙村"], clerk, "villagers_recommendation", 400, 380, 376)
    _meeting(e["乙村"], clerk, expected=30, present=24, status="void")
    again = _meeting(e["乙村"], clerk, expected=30, present=28, number=2)
    _elect(e["乙村"], clerk, again, 3, start=10)
    ShortfallDecision.objects.create(election=e["乙村"], round=again, choice="reduce", seats_before=5, seats_after=3,
                                     upper_consent="青组〔2026〕3号", decided_on=DAY, recorded_by=clerk)

    _method(e["丙村"], clerk, "open_recommendation")
    _stage(e["丙村"], clerk, "open_recommendation", 150, 150, 150, basis="members_and_villagers")
    _meeting(e["丙村"], clerk, expected=25, present=None, status="open")

    _method(e["戊村"], clerk, "two_ballots", formal_candidates=5)
    _votes(_stage(e["戊村"], clerk, "confidence_vote", 100, 100, 99), [99, 95, 90, 88, 85, 80, 75, 70, 50])
    return {"township": township, "other": other, "villages": villages}


def _scope(kind, code):
    return scopes.get_scope(kind, code)


# ---------------------------------------------------------------- the pure figures


def test_a_stage_can_never_return_more_than_it_issued_or_issue_more_than_its_electorate():
    stage = StageFacts("confidence_vote", 200, 198, 195)
    assert (str(stage.return_rate), str(stage.participation)) == ("98.5%", "97.5%")
    with pytest.raises(ValueError, match="群众信任投票收回199张、发出198张、应参加200人"):
        StageFacts("confidence_vote", 200, 198, 199)
    with pytest.raises(ValueError, match="须收回≤发出≤应参加"):
        StageFacts("members_recommendation", 30, 31, 30)


def test_the_quorum_is_more_than_four_fifths_and_unknown_until_the_attendance_is_recorded():
    assert MeetingFacts(30, 24).quorum_met is False  # exactly 4/5 is not more than 4/5
    assert MeetingFacts(30, 25).quorum_met is True
    assert MeetingFacts(30, 24, quorum_strict=False).quorum_met is True
    assert MeetingFacts(25, None).quorum_met is None and MeetingFacts(25, None).attendance is None


def test_stage_totals_keep_each_stage_apart_in_the_pipelines_order():
    village = BranchFacts("1", "甲村", "青山镇", "two_recommendations",
                          (StageFacts("villagers_recommendation", 400, 380, 376),
                           StageFacts("members_recommendation", 30, 30, 29)), None, 5, 0, 0)
    totals = stage_totals([village, village])
    assert [(t.label, t.villages, t.electorate, t.issued, t.returned) for t in totals] == [
        ("党员推荐", 2, 60, 60, 58), ("群众推荐", 2, 800, 760, 752)]
    assert not village.finished and str(village.filled) == "0.0%"


# ---------------------------------------------------------------- from the data


def test_the_township_figures_come_out_of_the_records(world):
    report = build_branch_process_report(_scope("township", world["township"].code))
    assert [v.name for v in report.villages] == ["甲村", "乙村", "丙村", "丁村"]
    assert {k: (s.numerator, s.denominator, str(s)) for k, s in report.methods.items()} == {
        "两推一选": (1, 4, "25.0%"), "公推直选": (1, 4, "25.0%"), "两票制": (1, 4, "25.0%"), "未确定": (1, 4, "25.0%")}
    assert [(t.label, t.electorate, t.issued, t.returned, str(t.return_rate), str(t.participation))
            for t in report.stages] == [
        ("党员推荐", 30, 30, 29, "96.7%", "96.7%"), ("群众推荐", 400, 380, 376, "98.9%", "94.0%"),
        ("公开推荐", 150, 150, 150, "100.0%", "100.0%"), ("群众信任投票", 200, 198, 195, "98.5%", "97.5%")]
    assert (report.expected, report.present, str(report.attendance)) == (70, 64, "91.4%")
    assert (report.quorum_met.numerator, report.quorum_met.denominator) == (2, 2)
    assert (report.seats, report.seats_reduced, report.elected, str(report.filled)) == (18, 2, 8, "44.4%")
    assert (report.finished.numerator, report.finished.denominator) == (2, 4)
    yi = report.villages[1]
    assert (yi.meeting.expected, yi.meeting.present, yi.meeting.quorum_met, yi.seats, yi.finished) == (
        30, 28, True, 3, True)
    bing = report.villages[2]
    assert (bing.meeting.expected, bing.meeting.present, bing.meeting.quorum_met, bing.finished) == (25, None, None, False)
    assert report.villages[3].meeting is None and report.villages[3].method_label == "未确定"


def test_the_county_adds_the_other_township(world):
    report = build_branch_process_report(_scope("county", world["township"].county.code))
    assert [v.name for v in report.villages] == ["甲村", "乙村", "丙村", "丁村", "戊村"]
    confidence = report.stages[-1]
    assert (confidence.villages, confidence.electorate, confidence.issued, confidence.returned,
            str(confidence.return_rate), str(confidence.participation)) == (2, 300, 298, 294, "98.7%", "98.0%")
    # 戊村 under reference 002's rules: 8 of 9 reach 70% of the 99 returned (70 does, 50 does not); 5 formal
    # candidates × 1.5 → 7 人选.
    assert (confidence.ranked, confidence.voted_on, confidence.passed, confidence.chosen) == (2, 13, 11, 10)
    wu = report.villages[-1].stages[0]
    assert (wu.voted_on, wu.passed, wu.chosen, wu.condition) == (9, 8, 7, "得信任票达到70%，人选不超过7名")


def test_the_queries_do_not_grow_with_the_villages(world):
    small, large = _scope("township", world["other"].code), _scope("township", world["township"].code)
    with CaptureQueriesContext(connection) as one:
        villages, _rounds = gather(small)
    assert len(villages) == 1
    with CaptureQueriesContext(connection) as four:
        villages, _rounds = gather(large)
    assert len(villages) == 4
    assert len(one) == len(four) == 7


# ---------------------------------------------------------------- the pages and the files


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def rows(page, table):
    return [[td.get_text(strip=True) for td in tr.select("td")] for tr in page.select(f"#table-{table} tbody tr")]


def url(kind, code, fmt=None):
    if fmt:
        return reverse("reports:branch-process-export", kwargs={"kind": kind, "code": code, "fmt": fmt})
    return reverse("reports:branch-process", kwargs={"kind": kind, "code": code})


def test_the_township_page_shows_each_share_with_its_base(client, world, clerk):
    client.force_login(clerk)
    page = soup(client.get(url("township", world["township"].code)))
    assert page.select_one("#narrative").get_text(strip=True).startswith(
        "全镇4个村党组织换届选举，候选人产生方式：两推一选1个村、公推直选1个村、两票制1个村、未确定1个村；"
        "1个村党员推荐应参加30人，发出30张，收回29张，收回率96.7%，参加率96.7%")
    assert rows(page, "stages")[0] == ["党员推荐", "1", "30", "30", "29", "96.7%", "96.7%", "未登记", "—", "—"]
    assert rows(page, "stages")[-1] == ["群众信任投票", "1", "200", "198", "195", "98.5%", "97.5%", "4", "3", "3"]
    meetings = {r[0]: r for r in rows(page, "meetings")}
    assert meetings["实到会有选举权的党员（到会率）"] == ["实到会有选举权的党员（到会率）", "64", "70", "91.4%", "应到会党员"]
    assert meetings["到会人数符合规定的党员大会"][1:4] == ["2", "2", "100.0%"]
    assert meetings["其中：经上级党组织同意减少的名额"][1] == "2"
    assert meetings["已选出委员（选举到位）"][1:4] == ["8", "18", "44.4%"]
    assert meetings["选举完成的村"][1:4] == ["2", "4", "50.0%"]
    assert meetings["尚未完成选举的村"][1] == "2"
    stages = rows(page, "village-stages")
    # 150, 120 and 98 of the 195 returned are more than half; 97 is not (the national rules: no ratio).
    assert stages[0] == ["甲村", "两票制", "群众信任投票", "200", "198", "195", "98.5%", "97.5%", "4", "3", "3",
                         "得信任票超过50%", "5"]
    assert stages[1][-5:] == ["未登记", "—", "—", "", "5"]  # no minimum share for recommendations nationally
    assert stages[-1] == ["丁村", "未确定", "未确定"] + ["—"] * 10
    village_meetings = rows(page, "village-meetings")
    assert village_meetings[1] == ["乙村", "两推一选", "30", "28", "93.3%", "是", "3", "2", "3", "100.0%", "已完成"]
    assert village_meetings[2] == ["丙村", "公推直选", "25", "未登记", "—", "—", "5", "0", "0", "0.0%", "未完成"]


def test_the_workbook_and_the_pdf_carry_the_same_figures(client, world, supervisor):
    client.force_login(supervisor)
    code = world["township"].code
    response = client.get(url("township", code, "xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["封面", "候选人产生方式", "推荐、信任投票", "党员大会和选举结果", "各村推荐、信任投票",
                               "各村党员大会和选举结果"]
    sheet = book["推荐、信任投票"]
    assert [c.value for c in sheet[5]] == ["群众信任投票", 1, 200, 198, 195, 195 / 198, 195 / 200, 4, 3, 3]
    assert sheet["F5"].number_format == "0.0%"
    assert book["封面"]["B3"].value == "青山镇"
    response = client.get(url("township", code, "pdf"))
    path = Path("/tmp/party-reports-branch-process.pdf")
    path.write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = text.replace(" ", "").replace("\n", "")
    assert "青山镇村党组织换届选举过程统计" in flat
    assert "群众信任投票120019819598.5%97.5%" in flat
    assert "各乡镇" not in flat  # a township's report has no townships' tables
    entry = AuditEntry.objects.filter(action="reports.branch_process.exported").latest("id")
    assert entry.changes["format"] == [None, "pdf"]
    assert action_label("reports.branch_process.exported") == "导出村党组织换届选举过程统计报表"


def test_a_liaison_officer_reads_their_village_only(client, world, township):
    liaison = make_user(username="liaison_jia", role=Role.LIAISON, township=township,
                        villages=(world["villages"]["甲村"],))
    client.force_login(liaison)
    home = client.get(reverse("reports:branch-process-home"))
    jia = world["villages"]["甲村"].code
    assert home.status_code == 302 and home["Location"] == url("village", jia)
    page = soup(client.get(url("village", jia)))
    assert [r[0] for r in rows(page, "village-meetings")] == ["甲村"]
    assert client.get(url("village", world["villages"]["乙村"].code)).status_code == 404
    assert client.get(url("township", township.code)).status_code == 404
    assert client.get(url("township", township.code, "xlsx")).status_code == 404


def test_a_county_office_reads_the_county_and_a_stranger_gets_404(client, world, county_office, clerk):
    client.force_login(county_office)
    page = soup(client.get(url("county", world["township"].county.code)))
    assert [r[0] for r in rows(page, "village-meetings")] == ["青山镇", "青山镇", "青山镇", "青山镇", "白云乡"]
    assert rows(page, "township-meetings") == [
        ["青山镇", "4", "1", "1", "1", "1", "70", "64", "91.4%", "2", "18", "8", "44.4%", "2", "2"],
        ["白云乡", "1", "0", "0", "1", "0", "0", "0", "—", "0", "5", "0", "0.0%", "0", "1"]]
    township_stages = rows(page, "township-stages")
    assert [r[:2] for r in township_stages] == [["青山镇", "党员推荐"], ["青山镇", "群众推荐"], ["青山镇", "公开推荐"],
                                                ["青山镇", "群众信任投票"], ["白云乡", "群众信任投票"]]
    assert township_stages[-1] == ["白云乡", "群众信任投票", "1", "100", "100", "99", "99.0%", "99.0%"]
    response = client.get(url("county", world["township"].county.code, "pdf"))
    path = Path("/tmp/party-reports-branch-process-county.pdf")
    path.write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = text.replace(" ", "").replace("\n", "")
    assert "清河县村党组织换届选举过程统计" in flat and "白云乡群众信任投票1100100" in flat
    client.force_login(clerk)
    assert client.get(url("township", world["other"].code)).status_code == 404
    assert client.get(url("county", world["township"].county.code)).status_code == 404
    assert client.get(url("township", world["township"].code, "docx")).status_code == 404


def test_the_county_pdfs_last_note_follows_its_table(client, world, county_office):
    """The note under 各村党员大会和选举结果 stays with the table's last rows: two pages, not a third page holding
    the note alone."""
    client.force_login(county_office)
    response = client.get(url("county", world["township"].county.code, "pdf"))
    pages = PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
    last = "".join(pages[-1].extract_text().split())
    assert len(pages) == 2
    assert "白云乡戊村两票制" in last and "说明：到会率=实到会÷应到会；选举到位=已选出÷应选职数" in last


def test_hostile_place_names_go_into_the_workbook_as_text(world):
    from reports.branch_process_documents import branch_process_workbook
    from tests.xlsx import live_cells
    from villages.models import Township, Village

    dde = "=cmd|' /C calc'!A0"
    Village.objects.filter(pk=world["villages"]["甲村"].pk).update(name=dde)
    Township.objects.filter(pk=world["township"].pk).update(name="+青山镇")
    data = branch_process_workbook(build_branch_process_report(_scope("township", world["township"].code)))
    assert live_cells(data) == []
    book = load_workbook(io.BytesIO(data))
    assert book["封面"]["B3"].value == "'+青山镇"
    assert [c.value for c in book["各村推荐、信任投票"][2]][:4] == ["'" + dde, "两票制", "群众信任投票", 200]


def test_votes_over_the_returned_ballots_are_flagged_not_ranked(world):
    stage = PartyStage.objects.get(election__village=world["villages"]["甲村"])
    PartyStageVote.objects.filter(stage=stage, votes=150).update(votes=196)  # more than the 195 returned
    report = build_branch_process_report(_scope("township", world["township"].code))
    jia = report.villages[0].stages[0]
    assert (jia.passed, jia.chosen, jia.condition) == (None, None, "得信任票超过50%（得票数据有误，请核对）")
    assert report.stages[-1].ranked == 0
