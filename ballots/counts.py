"""Loading what the results are computed from: each round's summed confirmed tallies, in a fixed number
of queries however many stations, candidates or elections there are (STYLE.md §13).

Results are never typed in: ``load_counts`` sums the confirmed tallies in SQL and ``ballots.progression``
(through ``ballots.results``) decides. Write-ins count for the registered voter they were matched to, or
whom the election committee ruled they mean; names still waiting for a ruling count for nobody yet.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum

from candidates.slate import post_label
from villages.models import Election
from villages.presets import RuleParameters
from voters.models import Voter
from voters.registrations import register_of

from .models import (
    CountingOptions,
    ElectedMember,
    PollingStation,
    Round,
    RoundCandidate,
    ShortfallDecision,
    Tally,
    VoidDecision,
    VoteCount,
    WriteIn,
    WriteInRuling,
)
from .progression import Progress, RoundFacts, follow
from .results import Person


@dataclass(frozen=True)
class WriteInRow:
    round_id: int
    round_label: str
    post: str
    name: str
    votes: int
    match: str
    counted_for: int | None  # voter id
    pending: bool
    counted_name: str = ""

    @property
    def post_label(self) -> str:
        return post_label(self.post)

    @property
    def match_label(self) -> str:
        return WriteIn.Match(self.match).label


@dataclass
class CountData:
    election: Election
    registered: int
    rounds: list[Round]
    stations: dict[int, PollingStation]
    stations_of: dict[int, list[int]]
    confirmed: dict[int, dict[int, dict]]
    votes: dict[int, dict[str, dict[str, int]]]
    candidates: dict[int, dict[str, tuple[str, ...]]]
    write_ins: list[WriteInRow]
    persons: dict[str, Person]
    members: list[ElectedMember]
    decisions: list[VoidDecision]
    options: CountingOptions
    shortfalls: list[ShortfallDecision] = field(default_factory=list)
    progress: Progress = field(init=False)

    @property
    def is_party(self) -> bool:
        return is_party_election(self.election)

    @property
    def reductions(self) -> dict[str, int]:
        """Seats per post as reduced by a recorded decision after a Party election's shortfall (the last one)."""
        return {d.post: d.seats_after for d in self.shortfalls if d.choice == ShortfallDecision.Choice.REDUCE}

    @property
    def voided(self) -> frozenset[str]:
        return frozenset(str(m.voter_id) for m in self.members if m.void_decision_id)

    @property
    def pending_write_ins(self) -> list[WriteInRow]:
        return [w for w in self.write_ins if w.pending]

    def totals(self, round_id: int) -> dict[str, int]:
        rows = self.confirmed.get(round_id, {}).values()
        return {name: sum(r[name] for r in rows) for name in ("issued", "returned", "valid", "invalid")}

    def is_counted(self, round_id: int) -> bool:
        stations = self.stations_of.get(round_id, [])
        return bool(stations) and all(s in self.confirmed.get(round_id, {}) for s in stations)

    def facts(self) -> list[RoundFacts]:
        facts = []
        for r in self.rounds:
            if r.status == Round.Status.VOID:
                continue
            totals = self.totals(r.id)
            party = {}
            if self.is_party:  # the 党员大会's attendance; counted once 实到会 is recorded too
                party = dict(expected=r.expected_attendance, present=r.present, issued=totals["issued"])
            facts.append(
                RoundFacts(
                    id=r.id, kind=r.kind, number=r.number, parent_id=r.parent_id, seats=r.seats,
                    candidates=self.candidates.get(r.id, {}),
                    counted=self.is_counted(r.id) and (not self.is_party or r.present is not None),
                    ballots_cast=totals["returned"], invalid_ballots=totals["invalid"], votes=self.votes.get(r.id, {}),
                    **party,
                )
            )
        return facts


def is_party_election(election: Election) -> bool:
    """A Party election whose 党员大会 votes (LAW.md §4.2): a village Party organisation's (村党组织换届选举), or a
    township Party congress's 选举单位 electing its delegates (LAW.md §4.5, on the same quorum and majority)."""
    return election.is_party or election.party_unit_id is not None


def counting_params(election: Election) -> RuleParameters:
    """The round's rules, with this election's own choice of a separate women's seat (a village's)."""
    if election.is_district or is_party_election(election):
        return election.rules
    return dataclasses.replace(election.rules, woman_seat_reserved=election.woman_seat_reserved)


def registered_count(election: Election) -> int:
    """登记选民数: registered voters of the election; once the list is published, those on it on election day."""
    voters = register_of(election).registered()
    if election.voter_list_published_on:
        voters = voters.listed_on(election.election_day)
    return voters.count()


