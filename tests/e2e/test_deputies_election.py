"""A 人大 round end to end in the browser (issue 11 Done-when): 清河县's county deputies and the township
deputies of its two townships, on one day (县乡同步), E = 2026-11-15.

青山镇 is the demo's 镇 (19 township 选区 and 5 county 选区, as the town of reference 000 篇4); 柳溪乡 is
built here with its villages and people and no round. Then, by the role that does it in reality:
the 柳溪乡 office (刘洋) opens its township round, records the seats and draws two 选区; the county office
(韩卫东) draws the county 选区 over 柳溪乡; the office imports each township 选区's register from Excel and
publishes it, and the county office publishes the county 选区's list read from them (one register, two
levels); nominations by a party and by ten voters jointly, the initial and the formal lists, polling
stations, the tallies, a first result that leaves one township seat to a 另行选举, the runoff and the
announcements; the liaison officer of 柳溪村 reads his 选区 and changes nothing; the township supervisor
reads and exports the results. Screenshots: test-artifacts/screenshots/npc-*.png (and PNGs of the PDFs).
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.builders import make_id_number
from tests.voters import workbooks as wb
from villages import services
from villages.models import County, Role, Township, User, Village, VillagerGroup

from .conftest import ARTIFACTS, DEMO_PASSWORD

pytestmark = pytest.mark.e2e

SHANGHAI = ZoneInfo("Asia/Shanghai")
E = date(2026, 11, 15)  # the demo's day: load_demo on E − 45
LOADED_ON = E - timedelta(days=45)
LIST_ON = date(2026, 10, 20)  # E − 26, before the E − 20 deadline
INITIAL_ON = date(2026, 10, 29)  # by E − 15
FORMAL_ON = date(2026, 11, 5)  # by E − 7
TOWNSHIP = ("柳溪乡", "330199103")
VILLAGES = [("柳溪村", 1800, ["上村组", "下村组"]), ("桃源村", 1500, ["桃源组", "竹坞组"])]
USERS = [("clerk_liu", "刘洋", Role.CLERK, ()), ("liaison_liu", "陈志远", Role.LIAISON, ("柳溪村",)),
         ("supervisor_liu", "黄秀兰", Role.SUPERVISOR, ())]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


@dataclass(frozen=True)
class Person:
    name: str
    sex: str  # 男 / 女
    born: date
    group: str
    serial: int

    @property
    def id_number(self) -> str:
        return make_id_number(birth_date=self.born, sex="M" if self.sex == "男" else "F", serial=self.serial,
                              region="330199")

    def cells(self, village: str) -> dict:
        return {"姓名": self.name, "性别": self.sex, "民族": "汉族", "出生日期": self.born, "公民身份号码": self.id_number,
                "文化程度": "高中", "政治面貌": "群众", "村民小组": self.group, "户籍地址": f"柳溪乡{village}{self.group}",
                "居住情况": "在村居住", "联系电话": None, "登记类别": None, "是否外出": "否", "备注": None}


def people(village: str, groups: list[str], count: int, start: int) -> list[Person]:
    """``count`` villagers, alternately men and women, named by surname and number (王柳1 …)."""
    tag = village[0]
    return [Person(f"{SURNAMES[i % 20]}{tag}{i - start + 1}", "男" if i % 2 else "女", date(1950 + i % 50, 1 + i % 12, 1 + i % 27),
                   groups[i % len(groups)], i) for i in range(start, start + count)]


LIUXI = people("柳溪村", VILLAGES[0][2], 30, 100)  # township 选区 1 (2 seats)
TAOYUAN = people("桃源村", VILLAGES[1][2], 20, 200)  # township 选区 2 (1 seat)
# The township 选区 1 nominees: two by the party, one by ten voters jointly (the last ten of 柳溪村).
T1_PARTY, T1_JOINT, T1_COSIGNERS = [LIUXI[0], LIUXI[1]], LIUXI[2], LIUXI[20:30]
T2_PARTY = [TAOYUAN[0], TAOYUAN[1]]
C_PARTY = [LIUXI[3], TAOYUAN[2]]  # the county 选区 over both villages, 1 seat


@dataclass
class Run:
    page: object
    url: str
    clock: object
    sign_in_as: object
    tmp: Path
    shots: Path

    def at(self, day: date, hour: int = 9) -> None:
        self.clock.move_to(datetime.combine(day, time(hour), tzinfo=SHANGHAI))

    def sign_in(self, username: str):
        self.page = self.sign_in_as(username)
        return self.page

    def go(self, path: str):
        return self.page.goto(self.url + path)

    def shoot(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"npc-{name}.png"), full_page=True)
        self.page.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)

    def pdf(self, path: str, name: str) -> bytes:
        """GET a PDF with the signed-in session and keep its pages as PNGs."""
        response = self.page.request.get(self.url + path)
        assert response.status == 200 and response.headers["content-type"] == "application/pdf", (path, response.status)
        target = self.tmp / f"{name}.pdf"
        target.write_bytes(response.body())
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(target), str(self.shots / name)], check=True)
        return response.body()


def flash(page):
    return page.locator(".alert-success.alert-dismissible")


def build_liuxi() -> None:
    """柳溪乡 of 清河县, its two villages, groups and people, as the administrator left it: no round open."""
    county = County.objects.get(code="330199")
    name, code = TOWNSHIP
    township = Township.objects.create(county=county, name=name, code=code)
    villages = {}
    for n, (village_name, population, groups) in enumerate(VILLAGES, start=1):
        village = Village.objects.create(township=township, name=village_name, code=f"{code}2{n:02d}", population=population)
        for number, group in enumerate(groups, start=1):
            VillagerGroup.objects.create(village=village, number=number, name=group)
        villages[village_name] = village
    for username, display_name, role, assigned in USERS:
        user = User(username=username, display_name=display_name, role=role, township=township)
        services.save_user(by=None, user=user, villages=[villages[v] for v in assigned], password=DEMO_PASSWORD)


@pytest.fixture
def run(transactional_db, page, live_server, sign_in, time_machine, tmp_path):
    time_machine.move_to(datetime.combine(LOADED_ON, time(9), tzinfo=SHANGHAI))
    call_command("load_demo", verbosity=0)
    build_liuxi()
    shots = Path("/tmp/shots/npc-e2e")
    shots.mkdir(parents=True, exist_ok=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return Run(page=page, url=live_server.url, clock=time_machine, sign_in_as=sign_in, tmp=tmp_path, shots=shots)


def test_county_and_township_deputies_on_one_day(run):
    try:
        elect(run)
    except BaseException:
        run.page.screenshot(path=str(ARTIFACTS / "npc-failure.png"), full_page=True)
        raise


def elect(r: Run) -> None:
    draw_the_districts(r)
    register_the_voters(r)
    publish_the_lists(r)
    nominate(r)
    vote_and_count(r)
    read_and_export(r)


# ---------------------------------------------------------------- 1 选区划分和代表名额分配


def open_round_page(page, name: str) -> None:
    page.get_by_role("link", name=re.compile(name)).first.click()
    expect(page.locator("h1")).to_contain_text(name)


def add_district(page, *, number: int, name: str, population: int, seats: int, villages: list[str], township: str | None = None):
    page.get_by_role("link", name="添加选区").click()
    if township:
        page.select_option("#id_township", label=township)
    page.fill("#id_number", str(number))
    page.fill("#id_name", name)
    page.fill("#id_population", str(population))
    page.fill("#id_deputy_seats", str(seats))
    for village in villages:
        page.locator("#div_id_villages").get_by_label(village, exact=True).check()
    page.get_by_role("button", name="保存").click()
    expect(flash(page)).to_have_text("选区已保存。")


def draw_the_districts(r: Run) -> None:
    r.at(date(2026, 10, 2))
    page = r.sign_in("clerk_liu")
    r.go("/deputies/")
    page.get_by_role("link", name="开启人大代表选举").click()
    expect(page.locator("#id_level option")).to_have_count(1)  # a township office opens the township round only
    page.select_option("#id_county", label="清河县")
    page.select_option("#id_township", label="柳溪乡")
    page.fill("#id_term_number", "18")
    page.select_option("#id_preset", label="浙江省县、乡两级人民代表大会代表选举实施细则（2021）")
    page.fill("#id_default_election_day", E.isoformat())
    page.get_by_role("button", name="开启人大代表选举").click()
    expect(flash(page)).to_contain_text("已开启柳溪乡第18届")
    page.get_by_role("link", name="录入决定").click()
    page.fill("#id_population", "3300")
    page.fill("#id_population_source", "2025年末户籍人口")
    page.fill("#id_adopted_seats", "48")  # ceiling 45 + 3300 // 1500 = 47, plus …
    page.fill("#id_decided_by", "清河县人大常委会")
    page.fill("#id_document_number", "清人常〔2026〕9号")
    page.fill("#id_decided_on", "2026-09-10")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-danger")).to_contain_text("决定的代表总名额48名超过选举法第十二条的上限47名。")
    page.fill("#id_adopted_seats", "45")
    page.fill("#id_planned_women", "13")
    page.get_by_role("button", name="保存").click()
    expect(flash(page)).to_have_text("代表名额决定已保存。")
    expect(page.locator("#adopted-seats")).to_have_text("45 名")
    for name, sex, position in (("林国栋", "男", "主任"), ("沈美华", "女", "委员")):
        page.locator(".card-header", has_text="选举委员会").get_by_role("link", name="添加").click()
        page.fill("#id_name", name)
        page.select_option("#id_sex", label=sex)
        page.select_option("#id_position", label=position)
        page.get_by_role("button", name="保存").click()
        expect(flash(page)).to_have_text("选举委员会成员已保存。")
    add_district(page, number=1, name="柳溪村选区", population=1800, seats=2, villages=["柳溪村"])
    add_district(page, number=2, name="桃源村选区", population=1500, seats=1, villages=["桃源村"])
    rows = page.locator("#district-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(re.compile(r"1\s*柳溪村选区.*柳溪乡\s*柳溪村\s*1,800\s*2\s*900"))
    expect(page.locator("#coverage")).to_contain_text("所有村均已划入且只划入一个选区")
    r.shoot("01-township-districts")

    # The county office draws the county 选区 over 柳溪乡, beside the demo's five in 青山镇.
    page = r.sign_in("county_office")
    r.go("/deputies/")
    open_round_page(page, "清河县第18届县级")
    add_district(page, number=6, name="柳溪乡选区", population=3300, seats=1, villages=["柳溪村", "桃源村"], township="柳溪乡")
    expect(page.locator("#district-table tbody tr")).to_have_count(6)
    r.shoot("02-county-districts")
    r.go("/deputies/")
    open_round_page(page, "青山镇第18届乡级")
    expect(page.locator("#district-table tbody tr")).to_have_count(19)
    r.shoot("03-qingshan-districts")


# ---------------------------------------------------------------- 2 选民登记 and the 选民榜


def advance(page, target: str, *, on: date | None = None) -> None:
    """Press the election page's button for the next stage (with its date when the stage records one)."""
    form = page.locator("form", has=page.get_by_role("button", name=f"进入“{target}”"))
    if on is not None:
        form.locator("input[type=date]").fill(on.isoformat())
    form.get_by_role("button", name=f"进入“{target}”").click()
    expect(flash(page)).to_contain_text(f"已进入“{target}”阶段")


