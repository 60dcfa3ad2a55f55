"""The process of a round of village Party organisation elections, township by township and village by village
(issue 12 "Reports and papers"): the nomination method each village chose (两推一选 / 公推直选 / 两票制), each
recommendation or confidence stage's electorate, ballots issued and returned with 收回率 and 参加率, the 党员大会's
应到会 and 实到会, whether the quorum was met, the posts filled against the seats and the elections finished.
Reference 002 (两票制): "长沙坑村有97.5%的村民参加了信任投票，而中坊村则达到了99%" — the 参加率 here.

Pure module like ``reports.two_committees``: facts in, figures out; its tables are ``reports.tables.Table`` rows
laid out by the reports' own templates and workbook writer. The facts come from ``reports.branch_process_queries``.

Definitions (each share names its base):

- **收回率**: ballots returned over ballots issued; **参加率**: ballots returned over the stage's electorate (应参加
  人数). Returned ≤ issued ≤ electorate (the stage's records refuse anything else, and so does ``StageFacts``): neither
  rate can exceed 100%.
- **到会率**: the members present with voting rights (实到会) over 应到会 (read from the register when the 党员大会's round
  opened). Members on leave who come anyway count as present (``party_rules.quorum``), so it may exceed 100%.
- **达到法定人数**: ``party_rules.quorum`` (more than 4/5 of 应到会 unless the rules say otherwise), over the villages
  whose 实到会 is recorded.
- **职数**: the seats of each election less those a shortfall decision reduced (减少名额, with the upper level's
  consent); **选出**: the members elected (not declared void); **选举完成**: every seat filled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from candidates.party_pipeline import PIPELINES, STAGES
from villages.kinds import party_rules
from villages.kinds.party_branch import NOMINATION_METHOD_LABELS

from .figures import Share
from .tables import BASE, BASE_LABEL, COUNT, ITEM, SHARE, Cell, Column, Table

NOT_CHOSEN = "未确定"
NOT_RECORDED = "未登记"
STAGE_ORDER = tuple(code for method in NOMINATION_METHOD_LABELS for code in PIPELINES.get(method, ()))


@dataclass(frozen=True)
class StageFacts:
    """One recommendation or confidence stage as recorded (``candidates.models.PartyStage``)."""

    code: str
    electorate: int
    issued: int
    returned: int
    # The stage's ranking (``villages.kinds.party_ranking.rank_stage`` under the election's rules), None until the
    # votes are recorded: the members voted on, those reaching the minimum share (``condition``: 得信任票达到70%),
    # and those taken as 人选 within the preliminary ratio (reference 002: 5 formal candidates × 1.5 → 7).
    voted_on: int = 0
    passed: int | None = None
    chosen: int | None = None
    condition: str = ""

    def __post_init__(self):
        party_rules.require_counts(self.electorate, self.issued, self.returned)
        if not self.returned <= self.issued <= self.electorate:
            raise ValueError(f"{self.label}收回{self.returned}张、发出{self.issued}张、应参加{self.electorate}人，"
                             "须收回≤发出≤应参加")

    @property
    def label(self) -> str:
        return STAGES[self.code].label

    @property
    def return_rate(self) -> Share:
        """收回率: returned of issued."""
        return Share(self.returned, self.issued)

    @property
    def participation(self) -> Share:
        """参加率: returned of the electorate."""
        return Share(self.returned, self.electorate)


@dataclass(frozen=True)
class MeetingFacts:
    """The 党员大会 of the election's first round: 应到会 (None until the round opened), 实到会 (None until recorded)
    and the quorum the rules set."""

    expected: int | None
    present: int | None
    quorum_share: tuple[int, int] = (4, 5)
    quorum_strict: bool = True

    @property
    def attendance(self) -> Share | None:
        if self.expected is None or self.present is None:
            return None
        return Share(self.present, self.expected)

    @property
    def quorum_met(self) -> bool | None:
        if not self.expected or self.present is None:
            return None
        return party_rules.passes(self.present, self.expected, self.quorum_share, strict=self.quorum_strict)


@dataclass(frozen=True)
class BranchFacts:
    """One village's branch election of the round."""

    key: str  # village code
    name: str
    township: str
    method: str  # a NOMINATION_METHOD_LABELS key, or "" while not chosen
    stages: tuple[StageFacts, ...]
    meeting: MeetingFacts | None  # None: no round opened yet
    seats: int  # after the shortfall decisions
    seats_reduced: int
    elected: int
    member_seats: int | None = None  # the 委员 the 党员大会 elects with a 差额 slate (``party_pipeline.member_seats``)

    @property
    def method_label(self) -> str:
        return NOMINATION_METHOD_LABELS.get(self.method, NOT_CHOSEN)

    @property
    def expected_stages(self) -> tuple[str, ...]:
        """The stages of the method chosen, then any other recorded (a method changed after recording)."""
        codes = tuple(PIPELINES.get(self.method, ()))
        return codes + tuple(s.code for s in self.stages if s.code not in codes)

    def stage(self, code: str) -> StageFacts | None:
        return next((s for s in self.stages if s.code == code), None)

    @property
    def filled(self) -> Share:
        return Share(self.elected, self.seats)

    @property
    def finished(self) -> bool:
        """选举完成: every seat (after the shortfall decisions) filled."""
        return self.seats > 0 and self.elected >= self.seats


