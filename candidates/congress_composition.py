"""The composition of a township Party congress's delegate candidates and of its elected delegates, against the
province's rules (``villages.kinds.party_composition``; reference 003), and each unit's 差额: the facts gathered
from the registers, the candidate lists and the elected, the arithmetic left to the pure modules.

The base of the women's and minorities' floors is the township's full members: those on the registers of every
选举单位. Age is counted on the round's election day (45 and under is "45岁以下", LAW.md §0.1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q

from villages.kinds import party_composition, party_members, party_rules
from villages.kinds.party_composition import DelegateCounts, MemberCounts
from villages.models import Campaign, Election
from voters.eligibility import age_on
from voters.models import Voter

from .models import Candidate, Post

HAN = "01"  # GB/T 3304: 汉族


def member_counts(campaign: Campaign) -> MemberCounts:
    """The township's full members on the units' registers, with the women and the minorities among them."""
    return members_by_campaign([campaign.pk]).get(campaign.pk, MemberCounts(total=0, women=0, minorities=0))


def members_by_campaign(campaign_ids: list[int]) -> dict[int, MemberCounts]:
    """``member_counts`` of several rounds, one query."""
    rows = (Voter.objects.filter(election__campaign_id__in=campaign_ids, election__party_unit__isnull=False,
                                 category=party_members.FULL)
            .order_by().values("election__campaign_id")
            .annotate(total=Count("id"), women=Count("id", filter=Q(sex="F")),
                      minorities=Count("id", filter=~Q(ethnicity=HAN))))
    return {row["election__campaign_id"]: MemberCounts(total=row["total"], women=row["women"],
                                                       minorities=row["minorities"]) for row in rows}


def counts_of(people: list[tuple[Voter, bool]], *, on: date, params) -> DelegateCounts:
    """``(member, is a cadre)`` pairs as counts."""
    return DelegateCounts(
        total=len(people),
        cadres=sum(1 for _v, cadre in people if cadre),
        young=sum(1 for v, _c in people if party_composition.is_young(age_on(v.birth_date, on), params)),
        women=sum(1 for v, _c in people if v.sex == "F"),
        minorities=sum(1 for v, _c in people if v.ethnicity != HAN),
    )


def _candidates(campaign_ids: list[int]):
    return (Candidate.objects.filter(election__campaign_id__in=campaign_ids, election__party_unit__isnull=False,
                                     post=Post.DEPUTY, status=Candidate.Status.ON_LIST)
            .select_related("voter", "election", "election__party_unit"))


def _elected(campaign_ids: list[int]):
    """The elected delegates (not voided) of several rounds, in unit order, most votes first."""
    from ballots.models import ElectedMember  # the results are the ballots app's

    return (ElectedMember.objects.filter(election__campaign_id__in=campaign_ids, election__party_unit__isnull=False,
                                         post=Post.DEPUTY, void_decision__isnull=True)
            .select_related("voter", "election").order_by("election__party_unit__number", "-votes", "voter__name"))


def elected_people(campaign: Campaign) -> list[tuple[Voter, bool]]:
    """The elected delegates (not voided), each with the cadre mark of their candidacy."""
    cadre = {(c.election_id, c.voter_id): bool(c.party_cadre) for c in _candidates([campaign.pk])}
    return [(e.voter, cadre.get((e.election_id, e.voter_id), False)) for e in _elected([campaign.pk])]


@dataclass(frozen=True)
class UnitSlate:
    election: object
    seats: int
    candidates: int
    finding: party_rules.Finding | None


@dataclass(frozen=True)
class Composition:
    """The candidate list's and the elected's composition (None while there are none), and each unit's 差额."""

    members: MemberCounts
    candidates: DelegateCounts | None
    candidate_check: party_composition.CompositionCheck | None
    elected: DelegateCounts | None
    elected_check: party_composition.CompositionCheck | None
    slates: tuple[UnitSlate, ...]
    on: date
    young_age: int

    @property
    def sections(self) -> list[tuple[str, DelegateCounts | None, party_composition.CompositionCheck | None]]:
        """What the page and the print show, the candidate list first."""
        return [("代表候选人", self.candidates, self.candidate_check), ("当选代表", self.elected, self.elected_check)]


def composition(campaign: Campaign) -> Composition:
    return compositions([campaign])[campaign.pk]


def compositions(campaigns: list[Campaign]) -> dict[int, Composition]:
    """``composition`` of several rounds (a county's townships), by round: four queries whatever their number."""
    ids = [campaign.pk for campaign in campaigns]
    members = members_by_campaign(ids)
    candidates: dict[int, list[Candidate]] = {pk: [] for pk in ids}
    for candidate in _candidates(ids).order_by("election__party_unit__number", "list_order"):
        candidates[candidate.election.campaign_id].append(candidate)
    units: dict[int, list[Election]] = {pk: [] for pk in ids}
    for election in (Election.objects.filter(campaign_id__in=ids, party_unit__isnull=False)
                     .select_related("party_unit").order_by("party_unit__number")):
        units[election.campaign_id].append(election)
    elected: dict[int, list] = {pk: [] for pk in ids}
    for member in _elected(ids):
        elected[member.election.campaign_id].append(member)
    return {campaign.pk: _composition(campaign, members.get(campaign.pk, MemberCounts(total=0, women=0, minorities=0)),
                                      candidates[campaign.pk], units[campaign.pk], elected[campaign.pk])
            for campaign in campaigns}


def _composition(campaign: Campaign, members: MemberCounts, candidates: list[Candidate], units: list,
                 elected_members: list) -> Composition:
    params, on = campaign.rules, campaign.default_election_day
    per_unit = {}
    for candidate in candidates:
        per_unit[candidate.election_id] = per_unit.get(candidate.election_id, 0) + 1
    slates = tuple(
        UnitSlate(election=e, seats=e.seats_member, candidates=per_unit.get(e.pk, 0),
                  finding=party_rules.slate_check(post=party_rules.DELEGATE, seats=e.seats_member,
                                                  candidates=per_unit.get(e.pk, 0), params=params)
                  if e.seats_member else None)
        for e in units
    )
    candidate_counts = counts_of([(c.voter, bool(c.party_cadre)) for c in candidates], on=on, params=params) \
        if candidates else None
    cadre = {(c.election_id, c.voter_id): bool(c.party_cadre) for c in candidates}
    elected = [(e.voter, cadre.get((e.election_id, e.voter_id), False)) for e in elected_members]
    elected_counts = counts_of(elected, on=on, params=params) if elected else None
    check = members.total > 0
    return Composition(
        members=members,
        candidates=candidate_counts,
        candidate_check=party_composition.composition_check(candidate_counts, members, params,
                                                            subject=party_composition.CANDIDATES)
        if candidate_counts and check else None,
        elected=elected_counts,
        elected_check=party_composition.composition_check(elected_counts, members, params)
        if elected_counts and check else None,
        slates=slates,
        on=on,
        young_age=params.young_age_max,
    )
