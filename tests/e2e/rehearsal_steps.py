"""The township, its people and the small page actions of the rehearsal (``test_rehearsal.py``).

石门乡 of 清河县 has three villages and no round yet. Its office has two clerks (周敏, 何丽), 石门村 has a
liaison officer (吴志刚), the township a supervisor (孙建国) and the county one (钱文华). Everything after
that is done in the browser by those people; this module only knows who lives in 石门村 and how a page
is filled in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.voters import workbooks as wb
from villages import services
from villages.models import County, Role, Township, User, Village, VillagerGroup

from .conftest import ARTIFACTS, DEMO_PASSWORD

SHANGHAI = ZoneInfo("Asia/Shanghai")
ELECTION_DAY = date(2027, 1, 16)
TOWNSHIP = ("石门乡", "330199102")
VILLAGES = [  # name, code suffix, groups
    ("石门村", "201", ["石门组", "溪边组", "茶山组"]),
    ("溪口村", "202", ["溪口组", "上村组"]),
    ("枫林村", "203", ["枫林组", "下林组"]),
]
USERS = [  # username, display name, role, villages ("county": a county-wide supervisor)
    ("clerk_zhou", "周敏", Role.CLERK, ()),
    ("clerk_he", "何丽", Role.CLERK, ()),
    ("liaison_wu", "吴志刚", Role.LIAISON, ("石门村",)),
    ("supervisor_sun", "孙建国", Role.SUPERVISOR, ()),
    ("supervisor_qian", "钱文华", Role.SUPERVISOR, "county"),
]


def build_township() -> dict[str, Village]:
    """石门乡 with its villages, groups and people, as the administrator left it: no round open."""
    services.ensure_builtin_presets()
    county, _ = County.objects.get_or_create(code="330199", defaults={"name": "清河县"})
    name, code = TOWNSHIP
    township = Township.objects.create(county=county, name=name, code=code)
    villages = {}
    for village_name, suffix, groups in VILLAGES:
        village = Village.objects.create(township=township, name=village_name, code=f"{code}{suffix}", population=1200)
        for number, group in enumerate(groups, start=1):
            VillagerGroup.objects.create(village=village, number=number, name=group)
        villages[village_name] = village
    for username, display_name, role, assigned in USERS:
        user = User(username=username, display_name=display_name, role=role)
        if assigned == "county":
            user.county, assigned = county, ()
        else:
            user.township = township
        services.save_user(by=None, user=user, villages=[villages[v] for v in assigned], password=DEMO_PASSWORD)
    return villages


# ---------------------------------------------------------------- the people of 石门村


@dataclass(frozen=True)
class Villager:
    name: str
    sex: str  # 男 / 女
    born: date
    group: str
    sequence: int  # the ID number's 3-digit sequence: odd for a man, even for a woman
    party: bool = False
    education: str = "初中"
    away: bool = False
    remarks: str | None = None

    @property
    def id_number(self) -> str:
        return wb.valid_id_number(self.born, self.sequence)

    def cells(self, **overrides) -> dict:
        """The row of the voter workbook, by header label."""
        values = {
            "姓名": self.name, "性别": self.sex, "出生日期": self.born, "公民身份号码": self.id_number,
            "文化程度": self.education, "政治面貌": "中共党员" if self.party else "群众", "村民小组": self.group,
            "户籍地址": f"石门乡石门村{self.group}{self.sequence}号", "居住情况": "在村居住",
            "联系电话": f"1385710{self.sequence:04d}", "是否外出": "是" if self.away else "否", "备注": self.remarks,
        }
        return values | overrides


NAMED = [
    Villager("陈立新", "男", date(1975, 3, 12), "石门组", 301, party=True, education="大专"),
    Villager("王国平", "男", date(1968, 7, 5), "溪边组", 303, education="高中"),
    Villager("赵建军", "男", date(1980, 10, 21), "茶山组", 305, education="高中"),
    Villager("孙志强", "男", date(1972, 1, 30), "石门组", 307, party=True),
    Villager("周海涛", "男", date(1979, 6, 3), "溪边组", 309),
    Villager("李秀梅", "女", date(1983, 5, 18), "溪边组", 312, party=True, education="本科"),
    Villager("张丽华", "女", date(1978, 9, 9), "茶山组", 314, education="高中"),
    Villager("刘海波", "男", date(1985, 4, 2), "石门组", 317, away=True),  # works in 杭州 over the election
    Villager("刘芳", "女", date(1987, 6, 15), "石门组", 318),  # his wife, who votes for him
    Villager("周大勇", "男", date(1960, 2, 11), "茶山组", 321),  # moved to the county town: wrongly listed
]
GROUPS = VILLAGES[0][2]  # 石门村's
OTHERS = [
    Villager(f"村民{n}", "男" if n % 2 else "女", date(1950 + n, 1 + n % 12, 1 + n % 28), GROUPS[n % 3], 100 + 2 * n + n % 2)
    for n in range(10, 28)
]
MINOR = Villager(  # seventeen on election day: the committee does not register her
    "石小雨", "女", ELECTION_DAY.replace(year=ELECTION_DAY.year - 17), "石门组", 402,
    remarks="不予登记：未满十八周岁",
)
PEOPLE = [*NAMED, *OTHERS, MINOR]
REGISTERED = [v for v in PEOPLE if v is not MINOR]
BY_NAME = {v.name: v for v in PEOPLE}
TITLE_ROWS = [["石门乡石门村第十二届村民委员会选举选民登记表"], ["填报单位：石门村村民选举委员会"]]
FIRST_DATA_ROW = len(TITLE_ROWS) + 2


def corrected_workbook(path: Path) -> Path:
    return wb.voters_workbook(path, [v.cells() for v in PEOPLE], title_rows=TITLE_ROWS)


@dataclass
class MessyList:
    """The first upload: the whole list with the mistakes liaison officers make, and where they are."""

    rows: list[dict] = field(default_factory=list)
    issues: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, code), by row

    def add(self, cells: dict, *issues: tuple[str, str]) -> int:
        self.rows.append(cells)
        row = FIRST_DATA_ROW + len(self.rows) - 1
        self.issues += [(row, column, code) for column, code in issues]
        return row

    def save(self, path: Path) -> Path:
        self.issues.sort()
        return wb.voters_workbook(path, self.rows, title_rows=TITLE_ROWS)


def messy_list() -> MessyList:
    messy = MessyList()
    for villager in PEOPLE:
        if villager.name == "赵建军":  # typed into a number cell: the last digits are lost
            messy.add(villager.cells(公民身份号码=float(villager.id_number)), ("公民身份号码", "id_excel_float"))
        elif villager.name == "村民12":  # entered twice
            messy.add(villager.cells(), ("公民身份号码", "duplicate_in_file"))
            messy.add(villager.cells(), ("公民身份号码", "duplicate_in_file"))
        elif villager.name == "村民15":
            messy.add(villager.cells(村民小组="第九组"), ("村民小组", "group_unknown"))
        elif villager is MINOR:  # the committee's decision not yet written in the remarks
            messy.add(villager.cells(备注=None), ("出生日期", "under_age"))
        else:
            messy.add(villager.cells())
    return messy


# ---------------------------------------------------------------- the clock and the browser


@dataclass
class Stage:
    """What every step needs: the page, the server, the clock and the screenshot counter."""

    page: object
    url: str
    clock: object  # the time_machine fixture
    sign_in_as: object  # the sign_in fixture
    tmp: Path
    shots: list[str] = field(default_factory=list)

    def at(self, day: date, hour: int = 9) -> None:
        """Move the clock of this process, and so the live server's "today", to ``day`` at ``hour`` (it
        ticks on from there). A session idle for more than 8 hours ends, so each step signs in again."""
        self.clock.move_to(datetime.combine(day, time(hour), tzinfo=SHANGHAI))

    def sign_in(self, username: str):
        self.page = self.sign_in_as(username)
        return self.page

    def next_shot(self, name: str) -> Path:
        """The path of the next numbered screenshot, rehearsal-NN-``name``."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.shots.append(name := f"rehearsal-{len(self.shots) + 1:02d}-{name}")
        return ARTIFACTS / name

    def shoot(self, name: str) -> None:
        self.page.screenshot(path=f"{self.next_shot(name)}.png", full_page=True)

    def go(self, path: str):
        return self.page.goto(self.url + path)


