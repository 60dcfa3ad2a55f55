"""Step 1 of the voter import (STYLE.md §17): read a voter workbook (.xlsx) into plain rows.

Liaison officers type voter lists into Excel (ENVIRONMENT.md "Excel in the field"), so the reader
takes real workbooks: title rows and merged cells above the header, header names in their usual
variants, extra columns, blank rows, totals rows (合计/小计…, skipped, and reading goes on: 小计 rows
sit between groups), footers (制表人…), repeated headers, full-width digits, stray spaces, and dates
as Excel dates or text (1980-01-01, 1980/1/1, 1980.01.01, 19800101, 1980年1月1日). It checks
**shape only**: ID checksums, code lists and eligibility belong to the validation step
(``voters/idnumber.py``, ``voters/codes.py``, ``voters/eligibility.py``).

A file that is not an .xlsx workbook, or has no usable header, raises ``WorkbookRejected``. A cell
that cannot be read becomes a ``CellIssue`` and its value is None, so the validation step should not
report it again as empty. Rows are streamed: python-calamine keeps the sheet in compact Rust memory
and each row becomes Python objects only while it is read (openpyxl is used only for writing).

Required columns (``REQUIRED_COLUMNS``): 姓名, 性别, 出生日期, 公民身份号码, 村民小组, 登记类别. They are
the fields of the register and of the ID cross-check (DOMAIN.md "Who is registered").
"""

from __future__ import annotations

import functools
import io
import math
import os
import re
import struct
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import IO, Any, Union

import python_calamine

from . import xlsx_guard

MESSAGES = {
    # The whole file (WorkbookRejected).
    "empty_file": "上传的文件是空的（0字节）。请选择填好的选民名单（.xlsx）后重新上传。",
    "xls_not_supported": "这是旧版Excel文件（.xls），系统不能读取。请在Excel中另存为 .xlsx 格式后重新上传。",
    "encrypted_workbook": "工作簿设置了打开密码，系统无法读取。请在Excel中取消密码，另存为 .xlsx 格式后重新上传。",
    "csv_not_supported": (
        "这是CSV文本文件，不是Excel工作簿（CSV会把身份证号码变成科学计数法）。"
        "请在Excel中另存为 .xlsx 格式后重新上传。"
    ),
    "not_excel": "上传的文件不是Excel工作簿。请用Excel或WPS表格打开选民名单，另存为 .xlsx 格式后重新上传。",
    "corrupt_workbook": "文件已损坏或不完整，无法打开。请在Excel中打开核对后，另存为 .xlsx 格式重新上传。",
    "empty_workbook": "工作簿中没有任何内容。请填写选民名单后重新上传。",
    "header_not_found": (
        "在工作表前{rows}行中没有找到表头（如“姓名”“公民身份号码”）。"
        "请使用系统提供的模板，或在数据上方保留一行列名。"
    ),
    "missing_columns": "表头缺少必填列：{columns}。请补上这些列（可下载系统模板对照）后重新上传。",
    "no_data_rows": "表头（第{row}行）下面没有选民数据。",
    "unreadable_values": "工作簿中有无法读取的单元格内容（如超出范围的日期），文件可能已损坏。请在Excel中打开核对后另存为 .xlsx 格式重新上传。",
    # One cell (CellIssue).
    "date_unparseable": "“{value}”不是可识别的日期，请写成 1980-01-01 这样的年月日。",
    "date_invalid": "“{value}”不是真实存在的日期，请核对。",
    "date_incomplete": "“{value}”只有年月（或年份），请填写完整的年月日，如 1980-01-01。",
    "id_excel_float": (
        "公民身份号码“{value}”被Excel存成了数字，末几位已经丢失，无法还原。"
        "请把该列设置为“文本”格式，再重新录入完整的号码。"
    ),
    # Information only (Notice).
    "unknown_column": "第{column}列“{label}”不是选民名单的列，已忽略。",
    "similar_column": "第{column}列“{label}”像是“{expected}”列，但列名无法确认，已忽略，该列的检查不会进行。请把列名改为“{expected}”后重新上传。",
    "duplicate_column": "第{column}列“{label}”与前面的“{first}”是同一项，只读取前一列。",
    "other_sheet_used": "第一个工作表中没有选民名单，已读取工作表“{sheet}”。",
    "totals_row_skipped": "第{row}行是合计行，已跳过。",
    "footer_row_skipped": "第{row}行是表尾说明（如制表人、注），已跳过。",
    "repeated_header_skipped": "第{row}行重复了表头，已跳过。",
}

