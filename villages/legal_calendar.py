"""The legal calendar of one village's election, computed from its election day and its preset.

Day counting follows LAW.md §0.2:
- "选举日的N日前" (N days before election day): done on or before ``election_day - N days``;
- "自…之日起N日内" (within N days of a day): ``start + N days``, the start day not counted (Civil
  Code Art. 201); with ``count_start_day`` (an office that counts the start day as day 1) it is
  ``start + N - 1``.
Statutory holidays are not moved over (Art. 203): no holiday table is kept here, so deadlines are
shown as computed and the office decides; LAW.md says to warn, not block.

Pure module: takes dates and parameters, never calls ``date.today()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .law import CIVIL_CODE, OL_2018, Citation
from .presets import MODE_SELF_NOMINATION, RuleParameters

DONE = "done"
DONE_LATE = "done_late"
DUE = "due"
OVERDUE = "overdue"
PENDING = "pending"  # waits on an earlier act (e.g. no publication yet, so no appeal window)
SKIPPED = "skipped"  # not done, and no longer due: the election it prepared has been held

STATUS_LABELS = {
    DONE: "已完成",
    DONE_LATE: "已完成（逾期）",
    DUE: "待办",
    OVERDUE: "已逾期",
    PENDING: "未开始",
    SKIPPED: "未办理（选举已举行）",
}


@dataclass(frozen=True)
class CalendarFacts:
    """What has happened so far in one election (the dates recorded on it)."""

    election_day: date
    committee_chosen_on: date | None = None
    voter_list_published_on: date | None = None
    last_appeal_received_on: date | None = None
    appeals_all_decided_on: date | None = None
    candidate_list_published_on: date | None = None
    proxy_list_published_on: date | None = None
    results_announced_on: date | None = None
    new_committee_formed_on: date | None = None
    handover_completed_on: date | None = None
    archived_on: date | None = None
    runoff_needed: bool = False
    runoff_held_on: date | None = None


@dataclass(frozen=True)
class CalendarItem:
    code: str
    label: str
    deadline: date | None
    done_on: date | None
    status: str
    rule: str
    citation: Citation | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_overdue(self) -> bool:
        return self.status in (OVERDUE, DONE_LATE)


def days_before(day: date, n: int) -> date:
    return day - timedelta(days=n)


def within_days(start: date, n: int, *, count_start_day: bool = False) -> date:
    """The last day of "自start之日起n日内"."""
    return start + timedelta(days=n - 1 if count_start_day else n)


def status_of(deadline: date | None, done_on: date | None, today: date) -> str:
    if done_on is not None:
        return DONE_LATE if deadline is not None and done_on > deadline else DONE
    if deadline is None:
        return PENDING
    return OVERDUE if today > deadline else DUE


def build_calendar(facts: CalendarFacts, params: RuleParameters, *, today: date) -> list[CalendarItem]:
    """Every dated step of the election with its deadline and status as of ``today``."""
    d = facts.election_day
    items: list[CalendarItem] = []

    def add(code, label, deadline, done_on, rule, citation=None, status=None):
        items.append(
            CalendarItem(
                code=code,
                label=label,
                deadline=deadline,
                done_on=done_on,
                status=status or status_of(deadline, done_on, today),
                rule=rule,
                citation=citation,
            )
        )

    publish_deadline = days_before(d, params.voter_list_publish_days_before)
    add(
        "committee",
        "推选村民选举委员会",
        publish_deadline,
        facts.committee_chosen_on,
        "选民登记开始前推选产生",
        OL_2018.art(12, 2),
    )
    add(
        "voter_list",
        "公布选民名单（张榜公布）",
        publish_deadline,
        facts.voter_list_published_on,
        f"选举日的{params.voter_list_publish_days_before}日前",
        OL_2018.art(14, 1),
    )

    published = facts.voter_list_published_on
    window_end = (
        within_days(published, params.voter_appeal_window_days, count_start_day=params.count_start_day)
        if published
        else None
    )
    if window_end is None:
        window_status = PENDING
    else:
        window_status = DONE if today > window_end else DUE
    add(
        "appeal_window",
        "受理选民资格申诉",
        window_end,
        window_end if window_end and today > window_end else None,
        f"自名单公布之日起{params.voter_appeal_window_days}日内提出",
        OL_2018.art(14, 2),
        status=window_status,
    )
    last_received = facts.last_appeal_received_on
    decision_deadline = (
        within_days(last_received, params.voter_appeal_decision_days, count_start_day=params.count_start_day)
        if last_received
        else None
    )
    add(
        "appeal_decisions",
        "作出申诉处理决定并公布",
        decision_deadline,
        facts.appeals_all_decided_on if last_received else None,
        f"自收到申诉之日起{params.voter_appeal_decision_days}日内",
        OL_2018.art(14, 2),
        status=None if last_received else (DONE if window_end and today > window_end else PENDING),
    )

    if MODE_SELF_NOMINATION in params.nomination_modes and params.self_nominee_register_days_before:
        add(
            "self_nomination",
            "自荐报名截止",
            days_before(d, params.self_nominee_register_days_before),
            None,
            f"选举日的{params.self_nominee_register_days_before}日前",
            status=DONE if facts.candidate_list_published_on else None,
        )
    candidate_deadline = days_before(d, params.candidate_list_days_before) if params.candidate_list_days_before else d
    add(
        "candidate_list",
        "公布正式候选人名单",
        candidate_deadline,
        facts.candidate_list_published_on,
        f"选举日的{params.candidate_list_days_before}日前" if params.candidate_list_days_before else "选举日前",
        OL_2018.art(15, 1),
    )
    if params.candidate_withdraw_days_before:
        add(
            "candidate_withdrawal",
            "候选人书面退出截止",
            days_before(d, params.candidate_withdraw_days_before),
            None,
            f"选举日的{params.candidate_withdraw_days_before}日前",
            status=DONE if today > days_before(d, params.candidate_withdraw_days_before) else DUE,
        )
    proxy_request = days_before(d, params.proxy_request_days_before or 1)
    add(
        "proxy_requests",
        "办理委托投票手续截止",
        proxy_request,
        None,
        f"选举日的{params.proxy_request_days_before}日前" if params.proxy_request_days_before else "选举日前",
        OL_2018.art(15, 4),
        status=DONE if today > proxy_request else DUE,
    )
    add(
        "proxy_list",
        "公布委托人和受委托人名单",
        days_before(d, params.proxy_publish_days_before or 1),
        facts.proxy_list_published_on,
        f"选举日的{params.proxy_publish_days_before}日前" if params.proxy_publish_days_before else "选举日前",
        OL_2018.art(15, 4),
    )
    add("election_day", "投票选举，当场公布结果", d, facts.results_announced_on, "选举日", OL_2018.art(15, 3))
    if facts.runoff_needed:
        runoff_deadline = d + timedelta(days=params.runoff_within_days) if params.runoff_within_days else d
        add(
            "runoff",
            "另行选举",
            runoff_deadline,
            facts.runoff_held_on,
            f"选举日起{params.runoff_within_days}日内" if params.runoff_within_days else "当日进行",
            OL_2018.art(15, 2),
        )
    formed = facts.new_committee_formed_on
    add(
        "handover",
        "完成工作移交",
        within_days(formed, params.handover_days) if formed else None,
        facts.handover_completed_on,
        f"自新一届村委会产生之日起{params.handover_days}日内" + ("（印章当日移交）" if params.seal_handover_same_day else ""),
        OL_2018.art(20),
    )
    add(
        "archive",
        "选举资料归档",
        None,
        facts.archived_on,
        "结果认定后归档",
        OL_2018.art(34),
        status=DONE if facts.archived_on else (DUE if facts.handover_completed_on else PENDING),
    )
    return _settle(items, facts)


def _settle(items: list[CalendarItem], facts: CalendarFacts) -> list[CalendarItem]:
    """Once the election has been held, a preparation step still "due" (e.g. no proxies, so no proxy
    list) is no longer due; once it is archived, nothing is. A finished election shows no future deadline."""
    from dataclasses import replace

    held = facts.results_announced_on is not None
    settled = []
    for item in items:
        before_vote = item.deadline is not None and item.deadline <= facts.election_day and item.code != "election_day"
        if item.status == DUE and (facts.archived_on or (held and before_vote)):
            item = replace(item, status=SKIPPED)
        settled.append(item)
    return settled


def day_counting_citation() -> Citation:
    return CIVIL_CODE.art(201)