def open_district(r: Run, round_name: str, district: str):
    """From the 人大 rounds to a 选区's election page."""
    page = r.page
    r.go("/deputies/")
    open_round_page(page, round_name)
    page.locator("#district-table").get_by_role("link", name=district, exact=True).click()
    expect(page.locator("h1")).to_contain_text(district)
    return page


def import_register(r: Run, district: str, village: str, residents: list[Person]) -> None:
    page = open_district(r, "柳溪乡第18届乡级", district)
    advance(page, "选民登记")
    page.get_by_role("link", name="2–4 选民登记、名单公布与申诉").click()
    page.get_by_role("link", name="Excel导入").click()
    expect(page.locator(".card-header", has_text="最近的导入")).to_have_text("本选区最近的导入")
    expect(page.get_by_text("登记类别：户籍在本选区并且在本选区居住")).to_be_visible()
    rows = [wb.HEADER] + [wb.voter_row(wb.HEADER, **p.cells(village)) for p in residents]
    for row in rows[1:]:
        row[wb.HEADER.index("登记类别")] = "户籍在本选区并且在本选区居住"
    path = wb.write_workbook(r.tmp / f"{district}选民名单.xlsx", rows, text_cells=[f"E{n}" for n in range(2, len(rows) + 1)])
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.locator("h1")).to_contain_text(f"导入选民名单：{path.name}")
    expect(page.locator("#import-outcome")).to_contain_text(f"检查通过：将新登记 {len(residents)} 人，更新 0 人")
    expect(page.locator('#import-counts [data-count="rows"]')).to_have_text(str(len(residents)))
    expect(page.locator('#import-counts [data-count="errors"]')).to_have_text("0")
    r.shoot(f"04-import-{district}")
    page.get_by_role("button", name="确认导入").click()
    expect(flash(page)).to_contain_text(f"已导入：新登记{len(residents)}人，更新0人，0人无变化。")


