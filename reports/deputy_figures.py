"""The summary of a 人大 round (县乡两级人大代表选举) for a township or a county: districts and seats,
registered voters and turnout, nominees by source, formal candidates and the 差额 ratio, the make-up
of the elected deputies, and last term beside this one (issue 11 "Reports").

Pure module, like ``reports.figures``, whose ``Share`` (a count over its stated base, rounded once at
display), ``TurnoutCounts``, age bands, education buckets and change wording it reuses; the tables it
builds are ``reports.tables.Table`` rows, so the page, the workbook and the PDF are laid out by the
village reports' own templates and writer (``reports.documents``). The facts come from
``reports.deputy_queries``.

Definitions (every share names its base in the tables' 基数说明 column):

- **参选率**: ballots returned in the first ballot (正式选举) ÷ registered voters, over the districts
  whose first ballot has a confirmed tally; a district still to vote is left out of the base.
- **被提名人**: nominees not withdrawn nor disqualified, by source (政党、人民团体 / 选民十人以上联名).
- **差额比例**: (formal candidates − seats) ÷ seats, over the districts whose formal list is published.
- **当选代表**: announced and not declared void. 非中共党员 = every deputy who is not a CPC member or
  probationary member (民主党派、无党派、群众 …). 工人、农民、专业技术人员、党政领导干部 … is the
  candidate's 代表结构类别; a blank is 未填, counted over all deputies, never guessed.
- **连选连任**: on the list of last term's deputies of the same body (the round of term − 1 in the
  system) by ID number; without that round, the candidate's 现任本级人大代表 answer (blank: 未填).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cached_property

from voters.codes import education_bucket, is_minority, is_party_member
from voters.eligibility import age_on

from .figures import AGE_BANDS, EDUCATION_BUCKETS, Share, TurnoutCounts, age_change, count_change, share_change
from .tables import BASE, BASE_LABEL, COUNT, ITEM, SHARE, Cell, Column, Table

COUNTY, TOWNSHIP = "county", "township"
LEVEL_LABELS = {COUNTY: "县级人大代表", TOWNSHIP: "乡镇人大代表"}
LEVEL_SHORT = {COUNTY: "县级", TOWNSHIP: "乡镇级"}
# 代表结构类别 (candidates.models.DeputyCategory; a test keeps the two equal).
CATEGORIES = (
    ("worker", "工人"),
    ("farmer", "农民"),
    ("professional", "专业技术人员"),
    ("cadre", "党政领导干部"),
    ("business", "企业负责人"),
    ("military", "解放军和武警"),
    ("other", "其他"),
)
NOT_FILLED = "未填"
PARTY, JOINT = "party_organisation", "voters_jointly"


@dataclass(frozen=True)
class DeputyFacts:
    """One elected deputy, as the summary needs them (``district``: the district's key)."""

    district: int
    sex: str
    birth_date: date
    election_day: date
    ethnicity: str = "01"
    education: str = ""
    education_edition: str = "2006"
    political_status: str = "13"
    category: str = ""  # 代表结构类别 code; "" 未填
    re_elected: bool | None = None  # None: 未填 (no last term in the system and no answer on the candidate)

    @property
    def age(self) -> int:
        return age_on(self.birth_date, self.election_day)


@dataclass(frozen=True)
class DistrictFacts:
    """One 选区 of the summary."""

    key: int
    number: int
    name: str
    township: str
    seats: int
    population: int
    turnout: TurnoutCounts
    nominees_party: int = 0
    nominees_joint: int = 0
    candidates: int | None = None  # formal candidates; None until the formal list is published
    announced: bool = False

    @property
    def nominees(self) -> int:
        return self.nominees_party + self.nominees_joint

    @property
    def label(self) -> str:
        """第3选区（东山村）; a district named after its number only once: 第3选区."""
        heading = f"第{self.number}选区"
        return heading if self.name in ("", heading) else f"{heading}（{self.name}）"


@dataclass(frozen=True)
class DeputyComposition:
    total: int
    men: Share
    women: Share
    party_members: Share
    non_party: Share
    minority: Share
    age_bands: dict[str, Share]
    average_age: Fraction | None
    education: dict[str, Share]
    education_unknown: Share
    categories: dict[str, Share]
    category_unknown: Share
    workers_and_farmers: Share
    re_elected: Share
    new: Share
    re_election_unknown: Share

    @property
    def average_age_display(self) -> str:
        if self.average_age is None:
            return "—"
        value = Decimal(self.average_age.numerator) / Decimal(self.average_age.denominator)
        return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def deputy_composition(deputies: list[DeputyFacts]) -> DeputyComposition:
    """Who was elected: every share over all elected deputies (未填 counted, never left out)."""
    total = len(deputies)
    ages = [d.age for d in deputies]
    buckets = Counter(education_bucket(d.education, d.education_edition) if d.education else None for d in deputies)
    categories = Counter(d.category for d in deputies)
    party = sum(is_party_member(d.political_status, include_probationary=True) for d in deputies)
    return DeputyComposition(
        total=total,
        men=Share(sum(d.sex == "M" for d in deputies), total),
        women=Share(sum(d.sex == "F" for d in deputies), total),
        party_members=Share(party, total),
        non_party=Share(total - party, total),
        minority=Share(sum(is_minority(d.ethnicity) for d in deputies), total),
        age_bands={label: Share(sum(low <= a <= high for a in ages), total) for label, low, high in AGE_BANDS},
        average_age=Fraction(sum(ages), total) if total else None,
        education={label: Share(buckets.get(label, 0), total) for label in EDUCATION_BUCKETS},
        education_unknown=Share(buckets.get(None, 0), total),
        categories={label: Share(categories.get(code, 0), total) for code, label in CATEGORIES},
        category_unknown=Share(total - sum(categories.get(code, 0) for code, _ in CATEGORIES), total),
        workers_and_farmers=Share(categories.get("worker", 0) + categories.get("farmer", 0), total),
        re_elected=Share(sum(d.re_elected is True for d in deputies), total),
        new=Share(sum(d.re_elected is False for d in deputies), total),
        re_election_unknown=Share(sum(d.re_elected is None for d in deputies), total),
    )


@dataclass
class LevelFigures:
    """One level (county or township deputies) of a summary: its districts and its deputies."""

    level: str
    rounds: tuple[str, ...]
    districts: tuple[DistrictFacts, ...]
    deputies: tuple[DeputyFacts, ...]
    previous: LevelFigures | None = None  # last term, over the same place

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self.level]

    @property
    def seats(self) -> int:
        return sum(d.seats for d in self.districts)

    @property
    def population(self) -> int:
        return sum(d.population for d in self.districts)

    @property
    def population_per_deputy(self) -> Fraction | None:
        return Fraction(self.population, self.seats) if self.seats else None

    @property
    def registered(self) -> int:
        return sum(d.turnout.registered for d in self.districts)

    @property
    def voted_districts(self) -> list[DistrictFacts]:
        return [d for d in self.districts if d.turnout.has_voted]

    @property
    def registered_voted(self) -> int:
        return sum(d.turnout.registered for d in self.voted_districts)

    @property
    def voted(self) -> int:
        return sum(d.turnout.voted for d in self.voted_districts)

    @property
    def turnout(self) -> Share:
        return Share(self.voted, self.registered_voted)

    @property
    def by_proxy(self) -> Share:
        return Share(sum(d.turnout.by_proxy for d in self.districts), self.voted)

    @property
    def by_mobile_box(self) -> Share:
        return Share(sum(d.turnout.by_mobile_box for d in self.voted_districts), self.voted)

    @property
    def nominees(self) -> int:
        return sum(d.nominees for d in self.districts)

    @property
    def nominees_party(self) -> Share:
        return Share(sum(d.nominees_party for d in self.districts), self.nominees)

    @property
    def nominees_joint(self) -> Share:
        return Share(sum(d.nominees_joint for d in self.districts), self.nominees)

    @property
    def listed_districts(self) -> list[DistrictFacts]:
        return [d for d in self.districts if d.candidates is not None]

    @property
    def listed_seats(self) -> int:
        return sum(d.seats for d in self.listed_districts)

    @property
    def candidates(self) -> int:
        return sum(d.candidates for d in self.listed_districts)

    @property
    def surplus(self) -> Share:
        """差额: formal candidates beyond the seats, over the seats of the districts with a formal list."""
        return Share(self.candidates - self.listed_seats, self.listed_seats)

    @property
    def elected(self) -> Share:
        return Share(len(self.deputies), self.seats)

    @cached_property
    def composition(self) -> DeputyComposition:
        return deputy_composition(list(self.deputies))

    def elected_in(self, district: DistrictFacts) -> list[DeputyFacts]:
        return [d for d in self.deputies if d.district == district.key]


