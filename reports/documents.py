"""The report as a page context, a workbook and a PDF, all from one ``ReportFigures`` (STYLE.md §7).

The tables come from ``reports.tables`` and the charts from ``reports.charts``; this module only lays
them out. Workbook: a cover sheet, one sheet per table, counts as numbers, shares as the exact ratio
with the ``0.0%`` format (Excel rounds at display, as our filter does on the page), frozen headers.
PDF: A4 through WeasyPrint with Noto Sans CJK SC on the body and in the page margin boxes
(ENVIRONMENT.md), page numbers, the scope, the generation time and the 未认定/已认定 banner.
"""

from __future__ import annotations

import io
import unicodedata
from datetime import datetime
from fractions import Fraction

from django.template.loader import render_to_string
from django.utils import timezone

from villages.spreadsheets import cell_value

from .figures import ReportFigures, Share, narrative
from .scopes import KINDS
from .tables import Table, report_tables
from .workbook_charts import add_report_charts

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
CONTENT_TYPES = {"xlsx": XLSX, "pdf": PDF}
PDF_TEMPLATE = "reports/pdf/report.html"


def report_title(figures: ReportFigures) -> str:
    campaigns = "、".join(figures.campaigns) or "村民委员会选举"
    return f"{figures.scope_label}{campaigns.replace('委员会选举', '委员会换届选举')}统计报表"


def certification_label(figures: ReportFigures) -> str:
    c = figures.certified
    if not c.denominator:
        return "未认定（范围内没有选举）"
    if figures.is_certified:
        return f"已认定（{c.denominator}个村的选举结果均已认定）"
    return f"未认定（{c.numerator}/{c.denominator}个村的选举结果已认定，数据仍可能变化）"


def report_context(figures: ReportFigures, *, charts: bool = True) -> dict:
    """What the page and the PDF render: the figures, their tables, charts and narrative."""
    return {
        "figures": figures,
        "title": report_title(figures),
        "tables": {t.key: t for t in report_tables(figures)},
        "charts": _charts(figures) if charts else [],
        "narrative": narrative(figures),
        "certification": certification_label(figures),
        "kind_label": KINDS.get(figures.scope_kind, ""),
    }


def report_filename(figures: ReportFigures, fmt: str) -> str:
    stamp = timezone.localtime(figures.generated_at).strftime("%Y%m%d%H%M") if figures.generated_at else "report"
    return f"{figures.scope_label}换届选举统计报表_{stamp}.{fmt}"


def render_report(figures: ReportFigures, fmt: str) -> bytes:
    if fmt == "xlsx":
        return report_workbook(figures)
    if fmt == "pdf":
        return report_pdf(figures)
    raise ValueError(f"unknown format {fmt!r}")


# --- PDF -----------------------------------------------------------------------------------------


def report_pdf(figures: ReportFigures, *, context: dict | None = None) -> bytes:
    from weasyprint import HTML  # imported late: it loads fonts and Pango on import

    html = render_to_string(PDF_TEMPLATE, context or report_context(figures))
    return HTML(string=html).write_pdf()


# --- Workbook ------------------------------------------------------------------------------------


def report_workbook(figures: ReportFigures) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    cover = workbook.active
    cover.title = "封面"
    bold = Font(bold=True)
    cover["A1"] = cell_value(report_title(figures))
    cover["A1"].font = Font(bold=True, size=14)
    generated = _naive_local(figures.generated_at)
    rows = [
        ("报表范围", figures.scope_label),
        ("范围类型", KINDS.get(figures.scope_kind, "")),
        ("范围代码", figures.scope_key.partition(":")[2]),
        ("换届届次", "、".join(figures.campaigns) or "—"),
        ("生成时间", generated),
        ("结果认定", "已认定" if figures.is_certified else "未认定"),
        ("已认定的村", figures.certified.numerator),
        ("参加选举的村", figures.certified.denominator),
        ("说明", certification_label(figures)),
        ("综述", narrative(figures)),
    ]
    for offset, (label, value) in enumerate(rows, start=3):
        cover.cell(row=offset, column=1, value=label).font = bold
        target = cover.cell(row=offset, column=2, value=cell_value(value))
        if isinstance(value, datetime):
            target.number_format = "yyyy-mm-dd hh:mm"
        target.alignment = Alignment(wrap_text=True, vertical="top")
    cover.column_dimensions["A"].width = 16
    cover.column_dimensions["B"].width = 90
    header_fill = PatternFill("solid", fgColor="DDE6F1")
    for table in report_tables(figures):
        _write_table(workbook.create_sheet(table.title), table, bold, header_fill, Alignment)
    add_report_charts(workbook, report_tables(figures))  # native charts beside the figures (reports.workbook_charts)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def stamped_filename(report, name: str, fmt: str) -> str:
    """A summary report's download name: 青山镇村两委换届选举统计报表_202612041530.xlsx (its scope, its name, when)."""
    stamp = timezone.localtime(report.generated_at).strftime("%Y%m%d%H%M") if report.generated_at else "report"
    return f"{report.scope_label}{name}_{stamp}.{fmt}"