def register_the_voters(r: Run) -> None:
    r.at(date(2026, 10, 12), hour=10)
    r.sign_in("clerk_liu")
    import_register(r, "柳溪村选区", "柳溪村", LIUXI)
    import_register(r, "桃源村选区", "桃源村", TAOYUAN)
    page = r.page
    page.locator("#import-outcome").get_by_role("link", name="查看选民名单").click()
    expect(page.locator("#group-counts tfoot tr")).to_have_text(re.compile(rf"^合计\s*{len(TAOYUAN)}\s*0\s*0\s*0$"))
    expect(page.locator("#voter-table")).to_contain_text("户籍在本选区并且在本选区居住")

    # The county 选区 over 柳溪乡 reads its register from the two township 选区 (one register, two levels).
    page = r.sign_in("county_office")
    page = open_district(r, "清河县第18届县级", "柳溪乡选区")
    advance(page, "选民登记")
    page.get_by_role("link", name="2–4 选民登记、名单公布与申诉").click()
    expect(page.locator("#group-counts tfoot tr")).to_have_text(
        re.compile(rf"^合计\s*{len(LIUXI) + len(TAOYUAN)}\s*0\s*0\s*0$"))
    r.shoot("05-county-district-register")


def publish_list(r: Run, round_name: str, district: str, count: int) -> None:
    page = open_district(r, round_name, district)
    page.get_by_role("link", name="2–4 选民登记、名单公布与申诉").click()
    page.get_by_role("link", name="公布选民名单").click()
    expect(page.locator(".card-body p").first).to_contain_text("选举委员会应当在选举日的20日前公布选民名单（选举法第二十八条），本选区的法定期限为")
    page.fill("#id_published_on", LIST_ON.isoformat())
    page.get_by_role("button", name="确认公布选民名单").click()
    expect(flash(page)).to_have_text(f"选民名单已于2026年10月20日公布，共{count}名选民。")


