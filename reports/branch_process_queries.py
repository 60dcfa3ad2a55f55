"""Gathering the facts of the branch elections' process report (``reports.branch_process``) in a constant number of
queries however many villages the scope holds: the branch elections of each township's latest village Party
organisation round (``reports.two_committee_queries.branch_elections``, the same elections as the 两委 report),
their nomination method, recorded stages and their votes, 党员大会 rounds, elected members and shortfall decisions —
one query each.

The 党员大会 read is the election's latest 正式选举 round not declared void (a void round is met again), else its
latest 正式选举 round; another round among the not elected (另行选举) keeps the first meeting's attendance.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db.models import Count

from ballots.models import ElectedMember, Round
from candidates import party_pipeline
from candidates.models import PartyNomination, PartyStage, PartyStageVote
from villages.kinds import party_rules
from villages.kinds.party_ranking import STAGE_WORDS, Standing, stage_rules

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


def _member_seats(election, method: str | None) -> int:
    params = election.campaign.rules
    return party_pipeline.member_seats(secretary_seats=election.seats_chair, deputy_seats=election.seats_vice_chair,
                                       member_seats=election.seats_member,
                                       by_members=party_rules.secretary_elected_by_members(method, params))


def _stage(election, plan, code, electorate, issued, returned, standings) -> StageFacts:
    """A recorded stage with its ranking under the election's rules (the township review's own ranking,
    ``candidates.party_services.stage_rankings``: the same pure rules on the same facts)."""
    spec, params = party_pipeline.STAGES[code], election.campaign.rules
    minimum, strict, _base = stage_rules(spec.ranking, params)
    condition = "" if minimum is None else (
        f"得{STAGE_WORDS[spec.ranking][1]}{'超过' if strict else '达到'}{party_rules.percent_words(minimum)}")
    if not standings or plan is None:
        return StageFacts(code, electorate, issued, returned, condition=condition)
    places = party_pipeline.places(seats=_member_seats(election, plan[0]), formal_candidates=plan[1], params=params)
    try:
        ranking = party_pipeline.rank(spec, standings, returned=returned, electorate=electorate, places=places,
                                      params=params)
    except ValueError:  # votes the stage's own page refuses (more than returned): shown as not ranked, never guessed
        return StageFacts(code, electorate, issued, returned, condition=f"{condition}（得票数据有误，请核对）")
    if places is not None:
        condition += f"，人选不超过{places}名"
    return StageFacts(code, electorate, issued, returned, voted_on=len(standings), passed=len(ranking.passed),
                      chosen=len(ranking.chosen), condition=condition)


def gather(scope: Scope) -> tuple[list[BranchFacts], tuple[str, ...]]:
    elections = branch_elections(scope)
    ids = [e.pk for e in elections]
    plans = {election_id: (method, formal) for election_id, method, formal in PartyNomination.objects.filter(
        election__in=ids).values_list("election_id", "method", "formal_candidates")}
    methods = {election_id: method for election_id, (method, _formal) in plans.items()}
    standings = defaultdict(list)
    for stage_id, member_id, name, votes in (PartyStageVote.objects.filter(stage__election__in=ids)
                                             .values_list("stage_id", "member_id", "member__name", "votes")):
        standings[stage_id].append(Standing(key=str(member_id), name=name, votes=votes))
    by_id = {e.pk: e for e in elections}
    stages = defaultdict(list)
    for stage_id, election_id, code, electorate, issued, returned in (
            PartyStage.objects.filter(election__in=ids).order_by("id")
            .values_list("id", "election_id", "stage", "electorate", "ballots_issued", "ballots_returned")):
        stages[election_id].append(_stage(by_id[election_id], plans.get(election_id), code, electorate, issued,
                                          returned, standings.get(stage_id)))
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
            elected=elected.get(e.pk, 0), member_seats=_member_seats(e, methods.get(e.pk)),
        ))
    rounds = tuple(sorted({str(e.campaign.title) for e in elections}))
    return villages, rounds


def build_branch_process_report(scope: Scope, *, now: datetime | None = None) -> BranchProcessReport:
    """The branch elections' process of ``scope`` (a township or a county; a village works too)."""
    villages, rounds = gather(scope)
    return BranchProcessReport(scope_label=scope.label, scope_kind=scope.kind, scope_key=scope.key, rounds=rounds,
                               villages=tuple(villages), generated_at=now)
