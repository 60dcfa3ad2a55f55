"""Reading back the workbooks the app writes, for the formula-injection tests (villages/spreadsheets.py)."""

from __future__ import annotations

import io

from openpyxl import load_workbook

HOSTILE = ("=HYPERLINK(\"http://x.cn\",\"点击\")", "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1)", "\t=1", "\r=1")


def live_cells(data: bytes) -> list[str]:
    """Every cell of every sheet that Excel would evaluate or re-evaluate on editing: a formula, or
    text that begins with a formula sign and is not marked as typed text (quote prefix)."""
    workbook = load_workbook(io.BytesIO(data))
    found = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                text = isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r"))
                if cell.data_type == "f" or (text and not cell.quotePrefix):
                    found.append(f"{sheet.title}!{cell.coordinate}={value!r}")
    return found


def all_text(data: bytes) -> str:
    workbook = load_workbook(io.BytesIO(data))
    return "\n".join(str(c.value) for s in workbook.worksheets for row in s.iter_rows() for c in row if c.value is not None)
