"""The rehearsal (演练): one township's round of elections run end to end in a real browser by each role.

石门乡 has three villages and no round. The office (周敏, 何丽) opens the round, sets seats and election
days and forms 石门村's election committee; the liaison officer (吴志刚) imports 石门村's messy voter
workbook, fixes it from the marked-up copy and files an appeal and a proxy; the office publishes the
list, decides the appeal, approves the proxy, takes nominations to a published candidate list, counts
the ballots twice (双人录入) and settles the difference, announces a first result that leaves the
women's seat to a runoff (另行选举), counts and announces the runoff and certifies; the supervisor
(孙建国) exports the township report to Excel and PDF, whose figures are checked against what was
typed, and the county supervisor (钱文华) gets the county workbook through the task worker. The server's
clock is moved from step to step (time-machine), so every deadline is the real one: D = 2027-01-16.
Screenshots: test-artifacts/screenshots/rehearsal-NN-….png.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from villages.models import Election
from voters.idnumber import mask_id_number
from voters.models import Voter

from .conftest import ARTIFACTS
from .rehearsal_steps import (
    BY_NAME,
    ELECTION_DAY,
    FIRST_DATA_ROW,
    GROUPS,
    MINOR,
    PEOPLE,
    REGISTERED,
    Stage,
    advance,
    build_township,
    corrected_workbook,
    download,
    expect_findings,
    fill_tally,
    flash,
    import_count,
    issue_table,
    messy_list,
    open_village,
    upload,
)

pytestmark = pytest.mark.e2e

D = ELECTION_DAY
POSTPONED_TO = D + timedelta(days=7)  # 枫林村's day (顺延)
LIST_PUBLISHED_ON = date(2026, 12, 20)  # D − 27, before the D − 20 deadline
APPEAL_WINDOW_DAYS = 5  # 浙江: within five days of publication (OL §14), the day itself not counted
COMMITTEE = [("黄志明", "男", "主任"), ("吴秀英", "女", "委员"), ("郑国强", "男", "委员"), ("冯丽娟", "女", "委员"),
             ("钱建华", "男", "委员")]
SEATS = {"chair": 1, "member": 2, "woman_member": 1}  # 委员 3 seats = 委员 2 + 妇女委员 1 (浙江)
POST_LABELS = {"chair": "主任", "member": "委员", "woman_member": "妇女委员"}
CANDIDATES = [  # name, post, nomination votes
    ("陈立新", "chair", 16), ("王国平", "chair", 9),
    ("赵建军", "member", 14), ("孙志强", "member", 12), ("周海涛", "member", 7),
    ("李秀梅", "woman_member", 13), ("张丽华", "woman_member", 8),
]
APPEAL_SUBJECT, PROXY_PRINCIPAL, PROXY_HOLDER = "周大勇", "刘海波", "刘芳"
ON_THE_LIST = [v for v in REGISTERED if v.name != APPEAL_SUBJECT]  # on election day, after the appeal
# The first ballot as counted at the central meeting (the paper sheet), and each clerk's typing of it.
FIRST_BALLOT = {
    "issued": 25, "returned": 24, "valid": 24, "invalid": 0,
    "votes": {"chair": {"陈立新": 15, "王国平": 7}, "member": {"赵建军": 16, "孙志强": 14, "周海涛": 8},
              "woman_member": {"李秀梅": 11, "张丽华": 9}},
    "abstentions": {"chair": 2, "member": 2, "woman_member": 4},
}
FIRST_ENTRY = {**FIRST_BALLOT, "issued": 26}  # 周敏 mistypes the ballots issued
SECOND_ENTRY = {**FIRST_BALLOT, "votes": {**FIRST_BALLOT["votes"], "member": {"赵建军": 16, "孙志强": 13, "周海涛": 9}}}
RUNOFF = {
    "issued": 23, "returned": 23, "valid": 23, "invalid": 0,
    "votes": {"woman_member": {"李秀梅": 15, "张丽华": 6}}, "abstentions": {"woman_member": 2},
}


@pytest.fixture
def stage(transactional_db, page, live_server, sign_in, time_machine, tmp_path):
    for old in ARTIFACTS.glob("rehearsal-*.png"):  # the screenshots show this run only
        old.unlink()
    build_township()
    return Stage(page=page, url=live_server.url, clock=time_machine, sign_in_as=sign_in, tmp=tmp_path)


def test_township_rehearsal(stage):
    try:
        rehearse(stage)
    except BaseException:
        stage.page.screenshot(path=str(ARTIFACTS / "rehearsal-failure.png"), full_page=True)
        raise


def rehearse(s: Stage) -> None:
    open_the_round(s)
    register_voters(s)
    publish_the_list(s)
    file_appeal_and_proxy(s)
    decide_appeal_and_approve_proxy(s)
    nominate_candidates(s)
    publish_candidate_list(s)
    count_the_first_ballot(s)
    hold_the_runoff(s)
    certify(s)
    export_the_report(s)
    export_the_county_report(s)


# ---------------------------------------------------------------- 1 准备: the office opens the round


def open_the_round(s: Stage) -> None:
    s.at(date(2026, 11, 20))
    page = s.sign_in("clerk_zhou")
    expect(page.locator("h1")).to_have_text("石门乡换届选举工作台")
    expect(page.locator(".alert-info")).to_contain_text("石门乡尚未开启换届选举。")
    s.shoot("clerk-dashboard-before-the-round")

    page.get_by_role("link", name="开启换届选举").click()
    page.select_option("#id_township", label="石门乡")
    page.fill("#id_term_number", "12")
    page.select_option("#id_preset", label="浙江省村民委员会选举办法（2020）")
    page.fill("#id_default_election_day", D.isoformat())
    s.shoot("clerk-opens-the-round")
    page.get_by_role("button", name="开启换届选举").click()
    expect(flash(page)).to_contain_text("已开启石门乡第12届")
    expect(flash(page)).to_contain_text("共3个村。")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    for name in ("石门村", "溪口村", "枫林村"):
        expect(rows.filter(has_text=name)).to_contain_text(cn(D))

    # 枫林村's meeting hall is under repair on the day: its election moves a week.
    rows.filter(has_text="枫林村").get_by_role("link", name="枫林村").click()
    page.get_by_role("link", name="顺延选举日").click()
    page.fill("#id_new_day", POSTPONED_TO.isoformat())
    page.fill("#id_reason", "村文化礼堂维修，经乡镇同意顺延一周")
    page.get_by_role("button", name="确认顺延").click()
    expect(flash(page)).to_have_text(f"选举日已顺延至{cn(POSTPONED_TO)}。")
    expect(page.locator(".page-header")).to_contain_text(f"原定 {cn(D)}")

    page.get_by_role("link", name="工作台").click()
    open_village(page, "石门村")
    page.get_by_role("link", name="职数与选举委员会").click()
    page.fill("#id_seats_vice_chair", "0")
    page.fill("#id_seats_member", "3")
    expect(page.get_by_label("设妇女委员专职")).to_be_checked()  # 浙江 reserves a women's seat
    page.select_option("#id_committee_chosen_by", label="村民代表会议")
    page.fill("#id_committee_chosen_on", date(2026, 11, 18).isoformat())
    s.shoot("seats-and-committee-choice")
    page.get_by_role("button", name="保存").click()
    expect(flash(page)).to_have_text("职数和选举委员会推选情况已保存。")
    expect(page.get_by_text("主任 1 名，副主任 0 名，委员 3 名（含妇女委员 1 名），合计 4 名。")).to_be_visible()

    for order, (name, sex, position) in enumerate(COMMITTEE, start=1):
        page.get_by_role("link", name="添加成员").click()
        page.fill("#id_name", name)
        page.select_option("#id_sex", label=sex)
        page.select_option("#id_position", label=position)
        page.fill("#id_selection_order", str(order))
        page.get_by_role("button", name="保存").click()
        expect(flash(page)).to_have_text("村民选举委员会成员已保存。")
    committee = page.locator(".card", has=page.get_by_role("link", name="添加成员")).locator("tbody tr")
    expect(committee).to_have_count(len(COMMITTEE))
    checklist = page.locator(".card", has_text="进入“选民登记”前须完成")
    expect(checklist.locator("li")).to_have_text([re.compile(r"^✔")] * 4)
    advance(page, "选民登记")
    expect(page.locator(".stage-track li.current")).to_have_text(re.compile("选民登记"))
    s.shoot("shimen-ready-for-registration")

    page.get_by_role("link", name="工作台").click()
    progress = page.locator("#village-progress tbody tr")
    expect(progress).to_have_count(3)
    expect(progress.filter(has_text="石门村")).to_contain_text("选民登记")
    expect(progress.filter(has_text="枫林村")).to_contain_text(cn(POSTPONED_TO))
    s.shoot("dashboard-round-open")


# ---------------------------------------------------------------- 2 选民登记: the liaison officer imports the list


def register_voters(s: Stage) -> None:
    s.at(date(2026, 12, 1), hour=10)
    page = s.sign_in("liaison_wu")
    expect(page.locator("#village-progress tbody tr")).to_have_count(1)  # 石门村 only
    open_village(page, "石门村")
    expect(page.get_by_role("link", name="职数与选举委员会")).to_have_count(0)  # setup is the office's
    page.get_by_role("link", name="2–4 选民登记、名单公布与申诉").click()
    page.get_by_role("link", name="Excel导入").click()

    messy = messy_list()
    upload(page, messy.save(s.tmp / "石门村选民名单.xlsx"))
    expect(page.locator("#import-outcome")).to_contain_text("没有导入任何数据")
    expect(import_count(page, "rows")).to_have_text(str(len(messy.rows)))
    expect(import_count(page, "error")).to_have_text(str(len({row for row, _c, _code in messy.issues})))
    expect(import_count(page, "errors")).to_have_text(str(len(messy.issues)))
    assert [row[:4] for row in issue_table(page)] == [
        [str(row), column, "错误", code] for row, column, code in messy.issues
    ]
    no_group = "本村没有“第九组”这个村民小组。本村的村民小组有：" + "、".join(GROUPS) + "。"
    expect(page.locator("#import-issues")).to_contain_text(no_group)
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    s.shoot("liaison-reads-import-errors")

    download(page, s.tmp / "annotated.xlsx", link="下载标注错误的工作簿")
    marked = load_workbook(s.tmp / "annotated.xlsx")["选民名单"]
    header = [cell.value for cell in marked[FIRST_DATA_ROW - 1]]
    assert header[-1] == "错误说明"
    notes = {row: marked.cell(row, len(header)).value for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(messy.rows))}
    assert {row for row, note in notes.items() if note} == {row for row, _c, _code in messy.issues}
    for row, _column, code in messy.issues:
        fragment = {"duplicate_in_file": "相同", "id_excel_float": "被Excel存成了数字", "group_unknown": "第九组",
                    "under_age": "未满十八周岁"}[code]
        assert fragment in notes[row], (row, notes[row])

    page.get_by_role("link", name="重新上传").click()
    upload(page, corrected_workbook(s.tmp / "石门村选民名单（改正）.xlsx"))
    expect(page.locator("#import-outcome")).to_contain_text(f"检查通过：将新登记 {len(PEOPLE)} 人，更新 0 人")
    expect(import_count(page, "errors")).to_have_text("0")
    s.shoot("corrected-list-passes")
    page.get_by_role("button", name="确认导入").click()
    expect(flash(page)).to_contain_text(f"已导入：新登记{len(PEOPLE)}人，更新0人，0人无变化。")

    page.locator("#import-outcome").get_by_role("link", name="查看选民名单").click()
    expect(page.locator("#group-counts tbody tr")).to_have_text([  # registered, refused, listed, away
        re.compile(rf"^{group}\s*{sum(v.group == group for v in REGISTERED)}\s*{int(MINOR.group == group)}\s*0\s*"
                   rf"{sum(v.group == group and v.away for v in REGISTERED)}$")
        for group in GROUPS
    ])
    expect(page.locator("#group-counts tfoot tr")).to_have_text(
        re.compile(rf"^合计\s*{len(REGISTERED)}\s*1\s*0\s*{sum(v.away for v in REGISTERED)}$")
    )
    chen = BY_NAME["陈立新"]
    expect(page.locator("#voter-table tbody tr", has_text="陈立新").locator("td").nth(3)).to_have_text(
        mask_id_number(chen.id_number)
    )
    expect(page.locator("#voter-table")).not_to_contain_text(chen.id_number)
    s.shoot("voter-register-after-import")

    # Another village of the township is not the liaison officer's: its pages do not exist for him.
    other = Election.objects.get(village__name="溪口村")
    for url in (reverse("villages:election-detail", args=[other.pk]), reverse("voters:voter-list", args=[other.pk]),
                reverse("voters:import-upload", args=[other.pk])):
        response = s.go(url)
        assert response.status == 404, url
        expect(page.locator("h1")).to_have_text("未找到该页面或记录")
    s.shoot("liaison-gets-404-for-another-village")


# ---------------------------------------------------------------- 3–4 公布名单与申诉


def shimen() -> Election:
    return Election.objects.get(village__name="石门村")


def to_register(page, tab: str | None = None) -> None:
    open_village(page, "石门村")
    page.get_by_role("link", name="2–4 选民登记、名单公布与申诉").click()
    if tab:
        page.locator(".nav-tabs").get_by_role("link", name=tab).click()


def publish_the_list(s: Stage) -> None:
    s.at(LIST_PUBLISHED_ON)
    page = s.sign_in("clerk_zhou")
    to_register(page)
    page.get_by_role("link", name="公布选民名单").click()
    expect(page.locator(".card-body strong")).to_have_text(cn(D - timedelta(days=20)))
    page.fill("#id_published_on", LIST_PUBLISHED_ON.isoformat())
    page.get_by_role("button", name="确认公布选民名单").click()
    expect(flash(page)).to_have_text(f"选民名单已于{cn(LIST_PUBLISHED_ON)}公布，共{len(REGISTERED)}名选民。")
    expect(page.locator("#publication-status")).to_contain_text(
        f"选民名单已于{cn(LIST_PUBLISHED_ON)}张榜公布（公布时登记选民{len(REGISTERED)}人）"
    )
    s.shoot("voter-list-published")


def file_appeal_and_proxy(s: Stage) -> None:
    received = LIST_PUBLISHED_ON + timedelta(days=2)
    s.at(received, hour=15)
    page = s.sign_in("liaison_wu")
    to_register(page, "资格申诉")
    window_end = LIST_PUBLISHED_ON + timedelta(days=APPEAL_WINDOW_DAYS)
    expect(page.get_by_text("申诉期至")).to_contain_text(f"申诉期至 {cn(window_end)}")
    page.get_by_role("link", name="登记申诉").click()
    page.fill("#id_filer_name", "郑秋生")
    page.fill("#id_filer_phone", "13857100999")
    page.select_option("#id_kind", label="错登（不应登记）")
    page.fill("#id_voter", BY_NAME[APPEAL_SUBJECT].id_number)
    page.fill("#id_reason", "周大勇户籍已于2026年10月迁往县城，本人在县城居住，不应在本村登记。")
    page.fill("#id_received_on", received.isoformat())
    s.shoot("liaison-files-an-appeal")
    page.get_by_role("button", name="登记申诉").click()
    expect(flash(page)).to_have_text("申诉已登记，请在法定期限内作出决定。")
    row = page.locator("#appeal-table tbody tr", has_text="郑秋生")
    expect(row).to_contain_text("错登（不应登记）")
    expect(row).to_contain_text(APPEAL_SUBJECT)
    expect(row).to_contain_text("待决定")
    expect(row.locator("td").nth(5)).to_have_text(cn(received + timedelta(days=3)))  # decided within 3 days

    page.locator(".nav-tabs").get_by_role("link", name="委托投票").click()
    page.get_by_role("link", name="登记委托").click()
    page.fill("#id_principal", BY_NAME[PROXY_PRINCIPAL].id_number)
    page.fill("#id_holder", BY_NAME[PROXY_HOLDER].id_number)
    page.select_option("#id_relation", label="配偶")
    page.fill("#id_authorized_on", received.isoformat())
    page.fill("#id_document_ref", "石门委〔2026〕1号")
    page.get_by_role("button", name="登记委托").click()
    expect(flash(page)).to_have_text("委托投票已登记，待村民选举委员会审核。")
    row = page.locator("#proxy-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(re.compile(rf"{PROXY_PRINCIPAL}\s*石门组\s*{PROXY_HOLDER}\s*石门组\s*配偶"))
    expect(row).to_contain_text("待审核")
    s.shoot("liaison-registers-a-proxy")


def decide_appeal_and_approve_proxy(s: Stage) -> None:
    decided = LIST_PUBLISHED_ON + timedelta(days=4)
    s.at(decided)
    page = s.sign_in("clerk_zhou")
    to_register(page, "资格申诉")
    page.get_by_role("link", name="作出决定").click()
    page.get_by_label("申诉成立", exact=True).check()
    page.fill("#id_decision_text", "经村民选举委员会核实，周大勇户籍已迁出本村且不在本村居住，申诉成立，从选民名单中移出。")
    page.fill("#id_decided_on", decided.isoformat())
    page.fill("#id_published_on", decided.isoformat())
    page.select_option("#id_reason_code", label="减：迁出本村")
    s.shoot("clerk-decides-the-appeal")
    page.get_by_role("button", name="记录决定").click()
    expect(flash(page)).to_have_text("已记录处理决定：申诉成立。")
    expect(page.locator(".alert-info.alert-dismissible")).to_have_text("已据此形成第1批名单变更。")
    row = page.locator("#appeal-table tbody tr", has_text="郑秋生")
    expect(row).to_contain_text(f"申诉成立（{cn(decided)}）")
    expect(row).to_contain_text("第1批")

    page.locator(".nav-tabs").get_by_role("link", name="选民名单").click()
    expect(page.locator("#voter-table tbody tr", has_text=APPEAL_SUBJECT)).to_contain_text("已移出")
    # 周大勇 leaves the register as well as the list: 2 not registered (he and the minor).
    expect(page.locator("#group-counts tfoot tr")).to_have_text(
        re.compile(rf"^合计\s*{len(ON_THE_LIST)}\s*2\s*{len(ON_THE_LIST)}\s*{sum(v.away for v in ON_THE_LIST)}$")
    )

    page.locator(".nav-tabs").get_by_role("link", name="委托投票").click()
    page.get_by_role("button", name="审核同意").click()
    expect(flash(page)).to_have_text("已审核同意该委托。")
    page.get_by_role("link", name="公布委托名单").click()
    page.fill("#id_published_on", decided.isoformat())
    page.get_by_role("button", name="登记公布").click()
    expect(flash(page)).to_have_text("委托投票名单已登记公布（本次新公布1件）。")
    expect(page.locator("#proxy-table tbody tr")).to_contain_text(f"已同意（{cn(decided)}）")
    s.shoot("proxy-approved-and-published")


# ---------------------------------------------------------------- 5 提名候选人


def nominate_candidates(s: Stage) -> None:
    window_end = LIST_PUBLISHED_ON + timedelta(days=APPEAL_WINDOW_DAYS)
    s.at(window_end + timedelta(days=3))
    page = s.sign_in("clerk_zhou")
    open_village(page, "石门村")
    advance(page, "申诉处理完毕")
    advance(page, "提名候选人")
    expect(page.locator(".stage-track li.current")).to_have_text(re.compile("提名候选人"))

    today = window_end + timedelta(days=4)
    s.at(today)
    page = s.sign_in("liaison_wu")
    # An appeal handed in after the window is refused, and nothing is saved.
    to_register(page, "资格申诉")
    page.get_by_role("link", name="登记申诉").click()
    page.fill("#id_filer_name", "钱大伯")
    page.select_option("#id_kind", label="错登（不应登记）")
    page.fill("#id_voter", BY_NAME["村民10"].id_number)
    page.fill("#id_reason", "村民10长期不在村。")
    page.fill("#id_received_on", today.isoformat())
    page.get_by_role("button", name="登记申诉").click()
    expect(page.locator("#div_id_received_on")).to_contain_text(
        f"申诉期已于{cn(window_end)}届满（自名单公布之日起{APPEAL_WINDOW_DAYS}日内提出），{cn(today)}收到的申诉不予受理"
    )
    s.shoot("late-appeal-refused")

    page.get_by_role("link", name="工作台").click()
    open_village(page, "石门村")
    page.get_by_role("link", name="5 候选人提名").click()
    election = shimen()
    for name, post, votes in CANDIDATES:
        voter = Voter.objects.get(election=election, name=name)
        page.locator("#nominate-link").click()
        page.select_option("#id_voter", value=str(voter.pk))
        page.select_option("#id_post", label=POST_LABELS[post])
        page.fill("#id_nominated_on", today.isoformat())
        page.fill("#id_nomination_votes", str(votes))
        page.get_by_role("button", name="登记提名").click()
        expect(flash(page)).to_contain_text(f"已登记{name}（{POST_LABELS[post]}）。")
    expect(page.locator("#slate-problems")).to_have_text("各职务候选人均符合差额要求。")
    s.shoot("nominations")


def publish_candidate_list(s: Stage) -> None:
    published = D - timedelta(days=8)
    s.at(published)
    page = s.sign_in("clerk_zhou")
    open_village(page, "石门村")
    page.get_by_role("link", name="5 候选人提名").click()
    page.locator("#publish-link").click()
    page.fill("#id_published_on", published.isoformat())
    page.get_by_role("button", name="公布正式候选人名单").click()
    expect(flash(page)).to_have_text("已按“有候选人（选民直接提名）”公布正式候选人名单，选举进入“投票选举”阶段。")
    expect(page.locator("#publication-status")).to_contain_text(f"已于 {cn(published)} 公布")
    s.shoot("candidate-list-published")


# ---------------------------------------------------------------- 6–7 投票、双人录入与另行选举


def to_ballots(page, tab: str | None = None) -> None:
    open_village(page, "石门村")
    page.get_by_role("link", name="6–7 投票站、计票与选举结果").click()
    if tab:
        page.locator("#ballots-nav").get_by_role("link", name=tab).click()


def to_round(page, label: str) -> None:
    to_ballots(page, "投票轮次与计票")
    page.locator("#round-table").get_by_role("link", name=label).click()


def count_the_first_ballot(s: Stage) -> None:
    s.at(D, hour=7)
    page = s.sign_in("clerk_zhou")
    to_ballots(page, "计票设置")
    page.get_by_label("双人录入核对").check()
    page.get_by_role("button", name="保存").click()
    expect(flash(page)).to_have_text("计票设置已保存。")
    page.get_by_role("link", name="新增投票站 / 流动票箱").click()
    page.select_option("#id_kind", label="中心会场")
    page.fill("#id_name", "中心会场")
    page.fill("#id_location", "石门村文化礼堂")
    page.fill("#id_assigned_voters", str(len(ON_THE_LIST)))
    page.fill("#id_staff_names", "黄志明\n吴秀英\n郑国强")
    page.get_by_role("button", name="保存").click()
    expect(flash(page)).to_have_text("投票站“中心会场”已保存。")

    page.locator("#ballots-nav").get_by_role("link", name="投票轮次与计票").click()
    page.locator("#next-actions").get_by_role("link", name="开启正式选举").click()
    page.fill("#id_held_on", D.isoformat())
    page.get_by_role("button", name="开启本轮").click()
    expect(flash(page)).to_contain_text("已开启第1轮 正式选举")
    expect(page.locator("#round-candidates li")).to_have_count(len(CANDIDATES))

    # The count is over at noon: 周敏 types the sheet (and mistypes the ballots issued)…
    s.at(D, hour=12)
    page = s.sign_in("clerk_zhou")
    to_round(page, "第1轮 正式选举")
    page.locator("#tally-table").get_by_role("link", name="录入").click()
    fill_tally(page, FIRST_ENTRY)
    expect(flash(page)).to_have_text("中心会场的计票结果已提交，等待另一人录入后核对。")
    s.shoot("first-entry-submitted")

    # …何丽 types it again without seeing the first entry (and swaps two members' votes).
    page = s.sign_in("clerk_he")
    to_round(page, "第1轮 正式选举")
    page.locator("#tally-table").get_by_role("link", name="录入").click()
    expect(page.get_by_text("第二次录入（与第一次录入人不同，请勿参看第一次录入的数字）")).to_be_visible()
    expect(page.locator("#id_issued")).to_have_value("")
    fill_tally(page, SECOND_ENTRY)
    row = page.locator("#tally-table tbody tr", has_text="中心会场")
    expect(row).to_contain_text("两次录入不一致，待核对")
    s.shoot("second-entry-differs")

    # 周敏 compares both entries with the paper sheet and settles each difference.
    page = s.sign_in("clerk_zhou")
    to_round(page, "第1轮 正式选举")
    page.locator("#tally-table").get_by_role("link", name="核对差异").click()
    # What each typed differently, and what the paper sheet says.
    first, second, paper = FIRST_ENTRY["votes"]["member"], SECOND_ENTRY["votes"]["member"], FIRST_BALLOT["votes"]["member"]
    differences = [("发出选票", FIRST_ENTRY["issued"], SECOND_ENTRY["issued"], FIRST_BALLOT["issued"])] + [
        (f"委员.{name}得票", first[name], second[name], paper[name]) for name in first if first[name] != second[name]
    ]
    expect(page.locator("#compare-table tbody tr.table-danger")).to_have_text(
        [re.compile(rf"^{label}\s*{a}\s*{b}$") for label, a, b, _paper in differences]
    )
    for _label, a, _b, right in differences:
        page.get_by_label(f"{'第一次录入' if a == right else '第二次录入'}：{right}", exact=True).check()
    s.shoot("clerk-settles-the-difference")
    page.get_by_role("button", name="按所选数字确认计票结果").click()
    expect(flash(page)).to_have_text("中心会场两次录入的差异已核对，计票结果已确认。")
    expect(page.locator("#tally-table")).to_contain_text("✔ 已确认")

    page.locator("#ballots-nav").get_by_role("link", name="选举结果").click()
    registered, voted = len(ON_THE_LIST), FIRST_BALLOT["returned"]
    elected = elected_in(FIRST_BALLOT, runoff=False)
    missing = sum(SEATS.values()) - len(elected)
    expect(page.locator("#result-status")).to_have_text(
        f"须另行选举：已选出{len(elected)}名成员，尚缺{missing}名，须另行选举。"
    )
    # One sentence per candidate, in the order of the sheet, then the women's seat left to a runoff.
    winners = {name for name, _post, _votes in elected}
    per_candidate = [
        f"{name}得票{votes}票，{'超过' if name in winners else '未超过'}参加投票{voted}人的半数，"
        f"{'当选' if name in winners else '未当选'}{POST_LABELS[post]}"
        for post, by_name in FIRST_BALLOT["votes"].items() for name, votes in by_name.items()
    ]
    woman = FIRST_BALLOT["votes"]["woman_member"]
    expect_findings(page, 1, [
        f"参加投票人数{voted}人，超过登记选民{registered}人的半数，选举有效",
        *per_candidate,
        "妇女委员应选1名，当选0名，尚缺1名，须另行选举",
        f"另行选举妇女委员1名，候选人为李秀梅（{woman['李秀梅']}票）、张丽华（{woman['张丽华']}票）共2人",
    ])
    s.shoot("first-ballot-results-runoff-needed")

    page.locator("#next-actions").get_by_role("link", name="公布选举结果").click()
    page.fill("#id_on", D.isoformat())
    page.get_by_role("button", name="公布选举结果").click()
    expect(flash(page)).to_have_text(f"选举结果已公布，共{len(elected)}名新当选人记入当选名单。")
    expect(page.locator(".page-header")).to_contain_text("当前阶段：另行选举")


def hold_the_runoff(s: Stage) -> None:
    s.at(D, hour=14)
    page = s.sign_in("clerk_zhou")
    to_ballots(page, "选举结果")
    page.locator("#next-actions").get_by_role("link", name="开启另行选举").click()
    expect(page.locator("#round-setup")).to_contain_text("得票不少于已投选票总数的1/3方可当选")
    for name, votes in FIRST_BALLOT["votes"]["woman_member"].items():  # women only, both suggested
        expect(page.get_by_label(f"{name}（女，上一轮{votes}票）")).to_be_checked()
    page.fill("#id_held_on", D.isoformat())
    s.shoot("runoff-opening")
    page.get_by_role("button", name="开启本轮").click()
    expect(flash(page)).to_contain_text("已开启第2轮 另行选举")

    s.at(D, hour=16)
    for clerk, message in (("clerk_zhou", "中心会场的计票结果已提交，等待另一人录入后核对。"),
                           ("clerk_he", "中心会场两次录入一致，计票结果已确认。")):  # the same numbers this time
        page = s.sign_in(clerk)
        to_round(page, "第2轮 另行选举")
        page.locator("#tally-table").get_by_role("link", name="录入").click()
        fill_tally(page, RUNOFF)
        expect(flash(page)).to_have_text(message)
    expect(page.locator("#tally-table")).to_contain_text("✔ 已确认")
    s.shoot("runoff-double-entry-matches")

    page.locator("#ballots-nav").get_by_role("link", name="选举结果").click()
    seats = sum(SEATS.values())
    expect(page.locator("#result-status")).to_contain_text(f"选举完成：村民委员会应选{seats}名，已全部选出。")
    cast = RUNOFF["returned"]
    expect_findings(page, 2, [
        *(f"{name}得票{votes}票，{'不少于' if 3 * votes >= cast else '少于'}已投选票总数{cast}张的三分之一，"
          f"{'当选' if 3 * votes >= cast else '未当选'}妇女委员"
          for name, votes in RUNOFF["votes"]["woman_member"].items()),
        f"村民委员会应选{seats}名，已全部选出",
    ])
    page.locator("#next-actions").get_by_role("link", name="公布选举结果").click()
    page.fill("#id_on", D.isoformat())
    page.get_by_role("button", name="公布选举结果").click()
    expect(flash(page)).to_have_text("选举结果已公布，共1名新当选人记入当选名单。")
    expect(page.locator(".page-header")).to_contain_text("当前阶段：工作移交")
    members = page.locator("#announced-members tbody tr")
    expect(members).to_have_count(seats)
    for name, post, votes in elected_members():
        expect(members.filter(has_text=name)).to_contain_text(re.compile(rf"{name}\s*{POST_LABELS[post]}\s*{votes}"))
    s.shoot("final-results-announced")


# ---------------------------------------------------------------- 认定选举结果


def certify(s: Stage) -> None:
    s.at(D + timedelta(days=1))
    page = s.sign_in("clerk_zhou")
    open_village(page, "石门村")
    page.get_by_role("link", name="认定选举结果").click()
    expect(page.locator("#checklist tbody tr")).to_have_count(2)
    expect(page.locator("#result-status")).to_contain_text(f"当选{sum(SEATS.values())}人")
    page.get_by_label("我已核对上述清单和选举结果，确认认定").check()
    s.shoot("clerk-certifies")
    page.get_by_role("button", name="认定选举结果").click()
    expect(flash(page)).to_have_text("选举结果已认定，该村选民、候选人、计票和结果均已锁定。")
    expect(page.get_by_text(re.compile(rf"结果已认定（{cn(D + timedelta(days=1))} \d\d:\d\d）"))).to_be_visible()
    s.shoot("results-certified")
    # Certifying filed the village's records into the archive (the task runs at once in tests).
    page.get_by_role("link", name="9 选举档案").click()
    records = page.locator("#archive-documents tbody tr")
    expect(records).to_have_count(8)
    for title in ("石门村选民名单", "石门村选民增减名单（第1批）", "石门村选民资格申诉及处理决定", "石门村委托投票名单",
                  "石门村正式候选人名单", "石门村选举结果报告单"):
        expect(page.locator("#archive-documents")).to_contain_text(title)
    expect(records.filter(has_text="计票结果报告单")).to_have_count(2)  # the first ballot and the runoff
    s.shoot("archive-after-certification")
    # The certified register refuses changes, with the reason.
    response = page.goto(f"{s.url}/elections/{shimen().pk}/voters/new/")
    assert response.status == 403
    expect(page.locator("main")).to_contain_text("该村选举结果已认定")


# ---------------------------------------------------------------- the report


@dataclass(frozen=True)
class Expected:
    """The township report's figures, worked out from what the rehearsal typed."""

    villages: int
    villages_voted: int  # the others have no confirmed first-ballot tally: 尚未投票, left out of the bases
    registered: int
    voted: int
    by_proxy: int
    away: int
    seats: int
    elected: int
    women: int
    party: int
    under_50: int
    average_age: Fraction
    college: int
    men: int
    high_school_or_more: int

    @property
    def turnout(self) -> str:
        return percent(self.voted, self.registered)


