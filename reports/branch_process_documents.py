"""The branch elections' process report as a page context, a workbook and a PDF, from one ``BranchProcessReport``:
the tables of ``reports.branch_process`` laid out by the reports' own machinery — ``_table.html`` and the ``cell``
filter, the workbook writer ``reports.documents.summary_workbook`` (formula-safe cells through
``villages.spreadsheets.cell_value``, shares as exact ratios with a ``0.0%`` format) and WeasyPrint."""

from __future__ import annotations

from .branch_process import BranchProcessReport, narrative, report_tables
from .documents import _naive_local, render_summary, scope_rows, stamped_filename, summary_workbook
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
    return stamped_filename(report, "村党组织换届选举过程统计", fmt)


def render_branch_process(report: BranchProcessReport, fmt: str) -> bytes:
    return render_summary(fmt, workbook=lambda: branch_process_workbook(report), template=PDF_TEMPLATE,
                          context=lambda: branch_process_context(report))


def branch_process_workbook(report: BranchProcessReport) -> bytes:
    rows = [*scope_rows(report), ("换届选举", "、".join(report.rounds) or "—"),
            ("生成时间", _naive_local(report.generated_at)), ("综述", narrative(report, place_word(report)))]
    return summary_workbook(report.title, rows, report_tables(report))
