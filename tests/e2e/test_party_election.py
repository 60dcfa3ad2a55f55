"""One village's 村党组织换届选举 end to end in the browser (issue 12), each role doing its part.

青山镇 (the unit tests' township) has its village committee round of term 12 open (E = 2027-01-16, 东山村's
register of 40 villagers, built with the builders). Then:

- the township clerk opens the Party round (term 8, the national preset, 党员大会 on 2026-11-20);
- 东山村's liaison officer imports the 党员名册 (13 full members, one of them under 留党察看, and one probationary
  member) through the import page, and records one full member working away as not counted in 应到会;
- the clerk sets the branch committee's posts (书记 1, 副书记 1, 委员 3), records the 乡镇党委's approval, and moves
  the election through 党员名册登记 to 候选人推荐和提名;
- 两票制: the villagers' 信任投票 on the village committee round's register (40), the 乡镇党委's review, the formal
  list of 6 published (the election moves to 党员大会选举), its PDF;
- the 党员大会: the meeting place, the first round (应到会 11), 实到会 10, the tally; one candidate at exactly half is
  not elected, the shortfall decided by reducing the seats to 4; the results announced; the new committee
  elects the 书记 and 副书记; the results report and the report to the township Party committee (PDFs), the
  党员大会's tally sheet;
- the clerk certifies the results, records the 工作移交 (the Party fee accounts, the seal) and the election is
  archived, its records filed;
- the township supervisor reads the township's 两委 report: the branch figures are this election's.

Screenshots and the PDFs' pages: test-artifacts/screenshots/party-*.png.
"""

from __future__ import annotations

import subprocess
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from ballots.models import PollingStation, Round
from candidates.models import Candidate
from tests.builders import PARTY_HEADER, make_campaign, make_voters, party_member_row, preset
from tests.voters import workbooks as wb
from villages.models import Election

from .conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "Test#Pass2026"
E = date(2026, 11, 20)
NAMES = ["王建国", "李秀英", "张伟", "刘洋", "陈静", "杨光", "赵磊", "黄敏", "周强", "吴芳", "徐明", "孙丽", "马超", "朱平"]
# Rows of the 党员名册: 13 full members (马超 under 留党察看) and 朱平, a probationary member.
ROWS = ([party_member_row(n, 姓名=name) for n, name in enumerate(NAMES[:12], start=1)]
        + [party_member_row(13, 姓名="马超", 处分或强制措施="留党察看"), party_member_row(14, 姓名="朱平", 党员类别="预备党员")])
CONFIDENCE = {"王建国": 35, "李秀英": 33, "张伟": 31, "刘洋": 30, "陈静": 28, "杨光": 26, "赵磊": 25, "黄敏": 12}
FORMAL = ["王建国", "李秀英", "张伟", "刘洋", "陈静", "杨光"]
MEETING = {"王建国": 10, "李秀英": 9, "张伟": 8, "刘洋": 7, "陈静": 5, "杨光": 3}


class Run:
    def __init__(self, page, url, clock, tmp):
        self.page, self.url, self.clock, self.tmp = page, url, clock, tmp

    def at(self, day: date, hour: int = 10) -> None:
        """Move the clock; sessions expire over days, so the same person signs in again."""
        self.clock.move_to(datetime.combine(day, time(hour), tzinfo=SHANGHAI))
        if getattr(self, "user", None):
            self.sign_in(self.user)

    def sign_in(self, username: str) -> None:
        self.user = username
        page = self.page
        page.context.clear_cookies()
        page.goto(f"{self.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{self.url}/")

    def go(self, path: str, status: int = 200):
        response = self.page.goto(self.url + path)
        assert response.status == status, (path, response.status)
        return self.page

    def submit(self, values: dict, button: str | None = None) -> None:
        """Fill the form holding the first field (text, select, radio or checkboxes) and press its button."""
        page = self.page
        (self.tmp.parent / "last-page.html").write_text(page.content())
        first = next(iter(values))
        form = page.locator(f'form:has([name="{first}"])').first
        for name, value in values.items():
            field = form.locator(f'[name="{name}"]')
            kind = field.first.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
            if kind.startswith("select"):
                field.select_option(str(value))
            elif kind.endswith(":radio"):
                form.locator(f'[name="{name}"][value="{value}"]').check()
            elif kind.endswith(":checkbox"):
                for item in value:
                    form.locator(f'[name="{name}"][value="{item}"]').check()
            else:
                field.fill(str(value))
        (form.get_by_role("button", name=button) if button else form.locator("button:not([type=button]), input[type=submit]")).first.click()
        page.wait_for_load_state()
        problems = page.locator(".invalid-feedback, .errorlist, .alert-danger, .alert-error")
        assert not problems.count() or not problems.first.is_visible(), problems.all_inner_texts()

    PREFIX = "party"  # of the screenshots' and PDF pages' file names

    def shoot(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"{self.PREFIX}-{name}.png"), full_page=True)

    def pdf(self, path: str, name: str) -> str:
        """GET a PDF with the signed-in session, keep its pages as PNGs; its text without spaces."""
        response = self.page.request.get(self.url + path)
        assert response.status == 200 and response.headers["content-type"] == "application/pdf", (path, response.status)
        target = self.tmp / f"{name}.pdf"
        target.write_bytes(response.body())
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-l", "2", str(target), str(ARTIFACTS / f"{self.PREFIX}-{name}")],
                       check=True)
        out = subprocess.run(["pdftotext", "-layout", str(target), "-"], check=True, capture_output=True, text=True)
        return "".join(out.stdout.split())

    def text(self, selector: str) -> str:
        return " ".join(self.page.locator(selector).first.inner_text().split())


