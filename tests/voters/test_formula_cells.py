"""Voter names, group names and uploaded cells never come back as live formulas in the workbooks we
write: the published list, the import template, the annotated copy and the list of issues
(villages/spreadsheets.py)."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from openpyxl import load_workbook

from tests.builders import make_voter
from tests.voters import workbooks as wb
from tests.xlsx import HOSTILE, live_cells
from villages.models import VillagerGroup
from voters import documents
from voters.services import imports as service

pytestmark = pytest.mark.django_db
FORMULA_NAME = "=HYPERLINK(\"http://x.cn\",\"点击\")"
DDE = "=cmd|' /C calc'!A0"


def test_published_list_xlsx_writes_hostile_names_and_groups_as_text(election_a):
    VillagerGroup.objects.filter(village=election_a.village, number=2).update(name=DDE)
    for serial, name in enumerate(HOSTILE):
        make_voter(election=election_a, name=name[:30], serial=serial,
                   group=election_a.village.groups.get(number=1 + serial % 2))
    data = documents.render_published_list_xlsx(election_a, as_of=election_a.election_day)
    assert live_cells(data) == []
    book = load_workbook(io.BytesIO(data))
    names = {row[1] for row in book["选民名单"].iter_rows(min_row=2, values_only=True)}
    assert "'" + FORMULA_NAME in names and "'" + DDE in names
    numbers = [row[0] for row in book["选民名单"].iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(number, int) for number in numbers) and len(numbers) == len(HOSTILE)  # numbers stay numbers
    assert ["'" + DDE] == [row[1] for row in book["分组合计"].iter_rows(min_row=3, max_row=3, values_only=True)]


def test_template_writes_hostile_group_names_as_text(election_a):
    VillagerGroup.objects.filter(village=election_a.village, number=1).update(name=FORMULA_NAME)
    VillagerGroup.objects.filter(village=election_a.village, number=2).update(name=DDE)
    assert live_cells(service.template_workbook(election_a)) == []


def test_annotated_copy_keeps_no_formula_of_the_upload_and_marks_formula_like_text(tmp_path, election_a, clerk):
    path = wb.voters_workbook(tmp_path / "hostile.xlsx", [
        wb.person(1, 姓名=FORMULA_NAME), wb.person(2, 备注=DDE, 联系电话="+8613800000002")])
    book = load_workbook(path)
    sheet = book.active
    for row in sheet.iter_rows(min_row=3, max_row=3):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+")):
                cell.data_type = "s"  # typed text, as Excel stores '=… (not a formula)
    book.save(path)
    assert live_cells(path.read_bytes())  # the upload itself has a formula and formula-like text
    job = service.start_import(by=clerk, election=election_a, upload=ContentFile(path.read_bytes(), name="h.xlsx"),
                               filename="h.xlsx")

    data = service.annotated_workbook(job)

    assert live_cells(data) == []
    sheet = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[1]]
    assert sheet.cell(3, header.index("备注") + 1).value == DDE  # the user's own text reads back unchanged
    assert sheet.cell(3, header.index("联系电话") + 1).value == "+8613800000002"


def test_issue_list_writes_hostile_messages_as_text():
    issues = [{"row": 2, "label": text, "level": "error", "code": "x", "message": text} for text in HOSTILE]
    assert live_cells(service.issue_list_workbook(issues)) == []
