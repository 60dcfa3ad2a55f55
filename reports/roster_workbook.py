"""The blank roster workbook (上届村民委员会成员名册 / 村党组织委员会名册) for a township: one row per
member, with a 村（社区） column so one file can carry every village of the township, and drop-downs
for the village, the post and the code lists. ``reports.rosters`` reads it back with the same reader
as voter lists. Pure module: no ORM.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from villages.spreadsheets import cell_value
from voters.workbook import COLUMN_LABELS

from .rosters import BRANCH_POSTS, COMMITTEE_POSTS, REQUIRED

COLUMNS: tuple[tuple[str, int], ...] = (
    ("village", 14), ("name", 10), ("id_number", 21), ("sex", 6), ("birth_date", 12), ("ethnicity", 10),
    ("education", 14), ("political_status", 14), ("post", 10),
)
TITLES = {False: "上届村民委员会成员名册", True: "村党组织委员会成员名册"}
HINT = ("每人一行；“村（社区）”填本乡镇的村名或12位村级代码，一个文件可以包含全乡镇各村。"
        "公民身份号码一列为文本格式，请勿改为数字。红色列名为必填项。")
LIST_SHEET = "选项"
_HEADER_FILL = PatternFill("solid", fgColor="FFDDEBF7")
HEADER_ROW = 3


def build_roster_template(*, branch: bool, villages: list[str], choices: dict[str, list[str]]) -> bytes:
    """The blank roster as .xlsx bytes. ``choices`` holds the code lists by column key ("sex",
    "ethnicity", "education", "political_status"); the post list follows ``branch``. Every list is
    written as text cells on a hidden 选项 sheet and referenced from the validation, so no value — a
    village name included — is ever read by Excel as a formula."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = TITLES[branch]
    sheet.cell(1, 1, TITLES[branch]).font = Font(bold=True, size=16)
    sheet.cell(2, 1, HINT).font = Font(size=10, color="FF666666")
    required = set(REQUIRED) | {"village"}
    lists = {**choices, "village": villages, "post": list(BRANCH_POSTS if branch else COMMITTEE_POSTS)}
    options = workbook.create_sheet(LIST_SHEET)
    options.sheet_state = "hidden"
    for position, (key, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(HEADER_ROW, position, COLUMN_LABELS[key])
        cell.font = Font(bold=True, color="FFC00000" if key in required else None)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        sheet.column_dimensions[cell.column_letter].width = width
        if key == "id_number":
            sheet.column_dimensions[cell.column_letter].number_format = "@"
        values = [str(v) for v in lists.get(key, []) if str(v).strip()]
        if values:
            sheet.add_data_validation(_drop_down(options, position, COLUMN_LABELS[key], values, cell.column_letter))
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 3)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _drop_down(options, column: int, label: str, values: list[str], letter: str) -> DataValidation:
    options.cell(1, column, label)
    for row, value in enumerate(values, start=2):
        options.cell(row, column, cell_value(value))  # a name such as "=1+1" stays text
    source = options.cell(1, column).column_letter
    validation = DataValidation(type="list", formula1=f"'{LIST_SHEET}'!${source}$2:${source}${len(values) + 1}",
                                allow_blank=True, showErrorMessage=True, errorTitle="请从下拉列表中选择",
                                error=f"“{label}”请从下拉列表中选择。")
    validation.add(f"{letter}{HEADER_ROW + 1}:{letter}1048576")
    return validation
