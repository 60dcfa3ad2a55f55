"""Native Excel charts beside the figures of the report workbook (openpyxl.chart).

Each chart is a bar chart whose series and categories are references to the cells the workbook
already holds (``reports.documents._write_table`` writes table row ``i`` to sheet row ``i + 2``), so the
chart and the numbers cannot disagree, and an office that corrects a cell sees the chart follow:

- 当选成员年龄结构 and 当选成员文化程度: the 数量 column of the age-band and education rows of the
  当选成员结构 sheet;
- 各村参选率: the 参选率 column of the 各村情况 sheet, one bar per village.

A chart with no rows to show is left out. Kept apart from ``documents.report_workbook`` so that the
workbook's writer and its charts change independently.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef

from .tables import Table

FIRST_DATA_ROW = 2  # row 1 holds the column labels
CHART_HEIGHT_CM = 7.5
CHART_WIDTH_CM = 16
VILLAGE_BAR_CM = 0.7
VILLAGE_CHART_MAX_CM = 60


def add_report_charts(workbook, tables: list[Table]) -> None:
    """Put the charts on the sheets of ``tables`` (sheet title = table title)."""
    by_key = {t.key: t for t in tables}
    composition = by_key.get("composition")
    if composition is not None and composition.title in workbook.sheetnames:
        sheet = workbook[composition.title]
        anchor_column = _column_after(composition)
        charts = [
            ("当选成员年龄结构", "年龄"),
            ("当选成员文化程度", "文化程度"),
        ]
        placed = 0
        for title, prefix in charts:
            rows = _rows_starting_with(composition, prefix)
            if not rows:
                continue
            chart = _bar_chart(title, y_title="人数", x_title=None)
            _add_series(chart, sheet, value_column=2, label_column=1, rows=rows)
            sheet.add_chart(chart, f"{anchor_column}{FIRST_DATA_ROW + placed * 16}")
            placed += 1
    villages = by_key.get("villages")
    if villages is not None and villages.rows and villages.title in workbook.sheetnames:
        sheet = workbook[villages.title]
        labels = [c.label for c in villages.columns]
        value_column = labels.index("参选率") + 1
        label_column = labels.index("村（社区）") + 1
        rows = range(FIRST_DATA_ROW, FIRST_DATA_ROW + len(villages.rows))
        chart = _bar_chart("各村参选率", y_title="参选率", x_title="村（社区）")
        chart.y_axis.number_format = "0%"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
        _add_series(chart, sheet, value_column=value_column, label_column=label_column, rows=rows)
        chart.width = min(VILLAGE_CHART_MAX_CM, max(CHART_WIDTH_CM, VILLAGE_BAR_CM * len(villages.rows)))
        sheet.add_chart(chart, f"A{FIRST_DATA_ROW + len(villages.rows) + 4}")


def _bar_chart(title: str, *, y_title: str, x_title: str | None) -> BarChart:
    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.y_axis.title = y_title
    if x_title:
        chart.x_axis.title = x_title
    chart.legend = None
    chart.height, chart.width = CHART_HEIGHT_CM, CHART_WIDTH_CM
    # openpyxl hides both axes unless told otherwise (its defaults differ from Excel's).
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    return chart


def _add_series(chart: BarChart, sheet, *, value_column: int, label_column: int, rows) -> None:
    """One series from a contiguous run of rows: ``rows`` must be consecutive (they are: the table writes
    the age bands, and the education buckets, one after another)."""
    rows = list(rows)
    first, last = rows[0], rows[-1]
    assert rows == list(range(first, last + 1)), rows
    values = Reference(sheet, min_col=value_column, min_row=first, max_row=last)
    categories = Reference(sheet, min_col=label_column, min_row=first, max_row=last)
    chart.add_data(values, titles_from_data=False)
    # Labels are text: a string reference, so Excel shows them rather than 1, 2, 3 (set_categories makes a numRef).
    chart.series[0].cat = AxDataSource(strRef=StrRef(f=str(categories)))
    chart.series[0].graphicalProperties.solidFill = "1F5FA8"


def _rows_starting_with(table: Table, prefix: str) -> list[int]:
    """Sheet rows of the table rows whose label starts with ``prefix`` (e.g. 年龄35岁以下, 文化程度：大专)."""
    return [FIRST_DATA_ROW + i for i, row in enumerate(table.rows) if isinstance(row[0], str) and row[0].startswith(prefix)]


def _column_after(table: Table) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(len(table.columns) + 2)
