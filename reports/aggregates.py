"""Per-election aggregates (``ElectionAggregate``) and the reports of a city (市) and a province (省).

A county's report gathers its facts from the voter, tally and member rows (``reports.queries``): a
dozen queries whatever the number of villages, but each reads every row of the county. A city holds
thousands of villages and millions of voters, so its report reads one row per election instead: the
turnout facts and the counts of the elected members (``figures.CompositionCounts``) that the county
report would compute for that election, stored when the election changes. They are computed by the
very functions the county report uses (``queries.turnout_counts``, ``previous_terms``,
``branch_rosters``, ``member_facts`` and ``figures.composition_counts``), and a city's figures are
their sums, so a city's report equals the sum of its counties' (``tests/reports/test_city_report.py``).

Kept up to date:

- after every write to an election commits: each write service of voters, nominations, stations,
  rounds, tallies, per-ballot counting, results, announcements and certification locks the election
  with ``villages.access.lock_election_for_write``, which tells the listener registered here
  (``villages.extensions.register_election_write``); the election (and its village's next term, whose
  连选连任 read this one) is refreshed once the transaction commits; a write to a village's Party branch
  election refreshes that village's committee elections (their 交叉任职 and 一肩挑 read its results);
- after a roster import (``reports.services``): last term's committee and the Party branch roster;
- ``manage.py rebuild_report_aggregates`` builds every row again (after a restore, or a refresh lost
  with its process between the commit and the refresh).

A refresh takes the election's row lock, so two refreshes of one election run one after the other,
and the later one reads what the later write committed. The certification state and the seats are
read from the election row itself, never copied. Complaints (信访) are counted from their register
in one query, as for a county.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from archive.models import Complaint
from villages.models import Campaign, Election, ElectionType

from .figures import (
    CompositionCounts,
    ReportFigures,
    Share,
    TurnoutCounts,
    VillageFacts,
    compare_terms,
    composition_counts,
    figures_of_counts,
    turnout_figures,
    village_row,
)
from .models import ElectionAggregate
from .scopes import Scope

logger = logging.getLogger(__name__)
BATCH = 500  # elections refreshed per round of queries by a rebuild
FIELDS = ("registered", "voted", "has_voted", "by_proxy", "by_mobile_box", "away", "valid_first_attempt",
          "full_committee_first_round", "previous_known", "branch_roster", "composition", "previous", "refreshed_at")


# --- Refreshing ----------------------------------------------------------------------------------


def village_committee_elections():
    return Election.objects.filter(village__isnull=False, campaign__election_type=ElectionType.VILLAGE_COMMITTEE)


def refresh(election_ids: Iterable[int], *, now: datetime | None = None) -> int:
    """Compute the aggregates of these elections again (village committee elections only; others are
    ignored) and of their villages' next terms, under their row locks; returns how many were written."""
    ids = set(election_ids)
    if not ids:
        return 0
    with transaction.atomic():
        # the next term of each: its 连选连任 and 与上届比较 read this term's members
        terms = set(village_committee_elections().filter(pk__in=ids).values_list("village_id", "campaign__term_number")
                    .order_by())
        if terms:
            ids |= set(village_committee_elections().filter(
                Q(*[Q(village_id=v, campaign__term_number=t + 1) for v, t in terms], _connector=Q.OR)
            ).values_list("pk", flat=True))
        locked = list(village_committee_elections().select_for_update(of=("self",)).filter(pk__in=ids)
                      .with_places().order_by("pk"))
        return _write(locked, now=now)


def rebuild(*, now: datetime | None = None, stdout=None) -> int:
    """Every village committee election's aggregate, computed again in batches (``BATCH`` per round of
    queries); rows of elections that no longer exist go with them (cascade)."""
    ids = list(village_committee_elections().order_by("pk").values_list("pk", flat=True))
    written = 0
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            batch = list(village_committee_elections().filter(pk__in=ids[start:start + BATCH]).with_places()
                         .order_by("pk"))
            written += _write(batch, now=now)
        if stdout is not None:
            stdout.write(f"已更新 {written}/{len(ids)} 个选举的汇总")
    return written


