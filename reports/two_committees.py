"""The 两委 (village Party organisation committee and village committee) of a 换届 round: one village's two
committees side by side, and the figures of a township's or a county's 两委 report — those of reference 000
篇3: "党总支60名职数全部选举到位，连选连任51人，占85%，新当选副书记、委员9名，占15%，女副书记5名，占副书记总
职数的29%……少数民族干部12名……平均年龄47岁……村委会成中36人中有30人与村党总支委员实现交叉，交叉比例达83.3%……
一肩挑的有5个村" (issue 12).

Pure module like ``reports.figures``, whose ``Share`` (a count over a stated base, rounded once at display),
age bands and education buckets it reuses; its tables are ``reports.tables.Table`` rows, laid out by the
reports' own templates and workbook writer. The facts come from ``reports.two_committee_queries``.

Definitions (each share names its base in the tables' 基数说明 column):

- **职数 / 选举到位**: the seats of each body's elections (branch: 书记, 副书记, 委员; committee: 主任, 副主任,
  委员 with the 妇女委员) against the members elected (not declared void).
- **连选连任 / 新当选**: the member's ID number is on last term's committee of the same body (its elected
  members in the system, else the imported roster of term − 1); over the members of the villages where last
  term is known. Per post: the members of that post now who were on last term's committee.
- **女副书记**: women deputy secretaries over all deputy secretaries elected.
- **交叉任职**: village committee members also on the village's branch committee, over the committee members of
  the villages whose branch committee is known (``reports.branch_committees``: the branch election's results,
  else the imported roster). **一肩挑**: villages whose branch secretary is the committee's chair, over the
  villages with a chair elected and the branch committee known.
- **两委成员**: the people of both committees, each counted once per village (by ID number): branch members +
  committee members − the cross-appointed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from voters.codes import EDUCATION_CODES, ETHNIC_GROUPS, POLITICAL_STATUS, education_bucket, is_minority, is_party_member
from voters.eligibility import age_on

from .figures import AGE_BANDS, EDUCATION_BUCKETS, Share
from .tables import BASE, BASE_LABEL, COUNT, ITEM, SHARE, Cell, Column, Table

BRANCH, COMMITTEE = "branch", "committee"
BODY_LABELS = {BRANCH: "村党组织委员会", COMMITTEE: "村民委员会"}
BODY_SHORT = {BRANCH: "村党组织", COMMITTEE: "村委会"}
# Posts of each body in the order they are printed; the committee's 妇女委员 is one of its 委员.
BRANCH_POSTS = (("secretary", "书记"), ("deputy_secretary", "副书记"), ("member", "委员"))
COMMITTEE_POSTS = (("chair", "主任"), ("vice_chair", "副主任"), ("member", "委员"), ("woman_member", "妇女委员"))
POSTS = {BRANCH: BRANCH_POSTS, COMMITTEE: COMMITTEE_POSTS}
SEAT_POSTS = {  # the seat fields of an Election: chair, vice chair, members
    BRANCH: (("书记", ("secretary",)), ("副书记", ("deputy_secretary",)), ("委员", ("member",))),
    COMMITTEE: (("主任", ("chair",)), ("副主任", ("vice_chair",)), ("委员", ("member", "woman_member"))),
}
NOT_ENTERED = "未录入"


@dataclass(frozen=True)
class Cadre:
    """One elected member of either committee (``village``: the village code)."""

    village: str
    body: str  # BRANCH or COMMITTEE
    post: str
    name: str
    id_number: str
    sex: str
    birth_date: date
    election_day: date
    ethnicity: str = "01"
    education: str = ""
    education_edition: str = "2006"
    political_status: str = "13"
    re_elected: bool | None = None  # None: last term's committee of this body unknown

    @property
    def age(self) -> int:
        return age_on(self.birth_date, self.election_day)

    @property
    def post_label(self) -> str:
        return dict(POSTS[self.body]).get(self.post, self.post)

    @property
    def sex_label(self) -> str:
        return {"M": "男", "F": "女"}.get(self.sex, "")

    @property
    def education_label(self) -> str:
        return EDUCATION_CODES.get(self.education_edition, {}).get(self.education, "") if self.education else ""

    @property
    def ethnicity_label(self) -> str:
        return ETHNIC_GROUPS.get(self.ethnicity, "")

    @property
    def political_label(self) -> str:
        status = POLITICAL_STATUS.get(self.political_status)
        return status.short if status else ""


@dataclass(frozen=True)
class Seats:
    """One election's seats by the three seat fields (书记/主任, 副书记/副主任, 委员)."""

    first: int
    second: int
    members: int

    @property
    def total(self) -> int:
        return self.first + self.second + self.members


