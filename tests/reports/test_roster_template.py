"""The blank roster for a township, and the township-wide roster import (issue 13: "Last term's committee:
a downloadable roster template, and a township-wide roster import")."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from reports import services
from reports.models import Roster
from reports.roster_workbook import build_roster_template
from tests.builders import make_id_number, make_village
from villages.models import AuditEntry

TODAY = date(2026, 12, 1)
HEADER = ["村（社区）", "姓名", "公民身份号码", "性别", "职务", "文化程度"]


def workbook(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def person(serial, sex="M"):
    return make_id_number(birth_date=date(1970 + serial, 3, 1), sex=sex, serial=serial)


@pytest.fixture
def villages(township):
    return make_village(township=township, name="东山村"), make_village(township=township, name="西岭村")


def test_template_has_a_village_column_with_the_townships_villages_and_post_choices(villages, township):
    data = services.roster_template(township=township, kind=Roster.Kind.PARTY_BRANCH)
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[3]] == ["村（社区）", "姓名", "公民身份号码", "性别", "出生日期", "民族", "文化程度",
                                           "政治面貌", "职务"]
    options = book["选项"]
    assert options.sheet_state == "hidden"
    assert [options.cell(r, 1).value for r in (2, 3)] == ["东山村", "西岭村"]
    assert "书记" in [options.cell(r, 9).value for r in range(2, 10)]
    formulas = {str(v.sqref).split(":")[0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert formulas["A4"] == "'选项'!$A$2:$A$3"


def test_template_writes_a_formula_like_village_name_as_text():
    data = build_roster_template(branch=False, villages=["=HYPERLINK(\"x\")"], choices={})
    options = load_workbook(io.BytesIO(data))["选项"]
    assert options["A2"].data_type == "s"
    assert options["A2"].value == "'=HYPERLINK(\"x\")"  # neutralised as every workbook does


def test_township_roster_import_splits_rows_by_village(villages, township, clerk):
    east, west = villages
    data = workbook([
        ["东山村", "陈国华", person(1), "男", "主任", "高中"],
        ["东山村", "李秀英", person(2, "F"), "女", "委员", ""],
        [west.code, "王建平", person(3), "男", "主任", "初中"],  # the 12-digit code works too
    ])
    rosters = services.import_township_roster(by=clerk, township=township, kind=Roster.Kind.VILLAGE_COMMITTEE,
                                              term_number=11, source=io.BytesIO(data), filename="全镇.xlsx",
                                              today=TODAY)
    assert [(r.village.name, r.members.count()) for r in rosters] == [("东山村", 2), ("西岭村", 1)]
    assert AuditEntry.objects.filter(action="reports.roster.imported").count() == 2


def test_township_roster_with_an_unknown_village_writes_nothing(villages, township, clerk):
    data = workbook([
        ["东山村", "陈国华", person(1), "男", "主任", ""],
        ["北岗村", "王建平", person(3), "男", "主任", ""],
        ["", "赵四", person(4), "男", "委员", ""],
    ])
    with pytest.raises(services.RosterProblems) as caught:
        services.import_township_roster(by=clerk, township=township, kind=Roster.Kind.VILLAGE_COMMITTEE,
                                        term_number=11, source=io.BytesIO(data), filename="全镇.xlsx", today=TODAY)
    assert [(row, column) for row, column, _message in caught.value.rows] == [(3, "村（社区）"), (4, "村（社区）")]
    assert "北岗村" in caught.value.rows[0][2]
    assert not Roster.objects.exists()


def test_township_roster_needs_the_village_column(villages, township, clerk):
    data = workbook([["陈国华", person(1), "男", "主任"]], header=["姓名", "公民身份号码", "性别", "职务"])
    with pytest.raises(services.ValidationError) as caught:
        services.import_township_roster(by=clerk, township=township, kind=Roster.Kind.VILLAGE_COMMITTEE,
                                        term_number=11, source=io.BytesIO(data), filename="全镇.xlsx", today=TODAY)
    assert caught.value.code == "missing_columns"
    assert not Roster.objects.exists()


def test_import_page_takes_a_township_wide_roster(client, villages, township, clerk):
    client.force_login(clerk)
    upload = io.BytesIO(workbook([["东山村", "陈国华", person(1), "男", "书记", ""],
                                  ["西岭村", "王建平", person(3), "男", "书记", ""]]))
    upload.name = "全镇党组织.xlsx"
    response = client.post(reverse("reports:roster-import"), {
        "village": "", "township": township.pk, "kind": "party_branch", "term_number": 12, "file": upload})
    assert response.status_code == 302 and response.url == reverse("reports:roster-list")
    assert Roster.objects.filter(kind="party_branch", term_number=12).count() == 2


def test_import_page_asks_for_a_village_or_a_township(client, villages, clerk):
    client.force_login(clerk)
    upload = io.BytesIO(workbook([]))
    upload.name = "x.xlsx"
    response = client.post(reverse("reports:roster-import"), {"kind": "party_branch", "term_number": 12,
                                                              "file": upload, "village": "", "township": ""})
    assert response.status_code == 200
    assert "请选择村" in response.content.decode()


def test_template_download_is_logged(client, villages, clerk):
    client.force_login(clerk)
    response = client.get(reverse("reports:roster-template"), {"kind": "party_branch"})
    assert response.status_code == 200
    assert "村党组织委员会名册" in response["Content-Disposition"] or "filename*" in response["Content-Disposition"]
    assert AuditEntry.objects.filter(action="reports.roster_template.exported").count() == 1


def test_template_of_another_township_is_not_found(client, villages, clerk):
    from tests.builders import make_township

    other = make_township(name="白云镇", code="330199102")
    client.force_login(clerk)
    assert client.get(reverse("reports:roster-template"), {"township": other.pk}).status_code == 404