def _write(elections: list[Election], *, now: datetime | None) -> int:
    """Compute and store the rows of ``elections``. The report's queries key members by village, so
    they are asked once per layer of elections holding each village once (two terms of one village
    go in two layers)."""
    layers: list[list[Election]] = []
    for e in elections:
        for layer in layers:
            if all(other.village_id != e.village_id for other in layer):
                layer.append(e)
                break
        else:
            layers.append([e])
    return sum(_write_layer(layer, now=now) for layer in layers)


def _write_layer(elections: list[Election], *, now: datetime | None) -> int:
    from .queries import branch_rosters, member_facts, previous_terms, turnout_counts

    if not elections:
        return 0
    now = now or timezone.now()
    counts = turnout_counts(elections)
    terms = previous_terms(elections)
    branch = branch_rosters(elections)
    members: dict[str, list] = defaultdict(list)
    for m in member_facts(elections, terms=terms, branch=branch):
        members[m.village].append(m)
    rows = []
    for e, t in zip(elections, counts, strict=True):
        previous = terms.get(e.pk)
        rows.append(ElectionAggregate(
            election=e,
            registered=t.registered, voted=t.voted, has_voted=t.has_voted, by_proxy=t.by_proxy,
            by_mobile_box=t.by_mobile_box, away=t.away, valid_first_attempt=t.valid_first_attempt,
            full_committee_first_round=t.full_committee_first_round,
            previous_known=previous is not None,
            branch_roster=e.village_id in branch,
            composition=composition_counts(members.get(e.village.code, [])).as_json(),
            previous=composition_counts(previous.members.values()).as_json() if previous is not None else None,
            refreshed_at=now,
        ))
    ElectionAggregate.objects.bulk_create(rows, update_conflicts=True, unique_fields=["election"],
                                          update_fields=[f for f in FIELDS])
    return len(rows)


# --- Keeping them up to date ---------------------------------------------------------------------

_pending = threading.local()


def election_written(election: Election) -> None:
    """Listener of ``lock_election_for_write`` (inside the writing transaction): refresh the election's
    aggregate once the transaction commits. Several writes to one election in one transaction refresh
    it once; a rolled-back write refreshes nothing (its callback is dropped with it)."""
    if election.village_id is None:
        return
    if election.campaign.election_type == ElectionType.PARTY_BRANCH:
        # Its results are the branch committee the village's committee elections are measured against
        # (交叉任职, 一肩挑: ``reports.branch_committees``).
        villages_changed([election.village_id])
        return
    if election.campaign.election_type != ElectionType.VILLAGE_COMMITTEE:
        return
    pending = _pending_ids()
    pending.add(election.pk)
    transaction.on_commit(_flush, robust=True)


def villages_changed(village_ids: Iterable[int]) -> None:
    """A roster of these villages was imported or replaced: refresh their elections after the commit."""
    ids = list(village_committee_elections().filter(village__in=list(village_ids)).values_list("pk", flat=True))
    if ids:
        _pending_ids().update(ids)
        transaction.on_commit(_flush, robust=True)


def _pending_ids() -> set[int]:
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    return _pending.ids


def _flush() -> None:
    ids = set(_pending_ids())
    _pending_ids().clear()
    if ids:
        refresh(ids)


# --- The report of a city or a province ----------------------------------------------------------


def region_elections(scope: Scope):
    """Each township's latest village committee round in the counties of ``scope``, as for a county."""
    latest = (
        Campaign.objects.filter(township=OuterRef("campaign__township"), election_type=ElectionType.VILLAGE_COMMITTEE)
        .order_by("-term_number")
        .values("term_number")[:1]
    )
    return Election.objects.filter(
        village__isnull=False,
        campaign__election_type=ElectionType.VILLAGE_COMMITTEE,
        campaign__term_number=Subquery(latest),
        campaign__township__county__code__startswith=scope.county_prefix,
    )


ROW_FIELDS = (
    "pk", "village_id", "village__code", "village__name", "village__township__name", "village__township__county__name",
    "campaign__term_number", "certified_at", "seats_chair", "seats_vice_chair", "seats_member",
    *(f"report_aggregate__{f}" for f in FIELDS if f != "refreshed_at"),
)


