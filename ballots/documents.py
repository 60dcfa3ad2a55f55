"""Printing with WeasyPrint: A4 pages in Noto Sans CJK SC (templates in ``templates/ballots/pdf/``).

Each function returns the PDF bytes of one document, so the views (which log and send them) and the
archive (which files them) print the same thing.
"""

from __future__ import annotations

import dataclasses
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string

from . import sheets
from .counts import election_counts, is_party_election
from .entries import options_for, sheet_layout, tally_values
from .queries import round_views, status_of


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported here: loading WeasyPrint costs a second at start-up

    return HTML(string=render_to_string(template, context), base_url=str(settings.BASE_DIR)).write_pdf()


def ballot_pdf(election, round) -> bytes:
    """The ballot of ``round``, one section per post (海选: blank lines only)."""
    context = {"election": election, "round": round, "rules": election.rules, "numbers": [""],
               **ballot_posts(election, round)}
    return render_pdf("ballots/pdf/ballot.html", context)


def ballot_posts(election, round) -> dict:
    """The posts a ballot prints and whether it offers 另选他人 (a Party preset may forbid it: then only the
    formal candidates are printed, and the rules say so)."""
    posts = sheets.printable(sheet_layout(round), None, blank_lines=0)
    write_ins = not is_party_election(election) or election.rules.write_in_allowed
    if not write_ins:
        posts = [dataclasses.replace(p, blank_lines=0) for p in posts]
    return {"posts": posts, "write_ins": write_ins}


def tally_sheet_pdf(election, round, *, station=None, tally=None) -> bytes:
    """计票结果报告单: blank (no ``tally``) or filled with a confirmed tally of ``station``."""
    if election.is_party_branch:  # the 党员大会's own sheet (a congress unit's meeting prints the shared one)
        return party_tally_sheet_pdf(election, round, tally=tally)
    values = tally_values(tally) if tally is not None else None
    context = {"election": election, "round": round, "station": station, "tally": tally,
               "posts": sheets.printable(sheet_layout(round), values),
               "labels": options_for(election).signature_labels}
    return render_pdf("ballots/pdf/tally_sheet.html", context)


def results_report_pdf(election, *, printed_on: date) -> bytes:
    """选举结果报告单 with every number of every round (a Party election's: its 党员大会's)."""
    if is_party_election(election):
        return party_results_report_pdf(election, printed_on=printed_on)
    data = election_counts(election)
    context = {"election": election, "data": data, "status": status_of(data), "rounds": round_views(data),
               "labels": data.options.signature_labels, "printed_on": printed_on}
    return render_pdf("ballots/pdf/results_report.html", context)


def party_results_report_pdf(election, *, printed_on: date) -> bytes:
    """A Party election's 选举结果报告单: each round's 应到会, 实到会 and votes with the engine's sentences, the
    committee's 书记/副书记 votes and who holds which post; signed by the 党员大会's 监票人 and 计票人 and sealed
    by the branch (LAW.md §4.2)."""
    from .party_report import party_results

    report = party_results(election)
    context = {"election": election, "report": report, "data": report.data, "rounds": round_views(report.data),
               "status": status_of(report.data), "printed_on": printed_on}
    return render_pdf("ballots/pdf/party_results_report.html", context)


def party_upper_report_pdf(election, *, printed_on: date) -> bytes:
    """关于…换届选举结果的报告: the branch reports those elected to the township Party committee for approval."""
    from .party_report import party_results

    report = party_results(election)
    context = {"election": election, "report": report, "data": report.data, "rounds": round_views(report.data),
               "status": status_of(report.data), "printed_on": printed_on}
    return render_pdf("ballots/pdf/party_upper_report.html", context)


@dataclasses.dataclass(frozen=True)
class TallyRow:
    number: int
    name: str
    votes: int | None  # 赞成票 (the system's figure), None on a blank sheet
    write_in: bool = False


def party_tally_rows(election, round, tally=None) -> tuple[list[TallyRow], int]:
    """The 党员大会's tally sheet rows: the round's candidates in surname-stroke order (``villages.strokes``), then
    the written-in names with their 赞成票; and the blank lines left for write-ins on a blank sheet."""
    from villages.strokes import stroke_key

    values = tally_values(tally) if tally is not None else None
    posts = sheets.printable(sheet_layout(round), values, blank_lines=0)
    candidates = sorted(((name, votes) for post in posts for name, votes in post.candidates),
                        key=lambda row: stroke_key(row[0]))
    rows = [TallyRow(i, name, votes) for i, (name, votes) in enumerate(candidates, start=1)]
    for name, votes in (w for post in posts for w in post.write_ins):
        rows.append(TallyRow(len(rows) + 1, name, votes, write_in=True))
    blank = 0 if tally is not None or not election.rules.write_in_allowed else 3
    return rows, blank


def party_tally_sheet_pdf(election, round, *, tally=None) -> bytes:
    """党员大会选举计票统计表: 应到会, 实到会, ballots issued and returned; per candidate (stroke order) 赞成 (○),
    不赞成 (×) and 弃权 (no mark) — the three add up to the valid ballots; the system records the 赞成票, the
    counters write the others on the paper; the winning line (more than half of those present, LAW.md §4.2); and
    the signatures of the 总监票人, 监票人 and 计票人."""
    from .party_report import heading_of

    rows, blank = party_tally_rows(election, round, tally)
    present = round.present
    context = {"election": election, "round": round, "tally": tally, "rows": rows, "blank_rows": range(blank),
               "heading": heading_of(election), "seats": sum((round.seats or {}).values()),
               "present": present, "needed": present // 2 + 1 if present else None,
               "total_for": sum(row.votes or 0 for row in rows),
               "total_max": tally.valid * sum((round.seats or {}).values()) if tally is not None else None}
    return render_pdf("ballots/pdf/party_tally_sheet.html", context)