# Canonical key -> header names seen in real lists (the first is the template's). Matching ignores
# spaces, full-width forms, "*" marks and anything in brackets ("出生日期（年月日）").
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "选民姓名", "名字"), "sex": ("性别",), "ethnicity": ("民族",),
    "birth_date": ("出生日期", "出生年月", "出生年月日", "出生时间", "生日"),
    "id_number": ("公民身份号码", "身份证号", "身份证号码", "身份证", "公民身份证号码", "公民身份证号",
                  "身份证件号码", "身份号码", "证件号码"),
    "education": ("文化程度", "学历"), "political_status": ("政治面貌",),
    "group": ("村民小组", "小组", "组别", "所属小组", "村民组", "组"),
    "address": ("户籍地址", "住址", "家庭住址", "家庭地址", "户籍所在地", "户口所在地"),
    "residence": ("居住情况", "是否在村居住", "居住状态", "居住状况", "是否在本村居住", "在村居住情况", "本村居住情况",
                  "常住情况", "是否常住"),
    "phone": ("联系电话", "电话", "手机", "手机号", "手机号码", "联系方式"),
    "category": ("登记类别", "选民类别", "登记类型"), "away": ("外出", "是否外出", "外出情况"), "remarks": ("备注",),
    "statement_date": ("本人表示参加日期", "表示参加日期"),
    "residence_since": ("居住起始日期", "来村居住时间", "居住起始时间", "来村居住日期"),
    "application_date": ("申请日期", "申请登记日期"), "approval_meeting": ("同意会议", "同意的会议"),
    "approval_date": ("同意日期",),
    # A Party member register (党员名册, ``villages.kinds.party_members``).
    "standing": ("党员类别", "正式/预备", "正式或预备", "正式党员/预备党员", "党员身份", "党籍状态"),
    "joined_on": ("入党日期", "入党时间", "入党年月日"),
    "restriction": ("处分或强制措施", "处分情况", "党纪处分", "受处分情况", "处分或留置情况"),
    "org_relation": ("组织关系", "组织关系所在", "组织关系情况", "组织关系所在党组织"),
    "ill": ("患病", "是否患病", "患病情况", "身体状况"),
    "post": ("职务", "现任职务", "职位"),  # committee and branch rosters (reports), not voter lists
    "village": ("村（社区）", "村名", "所属村", "行政村", "村居", "村"),  # township-wide rosters (reports)
}
HEADER_TO_KEY = {alias: key for key, aliases in COLUMN_ALIASES.items() for alias in aliases}
COLUMN_LABELS = {key: aliases[0] for key, aliases in COLUMN_ALIASES.items()}
_NAME_HEADERS = frozenset(COLUMN_ALIASES["name"])
REQUIRED_COLUMNS = ("name", "sex", "birth_date", "id_number", "group", "category")
# A Party member register: no 村民小组 or 登记类别, the member's standing instead (``party_members``).
PARTY_REQUIRED_COLUMNS = ("name", "sex", "birth_date", "id_number", "standing")
PARTY_COLUMNS = frozenset({"standing", "joined_on", "restriction", "org_relation", "ill"})
DATE_COLUMNS = frozenset({"birth_date", "statement_date", "residence_since", "application_date",
                          "approval_date", "joined_on"})
