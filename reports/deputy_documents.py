"""The 人大 summary as a page context, a workbook and a PDF, from one ``DeputyReport``: the same
tables (``reports.deputy_figures``) laid out by the village reports' machinery — ``_table.html``,
the ``cell`` filter, the workbook writer ``reports.documents.summary_workbook`` (formula-safe cells,
shares as exact ratios with a ``0.0%`` format), WeasyPrint with Noto Sans CJK SC, and the cached
matplotlib charts of ``reports.charts``."""

from __future__ import annotations

from .deputy_figures import CATEGORIES, DeputyReport, LevelFigures, level_narrative, level_tables
from .documents import _naive_local, render_summary, scope_rows, stamped_filename, summary_workbook
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
    return stamped_filename(report, "人大代表选举统计报表", fmt)


def render_deputy_report(report: DeputyReport, fmt: str) -> bytes:
    return render_summary(fmt, workbook=lambda: deputy_report_workbook(report), template=PDF_TEMPLATE,
                          context=lambda: deputy_report_context(report))


def deputy_report_workbook(report: DeputyReport) -> bytes:
    rows = [*scope_rows(report), ("换届选举", "、".join(report.rounds) or "—"),
            ("生成时间", _naive_local(report.generated_at))]
    if report.restricted:
        rows.append(("说明", "仅含您可查看的选区（包含您联系的村的选区）。"))
    rows += [(f"综述（{level.label}）", level_narrative(level, place_word(report))) for level in report.levels]
    county = report.scope_kind == "county"
    tables = [table for level in report.levels for table in level_tables(level, county_scope=county)]
    return summary_workbook(report.title, rows, tables, label_width=20)


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
