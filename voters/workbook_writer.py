"""Write voter workbooks: the blank template for liaison officers, and the user's own file marked up
with the errors of a failed import (STYLE.md §17 step 3).

Both use openpyxl, which is only for writing here: reading large uploads is python-calamine's job
(``voters/workbook.py``). ``annotate_workbook`` loads the whole upload with openpyxl in normal mode;
that is acceptable because it runs only when a user downloads the error copy of one village's list,
not on the 200,000-row import path. openpyxl drops what it does not model (images, charts, some
conditional formats), so the error copy is for finding mistakes, not a replacement of the original.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from villages.spreadsheets import FORMULA_TRIGGERS, cell_value, safe_text

from dataclasses import dataclass

from .workbook import COLUMN_LABELS, DATE_COLUMNS, HEADER_SCAN_ROWS, PARTY_REQUIRED_COLUMNS, REQUIRED_COLUMNS, locate_header

MESSAGES = {
    "title": "村民委员会选举选民登记表",
    "hint": "填写前请阅读“填写说明”工作表。红色列名为必填项；公民身份号码一列已设为文本格式，请勿改为数字。",
    "list_error_title": "请从下拉列表中选择",
    "list_error": "“{label}”请从下拉列表中选择，不要手工输入其他内容。",
    "id_length_title": "公民身份号码位数不对",
    "id_length": "公民身份号码应为18位。请确认本列是“文本”格式，并完整录入号码。",
    "note_header": "错误说明",
    "header_not_found": "在工作表“{sheet}”中找不到选民名单的表头，无法标注错误。",
}

# The template's columns in order, with a readable width (characters).
TEMPLATE_COLUMNS: tuple[tuple[str, int], ...] = (
    ("name", 10), ("sex", 6), ("ethnicity", 10), ("birth_date", 12), ("id_number", 21),
    ("education", 14), ("political_status", 14), ("group", 12), ("address", 30), ("residence", 14),
    ("phone", 14), ("category", 24), ("away", 8), ("remarks", 20), ("statement_date", 18),
    ("residence_since", 14), ("application_date", 12), ("approval_meeting", 18), ("approval_date", 12),
)
TEXT_COLUMNS = ("id_number", "phone")  # typed as text so Excel keeps every digit and leading zeros
DATE_FORMAT = "yyyy-mm-dd"
TITLE_ROW, HINT_ROW, HEADER_ROW = 1, 2, 3
LIST_SHEET = "选项"
INSTRUCTIONS_SHEET = "填写说明"
VOTER_SHEET = "选民名单"
# A list typed into the validation itself may hold at most 255 characters; longer or bigger lists
# go to the hidden sheet, which also keeps the options visible to anyone who unhides it.
INLINE_LIST_MAX_CHARS, INLINE_LIST_MAX_ITEMS = 255, 10

COLUMN_HELP = {
    "name": "与身份证一致；少数民族姓名中间的点写作“·”。",
    "sex": "男或女，从下拉列表选择；须与身份证号码第17位一致。",
    "ethnicity": "从下拉列表选择，如“汉族”。",
    "birth_date": "年月日，如 1980-01-01；也可写 1980年1月1日、1980.01.01、19800101；须与身份证号码一致。",
    "id_number": "18位，最后一位可以是X。本列是文本格式，请勿改成数字，否则末几位会丢失且无法恢复。",
    "education": "从下拉列表选择。",
    "political_status": "从下拉列表选择。",
    "group": "从下拉列表选择本村的村民小组。",
    "address": "户口簿上的地址。",
    "residence": "是否在本村居住。",
    "phone": "手机或固定电话。",
    "category": "从下拉列表选择登记类别。",
    "away": "是否外出（是／否）。",
    "remarks": "其他需要说明的情况。",
    "statement_date": "户籍在本村、不在本村居住，本人表示参加选举的，填写表示日期。",
    "residence_since": "户籍不在本村、在本村居住一年以上的，填写来村居住的起始日期。",
    "application_date": "同上，填写本人申请登记的日期。",
    "approval_meeting": "同上，填写同意其登记的会议（村民会议或村民代表会议）。",
    "approval_date": "同上，填写会议同意的日期。",
}
GENERAL_HELP = (
    "每位选民填一行，不需要填写序号、合计行。",
    "可以调整列的顺序，但请不要修改列名。",
    "日期可以用Excel日期，也可以按 1980-01-01 的格式填写。",
    "上传前请保存为 .xlsx 格式，不要另存为 .xls 或 CSV。",
)



@dataclass(frozen=True)
class TemplateLayout:
    """What a kind's blank register looks like: its title, columns, required columns and column help."""

    title: str
    sheet: str
    columns: tuple[tuple[str, int], ...]
    required: tuple[str, ...]
    help: dict[str, str]