HEADER_SCAN_ROWS = 20
_MEMO_SIZE = 2048  # distinct texts remembered per column while streaming…
_MEMO_TEXT = 100  # …if they are short (names, groups, codes), so the memo stays small
MAX_NOTICES = 1000  # row notices kept (skipped totals rows…); the rest are counted
MAX_CELL_ISSUES = 10_000  # cell issues kept on ``ParsedWorkbook.issues``; each row still has its own
SHOWN_VALUE = 40  # characters of a cell's text quoted in a message
_MISSING = object()

# Full-width digits, letters and space to half-width; zero-width characters removed.
_FULL_WIDTH = ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
_HALF_WIDTH: dict[int, Any] = {cp: cp - 0xFEE0 for lo, hi in _FULL_WIDTH for cp in range(lo, hi + 1)}
_HALF_WIDTH.update({0x3000: " ", 0x200B: None, 0x200C: None, 0x200D: None, 0x2060: None, 0xFEFF: None})
_NEEDS_TRANSLATE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000\u200b-\u200d\u2060\ufeff]")
_DATE_PUNCT = str.maketrans({"．": ".", "。": ".", "－": "-", "—": "-", "／": "/", "\\": "/"})
_NAME_DOTS = re.compile(r"(?<=[^\x00-\x7f])[.．•・‧･](?=[^\x00-\x7f])")  # between Chinese characters
_SPACE_BY_WIDE = re.compile(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])")
_LABEL_NOISE = re.compile(r"[（(【\[].*?[）)】\]]|^[*＊※★]+|[*＊※★:：]+$")
_TOTALS = re.compile("合计|总计|共计|小计|总数")
_FOOTER = re.compile(r"(制表|填表|填报|审核|负责人|联系人|注[:：]|说明[:：]|备注[:：])")
_YMD = (
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:T?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_YEAR_MONTH = re.compile(r"\d{4}(?:[-/.年]\d{1,2}月?|\d{2}|年)?")
_SCIENTIFIC = re.compile(r"\d+(?:\.\d*)?[Ee][+-]?\d+|\d+\.\d*")
_EXCEL_EPOCH = date(1899, 12, 30)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")

Cell = Any  # what calamine yields: str ("" when empty), float, int, bool, date, datetime, time, timedelta
Value = Union[str, date, None]
Source = Union[str, "os.PathLike[str]", bytes, IO[bytes]]


class WorkbookRejected(ValueError):
    """The upload cannot be read at all; a form re-raises ``ValidationError(e.message, code=e.code)``.
    The codes are this module's ``MESSAGES`` and the package inspection's (``xlsx_guard.MESSAGES``)."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        self.message = (MESSAGES.get(code) or xlsx_guard.MESSAGES[code]).format(**params)
        super().__init__(self.message)


@dataclass(frozen=True, slots=True)
class Column:
    """A recognised column: canonical ``key``, the header as the user wrote it, 0-based sheet index."""

    key: str
    label: str
    index: int


@dataclass(frozen=True, slots=True)
class CellIssue:
    """A cell that could not be read as its column requires; its value in the row is None."""

    row_number: int
    column_key: str
    column_label: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Notice:
    """Information for the preview page (ignored column, skipped totals row…), never an error."""

    code: str
    message: str
    row_number: int | None = None


@dataclass(slots=True)
class RawRow:
    """One data row: its Excel row number (1-based, as the user sees it) and a value per known column."""

    row_number: int
    values: dict[str, Value]
    issues: list[CellIssue] = field(default_factory=list)


@dataclass
class HeaderMatch:
    """Where the header is: ``row`` is the 1-based Excel row of its last line."""

    row: int
    columns: dict[str, Column]
    notices: list[Notice]


@dataclass(eq=False)
class ParsedWorkbook:
    """The located header and a single-use stream of data rows.

    ``issues``, the row notices and ``blank_rows`` are complete once ``rows()`` has been read to the
    end. ``last_row`` (the sheet's last used row) bounds the row count, e.g. for a progress bar.
    """

    sheet_name: str
    header_row: int
    last_row: int
    columns: dict[str, Column]
    notices: list[Notice] = field(default_factory=list)
    issues: list[CellIssue] = field(default_factory=list)
    blank_rows: int = 0
    grid_cells: int = 0  # A1 to the last cell of every sheet, added up (what openpyxl would make)
    notices_dropped: int = 0  # row notices past ``MAX_NOTICES``, counted only
    issues_dropped: int = 0  # cell issues past ``MAX_CELL_ISSUES``, counted only
    _sheet: Any = field(default=None, repr=False)

    def rows(self) -> Iterator[RawRow]:
        """Yield the data rows, once. Blank, totals, footer and repeated-header rows are skipped."""
        if self._sheet is None:
            raise RuntimeError("ParsedWorkbook.rows() can be read only once")
        sheet, self._sheet = self._sheet, None
        return self._stream(sheet)

    __iter__ = rows

    def _stream(self, sheet: Any) -> Iterator[RawRow]:
        offset = sheet.start[1]  # calamine rows start at the first used column…
        # Lists repeat the same texts (男, 汉族, 第一组…): remember each column's first readings.
        readers = [(c.index - offset, c.key, c.label, _READERS.get(c.key, _read_text), {})
                   for c in self.columns.values()]
        rows = _guarded(sheet.iter_rows())  # …but at row 1: the rows above the used range come as blank rows
        for _ in range(self.header_row):
            next(rows, None)
        for row_number, raw in enumerate(rows, start=self.header_row + 1):
            values: dict[str, Value] = {}
            problems: list[CellIssue] = []
            filled = False
            for at, key, label, read, memo in readers:
                cell = raw[at]
                if cell == "":
                    values[key] = None
                    continue
                if type(cell) is str:
                    value = memo.get(cell, _MISSING)
                    if value is _MISSING:
                        value = read(cell)
                        if len(memo) < _MEMO_SIZE and len(cell) <= _MEMO_TEXT:
                            memo[cell] = value
                else:
                    value = read(cell)
                if type(value) is _Problem:
                    message = MESSAGES[value.code].format(value=clip(value.shown))
                    problems.append(CellIssue(row_number, key, label, value.code, message))
                    value = None
                elif value is not None:
                    filled = True
                values[key] = value
            skip = _skip_reason(raw, values) if filled or problems else _blank_or_totals(raw)
            if skip == "blank":
                self.blank_rows += 1
            elif skip:
                if len(self.notices) < MAX_NOTICES:
                    self.notices.append(Notice(skip, MESSAGES[skip].format(row=row_number), row_number))
                else:
                    self.notices_dropped += 1
            else:
                if problems:
                    room = max(MAX_CELL_ISSUES - len(self.issues), 0)
                    self.issues.extend(problems[:room])
                    self.issues_dropped += len(problems) - len(problems[:room])
                yield RawRow(row_number, values, problems)


def clip(text: str, limit: int = SHOWN_VALUE) -> str:
    """A cell's text as quoted in a message: at most ``limit`` characters."""
    return text if len(text) <= limit else text[:limit] + "…"


def _guarded(rows: Iterator[list[Cell]]) -> Iterator[list[Cell]]:
    """calamine's rows; a cell python-calamine cannot convert (a date past year 9999…) refuses the file."""
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except (ValueError, OverflowError, TypeError) as error:
            raise WorkbookRejected("unreadable_values") from error
        except BaseException as error:
            if not _is_panic(error):
                raise
            raise WorkbookRejected("unreadable_values") from error
        yield row


def _is_panic(error: BaseException) -> bool:
    """A Rust panic inside python-calamine (e.g. a date cell out of range) reaches Python as
    ``pyo3_runtime.PanicException``, a BaseException: it is the file's fault, not the program's."""
    return type(error).__name__ == "PanicException"


@dataclass(frozen=True, slots=True)
class _Problem:
    code: str
    shown: str


def read_voter_workbook(
    file_or_path: Source, *, filename: str, required: tuple[str, ...] = REQUIRED_COLUMNS,
    limits: xlsx_guard.Limits | None = None,
) -> ParsedWorkbook:
    """Check that the upload is an .xlsx workbook, then find the voter sheet and its header.

    ``file_or_path`` is a path, bytes, or a binary file object (a Django upload); ``filename`` is the
    name the user uploaded. The format is judged by the bytes, the name only words the refusal.
    Raises ``WorkbookRejected`` for a file that is not .xlsx, has no recognisable header, lacks a
    required column or has nothing below the header. The rows are then streamed by ``rows()``.
    ``required`` names the columns that must be present (a roster of office holders needs fewer).
    Before calamine sees the file, ``xlsx_guard.inspect_package`` reads the whole package with a
    bound and refuses one past ``limits`` (default: ``import_limits()``, from the settings).
    """
    source = _as_source(file_or_path)
    # Only the grid's size is kept: the inspection's per-string tables (tens of MB for a large
    # register saved by Excel) are freed before calamine's load, the import's peak.
    grid_cells = _check_format(source, filename, limits or import_limits()).grid_cells
    try:
        if isinstance(source, str) and source.lower().endswith((".xlsx", ".xlsm")):
            workbook = python_calamine.CalamineWorkbook.from_path(source)
        elif isinstance(source, str):  # calamine picks the reader by extension; give it the bytes
            with open(source, "rb") as fh:
                workbook = python_calamine.CalamineWorkbook.from_filelike(fh)
        else:
            source.seek(0)
            workbook = python_calamine.CalamineWorkbook.from_filelike(source)
        with workbook:  # a loaded sheet keeps its own cells, so the file can be closed now
            sheet, match, first_sheet = _find_voter_sheet(workbook)
    except WorkbookRejected:
        raise
    except python_calamine.CalamineError as error:
        raise WorkbookRejected("corrupt_workbook") from error
    except (ValueError, OverflowError, TypeError) as error:  # a cell python-calamine cannot convert
        raise WorkbookRejected("unreadable_values") from error
    except BaseException as error:
        if not _is_panic(error):
            raise
        raise WorkbookRejected("unreadable_values") from error
    missing = [COLUMN_LABELS[key] for key in required if key not in match.columns]
    if missing:
        raise WorkbookRejected("missing_columns", columns="、".join(missing))
    last_row = sheet.end[0] + 1
    if last_row <= match.row:
        raise WorkbookRejected("no_data_rows", row=match.row)
    if not first_sheet:
        match.notices.insert(0, _notice("other_sheet_used", sheet=sheet.name))
    return ParsedWorkbook(sheet.name, match.row, last_row, match.columns, match.notices,
                          grid_cells=grid_cells, _sheet=sheet)


def import_limits() -> xlsx_guard.Limits:
    """The limits of an upload, from the settings ``VOTER_IMPORT_MAX_ROWS``, ``…_MAX_CELLS`` and
    ``…_MAX_UNPACKED_MB`` (README "Configuration")."""
    from django.conf import settings

    return xlsx_guard.Limits(max_rows=settings.VOTER_IMPORT_MAX_ROWS, max_cells=settings.VOTER_IMPORT_MAX_CELLS,
                             max_unpacked=settings.VOTER_IMPORT_MAX_UNPACKED_MB * 1024 * 1024)


def header_key(cell: object) -> str | None:
    """The canonical key of a header cell ("*公民身份号码（18位）" -> "id_number"), or None."""
    if not isinstance(cell, str) or not cell or len(cell) > 60:
        return None
    return HEADER_TO_KEY.get(_LABEL_NOISE.sub("", "".join(cell.translate(_HALF_WIDTH).split())))


def locate_header(rows: list[list[Any]], *, first_column: int = 0) -> HeaderMatch | None:
    """Find the header among ``rows`` (the sheet's first rows from Excel row 1; item 0 of each row is
    column ``first_column``). Shared with ``workbook_writer.annotate_workbook``.

    Picks the row naming the most known columns. The row below joins it when it is a second header
    line (sub-columns under a merged heading): it names a column, and under every column the first
    line named it holds nothing or a header name. Returns None if no row names a known column.
    """
    scores = [len({header_key(c) for c in row} - {None}) for row in rows[:HEADER_SCAN_ROWS]]
    if not scores or max(scores) == 0:
        return None
    top = scores.index(max(scores))
    lines = [rows[top]]
    below = rows[top + 1] if top + 1 < len(rows) else []
    if any(map(header_key, below)) and all(
        _blank(cell) or header_key(cell) or not header_key(above) for cell, above in zip(below, rows[top])
    ):
        lines.append(below)
    match = HeaderMatch(top + len(lines), {}, [])
    for at in range(max(map(len, lines))):
        cells = [line[at] for line in lines if at < len(line) and not _blank(line[at])]
        labels = [" ".join(str(cell).split()) for cell in cells]
        if not labels:
            continue
        index, letter = at + first_column, column_letter(at + first_column)
        key, label = next(((header_key(x), x) for x in reversed(labels) if header_key(x)), (None, labels[-1]))
        if key is None:
            guess = _similar_key(label)
            if guess is not None:
                match.notices.append(_notice("similar_column", column=letter, label=label,
                                             expected=COLUMN_ALIASES[guess][0]))
            else:
                match.notices.append(_notice("unknown_column", column=letter, label=label))
        elif key in match.columns:
            first = match.columns[key].label
            match.notices.append(_notice("duplicate_column", column=letter, label=label, first=first))
        else:
            match.columns[key] = Column(key, label, index)
    return match


# Words that name a column whatever else the header says: a header holding one of them that matches no
# alias is probably that column under a name not seen yet ("居住状况"), never silently dropped.
_COLUMN_WORDS = (
    ("身份", "id_number"), ("证件", "id_number"), ("出生", "birth_date"), ("居住", "residence"), ("常住", "residence"),
    ("外出", "away"), ("电话", "phone"), ("手机", "phone"), ("民族", "ethnicity"), ("文化", "education"),
    ("学历", "education"), ("政治", "political_status"), ("小组", "group"), ("地址", "address"),
    ("住址", "address"), ("类别", "category"), ("姓名", "name"), ("性别", "sex"), ("备注", "remarks"),
)


def _similar_key(label: str) -> str | None:
    """The column a header that matches no alias most likely means, by a word it contains, or None."""
    return next((key for word, key in _COLUMN_WORDS if word in label), None)


def column_letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _find_voter_sheet(workbook: Any) -> tuple[Any, HeaderMatch, bool]:
    """The first visible worksheet whose header names 姓名 or 公民身份号码, else the best candidate."""
    best = None
    saw_content = False
    visible = [m for m in workbook.sheets_metadata if m.typ == python_calamine.SheetTypeEnum.WorkSheet
               and m.visible == python_calamine.SheetVisibleEnum.Visible]
    for position, meta in enumerate(visible):
        sheet = workbook.get_sheet_by_name(meta.name)
        if sheet.start is None:  # nothing in it (and iter_rows() would fail)
            continue
        saw_content = True
        head = [row for _, row in zip(range(HEADER_SCAN_ROWS + 1), sheet.iter_rows())]
        match = locate_header(head, first_column=sheet.start[1])
        if match and {"name", "id_number"} & match.columns.keys():
            return sheet, match, position == 0
        if match and (best is None or len(match.columns) > len(best[1].columns)):
            best = (sheet, match, position == 0)
    if best is not None:
        return best
    raise WorkbookRejected("header_not_found" if saw_content else "empty_workbook", rows=HEADER_SCAN_ROWS)


def _as_source(file_or_path: Source) -> str | IO[bytes]:
    if isinstance(file_or_path, (str, os.PathLike)):
        return os.fspath(file_or_path)
    if isinstance(file_or_path, (bytes, bytearray, memoryview)):
        return io.BytesIO(bytes(file_or_path))
    if hasattr(file_or_path, "temporary_file_path"):  # Django's TemporaryUploadedFile
        return file_or_path.temporary_file_path()
    return file_or_path


def _check_format(source: str | IO[bytes], filename: str, limits: xlsx_guard.Limits) -> xlsx_guard.PackageFacts:
    """Refuse anything but an .xlsx package (a zip holding xl/workbook.xml), judged by its bytes,
    and one that ``xlsx_guard`` finds past ``limits``."""
    extension = os.path.splitext(filename)[1].lower()
    fh = open(source, "rb") if isinstance(source, str) else source
    try:
        fh.seek(0)
        head = fh.read(512)
        if not head:
            raise WorkbookRejected("empty_file")
        if head.startswith(_OLE_MAGIC):  # .xls, WPS .et, .doc, or a password-protected .xlsx
            if _is_encrypted_package(fh, head):
                raise WorkbookRejected("encrypted_workbook")
            is_office_document = extension in (".doc", ".ppt", ".msg")
            raise WorkbookRejected("not_excel" if is_office_document else "xls_not_supported")
        if head.startswith(_ZIP_MAGIC):
            try:
                fh.seek(0)
                facts = xlsx_guard.inspect_package(fh, limits)
            except xlsx_guard.PackageRefused as error:
                raise WorkbookRejected(error.code, **error.params) from error
            except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError,
                    NotImplementedError, struct.error) as error:
                raise WorkbookRejected("corrupt_workbook") from error
            if "xl/workbook.xml" not in facts.names:  # .docx, .ods, .xlsb, a plain zip
                raise WorkbookRejected("not_excel")
            return facts
        if extension in (".csv", ".tsv", ".txt") or _looks_like_csv(head):
            raise WorkbookRejected("csv_not_supported")
        raise WorkbookRejected("not_excel")
    finally:
        if fh is not source:
            fh.close()


def _is_encrypted_package(fh: IO[bytes], head: bytes) -> bool:
    """An OLE file whose first directory sector lists "EncryptedPackage" is an encrypted .xlsx."""
    shift = int.from_bytes(head[30:32], "little")
    if shift not in (9, 12):  # 512- or 4096-byte sectors; anything else is not a readable OLE file
        return False
    sector_size = 1 << shift
    fh.seek((int.from_bytes(head[48:52], "little") + 1) * sector_size)
    return "EncryptedPackage".encode("utf-16-le") in fh.read(sector_size)


def _looks_like_csv(head: bytes) -> bool:
    if any(b < 9 or 13 < b < 32 for b in head) or head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"<"):
        return False
    return any(sep in head for sep in (b",", b"\t", "，".encode()))


