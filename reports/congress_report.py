"""The composition of each township's Party congress delegates, as a township's or a county's report (issue 12
"Reports and papers"; reference 003: "23个党支部，431名正式党员……产生的49名党代表……其中女代表14名，占28.6%，镇村企事业
单位干部代表25名，占51.02%……45周岁以下代表28名，占57.14%……（××××镇女党员比例约为13.2%，无少数民族党员）").

The counts and the province's rules are ``candidates.congress_composition`` and ``villages.kinds.party_composition``
(the candidate list and the elected, each checked against the township's members); this module lays them out
side by side for the townships of a scope. Pure: facts in (``CongressFacts``), ``reports.tables.Table`` rows out.

Definitions (each share names its base):

- the delegates' (or candidates') women, minorities, those aged ``young_age`` or under on the election day ("45岁
  以下" includes 45) and the cadres of townships, villages, economic and social organisations: over the delegates
  (candidates) of the township;
- the floors of the women and the minorities: their share of the township's full members (正式党员 on the units'
  registers); the cadres' ceiling and the young's floor: the rules' shares (60%, 50% in reference 003).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from villages.kinds.party_composition import DelegateCounts, MemberCounts
from villages.kinds.party_rules import ERROR, OK, Finding, percent_words

from .figures import Share
from .tables import Cell, Column, Table

CANDIDATES, ELECTED = "代表候选人", "当选代表"
VERDICTS = {OK: "符合", ERROR: "不符合"}
NOT_YET = "尚无"


@dataclass(frozen=True)
class UnitFacts:
    """One 选举单位: its Party organisations, full members, delegates allocated and candidates on its list, and the
    差额 check of its list (``party_rules.slate_check``: at least 20% more candidates than delegates)."""

    name: str
    organisations: int
    members: int
    seats: int
    candidates: int
    slate: str = ""  # the check's sentence; "" before the delegates are allocated
    slate_ok: bool = True


@dataclass(frozen=True)
class CongressFacts:
    """One township's congress round: its members, the candidate list and the elected (None while there are none),
    the rules' ceilings and floors, and the findings of ``party_composition.composition_check`` on each."""

    township: str
    title: str  # the round's title
    members: MemberCounts
    candidates: DelegateCounts | None
    elected: DelegateCounts | None
    seats: int  # the delegates allocated to the units
    young_age: int = 45
    cadre_ceiling: tuple[int, int] | None = None
    young_floor: tuple[int, int] | None = None
    candidate_findings: tuple[Finding, ...] = ()
    elected_findings: tuple[Finding, ...] = ()
    units: tuple[UnitFacts, ...] = ()

    @property
    def organisations(self) -> int:
        return sum(u.organisations for u in self.units)

    def subjects(self) -> list[tuple[str, DelegateCounts | None, tuple[Finding, ...]]]:
        return [(CANDIDATES, self.candidates, self.candidate_findings), (ELECTED, self.elected, self.elected_findings)]


def _sum_members(items: list[MemberCounts]) -> MemberCounts:
    return MemberCounts(sum(m.total for m in items), sum(m.women for m in items), sum(m.minorities for m in items))


def _sum_counts(items: list[DelegateCounts | None]) -> DelegateCounts | None:
    known = [d for d in items if d is not None]
    if not known:
        return None
    return DelegateCounts(*(sum(getattr(d, f) for d in known) for f in ("total", "cadres", "young", "women",
                                                                          "minorities")))


@dataclass
class CongressReport:
    scope_label: str
    scope_kind: str
    scope_key: str
    townships: tuple[CongressFacts, ...]
    generated_at: datetime | None = None
    members: MemberCounts = field(init=False)
    candidates: DelegateCounts | None = field(init=False)
    elected: DelegateCounts | None = field(init=False)

    def __post_init__(self):
        self.members = _sum_members([t.members for t in self.townships])
        self.candidates = _sum_counts([t.candidates for t in self.townships])
        self.elected = _sum_counts([t.elected for t in self.townships])

    @property
    def title(self) -> str:
        if self.scope_kind == "township":
            return f"{self.scope_label}党代表大会代表结构统计"
        return f"{self.scope_label}乡镇党代表大会代表结构统计"

    @property
    def young_age(self) -> int:
        return self.townships[0].young_age if self.townships else 45