@dataclass(frozen=True)
class VillageFacts:
    """One village of the round: its two elections (either may be missing) and their members."""

    key: str  # village code
    name: str
    township: str
    branch_seats: Seats | None  # None: no branch election of the round for this village
    committee_seats: Seats | None
    branch_previous_known: bool = False
    committee_previous_known: bool = False
    # The branch committee that 交叉任职 and 一肩挑 are measured against (``reports.branch_committees``):
    # ID number → post; None when unknown. ``branch_source``: "election" or "roster".
    branch_posts: dict[str, str] | None = None
    branch_source: str = ""


@dataclass(frozen=True)
class Pairing:
    """One committee member beside the branch committee."""

    cross_appointed: bool | None  # None: the branch committee is unknown (未录入)
    one_shoulder: bool | None


def pairing(cadre: Cadre, village: VillageFacts) -> Pairing:
    if village.branch_posts is None:
        return Pairing(None, None)
    on_branch = cadre.id_number in village.branch_posts
    return Pairing(on_branch, cadre.post == "chair" and village.branch_posts.get(cadre.id_number) == "secretary")


# --- One village's 两委 --------------------------------------------------------------------------


@dataclass(frozen=True)
class SideRow:
    """A line of the side-by-side view: the member and what marks them."""

    cadre: Cadre
    cross_appointed: bool | None
    one_shoulder: bool


@dataclass(frozen=True)
class VillageView:
    village: VillageFacts
    branch: tuple[SideRow, ...]
    committee: tuple[SideRow, ...]
    branch_round: str = ""
    committee_round: str = ""

    @property
    def one_shoulder(self) -> bool | None:
        """一肩挑; None when the branch committee or the chair is unknown."""
        if self.village.branch_posts is None or not any(r.cadre.post == "chair" for r in self.committee):
            return None
        return any(r.one_shoulder for r in self.committee)

    @property
    def cross_appointed(self) -> Share | None:
        if self.village.branch_posts is None:
            return None
        return Share(sum(bool(r.cross_appointed) for r in self.committee), len(self.committee))

    @property
    def people(self) -> int:
        """两委成员, each person once."""
        return len({r.cadre.id_number for r in self.branch + self.committee})


def village_view(village: VillageFacts, cadres: list[Cadre], *, branch_round: str = "",
                 committee_round: str = "") -> VillageView:
    """The branch committee and the village committee side by side, each member marked with 交叉任职 and
    一肩挑 computed from the other committee (never typed)."""
    committee = [c for c in cadres if c.body == COMMITTEE]
    branch = [c for c in cadres if c.body == BRANCH]
    committee_ids = {c.id_number: c.post for c in committee}
    known = village.branch_posts is not None
    branch_rows = tuple(
        SideRow(c, c.id_number in committee_ids if known else None,
                c.post == "secretary" and committee_ids.get(c.id_number) == "chair")
        for c in _in_post_order(branch)
    )
    committee_rows = tuple(SideRow(c, p.cross_appointed, bool(p.one_shoulder))
                           for c, p in ((c, pairing(c, village)) for c in _in_post_order(committee)))
    return VillageView(village, branch_rows, committee_rows, branch_round, committee_round)


def _in_post_order(cadres: list[Cadre]) -> list[Cadre]:
    order = {code: i for body in POSTS.values() for i, (code, _label) in enumerate(body)}
    return sorted(cadres, key=lambda c: order.get(c.post, 9))


# --- The township's (or county's) 两委 figures ---------------------------------------------------


@dataclass(frozen=True)
class PostFigures:
    label: str
    seats: int
    elected: int
    re_elected: Share  # base: those elected to this post in villages where last term is known


