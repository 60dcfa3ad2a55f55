"""The papers the office prints for the vote (STYLE.md §7: rows built here, laid out by the templates):

- 选民证: one numbered card per voter, printed per villager group; the card's number is the voter's number
  on the published list (group number and 序号 in stroke order), so the station finds the voter at once;
- the 选举公告 series that belongs to the vote (``villages.announcements``): 第1号 election day and polling
  places, 第4号 the results;
- 当选证书: one certificate per elected member (void elections left out);
- numbered ballots and the print-quantity sheet (``ballots.quantities``).

Every function returns PDF bytes, so the views (which log and send them) and the archive print the same.
Names are set ``white-space: nowrap`` (``templates/villages/pdf/_paper.css``): never one character per line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count

from candidates.slate import POST_ORDER, post_label
from villages.announcements import ELECTION_DAY, RESULTS, cn_numeral, notice_for
from voters.documents import published_list
from voters.models import Status, Voter

from . import quantities, sheets
from .counts import election_counts
from .documents import ballot_posts, render_pdf
from .entries import sheet_layout
from .models import PollingStation

CARDS_PER_PAGE = 8
CARD_NAME_MM = 46  # the name's cell on a card
CARD_NAME_PT = 13
MM_PER_PT = 0.3528


def _committee_seats(election) -> list[tuple[str, int]]:
    if election.is_district:
        return [("代表", election.seats_member)]
    seats = [("主任", election.seats_chair), ("副主任", election.seats_vice_chair), ("委员", election.seats_member)]
    return [(label, n) for label, n in seats if n]


# ---------------------------------------------------------------- 选民证


@dataclass(frozen=True)
class VoterCard:
    number: str  # 组号-序号, as on the published list
    name: str
    sex: str
    age: int
    group_name: str
    station: str
    location: str

    @property
    def name_pt(self) -> float:
        """13 pt, smaller for a long name (维吾尔族 names with "·") so that it stays on one line."""
        return round(min(CARD_NAME_PT, CARD_NAME_MM / (max(len(self.name), 1) * MM_PER_PT)), 1)


def voter_cards(election, *, as_of: date, group_number: int | None = None) -> list[VoterCard]:
    """The cards of the list as it stands on ``as_of`` (all groups, or one), in the list's order. The polling
    place is the station of the voter's group, else the central meeting (中心会场), else left to be written."""
    stations = list(PollingStation.objects.filter(election=election).exclude(kind=PollingStation.Kind.MOBILE)
                    .select_related("group").order_by("order", "id"))
    by_group = {s.group.number: s for s in stations if s.group_id}
    central = next((s for s in stations if s.kind == PollingStation.Kind.CENTRAL), None)
    _, rows = published_list(election, as_of=as_of)
    cards = []
    for sequence, row in enumerate(rows, start=1):
        if election.is_district:  # groups of several villages share numbers: one sequence for the district
            cards.append(VoterCard(number=f"{sequence:04d}", name=row.name, sex=row.sex, age=row.age,
                                   group_name=row.group_name, station=central.name if central else "",
                                   location=central.location if central else ""))
            continue
        if group_number is not None and row.group_number != group_number:
            continue
        station = by_group.get(row.group_number, central)
        cards.append(VoterCard(
            number=f"{row.group_number:02d}-{row.number:03d}", name=row.name, sex=row.sex, age=row.age,
            group_name=row.group_name, station=station.name if station else "",
            location=station.location if station else "",
        ))
    return cards


def voter_cards_pdf(election, *, as_of: date, group_number: int | None = None) -> bytes:
    cards = voter_cards(election, as_of=as_of, group_number=group_number)
    pages = [cards[i : i + CARDS_PER_PAGE] for i in range(0, len(cards), CARDS_PER_PAGE)] or [[]]
    context = {"election": election, "pages": pages, "term": cn_numeral(election.campaign.term_number)}
    return render_pdf("ballots/pdf/voter_cards.html", context)