def _share(n: int, d: int) -> Share:
    return Share(n, d)


def _requirement(facts: CongressFacts | None, dimension: str, members: MemberCounts) -> str:
    if dimension == "women":
        return f"不低于女党员占党员总数的比例{_share(members.women, members.total)}（{members.women}/{members.total}）"
    if dimension == "minorities":
        if not members.minorities:
            return "无少数民族党员，不作要求"
        return (f"不低于少数民族党员占党员总数的比例{_share(members.minorities, members.total)}"
                f"（{members.minorities}/{members.total}）")
    if facts is None:
        return ""
    if dimension == "young" and facts.young_floor:
        return f"不少于{percent_words(tuple(facts.young_floor))}"
    if dimension == "cadres" and facts.cadre_ceiling:
        return f"不超过{percent_words(tuple(facts.cadre_ceiling))}"
    return ""


def dimensions(young_age: int) -> list[tuple[str, str]]:
    return [("women", "女性"), ("minorities", "少数民族"), ("young", f"{young_age}岁以下"),
            ("cadres", "乡镇、村、经济组织、社会组织的党员干部")]


def structure_table(facts: CongressFacts | None, members: MemberCounts, candidates: DelegateCounts | None,
                    elected: DelegateCounts | None, young_age: int, *, key: str = "structure",
                    title: str = "代表结构") -> Table:
    """Candidates and elected side by side, each count with its base and share, and the rule beside."""
    columns = (Column("项目", 30), Column("候选人数", 8, True), Column("候选人总数", 9, True), Column("占比", 8, True),
               Column("当选人数", 8, True), Column("当选总数", 9, True), Column("占比", 8, True), Column("要求", 34))
    rows: list[tuple[Cell, ...]] = [("代表（候选人）总数", candidates.total if candidates else NOT_YET, None, None,
                                     elected.total if elected else NOT_YET, None, None, "")]
    for dimension, label in dimensions(young_age):
        cells: tuple[Cell, ...] = (label,)
        for counts in (candidates, elected):
            if counts is None:
                cells += (NOT_YET, None, None)
            else:
                n = getattr(counts, dimension)
                cells += (n, counts.total, _share(n, counts.total))
        rows.append(cells + (_requirement(facts, dimension, members),))
    return Table(key, title, columns, tuple(rows),
                 note=f"占比的基数为代表候选人总数、当选代表总数；{young_age}岁以下含{young_age}岁，按选举日计算；"
                      "妇女、少数民族代表的比例一般不少于本乡镇妇女、少数民族党员占党员总数的比例。")


def members_table(report: CongressReport) -> Table:
    columns = (Column("乡镇", 12), Column("届次", 22), Column("党组织", 8, True), Column("选举单位", 8, True),
               Column("正式党员", 9, True), Column("女党员", 8, True), Column("占比", 8, True),
               Column("少数民族党员", 10, True), Column("占比", 8, True), Column("代表名额", 8, True))
    rows = [(t.township, t.title, t.organisations, len(t.units), t.members.total, t.members.women,
             _share(t.members.women, t.members.total), t.members.minorities,
             _share(t.members.minorities, t.members.total), t.seats) for t in report.townships]
    if len(report.townships) > 1:
        m = report.members
        rows.append(("合计", "", sum(t.organisations for t in report.townships),
                     sum(len(t.units) for t in report.townships), m.total, m.women, _share(m.women, m.total),
                     m.minorities, _share(m.minorities, m.total), sum(t.seats for t in report.townships)))
    return Table("members", "党员和代表名额", columns, tuple(rows),
                 note="正式党员为各选举单位党员名册上有选举权的正式党员；占比的基数为正式党员。")