VOTER_LAYOUT = TemplateLayout(MESSAGES["title"], VOTER_SHEET, TEMPLATE_COLUMNS, REQUIRED_COLUMNS, COLUMN_HELP)
# The Party member register (党员名册) of a Party organisation's election (``villages.kinds.party_members``).
PARTY_LAYOUT = TemplateLayout(
    "党员名册", "党员名册",
    (("name", 10), ("sex", 6), ("ethnicity", 10), ("birth_date", 12), ("id_number", 21), ("education", 14),
     ("joined_on", 12), ("standing", 12), ("restriction", 16), ("org_relation", 24), ("away", 8), ("ill", 8),
     ("group", 12), ("phone", 14), ("remarks", 20)),
    PARTY_REQUIRED_COLUMNS,
    {**COLUMN_HELP,
     "joined_on": "入党日期，如 2001-07-01。",
     "standing": "正式党员或预备党员。只有正式党员有表决权、选举权和被选举权。",
     "restriction": "无、留党察看、留置、被逮捕。受留党察看处分的没有选举权利，被留置或逮捕的暂停行使。",
     "org_relation": "组织关系所在的党组织，如“本支部”；外出未转组织关系的请写明。",
     "away": "是否外出（是／否）。外出半年以上未转组织关系的，经批准可以不列入应到会人数。",
     "ill": "是否患病（是／否）。因病不能表达本人意志的，经批准可以不列入应到会人数。",
     "group": "所在村民小组（可不填）。",
     "remarks": "其他需要说明的情况。"},
)

