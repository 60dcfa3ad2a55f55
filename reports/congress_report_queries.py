"""Gathering each township's Party congress composition for the congress report (``reports.congress_report``): in
each township of the scope, its latest congress round (乡镇党代表大会代表选举), read through
``candidates.congress_composition.composition`` — the same counts and the same checks as the round's own
composition page, never copied. Seven queries whatever the number of townships."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, OuterRef, Subquery

from candidates import congress_composition
from villages import party_congress
from villages.kinds import party_rules
from villages.models import Campaign, ElectionType, PartyElectoralUnit

from .congress_report import CongressFacts, CongressReport, UnitFacts
from .scopes import COUNTY, TOWNSHIP, Scope


def congress_rounds(scope: Scope) -> list[Campaign]:
    """The latest congress round of each township of ``scope`` (a township or a county), by township code."""
    latest = (Campaign.objects.filter(township=OuterRef("township"), election_type=ElectionType.PARTY_CONGRESS)
              .order_by("-term_number").values("term_number")[:1])
    rounds = Campaign.objects.filter(election_type=ElectionType.PARTY_CONGRESS, term_number=Subquery(latest))
    if scope.kind == TOWNSHIP:
        rounds = rounds.filter(township_id=scope.township_id)
    elif scope.kind == COUNTY:
        rounds = rounds.filter(township__county_id=scope.county_id)
    else:
        return []
    return list(rounds.select_related("township").order_by("township__code"))


def facts_of(campaigns: list[Campaign]) -> list[CongressFacts]:
    """Each round's facts, in the rounds' order: six queries, whatever the number of townships."""
    ids = [campaign.pk for campaign in campaigns]
    results = congress_composition.compositions(campaigns)
    members = party_congress.full_members_of_units(ids)
    organisations = dict(PartyElectoralUnit.objects.filter(campaign_id__in=ids).annotate(n=Count("organisations"))
                         .values_list("pk", "n"))
    return [_facts(campaign, results[campaign.pk], members, organisations) for campaign in campaigns]


def _facts(campaign: Campaign, result, members: dict[int, int], organisations: dict[int, int]) -> CongressFacts:
    params = campaign.rules
    units = tuple(
        UnitFacts(name=s.election.party_unit.name, organisations=organisations.get(s.election.party_unit_id, 0),
                  members=members.get(s.election.pk, 0), seats=s.seats, candidates=s.candidates,
                  slate=s.finding.message if s.finding else "",
                  slate_ok=s.finding is None or s.finding.severity == party_rules.OK)
        for s in result.slates)
    return CongressFacts(
        township=campaign.township.name, title=f"第{campaign.term_shown}次党代表大会", members=result.members,
        candidates=result.candidates, elected=result.elected, seats=sum(s.seats for s in result.slates),
        young_age=result.young_age,
        cadre_ceiling=tuple(params.cadre_max_share) if params.cadre_max_share is not None else None,
        young_floor=tuple(params.young_min_share) if params.young_min_share is not None else None,
        candidate_findings=result.candidate_check.findings if result.candidate_check else (),
        elected_findings=result.elected_check.findings if result.elected_check else (),
        units=units,
    )


def build_congress_report(scope: Scope, *, now: datetime | None = None) -> CongressReport:
    return CongressReport(scope_label=scope.label, scope_kind=scope.kind, scope_key=scope.key,
                          townships=tuple(facts_of(congress_rounds(scope))), generated_at=now)