def publish_the_lists(r: Run) -> None:
    r.at(LIST_ON)
    r.sign_in("clerk_liu")
    publish_list(r, "柳溪乡第18届乡级", "柳溪村选区", len(LIUXI))
    publish_list(r, "柳溪乡第18届乡级", "桃源村选区", len(TAOYUAN))
    r.sign_in("county_office")
    publish_list(r, "清河县第18届县级", "柳溪乡选区", len(LIUXI) + len(TAOYUAN))
    page = r.page
    expect(page.locator("#voter-papers")).to_contain_text("全选区")
    r.pdf(page.locator("#voter-papers").get_by_role("link", name="全选区").get_attribute("href"), "06-voter-cards")

    # The liaison officer of 柳溪村 reads his 选区's list and changes nothing.
    page = r.sign_in("liaison_liu")
    page = open_district(r, "柳溪乡第18届乡级", "柳溪村选区")
    page.get_by_role("link", name="2–4 选民登记、名单公布与申诉").click()
    expect(page.locator("#publication-status")).to_contain_text(f"选民名单已于2026年10月20日张榜公布（公布时登记选民{len(LIUXI)}人）")
    expect(page.get_by_role("link", name="Excel导入")).to_have_count(0)
    r.go("/deputies/")
    open_round_page(page, "柳溪乡第18届乡级")
    expect(page.locator("#district-table tbody tr")).to_have_count(1)
    r.shoot("07-liaison-reads-his-district")


