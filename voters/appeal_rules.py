"""Appeals against the published voter list: when one may be filed and when it must be decided
(OL §14 ¶2; LAW.md §1.4, day counting §0.2).

- "自名单公布之日起五日内" (``voter_appeal_window_days``): the last day to file is
  ``published_on + N days``, the publication day not counted (Civil Code Art. 201); an office that
  counts the publication day as day 1 (``count_start_day``) ends one day earlier.
- "自收到申诉之日起三日内" (``voter_appeal_decision_days``): the decision is due by
  ``received_on + N days``, counted the same way.
- A late appeal is refused where the preset says so (``late_appeals_refused``; Henan Art. 21:
  "超过提出异议期限的，不予受理").

Pure module: plain dates and numbers in, codes and dates out; no ORM, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from villages.legal_calendar import within_days

ERROR_MESSAGES = {
    "not_published": "选民名单尚未公布，不能受理对名单的申诉。",
    "before_publication": "收到申诉的日期（{received}）早于选民名单公布日期（{published}）。",
    "received_in_future": "收到申诉的日期不能晚于今天。",
    "window_closed": (
        "申诉期已于{deadline}届满（自名单公布之日起{days}日内提出），{received}收到的申诉不予受理"
        "（村民委员会组织法第十四条）。"
    ),
    "decided_before_received": "决定日期不能早于收到申诉的日期。",
    "decided_in_future": "决定日期不能晚于今天。",
    "published_before_decided": "决定公布日期不能早于决定日期。",
}


@dataclass(frozen=True)
class Problem:
    code: str
    message: str


def filing_deadline(published_on: date, *, window_days: int, count_start_day: bool) -> date:
    """The last day on which an appeal against the list may be received."""
    return within_days(published_on, window_days, count_start_day=count_start_day)


def decision_deadline(received_on: date, *, decision_days: int, count_start_day: bool) -> date:
    """The last day on which the committee must decide an appeal received on ``received_on``."""
    return within_days(received_on, decision_days, count_start_day=count_start_day)


def filing_problems(
    *,
    published_on: date | None,
    received_on: date,
    today: date,
    window_days: int,
    count_start_day: bool,
    late_appeals_refused: bool = True,
) -> list[Problem]:
    """Why an appeal received on ``received_on`` cannot be accepted; empty if it can."""
    if published_on is None:
        return [_problem("not_published")]
    if received_on > today:
        return [_problem("received_in_future")]
    if received_on < published_on:
        return [_problem("before_publication", received=_cn(received_on), published=_cn(published_on))]
    deadline = filing_deadline(published_on, window_days=window_days, count_start_day=count_start_day)
    if late_appeals_refused and received_on > deadline:
        return [_problem("window_closed", deadline=_cn(deadline), days=window_days, received=_cn(received_on))]
    return []


def decision_problems(
    *, received_on: date, decided_on: date, published_on: date | None, today: date
) -> list[Problem]:
    """Why a decision with these dates cannot be recorded; a late decision is allowed but flagged."""
    problems = []
    if decided_on < received_on:
        problems.append(_problem("decided_before_received"))
    if decided_on > today:
        problems.append(_problem("decided_in_future"))
    if published_on is not None and published_on < decided_on:
        problems.append(_problem("published_before_decided"))
    return problems


def is_overdue(
    *, received_on: date, decided_on: date | None, today: date, decision_days: int, count_start_day: bool
) -> bool:
    """True when the decision was (or, still undecided, is now) later than the legal deadline."""
    deadline = decision_deadline(received_on, decision_days=decision_days, count_start_day=count_start_day)
    return (decided_on or today) > deadline


@dataclass(frozen=True)
class AppealDates:
    received_on: date
    decided_on: date | None


@dataclass(frozen=True)
class AppealSummary:
    """What the legal calendar needs: the last appeal received and when the last one was decided."""

    last_received_on: date | None
    all_decided_on: date | None  # None while any appeal is undecided, or when there are none
    undecided: int


def summarize(appeals: Iterable[AppealDates]) -> AppealSummary:
    appeals = list(appeals)
    if not appeals:
        return AppealSummary(last_received_on=None, all_decided_on=None, undecided=0)
    undecided = sum(1 for a in appeals if a.decided_on is None)
    return AppealSummary(
        last_received_on=max(a.received_on for a in appeals),
        all_decided_on=None if undecided else max(a.decided_on for a in appeals),
        undecided=undecided,
    )


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _problem(code: str, **values: object) -> Problem:
    return Problem(code=code, message=ERROR_MESSAGES[code].format(**values))