@dataclass
class DeputyReport:
    scope_label: str
    scope_kind: str  # township / county
    scope_key: str
    levels: list[LevelFigures] = field(default_factory=list)
    restricted: bool = False  # a liaison officer's: only the districts taking in their villages
    generated_at: datetime | None = None

    @property
    def title(self) -> str:
        return f"{self.scope_label}县乡两级人大代表选举统计报表"

    @property
    def rounds(self) -> tuple[str, ...]:
        return tuple(r for level in self.levels for r in level.rounds)


# --- Tables --------------------------------------------------------------------------------------


def _row(label: str, share: Share, base: str) -> tuple[Cell, ...]:
    return (label, share.numerator, share.denominator, share, base)


def _count(label: str, value, base: str = "") -> tuple[Cell, ...]:
    return (label, value, None, None, base)


def level_tables(figures: LevelFigures, *, county_scope: bool) -> list[Table]:
    return [overview_table(figures), nomination_table(figures), composition_table(figures),
            district_table(figures, county_scope=county_scope), change_table(figures)]


def _key(figures: LevelFigures, name: str) -> str:
    return f"{figures.level}-{name}"


def _title(figures: LevelFigures, name: str) -> str:
    return f"{LEVEL_SHORT[figures.level]}{name}"  # also the sheet's name: at most 31 characters


