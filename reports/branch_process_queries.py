"""Gathering the facts of the branch elections' process report (``reports.branch_process``) in a constant number of
queries however many villages the scope holds: the branch elections of each township's latest village Party
organisation round (``reports.two_committee_queries.branch_elections``, the same elections as the 两委 report),
their nomination method, recorded stages, 党员大会 rounds, elected members and shortfall decisions — one query each.

The 党员大会 read is the election's latest 正式选举 round not declared void (a void round is met again), else its
latest 正式选举 round; another round among the not elected (另行选举) keeps the first meeting's attendance.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db.models import Count

from ballots.models import ElectedMember, Round
from candidates.models import PartyNomination, PartyStage

from .branch_process import BranchFacts, BranchProcessReport, MeetingFacts, StageFacts
from .scopes import Scope
from .two_committee_queries import branch_elections, seats_reduced


def _meetings(elections) -> dict[int, MeetingFacts]:
    rounds = defaultdict(list)
    for row in (Round.objects.filter(election__in=elections, kind=Round.Kind.FIRST).order_by("number")
                .values("election_id", "status", "expected_attendance", "present")):
        rounds[row["election_id"]].append(row)
    by_id = {e.pk: e for e in elections}
    result = {}
    for election_id, rows in rounds.items():
        standing = [r for r in rows if r["status"] != Round.Status.VOID] or rows
        row = standing[-1]
        params = by_id[election_id].campaign.rules
        result[election_id] = MeetingFacts(expected=row["expected_attendance"], present=row["present"],
                                           quorum_share=tuple(params.quorum_share), quorum_strict=params.quorum_strict)
    return result


def gather(scope: Scope) -> tuple[list[BranchFacts], tuple[str, ...]]:
    elections = branch_elections(scope)
    ids = [e.pk for e in elections]
    methods = dict(PartyNomination.objects.filter(election__in=ids).values_list("election_id", "method"))
    stages = defaultdict(list)
    for election_id, code, electorate, issued, returned in (
            PartyStage.objects.filter(election__in=ids).order_by("id")
            .values_list("election_id", "stage", "electorate", "ballots_issued", "ballots_returned")):
        stages[election_id].append(StageFacts(code, electorate, issued, returned))
    meetings = _meetings(elections)
    elected = dict(ElectedMember.objects.filter(election__in=ids, void_decision__isnull=True).order_by()
                   .values("election_id").annotate(n=Count("id")).values_list("election_id", "n"))
    reduced = seats_reduced(elections)
    villages = []
    for e in elections:
        cut = reduced.get(e.pk, 0)
        villages.append(BranchFacts(
            key=e.village.code, name=e.village.name, township=e.village.township.name, method=methods.get(e.pk, ""),
            stages=tuple(stages.get(e.pk, ())), meeting=meetings.get(e.pk),
            seats=max(e.seats_chair + e.seats_vice_chair + e.seats_member - cut, 0), seats_reduced=cut,
            elected=elected.get(e.pk, 0),
        ))
    rounds = tuple(sorted({str(e.campaign.title) for e in elections}))
    return villages, rounds


def build_branch_process_report(scope: Scope, *, now: datetime | None = None) -> BranchProcessReport:
    """The branch elections' process of ``scope`` (a township or a county; a village works too)."""
    villages, rounds = gather(scope)
    return BranchProcessReport(scope_label=scope.label, scope_kind=scope.kind, scope_key=scope.key, rounds=rounds,
                               villages=tuple(villages), generated_at=now)