@dataclass(frozen=True)
class StageTotals:
    code: str
    villages: int
    electorate: int
    issued: int
    returned: int
    ranked: int = 0  # villages whose votes are recorded
    voted_on: int = 0
    passed: int = 0
    chosen: int = 0

    @property
    def label(self) -> str:
        return STAGES[self.code].label

    @property
    def return_rate(self) -> Share:
        return Share(self.returned, self.issued)

    @property
    def participation(self) -> Share:
        return Share(self.returned, self.electorate)


def stage_totals(villages: list[BranchFacts]) -> list[StageTotals]:
    """Each stage recorded somewhere in the scope, summed over the villages that recorded it."""
    result = []
    for code in STAGE_ORDER:
        held = [s for v in villages for s in v.stages if s.code == code]
        if held:
            ranked = [s for s in held if s.passed is not None]
            result.append(StageTotals(code, len(held), sum(s.electorate for s in held), sum(s.issued for s in held),
                                      sum(s.returned for s in held), len(ranked), sum(s.voted_on for s in ranked),
                                      sum(s.passed for s in ranked), sum(s.chosen for s in ranked)))
    return result


@dataclass
class BranchProcessReport:
    scope_label: str
    scope_kind: str
    scope_key: str
    rounds: tuple[str, ...]
    villages: tuple[BranchFacts, ...]
    generated_at: datetime | None = None
    stages: list[StageTotals] = field(init=False)

    def __post_init__(self):
        self.stages = stage_totals(list(self.villages))

    @property
    def title(self) -> str:
        return f"{self.scope_label}村党组织换届选举过程统计"

    @property
    def methods(self) -> dict[str, Share]:
        """Villages by nomination method (未确定 last), over the villages of the round."""
        total = len(self.villages)
        counts = {label: Share(sum(v.method == code for v in self.villages), total)
                  for code, label in NOMINATION_METHOD_LABELS.items()}
        counts[NOT_CHOSEN] = Share(sum(v.method not in NOMINATION_METHOD_LABELS for v in self.villages), total)
        return counts

    @property
    def meetings(self) -> list[MeetingFacts]:
        """The 党员大会 whose 应到会 and 实到会 are both known."""
        return [v.meeting for v in self.villages if v.meeting is not None and v.meeting.attendance is not None]

    @property
    def expected(self) -> int:
        return sum(m.expected for m in self.meetings)

    @property
    def present(self) -> int:
        return sum(m.present for m in self.meetings)

    @property
    def attendance(self) -> Share:
        return Share(self.present, self.expected)

    @property
    def quorum_met(self) -> Share:
        known = [m.quorum_met for m in self.meetings if m.quorum_met is not None]
        return Share(sum(known), len(known))

    @property
    def seats(self) -> int:
        return sum(v.seats for v in self.villages)

    @property
    def seats_reduced(self) -> int:
        return sum(v.seats_reduced for v in self.villages)

    @property
    def elected(self) -> int:
        return sum(v.elected for v in self.villages)

    @property
    def filled(self) -> Share:
        return Share(self.elected, self.seats)

    @property
    def finished(self) -> Share:
        return Share(sum(v.finished for v in self.villages), len(self.villages))


# --- Tables --------------------------------------------------------------------------------------


def _share_row(label: str, share: Share, base: str) -> tuple[Cell, ...]:
    return (label, share.numerator, share.denominator, share, base)


def methods_table(report: BranchProcessReport) -> Table:
    rows = tuple(_share_row(label, share, "参加换届的村") for label, share in report.methods.items()
                 if label != NOT_CHOSEN or share.numerator)
    return Table("methods", "候选人产生方式", (ITEM, COUNT, BASE, SHARE, BASE_LABEL), rows,
                 note="按各村党组织选举登记的候选人产生方式统计；“未确定”为尚未选择产生方式的村。")


STAGE_COLUMNS = (Column("环节", 14), Column("村数", 6, True), Column("应参加人数", 10, True),
                 Column("发出票数", 9, True), Column("收回票数", 9, True), Column("收回率", 9, True),
                 Column("参加率", 9, True))
