"""Cell values for every workbook the app writes: text stays text, never a formula.

openpyxl stores a string that begins with ``=`` as a formula, so a voter called
``=HYPERLINK("http://…","点击")`` or ``=cmd|' /C calc'!A0`` would come back as a live formula in the
voter list, the audit log or a report. Every value a writer takes from the database or from an
upload goes through ``cell_value`` (or ``row_values``):

- text that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
  apostrophe, as the OWASP guidance on CSV (formula) injection recommends. The apostrophe is visible,
  so the cell reads as typed text in Excel and WPS and stays inert when the sheet is saved as CSV and
  opened again; a real name, group or address never begins with one of these signs;
- control characters that the xlsx format cannot hold (openpyxl would raise ``IllegalCharacterError``
  and the download would fail) are removed;
- numbers, dates, booleans and None are returned unchanged: the figures the app computes stay
  numbers, so sums and percentage formats keep working.

Pure module: no ORM, no openpyxl.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"
# The characters openpyxl refuses in a cell (openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE): C0 controls
# other than tab, line feed and carriage return.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_text(text: str) -> str:
    """``text`` as inert cell text: illegal control characters removed, a leading formula sign
    neutralised with an apostrophe."""
    text = _ILLEGAL.sub("", str(text))
    if text.startswith(FORMULA_TRIGGERS):
        return NEUTRALISER + text
    return text


def cell_value(value: Any) -> Any:
    """What to put in a cell for ``value``: text through ``safe_text``, anything else unchanged."""
    if isinstance(value, str):
        return safe_text(value)
    return value


def row_values(values: Iterable[Any]) -> list[Any]:
    """``cell_value`` of each value, for ``worksheet.append``."""
    return [cell_value(value) for value in values]