@dataclass(frozen=True)
class BodyFigures:
    body: str
    villages: int  # villages with an election of this body in the round
    posts: tuple[PostFigures, ...]
    seats: int
    elected: int
    re_elected: Share
    new: Share
    women: Share
    women_deputies: Share  # 女副书记 of all 副书记 (副主任 for the committee)
    minority: Share
    party_members: Share
    age_bands: dict[str, Share]
    average_age: Fraction | None
    education: dict[str, Share]
    education_unknown: Share

    @property
    def label(self) -> str:
        return BODY_LABELS[self.body]

    @property
    def filled(self) -> Share:
        """选举到位: members elected over the seats."""
        return Share(self.elected, self.seats)

    @property
    def all_filled(self) -> bool:
        return self.seats > 0 and self.elected >= self.seats and all(p.elected >= p.seats for p in self.posts)

    @property
    def average_age_display(self) -> str:
        return _one_decimal(self.average_age)


def body_figures(body: str, villages: list[VillageFacts], cadres: list[Cadre]) -> BodyFigures:
    own = [c for c in cadres if c.body == body]
    seats = {v.key: (v.branch_seats if body == BRANCH else v.committee_seats) for v in villages}
    held = [s for s in seats.values() if s is not None]
    total = len(own)
    ages = [c.age for c in own]
    known = [c for c in own if c.re_elected is not None]
    buckets = Counter(education_bucket(c.education, c.education_edition) if c.education else None for c in own)
    posts = []
    for index, (label, codes) in enumerate(SEAT_POSTS[body]):
        in_post = [c for c in own if c.post in codes]
        in_post_known = [c for c in in_post if c.re_elected is not None]
        posts.append(PostFigures(
            label=label,
            seats=sum((s.first, s.second, s.members)[index] for s in held),
            elected=len(in_post),
            re_elected=Share(sum(bool(c.re_elected) for c in in_post_known), len(in_post_known)),
        ))
    deputies = [c for c in own if c.post == ("deputy_secretary" if body == BRANCH else "vice_chair")]
    return BodyFigures(
        body=body,
        villages=len(held),
        posts=tuple(posts),
        seats=sum(s.total for s in held),
        elected=total,
        re_elected=Share(sum(bool(c.re_elected) for c in known), len(known)),
        new=Share(sum(c.re_elected is False for c in known), len(known)),
        women=Share(sum(c.sex == "F" for c in own), total),
        women_deputies=Share(sum(c.sex == "F" for c in deputies), len(deputies)),
        minority=Share(sum(is_minority(c.ethnicity) for c in own), total),
        party_members=Share(sum(is_party_member(c.political_status) for c in own), total),
        age_bands={label: Share(sum(low <= a <= high for a in ages), total) for label, low, high in AGE_BANDS},
        average_age=Fraction(sum(ages), total) if total else None,
        education={label: Share(buckets.get(label, 0), total) for label in EDUCATION_BUCKETS},
        education_unknown=Share(buckets.get(None, 0), total),
    )


@dataclass(frozen=True)
class VillageRow:
    key: str
    name: str
    township: str
    branch_seats: int | None
    branch_elected: int
    branch_re_elected: int | None
    committee_seats: int | None
    committee_elected: int
    committee_re_elected: int | None
    cross_appointed: int | None  # None: 未录入
    one_shoulder: bool | None
    people: int


