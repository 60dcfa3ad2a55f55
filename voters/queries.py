"""Reads over the register that several pages (and other apps) need, each a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from villages.models import Election

from . import appeal_rules
from .models import AmendmentItem, Appeal, Publication, Status, Voter
from .register_changes import RegisterChanges, RegisterEntry, compare_registers


def appeal_facts(election: Election) -> dict[str, date | None]:
    """The two appeal dates of the legal calendar, for ``CalendarFacts(**…)``: the day the last appeal
    was received and, once every appeal is decided, the day of the last decision (one query)."""
    summary = appeal_rules.summarize(
        appeal_rules.AppealDates(received_on=r, decided_on=d)
        for r, d in Appeal.objects.filter(election=election).values_list("received_on", "decided_on")
    )
    return {"last_appeal_received_on": summary.last_received_on, "appeals_all_decided_on": summary.all_decided_on}


def appeal_facts_for(elections) -> dict[int, dict[str, date | None]]:
    """``appeal_facts`` for many elections in one query (the dashboard's legal calendars)."""
    dates: dict[int, list] = {e.pk: [] for e in elections}
    rows = Appeal.objects.filter(election__in=list(dates)).values_list("election_id", "received_on", "decided_on")
    for election_id, received_on, decided_on in rows:
        dates[election_id].append(appeal_rules.AppealDates(received_on=received_on, decided_on=decided_on))
    result = {}
    for pk, appeals in dates.items():
        summary = appeal_rules.summarize(appeals)
        result[pk] = {
            "last_appeal_received_on": summary.last_received_on,
            "appeals_all_decided_on": summary.all_decided_on,
        }
    return result


@dataclass(frozen=True)
class GroupCount:
    group_id: int
    number: int
    name: str
    registered: int
    not_registered: int
    listed: int
    away: int


def group_counts(election: Election) -> list[GroupCount]:
    """Per villager group (every group of the village, empty ones too): one aggregate query."""
    from .registrations import register_elections

    mine = Q(voters__election_id__in=register_elections(election))
    listed = mine & Q(voters__listed_from__isnull=False, voters__listed_until__isnull=True)
    groups = (
        election.unit_groups().annotate(
            registered=Count("voters", filter=mine & Q(voters__status=Status.REGISTERED)),
            not_registered=Count("voters", filter=mine & Q(voters__status=Status.NOT_REGISTERED)),
            listed=Count("voters", filter=listed),
            away=Count("voters", filter=mine & Q(voters__status=Status.REGISTERED, voters__away=True)),
        )
        .order_by("village__code", "number")
        .values_list("id", "number", "name", "registered", "not_registered", "listed", "away")
    )
    return [GroupCount(*row) for row in groups]


def total_of(counts: list[GroupCount]) -> GroupCount:
    """The village's row under the per-group counts."""
    return GroupCount(
        group_id=0,
        number=0,
        name="合计",
        registered=sum(c.registered for c in counts),
        not_registered=sum(c.not_registered for c in counts),
        listed=sum(c.listed for c in counts),
        away=sum(c.away for c in counts),
    )


def appeal_deadlines(election: Election, publication: Publication | None) -> date | None:
    if publication is None:
        return None
    rules = election.rules
    return appeal_rules.filing_deadline(
        publication.published_on, window_days=rules.voter_appeal_window_days, count_start_day=rules.count_start_day
    )


def decision_deadline(election: Election, appeal: Appeal) -> date:
    rules = election.rules
    return appeal_rules.decision_deadline(
        appeal.received_on, decision_days=rules.voter_appeal_decision_days, count_start_day=rules.count_start_day
    )


def is_decision_overdue(election: Election, appeal: Appeal, today: date) -> bool:
    rules = election.rules
    return appeal_rules.is_overdue(
        received_on=appeal.received_on,
        decided_on=appeal.decided_on,
        today=today,
        decision_days=rules.voter_appeal_decision_days,
        count_start_day=rules.count_start_day,
    )


def previous_election(election: Election) -> Election | None:
    """Last term's election of the same village (the campaign numbered one less, same type). A 选区
    is drawn anew each term, so it has none: its register carries over by villager group (not yet)."""
    if election.is_district:
        return None
    return (
        Election.objects.filter(
            village_id=election.village_id,
            campaign__township_id=election.campaign.township_id,
            campaign__election_type=election.campaign.election_type,
            campaign__term_number=election.campaign.term_number - 1,
        )
        .with_places()
        .first()
    )


@dataclass(frozen=True)
class RegisterComparison:
    previous: Election
    changes: RegisterChanges


def register_comparison(election: Election) -> RegisterComparison | None:
    """四增四减 against last term's register, or None when there is no previous register.

    This term's register is everyone registered (on the list once published). A reason recorded on
    the row wins; for a removal, the 减 reason of an amendment item counts too. Numbers registered in
    another village of this round are passed on, so "registered elsewhere" is inferred.
    """
    previous = previous_election(election)
    if previous is None or not Voter.objects.filter(election=previous).exists():
        return None
    fields = ("id", "id_number", "name", "birth_date", "category", "change_reason")
    current_rows = Voter.objects.filter(election=election, status=Status.REGISTERED)
    if Publication.objects.filter(election=election).exists():
        current_rows = current_rows.listed()
    previous_rows = Voter.objects.filter(election=previous, status=Status.REGISTERED)
    removal_codes = dict(
        AmendmentItem.objects.filter(batch__election=election, change=AmendmentItem.Change.REMOVE)
        .exclude(reason_code="")
        .values_list("voter__id_number", "reason_code")
    )
    elsewhere = set(
        Voter.objects.filter(campaign_id=election.campaign_id, status=Status.REGISTERED)
        .exclude(election=election)
        .values_list("id_number", flat=True)
    )
    current = [_entry(row) for row in current_rows.order_by("group__number", "id").values_list(*fields)]
    old = [_entry(row, removal_codes) for row in previous_rows.order_by("group__number", "id").values_list(*fields)]
    changes = compare_registers(
        previous=old,
        current=current,
        previous_election_day=previous.election_day,
        election_day=election.election_day,
        params=election.rules,
        registered_elsewhere=elsewhere,
    )
    return RegisterComparison(previous=previous, changes=changes)


def _entry(row, removal_codes: dict[str, str] | None = None) -> RegisterEntry:
    voter_id, id_number, name, birth_date, category, reason = row
    if not reason and removal_codes:
        reason = removal_codes.get(id_number, "")
    return RegisterEntry(
        id_number=id_number, name=name, birth_date=birth_date, category=category, change_reason=reason or None,
        voter_id=voter_id,
    )


@dataclass(frozen=True)
class AppealRow:
    appeal: Appeal
    decision_due: date
    overdue: bool  # decided late, or still undecided past the deadline


def appeal_rows(election: Election, today: date) -> list[AppealRow]:
    """Every appeal of the election with its decision deadline and whether it is overdue (one query)."""
    appeals = Appeal.objects.filter(election=election).select_related("voter__group", "batch").order_by("received_on", "id")
    return [
        AppealRow(appeal=a, decision_due=decision_deadline(election, a), overdue=is_decision_overdue(election, a, today))
        for a in appeals
    ]