def overview_table(f: LevelFigures) -> Table:
    columns = (ITEM, COUNT, BASE, SHARE, BASE_LABEL)
    partial = len(f.voted_districts) < len(f.districts)
    rows: list[tuple[Cell, ...]] = [
        _count("选区", len(f.districts)),
        _count("应选代表名额", f.seats),
        _count("选区人口", f.population),
        ("每名代表代表人口（人）", f.population_per_deputy, None, None, "选区人口 ÷ 应选代表名额"),
        _count("登记选民", f.registered),
        _count("已投票的选区", len(f.voted_districts)),
    ]
    if partial:
        rows.append(_count("其中：已投票选区的登记选民", f.registered_voted))
    rows += [
        _row("参加投票（参选率）", f.turnout, "已投票选区的登记选民" if partial else "登记选民"),
        _row("其中：委托投票", f.by_proxy, "参加投票"),
        _row("其中：流动票箱投票", f.by_mobile_box, "参加投票"),
    ]
    note = "参加投票为各选区正式选举已确认计票结果的收回选票数之和；另行选举不重复计入。"
    if partial:
        note += f"尚未投票的{len(f.districts) - len(f.voted_districts)}个选区不计入参选率的基数，不按0%计。"
    return Table(_key(f, "overview"), _title(f, "选区和参选情况"), columns, tuple(rows), note=note)


def nomination_table(f: LevelFigures) -> Table:
    columns = (ITEM, COUNT, BASE, SHARE, BASE_LABEL)
    rows = (
        _count("被提名人（初步代表候选人）", f.nominees),
        _row("其中：各政党、各人民团体推荐", f.nominees_party, "被提名人"),
        _row("其中：选民十人以上联名推荐", f.nominees_joint, "被提名人"),
        _count("已公布正式代表候选人名单的选区", len(f.listed_districts)),
        _count("其应选代表名额", f.listed_seats),
        _count("正式代表候选人", f.candidates if f.listed_districts else None),
        _row("差额（正式候选人多于应选名额）", f.surplus, "已公布正式名单的选区的应选名额"),
        _row("当选代表", f.elected, "应选代表名额"),
    )
    note = "差额比例 =（正式代表候选人数 − 应选代表名额）÷ 应选代表名额，法定为三分之一至一倍（选举法第三十一条）。"
    return Table(_key(f, "nominations"), _title(f, "提名和候选人"), columns, rows, note=note)