def render_summary(fmt: str, *, workbook, template: str, context) -> bytes:
    """A summary report as ``fmt``: ``workbook()`` for xlsx, ``template`` with ``context()`` through WeasyPrint for pdf."""
    if fmt == "xlsx":
        return workbook()
    if fmt == "pdf":
        from weasyprint import HTML  # imported late: it loads fonts and Pango on import

        return HTML(string=render_to_string(template, context())).write_pdf()
    raise ValueError(f"unknown format {fmt!r}")


def summary_workbook(title: str, cover_rows, tables, *, label_width: int = 16) -> bytes:
    """The workbook of a summary report (人大, 两委, the branch process, the congress): a cover sheet — the title,
    then one ``(label, value)`` row each (生成时间 as a date) — and a sheet a table, every cell formula-safe."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    cover = workbook.active
    cover.title = "封面"
    bold = Font(bold=True)
    cover["A1"] = cell_value(title)
    cover["A1"].font = Font(bold=True, size=14)
    for offset, (label, value) in enumerate(cover_rows, start=3):
        cover.cell(row=offset, column=1, value=label).font = bold
        target = cover.cell(row=offset, column=2, value=cell_value(value))
        if label == "生成时间":
            target.number_format = "yyyy-mm-dd hh:mm"
        target.alignment = Alignment(wrap_text=True, vertical="top")
    cover.column_dimensions["A"].width = label_width
    cover.column_dimensions["B"].width = 90
    fill = PatternFill("solid", fgColor="DDE6F1")
    for table in tables:
        _write_table(workbook.create_sheet(table.title[:31]), table, bold, fill, Alignment)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def scope_rows(report) -> list[tuple[str, object]]:
    """The cover rows every summary report starts with: its scope, the scope's kind and code."""
    return [("报表范围", report.scope_label), ("范围类型", KINDS.get(report.scope_kind, "")),
            ("范围代码", report.scope_key.partition(":")[2])]


def _write_table(sheet, table: Table, bold, fill, alignment) -> None:
    from openpyxl.utils import get_column_letter

    for column, spec in enumerate(table.columns, start=1):
        cell = sheet.cell(row=1, column=column, value=cell_value(spec.label))
        cell.font, cell.fill = bold, fill
        cell.alignment = alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = [max(spec.width, _display_width(spec.label) + 2) for spec in table.columns]
    for r, row in enumerate(table.rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=column)
            if isinstance(value, str):
                widths[column - 1] = max(widths[column - 1], min(_display_width(value) + 2, 60))
            if isinstance(value, Share):
                cell.value = float(value.ratio) if value.ratio is not None else None
                cell.number_format = "0.0%"
            elif isinstance(value, Fraction):
                cell.value = float(value)
                cell.number_format = "0.0"
            elif isinstance(value, bool):
                cell.value = "是" if value else "否"
            else:
                cell.value = cell_value(value)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2" if len(table.columns) < 3 else "B2"
    if table.note:
        sheet.cell(row=len(table.rows) + 3, column=1, value=cell_value(f"说明：{table.note}"))
    if not table.rows:
        sheet.cell(row=2, column=1, value="（无数据）")


def _display_width(text: str) -> int:
    """Columns a text takes in Excel: a Han character or full-width sign is two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _naive_local(moment: datetime | None):
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None) if timezone.is_aware(moment) else moment


def _charts(figures: ReportFigures) -> list:
    from .charts import report_charts  # imported here: matplotlib costs 29 MB in every process that loads the URLs

    return report_charts(figures)
