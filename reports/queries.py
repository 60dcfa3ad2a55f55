"""Gathering the facts of a report from the database, in a constant number of queries however many
villages the scope holds (STYLE.md §7, §13): sums and counts in SQL (``values().annotate()``), the
elected members in one ``values()`` query joined to their voter rows, each roster in one query. The
figures themselves are computed by the pure ``reports.figures``.

Definitions (DOMAIN.md "What reports show"):

- **登记选民 (registered)**: ``ballots.counts.registered_counts``, the same number the results engine
  uses: the registered voters of the election; once the list is published, those on it on election day.
- **参加投票 (voted)**: the ballots *returned* (收回选票) at every station of the election's first ballot
  (正式选举), summed over the station tallies that are **confirmed**. With double entry (双人录入) the
  confirmed entry is the accepted one (the other becomes 已核对合并, and a database constraint allows
  one confirmed tally per station and round), so nothing is counted twice. The first ballot is the
  last first-kind round not declared void: when a void election is held again, the repeat counts.
  Runoffs (另行选举) and tie re-votes are not added: they are the same voters voting again.
- **委托投票 (by proxy)**: approved proxy entrustments (``Proxy.status == approved``).
- **流动票箱 (mobile box)**: ballots returned at mobile-box stations in that same round.
- **外出 (away)**: registered voters marked away, counted like the registered.
- **一次选举有效 (valid at the first attempt)**: one first ballot only, not void, and more than half of
  the registered voted (OL §15: ``2 * voted > registered``).
- **一次选举成功 (first-round success)**: valid at the first attempt, the whole committee (every seat of
  the election) elected, and no runoff was needed. A tie re-vote held at the same meeting does not count
  against it.
- **连选连任 (re-elected)**: an elected member whose ID number is on last term's committee: the elected
  members (not void) of the previous campaign (term − 1) when that election is in the system, otherwise
  the imported roster of last term's village committee (``Roster`` of term − 1). Unknown when neither
  exists (the share's base counts only members of villages where last term is known).
- **交叉任职 / 一肩挑**: the member's ID number is on the village's Party branch committee; 一肩挑 when the
  member is the chair and is the branch secretary (书记) there. The branch committee is computed from the
  two elections when the township's Party branch round of the same 换届 year is in the system and the
  village's branch election has results (its elected members, not void); otherwise it is the village's
  imported Party branch roster (the latest term imported; while that round is in the system without results,
  only a roster of its term or later) — ``reports.branch_committees``. Unknown (未录入)
  for a village with neither: such villages are left out of both bases, never counted as 0.
- **尚未投票 (not voted yet)**: no confirmed tally of the first ballot. Such a village keeps its registered
  voters in 登记选民 but is left out of the turnout's base and of the first-round figures' bases.
- **与上届比较 (change against last term)**: over the villages where last term is known only, both terms
  restricted to the same villages, so a missing roster never shows as a fall.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum

from archive.queries import complaint_counts as archive_complaint_counts
from ballots.counts import registered_counts
from ballots.models import ElectedMember, PollingStation, Round, Tally
from ballots.results import is_more_than_half
from villages.models import Campaign, Election, ElectionType
from voters.models import Proxy, Voter

from .branch_committees import ELECTION, branch_committees
from .figures import (
    MemberFacts,
    ReportFigures,
    Share,
    TurnoutCounts,
    VillageFacts,
    compare_terms,
    composition_figures,
    turnout_figures,
    village_rows,
)
from .models import Roster, RosterMember
from .scopes import COUNTY, TOWNSHIP, VILLAGE, Scope

VOTER_FIELDS = ("sex", "birth_date", "ethnicity", "education", "education_edition", "political_status", "id_number")


@dataclass(frozen=True)
class PreviousTerm:
    """Last term's committee of one village: where it came from and its members by ID number."""

    source: str  # "system": ElectedMember of term − 1; "roster": the imported roster of term − 1
    members: dict[str, MemberFacts] = field(default_factory=dict)


# --- Scope ---------------------------------------------------------------------------------------