# ---------------------------------------------------------------- 3 提名, 初步 and 正式 lists


def to_candidates(r: Run, round_name: str, district: str):
    page = open_district(r, round_name, district)
    page.get_by_role("link", name="5 候选人提名").click()
    expect(page.locator("h1")).to_contain_text("代表候选人")
    return page


def nominate_one(page, person: Person, *, by: str | None = None, cosigners: list[Person] = ()) -> None:
    page.get_by_role("link", name="登记推荐").click()
    page.fill("#id_id_number", person.id_number)
    if by:
        page.select_option("#id_source", label="政党、人民团体推荐")
        page.fill("#id_nominated_by", by)
    else:
        page.select_option("#id_source", label="选民十人以上联名推荐")
        page.fill("#id_cosigners", "\n".join(p.id_number for p in cosigners))
    page.fill("#id_profile", f"{person.born.year}年{person.born.month}月生，务农。")
    page.get_by_role("button", name="保存").click()
    expect(flash(page)).to_have_text(f"已登记{person.name}为代表候选人被提名人。")


def stages_to_nomination(r: Run, round_name: str, district: str) -> None:
    page = open_district(r, round_name, district)
    advance(page, "申诉处理完毕")
    advance(page, "提名候选人")
    expect(page.locator(".card-header", has_text="当前阶段")).to_have_text("当前阶段：提名候选人")


def nominate(r: Run) -> None:
    r.at(date(2026, 10, 27))
    r.sign_in("clerk_liu")
    party = "中国共产党柳溪乡委员会"
    for district in ("柳溪村选区", "桃源村选区"):
        stages_to_nomination(r, "柳溪乡第18届乡级", district)
    r.shoot("08-election-page-at-nomination")
    page = to_candidates(r, "柳溪乡第18届乡级", "柳溪村选区")
    for person in T1_PARTY:
        nominate_one(page, person, by=party)
    # Nine co-signers are not ten: refused, with the Chinese message, and nothing written.
    nominate_one_refused = page
    nominate_one_refused.get_by_role("link", name="登记推荐").click()
    page.fill("#id_id_number", T1_JOINT.id_number)
    page.select_option("#id_source", label="选民十人以上联名推荐")
    page.fill("#id_cosigners", "\n".join(p.id_number for p in T1_COSIGNERS[:9]))
    page.get_by_role("button", name="保存").click()
    expect(page.locator("form[method=post]:not(.d-inline)")).to_contain_text("选民联名推荐须有10人以上联名，现有9")
    page.get_by_role("link", name="返回").click()
    nominate_one(page, T1_JOINT, cosigners=T1_COSIGNERS)
    rows = page.locator("#deputy-nominees tbody tr:not(.small)")
    expect(rows).to_have_count(3)
    expect(page.locator("#deputy-nominees")).to_contain_text("10人联名")
    r.shoot("09-township-nominees")
    page = to_candidates(r, "柳溪乡第18届乡级", "桃源村选区")
    # A party or organisation nominates at most the seats (Art. 30): one each in a one-seat 选区.
    for person, by in zip(T2_PARTY, (party, "柳溪乡妇女联合会")):
        nominate_one(page, person, by=by)

    r.sign_in("county_office")
    stages_to_nomination(r, "清河县第18届县级", "柳溪乡选区")
    page = to_candidates(r, "清河县第18届县级", "柳溪乡选区")
    for person, by in zip(C_PARTY, ("中国共产党清河县委员会", "清河县总工会")):
        nominate_one(page, person, by=by)

    r.at(INITIAL_ON)
    for user, round_name, district, count in (("clerk_liu", "柳溪乡第18届乡级", "柳溪村选区", 3),
                                              ("clerk_liu", "柳溪乡第18届乡级", "桃源村选区", 2),
                                              ("county_office", "清河县第18届县级", "柳溪乡选区", 2)):
        r.sign_in(user)
        page = to_candidates(r, round_name, district)
        page.get_by_role("link", name="公布初步名单").click()
        page.fill("#id_published_on", INITIAL_ON.isoformat())
        page.fill("#id_consultation", "各选民小组反复酝酿、讨论、协商，被提名人全部列入初步名单。")
        page.get_by_role("button", name="保存").click()
        expect(flash(page)).to_have_text(f"已公布初步代表候选人名单（{count}名）。")

    r.at(FORMAL_ON)
    for user, round_name, district in (("clerk_liu", "柳溪乡第18届乡级", "柳溪村选区"),
                                       ("clerk_liu", "柳溪乡第18届乡级", "桃源村选区"),
                                       ("county_office", "清河县第18届县级", "柳溪乡选区")):
        r.sign_in(user)
        page = to_candidates(r, round_name, district)
        page.get_by_role("link", name="公布正式名单").click()
        page.fill("#id_published_on", FORMAL_ON.isoformat())
        page.get_by_role("button", name="保存").click()
        expect(flash(page)).to_have_text("已公布正式代表候选人名单。")
    r.sign_in("clerk_liu")
    page = to_candidates(r, "柳溪乡第18届乡级", "柳溪村选区")
    expect(page.locator("#deputy-nominees")).to_contain_text("正式候选人")
    r.shoot("10-formal-list")
    r.pdf(page.get_by_role("link", name="正式名单PDF").get_attribute("href"), "11-formal-list")
    page.get_by_role("link", name="返回选举").click()
    expect(page.locator(".card-header", has_text="当前阶段")).to_have_text("当前阶段：投票选举")
    r.shoot("12-election-page-at-voting")