@dataclass
class TwoCommitteeReport:
    scope_label: str
    scope_kind: str
    scope_key: str
    rounds: tuple[str, ...]
    villages: tuple[VillageFacts, ...]
    cadres: tuple[Cadre, ...]
    generated_at: datetime | None = None
    branch: BodyFigures = field(init=False)
    committee: BodyFigures = field(init=False)

    def __post_init__(self):
        self.branch = body_figures(BRANCH, list(self.villages), list(self.cadres))
        self.committee = body_figures(COMMITTEE, list(self.villages), list(self.cadres))

    @property
    def title(self) -> str:
        return f"{self.scope_label}村“两委”换届选举统计报表"

    def _by_village(self) -> dict[str, list[Cadre]]:
        result: dict[str, list[Cadre]] = {v.key: [] for v in self.villages}
        for c in self.cadres:
            result.setdefault(c.village, []).append(c)
        return result

    @property
    def branch_known(self) -> Share:
        """Villages whose branch committee is known, of the villages with a village committee election."""
        held = [v for v in self.villages if v.committee_seats is not None]
        return Share(sum(v.branch_posts is not None for v in held), len(held))

    @property
    def branch_from_election(self) -> int:
        return sum(v.branch_posts is not None and v.branch_source == "election" for v in self.villages)

    @property
    def cross_appointed(self) -> Share:
        """交叉任职: committee members on the branch committee, of the committee members where it is known."""
        by_key = {v.key: v for v in self.villages}
        pairs = [pairing(c, by_key[c.village]) for c in self.cadres if c.body == COMMITTEE]
        known = [p for p in pairs if p.cross_appointed is not None]
        return Share(sum(bool(p.cross_appointed) for p in known), len(known))

    @property
    def one_shoulder(self) -> Share:
        """一肩挑 villages, of the villages with a chair elected and the branch committee known."""
        by_key = {v.key: v for v in self.villages}
        chairs = [(c, by_key[c.village]) for c in self.cadres if c.body == COMMITTEE and c.post == "chair"]
        known = [(c, v) for c, v in chairs if v.branch_posts is not None]
        return Share(sum(bool(pairing(c, v).one_shoulder) for c, v in known), len({v.key for _c, v in known}))

    @property
    def people(self) -> list[Cadre]:
        """两委成员, each person once per village (the committee's row stands for one on both)."""
        seen: dict[tuple[str, str], Cadre] = {}
        for c in sorted(self.cadres, key=lambda c: c.body == BRANCH):
            seen.setdefault((c.village, c.id_number), c)
        return list(seen.values())

    @property
    def people_figures(self) -> dict[str, Share | Fraction | int | None]:
        people = self.people
        total = len(people)
        ages = [c.age for c in people]
        return {
            "total": total,
            "women": Share(sum(c.sex == "F" for c in people), total),
            "minority": Share(sum(is_minority(c.ethnicity) for c in people), total),
            "average_age": Fraction(sum(ages), total) if total else None,
        }

    @property
    def village_rows(self) -> list[VillageRow]:
        by_village = self._by_village()
        rows = []
        for v in self.villages:
            own = by_village.get(v.key, [])
            branch = [c for c in own if c.body == BRANCH]
            committee = [c for c in own if c.body == COMMITTEE]
            pairs = [pairing(c, v) for c in committee]
            rows.append(VillageRow(
                key=v.key, name=v.name, township=v.township,
                branch_seats=v.branch_seats.total if v.branch_seats else None,
                branch_elected=len(branch),
                branch_re_elected=sum(bool(c.re_elected) for c in branch) if v.branch_previous_known else None,
                committee_seats=v.committee_seats.total if v.committee_seats else None,
                committee_elected=len(committee),
                committee_re_elected=sum(bool(c.re_elected) for c in committee) if v.committee_previous_known else None,
                cross_appointed=None if v.branch_posts is None else sum(bool(p.cross_appointed) for p in pairs),
                one_shoulder=None if v.branch_posts is None or not any(c.post == "chair" for c in committee)
                else any(p.one_shoulder for p in pairs),
                people=len({c.id_number for c in own}),
            ))
        return rows


# --- Tables --------------------------------------------------------------------------------------


def _row(label: str, share: Share, base: str) -> tuple[Cell, ...]:
    return (label, share.numerator, share.denominator, share, base)


def _count(label: str, value, base: str = "") -> tuple[Cell, ...]:
    return (label, value, None, None, base)