def townships_table(report: CongressReport) -> Table:
    """Each township's candidates and elected on one line each: counts and shares over their totals."""
    columns = [Column("乡镇", 12), Column("对象", 10), Column("总数", 6, True)]
    for _dimension, label in dimensions(report.young_age):
        short = "党员干部" if label.endswith("党员干部") else label
        columns += [Column(short, 8, True), Column("占比", 8, True)]
    rows = []
    for t in report.townships:
        for subject, counts, _findings in t.subjects():
            if counts is None:
                rows.append((t.township, subject, NOT_YET) + (None,) * 8)
                continue
            cells: tuple[Cell, ...] = (t.township, subject, counts.total)
            for dimension, _label in dimensions(report.young_age):
                n = getattr(counts, dimension)
                cells += (n, _share(n, counts.total))
            rows.append(cells)
    return Table("townships", "各乡镇代表结构", tuple(columns), tuple(rows),
                 note="占比的基数为本行总数（代表候选人总数或当选代表总数）。")


def checks_table(report: CongressReport) -> Table:
    columns = (Column("乡镇", 12), Column("对象", 10), Column("结论", 8), Column("说明", 70))
    rows = []
    for t in report.townships:
        for subject, counts, findings in t.subjects():
            if counts is None:
                rows.append((t.township, subject, NOT_YET, f"尚无{subject}"))
            for f in findings:
                rows.append((t.township, subject, VERDICTS.get(f.severity, "一般要求未达到"), f.message))
    return Table("checks", "结构要求检查", columns, tuple(rows),
                 note="党员干部代表的比例上限和年轻代表的比例下限为要求；妇女、少数民族代表的比例“一般不少于”，未达到时提示。")


def units_table(report: CongressReport) -> Table:
    county = report.scope_kind != "township"
    columns = ((Column("乡镇", 12),) if county else ()) + (
        Column("选举单位", 14), Column("党组织", 7, True), Column("正式党员", 9, True), Column("代表名额", 8, True),
        Column("代表候选人", 9, True), Column("差额", 6, True), Column("差额要求", 60))
    rows = tuple(((t.township,) if county else ()) + (
        u.name, u.organisations, u.members, u.seats, u.candidates if u.candidates else NOT_YET,
        u.candidates - u.seats if u.candidates else None, u.slate or "尚未分配代表名额")
        for t in report.townships for u in t.units)
    return Table("units", "各选举单位代表名额和候选人", columns, rows,
                 note="代表名额按各选举单位的正式党员分配；代表候选人为确定的候选人名单，差额 = 候选人数 − 代表名额。")


def report_tables(report: CongressReport) -> list[Table]:
    tables = [members_table(report)]
    if len(report.townships) == 1:
        t = report.townships[0]
        tables.append(structure_table(t, t.members, t.candidates, t.elected, t.young_age))
    else:
        tables.append(structure_table(None, report.members, report.candidates, report.elected, report.young_age,
                                      title="代表结构（合计）"))
    tables += [townships_table(report), checks_table(report), units_table(report)]
    return tables


def narrative(report: CongressReport, place: str) -> str:
    if not report.townships:
        return f"{place}尚无乡镇党代表大会代表选举。"
    m = report.members
    rounds = (f"{report.townships[0].title}代表选举" if report.scope_kind == "township"
              else f"{len(report.townships)}个乡镇党代表大会代表选举")
    organisations = sum(t.organisations for t in report.townships)
    units = sum(len(t.units) for t in report.townships)
    if units:
        rounds += f"，{organisations}个党组织编为{units}个选举单位，代表名额{sum(t.seats for t in report.townships)}名"
    parts = [f"{place}{rounds}，正式党员{m.total}名，其中女党员{m.women}名，"
             f"占{_share(m.women, m.total)}" + (f"，少数民族党员{m.minorities}名，占{_share(m.minorities, m.total)}"
                                              if m.minorities else "，无少数民族党员")]
    for subject, counts in ((CANDIDATES, report.candidates), (ELECTED, report.elected)):
        if counts is None:
            parts.append(f"尚无{subject}")
            continue
        parts.append(
            f"{subject}{counts.total}名，其中女性{counts.women}名，占{_share(counts.women, counts.total)}；"
            f"少数民族{counts.minorities}名，占{_share(counts.minorities, counts.total)}；"
            f"{report.young_age}岁以下{counts.young}名，占{_share(counts.young, counts.total)}；"
            f"党员干部{counts.cadres}名，占{_share(counts.cadres, counts.total)}")
    return "；".join(parts) + "。"
