"""A place named like a formula comes back as text in the report workbook; the figures stay numbers
(villages/spreadsheets.py)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from reports.documents import report_workbook
from reports.queries import build_report
from reports.scopes import get_scope
from tests.reports import scenario
from tests.xlsx import live_cells
from villages.models import Township, Village

DDE = "=cmd|' /C calc'!A0"


def test_report_workbook_writes_hostile_place_names_as_text(township, campaign, village_a, village_b, clerk):
    scenario.build(township=township, campaign=campaign, village_a=village_a, village_b=village_b, clerk=clerk)
    Village.objects.filter(pk=village_a.pk).update(name=DDE)
    Township.objects.filter(pk=township.pk).update(name="+青山镇")
    figures = build_report(get_scope("township", township.code), now=datetime(2027, 1, 25, 8, 0, tzinfo=UTC))

    data = report_workbook(figures)

    assert live_cells(data) == []
    book = load_workbook(io.BytesIO(data))
    first = [c.value for c in book["各村情况"][2]]
    assert first[:3] == ["'" + DDE, 8000, 5800]
    assert book["封面"]["B3"].value == "'+青山镇"