def body_table(f: BodyFigures) -> Table:
    branch = f.body == BRANCH
    members = "当选人数"
    known = "有上届数据的村的当选人数"
    rows: list[tuple[Cell, ...]] = [
        _count("参加选举的村", f.villages),
        _count("应选职数", f.seats),
        _row("已选举到位", f.filled, "应选职数"),
    ]
    for p in f.posts:
        rows.append(_row(f"其中：{p.label}（职数{p.seats}）", Share(p.elected, p.seats), f"{p.label}职数"))
    rows += [
        _row("连选连任", f.re_elected, known),
        _row("新当选", f.new, known),
    ]
    rows += [_row(f"其中：{p.label}连任", p.re_elected, f"有上届数据的村的当选{p.label}") for p in f.posts]
    rows += [
        _row("女性", f.women, members),
        _row("女副书记" if branch else "女副主任", f.women_deputies, "当选副书记" if branch else "当选副主任"),
        _row("少数民族", f.minority, members),
    ]
    if not branch:
        rows.append(_row("中共党员", f.party_members, members))
    rows += [_row(f"年龄{label}", f.age_bands[label], members) for label, *_ in AGE_BANDS]
    rows.append(("平均年龄（岁）", f.average_age, None, None, members))
    rows += [_row(f"文化程度：{b}", f.education[b], members) for b in EDUCATION_BUCKETS]
    if f.education_unknown.numerator:
        rows.append(_row("文化程度未填写", f.education_unknown, members))
    note = ("职数为各村本届选举确定的职数；连选连任按上届同一组织的成员（本系统上届选举结果，或导入的上届名册）"
            "比对公民身份号码，没有上届数据的村不计入其基数。")
    return Table(f.body, f"{f.label}（{BODY_SHORT[f.body]}班子）", (ITEM, COUNT, BASE, SHARE, BASE_LABEL),
                 tuple(rows), note=note)


def cross_table(report: TwoCommitteeReport) -> Table:
    people = report.people_figures
    known = report.branch_known
    partial = known.numerator < known.denominator
    rows: list[tuple[Cell, ...]] = [
        _count("“两委”成员（每人计一次）", people["total"]),
        _row("村委会成员与村党组织委员交叉任职", report.cross_appointed,
             "村党组织委员会已知的村的村委会成员" if partial else "村委会成员"),
        _row("村党组织书记、村委会主任“一肩挑”的村", report.one_shoulder,
             "村党组织委员会已知且选出主任的村" if partial else "选出主任的村"),
        _row("“两委”成员中的女性", people["women"], "“两委”成员"),
        _row("“两委”成员中的少数民族", people["minority"], "“两委”成员"),
        ("“两委”成员平均年龄（岁）", people["average_age"], None, None, "“两委”成员"),
    ]
    if not known.denominator or not known.numerator:
        rows[1] = ("村委会成员与村党组织委员交叉任职", NOT_ENTERED, None, None, "村党组织委员会未知")
        rows[2] = ("村党组织书记、村委会主任“一肩挑”的村", NOT_ENTERED, None, None, "村党组织委员会未知")
    note = (f"交叉任职和“一肩挑”按公民身份号码比对：村党组织委员会取本系统村党组织换届选举结果"
            f"（{report.branch_from_election}个村），没有选举结果的取导入的村党组织委员会名册"
            f"（{known.numerator - report.branch_from_election}个村）")
    note += (f"；两者都没有的{known.denominator - known.numerator}个村记为“未录入”，不计入基数。" if partial else "。")
    note += "“两委”成员 = 村党组织委员 + 村委会成员 − 交叉任职的人数。"
    return Table("cross", "“两委”交叉任职和“一肩挑”", (ITEM, COUNT, BASE, SHARE, BASE_LABEL), tuple(rows), note=note)


def village_table(report: TwoCommitteeReport) -> Table:
    county = report.scope_kind == "county"
    columns = ((Column("乡镇", 12),) if county else ()) + (
        Column("村（社区）", 14),
        Column("党组织职数", 8, True), Column("党组织选出", 8, True), Column("党组织连任", 8, True),
        Column("村委会职数", 8, True), Column("村委会选出", 8, True), Column("村委会连任", 8, True),
        Column("交叉任职", 8, True), Column("一肩挑", 7), Column("两委成员", 8, True),
    )
    rows = tuple(
        ((r.township,) if county else ())
        + (r.name,
           "未选举" if r.branch_seats is None else r.branch_seats, r.branch_elected, r.branch_re_elected,
           "未选举" if r.committee_seats is None else r.committee_seats, r.committee_elected, r.committee_re_elected,
           NOT_ENTERED if r.cross_appointed is None else r.cross_appointed,
           NOT_ENTERED if r.one_shoulder is None and r.cross_appointed is None else r.one_shoulder,
           r.people)
        for r in report.village_rows
    )
    return Table("villages", "各村“两委”情况", columns, rows,
                 note="连任为“—”表示该组织上届成员未知；“未录入”表示该村党组织委员会未知（无选举结果，也未导入名册）；"
                      "“未选举”表示本轮没有该组织的选举。")


