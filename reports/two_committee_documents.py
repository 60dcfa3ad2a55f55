"""The 两委 report as a page context, a workbook and a PDF, from one ``TwoCommitteeReport``: the tables of
``reports.two_committees`` laid out by the reports' own machinery — ``_table.html`` and the ``cell`` filter,
the workbook writer ``reports.documents._write_table`` (formula-safe cells, shares as exact ratios with a
``0.0%`` format), WeasyPrint with Noto Sans CJK SC, and the cached matplotlib charts of ``reports.charts``."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import timezone

from villages.spreadsheets import cell_value

from .documents import _naive_local, _write_table
from .figures import AGE_BANDS
from .scopes import KINDS
from .two_committees import TwoCommitteeReport, body_narrative, cross_narrative, report_tables

PDF_TEMPLATE = "reports/pdf/two_committees.html"


def place_word(report: TwoCommitteeReport) -> str:
    if report.scope_kind == "county":
        return "全县"
    if report.scope_kind == "village":
        return "本村"
    return "全镇" if report.scope_label.endswith("镇") else "全乡"


def narratives(report: TwoCommitteeReport) -> dict[str, str]:
    place = place_word(report)
    return {"branch": body_narrative(report.branch, place), "committee": body_narrative(report.committee, place),
            "cross": cross_narrative(report, place)}


def two_committee_context(report: TwoCommitteeReport, *, charts: bool = True) -> dict:
    return {
        "report": report,
        "title": report.title,
        "tables": {t.key: t for t in report_tables(report)},
        "narratives": narratives(report),
        "charts": _charts(report) if charts else [],
        "kind_label": KINDS.get(report.scope_kind, ""),
    }


def two_committee_filename(report: TwoCommitteeReport, fmt: str) -> str:
    stamp = timezone.localtime(report.generated_at).strftime("%Y%m%d%H%M") if report.generated_at else "report"
    return f"{report.scope_label}村两委换届选举统计报表_{stamp}.{fmt}"


def render_two_committee_report(report: TwoCommitteeReport, fmt: str) -> bytes:
    if fmt == "xlsx":
        return two_committee_workbook(report)
    if fmt == "pdf":
        from weasyprint import HTML  # imported late: it loads fonts and Pango on import

        return HTML(string=render_to_string(PDF_TEMPLATE, two_committee_context(report))).write_pdf()
    raise ValueError(f"unknown format {fmt!r}")


def two_committee_workbook(report: TwoCommitteeReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    cover = workbook.active
    cover.title = "封面"
    bold = Font(bold=True)
    cover["A1"] = cell_value(report.title)
    cover["A1"].font = Font(bold=True, size=14)
    text = narratives(report)
    rows = [
        ("报表范围", report.scope_label),
        ("范围类型", KINDS.get(report.scope_kind, "")),
        ("范围代码", report.scope_key.partition(":")[2]),
        ("换届选举", "、".join(report.rounds) or "—"),
        ("生成时间", _naive_local(report.generated_at)),
        ("综述（村党组织）", text["branch"]),
        ("综述（村委会）", text["committee"]),
        ("综述（“两委”）", text["cross"]),
    ]
    for offset, (label, value) in enumerate(rows, start=3):
        cover.cell(row=offset, column=1, value=label).font = bold
        target = cover.cell(row=offset, column=2, value=cell_value(value))
        if label == "生成时间":
            target.number_format = "yyyy-mm-dd hh:mm"
        target.alignment = Alignment(wrap_text=True, vertical="top")
    cover.column_dimensions["A"].width = 20
    cover.column_dimensions["B"].width = 90
    fill = PatternFill("solid", fgColor="DDE6F1")
    for table in report_tables(report):
        _write_table(workbook.create_sheet(table.title[:31]), table, bold, fill, Alignment)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _charts(report: TwoCommitteeReport) -> list:
    from .charts import _bars, _shares  # matplotlib: imported only when a report is drawn

    charts = []
    labels = [label for label, *_ in AGE_BANDS]
    for f in (report.branch, report.committee):
        if f.elected:
            charts.append(_bars(f"two-{f.body}-age", f"{f.label}年龄结构", labels, [f.age_bands[x] for x in labels]))
    if report.branch.elected or report.committee.elected:
        b, c = report.branch, report.committee
        items = [("党组织：选举到位", b.filled), ("党组织：连选连任", b.re_elected), ("党组织：女性", b.women),
                 ("女副书记", b.women_deputies), ("村委会：选举到位", c.filled), ("村委会：连选连任", c.re_elected),
                 ("村委会：女性", c.women)]
        if report.branch_known.numerator:
            items += [("交叉任职", report.cross_appointed), ("一肩挑（村）", report.one_shoulder)]
        charts.append(_shares("two-structure", "“两委”结构（占各自基数）", items))
    return charts
