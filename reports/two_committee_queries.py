"""Gathering the facts of the 两委 view and report (``reports.two_committees``) in a constant number of
queries however many villages the scope holds.

Which elections: in each township of the scope, the elections of its latest village committee round
(``reports.queries.scope_elections``) and of its latest village Party organisation round
(``ElectionType.PARTY_BRANCH``, one election per village). The branch committee that 交叉任职 and 一肩挑 are
measured against is ``reports.branch_committees`` (the paired branch election's results, else the roster),
the same as in the village committee report. Last term: the committee's as in that report
(``reports.queries.previous_terms``); the branch's, the elected members of the township's branch round of
term − 1 in the system, else the imported Party branch roster of term − 1.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db.models import OuterRef, Subquery

from ballots.models import ElectedMember, ShortfallDecision
from ballots.queries import party_post_holders
from villages.models import Campaign, Election, ElectionType

from .branch_committees import ROSTER, branch_committees
from .models import Roster, RosterMember
from .queries import previous_terms, scope_elections
from .scopes import COUNTY, TOWNSHIP, VILLAGE, Scope
from .two_committees import (
    BRANCH,
    COMMITTEE,
    Cadre,
    Seats,
    TwoCommitteeReport,
    VillageFacts,
    VillageView,
    village_view,
)

FIELDS = ("name", "id_number", "sex", "birth_date", "ethnicity", "education", "education_edition", "political_status")


def branch_elections(scope: Scope) -> list[Election]:
    """The village Party organisations' elections of each township's latest branch round, in the scope."""
    latest = (
        Campaign.objects.filter(township=OuterRef("campaign__township"), election_type=ElectionType.PARTY_BRANCH)
        .order_by("-term_number").values("term_number")[:1]
    )
    elections = Election.objects.filter(campaign__election_type=ElectionType.PARTY_BRANCH,
                                        campaign__term_number=Subquery(latest), village__isnull=False)
    if scope.kind == VILLAGE:
        elections = elections.filter(village_id=scope.village_id)
    elif scope.kind == TOWNSHIP:
        elections = elections.filter(campaign__township_id=scope.township_id)
    elif scope.kind == COUNTY:
        elections = elections.filter(campaign__township__county_id=scope.county_id)
    return list(elections.with_places().order_by("village__township__code", "village__code"))


def previous_branches(elections: list[Election]) -> dict[int, set[str]]:
    """By branch election id: the ID numbers of last term's branch committee of its village, where known
    (the branch round of term − 1 in the system, else the Party branch roster of term − 1; two queries)."""
    village_ids = [e.village_id for e in elections]
    terms = {e.campaign.term_number - 1 for e in elections}
    elected: dict[tuple[int, int], set[str]] = defaultdict(set)
    for village, term, id_number in ElectedMember.objects.filter(
        void_decision__isnull=True, election__village__in=village_ids,
        election__campaign__election_type=ElectionType.PARTY_BRANCH, election__campaign__term_number__in=terms,
    ).values_list("election__village_id", "election__campaign__term_number", "voter__id_number"):
        elected[(village, term)].add(id_number)
    rostered: dict[tuple[int, int], set[str]] = defaultdict(set)
    for village, term, id_number in RosterMember.objects.filter(
        roster__kind=Roster.Kind.PARTY_BRANCH, roster__village__in=village_ids, roster__term_number__in=terms,
    ).values_list("roster__village_id", "roster__term_number", "id_number"):
        rostered[(village, term)].add(id_number)
    result = {}
    for e in elections:
        key = (e.village_id, e.campaign.term_number - 1)
        if elected.get(key) or rostered.get(key):
            result[e.pk] = elected.get(key) or rostered[key]
    return result


def cadres_of(elections: list[Election], *, body: dict[int, str], previous: dict[int, set[str]]) -> list[Cadre]:
    """The elected members (not void) of ``elections`` (one query); ``body``: election id → BRANCH/COMMITTEE."""
    by_id = {e.pk: e for e in elections}
    rows = (ElectedMember.objects.filter(election__in=list(by_id), void_decision__isnull=True)
            .values("election_id", "post", "voter_id", *(f"voter__{f}" for f in FIELDS))
            .order_by("election__village__code", "id"))
    # A branch's 书记 and 副书记 are decided by the new committee's votes; the 党员大会 elected them as 委员.
    holders = party_post_holders(pk for pk, kind in body.items() if kind == BRANCH)
    result = []
    for r in rows:
        e = by_id[r["election_id"]]
        known = previous.get(e.pk)
        result.append(Cadre(
            village=e.village.code, body=body[e.pk], election_day=e.election_day,
            post=holders.get(e.pk, {}).get(r["voter_id"], r["post"]),
            re_elected=None if known is None else r["voter__id_number"] in known,
            **{f: r[f"voter__{f}"] for f in FIELDS},
        ))
    return result


def _gather(scope: Scope):
    committees = list(scope_elections(scope))
    branches = branch_elections(scope)
    terms = previous_terms(committees)
    previous = {pk: set(term.members) for pk, term in terms.items()} | previous_branches(branches)
    body = {e.pk: COMMITTEE for e in committees} | {e.pk: BRANCH for e in branches}
    cadres = cadres_of(committees + branches, body=body, previous=previous)
    beside = branch_committees(committees)
    places = {}
    for e in committees + branches:
        places.setdefault(e.village_id, e.village)
    reduced = seats_reduced(branches)
    by_village_committee = {e.village_id: e for e in committees}
    by_village_branch = {e.village_id: e for e in branches}
    villages = []
    for village in sorted(places.values(), key=lambda v: (v.township.code, v.code)):
        c, b = by_village_committee.get(village.pk), by_village_branch.get(village.pk)
        known = beside.get(village.pk)
        villages.append(VillageFacts(
            key=village.code, name=village.name, township=village.township.name,
            branch_seats=_seats(b, reduced.get(b.pk, 0) if b else 0), committee_seats=_seats(c),
            branch_previous_known=b is not None and b.pk in previous,
            committee_previous_known=c is not None and c.pk in previous,
            branch_posts=None if known is None else dict(known.posts),
            branch_source="" if known is None else known.source,
        ))
    rounds = tuple(sorted({str(e.campaign.title) for e in branches + committees}))
    return committees, branches, villages, cadres, rounds


def seats_reduced(branches: list[Election]) -> dict[int, int]:
    """By branch election id: the seats a 党员大会's shortfall took away with the upper level's consent (减少名额,
    ``ballots.services.party.decide_shortfall``); one query."""
    result: dict[int, int] = defaultdict(int)
    for election_id, before, after in ShortfallDecision.objects.filter(
            election__in=branches, choice=ShortfallDecision.Choice.REDUCE).values_list(
            "election_id", "seats_before", "seats_after"):
        result[election_id] += before - after
    return result


def _seats(election: Election | None, reduced: int = 0) -> Seats | None:
    """An election's seats; a branch's less those reduced, taken from its 委员 (the 党员大会 elects the committee as
    委员, the committee its 书记 and 副书记 among them)."""
    if election is None:
        return None
    return Seats(election.seats_chair, election.seats_vice_chair, max(election.seats_member - reduced, 0))


def build_two_committee_report(scope: Scope, *, now: datetime | None = None) -> TwoCommitteeReport:
    """The 两委 figures of ``scope`` (a township or a county; a village works too)."""
    _committees, _branches, villages, cadres, rounds = _gather(scope)
    return TwoCommitteeReport(scope_label=scope.label, scope_kind=scope.kind, scope_key=scope.key, rounds=rounds,
                              villages=tuple(villages), cadres=tuple(cadres), generated_at=now)


def build_village_view(scope: Scope) -> VillageView | None:
    """One village's two committees side by side; None when the village has neither election. Where the branch
    election has no results yet, the branch side is the imported roster (marked by ``branch_source``)."""
    committees, branches, villages, cadres, _rounds = _gather(scope)
    if not villages:
        return None
    village = villages[0]
    if village.branch_source == ROSTER:
        day = committees[0].election_day if committees else branches[0].election_day
        cadres = [c for c in cadres if c.body != BRANCH] + [
            Cadre(village=village.key, body=BRANCH, post=m["post"], election_day=day, re_elected=None,
                  education_edition="2006", **{f: m[f] for f in FIELDS if f != "education_edition"})
            for m in _roster_members(committees[0].village_id if committees else branches[0].village_id)
        ]
    return village_view(village, cadres,
                        branch_round=branches[0].campaign.title if branches else "",
                        committee_round=committees[0].campaign.title if committees else "")


def _roster_members(village_id: int) -> list[dict]:
    roster = Roster.objects.filter(village_id=village_id, kind=Roster.Kind.PARTY_BRANCH).order_by("-term_number").first()
    if roster is None:
        return []
    return list(roster.members.values("post", *(f for f in FIELDS if f != "education_edition")))
