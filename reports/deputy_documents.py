"""The 人大 summary as a page context, a workbook and a PDF, from one ``DeputyReport``: the same
tables (``reports.deputy_figures``) laid out by the village reports' machinery — ``_table.html``,
the ``cell`` filter, the workbook writer ``reports.documents._write_table`` (formula-safe cells,
shares as exact ratios with a ``0.0%`` format), WeasyPrint with Noto Sans CJK SC, and the cached
matplotlib charts of ``reports.charts``."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import timezone

from villages.spreadsheets import cell_value

from .deputy_figures import CATEGORIES, DeputyReport, LevelFigures, level_narrative, level_tables
from .documents import _naive_local, _write_table
from .figures import AGE_BANDS
from .scopes import KINDS

PDF_TEMPLATE = "reports/pdf/deputy_report.html"


def place_word(report: DeputyReport) -> str:
    return "全县" if report.scope_kind == "county" else ("全镇" if report.scope_label.endswith("镇") else "全乡")


def deputy_report_context(report: DeputyReport, *, charts: bool = True) -> dict:
    county = report.scope_kind == "county"
    levels = [
        {
            "figures": level,
            "tables": {t.key.partition("-")[2]: t for t in level_tables(level, county_scope=county)},
            "narrative": level_narrative(level, place_word(report)),
            "charts": _charts(level) if charts else [],
        }
        for level in report.levels
    ]
    return {"report": report, "title": report.title, "levels": levels, "kind_label": KINDS.get(report.scope_kind, "")}


def deputy_report_filename(report: DeputyReport, fmt: str) -> str:
    stamp = timezone.localtime(report.generated_at).strftime("%Y%m%d%H%M") if report.generated_at else "report"
    return f"{report.scope_label}人大代表选举统计报表_{stamp}.{fmt}"


def render_deputy_report(report: DeputyReport, fmt: str) -> bytes:
    if fmt == "xlsx":
        return deputy_report_workbook(report)
    if fmt == "pdf":
        from weasyprint import HTML  # imported late: it loads fonts and Pango on import

        return HTML(string=render_to_string(PDF_TEMPLATE, deputy_report_context(report))).write_pdf()
    raise ValueError(f"unknown format {fmt!r}")


def deputy_report_workbook(report: DeputyReport) -> bytes:
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
    ]
    if report.restricted:
        rows.append(("说明", "仅含您可查看的选区（包含您联系的村的选区）。"))
    rows += [(f"综述（{level.label}）", level_narrative(level, place_word(report))) for level in report.levels]
    for offset, (label, value) in enumerate(rows, start=3):
        cover.cell(row=offset, column=1, value=label).font = bold
        target = cover.cell(row=offset, column=2, value=cell_value(value))
        if label == "生成时间":
            target.number_format = "yyyy-mm-dd hh:mm"
        target.alignment = Alignment(wrap_text=True, vertical="top")
    cover.column_dimensions["A"].width = 20
    cover.column_dimensions["B"].width = 90
    fill = PatternFill("solid", fgColor="DDE6F1")
    county = report.scope_kind == "county"
    for level in report.levels:
        for table in level_tables(level, county_scope=county):
            _write_table(workbook.create_sheet(table.title), table, bold, fill, Alignment)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _charts(level: LevelFigures) -> list:
    from .charts import _bars, _shares  # matplotlib: imported only when a report is drawn

    c = level.composition
    if not c.total:
        return []
    prefix = level.level
    structure = [("女性", c.women), ("中共党员", c.party_members), ("非中共党员", c.non_party), ("少数民族", c.minority),
                 ("工人和农民", c.workers_and_farmers), ("专业技术人员", c.categories["专业技术人员"]),
                 ("党政领导干部", c.categories["党政领导干部"]), ("连选连任", c.re_elected)]
    return [
        _shares(f"{prefix}-structure", f"{level.label}结构（占当选代表）", structure),
        _bars(f"{prefix}-age", f"{level.label}年龄结构", [label for label, *_ in AGE_BANDS],
              [c.age_bands[label] for label, *_ in AGE_BANDS]),
        _shares(f"{prefix}-category", f"{level.label}：工人、农民等类别（占当选代表）",
                [(label, c.categories[label]) for _code, label in CATEGORIES] + [("未填", c.category_unknown)]),
    ]