def _region_rows(scope: Scope) -> list[dict]:
    return list(
        region_elections(scope)
        .values(*ROW_FIELDS)
        .order_by("village__township__county__code", "village__township__code", "village__code")
    )


def build_region_report(scope: Scope, *, now: datetime | None = None) -> ReportFigures:
    """The report of a city or a province from its elections' aggregates: two queries (the elections
    with their aggregates; the complaints) whatever the number of villages. Elections without a row
    (a database upgraded to this release, data loaded around the services, an election opened and not
    yet written to) get theirs computed and stored first, once."""
    a = "report_aggregate__"
    rows = _region_rows(scope)
    missing = [r["pk"] for r in rows if r[a + "registered"] is None]
    if missing:  # after an upgrade, or data loaded around the services: computed once, then kept
        for start in range(0, len(missing), BATCH):
            refresh(missing[start:start + BATCH], now=now)
        rows = _region_rows(scope)
    facts: list[VillageFacts] = []
    counts: list[CompositionCounts] = []
    previous: list[CompositionCounts] = []
    for r in rows:
        turnout = TurnoutCounts(
            registered=r[a + "registered"] or 0, voted=r[a + "voted"] or 0, has_voted=bool(r[a + "has_voted"]),
            by_proxy=r[a + "by_proxy"] or 0, by_mobile_box=r[a + "by_mobile_box"] or 0, away=r[a + "away"] or 0,
            valid_first_attempt=bool(r[a + "valid_first_attempt"]),
            full_committee_first_round=bool(r[a + "full_committee_first_round"]),
        )
        facts.append(VillageFacts(
            key=r["village__code"], name=r["village__name"], township=r["village__township__name"],
            seats=r["seats_chair"] + r["seats_vice_chair"] + r["seats_member"],
            certified=r["certified_at"] is not None, turnout=turnout,
            previous_known=bool(r[a + "previous_known"]), branch_roster=bool(r[a + "branch_roster"]),
            county=r["village__township__county__name"],
        ))
        counts.append(CompositionCounts.from_json(r[a + "composition"]))
        previous.append(CompositionCounts.from_json(r[a + "previous"]) if r[a + "previous_known"] else None)
    turnout = turnout_figures([f.turnout for f in facts])
    total = CompositionCounts.total_of(counts)
    covered = [i for i, p in enumerate(previous) if p is not None]
    before = compared = None
    changes = []
    if covered:
        before = figures_of_counts(CompositionCounts.total_of(previous[i] for i in covered), villages=len(covered))
        compared = figures_of_counts(CompositionCounts.total_of(counts[i] for i in covered), villages=len(covered))
        changes = compare_terms(compared, before)
    complaints = Complaint.objects.filter(village_id__in=region_elections(scope).values("village_id")).aggregate(
        received=Count("pk", filter=Q(status=Complaint.Status.RECEIVED)),
        in_progress=Count("pk", filter=Q(status=Complaint.Status.IN_PROGRESS)),
        resolved=Count("pk", filter=Q(status=Complaint.Status.RESOLVED)),
    ) if rows else {"received": 0, "in_progress": 0, "resolved": 0}
    received = complaints["received"] + complaints["in_progress"] + complaints["resolved"]
    return ReportFigures(
        scope_label=scope.label,
        turnout=turnout,
        composition=figures_of_counts(total, villages=turnout.villages_voted),
        changes=changes,
        complaints_received=received,
        complaints_resolved=complaints["resolved"],
        complaints_in_progress=complaints["in_progress"],
        scope_kind=scope.kind,
        scope_key=scope.key,
        campaigns=tuple(sorted({f"第{r['campaign__term_number']}届{ElectionType.VILLAGE_COMMITTEE.label}" for r in rows})),
        villages=tuple(village_row(f, c) for f, c in zip(facts, counts, strict=True)),
        certified=Share(sum(f.certified for f in facts), len(facts)),
        previous=before,
        compared=compared,
        changes_basis=Share(len(covered), len(facts)),
        branch_rosters=Share(sum(f.branch_roster for f in facts), len(facts)),
        generated_at=now,
    )