def report_tables(report: TwoCommitteeReport) -> list[Table]:
    return [body_table(report.branch), body_table(report.committee), cross_table(report), village_table(report)]


# --- Narrative -----------------------------------------------------------------------------------


def _one_decimal(value: Fraction | None) -> str:
    if value is None:
        return "—"
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _band_text(f: BodyFigures) -> str:
    return "、".join(f"{label}{f.age_bands[label].numerator}人" for label, *_ in AGE_BANDS)


def _education_text(f: BodyFigures) -> str:
    text = "、".join(f"{b}{f.education[b].numerator}人" for b in EDUCATION_BUCKETS)
    return text + (f"、未填写{f.education_unknown.numerator}人" if f.education_unknown.numerator else "")


def _post_re_elected(p: PostFigures) -> str:
    """书记4名中连任4名; where last term is unknown for some: 主任连任3名（有上届数据的3名中）."""
    if p.re_elected.denominator == p.elected:
        return f"{p.label}{p.elected}名中连任{p.re_elected.numerator}名"
    return f"{p.label}连任{p.re_elected.numerator}名（有上届数据的{p.re_elected.denominator}名中）"


def body_narrative(f: BodyFigures, place: str) -> str:
    """The paragraph of reference 000 篇3 for one body, every number from ``f``."""
    if not f.villages:
        return f"{place}本轮没有{f.label}的选举。"
    filled = "全部选举到位" if f.all_filled else f"已选出{f.elected}名（{f.filled}）"
    parts = [f"{place}{f.villages}个村{f.label}{f.seats}名职数{filled}"]
    if f.re_elected.denominator:
        partial = f.re_elected.denominator < f.elected
        parts.append((f"在有上届数据的{f.re_elected.denominator}人中，" if partial else "")
                     + f"连选连任{f.re_elected.numerator}人，占{f.re_elected}，新当选{f.new.numerator}人，占{f.new}")
        parts.append("，".join(_post_re_elected(p) for p in f.posts if p.re_elected.denominator))
    if f.elected:
        deputy = "副书记" if f.body == BRANCH else "副主任"
        parts.append(f"妇女{f.women.numerator}名，占{f.women}")
        if f.women_deputies.denominator:
            parts.append(f"女{deputy}{f.women_deputies.numerator}名，占{deputy}总数的{f.women_deputies}")
        parts.append(f"少数民族{f.minority.numerator}名，占{f.minority}")
        parts.append(f"{_band_text(f)}，平均年龄{f.average_age_display}岁")
        parts.append(f"文化结构：{_education_text(f)}")
    return "；".join(parts) + "。"


def cross_narrative(report: TwoCommitteeReport, place: str) -> str:
    people = report.people_figures
    if not people["total"]:
        return f"{place}尚无“两委”当选成员。"
    parts = [f"{place}村“两委”共选出成员{people['total']}人"]
    if report.cross_appointed.denominator:
        parts.append(f"村委会成员{report.cross_appointed.denominator}人中有{report.cross_appointed.numerator}人与村党组织委员"
                     f"交叉任职，交叉比例{report.cross_appointed}")
    if report.one_shoulder.denominator:
        parts.append(f"村党组织书记和村委会主任“一肩挑”的有{report.one_shoulder.numerator}个村，"
                     f"占{report.one_shoulder}（{report.one_shoulder.numerator}/{report.one_shoulder.denominator}）")
    parts.append(f"“两委”平均年龄{_one_decimal(people['average_age'])}岁，妇女{people['women'].numerator}人，"
                 f"少数民族{people['minority'].numerator}人")
    return "；".join(parts) + "。"