RANKING_COLUMNS = (Column("得票人数", 8, True), Column("达到规定比例", 10, True), Column("确定人选", 8, True))


def stages_table(report: BranchProcessReport) -> Table:
    rows = tuple((t.label, t.villages, t.electorate, t.issued, t.returned, t.return_rate, t.participation)
                 + ((t.voted_on, t.passed, t.chosen) if t.ranked else (NOT_RECORDED, None, None))
                 for t in report.stages)
    return Table("stages", "推荐、信任投票", STAGE_COLUMNS + RANKING_COLUMNS, rows,
                 note="收回率 = 收回票数 ÷ 发出票数；参加率 = 收回票数 ÷ 应参加人数；各为登记了该环节的村之和。"
                      "收回票数不多于发出票数，发出票数不多于应参加人数，两个比率都不超过100%。"
                      "得票人数、达到规定比例、确定人选为已登记得票的村之和（规定比例和人选比例见各村明细）。")


def meeting_table(report: BranchProcessReport) -> Table:
    meetings = report.meetings
    rows: list[tuple[Cell, ...]] = [
        ("参加换届的村", len(report.villages), None, None, ""),
        ("已登记实到会的党员大会", len(meetings), None, None, ""),
        ("应到会党员", report.expected, None, None, "已登记实到会的党员大会"),
        _share_row("实到会有选举权的党员（到会率）", report.attendance, "应到会党员"),
        _share_row("到会人数符合规定的党员大会", report.quorum_met, "已登记实到会的党员大会"),
        ("应选职数", report.seats, None, None, "减少名额后"),
    ]
    if report.seats_reduced:
        rows.append(("其中：经上级党组织同意减少的名额", report.seats_reduced, None, None, ""))
    rows += [
        _share_row("已选出委员（选举到位）", report.filled, "应选职数"),
        _share_row("选举完成的村", report.finished, "参加换届的村"),
        ("尚未完成选举的村", report.finished.denominator - report.finished.numerator, None, None, ""),
    ]
    return Table("meetings", "党员大会和选举结果", (ITEM, COUNT, BASE, SHARE, BASE_LABEL), tuple(rows),
                 note="应到会人数为党员大会开始时按党员名册计算的有选举权的党员；请假后到会的计入实到会，到会率可能超过100%。"
                      "选举完成指应选职数（减少名额后）全部选出。")


def _place_columns(report: BranchProcessReport) -> tuple[Column, ...]:
    return (Column("乡镇", 12),) if report.scope_kind == "county" else ()


def _place(report: BranchProcessReport, v: BranchFacts) -> tuple[Cell, ...]:
    return (v.township,) if report.scope_kind == "county" else ()


def village_stage_table(report: BranchProcessReport) -> Table:
    columns = (_place_columns(report) + (Column("村", 12), Column("产生方式", 10)) + STAGE_COLUMNS[:1]
               + STAGE_COLUMNS[2:] + RANKING_COLUMNS + (Column("规定比例", 16), Column("应选委员", 8, True)))
    rows = []
    for v in report.villages:
        codes = v.expected_stages
        if not codes:
            rows.append(_place(report, v) + (v.name, v.method_label, NOT_CHOSEN) + (None,) * 10)
        for code in codes:
            s = v.stage(code)
            if s is None:
                rows.append(_place(report, v) + (v.name, v.method_label, STAGES[code].label, NOT_RECORDED)
                            + (None,) * 9)
                continue
            ranking = (s.voted_on, s.passed, s.chosen, s.condition, v.member_seats) if s.passed is not None else (
                NOT_RECORDED, None, None, s.condition, v.member_seats)
            rows.append(_place(report, v) + (v.name, v.method_label, s.label, s.electorate, s.issued, s.returned,
                                             s.return_rate, s.participation) + ranking)
    return Table("village-stages", "各村推荐、信任投票", columns, tuple(rows),
                 note="收回率 = 收回票数 ÷ 发出票数；参加率 = 收回票数 ÷ 应参加人数；“未登记”表示该环节或其得票尚未登记。"
                      "达到规定比例：得票达到本选举规则规定比例的人数；确定人选：其中按人选比例（如正式候选人数的1.5倍）"
                      "按得票多少确定的人数；应选委员：党员大会差额选举的委员名额。")


