"""Printing with WeasyPrint: A4 pages in Noto Sans CJK SC (templates in ``templates/ballots/pdf/``).

Each function returns the PDF bytes of one document, so the views (which log and send them) and the
archive (which files them) print the same thing.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.template.loader import render_to_string

from . import sheets
from .counts import election_counts
from .entries import options_for, sheet_layout, tally_values
from .queries import round_views, status_of


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported here: loading WeasyPrint costs a second at start-up

    return HTML(string=render_to_string(template, context), base_url=str(settings.BASE_DIR)).write_pdf()


def ballot_pdf(election, round) -> bytes:
    """The ballot of ``round``, one section per post (海选: blank lines only)."""
    context = {"election": election, "round": round, "rules": election.rules, "numbers": [""],
               "posts": sheets.printable(sheet_layout(round), None, blank_lines=0)}
    return render_pdf("ballots/pdf/ballot.html", context)


def tally_sheet_pdf(election, round, *, station=None, tally=None) -> bytes:
    """计票结果报告单: blank (no ``tally``) or filled with a confirmed tally of ``station``."""
    values = tally_values(tally) if tally is not None else None
    context = {"election": election, "round": round, "station": station, "tally": tally,
               "posts": sheets.printable(sheet_layout(round), values),
               "labels": options_for(election).signature_labels}
    return render_pdf("ballots/pdf/tally_sheet.html", context)


def results_report_pdf(election, *, printed_on: date) -> bytes:
    """选举结果报告单 with every number of every round."""
    data = election_counts(election)
    context = {"election": election, "data": data, "status": status_of(data), "rounds": round_views(data),
               "labels": data.options.signature_labels, "printed_on": printed_on}
    return render_pdf("ballots/pdf/results_report.html", context)
