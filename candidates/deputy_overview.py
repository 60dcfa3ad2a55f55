"""What the nomination page of a 人大 选区 shows: the nominees with their sources, the lawful size of
the formal list (Art. 31), the initial list and the formal list (read-only queries)."""

from __future__ import annotations

from dataclasses import dataclass

from villages.models import Election

from . import deputy_rules
from .models import Candidate, CandidateListPublication, InitialCandidateList


@dataclass(frozen=True)
class DeputyBoard:
    election: Election
    nominees: list[Candidate]
    seats: int
    low: int
    high: int
    initial: InitialCandidateList | None
    publication: CandidateListPublication | None

    @property
    def primary_needed(self) -> bool:
        return len(self.active) > self.high

    @property
    def active(self) -> list[Candidate]:
        return [c for c in self.nominees if c.is_active]

    @property
    def on_list(self) -> list[Candidate]:
        return sorted((c for c in self.nominees if c.status == Candidate.Status.ON_LIST), key=lambda c: c.list_order)

    @property
    def printed(self) -> list[Candidate]:
        """The formal list once published; until then every active nominee (the initial list)."""
        return self.on_list if self.publication else self.active

    @property
    def range_label(self) -> str:
        return f"{self.low}名" if self.low == self.high else f"{self.low}至{self.high}名"


def deputy_board(election: Election) -> DeputyBoard:
    low, high = deputy_rules.formal_range(election.seats_member, election.rules)
    nominees = list(
        Candidate.objects.in_election(election).select_related("voter", "voter__group__village")
        .order_by("list_order", "id")
    )
    return DeputyBoard(
        election=election,
        nominees=nominees,
        seats=election.seats_member,
        low=low,
        high=high,
        initial=InitialCandidateList.objects.filter(election=election).first(),
        publication=CandidateListPublication.objects.filter(election=election).first(),
    )