def expected_figures() -> Expected:
    members = [BY_NAME[name] for name, _post, _votes in elected_members()]
    ages = [age_on(m.born, D) for m in members]
    return Expected(
        villages=3, villages_voted=1, registered=len(ON_THE_LIST), voted=FIRST_BALLOT["returned"], by_proxy=1,
        away=sum(v.away for v in ON_THE_LIST), seats=sum(SEATS.values()), elected=len(members),
        women=sum(m.sex == "女" for m in members), party=sum(m.party for m in members),
        under_50=sum(a < 50 for a in ages), average_age=Fraction(sum(ages), len(ages)),
        college=sum(m.education in ("大专", "本科") for m in members),
        men=sum(m.sex == "男" for m in members),
        high_school_or_more=sum(m.education in ("高中", "中专", "大专", "本科") for m in members),
    )


def open_report(page) -> None:
    page.locator(".navbar").get_by_text("统计报表").click()
    page.get_by_role("link", name="换届选举统计", exact=True).click()


def export_the_report(s: Stage) -> None:
    s.at(D + timedelta(days=2), hour=10)
    page = s.sign_in("supervisor_sun")
    assert s.go(reverse("villages:election-setup", args=[shimen().pk])).status == 403  # read-only role
    page.get_by_role("link", name="工作台").click()
    open_report(page)
    e = expected_figures()
    expect(page.locator("h1")).to_have_text("石门乡第12届村民委员会换届选举统计报表")
    expect(page.locator("#certification-banner")).to_contain_text(
        f"未认定（1/{e.villages}个村的选举结果已认定，数据仍可能变化）"
    )
    not_voted = e.villages - e.villages_voted  # 溪口村 (postponed) and 枫林村 have not voted: not 0% turnout
    expect(page.locator("#kf-turnout")).to_have_text(
        f"已投票的{e.villages_voted}个村登记选民{e.registered}人，参加投票{e.voted}人，参选率{e.turnout}"
        f"（{e.voted}/{e.registered}）；另有{not_voted}个村尚未投票（登记选民0人，不计入基数）"
    )
    expect(page.locator("#kf-men")).to_have_text(share(e.men, e.elected))
    expect(page.locator("#kf-high-school")).to_have_text(share(e.high_school_or_more, e.elected))
    expect(page.locator("#kf-cross")).to_have_text("未录入（未导入村党组织委员会名册）")
    expect(page.locator("#kf-total")).to_have_text(f"{e.elected}人")
    expect(page.locator("#kf-women")).to_have_text(share(e.women, e.elected))
    expect(page.locator("#kf-party")).to_have_text(share(e.party, e.elected))
    expect(page.locator("#kf-age")).to_have_text(
        f"{one_decimal(e.average_age)}岁；50岁以下{share(e.under_50, e.elected)}"
    )
    expect(page.locator("#kf-college")).to_have_text(share(e.college, e.elected))
    expect(page.locator("#kf-woman-villages")).to_have_text(share(1, e.villages_voted, "个村"))
    s.shoot("supervisor-reads-the-report")

    download(page, s.tmp / "石门乡.xlsx", button="导出 Excel")
    check_workbook(s.tmp / "石门乡.xlsx", e)
    download(page, s.tmp / "石门乡.pdf", button="导出 PDF")
    check_pdf(s, s.tmp / "石门乡.pdf", e)