def registered_counts(elections) -> dict[int, int]:
    """``registered_count`` for many elections in one query (``listed_on`` written with the election's day);
    a county-level 选区, whose voters register in the township districts held with it, one query each."""
    shared = [e for e in elections if e.is_district and e.campaign.is_county_level]
    counts = _shared_registered_counts(shared)
    elections = [e for e in elections if e.pk not in counts]
    day = F("election__election_day")
    listed = Q(listed_from__lte=day) & (Q(listed_until__isnull=True) | Q(listed_until__gt=day))
    rows = (
        Voter.objects.registered()
        .filter(election__in=[e.pk for e in elections])
        .values("election_id")
        .annotate(everyone=Count("id"), listed=Count("id", filter=listed))
    )
    by_id = {row["election_id"]: row for row in rows}
    return counts | {
        e.pk: by_id.get(e.pk, {}).get("listed" if e.voter_list_published_on else "everyone", 0) for e in elections
    }


def _shared_registered_counts(shared: list[Election]) -> dict[int, int]:
    """``registered_count`` of county-level 选区 in a constant number of queries (five), however many:
    each reads the voters of its villager groups registered in itself or in a township-level district
    held with its round (``voters.registrations.register_of``), listed on its own election day once its
    list is published."""
    if not shared:
        return {}
    from villages.models import Constituency, Level, VillagerGroup

    district_ids = [e.district_id for e in shared]
    groups_of: dict[int, set[int]] = defaultdict(set)
    whole = list(Constituency.villages.through.objects.filter(constituency_id__in=district_ids)
                 .values_list("constituency_id", "village_id"))
    by_village: dict[int, set[int]] = defaultdict(set)
    for village_id, group_id in VillagerGroup.objects.filter(village_id__in={v for _, v in whole}).values_list(
            "village_id", "pk"):
        by_village[village_id].add(group_id)
    for district_id, village_id in whole:
        groups_of[district_id] |= by_village[village_id]
    for district_id, group_id in Constituency.groups.through.objects.filter(
            constituency_id__in=district_ids).values_list("constituency_id", "villagergroup_id"):
        groups_of[district_id].add(group_id)

    def held_with(campaign) -> tuple:
        return campaign.election_type, campaign.county_id, campaign.default_election_day

    keys = {held_with(e.campaign) for e in shared}
    condition = Q(pk__in=[])
    for kind, county_id, day in keys:
        condition |= Q(campaign__election_type=kind, campaign__county_id=county_id, campaign__default_election_day=day)
    holders: dict[tuple, list[int]] = defaultdict(list)
    for pk, kind, county_id, day in Election.objects.filter(condition, district__isnull=False,
                                                           campaign__level=Level.TOWNSHIP).values_list(
            "pk", "campaign__election_type", "campaign__county_id", "campaign__default_election_day"):
        holders[(kind, county_id, day)].append(pk)
    all_groups = set().union(*groups_of.values())
    all_elections = {e.pk for e in shared} | {pk for pks in holders.values() for pk in pks}
    rows = list(
        Voter.objects.registered().filter(election_id__in=all_elections, group_id__in=all_groups)
        .values("election_id", "group_id", "listed_from", "listed_until").annotate(n=Count("id")).order_by()
    )
    counts = {}
    for e in shared:
        register = {e.pk, *holders[held_with(e.campaign)]}
        groups, day = groups_of[e.district_id], e.election_day
        counts[e.pk] = sum(
            r["n"] for r in rows
            if r["election_id"] in register and r["group_id"] in groups and (
                not e.voter_list_published_on
                or (r["listed_from"] is not None and r["listed_from"] <= day
                    and (r["listed_until"] is None or r["listed_until"] > day)))
        )
    return counts


