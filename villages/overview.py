"""Reads for the township dashboard: every village's stage and every overdue item."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .extensions import ElectionStatus, calendars, election_statuses, one_pass
from .legal_calendar import DUE, CalendarItem
from .models import Election


@dataclass(frozen=True)
class ElectionRow:
    election: Election
    overdue: list[CalendarItem]
    next_due: CalendarItem | None
    statuses: list[ElectionStatus]


def election_rows(elections, *, today: date) -> list[ElectionRow]:
    """One row per election with its overdue items and the next item due."""
    elections = list(elections)
    with one_pass():  # the calendar facts and the statuses share one computation of the counts
        all_items = calendars(elections, today=today)
        all_statuses = election_statuses(elections)
    rows = []
    for election in elections:
        items = all_items[election.pk]
        overdue = [item for item in items if item.is_overdue]
        upcoming = [item for item in items if item.status == DUE and item.deadline]
        next_due = min(upcoming, key=lambda item: item.deadline) if upcoming else None
        rows.append(ElectionRow(election=election, overdue=overdue, next_due=next_due, statuses=all_statuses[election.pk]))
    return rows