def export_the_county_report(s: Stage) -> None:
    """The county's report is built by the task worker (the immediate backend in tests) and downloaded
    from its job page; 清河县 has only 石门乡 here, so its figures are the township's."""
    page = s.sign_in("supervisor_qian")
    open_report(page)
    expect(page.locator("h1")).to_have_text("清河县第12届村民委员会换届选举统计报表")
    page.get_by_role("button", name="导出 Excel").click()
    expect(flash(page)).to_contain_text("已提交导出")
    expect(page.locator("#export-state")).to_contain_text("报表已生成")
    s.shoot("county-export-done")
    download(page, s.tmp / "清河县.xlsx", link="下载")
    check_workbook(s.tmp / "清河县.xlsx", expected_figures())


def check_workbook(path, e: Expected) -> None:
    book = load_workbook(path)
    assert book.sheetnames == ["封面", "参选情况", "当选成员结构", "各村情况", "与上届比较", "工作情况"]
    turnout = rows_by_label(book["参选情况"])  # label → count, base, share, base label
    assert turnout["参加选举的村（社区）"][0] == e.villages
    assert turnout["登记选民"][0] == e.registered
    assert turnout["参加投票（参选率）"][:3] == [e.voted, e.registered, pytest.approx(e.voted / e.registered)]
    assert turnout["其中：委托投票"][:2] == [e.by_proxy, e.voted]
    assert turnout["其中：本人到投票站、中心会场投票"][:2] == [e.voted - e.by_proxy, e.voted]
    assert turnout["其中：流动票箱投票"][:2] == [0, e.voted]
    assert turnout["外出选民"][:2] == [e.away, e.registered]
    assert turnout["其中：尚未投票的村"][0] == e.villages - e.villages_voted
    assert turnout["第一次投票即有效的村"][:2] == [1, e.villages_voted]
    assert turnout["一次选举成功的村"][:2] == [0, e.villages_voted]  # 石门村 needed a runoff
    composition = rows_by_label(book["当选成员结构"])
    assert composition["当选村民委员会成员"][0] == e.elected
    posts = [post for _name, post, _votes in elected_members()]
    for post, label in POST_LABELS.items():
        assert composition[f"其中：{label}"][0] == posts.count(post)
    assert composition["女性"][:3] == [e.women, e.elected, pytest.approx(e.women / e.elected)]
    assert composition["中共党员"][:3] == [e.party, e.elected, pytest.approx(e.party / e.elected)]
    assert composition["50岁以下"][:2] == [e.under_50, e.elected]
    assert composition["平均年龄（岁）"][0] == pytest.approx(float(e.average_age))
    assert composition["文化程度：大专及以上"][:2] == [e.college, e.elected]
    assert composition["高中及以上文化程度"][:2] == [e.high_school_or_more, e.elected]
    assert composition["男性"][:2] == [e.men, e.elected]
    assert composition["与村党组织交叉任职"][0] == "未录入"
    assert composition["有女性成员的村（村村有女委员）"][:2] == [1, e.villages_voted]
    sheet = book["各村情况"]
    header = [cell.value for cell in sheet[1]]
    rows = [dict(zip(header, row)) for row in sheet.iter_rows(min_row=2, values_only=True)]
    villages = {row["村（社区）"]: row for row in rows if row["登记选民"] is not None}  # the note below is no row
    assert set(villages) == {"石门村", "溪口村", "枫林村"}
    shimen_row = villages["石门村"]
    assert (shimen_row["登记选民"], shimen_row["参加投票"]) == (e.registered, e.voted)
    assert shimen_row["参选率"] == pytest.approx(e.voted / e.registered)
    assert (shimen_row["委托投票"], shimen_row["流动票箱"], shimen_row["外出"]) == (e.by_proxy, 0, e.away)
    assert (shimen_row["职数"], shimen_row["当选"], shimen_row["女性"], shimen_row["党员"]) == (
        e.seats, e.elected, e.women, e.party)
    assert (shimen_row["男性"], shimen_row["高中及以上"]) == (e.men, e.high_school_or_more)
    assert (shimen_row["一次选举成功"], shimen_row["一肩挑"], shimen_row["结果认定"]) == ("否", "未录入", "已认定")
    for name in ("溪口村", "枫林村"):
        assert (villages[name]["登记选民"], villages[name]["当选"], villages[name]["结果认定"]) == (0, 0, "未认定")
        assert (villages[name]["参加投票"], villages[name]["参选率"]) == ("尚未投票", "尚未投票")


