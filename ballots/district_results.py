"""The results of a 人大 round, district by district and for the level (Election Law Arts. 45–47):
what the 选举委员会 reports and hands the 代表资格审查委员会 as the 当选代表名单.

Read-only: each district's figures come from ``load_counts`` (the same computed results as its own
results page), for every district in one batch of queries; the elected are those announced and not
declared void.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from candidates.models import Candidate
from villages.models import Campaign, Election
from voters.codes import EDUCATION_CODES, ETHNIC_GROUPS, ETHNIC_GROUPS_LOCAL, POLITICAL_STATUS

from .counts import load_counts
from .models import Round
from .queries import status_of


@dataclass(frozen=True)
class Deputy:
    district: str
    name: str
    sex: str
    ethnicity: str
    birth: str  # 1970年3月
    political_status: str
    education: str
    profile: str
    votes: int
    ballots_cast: int  # of the round that elected them
    round_label: str
    elected_on: date


@dataclass
class DistrictResult:
    election: Election
    seats: int
    registered: int
    voted: int | None  # the first ballot's ballots cast; None until it is counted
    status: str
    detail: str
    announced_on: date | None
    runoff_held: bool
    deputies: list[Deputy] = field(default_factory=list)

    @property
    def turnout(self) -> Fraction | None:
        return Fraction(self.voted, self.registered) if self.voted is not None and self.registered else None

    @property
    def vacancies(self) -> int:
        return self.seats - len(self.deputies) if self.announced_on else 0


@dataclass
class LevelResults:
    campaign: Campaign
    districts: list[DistrictResult]

    @property
    def seats(self) -> int:
        return sum(d.seats for d in self.districts)

    @property
    def registered(self) -> int:
        return sum(d.registered for d in self.districts)

    @property
    def counted(self) -> list[DistrictResult]:
        return [d for d in self.districts if d.voted is not None]

    @property
    def voted(self) -> int:
        return sum(d.voted for d in self.counted)

    @property
    def registered_counted(self) -> int:
        """登记选民 of the districts whose first ballot is counted: the base of the level's turnout."""
        return sum(d.registered for d in self.counted)

    @property
    def turnout(self) -> Fraction | None:
        return Fraction(self.voted, self.registered_counted) if self.registered_counted else None

    @property
    def deputies(self) -> list[Deputy]:
        return [deputy for d in self.districts for deputy in d.deputies]

    @property
    def announced(self) -> int:
        return sum(1 for d in self.districts if d.announced_on)

    @property
    def runoffs(self) -> int:
        return sum(1 for d in self.districts if d.runoff_held)

    @property
    def vacancies(self) -> int:
        return sum(d.vacancies for d in self.districts)


def _political(code: str) -> str:
    status = POLITICAL_STATUS.get(code)
    return status.short if status else ""


def _birth(value: date) -> str:
    return f"{value.year}年{value.month}月"


def level_results(campaign: Campaign, elections) -> LevelResults:
    """``elections``: the round's district elections the reader may see, in district order."""
    elections = list(elections)
    data = load_counts(elections)
    profiles = _profiles(elections)
    districts = []
    for election in elections:
        item = data[election.pk]
        firsts = [r for r in item.rounds if r.kind == Round.Kind.FIRST and r.status != Round.Status.VOID]
        first = firsts[-1] if firsts else None
        voted = item.totals(first.pk)["returned"] if first and item.is_counted(first.pk) else None
        status = status_of(item)
        result = DistrictResult(
            election=election, seats=election.seats_member, registered=item.registered, voted=voted,
            status=status.label, detail=status.detail, announced_on=election.results_announced_on,
            runoff_held=any(r.kind == Round.Kind.RUNOFF and r.status != Round.Status.VOID for r in item.rounds),
        )
        for member in sorted(item.members, key=lambda m: (m.round.number, -m.votes, m.pk)):
            if member.void_decision_id:
                continue
            voter = member.voter
            result.deputies.append(Deputy(
                district=str(election.district), name=voter.name, sex=voter.get_sex_display(),
                ethnicity={**ETHNIC_GROUPS, **ETHNIC_GROUPS_LOCAL}.get(voter.ethnicity, voter.ethnicity),
                birth=_birth(voter.birth_date), political_status=_political(voter.political_status),
                education=EDUCATION_CODES.get(voter.education_edition, {}).get(voter.education, ""),
                profile=profiles.get((election.pk, voter.pk), ""), votes=member.votes,
                ballots_cast=item.totals(member.round_id)["returned"], round_label=member.round.label,
                elected_on=member.elected_on,
            ))
        districts.append(result)
    return LevelResults(campaign=campaign, districts=districts)


def _profiles(elections) -> dict[tuple[int, int], str]:
    rows = Candidate.objects.filter(election__in=elections).values_list("election_id", "voter_id", "profile")
    return {(election_id, voter_id): profile for election_id, voter_id, profile in rows}
