"""The congress composition report as a page context, a workbook and a PDF, from one ``CongressReport``, laid out
by the reports' own machinery (``_table.html``, ``reports.documents.summary_workbook`` with formula-safe cells through
``villages.spreadsheets.cell_value``, WeasyPrint with the summary PDFs' head)."""

from __future__ import annotations

from .congress_report import CongressReport, narrative, report_tables
from .documents import _naive_local, render_summary, scope_rows, stamped_filename, summary_workbook
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
    return stamped_filename(report, "乡镇党代表大会代表结构统计", fmt)


def render_congress_report(report: CongressReport, fmt: str) -> bytes:
    return render_summary(fmt, workbook=lambda: congress_report_workbook(report), template=PDF_TEMPLATE,
                          context=lambda: congress_report_context(report))


def congress_report_workbook(report: CongressReport) -> bytes:
    rows = [*scope_rows(report), ("党代表大会", "、".join(f"{t.township}{t.title}" for t in report.townships) or "—"),
            ("生成时间", _naive_local(report.generated_at)), ("综述", narrative(report, place_word(report)))]
    return summary_workbook(report.title, rows, report_tables(report))