def check_pdf(s: Stage, path, e: Expected) -> None:
    """The PDF's text (pdftotext) carries the same figures; its first pages are kept as PNGs (pdftoppm)."""
    assert path.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    posts = [post for _name, post, _votes in elected_members()]
    for fragment in (
        "石门乡第12届村民委员会换届选举统计报表",
        f"未认定（1/{e.villages}个村的选举结果已认定",
        f"登记选民{e.registered}人，参加投票{e.voted}人（其中委托投票{e.by_proxy}人、流动票箱投票0人），参选率{e.turnout}",
        (f"共选出村民委员会成员{e.elected}人，其中主任{posts.count('chair')}人、副主任0人、"
         f"委员{posts.count('member') + posts.count('woman_member')}人"),
        f"女性成员{e.women}人，占{percent(e.women, e.elected)}",
        f"中共党员{e.party}人，占{percent(e.party, e.elected)}",
        f"平均年龄{one_decimal(e.average_age)}岁，50岁以下{e.under_50}人，占{percent(e.under_50, e.elected)}",
        f"参选率{e.turnout}（{e.voted}/{e.registered}）",
        # the row of 石门村 in the per-village table
        (f"石门村{e.registered}{e.voted}{e.turnout}{e.by_proxy}0{e.away}{e.seats}{e.elected}{e.men}{e.women}{e.party}"
         f"{e.high_school_or_more}—未录入否已认定"),
        "溪口村0尚未投票尚未投票",
    ):
        assert fragment in flat, fragment
    prefix = s.next_shot("report-pdf-page")
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "3", str(path), str(prefix)], check=True)
    assert len(list(ARTIFACTS.glob(f"{prefix.name}-*.png"))) == 3