# ---------------------------------------------------------------- 4 选举日: stations, tallies, 另行选举, results

T1_FIRST = {"issued": 24, "returned": 24, "valid": 24, "invalid": 0,
            "votes": {"deputy": {T1_PARTY[0].name: 13, T1_PARTY[1].name: 11, T1_JOINT.name: 9}}}
T1_RUNOFF = {"issued": 22, "returned": 22, "valid": 22, "invalid": 0,
             "votes": {"deputy": {T1_PARTY[1].name: 12, T1_JOINT.name: 9}}, "abstentions": {"deputy": 1}}
T2_FIRST = {"issued": 16, "returned": 16, "valid": 16, "invalid": 0,
            "votes": {"deputy": {T2_PARTY[0].name: 10, T2_PARTY[1].name: 6}}}
C_FIRST = {"issued": 40, "returned": 40, "valid": 40, "invalid": 0,
           "votes": {"deputy": {C_PARTY[0].name: 24, C_PARTY[1].name: 15}}, "abstentions": {"deputy": 1}}


def fill_tally(page, sheet: dict) -> None:
    for name in ("issued", "returned", "valid", "invalid"):
        page.fill(f"#id_{name}", str(sheet[name]))
    for post, by_name in sheet["votes"].items():
        for name, votes in by_name.items():
            page.locator(f"#post-{post}").get_by_label(name, exact=True).fill(str(votes))
    for post, count in sheet.get("abstentions", {}).items():
        page.fill(f"#id_{post}__abstentions", str(count))
    page.get_by_role("button", name="确认提交").click()


def to_ballots(r: Run, round_name: str, district: str, tab: str | None = None):
    page = open_district(r, round_name, district)
    page.get_by_role("link", name="6–7 投票站、计票与选举结果").click()
    if tab:
        page.locator("#ballots-nav").get_by_role("link", name=tab).click()
    return page


def add_station(page, name: str, location: str, voters: int) -> None:
    page.get_by_role("link", name="新增投票站 / 流动票箱").click()
    page.select_option("#id_kind", value="central")
    page.fill("#id_name", name)
    page.fill("#id_location", location)
    page.fill("#id_assigned_voters", str(voters))
    page.fill("#id_staff_names", "林国栋\n沈美华\n吴建平")
    page.get_by_role("button", name="保存").click()
    expect(flash(page)).to_have_text(f"投票站“{name}”已保存。")