def flash(page):
    """The success message shown after a redirect (a page may hold other green alerts)."""
    return page.locator(".alert-success.alert-dismissible")


def open_village(page, name: str) -> None:
    """From the dashboard to the village's election page."""
    page.locator("#village-progress").get_by_role("link", name=name).click()
    expect(page.locator("h1")).to_contain_text(name)


def download(page, target: Path, *, link: str | None = None, button: str | None = None):
    with page.expect_download() as info:
        if link:
            page.get_by_role("link", name=link).click()
        else:
            page.get_by_role("button", name=button).click()
    info.value.save_as(target)
    return info.value


def upload(page, path: Path) -> None:
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.locator("h1")).to_contain_text(f"导入选民名单：{path.name}")


def issue_table(page) -> list[list[str]]:
    """[row, column, level, code, message]: the code comes from data-code, the page shows none."""
    rows = page.locator("#import-issues tbody tr")
    table = []
    for row in rows.all():
        cells = [cell.strip() for cell in row.locator("td").all_inner_texts()]
        table.append(cells[:3] + [row.get_attribute("data-code")] + cells[3:])
    return table


def import_count(page, name: str):
    return page.locator(f'#import-counts [data-count="{name}"]')


def advance(page, target: str, *, on: date | None = None) -> None:
    """Press the election page's button for the next stage (with its date when the stage records one)."""
    form = page.locator("form", has=page.get_by_role("button", name=f"进入“{target}”"))
    if on is not None:
        form.locator("input[type=date]").fill(on.isoformat())
    form.get_by_role("button", name=f"进入“{target}”").click()
    expect(flash(page)).to_contain_text(f"已进入“{target}”阶段")


def fill_tally(page, sheet: dict) -> None:
    """Type one station's tally sheet and submit it. ``sheet``: issued, returned, valid, invalid, and per
    post code {candidate name: votes} under "votes" and ballots naming nobody under "abstentions"."""
    for name in ("issued", "returned", "valid", "invalid"):
        page.fill(f"#id_{name}", str(sheet[name]))
    for post, by_name in sheet["votes"].items():
        for name, votes in by_name.items():
            page.locator(f"#post-{post}").get_by_label(name, exact=True).fill(str(votes))
    for post, count in sheet.get("abstentions", {}).items():
        page.fill(f"#id_{post}__abstentions", str(count))
    page.get_by_role("button", name="确认提交").click()


def expect_findings(page, round_number: int, sentences: list[str]) -> None:
    """The engine's sentences for one round, in order (each line also cites its legal source)."""
    expect(page.locator(f"#round-{round_number} .findings li")).to_contain_text([f"{s}。" for s in sentences])