def composition_table(f: LevelFigures) -> Table:
    c = f.composition
    base = "当选代表"
    rows: list[tuple[Cell, ...]] = [
        _count("当选代表", c.total),
        _row("男性", c.men, base),
        _row("女性（妇女代表）", c.women, base),
        _row("中共党员（含预备党员）", c.party_members, base),
        _row("非中共党员", c.non_party, base),
        _row("少数民族", c.minority, base),
    ]
    rows += [_row(f"年龄{label}", c.age_bands[label], base) for label, *_ in AGE_BANDS]
    rows.append(("平均年龄（岁）", c.average_age, None, None, base))
    rows += [_row(f"文化程度：{b}", c.education[b], base) for b in EDUCATION_BUCKETS]
    rows.append(_row(f"文化程度：{NOT_FILLED}", c.education_unknown, base))
    rows.append(_row("工人和农民", c.workers_and_farmers, base))
    rows += [_row(f"其中：{label}" if code in ("worker", "farmer") else label, c.categories[label], base)
             for code, label in CATEGORIES]
    rows.append(_row(f"代表结构类别{NOT_FILLED}", c.category_unknown, base))
    rows += [
        _row("连选连任", c.re_elected, base),
        _row("新当选", c.new, base),
        _row(f"是否连任{NOT_FILLED}", c.re_election_unknown, base),
    ]
    note = ("代表结构类别取自代表候选人登记时所填（工人、农民、专业技术人员、党政领导干部等），未填的计为“未填”。"
            + ("连选连任按上届本级人大代表名单（本系统中的上届选举）比对公民身份号码。" if f.previous is not None else
               "系统中没有上届选举：连选连任按候选人登记时所填“现任本级人大代表”统计，未填的计为“未填”。"))
    return Table(_key(f, "composition"), _title(f, "当选代表结构"), (ITEM, COUNT, BASE, SHARE, BASE_LABEL),
                 tuple(rows), note=note)


def district_table(f: LevelFigures, *, county_scope: bool) -> Table:
    columns = ((Column("乡镇", 12),) if county_scope else ()) + (
        Column("选区", 18),
        Column("人口", 8, True),
        Column("名额", 6, True),
        Column("登记选民", 9, True),
        Column("参加投票", 9, True),
        Column("参选率", 8, True),
        Column("政党团体推荐", 8, True),
        Column("选民联名推荐", 8, True),
        Column("正式候选人", 8, True),
        Column("差额比例", 8, True),
        Column("当选", 6, True),
        Column("女性", 6, True),
        Column("中共党员", 6, True),
    )
    rows = []
    for d in f.districts:
        own = f.elected_in(d)
        t = d.turnout
        rows.append(((d.township,) if county_scope else ()) + (
            d.label, d.population, d.seats, t.registered,
            t.voted if t.has_voted else "尚未投票", Share(t.voted, t.registered) if t.has_voted else "尚未投票",
            d.nominees_party, d.nominees_joint,
            "未公布" if d.candidates is None else d.candidates,
            None if d.candidates is None else Share(d.candidates - d.seats, d.seats),
            len(own), sum(x.sex == "F" for x in own), sum(is_party_member(x.political_status, include_probationary=True) for x in own),
        ))
    return Table(_key(f, "districts"), _title(f, "各选区情况"), columns, tuple(rows),
                 note="参选率 = 参加投票 ÷ 登记选民；差额比例 =（正式候选人 − 名额）÷ 名额；"
                      "“尚未投票”表示尚无已确认的正式选举计票结果；“未公布”表示尚未公布正式代表候选人名单。")


def change_table(f: LevelFigures) -> Table:
    columns = (Column("项目", 18), Column("本届", 10, True), Column("本届占比", 9, True), Column("上届", 10, True),
               Column("上届占比", 9, True), Column("变化", 26))
    p = f.previous
    if p is None:
        return Table(_key(f, "changes"), _title(f, "与上届比较"), columns, (),
                     note="系统中没有本级上一届人大代表选举（届次减一），无法比较。")
    c, q = f.composition, p.composition
    rows: list[tuple[Cell, ...]] = [
        ("选区", len(f.districts), None, len(p.districts), None, count_change(len(f.districts), len(p.districts), "个")),
        ("应选代表名额", f.seats, None, p.seats, None, count_change(f.seats, p.seats, "名")),
        ("登记选民", f.registered, None, p.registered, None, count_change(f.registered, p.registered)),
        ("参加投票（参选率）", f.voted, f.turnout, p.voted, p.turnout, share_change(f.turnout, p.turnout)),
        ("正式代表候选人（差额比例）", f.candidates if f.listed_districts else None, f.surplus,
         p.candidates if p.listed_districts else None, p.surplus, share_change(f.surplus, p.surplus)),
        ("当选代表", c.total, None, q.total, None, count_change(c.total, q.total, "名")),
    ]
    for label, now, before in (
        ("女性", c.women, q.women),
        ("中共党员", c.party_members, q.party_members),
        ("非中共党员", c.non_party, q.non_party),
        ("少数民族", c.minority, q.minority),
        ("大专及以上学历", c.education["大专及以上"], q.education["大专及以上"]),
        ("工人和农民", c.workers_and_farmers, q.workers_and_farmers),
        ("专业技术人员", c.categories["专业技术人员"], q.categories["专业技术人员"]),
        ("党政领导干部", c.categories["党政领导干部"], q.categories["党政领导干部"]),
    ):
        rows.append((label, now.numerator, now, before.numerator, before, share_change(now, before)))
    rows.insert(10, ("平均年龄（岁）", c.average_age, None, q.average_age, None, age_change(c.average_age, q.average_age)))
    note = (f"上届：{'、'.join(p.rounds)}，限于本报表范围内的选区。占比的基数：参选率为已投票选区的登记选民，"
            "差额比例为已公布正式名单的选区的应选名额，其余为当届当选代表。")
    return Table(_key(f, "changes"), _title(f, "与上届比较"), columns, tuple(rows), note=note)


