"""Reads for the dashboards: every village's stage and every overdue item, per township and per county."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from . import stages
from .extensions import ElectionStatus, calendars, election_statuses, one_pass
from .legal_calendar import DUE, CalendarItem
from .models import Campaign, Election, Township


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


@dataclass(frozen=True)
class OverdueItem:
    election: Election
    item: CalendarItem
    days: int  # days past the deadline (as of today), or days late when it was done late


@dataclass(frozen=True)
class TownshipProgress:
    """One township's line on the county page: its latest round, its villages by stage, what is overdue."""

    township: Township
    campaign: Campaign | None
    villages: int
    stages: list[tuple[str, int]]  # (stage label, villages at that stage), in stage order, none empty
    overdue_items: int
    villages_with_overdue: int


def county_progress(townships, campaigns: dict[int, Campaign], rows: list[ElectionRow], *, today: date):
    """Every township's progress and every overdue item of the county (most days overdue first)."""
    by_township: dict[int, list[ElectionRow]] = {}
    for row in rows:
        by_township.setdefault(row.election.campaign.township_id, []).append(row)
    progress = []
    for township in townships:
        own = by_township.get(township.pk, [])
        counts = Counter(row.election.stage for row in own)
        progress.append(TownshipProgress(
            township=township,
            campaign=campaigns.get(township.pk),
            villages=len(own),
            stages=[(label, counts[code]) for code, label in stages.STAGES if counts[code]],
            overdue_items=sum(len(row.overdue) for row in own),
            villages_with_overdue=sum(bool(row.overdue) for row in own),
        ))
    overdue = [
        OverdueItem(row.election, item, ((item.done_on or today) - item.deadline).days)
        for row in rows for item in row.overdue
    ]
    overdue.sort(key=lambda o: (-o.days, o.election.village.code))
    return progress, overdue
