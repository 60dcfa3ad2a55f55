"""The branch elections' process report as a page context, a workbook and a PDF, from one ``BranchProcessReport``:
the tables of ``reports.branch_process`` laid out by the reports' own machinery — ``_table.html`` and the ``cell``
filter, the workbook writer ``reports.documents._write_table`` (formula-safe cells through
``villages.spreadsheets.cell_value``, shares as exact ratios with a ``0.0%`` format) and WeasyPrint."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import timezone

from villages.spreadsheets import cell_value

from .branch_process import BranchProcessReport, narrative, report_tables
from .documents import _naive_local, _write_table
from .scopes import KINDS
from .two_committee_documents import place_word

PDF_TEMPLATE = "reports/pdf/branch_process.html"


def branch_process_context(report: BranchProcessReport) -> dict:
    return {
        "report": report,
        "title": report.title,
        "tables": {t.key.replace("-", "_"): t for t in report_tables(report)},
        "narrative": narrative(report, place_word(report)),
        "kind_label": KINDS.get(report.scope_kind, ""),
    }


def branch_process_filename(report: BranchProcessReport, fmt: str) -> str:
    stamp = timezone.localtime(report.generated_at).strftime("%Y%m%d%H%M") if report.generated_at else "report"
    return f"{report.scope_label}村党组织换届选举过程统计_{stamp}.{fmt}"


def render_branch_process(report: BranchProcessReport, fmt: str) -> bytes:
    if fmt == "xlsx":
        return branch_process_workbook(report)
    if fmt == "pdf":
        from weasyprint import HTML  # imported late: it loads fonts and Pango on import

        return HTML(string=render_to_string(PDF_TEMPLATE, branch_process_context(report))).write_pdf()
    raise ValueError(f"unknown format {fmt!r}")


def branch_process_workbook(report: BranchProcessReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    cover = workbook.active
    cover.title = "封面"
    bold = Font(bold=True)
    cover["A1"] = cell_value(report.title)
    cover["A1"].font = Font(bold=True, size=14)
    rows = [
        ("报表范围", report.scope_label),
        ("范围类型", KINDS.get(report.scope_kind, "")),
        ("范围代码", report.scope_key.partition(":")[2]),
        ("换届选举", "、".join(report.rounds) or "—"),
        ("生成时间", _naive_local(report.generated_at)),
        ("综述", narrative(report, place_word(report))),
    ]
    for offset, (label, value) in enumerate(rows, start=3):
        cover.cell(row=offset, column=1, value=label).font = bold
        target = cover.cell(row=offset, column=2, value=cell_value(value))
        if label == "生成时间":
            target.number_format = "yyyy-mm-dd hh:mm"
        target.alignment = Alignment(wrap_text=True, vertical="top")
    cover.column_dimensions["A"].width = 16
    cover.column_dimensions["B"].width = 90
    fill = PatternFill("solid", fgColor="DDE6F1")
    for table in report_tables(report):
        _write_table(workbook.create_sheet(table.title[:31]), table, bold, fill, Alignment)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
