"""Native Excel charts in the report workbook: bar charts built from the cells of the sheet."""

import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from reports.documents import report_workbook
from reports.figures import AGE_BANDS, EDUCATION_BUCKETS
from reports.tables import Column, Table
from reports.workbook_charts import add_report_charts
from tests.reports.test_exports import figures  # noqa: F401 (fixture)


def charts_of(data: bytes) -> dict[str, str]:
    """{chart title: chart XML} read from the xlsx package (openpyxl does not load charts back)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xmls = [package.read(name).decode() for name in package.namelist() if re.match(r"xl/charts/chart\d+\.xml", name)]
    return {re.search(r"<a:t>([^<]*)</a:t>", xml)[1]: xml for xml in xmls}  # the chart's title comes first


def refs(xml: str) -> list[str]:
    """The series' references: categories (a string reference), then values."""
    return [re.search(r"<cat><strRef><f>([^<]*)</f>", xml)[1], re.search(r"<val><numRef><f>([^<]*)</f>", xml)[1]]


def cells(sheet, ref: str) -> list:
    column, first, last = re.fullmatch(r"'?[^!]+'?!\$([A-Z]+)\$(\d+)(?::\$[A-Z]+\$(\d+))?", ref).groups()
    return [sheet[f"{column}{row}"].value for row in range(int(first), int(last or first) + 1)]


def test_workbook_has_bar_charts_for_age_education_and_turnout_from_its_own_cells(figures):  # noqa: F811
    data = report_workbook(figures)
    charts = charts_of(data)
    assert set(charts) == {"当选成员年龄结构", "当选成员文化程度", "各村参选率"}
    assert all("<barChart>" in xml and '<barDir val="col" />' in xml for xml in charts.values())
    workbook = load_workbook(io.BytesIO(data))

    labels, values = refs(charts["当选成员年龄结构"])
    sheet = workbook["当选成员结构"]
    assert cells(sheet, labels) == [f"年龄{label}" for label, *_ in AGE_BANDS]
    assert cells(sheet, values) == [figures.composition.age_bands[label].numerator for label, *_ in AGE_BANDS]

    labels, values = refs(charts["当选成员文化程度"])
    assert cells(sheet, labels)[: len(EDUCATION_BUCKETS)] == [f"文化程度：{b}" for b in EDUCATION_BUCKETS]
    assert values.startswith("'当选成员结构'!$B$")

    labels, values = refs(charts["各村参选率"])
    villages = workbook["各村情况"]
    assert cells(villages, labels) == ["东山村", "西岭村"]
    assert cells(villages, values)[0] == pytest.approx(0.725)
    assert values.startswith("'各村情况'!$D$")


@pytest.mark.parametrize(
    "tables, titles",
    [
        ([], set()),
        ([Table("villages", "各村情况", (Column("村（社区）"), Column("参选率")), ())], set()),  # no village: no chart
        ([Table("composition", "当选成员结构", (Column("项目"), Column("数量")), (("年龄35岁以下", 1),))], {"当选成员年龄结构"}),
        ([Table("composition", "当选成员结构", (Column("项目"), Column("数量")), (("女性", 1),))], set()),
    ],
)
def test_a_chart_with_nothing_to_show_is_left_out(tables, titles):
    workbook = Workbook()
    for table in tables:
        sheet = workbook.create_sheet(table.title)
        for r, row in enumerate(table.rows, start=2):
            for c, value in enumerate(row, start=1):
                sheet.cell(row=r, column=c, value=value)
    add_report_charts(workbook, tables)
    out = io.BytesIO()
    workbook.save(out)
    assert set(charts_of(out.getvalue())) == titles