def open_round(page, label: str, message: str) -> None:
    page.locator("#next-actions").get_by_role("link", name=label).click()
    page.fill("#id_held_on", E.isoformat())
    page.get_by_role("button", name="开启本轮").click()
    expect(flash(page)).to_contain_text(message)


def count(page, station: str, sheet: dict) -> None:
    page.locator("#ballots-nav").get_by_role("link", name="投票轮次与计票").click()
    page.locator("#round-table a").first.click()
    page.locator("#tally-table").get_by_role("link", name="录入").click()
    fill_tally(page, sheet)
    expect(flash(page)).to_have_text(f"{station}的计票结果已确认。")


def findings(page, number: int, sentences: list[str]) -> None:
    expect(page.locator(f"#round-{number} .findings li")).to_contain_text([f"{s}。" for s in sentences])


def announce(page, count: int) -> None:
    page.locator("#next-actions").get_by_role("link", name="公布选举结果").click()
    page.fill("#id_on", E.isoformat())
    page.get_by_role("button", name="公布选举结果").click()
    expect(flash(page)).to_have_text(f"选举结果已公布，共{count}名新当选人记入当选名单。")


def vote_and_count(r: Run) -> None:
    r.at(FORMAL_ON + timedelta(days=2))
    r.sign_in("clerk_liu")
    for district, location, voters in (("柳溪村选区", "柳溪村文化礼堂", len(LIUXI)), ("桃源村选区", "桃源村村委会", len(TAOYUAN))):
        page = to_ballots(r, "柳溪乡第18届乡级", district)
        add_station(page, f"{district}选举大会", location, voters)
        expect(page.locator("table")).to_contain_text("选举大会")
    r.sign_in("county_office")
    page = to_ballots(r, "清河县第18届县级", "柳溪乡选区")
    add_station(page, "柳溪乡选区选举大会", "柳溪乡政府大礼堂", len(LIUXI) + len(TAOYUAN))

    # 选举日: both levels vote at once; the township office counts its 选区, the county office its own.
    r.at(E, hour=7)
    r.sign_in("clerk_liu")
    for district in ("柳溪村选区", "桃源村选区"):
        page = to_ballots(r, "柳溪乡第18届乡级", district, "投票轮次与计票")
        open_round(page, "开启正式选举", "已开启第1轮")
    r.sign_in("county_office")
    page = to_ballots(r, "清河县第18届县级", "柳溪乡选区", "投票轮次与计票")
    open_round(page, "开启正式选举", "已开启第1轮")

    r.at(E, hour=12)
    page = to_ballots(r, "清河县第18届县级", "柳溪乡选区")
    count(page, "柳溪乡选区选举大会", C_FIRST)
    page.locator("#ballots-nav").get_by_role("link", name="选举结果").click()
    registered = len(LIUXI) + len(TAOYUAN)
    findings(page, 1, [f"参加投票人数40人，超过登记选民{registered}人的半数，选举有效",
                       f"{C_PARTY[0].name}得票24票，超过参加投票40人的半数，当选代表",
                       f"{C_PARTY[1].name}得票15票，未超过参加投票40人的半数，未当选代表",
                       "本选区应选代表1名，已全部选出"])
    announce(page, 1)
    r.shoot("13-county-district-announced")

    r.sign_in("clerk_liu")
    page = to_ballots(r, "柳溪乡第18届乡级", "桃源村选区")
    count(page, "桃源村选区选举大会", T2_FIRST)
    page.locator("#ballots-nav").get_by_role("link", name="选举结果").click()
    announce(page, 1)

    page = to_ballots(r, "柳溪乡第18届乡级", "柳溪村选区")
    count(page, "柳溪村选区选举大会", T1_FIRST)
    page.locator("#ballots-nav").get_by_role("link", name="选举结果").click()
    a, b, c = T1_PARTY[0].name, T1_PARTY[1].name, T1_JOINT.name
    findings(page, 1, [f"参加投票人数24人，超过登记选民{len(LIUXI)}人的半数，选举有效",
                       f"{a}得票13票，超过参加投票24人的半数，当选代表",
                       f"{b}得票11票，未超过参加投票24人的半数，未当选代表",
                       f"{c}得票9票，未超过参加投票24人的半数，未当选代表"])
    expect(page.locator("#round-1 .findings")).to_contain_text("代表应选2名，当选1名，尚缺1名，须另行选举")
    expect(page.locator("#round-1 .findings")).to_contain_text(f"另行选举代表1名，候选人为{b}（11票）、{c}（9票）共2人")
    r.shoot("14-first-round-leaves-a-runoff")
    announce(page, 1)

    r.at(E, hour=15)
    page = to_ballots(r, "柳溪乡第18届乡级", "柳溪村选区", "选举结果")
    open_round(page, "开启另行选举", "已开启第2轮")
    r.at(E, hour=17)
    page = to_ballots(r, "柳溪乡第18届乡级", "柳溪村选区")
    page.locator("#ballots-nav").get_by_role("link", name="投票轮次与计票").click()
    page.locator("#round-table").get_by_role("link", name=re.compile("另行选举")).click()
    page.locator("#tally-table").get_by_role("link", name="录入").click()
    fill_tally(page, T1_RUNOFF)
    expect(flash(page)).to_have_text("柳溪村选区选举大会的计票结果已确认。")
    page.locator("#ballots-nav").get_by_role("link", name="选举结果").click()
    findings(page, 2, [f"{b}得票12票，不少于已投选票总数22张的三分之一，当选代表"])
    expect(page.locator("#round-2 .findings")).to_contain_text("本选区应选代表2名，已全部选出")
    announce(page, 1)
    members = page.locator("#announced-members tbody tr")
    expect(members).to_have_count(2)
    r.shoot("15-township-district-results")
    r.pdf(page.get_by_role("link", name="选举结果报告单（PDF）").get_attribute("href"), "16-results-report")


