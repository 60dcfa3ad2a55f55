"""Reads for entering a tally: the sheet's layout for a round, a stored tally as plain values, and which
entry (first or second) a user works on (DOMAIN.md "Voting and counting"; double entry 双人录入)."""

from __future__ import annotations

from dataclasses import dataclass

from villages.models import Role, User

from .models import CountingOptions, PollingStation, Round, RoundCandidate, Tally
from .sheets import PostValues, SheetLayout, SheetPost, TallyValues


@dataclass(frozen=True)
class EntrySlot:
    """The tally ``user`` would save (``tally`` None: a new entry with ``entry_number``); ``blocked`` is the
    code of the reason they may not, if any."""

    tally: Tally | None
    entry_number: int
    blocked: str = ""


def options_for(election) -> CountingOptions:
    """The election's counting options; the defaults (single entry) until someone saves them."""
    return CountingOptions.objects.filter(election=election).first() or CountingOptions(election=election)


def sheet_layout(round: Round) -> SheetLayout:
    by_post: dict[str, list[tuple[int, str]]] = {}
    for candidate in RoundCandidate.objects.filter(round=round).select_related("voter").order_by("post", "order", "id"):
        by_post.setdefault(candidate.post, []).append((candidate.voter_id, candidate.voter.name))
    return SheetLayout(
        posts=tuple(SheetPost(code, round.seats[code], tuple(by_post.get(code, ()))) for code in round.post_codes)
    )


def tally_values(tally: Tally) -> TallyValues:
    posts = {}
    for post_tally in tally.posts.prefetch_related("votes", "write_ins"):
        posts[post_tally.post] = PostValues(
            candidate_votes={v.voter_id: v.votes for v in post_tally.votes.all()},
            write_ins={w.name: w.votes for w in post_tally.write_ins.all()},
            abstentions=post_tally.abstentions,
            invalid_for_post=post_tally.invalid_for_post,
        )
    return TallyValues(
        issued=tally.issued,
        returned=tally.returned,
        valid=tally.valid,
        invalid=tally.invalid,
        posts=posts,
        explanations={key: item.get("text", "") for key, item in (tally.explanations or {}).items()},
        several_posts_ballots=tally.several_posts_ballots,
    )


def is_office_staff(user: User) -> bool:
    return user.role in (Role.CLERK, Role.ADMIN)


def entry_slot(*, round: Round, station: PollingStation, user: User, double_entry: bool) -> EntrySlot:
    """Single entry: everyone edits the one tally. Double entry: each person has their own entry, the
    second by someone other than the first; once confirmed, only office staff change it."""
    if not round.is_open:
        return EntrySlot(None, 1, "round_not_open")
    entries = {t.entry_number: t for t in Tally.objects.filter(round=round, station=station).select_related("entered_by")}
    if not double_entry:
        return EntrySlot(entries.get(1), 1)
    confirmed = next((t for t in entries.values() if t.status == Tally.Status.CONFIRMED), None)
    if confirmed is not None:
        return EntrySlot(confirmed, confirmed.entry_number, "" if is_office_staff(user) else "confirmed_locked")
    mine = next((t for t in entries.values() if t.entered_by_id == user.pk), None)
    if mine is not None:
        return EntrySlot(mine, mine.entry_number)
    if 1 not in entries:
        return EntrySlot(None, 1)
    if 2 not in entries:
        return EntrySlot(None, 2)
    return EntrySlot(None, 2, "double_entry_full")


def entries_of(round: Round, station: PollingStation) -> dict[int, Tally]:
    return {t.entry_number: t for t in Tally.objects.filter(round=round, station=station).select_related("entered_by")}


@dataclass
class StationRow:
    station: PollingStation
    first: Tally | None = None
    second: Tally | None = None

    @property
    def confirmed(self) -> Tally | None:
        return next((t for t in (self.first, self.second) if t and t.status == Tally.Status.CONFIRMED), None)

    @property
    def awaiting_resolution(self) -> bool:
        return bool(self.first and self.second) and {self.first.status, self.second.status} == {Tally.Status.SUBMITTED}


def station_rows(round: Round) -> list[StationRow]:
    """Each station of the round with its entries (two queries)."""
    rows = {s.pk: StationRow(s) for s in round.stations.order_by("order", "id")}
    for tally in Tally.objects.filter(round=round).select_related("entered_by"):
        row = rows.get(tally.station_id)
        if row is not None:
            setattr(row, "first" if tally.entry_number == 1 else "second", tally)
    return list(rows.values())