def load_counts(elections) -> dict[int, CountData]:
    """Everything the results of ``elections`` are computed from, in a constant number of queries."""
    elections = list(elections)
    ids = [e.pk for e in elections]
    registered = registered_counts(elections)
    rounds = list(Round.objects.filter(election__in=ids).order_by("election_id", "number"))
    stations = {s.pk: s for s in PollingStation.objects.filter(election__in=ids)}
    stations_of: dict[int, list[int]] = defaultdict(list)
    for round_id, station_id in Round.stations.through.objects.filter(round__election__in=ids).values_list(
        "round_id", "pollingstation_id"
    ):
        stations_of[round_id].append(station_id)
    confirmed: dict[int, dict[int, dict]] = defaultdict(dict)
    for row in Tally.objects.filter(round__election__in=ids, status=Tally.Status.CONFIRMED).values(
        "id", "round_id", "station_id", "issued", "returned", "valid", "invalid", "explanations"
    ):
        confirmed[row["round_id"]][row["station_id"]] = row
    counted = {"post_tally__tally__status": Tally.Status.CONFIRMED, "post_tally__tally__round__election__in": ids}
    votes: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for row in (
        VoteCount.objects.filter(**counted)
        .values("post_tally__tally__round_id", "post_tally__post", "voter_id")
        .annotate(total=Sum("votes"))
    ):
        votes[row["post_tally__tally__round_id"]][row["post_tally__post"]][str(row["voter_id"])] += row["total"]
    rulings = {(r.election_id, r.name): r.voter_id for r in WriteInRuling.objects.filter(election__in=ids)}
    round_by_id = {r.pk: r for r in rounds}
    write_ins = []
    for row in (
        WriteIn.objects.filter(**counted)
        .values("post_tally__tally__round_id", "post_tally__post", "name", "voter_id", "match")
        .annotate(total=Sum("votes"))
        .order_by("post_tally__tally__round_id", "post_tally__post", "name")
    ):
        round_id = row["post_tally__tally__round_id"]
        key = (round_by_id[round_id].election_id, row["name"])
        ruled = key in rulings
        voter_id = rulings[key] if ruled else row["voter_id"]
        pending = not ruled and row["match"] != WriteIn.Match.MATCHED
        write_ins.append(WriteInRow(round_id, round_by_id[round_id].label, row["post_tally__post"], row["name"],
                                    row["total"], row["match"], voter_id, pending))
        if voter_id is not None and not pending:
            votes[round_id][row["post_tally__post"]][str(voter_id)] += row["total"]
    candidates: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for round_id, post, voter_id in RoundCandidate.objects.filter(round__election__in=ids).values_list(
        "round_id", "post", "voter_id"
    ):
        candidates[round_id][post].append(str(voter_id))
    members = list(ElectedMember.objects.filter(election__in=ids).select_related("voter", "round", "void_decision"))
    keys = {k for r in votes.values() for p in r.values() for k in p} | {
        k for r in candidates.values() for p in r.values() for k in p
    } | {str(m.voter_id) for m in members} | {str(w.counted_for) for w in write_ins if w.counted_for}
    persons = {
        str(v["id"]): Person(key=str(v["id"]), name=v["name"], sex=v["sex"])
        for v in Voter.objects.filter(pk__in=[int(k) for k in keys]).values("id", "name", "sex")
    }
    write_ins = [
        dataclasses.replace(w, counted_name=persons[str(w.counted_for)].name) if w.counted_for and not w.pending else w
        for w in write_ins
    ]
    decisions = list(VoidDecision.objects.filter(election__in=ids).select_related("person", "recorded_by"))
    options = {o.election_id: o for o in CountingOptions.objects.filter(election__in=ids)}
    party = [e.pk for e in elections if is_party_election(e)]  # only a Party election has shortfall decisions
    shortfalls = list(ShortfallDecision.objects.filter(election__in=party).order_by("decided_on", "id")) if party else []
    data = {}
    for election in elections:
        own_rounds = [r for r in rounds if r.election_id == election.pk]
        own = {r.pk for r in own_rounds}
        item = CountData(
            election=election,
            registered=registered[election.pk],
            rounds=own_rounds,
            stations={pk: s for pk, s in stations.items() if s.election_id == election.pk},
            stations_of={k: v for k, v in stations_of.items() if k in own},
            confirmed={k: v for k, v in confirmed.items() if k in own},
            votes={k: {p: dict(c) for p, c in v.items()} for k, v in votes.items() if k in own},
            candidates={k: {p: tuple(c) for p, c in v.items()} for k, v in candidates.items() if k in own},
            write_ins=[w for w in write_ins if w.round_id in own],
            persons=persons,
            members=[m for m in members if m.election_id == election.pk],
            decisions=[d for d in decisions if d.election_id == election.pk],
            options=options.get(election.pk) or CountingOptions(election=election),
            shortfalls=[d for d in shortfalls if d.election_id == election.pk],
        )
        for r in own_rounds:
            r.election = election
        item.progress = follow(
            item.facts(),
            persons=[persons[k] for k in sorted(persons, key=int)],
            registered=item.registered,
            params=counting_params(election),
            voided=item.voided,
            reductions=item.reductions,
        )
        data[election.pk] = item
    return data


def election_counts(election: Election) -> CountData:
    return load_counts([election])[election.pk]