def report_tables(report: DeputyReport) -> list[Table]:
    county = report.scope_kind == COUNTY
    return [t for level in report.levels for t in level_tables(level, county_scope=county)]


# --- Narrative -----------------------------------------------------------------------------------


def _pct(share: Share) -> str:
    return f"{share}（{share.numerator}/{share.denominator}）"


def level_narrative(f: LevelFigures, place: str) -> str:
    """One paragraph in the words of the reference reports (000 篇4, 001), every number from ``f``."""
    per = f.population_per_deputy
    per_text = "" if per is None else f"，每名代表代表人口{Decimal(per.numerator) / per.denominator:.0f}人"
    parts = [f"{place}划分{f.label}选区{len(f.districts)}个，应选代表{f.seats}名{per_text}"]
    if f.voted_districts:
        partial = len(f.voted_districts) < len(f.districts)
        parts.append(
            (f"已投票的{len(f.voted_districts)}个选区" if partial else "")
            + f"登记选民{f.registered_voted if partial else f.registered}人，参加投票{f.voted}人，参选率{_pct(f.turnout)}"
        )
    else:
        parts.append(f"登记选民{f.registered}人，尚未投票")
    if f.nominees:
        parts.append(f"提名代表候选人{f.nominees}人，其中各政党、各人民团体推荐{f.nominees_party.numerator}人"
                     f"（占{f.nominees_party}），选民十人以上联名推荐{f.nominees_joint.numerator}人（占{f.nominees_joint}）")
    if f.listed_districts:
        parts.append(f"确定正式代表候选人{f.candidates}名，差额比例{_pct(f.surplus)}")
    c = f.composition
    if c.total:
        parts.append(
            f"共选出代表{c.total}名（应选{f.seats}名），其中妇女代表{c.women.numerator}名，占{c.women}；"
            f"中共党员{c.party_members.numerator}名，占{c.party_members}，非中共党员{c.non_party.numerator}名，占{c.non_party}；"
            f"少数民族{c.minority.numerator}名，占{c.minority}；平均年龄{c.average_age_display}岁；"
            f"大专及以上学历{c.education['大专及以上'].numerator}名，占{c.education['大专及以上']}"
        )
        cats = "、".join(f"{label}{c.categories[label].numerator}名（占{c.categories[label]}）"
                         for _code, label in CATEGORIES[:4])
        unknown = f"，未填{c.category_unknown.numerator}名" if c.category_unknown.numerator else ""
        parts.append(f"{cats}{unknown}")
        re_unknown = f"，未填{c.re_election_unknown.numerator}名" if c.re_election_unknown.numerator else ""
        parts.append(f"连选连任{c.re_elected.numerator}名，占{c.re_elected}，新当选{c.new.numerator}名，占{c.new}{re_unknown}")
    if f.previous is not None and f.previous.composition.total and c.total:
        q = f.previous.composition
        parts.append(f"与上届相比，当选代表{count_change(c.total, q.total, '名')}，妇女代表占比{share_change(c.women, q.women)}，"
                     f"平均年龄{age_change(c.average_age, q.average_age)}".replace("比上届", ""))
    return "；".join(parts) + "。"