def scope_elections(scope: Scope) -> QuerySet[Election]:
    """The elections a report covers: each township's latest village committee campaign, restricted to
    the scope (for a village: its election in its township's latest campaign)."""
    latest = (
        Campaign.objects.filter(township=OuterRef("campaign__township"), election_type=ElectionType.VILLAGE_COMMITTEE)
        .order_by("-term_number")
        .values("term_number")[:1]
    )
    elections = Election.objects.filter(
        campaign__election_type=ElectionType.VILLAGE_COMMITTEE, campaign__term_number=Subquery(latest)
    )
    if scope.kind == VILLAGE:
        elections = elections.filter(village_id=scope.village_id)
    elif scope.kind == TOWNSHIP:
        elections = elections.filter(campaign__township_id=scope.township_id)
    elif scope.kind == COUNTY:
        elections = elections.filter(campaign__township__county_id=scope.county_id)
    elif scope.is_region:  # only for ``build_report(…, from_aggregates=False)``: the benchmark's comparison
        elections = elections.filter(village__isnull=False,
                                     campaign__township__county__code__startswith=scope.county_prefix)
    return elections.with_places().order_by("village__township__code", "village__code")


# --- Turnout -------------------------------------------------------------------------------------


def turnout_counts(elections) -> list[TurnoutCounts]:
    """Each election's turnout facts, in the order given (six queries)."""
    elections = list(elections)
    ids = [e.pk for e in elections]
    registered = registered_counts(elections)
    away = _away_counts(ids)
    rounds: dict[int, list[dict]] = defaultdict(list)
    for row in Round.objects.filter(election__in=ids).values("id", "election_id", "kind", "number", "status").order_by(
        "election_id", "number"
    ):
        rounds[row["election_id"]].append(row)
    returned = {
        row["round_id"]: row
        for row in Tally.objects.filter(
            status=Tally.Status.CONFIRMED, round__election__in=ids, round__kind=Round.Kind.FIRST
        )
        .values("round_id")
        .annotate(ballots=Sum("returned"), mobile=Sum("returned", filter=Q(station__kind=PollingStation.Kind.MOBILE)))
        .order_by()
    }
    proxies = dict(
        Proxy.objects.filter(election__in=ids, status=Proxy.Status.APPROVED)
        .values("election_id")
        .annotate(n=Count("id"))
        .values_list("election_id", "n")
        .order_by()
    )
    elected = dict(
        ElectedMember.objects.filter(election__in=ids, void_decision__isnull=True)
        .values("election_id")
        .annotate(n=Count("id"))
        .values_list("election_id", "n")
        .order_by()
    )
    result = []
    for e in elections:
        firsts = [r for r in rounds[e.pk] if r["kind"] == Round.Kind.FIRST]
        live = [r for r in firsts if r["status"] != Round.Status.VOID]
        sums = returned.get(live[-1]["id"], {}) if live else {}
        voted, mobile = sums.get("ballots") or 0, sums.get("mobile") or 0
        valid_first = len(firsts) == 1 and len(live) == 1 and is_more_than_half(voted, registered[e.pk])
        runoff = any(r["kind"] == Round.Kind.RUNOFF and r["status"] != Round.Status.VOID for r in rounds[e.pk])
        result.append(
            TurnoutCounts(
                registered=registered[e.pk],
                voted=voted,
                has_voted=bool(sums),
                by_proxy=proxies.get(e.pk, 0),
                by_mobile_box=mobile,
                away=away.get(e.pk, 0),
                valid_first_attempt=valid_first,
                full_committee_first_round=valid_first and not runoff and elected.get(e.pk, 0) >= e.total_seats,
            )
        )
    return result


def _away_counts(ids: list[int]) -> dict[int, int]:
    """Registered voters marked away, counted as ``registered_counts`` counts the registered."""
    day = F("election__election_day")
    listed = Q(listed_from__lte=day) & (Q(listed_until__isnull=True) | Q(listed_until__gt=day))
    rows = (
        Voter.objects.registered()
        .filter(election__in=ids, away=True)
        .values("election_id", "election__voter_list_published_on")
        .annotate(everyone=Count("id"), listed=Count("id", filter=listed))
        .order_by()
    )
    return {r["election_id"]: r["listed"] if r["election__voter_list_published_on"] else r["everyone"] for r in rows}