def village_meeting_table(report: BranchProcessReport) -> Table:
    columns = _place_columns(report) + (
        Column("村", 12), Column("产生方式", 10), Column("应到会", 8, True), Column("实到会", 8, True),
        Column("到会率", 8, True), Column("到会人数符合规定", 10), Column("应选职数", 8, True), Column("减少名额", 8, True),
        Column("已选出", 8, True), Column("选举到位", 8, True), Column("选举完成", 8),
    )
    rows = []
    for v in report.villages:
        m = v.meeting
        expected = m.expected if m and m.expected is not None else NOT_RECORDED
        present = m.present if m and m.present is not None else NOT_RECORDED
        rows.append(_place(report, v) + (
            v.name, v.method_label, expected, present, m.attendance if m else None,
            None if m is None else m.quorum_met, v.seats, v.seats_reduced, v.elected, v.filled,
            "已完成" if v.finished else "未完成",
        ))
    return Table("village-meetings", "各村党员大会和选举结果", columns, tuple(rows),
                 note="到会率 = 实到会 ÷ 应到会；选举到位 = 已选出 ÷ 应选职数（减少名额后）；“—”表示尚无数据。")


def by_township(report: BranchProcessReport) -> list[BranchProcessReport]:
    """The scope's townships, each as a report of its own villages (in the villages' order)."""
    groups: dict[str, list[BranchFacts]] = {}
    for v in report.villages:
        groups.setdefault(v.township, []).append(v)
    return [BranchProcessReport(name, "township", "", report.rounds, tuple(villages))
            for name, villages in groups.items()]


def township_tables(report: BranchProcessReport) -> list[Table]:
    """A county's townships: each stage's totals, and the meetings and results, one line per township."""
    townships = by_township(report)
    stage_rows = tuple((t.scope_label,) + (s.label, s.villages, s.electorate, s.issued, s.returned, s.return_rate,
                                           s.participation) for t in townships for s in t.stages)
    columns = (Column("乡镇", 12), Column("村数", 6, True), Column("两推一选", 8, True), Column("公推直选", 8, True),
               Column("两票制", 8, True), Column("未确定", 8, True), Column("应到会", 8, True), Column("实到会", 8, True),
               Column("到会率", 8, True), Column("到会人数符合规定", 10, True), Column("应选职数", 8, True),
               Column("已选出", 8, True), Column("选举到位", 8, True), Column("选举完成的村", 10, True),
               Column("尚未完成的村", 10, True))
    meeting_rows = []
    for t in townships:
        methods = t.methods
        meeting_rows.append((t.scope_label, len(t.villages), *(m.numerator for m in methods.values()), t.expected,
                             t.present, t.attendance, t.quorum_met.numerator, t.seats, t.elected, t.filled,
                             t.finished.numerator, t.finished.denominator - t.finished.numerator))
    return [
        Table("township-stages", "各乡镇推荐、信任投票", (Column("乡镇", 12),) + STAGE_COLUMNS, stage_rows,
              note="收回率 = 收回票数 ÷ 发出票数；参加率 = 收回票数 ÷ 应参加人数；各为该乡镇登记了该环节的村之和。"),
        Table("township-meetings", "各乡镇党员大会和选举结果", columns, tuple(meeting_rows),
              note="应到会、实到会为已登记实到会的党员大会之和，到会率 = 实到会 ÷ 应到会；"
                   "选举到位 = 已选出 ÷ 应选职数（减少名额后）。"),
    ]


def report_tables(report: BranchProcessReport) -> list[Table]:
    tables = [methods_table(report), stages_table(report), meeting_table(report)]
    if report.scope_kind == "county":
        tables += township_tables(report)
    return tables + [village_stage_table(report), village_meeting_table(report)]


# --- Narrative -----------------------------------------------------------------------------------


def narrative(report: BranchProcessReport, place: str) -> str:
    if not report.villages:
        return f"{place}尚无村党组织换届选举。"
    methods = "、".join(f"{label}{share.numerator}个村" for label, share in report.methods.items() if share.numerator)
    parts = [f"{place}{len(report.villages)}个村党组织换届选举，候选人产生方式：{methods}"]
    for t in report.stages:
        text = (f"{t.villages}个村{t.label}应参加{t.electorate}人，发出{t.issued}张，收回{t.returned}张，"
                f"收回率{t.return_rate}，参加率{t.participation}")
        if t.ranked:
            text += f"，{t.voted_on}人得票，{t.passed}人达到规定比例，确定人选{t.chosen}名"
        parts.append(text)
    if report.meetings:
        parts.append(f"已登记的{len(report.meetings)}个党员大会应到会{report.expected}人，实到会{report.present}人，"
                     f"到会率{report.attendance}，{report.quorum_met.numerator}个到会人数符合规定")
    parts.append(f"应选职数{report.seats}名，已选出{report.elected}名（{report.filled}）；"
                 f"选举完成{report.finished.numerator}个村，尚未完成"
                 f"{report.finished.denominator - report.finished.numerator}个村")
    return "；".join(parts) + "。"
