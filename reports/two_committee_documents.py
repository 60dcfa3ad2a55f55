"""The 两委 report as a page context, a workbook and a PDF, from one ``TwoCommitteeReport``: the tables of
``reports.two_committees`` laid out by the reports' own machinery — ``_table.html`` and the ``cell`` filter,
the workbook writer ``reports.documents.summary_workbook`` (formula-safe cells, shares as exact ratios with a
``0.0%`` format), WeasyPrint with Noto Sans CJK SC, and the cached matplotlib charts of ``reports.charts``."""

from __future__ import annotations

from .documents import _naive_local, render_summary, scope_rows, stamped_filename, summary_workbook
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
    return stamped_filename(report, "村两委换届选举统计报表", fmt)


def render_two_committee_report(report: TwoCommitteeReport, fmt: str) -> bytes:
    return render_summary(fmt, workbook=lambda: two_committee_workbook(report), template=PDF_TEMPLATE,
                          context=lambda: two_committee_context(report))


def two_committee_workbook(report: TwoCommitteeReport) -> bytes:
    text = narratives(report)
    rows = [*scope_rows(report), ("换届选举", "、".join(report.rounds) or "—"),
            ("生成时间", _naive_local(report.generated_at)), ("综述（村党组织）", text["branch"]),
            ("综述（村委会）", text["committee"]), ("综述（“两委”）", text["cross"])]
    return summary_workbook(report.title, rows, report_tables(report), label_width=20)


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
