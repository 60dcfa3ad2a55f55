"""The congress composition report as a page context, a workbook and a PDF, from one ``CongressReport``, laid out
by the reports' own machinery (``_table.html``, ``reports.documents._write_table`` with formula-safe cells through
``villages.spreadsheets.cell_value``, WeasyPrint with the summary PDFs' head)."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import timezone

from villages.spreadsheets import cell_value

from .congress_report import CongressReport, narrative, report_tables
from .documents import _naive_local, _write_table
from .scopes import KINDS

PDF_TEMPLATE = "reports/pdf/congress_report.html"


def place_word(report: CongressReport) -> str:
    if report.scope_kind == "county":
        return "全县"
    return "全镇" if report.scope_label.endswith("镇") else "全乡"


def congress_report_context(report: CongressReport) -> dict:
    return {
        "report": report,
        "title": report.title,
        "tables": {t.key: t for t in report_tables(report)},
        "narrative": narrative(report, place_word(report)),
        "kind_label": KINDS.get(report.scope_kind, ""),
    }


def congress_report_filename(report: CongressReport, fmt: str) -> str:
    stamp = timezone.localtime(report.generated_at).strftime("%Y%m%d%H%M") if report.generated_at else "report"
    return f"{report.scope_label}乡镇党代表大会代表结构统计_{stamp}.{fmt}"


def render_congress_report(report: CongressReport, fmt: str) -> bytes:
    if fmt == "xlsx":
        return congress_report_workbook(report)
    if fmt == "pdf":
        from weasyprint import HTML  # imported late: it loads fonts and Pango on import

        return HTML(string=render_to_string(PDF_TEMPLATE, congress_report_context(report))).write_pdf()
    raise ValueError(f"unknown format {fmt!r}")


def congress_report_workbook(report: CongressReport) -> bytes:
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
        ("党代表大会", "、".join(f"{t.township}{t.title}" for t in report.townships) or "—"),
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
