"""Printable documents: ballots per post, the tally sheet (blank or filled) and the results report."""

from django.http import Http404
from django.utils import timezone

from villages.access import NOT_FOUND, get_child_or_404, get_election_for

from .. import sheets
from ..counts import election_counts
from ..documents import pdf_response
from ..entries import options_for, sheet_layout, tally_values
from ..models import Tally
from ..queries import round_views, status_of


def ballot_pdf(request, pk: int, round_pk: int):
    election = get_election_for(request.user, pk)
    round = get_child_or_404(election.rounds.all(), round_pk)
    context = {"election": election, "round": round, "rules": election.rules,
               "posts": sheets.printable(sheet_layout(round), None, blank_lines=0)}
    return pdf_response("ballots/pdf/ballot.html", context, filename=f"{election.village.name}{round.label}选票.pdf")


def tally_sheet_blank(request, pk: int, round_pk: int):
    election = get_election_for(request.user, pk)
    round = get_child_or_404(election.rounds.all(), round_pk)
    context = {"election": election, "round": round, "posts": sheets.printable(sheet_layout(round), None),
               "labels": options_for(election).signature_labels}
    return pdf_response("ballots/pdf/tally_sheet.html", context, filename=f"{election.village.name}计票结果报告单.pdf")


def tally_sheet(request, pk: int, round_pk: int, station_pk: int):
    election = get_election_for(request.user, pk)
    round = get_child_or_404(election.rounds.all(), round_pk)
    station = get_child_or_404(round.stations.all(), station_pk)
    tally = round.tallies.filter(station=station, status=Tally.Status.CONFIRMED).select_related("entered_by").first()
    if tally is None:
        raise Http404(NOT_FOUND)
    layout = sheet_layout(round)
    context = {"election": election, "round": round, "station": station, "tally": tally,
               "posts": sheets.printable(layout, tally_values(tally)), "labels": options_for(election).signature_labels}
    return pdf_response("ballots/pdf/tally_sheet.html", context,
                        filename=f"{election.village.name}{station.name}计票结果报告单.pdf")


def results_report(request, pk: int):
    election = get_election_for(request.user, pk)
    data = election_counts(election)
    context = {"election": election, "data": data, "status": status_of(data), "rounds": round_views(data),
               "labels": data.options.signature_labels, "printed_on": timezone.localdate()}
    return pdf_response("ballots/pdf/results_report.html", context, filename=f"{election.village.name}选举结果报告单.pdf")
