"""villages/spreadsheets.py: user text never becomes a live formula in a workbook we write."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.xlsx import HOSTILE, live_cells
from villages import audit_export
from villages.models import AuditEntry
from villages.spreadsheets import cell_value, row_values, safe_text


@pytest.mark.parametrize(("text", "expected"), [
    ("=HYPERLINK(\"http://x.cn\")", "'=HYPERLINK(\"http://x.cn\")"),
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("+8613912345678", "'+8613912345678"),
    ("-1", "'-1"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("张三", "张三"),
    ("阿卜杜·买买提", "阿卜杜·买买提"),
    ("a=b", "a=b"),
    ("", ""),
    ("王\x00五\x07", "王五"),
    ("\x01=1", "'=1"),  # removed first, so the sign it hid is seen
])
def test_safe_text_neutralises_a_leading_formula_sign_and_drops_illegal_characters(text, expected):
    assert safe_text(text) == expected


@pytest.mark.parametrize("value", [0, -3, 12670, 0.725, Decimal("-1.5"), None, True, date(2027, 1, 16),
                                   datetime(2027, 1, 25, 16, 0)])
def test_numbers_dates_and_empty_cells_are_unchanged(value):
    assert cell_value(value) is value


def test_row_values_applies_to_each_cell():
    assert row_values([1, "=1+1", None, "甲"]) == [1, "'=1+1", None, "甲"]


def test_audit_export_writes_hostile_names_as_text(db, clerk):
    for text in HOSTILE:
        AuditEntry.objects.create(actor=clerk, actor_name=text, actor_role="clerk", action="voters.voter.created",
                                  object_repr=text, changes={"name": [None, text]})
    data = audit_export.workbook_bytes(AuditEntry.objects.order_by("pk"), title="=操作日志")
    assert live_cells(data) == []
    sheet = load_workbook(io.BytesIO(data)).active
    assert (sheet["A1"].value, sheet["B3"].value) == ("'=操作日志", "'" + HOSTILE[0])
    assert isinstance(sheet["A3"].value, datetime)  # the time stays a date, not text