def _notice(code: str, **params: object) -> Notice:
    return Notice(code, MESSAGES[code].format(**params))


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


# --- Cell readers: each returns the normalised value, None, or a _Problem ---------------------------

def _read_text(cell: Cell) -> Value | _Problem:
    """Strip, collapse inner whitespace, full-width digits/letters/space to half-width; 1.0 -> "1"."""
    kind = type(cell)
    if kind is str:
        text = cell
    elif kind is float:
        text = str(int(cell)) if cell.is_integer() else repr(cell)
    elif kind is bool:
        text = "是" if cell else "否"
    elif kind is datetime and cell.time() == datetime.min.time():
        text = cell.date().isoformat()
    else:
        text = cell.isoformat() if kind is date or kind is datetime else str(cell)
    if _NEEDS_TRANSLATE.search(text):
        text = text.translate(_HALF_WIDTH)
    return " ".join(text.split()) or None


def _read_name(cell: Cell) -> Value | _Problem:
    """As text, and "张 三" -> "张三", "阿依古丽.买买提" -> "阿依古丽·买买提"; Latin names keep spaces."""
    text = _read_text(cell)
    if text and not text.isascii():
        text = _NAME_DOTS.sub("·", _SPACE_BY_WIDE.sub("", text))
    return text


def _read_id(cell: Cell) -> Value | _Problem:
    """The ID as text. Excel keeps 15 significant digits, so an 18-digit ID saved as a number (or its
    scientific-notation text) has lost digits: reported, never guessed. A whole number of at most 15
    digits (a legacy 15-digit ID) is exact and passes as text, as in ``idnumber.normalize_id_number``.
    """
    if type(cell) is float and not math.isfinite(cell):
        return _Problem("id_excel_float", str(cell))
    if type(cell) is float or type(cell) is int:
        if cell == int(cell) and 0 <= cell < 10**15:
            return str(int(cell))
        return _Problem("id_excel_float", "%.15G" % cell)
    text = cell if type(cell) is str else str(cell)
    if not (text.isascii() and text.isalnum()):
        text = "".join(unicodedata.normalize("NFKC", text).translate(_HALF_WIDTH).split()).lstrip("'‘’`")
    text = text.upper()
    if ("E" in text or "." in text) and _SCIENTIFIC.fullmatch(text):  # it has one or the other
        return _Problem("id_excel_float", text)
    return text or None


