"""Gathering the facts of a 人大 summary (``reports.deputy_figures``) in a constant number of queries
however many districts the scope holds: the rounds (one query), their district elections (one), the
turnout of ``reports.queries.turnout_counts`` (shared with the village reports), nominees by source
and status (one), the elected with their voter rows (one), their candidacies (one), last term's
deputies by ID number (one), and the same again for last term's districts.

Which rounds: for each body (the county's, each township's) the 人大 round with the highest term in
the scope's county; last term is the round of term − 1 of the same body, when it is in the system.
A township's summary takes its own round and the county-level districts lying in the township; a
county's takes every district of the county's round and of its townships' rounds. The districts are
those the reader may see (``villages.access.districts_visible_to``): a liaison officer's summary
counts only the districts taking in their villages.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db.models import Count, Q

from ballots.models import ElectedMember
from candidates.models import Candidate
from villages.access import districts_visible_to
from villages.models import Campaign, Election, ElectionType, Level, Role, User

from .deputy_figures import COUNTY, TOWNSHIP, DeputyFacts, DeputyReport, DistrictFacts, LevelFigures
from .queries import VOTER_FIELDS, turnout_counts
from .scopes import Scope

ACTIVE = (Candidate.Status.NOMINATED, Candidate.Status.ON_LIST, Candidate.Status.NOT_SELECTED)


def deputy_rounds(scope: Scope) -> tuple[list[Campaign], dict[int, Campaign]]:
    """The scope's current rounds (one per body, latest term) and, by current round id, last term's."""
    rounds = Campaign.objects.of_kind(ElectionType.DEPUTIES).filter(county_id=scope.county_id)
    if scope.kind == TOWNSHIP:
        rounds = rounds.filter(Q(township_id=scope.township_id) | Q(level=Level.COUNTY))
    by_body: dict[tuple, dict[int, Campaign]] = defaultdict(dict)
    for campaign in rounds.select_related("county", "township"):
        by_body[(campaign.level, campaign.township_id)][campaign.term_number] = campaign
    current, previous = [], {}
    for terms in by_body.values():
        latest = terms[max(terms)]
        current.append(latest)
        if latest.term_number - 1 in terms:
            previous[latest.pk] = terms[latest.term_number - 1]
    return current, previous


def district_elections(scope: Scope, rounds, *, user: User | None) -> list[Election]:
    elections = Election.objects.filter(campaign__in=rounds, district__isnull=False)
    if scope.kind == TOWNSHIP:
        elections = elections.filter(district__township_id=scope.township_id)
    if user is not None:
        elections = elections.filter(district__in=districts_visible_to(user))
    return list(elections.with_places().order_by("district__township__code", "district__number"))


def level_figures(level: str, rounds, elections: list[Election], *, last_term_ids: dict[int, set[str]] | None,
                  previous: LevelFigures | None = None) -> LevelFigures:
    """``last_term_ids``: by round id, the ID numbers of the deputies of that body's last term (a round
    missing from it: re-election is taken from the candidates' own answer)."""
    ids = [e.pk for e in elections]
    counts = turnout_counts(elections)
    nominees: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    listed: dict[int, int] = defaultdict(int)
    for row in (Candidate.objects.filter(election__in=ids, status__in=ACTIVE)
                .values("election_id", "source", "status").annotate(n=Count("id")).order_by()):
        nominees[row["election_id"]][row["source"]] += row["n"]
        if row["status"] == Candidate.Status.ON_LIST:
            listed[row["election_id"]] += row["n"]
    candidacies = {
        (r["election_id"], r["voter_id"]): r
        for r in Candidate.objects.filter(election__in=ids).exclude(status=Candidate.Status.WITHDRAWN)
        .values("election_id", "voter_id", "deputy_category", "incumbent")
    }
    by_id = {e.pk: e for e in elections}
    deputies = []
    for r in (ElectedMember.objects.filter(election__in=ids, void_decision__isnull=True)
              .values("election_id", "voter_id", *(f"voter__{f}" for f in VOTER_FIELDS))
              .order_by("election__district__township__code", "election__district__number", "id")):
        e = by_id[r["election_id"]]
        candidacy = candidacies.get((e.pk, r["voter_id"]), {})
        known = None if last_term_ids is None else last_term_ids.get(e.campaign_id)
        deputies.append(DeputyFacts(
            district=e.pk, sex=r["voter__sex"], birth_date=r["voter__birth_date"], election_day=e.election_day,
            ethnicity=r["voter__ethnicity"], education=r["voter__education"],
            education_edition=r["voter__education_edition"], political_status=r["voter__political_status"],
            category=candidacy.get("deputy_category", ""),
            re_elected=candidacy.get("incumbent") if known is None else r["voter__id_number"] in known,
        ))
    districts = tuple(
        DistrictFacts(
            key=e.pk, number=e.district.number, name=e.district.name, township=e.district.township.name,
            seats=e.district.deputy_seats, population=e.district.population, turnout=c,
            nominees_party=nominees[e.pk][Candidate.Source.PARTY], nominees_joint=nominees[e.pk][Candidate.Source.JOINT],
            candidates=listed[e.pk] if e.candidate_list_published_on else None,
            announced=e.results_announced_on is not None,
        )
        for e, c in zip(elections, counts, strict=True)
    )
    return LevelFigures(level=level, rounds=tuple(sorted({str(r) for r in rounds})), districts=districts,
                        deputies=tuple(deputies), previous=previous)


def last_term_deputies(previous: dict[int, Campaign]) -> dict[int, set[str]]:
    """By current round id: the ID numbers of last term's deputies of the same body (one query).
    A last round without any elected deputy in the system is left out (nothing to compare with)."""
    by_round: dict[int, set[str]] = defaultdict(set)
    for campaign_id, id_number in ElectedMember.objects.filter(
        election__campaign__in=list(previous.values()), void_decision__isnull=True
    ).values_list("election__campaign_id", "voter__id_number"):
        by_round[campaign_id].add(id_number)
    return {current: by_round[last.pk] for current, last in previous.items() if by_round.get(last.pk)}


def build_deputy_report(scope: Scope, *, user: User | None = None, now: datetime | None = None) -> DeputyReport:
    """The summary of ``scope`` (a township or a county) as ``user`` may see it (None: everything)."""
    current, previous = deputy_rounds(scope)
    elections = district_elections(scope, current, user=user)
    old_elections = district_elections(scope, list(previous.values()), user=user) if previous else []
    known = last_term_deputies(previous) if previous else {}
    levels = []
    for level in (COUNTY, TOWNSHIP):
        rounds = [r for r in current if r.level == level]
        own = [e for e in elections if e.campaign.level == level]
        if not own:
            continue
        before = None
        last = [previous[r.pk] for r in rounds if r.pk in previous]
        old = [e for e in old_elections if e.campaign.level == level]
        if last and old:
            before = level_figures(level, last, old, last_term_ids=None)
        levels.append(level_figures(level, rounds, own, last_term_ids=known, previous=before))
    return DeputyReport(scope_label=scope.label, scope_kind=scope.kind, scope_key=scope.key, levels=levels,
                        restricted=user is not None and user.role == Role.LIAISON, generated_at=now)