def flash(page):
    return page.locator(".alert-success.alert-dismissible")


@pytest.fixture
def run(transactional_db, page, live_server, time_machine, tmp_path, township, village_a, village_b, clerk, liaison_a,
        supervisor):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    clock = time_machine
    clock.move_to(datetime(2026, 10, 5, 9, tzinfo=SHANGHAI))  # the day the clerk opens the Party round
    committee = make_campaign(township=township, by=clerk, term_number=12)  # the 两委 round's village committee half
    make_voters(election=committee.elections.get(village=village_a), count=40)
    page.set_default_timeout(8000)
    return Run(page, live_server.url, clock, tmp_path)


def test_a_village_party_election_end_to_end(run, township, village_a):
    page = run.page
    # The preset exists before the form is shown (a transactional test before this one may have flushed it).
    branch_preset = preset("CPC_BRANCH_2020_NATIONAL")
    # ---- the township clerk opens the Party round
    run.sign_in("clerk")
    run.go("/campaigns/new/?kind=party_branch")
    run.submit({"township": township.pk, "term_number": 8, "preset": branch_preset.pk,
                "default_election_day": E.isoformat()})
    expect(page.locator("h1")).to_contain_text("青山镇第8届村党组织换届选举")
    election = Election.objects.get(campaign__election_type="party_branch", village=village_a)
    pk = election.pk

    # ---- 东山村's liaison officer imports the register and records an excusal
    run.at(date(2026, 10, 6))
    run.sign_in("liaison_a")
    run.go(f"/elections/{pk}/voters/import/")
    path = wb.write_workbook(run.tmp / "东山村党员名册.xlsx", [PARTY_HEADER, *ROWS], title="党员名册")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="上传并检查").click()
    page.get_by_role("button", name="确认导入").click()
    expect(flash(page)).to_contain_text("已导入")
    run.at(date(2026, 10, 16))
    run.go(f"/elections/{pk}/party-members/excusals/new/")
    member = election.voters.get(name="孙丽").pk
    run.submit({"member": member, "category": "away", "facts": "2025年3月起在外省务工，组织关系未转出",
                "upper_consent_on": "2026-10-08", "upper_consent_ref": "青山镇党委批复〔2026〕12号",
                "meeting_on": "2026-10-15", "votes_for": 9, "votes_against": 1, "votes_abstained": 0})
    run.go(f"/elections/{pk}/party-members/")
    run.shoot("01-register")

    # ---- the clerk: the posts, the approval, 党员名册登记 → 候选人推荐和提名
    run.sign_in("clerk")
    run.go(f"/elections/{pk}/setup/")
    run.submit({"seats_vice_chair": 1, "seats_member": 3})
    run.go(f"/elections/{pk}/plan-approval/")
    run.submit({"plan_approved_on": "2026-10-16", "plan_approval_ref": "青山镇党委〔2026〕30号"})
    assert run.text("#party-meeting").startswith("党员 14 名 正式党员 13 名 有选举权的党员 12 名 应到会 11 名")
    page.get_by_role("button", name="进入“党员名册登记”").click()
    expect(flash(page)).to_contain_text("党员名册登记")
    page.get_by_role("button", name="进入“候选人推荐和提名”").click()
    expect(page.locator(".stage-track .current")).to_have_text("3 候选人推荐和提名")
    run.shoot("02-election-nomination")
    page.get_by_role("link", name="3 候选人推荐和提名").click()  # the pipeline's board
    assert page.url.endswith(f"/elections/{pk}/candidates/")

    # ---- 两票制: the 信任投票 on the village committee round's register, the review, the formal list
    run.go(f"/elections/{pk}/candidates/party/method/")
    run.submit({"method": "two_ballots", "formal_candidates": 6})
    run.at(date(2026, 10, 20))
    run.go(f"/elections/{pk}/candidates/party/stages/confidence_vote/")
    ids = dict(election.voters.values_list("name", "pk"))
    run.submit({"held_on": "2026-10-20", "basis": "village_register", "ballots_issued": 40, "ballots_returned": 38}
               | {f"votes_{ids[n]}": v for n, v in CONFIDENCE.items()})
    expect(flash(page)).to_contain_text("收回38张")
    run.shoot("03-confidence-vote")
    run.at(date(2026, 10, 28))
    run.go(f"/elections/{pk}/candidates/party/review/")
    run.submit({"reviewed_on": "2026-10-28", "reviewed_by_body": "中共青山镇委员会", "review_reference": "青组〔2026〕8号",
                f"passed_{ids['赵磊']}": "no", f"reason_{ids['赵磊']}": "本人书面申请不作为人选"})
    expect(flash(page)).to_contain_text("通过6名，未通过1名")
    run.at(date(2026, 11, 5))
    run.go(f"/elections/{pk}/candidates/publish/")
    run.submit({"published_on": "2026-11-05", "members": [str(ids[n]) for n in FORMAL]})
    expect(flash(page)).to_contain_text("已公布正式候选人名单")
    run.shoot("04-formal-list")
    listing = run.pdf(f"/elections/{pk}/candidates/list.pdf", "05-formal-list")
    assert all(name in listing for name in FORMAL) and "赵磊" not in listing
    stored = Election.objects.get(pk=pk)
    assert (stored.stage, stored.candidate_list_published_on) == ("voting", date(2026, 11, 5))
    assert sorted(Candidate.objects.filter(election=stored).values_list("post", flat=True)) == ["member"] * 6

    # ---- the 党员大会
    run.at(E, 9)
    run.go(f"/elections/{pk}/stations/new/")
    run.submit({"kind": "central", "name": "东山村党员大会会场"})
    run.go(f"/elections/{pk}/rounds/new/first/")
    place = PollingStation.objects.get(election=stored).pk
    run.submit({"held_on": E.isoformat(), "stations": [str(place)]})
    round_pk = Round.objects.get(election=stored).pk
    assert run.text("#party-attendance").startswith("党员大会应到会 11 名（据党员名册）")
    run.go(f"/elections/{pk}/rounds/{round_pk}/attendance/")
    run.submit({"present": 10})
    run.go(f"/elections/{pk}/rounds/{round_pk}/stations/{place}/tally/")
    run.submit({"issued": 10, "returned": 10, "valid": 10, "invalid": 0}
               | {f"member__c{ids[n]}": v for n, v in MEETING.items()}, button="确认")
    run.at(E, 17)
    run.go(f"/elections/{pk}/results/")
    assert run.text("#result-status") == (
        "须另行选举：党员大会已选出委员4名，尚缺1名，缺额不从得票未过半数的人中递补，须决定另行选举或减少名额。")
    run.shoot("06-results-shortfall")
    run.go(f"/elections/{pk}/results/shortfall/")
    run.submit({"choice": "reduce", "decided_on": E.isoformat(), "upper_consent": "青山镇党委同意〔2026〕41号",
                "meeting_for": 9, "meeting_present": 10})
    run.go(f"/elections/{pk}/results/announce/")
    run.submit({"on": E.isoformat()})
    run.go(f"/elections/{pk}/results/")
    assert run.text("#result-status").startswith("选举完成：党员大会应选委员4名，已全部选出")
    run.go(f"/elections/{pk}/results/committee-posts/")
    run.submit({"post": "secretary", "held_on": E.isoformat(), "returned": 4, f"v{ids['王建国']}": 4})
    run.go(f"/elections/{pk}/results/committee-posts/")
    run.submit({"post": "deputy_secretary", "held_on": E.isoformat(), "returned": 4, f"v{ids['李秀英']}": 3})
    run.go(f"/elections/{pk}/results/")
    holders = [" ".join(r.split()) for r in page.locator("#party-holders tbody tr").all_inner_texts()]
    assert [h.split()[:2] for h in holders] == [["书记", "王建国"], ["副书记", "李秀英"], ["委员", "张伟"], ["委员", "刘洋"]]
    run.shoot("07-results")
    report = run.pdf(f"/elections/{pk}/results/report.pdf", "08-results-report")
    assert "有选举权的到会党员10名，超过应到会11名的五分之四（至少9名），可以进行选举。" in report
    assert "王建国得赞成票4票，超过支部委员会委员4名的半数（至少3票），当选书记。" in report
    upper = run.pdf(f"/elections/{pk}/results/upper-report.pdf", "09-upper-report")
    assert "关于中共东山村支部委员会第八届委员会换届选举结果的报告" in upper
    sheet = run.pdf(f"/elections/{pk}/rounds/{round_pk}/stations/{place}/tally-sheet.pdf", "09b-tally-sheet")
    assert "党员大会选举计票统计表" in sheet and "应到会党员11名" in sheet
    run.go(f"/elections/{pk}/")
    # The announcement formed the committee: the election is at its 工作移交, the archive's.
    expect(page.locator(".stage-track .current")).to_have_text("6 工作移交")
    expect(page.locator(".stage-unserved")).to_have_count(0)
    run.shoot("10-election-after")
    page.get_by_role("link", name="4–5 党员大会选举与选举结果").click()
    assert page.url.endswith(f"/elections/{pk}/rounds/")

    # ---- the clerk certifies the results, records the 工作移交 and the election is archived
    run.go(f"/elections/{pk}/")
    page.get_by_role("link", name="认定选举结果").click()
    expect(page.locator("main")).to_contain_text("认定后，该村党员名册、候选人、党员大会计票和选举结果均锁定")
    page.check("#id_confirm")
    page.get_by_role("button", name="认定选举结果").click()
    expect(flash(page)).to_contain_text("选举结果已认定，该村党员名册、候选人、党员大会计票和选举结果均已锁定。")
    page.get_by_role("link", name="6 工作移交").click()
    assert run.text("#handover-deadline") == "移交期限：没有法定期限，新一届村党组织委员会产生后移交； 尚未完成。"
    run.submit({"kind": "finance", "description": "2021年至2026年党费收缴、使用和管理账目1册", "handed_over_by": "周强",
                "received_by": "王建国", "handed_on": E.isoformat()})
    run.submit({"kind": "seal", "description": "中共东山村支部委员会印章1枚", "handed_over_by": "周强",
                "received_by": "王建国", "handed_on": E.isoformat()})
    run.submit({"on": E.isoformat()}, button="完成移交")
    expect(flash(page)).to_contain_text("工作移交已完成，选举进入归档阶段。")
    items = [" ".join(r.split()) for r in page.locator("#handover-items tbody tr").all_inner_texts()]
    assert [i.split()[0] for i in items] == ["党费收缴、使用和管理账目", "党组织印章"], items
    run.shoot("13-handover")
    run.go(f"/elections/{pk}/")
    expect(page.locator(".stage-track .current")).to_have_text("7 归档")
    page.get_by_role("link", name="7 选举档案").click()
    page.get_by_role("button", name="生成归档文件").click()  # the handover list, recorded after certification
    run.go(f"/elections/{pk}/archive/")
    titles = page.locator("#archive-documents tbody tr td:first-child a").all_inner_texts()
    assert titles == ["东山村党组织正式候选人名单", "东山村党员大会计票统计表（第1轮 正式选举）", "东山村党组织换届选举结果报告单",
                      "东山村党组织换届选举结果的报告", "东山村党组织工作移交清单"], titles
    run.shoot("14-archive")
    stored = Election.objects.get(pk=pk)
    assert (stored.stage, stored.is_certified, stored.handover_completed_on) == ("archived", True, E)

    # ---- the township supervisor reads the 两委 report
    run.sign_in("supervisor")
    run.go(f"/reports/two-committees/township/{township.code}/")
    run.shoot("11-two-committees")
    # 东山村's branch: 5 seats less the one reduced, all 4 elected; 西岭村 has not voted yet (3 seats).
    assert run.text("#narrative-branch").startswith("全镇2个村村党组织委员会7名职数已选出4名（57.1%）；妇女1名，占25.0%")
    rows = [" ".join(r.split()) for r in page.locator("table:has-text('党组织职数') tbody tr").all_inner_texts()]
    assert rows[0].startswith("东山村 4 4"), rows
    page.click("#village-links >> text=东山村")
    holders = [" ".join(r.split()) for r in page.locator("#side-branch tbody tr").all_inner_texts()]
    assert [h.split()[:2] for h in holders] == [["书记", "王建国"], ["副书记", "李秀英"], ["委员", "张伟"], ["委员", "刘洋"]], holders
    run.shoot("12-two-committees-village")
