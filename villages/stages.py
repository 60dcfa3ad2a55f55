"""The stages of one village's election and what must be ready before each (DOMAIN.md "Stages and
the legal calendar").

An election moves only through explicit actions (``villages.services.advance_stage``), each guarded
by a checklist. The checklist is assembled from requirement providers: this module knows the facts
that the setup stage owns (election day, seats, election committee, the dates recorded on the
election); later apps (voters, candidates, ballots, archive) register providers for the facts they
own, so that dependencies keep running one way (STYLE.md §1).

Pure module: no ORM imports. Providers receive the election object and return ``ChecklistItem``s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

PREPARATION = "preparation"
REGISTRATION = "registration"
LIST_PUBLISHED = "list_published"
APPEALS_CLOSED = "appeals_closed"
NOMINATION = "nomination"
VOTING = "voting"
RUNOFF = "runoff"
HANDOVER = "handover"
ARCHIVED = "archived"

STAGES = (
    (PREPARATION, "准备"),
    (REGISTRATION, "选民登记"),
    (LIST_PUBLISHED, "公布选民名单"),
    (APPEALS_CLOSED, "申诉处理完毕"),
    (NOMINATION, "提名候选人"),
    (VOTING, "投票选举"),
    (RUNOFF, "另行选举"),
    (HANDOVER, "工作移交"),
    (ARCHIVED, "归档"),
)
STAGE_LABELS = dict(STAGES)
STAGE_ORDER = [code for code, _ in STAGES]

# The runoff is entered only when seats are unfilled; otherwise voting is followed by handover.
OPTIONAL_STAGES = {RUNOFF}

# The date an action records when the election enters a stage (the act that marks the stage).
STAGE_DATE_FIELDS = {
    LIST_PUBLISHED: ("voter_list_published_on", "选民名单公布日期"),
    VOTING: ("candidate_list_published_on", "候选人名单公布日期"),
    HANDOVER: ("new_committee_formed_on", "新一届村委会产生日期"),
    ARCHIVED: ("handover_completed_on", "工作移交完成日期"),
}


# The stage app whose work each stage is (``Kind.stage_apps`` says which apps serve a kind).
STAGE_APPS = {
    PREPARATION: "villages",
    REGISTRATION: "voters",
    LIST_PUBLISHED: "voters",
    APPEALS_CLOSED: "voters",
    NOMINATION: "candidates",
    VOTING: "ballots",
    RUNOFF: "ballots",
    HANDOVER: "archive",
    ARCHIVED: "archive",
}


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    label: str
    ok: bool
    detail: str = ""
    # Whether the election page offers the stage at all, not whether the election may enter it: unmet, the page
    # leaves the stage out (a Party election's 另行选举 without the office's decision for another round), while a
    # service that moves the election on by itself (the announcement) is not held back.
    offer_only: bool = False


def offered(items: list[ChecklistItem]) -> bool:
    """Whether a page offers the stage whose checklist is ``items``."""
    return all(item.ok for item in items if item.offer_only)


Provider = Callable[[object, str, date], list[ChecklistItem]]
_providers: list[Provider] = []


def register_requirements(provider: Provider) -> Provider:
    """Register ``provider(election, target_stage, today) -> [ChecklistItem]``; usable as a decorator.

    Called from each app's ``AppConfig.ready()``. Registering the same function twice is a no-op.
    """
    if provider not in _providers:
        _providers.append(provider)
    return provider


def checklist(election, target: str, today: date) -> list[ChecklistItem]:
    items: list[ChecklistItem] = []
    for provider in _providers:
        items.extend(provider(election, target, today))
    return items


def serves(kind, stage: str) -> bool:
    """Whether ``kind``'s elections can enter ``stage``: its app serves the kind (``Kind.stage_apps``)."""
    return STAGE_APPS[stage] in kind.stage_apps


def sequence(kind=None) -> tuple[str, ...]:
    """The stages ``kind``'s elections go through, in order (``Kind.stage_sequence``; every stage when it names
    none). A kind's sequence is a subsequence of ``STAGE_ORDER``, so ``stage_index`` compares stages of any kind."""
    return tuple(getattr(kind, "stage_sequence", ()) or STAGE_ORDER)


def next_stages(current: str, kind=None) -> list[str]:
    """The stages an election of ``kind`` may move to from ``current``: the next one of its sequence, and past an
    optional one."""
    order = sequence(kind)
    index = order.index(current)
    result = []
    for code in order[index + 1 :]:
        result.append(code)
        if code not in OPTIONAL_STAGES:
            break
    return result


def track(kind, current: str, *, entered_optional: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """Each stage of ``kind``'s sequence and its state on the election page's track: "done", "current", "skipped"
    (an optional stage the election went past without entering: no 另行选举 was needed), or "" (ahead).
    ``entered_optional``: the optional stages the election did enter (a runoff was held or is needed)."""
    order = sequence(kind)
    position = order.index(current)
    states = []
    for index, code in enumerate(order):
        if index == position:
            states.append((code, "current"))
        elif index > position:
            states.append((code, ""))
        else:
            states.append((code, "skipped" if code in OPTIONAL_STAGES and code not in entered_optional else "done"))
    return states


def stage_index(code: str) -> int:
    return STAGE_ORDER.index(code)