_THIN = Side(style="thin", color="FF999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="FFDDEBF7")
ERROR_FILL = PatternFill("solid", fgColor="FFFFC7CE")  # Excel's own light red for "bad" cells
ERROR_FONT = Font(color="FF9C0006")


def build_template_workbook(*, groups: list[str], choices: dict[str, list[str]],
                            layout: TemplateLayout = VOTER_LAYOUT) -> bytes:
    """The blank voter-list template as .xlsx bytes.

    A title row, a hint row, the header on row 3 (required columns in red), the ID and phone columns
    formatted as text, dates formatted, header frozen, readable widths; a 填写说明 sheet; drop-downs
    for the 村民小组 (``groups``) and for every column named in ``choices`` (keys are the column keys
    of ``voters.workbook``: "sex", "ethnicity", "education", "political_status", "category", …).
    A short list is written into the validation itself; longer ones go to the hidden 选项 sheet.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = layout.sheet
    last = len(layout.columns)
    _write_title(sheet, last, layout.title)
    for position, (key, width) in enumerate(layout.columns, start=1):
        cell = sheet.cell(HEADER_ROW, position, COLUMN_LABELS[key])
        cell.font = Font(bold=True, color="FFC00000" if key in layout.required else None)
        cell.fill, cell.border = _HEADER_FILL, _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        dimension = sheet.column_dimensions[cell.column_letter]
        dimension.width = width
        if key in TEXT_COLUMNS:
            dimension.number_format = "@"
        elif key in DATE_COLUMNS:
            dimension.number_format = DATE_FORMAT
    sheet.row_dimensions[HEADER_ROW].height = 30
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 2)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    _add_validations(workbook, sheet, {**choices, "group": list(groups)}, layout)
    _write_instructions(workbook.create_sheet(INSTRUCTIONS_SHEET), {**choices, "group": list(groups)}, layout)
    if LIST_SHEET in workbook.sheetnames:
        workbook.move_sheet(LIST_SHEET, offset=len(workbook.sheetnames))
    return _to_bytes(workbook)


def annotate_workbook(
    original_bytes: bytes,
    *,
    issues_by_row: dict[int, list[str]],
    cells: list[tuple[int, str]],
    sheet_name: str | None = None,
) -> bytes:
    """The user's own workbook with a 错误说明 column and every bad cell filled light red.

    ``issues_by_row`` maps an Excel row number to its messages; ``cells`` lists (row number, column
    key) pairs to fill. ``sheet_name`` is ``ParsedWorkbook.sheet_name``; without it the first sheet
    with a voter header is used. A 错误说明 column and fills left by an earlier download are cleared
    first, so a corrected file can be annotated again. Columns are found with the reader's header
    rules, so they match the columns the import read.
    """
    with warnings.catch_warnings():  # openpyxl warns about extensions it drops; the copy is for reading
        warnings.simplefilter("ignore", UserWarning)
        # Values, not formulas: the copy shows what the import read (a formula's cached value), and a
        # formula planted in the upload (=HYPERLINK, DDE) does not travel on to whoever opens the copy;
        # links to other workbooks are dropped for the same reason.
        workbook = load_workbook(io.BytesIO(original_bytes), data_only=True, keep_links=False)
    _keep_text_inert(workbook)
    sheet, match = _voter_sheet(workbook, sheet_name)
    header = [cell.value for cell in sheet[match.row]]
    note_header = MESSAGES["note_header"]
    note_column = header.index(note_header) + 1 if note_header in header else sheet.max_column + 1
    _clear_earlier_notes(sheet, first_row=match.row + 1, note_column=note_column)
    title = sheet.cell(match.row, note_column, note_header)
    title.font, title.fill, title.border = Font(bold=True, color=ERROR_FONT.color), ERROR_FILL, _BORDER
    sheet.column_dimensions[title.column_letter].width = 50
    for row_number, messages in sorted(issues_by_row.items()):
        note = sheet.cell(row_number, note_column, cell_value("；".join(messages)))
        note.font, note.alignment = ERROR_FONT, Alignment(wrap_text=True, vertical="top")
    for row_number, key in cells:
        column = match.columns.get(key)
        if column is not None:
            cell = sheet.cell(row_number, column.index + 1)
            if not isinstance(cell, MergedCell):
                cell.fill = ERROR_FILL
    return _to_bytes(workbook)


def _write_title(sheet: Worksheet, last_column: int, title: str = MESSAGES["title"]) -> None:
    for row, text, font in ((TITLE_ROW, title, Font(bold=True, size=16)),
                            (HINT_ROW, MESSAGES["hint"], Font(size=10, color="FF666666"))):
        cell = sheet.cell(row, 1, text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center" if row == TITLE_ROW else "left", vertical="center")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)
    sheet.row_dimensions[TITLE_ROW].height = 28


def _add_validations(workbook: Workbook, sheet: Worksheet, lists: dict[str, list[str]],
                     layout: TemplateLayout = VOTER_LAYOUT) -> None:
    """Drop-down lists below the header, plus an 18-character check on the ID column."""
    positions = {key: index for index, (key, _width) in enumerate(layout.columns, start=1)}
    first, last = HEADER_ROW + 1, 1048576
    for key, values in lists.items():
        values = [safe_text(v) for v in values if str(v).strip()]
        if key not in positions or not values:
            continue
        letter = sheet.cell(HEADER_ROW, positions[key]).column_letter
        inline = '"' + ",".join(values) + '"'
        too_long = len(inline) > INLINE_LIST_MAX_CHARS or len(values) > INLINE_LIST_MAX_ITEMS
        if too_long or any("," in v or '"' in v for v in values):
            inline = _list_range(workbook, COLUMN_LABELS[key], values)
        validation = DataValidation(type="list", formula1=inline, allow_blank=True, showErrorMessage=True,
                                    errorTitle=MESSAGES["list_error_title"],
                                    error=MESSAGES["list_error"].format(label=COLUMN_LABELS[key]))
        validation.add(f"{letter}{first}:{letter}{last}")
        sheet.add_data_validation(validation)
    letter = sheet.cell(HEADER_ROW, positions["id_number"]).column_letter
    id_length = DataValidation(type="textLength", operator="equal", formula1="18", allow_blank=True,
                               showErrorMessage=True, errorStyle="warning",
                               errorTitle=MESSAGES["id_length_title"], error=MESSAGES["id_length"])
    id_length.add(f"{letter}{first}:{letter}{last}")
    sheet.add_data_validation(id_length)


def _list_range(workbook: Workbook, label: str, values: list[str]) -> str:
    """Write ``values`` as one column of the hidden 选项 sheet; return the absolute range."""
    if LIST_SHEET in workbook.sheetnames:
        lists = workbook[LIST_SHEET]
    else:
        lists = workbook.create_sheet(LIST_SHEET)
        lists.sheet_state = "hidden"
    column = lists.max_column + 1 if lists.max_row > 1 or lists["A1"].value else 1
    lists.cell(1, column, label)
    for row, value in enumerate(values, start=2):
        lists.cell(row, column, value).number_format = "@"
    letter = lists.cell(1, column).column_letter
    return f"'{LIST_SHEET}'!${letter}$2:${letter}${len(values) + 1}"


def _write_instructions(sheet: Worksheet, lists: dict[str, list[str]], layout: TemplateLayout = VOTER_LAYOUT) -> None:
    sheet.append([layout.title + "填写说明"])
    sheet["A1"].font = Font(bold=True, size=14)
    for number, text in enumerate(GENERAL_HELP, start=1):
        sheet.append([f"{number}. {text}"])
    sheet.append([])
    sheet.append(["列名", "是否必填", "填写要求", "可选内容"])
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill, cell.border = Font(bold=True), _HEADER_FILL, _BORDER
    for key, _width in layout.columns:
        options = "、".join(str(v) for v in lists.get(key, []))
        sheet.append([COLUMN_LABELS[key], "必填" if key in layout.required else "", layout.help[key], cell_value(options)])
        for cell in sheet[sheet.max_row]:
            cell.alignment, cell.border = Alignment(wrap_text=True, vertical="top"), _BORDER
    for letter, width in zip("ABCD", (16, 10, 60, 40)):
        sheet.column_dimensions[letter].width = width


def _voter_sheet(workbook: Workbook, sheet_name: str | None) -> tuple[Worksheet, Any]:
    """The named sheet, or the first visible one whose header names 姓名 or 公民身份号码."""
    candidates = [workbook[sheet_name]] if sheet_name else [
        ws for ws in workbook.worksheets if ws.sheet_state == "visible"]
    for sheet in candidates:
        head = [list(row) for row in sheet.iter_rows(max_row=HEADER_SCAN_ROWS + 1, values_only=True)]
        match = locate_header(head)
        if match and (sheet_name or {"name", "id_number"} & match.columns.keys()):
            return sheet, match
    raise ValueError(MESSAGES["header_not_found"].format(sheet=sheet_name or workbook.active.title))


def _clear_earlier_notes(sheet: Worksheet, *, first_row: int, note_column: int) -> None:
    """Remove the messages and red fills of an earlier error download from the data rows."""
    for row in sheet.iter_rows(min_row=first_row):
        for cell in row:
            if isinstance(cell, MergedCell):
                continue
            if cell.column == note_column:
                cell.value = None
            elif cell.fill.fgColor.rgb == ERROR_FILL.fgColor.rgb and cell.fill.fill_type == "solid":
                cell.fill = PatternFill()


def _keep_text_inert(workbook: Workbook) -> None:
    """Mark the user's own text that begins with a formula sign as typed text (Excel's quote prefix).

    Unlike our exports (``villages.spreadsheets``), the value is left as it is: the copy is meant to
    be corrected and uploaded again, so it must read back unchanged; the prefix only stops Excel from
    turning the text into a formula when the cell is edited.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "s" and isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
                    cell.quotePrefix = True


def _to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