def _read_date(cell: Cell) -> Value | _Problem:
    """An Excel date, an Excel serial day number, 19800101 as a number, or one of the usual texts."""
    kind = type(cell)
    if kind is date:
        return cell
    if kind is datetime:
        return cell.date()
    if kind is str:
        return _parse_date_text(cell)
    if kind is float or kind is int:
        return _date_from_number(cell)
    return _Problem("date_unparseable", str(cell))


def _date_from_number(number: float) -> Value | _Problem:
    shown = "%.15G" % number
    if not math.isfinite(number):
        return _Problem("date_unparseable", shown)
    if number == int(number) and 10_000_000 <= number <= 99_999_999:
        return _parse_date_text(shown)
    if 1900 <= number < 2101 or (number == int(number) and 190_001 <= number <= 210_012):
        return _Problem("date_incomplete", shown)  # 1980, 1980.01 or 198001 in a General cell
    if 2101 <= number <= 73415:  # a serial day number between 1905 and 2100 without a date format
        return _EXCEL_EPOCH + timedelta(days=int(number))
    return _Problem("date_unparseable", shown)


@functools.lru_cache(maxsize=65536)
def _parse_date_text(text: str) -> Value | _Problem:
    compact = "".join(text.translate(_HALF_WIDTH).translate(_DATE_PUNCT).split())
    if not compact:
        return None
    shown = " ".join(text.split())
    for pattern in _YMD:
        match = pattern.fullmatch(compact)
        if match:
            try:
                return date(*map(int, match.groups()))
            except ValueError:
                return _Problem("date_invalid", shown)
    return _Problem("date_incomplete" if _YEAR_MONTH.fullmatch(compact) else "date_unparseable", shown)