# ---------------------------------------------------------------- 选举公告: 第1号 and 第4号


def election_day_notice_pdf(election) -> bytes:
    """第1号: the election day, the polling places with the groups they serve, the seats, what to bring."""
    stations = (PollingStation.objects.filter(election=election).select_related("group").order_by("order", "id"))
    context = {
        "election": election,
        "notice": notice_for(ELECTION_DAY, election, dated=None),
        "stations": stations,
        "seats": _committee_seats(election),
    }
    return render_pdf("ballots/pdf/election_day_notice.html", context)


@dataclass(frozen=True)
class ElectedRow:
    post: str
    name: str
    sex: str
    votes: int
    round: str
    elected_on: date


def elected_rows(data) -> list[ElectedRow]:
    """The announced members whose election stands, from the top post down."""
    members = [m for m in data.members if not m.void_decision_id]
    members.sort(key=lambda m: (POST_ORDER.index(m.post) if m.post in POST_ORDER else len(POST_ORDER), m.round.number, m.id))
    return [
        ElectedRow(post=post_label(m.post), name=m.voter.name, sex=m.voter.get_sex_display(), votes=m.votes,
                   round=m.round.label, elected_on=m.elected_on)
        for m in members
    ]


def results_notice_pdf(election) -> bytes:
    """第4号: who was elected to which post with how many votes; a draft until the results are announced."""
    data = election_counts(election)
    context = {
        "election": election,
        "notice": notice_for(RESULTS, election, dated=election.results_announced_on,
                             draft=election.results_announced_on is None),
        "registered": data.registered,
        "rows": elected_rows(data),
        "term": cn_numeral(election.campaign.term_number),
    }
    return render_pdf("ballots/pdf/results_notice.html", context)


# ---------------------------------------------------------------- 当选证书


def certificates_pdf(election) -> bytes:
    """当选证书: one page per elected member whose election stands, numbered in the order of the results."""
    data = election_counts(election)
    context = {"election": election, "rows": elected_rows(data), "term": cn_numeral(election.campaign.term_number)}
    return render_pdf("ballots/pdf/certificates.html", context)


# ---------------------------------------------------------------- numbered ballots and their quantities


def quantity_sheet(election, round) -> quantities.QuantitySheet:
    """Registered voters per station of ``round`` (the station's count if entered, else its group's voters),
    mobile boxes left out (their ballots come from the station they leave from)."""
    registered = election_counts(election).registered
    rows = []
    stations = round.stations.exclude(kind=PollingStation.Kind.MOBILE).select_related("group").order_by("order", "id")
    group_counts = _group_counts(election)
    for station in stations:
        count = station.assigned_voters
        if count is None and station.group_id:
            count = group_counts.get(station.group_id, 0)
        if count is not None:
            rows.append((station.name, station.location, count))
    return quantities.quantity_sheet(rows, registered=registered)


def _group_counts(election) -> dict[int, int]:
    counts = Voter.objects.filter(election=election, status=Status.REGISTERED).values("group_id").annotate(n=Count("id"))
    return {row["group_id"]: row["n"] for row in counts}


def quantity_sheet_pdf(election, round) -> bytes:
    sheet = quantity_sheet(election, round)
    context = {"election": election, "round": round, "sheet": sheet, "percent": quantities.RESERVE_PERCENT,
               "minimum": quantities.RESERVE_MINIMUM, "batches": quantities.number_batches(sheet.quantity),
               "per_file": quantities.NUMBERED_BALLOTS_PER_FILE}
    return render_pdf("ballots/pdf/ballot_quantities.html", context)


def numbered_ballots_pdf(election, round, *, first: int, last: int) -> bytes:
    """Ballots ``first`` … ``last``, each with its number printed (at most one batch per file)."""
    numbers = [quantities.ballot_number(n) for n in range(first, last + 1)]
    context = {"election": election, "round": round, "rules": election.rules, "numbers": numbers,
               **ballot_posts(election, round)}
    return render_pdf("ballots/pdf/ballot.html", context)
