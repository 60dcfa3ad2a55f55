"""The pages and papers of a Party election's 党员大会 (issue 12 step 5): 实到会 on the round page, the shortfall
decision, the 书记/副书记 vote, the results page, the 选举结果报告单 and the report to the township Party committee."""

import os

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from pypdf import PdfReader

from ballots.models import Round, ShortfallDecision
from tests.ballots.test_party_results import DAY, branch, committee, post_vote, vote  # noqa: F401
from tests.builders import enter_tally, sheet


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content.decode()[:2000]
    return BeautifulSoup(response.content.decode(), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def pdf_text(response) -> str:
    import io

    return "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages)


def keep(name, response):
    """Keep a PDF for looking at (``PARTY_PDF_DIR``)."""
    folder = os.environ.get("PARTY_PDF_DIR")
    if folder:
        with open(os.path.join(folder, name), "wb") as f:
            f.write(response.content)


def test_the_round_page_shows_expected_attendance_and_records_the_members_present(branch, clerk, client):
    client.force_login(clerk)
    url = reverse("ballots:round-detail", args=[branch.election.pk, branch.round.pk])
    box = page(client, url).find(id="party-attendance")
    assert text(box).startswith("党员大会应到会 50 名（据党员名册） 实到会有选举权的党员 未登记 （录入计票结果前须先登记） 登记实到会人数")
    attendance = reverse("ballots:party-attendance", args=[branch.election.pk, branch.round.pk])
    response = client.post(attendance, {"present": "41"})
    assert response.status_code == 302
    assert Round.objects.get(pk=branch.round.pk).present == 41
    assert "实到会有选举权的党员 41 名" in text(page(client, url).find(id="party-attendance"))


def test_the_tally_page_refuses_more_ballots_than_members_present(branch, clerk, client):
    client.force_login(clerk)
    client.post(reverse("ballots:party-attendance", args=[branch.election.pk, branch.round.pk]), {"present": "41"})
    data = {"issued": 42, "returned": 41, "valid": 41, "invalid": 0, "version": 0, "confirm": "1"}
    data |= {f"member__c{m.pk}": n for m, n in zip(branch.m[:6], (41, 30, 25, 21, 20, 19), strict=True)}
    url = reverse("ballots:tally-entry", args=[branch.election.pk, branch.round.pk, branch.place.pk])
    assert text(page(client, url).find(id="party-attendance")) == (
        "党员大会应到会50名，实到会有选举权的党员41名：发出选票不得多于41张，收回选票不得多于发出选票。")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "发出选票42张，多于实到会有选举权的党员41名，计票结果不能保存，请核对。" in response.content.decode()
    assert not branch.round.tallies.exists()


def test_the_results_page_explains_the_shortfall_and_offers_the_decision(branch, clerk, client, tmp_path):
    vote(branch, clerk, present=41, votes=[41, 30, 25, 21, 20, 19])
    client.force_login(clerk)
    soup = page(client, reverse("ballots:results", args=[branch.election.pk]))
    assert text(soup.find(id="result-status")) == (
        "须另行选举 ：党员大会已选出委员4名，尚缺1名，缺额不从得票未过半数的人中递补，须决定另行选举或减少名额。")
    assert text(soup.find(id="party-attendance")).startswith("有选举权的党员50名，没有不列入应到会人数的党员，应到会50名。")
    totals = text(soup.find(class_="round-totals"))
    assert "应到会 50 实到会（有选举权） 41（82.0%）" in totals
    actions = [text(a) for a in soup.find(id="next-actions").find_all("a")]
    assert "处理缺额：另行选举或减少名额" in actions and "开启另行选举" not in actions
    response = client.post(reverse("ballots:party-shortfall", args=[branch.election.pk]), {
        "choice": "reduce", "decided_on": DAY.isoformat(), "upper_consent": "", "meeting_for": "30",
        "meeting_present": "41"})
    assert "减少名额须经上级党组织同意，请填写同意的文书。" in response.content.decode()
    response = client.post(reverse("ballots:party-shortfall", args=[branch.election.pk]), {
        "choice": "reduce", "decided_on": DAY.isoformat(), "upper_consent": "青山镇党委〔2026〕12号",
        "meeting_for": "30", "meeting_present": "41"})
    assert response.status_code == 302
    assert ShortfallDecision.objects.get().seats_after == 4
    soup = page(client, reverse("ballots:results", args=[branch.election.pk]))
    assert text(soup.find(id="result-status")).startswith("选举完成 ：党员大会应选委员4名，已全部选出")


def test_the_committee_posts_page_and_the_papers(committee, clerk, client):
    client.force_login(clerk)
    url = reverse("ballots:party-post-vote", args=[committee.election.pk])
    form = page(client, url)
    assert [text(label) for label in form.select("label[for^=id_v]")][:2] == [
        "党员001的赞成票（不是候选人的留空）", "党员002的赞成票（不是候选人的留空）"]
    response = client.post(url, {"post": "secretary", "held_on": DAY.isoformat(), "returned": "5",
                                 f"v{committee.m[0].pk}": "3", f"v{committee.m[1].pk}": "2"})
    assert "书记实行等额选举，应选1名，候选人应为1名，现有2名。" in response.content.decode()
    assert client.post(url, {"post": "secretary", "held_on": DAY.isoformat(), "returned": "5",
                             f"v{committee.m[0].pk}": "5"}).status_code == 302
    post_vote(committee, clerk, "deputy_secretary", {1: 4})
    soup = page(client, reverse("ballots:results", args=[committee.election.pk]))
    rows = [[text(td) for td in tr.find_all("td")] for tr in soup.find(id="party-holders").find("tbody").find_all("tr")]
    assert rows == [["书记", "党员001", "男", "45"], ["副书记", "党员002", "男", "44"], ["委员", "党员003", "女", "43"],
                    ["委员", "党员004", "男", "42"], ["委员", "党员005", "男", "30"]]
    report = client.get(reverse("ballots:results-report", args=[committee.election.pk]))
    assert report["Content-Type"] == "application/pdf"
    keep("party_results_report.pdf", report)
    body = pdf_text(report)
    assert "中共东山村支部委员会第八届委员会换届选举选举结果报告单" in body
    assert "有选举权的到会党员45名，超过应到会50名的五分之四（至少41名），可以进行选举。" in body
    assert "党员001得赞成票5票，超过支部委员会委员5名的半数（至少3票），当选书记。" in body
    assert "总监票人（签名）" in body and "计票人（签名）" in body and "中共东山村支部委员会（印章）" in body
    upper = client.get(reverse("ballots:party-upper-report", args=[committee.election.pk]))
    keep("party_upper_report.pdf", upper)
    body = pdf_text(upper)
    assert "关于中共东山村支部委员会第八届委员会换届选举结果的报告" in body
    assert "中共青山镇委员会：" in body and "请予审批" in body and "上级党组织审批意见" in body


def test_a_village_election_has_no_party_pages(election_a, clerk, client):
    client.force_login(clerk)
    page(client, reverse("ballots:party-shortfall", args=[election_a.pk]), status=404)


def test_the_ballot_of_a_party_election_speaks_of_the_party_organisation(branch, clerk, client):
    client.force_login(clerk)
    response = client.get(reverse("ballots:ballot-pdf", args=[branch.election.pk, branch.round.pk]))
    body = pdf_text(response)
    assert "东山村第8届村党组织换届选举" in body and "委员（应选5名）" in body
    assert "所选的人须是本党组织有选举权和被选举权的正式党员。" in body and "（村党组织印章）" in body
    assert "村民委员会" not in body and "本村登记选民" not in body


def test_a_ballot_without_write_ins_prints_only_the_formal_candidates(branch, clerk, client):
    from villages.models import Campaign

    campaign = branch.election.campaign
    Campaign.objects.filter(pk=campaign.pk).update(rule_params=campaign.rule_params | {"write_in_allowed": False})
    client.force_login(clerk)
    for url in (reverse("ballots:ballot-pdf", args=[branch.election.pk, branch.round.pk]),
                reverse("ballots:ballot-pdf", args=[branch.election.pk, branch.round.pk]) + "?from=1&to=2"):
        body = pdf_text(client.get(url))
        assert "本次选举不另选他人，只对所列候选人表示同意、不同意或弃权。" in body
        assert "另选他人：" not in body and "党员006" in body


def test_the_meeting_round_opens_at_one_place_through_the_page(branch, clerk, client):
    from tests.builders import make_station

    Round.objects.filter(pk=branch.round.pk).delete()  # the fixture's round, opened by the service
    group = make_station(election=branch.election, name="第1组投票站", kind="station")  # written past the service
    client.force_login(clerk)
    url = reverse("ballots:round-open", args=[branch.election.pk, "first"])
    response = client.post(url, {"held_on": DAY.isoformat(), "stations": [branch.place.pk, group.pk]})
    assert "党组织选举在党员大会一处会场投票，请只选择中心会场，不设分投票站和流动票箱。" in response.content.decode()
    assert not Round.objects.exists()
    response = client.post(url, {"held_on": DAY.isoformat(), "stations": [branch.place.pk]})
    assert response.status_code == 302
    assert (Round.objects.get().expected_attendance, Round.objects.get().present) == (50, None)


def test_the_election_page_offers_another_round_only_after_the_decision_for_one(branch, clerk, client):
    """All seats filled: no 另行选举 on offer, the 工作移交 is; a shortfall: only once the office decided on another
    round (the decision, not the count, opens it, LAW.md §4.2)."""
    from ballots.services import party as party_services

    client.force_login(clerk)
    url = reverse("villages:election-detail", args=[branch.election.pk])
    vote(branch, clerk, present=41, votes=[41, 30, 25, 21, 20, 19])
    body = client.get(url).content.decode()
    assert "进入“另行选举”" not in body and "进入“工作移交”前须完成" in body
    party_services.decide_shortfall(by=clerk, election=branch.election, choice="another_round", decided_on=DAY,
                                    today=DAY)
    body = client.get(url).content.decode()
    assert "进入“另行选举”前须完成" in body and "缺额处理决定为就缺额另行选举" in body


def test_a_complete_meeting_offers_the_handover_not_another_round(branch, clerk, client):
    client.force_login(clerk)
    vote(branch, clerk, present=45, votes=[45, 44, 43, 42, 30, 10])
    body = client.get(reverse("villages:election-detail", args=[branch.election.pk])).content.decode()
    assert "进入“另行选举”" not in body
    assert "进入“工作移交”前须完成" in body and "新一届村党组织委员会已选出" in body


def test_the_seats_card_shows_the_seats_after_a_reduction_with_the_decision(branch, clerk, client):
    from ballots.services import party as party_services

    client.force_login(clerk)
    url = reverse("villages:election-detail", args=[branch.election.pk])
    assert text(page(client, url).find(id="party-seats")).startswith(
        "书记 1 名，副书记 1 名，其他委员 3 名，委员合计 5 名。")
    vote(branch, clerk, present=41, votes=[41, 30, 25, 21, 20, 19])
    party_services.decide_shortfall(by=clerk, election=branch.election, choice="reduce", decided_on=DAY, today=DAY,
                                    upper_consent="青山镇党委〔2026〕12号", meeting_for=21, meeting_present=41)
    assert text(page(client, url).find(id="party-seats")).startswith(
        "书记 1 名，副书记 1 名，其他委员 2 名，委员合计 4 名。 2026年11月20日缺额处理决定减少名额：应选5名减少至4名"
        "（上级党组织同意：青山镇党委〔2026〕12号；党员大会实到会41名中21名同意）。")


def test_the_meetings_tally_sheet_lists_the_candidates_in_stroke_order_with_the_attendance(branch, clerk, client):
    """党员大会选举计票统计表: 应到会 and 实到会, ballots, 赞成/不赞成/弃权 per candidate in surname-stroke order
    (丁 2 strokes; 方 and 王 4, by code point; 刘 6; 张 and 李 7, by code point), the winning line, the signatures."""
    from voters.models import Voter

    for member, name in zip(branch.m[:6], ("王五", "丁一", "李四", "方六", "张三", "刘七"), strict=True):
        Voter.objects.filter(pk=member.pk).update(name=name)
    client.force_login(clerk)
    blank = client.get(reverse("ballots:tally-sheet-blank", args=[branch.election.pk, branch.round.pk]))
    assert "%E5%85%9A%E5%91%98%E5%A4%A7%E4%BC%9A%E8%AE%A1%E7%A5%A8%E7%BB%9F%E8%AE%A1%E8%A1%A8.pdf" in (
        blank["Content-Disposition"])  # 东山村党员大会计票统计表.pdf
    keep("party_tally_sheet_blank.pdf", blank)
    body = pdf_text(blank)
    assert body.startswith("中共东山村支部委员会第八届委员会换届选举党员大会选举计票统计表第1轮正式选举")
    assert "应选委员5名应到会党员50名实到会有选举权的党员名发出选票张收回选票张有效票张无效票张" in body
    assert ("序号候选人姓名（按姓氏笔画为序）赞成票（○）不赞成票（×）弃权票（未划符号）"
            "1丁一2方六3王五4刘七5张三6李四另选他人：另选他人：另选他人：合计赞成票合计不得多于有效票数乘以应选名额") in body
    assert "总监票人（签名）：监票人（签名）：计票人（签名）：" in body and "村民委员会" not in body
    vote(branch, clerk, present=45, votes=[45, 44, 43, 42, 30, 10])
    filled = client.get(reverse("ballots:tally-sheet", args=[branch.election.pk, branch.round.pk, branch.place.pk]))
    keep("party_tally_sheet.pdf", filled)
    body = pdf_text(filled)
    assert "应到会党员50名实到会有选举权的党员45名发出选票45张收回选票45张有效票45张无效票0张" in body
    assert "超过实到会有选举权的党员的半数（本次至少23票）始得当选" in body
    assert "1丁一442方六423王五454刘七105张三306李四43合计214赞成票合计不得多于有效票数乘以应选名额（45×5＝225）" in body