# ---------------------------------------------------------------- 5 the level's results, read and exported


def read_and_export(r: Run) -> None:
    r.at(E + timedelta(days=1))
    page = r.sign_in("supervisor_liu")
    r.go("/deputies/")
    open_round_page(page, "柳溪乡第18届乡级")
    expect(page.get_by_role("link", name="添加选区")).to_have_count(0)
    page.get_by_role("link", name="各选区选举结果").click()
    rows = page.locator("#district-results tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(T1_PARTY[0].name)
    expect(rows.nth(0)).to_contain_text(T1_PARTY[1].name)
    expect(rows.nth(1)).to_contain_text(T2_PARTY[0].name)
    r.shoot("17-township-level-results")
    r.pdf(page.get_by_role("link", name=re.compile("当选代表名单")).first.get_attribute("href"), "18-elected-deputies")

    page = r.sign_in("county_office")
    r.go("/deputies/")
    open_round_page(page, "清河县第18届县级")
    page.get_by_role("link", name="各选区选举结果").click()
    expect(page.locator("#district-results tbody tr")).to_have_count(6)
    expect(page.locator("#district-results")).to_contain_text(C_PARTY[0].name)
    r.shoot("19-county-level-results")
    r.go("/deputies/")
    open_round_page(page, "清河县第18届县级")
    r.pdf(page.get_by_role("link", name="打印选区划分和代表名额分配方案").get_attribute("href"), "20-county-district-plan")
    r.go("/deputies/")
    open_round_page(page, "青山镇第18届乡级")
    r.pdf(page.get_by_role("link", name="打印选区划分和代表名额分配方案").get_attribute("href"), "21-qingshan-district-plan")

    # The county's summary of both levels (统计报表), on screen and as PDF.
    r.go("/reports/deputies/")
    expect(page.locator("h1")).to_contain_text("清河县县乡两级人大代表选举统计报表")
    expect(page.locator("body")).to_contain_text("县级人大代表")
    expect(page.locator("body")).to_contain_text("乡镇人大代表")
    r.shoot("22-county-summary")
    r.pdf(page.get_by_role("link", name="导出 PDF").get_attribute("href"), "23-county-summary")