# --- Members -------------------------------------------------------------------------------------


def previous_terms(elections) -> dict[int, PreviousTerm]:
    """Last term's committee of each election's village, by election id, where it is known (three queries)."""
    elections = list(elections)
    village_ids = [e.village_id for e in elections]
    terms = {e.campaign.term_number - 1 for e in elections}
    elected: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for row in ElectedMember.objects.filter(
        void_decision__isnull=True,
        election__village__in=village_ids,
        election__campaign__election_type=ElectionType.VILLAGE_COMMITTEE,
        election__campaign__term_number__in=terms,
    ).values("election__village_id", "election__campaign__term_number", "election__election_day", "post",
             *(f"voter__{f}" for f in VOTER_FIELDS)):
        elected[(row["election__village_id"], row["election__campaign__term_number"])].append(row)
    rostered: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for row in RosterMember.objects.filter(
        roster__kind=Roster.Kind.VILLAGE_COMMITTEE, roster__village__in=village_ids, roster__term_number__in=terms
    ).values("roster__village_id", "roster__term_number", "post", "sex", "birth_date", "ethnicity", "education",
             "political_status", "id_number"):
        rostered[(row["roster__village_id"], row["roster__term_number"])].append(row)
    days = {
        (row["village_id"], row["campaign__term_number"]): row["election_day"]
        for row in Election.objects.filter(
            village__in=village_ids,
            campaign__election_type=ElectionType.VILLAGE_COMMITTEE,
            campaign__term_number__in=terms,
        ).values("village_id", "campaign__term_number", "election_day")
    }
    result = {}
    for e in elections:
        key = (e.village_id, e.campaign.term_number - 1)
        if elected.get(key):
            members = {
                r["voter__id_number"]: MemberFacts(
                    village=e.village.code,
                    post=r["post"],
                    sex=r["voter__sex"],
                    birth_date=r["voter__birth_date"],
                    election_day=r["election__election_day"],
                    ethnicity=r["voter__ethnicity"],
                    education=r["voter__education"],
                    education_edition=r["voter__education_edition"],
                    political_status=r["voter__political_status"],
                )
                for r in elected[key]
            }
            result[e.pk] = PreviousTerm("system", members)
        elif rostered.get(key):
            # Ages of last term are taken on last term's election day when that election is in the
            # system, otherwise one term (RuleParameters.term_years) before this election day.
            day = days.get(key) or _years_before(e.election_day, e.campaign.rules.term_years)
            members = {
                r["id_number"]: MemberFacts(
                    village=e.village.code,
                    post=r["post"],
                    sex=r["sex"],
                    birth_date=r["birth_date"],
                    election_day=day,
                    ethnicity=r["ethnicity"],
                    education=r["education"],
                    political_status=r["political_status"],
                )
                for r in rostered[key]
            }
            result[e.pk] = PreviousTerm("roster", members)
    return result


def branch_rosters(elections) -> dict[int, dict[str, str]]:
    """The Party branch committee beside each village: village id → {ID number: post}, from the paired Party
    branch election's results, else the latest imported roster (``reports.branch_committees``; two queries)."""
    return {village: c.posts for village, c in branch_committees(elections).items()}


