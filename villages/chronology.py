"""Dates that cannot lie: every dated act of an election against its prerequisites and its legal window.

Each act (``ACTS``) names the facts that must come before it and the legal window it belongs in
(LAW.md §0.2; the parameters of the election's preset). ``check_act`` answers, for a proposed date:

- **errors** (``ERROR``): impossible dates, refused outright — a date in the future, an act before one
  of its prerequisites (the voter list "published" before any voter was registered, results announced
  before the voting day, a tally entered before the voting day), or an act that must precede the
  election dated after it;
- **warnings** (``WARNING``): lawful but outside the window (a list published later than E−20, a vote held
  on another day than the election day, a round opened whose deadlines have already passed). The act is
  allowed only with a written reason, which is recorded (``DateException``), shown on the calendar and
  written to the audit log.

The table is the rule: a test walks every act × prerequisite. Pure module: dates and parameters in,
findings out; it never reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .presets import RuleParameters

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    code: str
    level: str
    message: str


@dataclass(frozen=True)
class Act:
    """One dated act: what must come before it (fact names) and where its legal window is."""

    code: str
    label: str
    after: tuple[str, ...] = ()  # facts that must be on or before the act's date
    before_election_day: bool = False  # the act belongs before the election day (strictly)
    not_before_election_day: bool = False  # the act cannot precede the election day
    latest: object = None  # (params, facts) -> the last lawful day, or None
    earliest: object = None  # (params, facts) -> the first lawful day, or None
    window_rule: str = ""
    planned: bool = False  # may be recorded ahead (a round opened for its voting day); not "in the future"


FACT_LABELS = {
    "committee_chosen_on": "推选村民选举委员会",
    "first_registered_on": "登记第一名选民",
    "voter_list_published_on": "公布选民名单",
    "candidate_list_published_on": "公布正式候选人名单",
    "round_held_on": "投票",
    "results_announced_on": "公布选举结果",
    "new_committee_formed_on": "新一届村委会产生",
}


def _days_before(n_attr: str):
    def latest(params: RuleParameters, facts: dict) -> date | None:
        n = getattr(params, n_attr, None)  # a kind without the deadline has no window for it
        return facts["election_day"] - timedelta(days=n) if n else None

    return latest


def _election_day(params, facts):
    return facts["election_day"]


def _runoff_latest(params, facts):
    return facts["election_day"] + timedelta(days=params.runoff_within_days or 0)


def _handover_latest(params, facts):
    formed = facts.get("new_committee_formed_on")
    days = getattr(params, "handover_days", None)  # a kind without a 工作移交 (人大) has no such window
    return formed + timedelta(days=days) if formed and days is not None else None


ACTS: dict[str, Act] = {act.code: act for act in (
    Act("campaign_opened", "开启换届选举", latest=_days_before("voter_list_publish_days_before"),
        window_rule="开启时各村公布选民名单的法定期限（选举日前{n}日）尚未届满"),
    Act("committee_chosen", "推选村民选举委员会", before_election_day=True,
        latest=_days_before("voter_list_publish_days_before"), window_rule="在公布选民名单之前推选产生"),
    Act("voter_list_published", "公布选民名单", after=("committee_chosen_on", "first_registered_on"),
        before_election_day=True, latest=_days_before("voter_list_publish_days_before"),
        window_rule="选举日的{n}日前"),
    Act("initial_candidate_list_published", "公布初步代表候选人名单", after=("voter_list_published_on",),
        before_election_day=True, latest=_days_before("initial_candidate_list_days_before"),
        window_rule="选举日的{n}日前"),
    Act("candidate_list_published", "公布正式候选人名单", after=("voter_list_published_on",),
        before_election_day=True, latest=_days_before("candidate_list_days_before"), window_rule="选举日的{n}日前"),
    Act("proxy_list_published", "公布委托投票名单", after=("voter_list_published_on",),
        latest=_days_before("proxy_publish_days_before"), window_rule="选举日的{n}日前"),
    Act("first_round_held", "投票选举", after=("voter_list_published_on", "candidate_list_published_on"),
        earliest=_election_day, latest=_election_day, window_rule="在选举日投票", planned=True),
    Act("runoff_held", "另行选举", after=("round_held_on",), not_before_election_day=True,
        earliest=_election_day, latest=_runoff_latest, window_rule="选举日起{n}日内另行选举", planned=True),
    Act("tally_recorded", "录入计票结果", after=("round_held_on",)),
    Act("results_announced", "公布选举结果", after=("round_held_on",), not_before_election_day=True),
    Act("new_committee_formed", "新一届村委会产生", after=("results_announced_on",), not_before_election_day=True),
    Act("handover_completed", "完成工作移交", after=("new_committee_formed_on",), latest=_handover_latest,
        window_rule="自新一届村委会产生之日起{n}日内"),
)}

# The legal calendar's item (``villages.legal_calendar``) that each act fills, to show its 日期说明 there.
CALENDAR_ITEMS = {
    "committee_chosen": "committee",
    "voter_list_published": "voter_list",
    "candidate_list_published": "candidate_list",
    "initial_candidate_list_published": "initial_list",
    "proxy_list_published": "proxy_list",
    "first_round_held": "election_day",
    "results_announced": "election_day",
    "runoff_held": "runoff",
    "new_committee_formed": "handover",
    "handover_completed": "handover",
}

_WINDOW_N = {
    "campaign_opened": "voter_list_publish_days_before",
    "voter_list_published": "voter_list_publish_days_before",
    "candidate_list_published": "candidate_list_days_before",
    "initial_candidate_list_published": "initial_candidate_list_days_before",
    "proxy_list_published": "proxy_publish_days_before",
    "runoff_held": "runoff_within_days",
    "handover_completed": "handover_days",
}


def check_act(code: str, *, on: date, facts: dict, params: RuleParameters, today: date) -> list[Finding]:
    """Findings for doing act ``code`` on ``on``. ``facts`` holds ``election_day`` and the dates of
    earlier acts (``FACT_LABELS``; None when not done). Errors first, then warnings."""
    act = ACTS[code]
    d = facts["election_day"]
    findings: list[Finding] = []
    if on > today and not act.planned:
        findings.append(Finding("date_in_future", ERROR, f"{act.label}的日期{_cn(on)}晚于今天（{_cn(today)}），不能预先登记。"))
    for fact in act.after:
        if fact not in facts:
            continue  # not known to the caller: that app checks it (e.g. the stage checklist)
        before = facts[fact]
        if before is None:
            if fact in ("round_held_on", "first_registered_on", "results_announced_on", "new_committee_formed_on"):
                findings.append(Finding("prerequisite_missing", ERROR, f"尚未{FACT_LABELS[fact]}，不能{act.label}。"))
            continue
        if on < before:
            findings.append(Finding(
                "before_prerequisite", ERROR,
                f"{act.label}的日期{_cn(on)}早于{FACT_LABELS[fact]}的日期{_cn(before)}，日期有误。"))
    if act.before_election_day and on >= d:
        findings.append(Finding("not_before_election_day", ERROR,
                                f"{act.label}应在选举日（{_cn(d)}）之前，所填日期为{_cn(on)}。"))
    if act.not_before_election_day and on < d:
        findings.append(Finding("before_election_day", ERROR,
                                f"{act.label}的日期{_cn(on)}早于选举日（{_cn(d)}）。"))
    if any(f.level == ERROR for f in findings):
        return findings
    rule = act.window_rule.format(n=getattr(params, _WINDOW_N.get(code, ""), "") if code in _WINDOW_N else "")
    latest = act.latest(params, facts) if act.latest else None
    earliest = act.earliest(params, facts) if act.earliest else None
    if latest is not None and on > latest:
        findings.append(Finding("after_legal_window", WARNING,
                                f"{act.label}的日期{_cn(on)}晚于法定期限{_cn(latest)}（{rule}）。"))
    if earliest is not None and on < earliest:
        findings.append(Finding("before_legal_window", WARNING,
                                f"{act.label}的日期{_cn(on)}早于{_cn(earliest)}（{rule}）。"))
    return findings


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.level == ERROR]


def warnings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.level == WARNING]


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
