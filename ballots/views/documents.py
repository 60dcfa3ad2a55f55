"""Printable documents: ballots per post, the tally sheet (blank or filled) and the results report.

Every print is logged (``villages.downloads``)."""

from django.http import Http404
from django.utils import timezone

from villages.access import NOT_FOUND, get_child_or_404, get_election_for
from villages.downloads import document_response

from .. import documents, papers
from ..quantities import NUMBERED_BALLOTS_PER_FILE
from ..models import Tally


def ballot_pdf(request, pk: int, round_pk: int):
    """The sample ballot, or ballots numbered ``?from=`` … ``?to=`` (at most one batch of 500 per file)."""
    election = get_election_for(request.user, pk)
    round = get_child_or_404(election.rounds.all(), round_pk)
    numbers = _number_range(request)
    if numbers is None:
        return document_response(request, documents.ballot_pdf(election, round), inline=True, obj=election,
                                 filename=f"{election.unit_name}{round.label}选票.pdf",
                                 action="ballots.ballot.printed", details={"round": round.label})
    first, last = numbers
    pdf = papers.numbered_ballots_pdf(election, round, first=first, last=last)
    return document_response(request, pdf, inline=True, obj=election,
                             filename=f"{election.unit_name}{round.label}选票（{first}-{last}号）.pdf",
                             action="ballots.ballot.printed", details={"round": round.label, "numbers": f"{first}-{last}"})


def _number_range(request) -> tuple[int, int] | None:
    """``?from=&to=`` as a range of ballot numbers; ``to`` is cut to one batch. Absent: the sample ballot."""
    raw_first, raw_last = request.GET.get("from", ""), request.GET.get("to", "")
    if not raw_first and not raw_last:
        return None
    if not raw_first.isdigit() or not raw_last.isdigit() or not 1 <= int(raw_first) <= int(raw_last):
        raise Http404("选票编号范围不正确。")
    first = int(raw_first)
    return first, min(int(raw_last), first + NUMBERED_BALLOTS_PER_FILE - 1)


def _tally_sheet_name(election) -> str:
    return "党员大会计票统计表" if election.is_party_branch else "计票结果报告单"


def tally_sheet_blank(request, pk: int, round_pk: int):
    election = get_election_for(request.user, pk)
    round = get_child_or_404(election.rounds.all(), round_pk)
    return document_response(request, documents.tally_sheet_pdf(election, round), inline=True, obj=election,
                             filename=f"{election.unit_name}{_tally_sheet_name(election)}.pdf",
                             action="ballots.tally_sheet.printed", details={"round": round.label})


def tally_sheet(request, pk: int, round_pk: int, station_pk: int):
    election = get_election_for(request.user, pk)
    round = get_child_or_404(election.rounds.all(), round_pk)
    station = get_child_or_404(round.stations.all(), station_pk)
    tally = round.tallies.filter(station=station, status=Tally.Status.CONFIRMED).select_related("entered_by").first()
    if tally is None:
        raise Http404(NOT_FOUND)
    pdf = documents.tally_sheet_pdf(election, round, station=station, tally=tally)
    return document_response(request, pdf, inline=True, obj=election,
                             filename=f"{election.unit_name}{station.name}{_tally_sheet_name(election)}.pdf",
                             action="ballots.tally_sheet.printed", details={"round": round.label, "station": station.name})


def results_report(request, pk: int):
    election = get_election_for(request.user, pk)
    pdf = documents.results_report_pdf(election, printed_on=timezone.localdate())
    return document_response(request, pdf, inline=True, obj=election,
                             filename=f"{election.unit_name}选举结果报告单.pdf", action="ballots.results_report.printed")