def share(numerator: int, denominator: int, unit: str = "人") -> str:
    """As the report's key figures print a share: 1人，占25.0%（1/4）."""
    return f"{numerator}{unit}，占{percent(numerator, denominator)}（{numerator}/{denominator}）"


# ---------------------------------------------------------------- arithmetic the test does itself


def elected_in(sheet: dict, *, runoff: bool) -> list[tuple[str, str, int]]:
    """Who ``sheet`` elects: per post the most votes up to the seats, with more than half of the ballots
    cast (first ballot) or at least a third (runoff) — the rule the results page applies (OL §15)."""
    cast = sheet["returned"]
    elected = []
    for post, by_name in sheet["votes"].items():
        ranked = sorted(by_name.items(), key=lambda item: -item[1])[: SEATS[post]]
        elected += [(name, post, votes) for name, votes in ranked
                    if (3 * votes >= cast if runoff else 2 * votes > cast)]
    return elected


def elected_members() -> list[tuple[str, str, int]]:
    return elected_in(FIRST_BALLOT, runoff=False) + elected_in(RUNOFF, runoff=True)


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def percent(numerator: int, denominator: int) -> str:
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value}%"


def one_decimal(value: Fraction) -> str:
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def rows_by_label(sheet) -> dict[str, list]:
    return {row[0]: list(row[1:]) for row in sheet.iter_rows(min_row=2, values_only=True) if row and row[0]}