def member_facts(elections, *, terms: dict[int, PreviousTerm] | None = None,
                 branch: dict[int, dict[str, str]] | None = None) -> list[MemberFacts]:
    """The elected members of ``elections`` (void ones left out), each with re-election and branch
    facts. One query, plus three for last term and one for branch rosters unless they are passed in."""
    elections = list(elections)
    by_id = {e.pk: e for e in elections}
    terms = previous_terms(elections) if terms is None else terms
    branch = branch_rosters(elections) if branch is None else branch
    rows = (
        ElectedMember.objects.filter(election__in=list(by_id), void_decision__isnull=True)
        .values("election_id", "post", *(f"voter__{f}" for f in VOTER_FIELDS))
        .order_by("election__village__code", "id")
    )
    facts = []
    for r in rows:
        e = by_id[r["election_id"]]
        previous = terms.get(e.pk)
        roster = branch.get(e.village_id)
        id_number = r["voter__id_number"]
        facts.append(
            MemberFacts(
                village=e.village.code,
                post=r["post"],
                sex=r["voter__sex"],
                birth_date=r["voter__birth_date"],
                election_day=e.election_day,
                ethnicity=r["voter__ethnicity"],
                education=r["voter__education"],
                education_edition=r["voter__education_edition"],
                political_status=r["voter__political_status"],
                re_elected=None if previous is None else id_number in previous.members,
                cross_appointed=None if roster is None else id_number in roster,
                one_shoulder=None if roster is None else (
                    r["post"] == "chair" and roster.get(id_number) == RosterMember.Post.SECRETARY
                ),
            )
        )
    return facts


# --- Work figures --------------------------------------------------------------------------------


def complaint_counts(elections) -> tuple[int, int, int]:
    """(received, resolved, in progress) complaints (信访) about the villages of ``elections``, from
    the complaint register (archive app), in one query. "Received" is every complaint recorded."""
    counts = archive_complaint_counts(elections)
    return counts.total, counts.resolved, counts.in_progress


# --- The report ----------------------------------------------------------------------------------


def build_report(scope: Scope, *, now: datetime | None = None, from_aggregates: bool = True) -> ReportFigures:
    """Every figure of the report of ``scope``, computed once for the page, the workbook and the PDF.
    A city's or a province's from the per-election aggregates (``reports.aggregates``); with
    ``from_aggregates=False`` from the voter, tally and member rows as for a county (``bench_city``
    compares the two)."""
    if scope.is_region and from_aggregates:
        from .aggregates import build_region_report

        return build_region_report(scope, now=now)
    elections = list(scope_elections(scope))
    counts = turnout_counts(elections)
    terms = previous_terms(elections)
    committees = branch_committees(elections)
    branch = {village: c.posts for village, c in committees.items()}
    members = member_facts(elections, terms=terms, branch=branch)
    villages = [
        VillageFacts(
            key=e.village.code,
            name=e.village.name,
            township=e.village.township.name,
            seats=e.total_seats,
            certified=e.is_certified,
            turnout=c,
            previous_known=e.pk in terms,
            branch_roster=e.village_id in branch,
        )
        for e, c in zip(elections, counts, strict=True)
    ]
    covered = [e for e in elections if e.pk in terms]
    previous = compared = None
    changes = []
    if covered:
        keys = {e.village.code for e in covered}
        previous = composition_figures([m for e in covered for m in terms[e.pk].members.values()], villages=len(keys))
        compared = composition_figures([m for m in members if m.village in keys], villages=len(keys))
        changes = compare_terms(compared, previous)
    complaints = complaint_counts(elections)
    return ReportFigures(
        scope_label=scope.label,
        turnout=turnout_figures(counts),
        # 村村有女委员 counts over the villages that have voted: one still to vote has no members yet.
        composition=composition_figures(members, villages=sum(c.has_voted for c in counts)),
        changes=changes,
        complaints_received=complaints[0],
        complaints_resolved=complaints[1],
        complaints_in_progress=complaints[2],
        scope_kind=scope.kind,
        scope_key=scope.key,
        campaigns=tuple(sorted({e.campaign.title for e in elections})),
        villages=tuple(village_rows(villages, members)),
        certified=Share(sum(e.is_certified for e in elections), len(elections)),
        previous=previous,
        compared=compared,
        changes_basis=Share(len(covered), len(elections)),
        branch_rosters=Share(sum(v.branch_roster for v in villages), len(villages)),
        branch_elected=sum(c.source == ELECTION for c in committees.values()),
        generated_at=now,
    )


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
