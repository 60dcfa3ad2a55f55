"""Extension points for the apps after ``villages`` (STYLE.md §1: dependencies run one way).

The setup stage owns the legal calendar, the dashboard and the village page, but some of what they
show belongs to later stages: appeal dates (voters), whether a runoff is needed and where the count
stands (ballots), announced results (ballots). Each later app registers a provider in its
``AppConfig.ready()``; providers take a whole list of elections so pages keep a constant number of
queries.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date

from .legal_calendar import CalendarItem

CalendarFactsProvider = Callable[[list], dict[int, dict]]
StatusProvider = Callable[[list], dict[int, "ElectionStatus"]]
VillagePanel = Callable[[object, object], "tuple[str, dict] | None"]
WriteListener = Callable[[object], None]

_calendar_facts: list[CalendarFactsProvider] = []
_statuses: list[StatusProvider] = []
_village_panels: list[VillagePanel] = []
_party_registers: list[Callable[[object], "PartyRegisterFacts | None"]] = []


@dataclass(frozen=True)
class PartyRegisterFacts:
    """What a Party election's setup needs from its member register (党员名册, kept by ``voters``): the full
    members (正式党员, the committee's size follows them), those with voting rights, and 应到会 with its
    arithmetic in one sentence (``party_rules.expected_attendance``)."""

    members: int
    full: int
    entitled: int
    expected: int
    expected_text: str


_write_listeners: list[WriteListener] = []


@dataclass(frozen=True)
class ElectionStatus:
    """A line about one election from a later stage, e.g. "选出2名成员，不足3名，选举未完成"."""

    label: str
    detail: str
    level: str = "info"  # info / warning / danger / success (Bootstrap colours)


def register_calendar_facts(provider: CalendarFactsProvider) -> CalendarFactsProvider:
    """``provider(elections) -> {election_pk: {CalendarFacts field: value}}``."""
    if provider not in _calendar_facts:
        _calendar_facts.append(provider)
    return provider


def register_election_status(provider: StatusProvider) -> StatusProvider:
    """``provider(elections) -> {election_pk: ElectionStatus}`` for the dashboard."""
    if provider not in _statuses:
        _statuses.append(provider)
    return provider


def register_village_panel(panel: VillagePanel) -> VillagePanel:
    """``panel(village, user) -> (template_name, context)`` or None, shown on the village page."""
    if panel not in _village_panels:
        _village_panels.append(panel)
    return panel


def register_party_register(provider: Callable[[object], "PartyRegisterFacts | None"]):
    """``provider(election) -> PartyRegisterFacts`` or None (not a Party election)."""
    if provider not in _party_registers:
        _party_registers.append(provider)
    return provider


def party_register(election) -> PartyRegisterFacts | None:
    """The member register's figures of a Party election; None when no app keeps one."""
    for provider in _party_registers:
        facts = provider(election)
        if facts is not None:
            return facts
    return None


def register_election_write(listener: WriteListener) -> WriteListener:
    """``listener(election)`` is called by ``villages.access.lock_election_for_write``, inside the
    writing transaction of every write service of an election (voters, nominations, tallies, results,
    certification): the reports keep their per-election aggregates with it."""
    if listener not in _write_listeners:
        _write_listeners.append(listener)
    return listener


def election_written(election) -> None:
    for listener in _write_listeners:
        listener(election)


def calendar_extras(elections) -> dict[int, dict]:
    """The calendar facts later stages contribute for each election (a runoff needed or held, …)."""
    extra: dict[int, dict] = {e.pk: {} for e in elections}
    for provider in _calendar_facts:
        for pk, facts in provider(elections).items():
            extra[pk].update(facts)
    return extra


def calendars(elections, *, today: date, extras: dict[int, dict] | None = None) -> dict[int, list[CalendarItem]]:
    """The legal calendar of each election, with the facts later stages contribute (``extras``, when the caller
    has them already)."""
    elections = list(elections)
    extra = calendar_extras(elections) if extras is None else extras
    return {
        e.pk: e.campaign.kind.legal_calendar(dataclasses.replace(e.calendar_facts(), **extra[e.pk]), e.rules, today=today)
        for e in elections
    }


def election_statuses(elections) -> dict[int, list[ElectionStatus]]:
    elections = list(elections)
    result: dict[int, list[ElectionStatus]] = {e.pk: [] for e in elections}
    for provider in _statuses:
        for pk, status in provider(elections).items():
            result[pk].append(status)
    return result


def village_panels(village, user) -> list[tuple[str, dict]]:
    return [panel for panel in (p(village, user) for p in _village_panels) if panel]


# --- Work shared between providers within one page -------------------------------------------------

_shared: ContextVar[dict | None] = ContextVar("extension_shared_work", default=None)


@contextmanager
def one_pass() -> Iterator[None]:
    """Within the block, providers may share work through ``shared``: the dashboard asks for the
    calendar facts and the statuses of the same elections, and both need the same counts. Outside a
    block nothing is kept, so no page ever sees numbers computed before a change."""
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def shared(key, compute: Callable[[], object]):
    """``compute()``, once per ``key`` inside a ``one_pass`` block; every time outside one."""
    memo = _shared.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]