_READERS: dict[str, Callable[[Cell], Value | _Problem]] = {
    "name": _read_name, "id_number": _read_id, **{key: _read_date for key in DATE_COLUMNS}}


def _skip_reason(raw: list[Cell], values: dict[str, Value]) -> str | None:
    """The notice code for a totals, footer or repeated-header row; None for a voter's row.

    A totals row has 合计/总计/共计/小计 in its name cell or its first filled cell or, when it has
    neither name nor ID number, anywhere. A footer starts with 制表人/审核人/注：… and has no ID number.
    """
    name, id_number = values.get("name"), values.get("id_number")
    if name in _NAME_HEADERS:
        return "repeated_header_skipped"
    if isinstance(name, str) and _TOTALS.search(name):
        return "totals_row_skipped"
    if name is not None and id_number is not None:
        return None
    first = next((c for c in raw if not _blank(c)), "")
    first = "".join(first.split()) if isinstance(first, str) else ""
    if _TOTALS.search(first) or (name is None and id_number is None and _blank_or_totals(raw) != "blank"):
        return "totals_row_skipped"
    if id_number is None and _FOOTER.match(first):
        return "footer_row_skipped"
    return None


def _blank_or_totals(raw: list[Cell]) -> str:
    """A row with nothing in the known columns is a totals row if 合计… is anywhere in it, else blank."""
    is_totals = any(isinstance(c, str) and _TOTALS.search("".join(c.split())) for c in raw)
    return "totals_row_skipped" if is_totals else "blank"
