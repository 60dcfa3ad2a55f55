"""Builders for voter workbooks as liaison officers really make them, written with openpyxl into a
test's ``tmp_path`` (no binary fixtures in the repository), plus non-Excel files for the refusals.

Rows are lists of cell values; ``None`` leaves a cell empty. ``HEADER`` and ``voter_row()`` give a
clean list; each ``*_workbook`` function adds one kind of mess.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

HEADER = ["姓名", "性别", "民族", "出生日期", "公民身份号码", "文化程度", "政治面貌", "村民小组", "户籍地址",
          "居住情况", "联系电话", "登记类别", "是否外出", "备注"]
ZHANG_SAN_ID = "330102198001011234"
LI_SI_ID = "33010219850315002X"


def voter_row(header: Sequence[str] = HEADER, **by_label: Any) -> list[Any]:
    """One voter in ``header`` order: 张三 by default; override cells by their header label."""
    values: dict[str, Any] = {
        "姓名": "张三", "性别": "男", "民族": "汉族", "出生日期": date(1980, 1, 1), "公民身份号码": ZHANG_SAN_ID,
        "文化程度": "初中", "政治面貌": "群众", "村民小组": "第一组", "户籍地址": "青山镇东山村1号",
        "居住情况": "在村居住", "联系电话": "13800138000", "登记类别": "户籍在村且居住", "是否外出": "否", "备注": None,
    }
    values.update(by_label)
    return [values.get(label) for label in header]


def li_si(header: Sequence[str] = HEADER, **by_label: Any) -> list[Any]:
    """A second voter, 李四."""
    defaults = {"姓名": "李四", "性别": "女", "出生日期": date(1985, 3, 15), "公民身份号码": LI_SI_ID, "村民小组": "第二组"}
    return voter_row(header, **{**defaults, **by_label})


def write_workbook(
    path: Path,
    rows: Sequence[Sequence[Any]],
    *,
    merges: Sequence[str] = (),
    title: str = "选民名单",
    text_cells: Sequence[str] = (),
    before: Sequence[tuple[str, Sequence[Sequence[Any]]]] = (),
    hidden: Sequence[tuple[str, Sequence[Sequence[Any]]]] = (),
) -> Path:
    """Save ``rows`` (from A1) as an .xlsx at ``path``; ``before`` and ``hidden`` add (title, rows) sheets."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet_title, sheet_rows in before:
        _fill(workbook.create_sheet(sheet_title), sheet_rows)
    sheet = workbook.create_sheet(title)
    _fill(sheet, rows)
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    for coordinate in text_cells:
        sheet[coordinate].number_format = "@"
    for sheet_title, sheet_rows in hidden:
        extra = workbook.create_sheet(sheet_title, 0)
        _fill(extra, sheet_rows)
        extra.sheet_state = "hidden"
    workbook.active = workbook.sheetnames.index(title)
    workbook.save(path)
    return path


def _fill(sheet: Any, rows: Sequence[Sequence[Any]]) -> None:
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row_number, column, value)


def clean_workbook(path: Path) -> Path:
    """Header on row 1, two voters."""
    return write_workbook(path, [HEADER, voter_row(), li_si()])


def titled_workbook(path: Path) -> Path:
    """Two title rows merged across the table and a blank row above the header (row 4)."""
    width = len(HEADER)
    rows = [["青山镇东山村第七届村民委员会选举选民登记表"], ["填报单位：东山村村民选举委员会"], [], HEADER,
            voter_row(), li_si()]
    return write_workbook(path, rows, merges=[f"A1:{get_column_letter(width)}1", "A2:F2"])


def offset_workbook(path: Path) -> Path:
    """The table starts at C3: two empty columns and a title row above it."""
    rows = [[], [None, None, "选民名单"], [None, None, *HEADER], [None, None, *voter_row()]]
    return write_workbook(path, rows)


def header_variant_workbook(path: Path, replacements: dict[str, str]) -> Path:
    """The clean list with some header names replaced (e.g. 公民身份号码 -> 身份证号码)."""
    header = [replacements.get(label, label) for label in HEADER]
    return write_workbook(path, [header, voter_row(), li_si()])


def extra_columns_workbook(path: Path) -> Path:
    """A 序号 column in front and a 家庭人口 column at the end, neither part of the voter record."""
    return write_workbook(path, [["序号", *HEADER, "家庭人口"], [1, *voter_row(), 4], [2, *li_si(), 3]])


def blank_rows_workbook(path: Path) -> Path:
    """Blank rows between voters, a row holding only spaces, and pre-numbered empty rows at the end."""
    blank_with_spaces = [" ", "\u3000", None, None]
    rows = [["序号", *HEADER], [1, *voter_row()], [], [None, *blank_with_spaces], [2, *li_si()], [3], [4]]
    return write_workbook(path, rows)


def totals_workbook(path: Path, totals_row: Sequence[Any]) -> Path:
    """Voters, then ``totals_row`` (e.g. 合计 in the 序号 column), then one more voter below it."""
    rows = [["序号", *HEADER], [1, *voter_row()], list(totals_row), [2, *li_si()]]
    return write_workbook(path, rows)


def footer_workbook(path: Path) -> Path:
    """A footer (制表人…) and the header repeated for a second printed page."""
    rows = [HEADER, voter_row(), HEADER, li_si(), [], ["制表人：王五", None, None, "审核人：赵六"]]
    return write_workbook(path, rows)


def two_line_header_workbook(path: Path) -> Path:
    """A merged group heading (证明材料) over 申请日期 / 同意日期; other headings merged down two rows."""
    top = [*HEADER, "登记类别证明材料", None]
    sub = [None] * len(HEADER) + ["申请日期", "同意日期"]
    data = voter_row() + [date(2026, 10, 8), "2026-10-20"]
    width = len(top)
    merges = [f"{get_column_letter(i)}1:{get_column_letter(i)}2" for i in range(1, len(HEADER) + 1)]
    merges.append(f"{get_column_letter(width - 1)}1:{get_column_letter(width)}1")
    return write_workbook(path, [top, sub, data], merges=merges)


def one_voter_workbook(path: Path, **by_label: Any) -> Path:
    """A single voter whose cells are overridden by header label (the value goes in as given)."""
    id_value = by_label.get("公民身份号码")
    text_cells = ["E2"] if isinstance(id_value, str) else []
    return write_workbook(path, [HEADER, voter_row(**by_label)], text_cells=text_cells)


def instructions_first_workbook(path: Path) -> Path:
    """A 填写说明 sheet first, then the list; and a hidden sheet that also has a header."""
    notes = [["填写说明"], ["1. 每人一行"]]
    return write_workbook(path, [HEADER, voter_row()], before=[("填写说明", notes)],
                          hidden=[("旧名单", [HEADER, li_si()])])


def missing_columns_workbook(path: Path) -> Path:
    """A header without 公民身份号码 and 登记类别."""
    header = [label for label in HEADER if label not in ("公民身份号码", "登记类别")]
    return write_workbook(path, [header, ["张三", "男", "汉族", date(1980, 1, 1)]])


def header_only_workbook(path: Path) -> Path:
    return write_workbook(path, [["选民名单"], HEADER])


def no_header_workbook(path: Path) -> Path:
    """Text, but nothing that names a voter column."""
    return write_workbook(path, [["会议记录"], ["时间", "地点", "参加人"], ["1月1日", "村委会", "10人"]])


def empty_workbook(path: Path) -> Path:
    return write_workbook(path, [])


def styled_workbook(path: Path) -> Path:
    """The clean list with bold header and wrapped cells, to check annotation keeps the user's file."""
    path = clean_workbook(path)
    workbook = load_workbook(path)
    sheet = workbook.active
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet["I2"].alignment = Alignment(wrap_text=True)
    workbook.save(path)
    return path


# --- Files that are not .xlsx -----------------------------------------------------------------

def ole_bytes(*stream_names: str) -> bytes:
    """A minimal OLE2 compound file (the container of .xls) whose first directory sector lists
    ``stream_names``: "Workbook" for an .xls, "EncryptedPackage" for a password-protected .xlsx."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[24:30] = struct.pack("<HHH", 0x3E, 3, 0xFFFE)  # minor, major version 3, little-endian
    header[30:32] = struct.pack("<H", 9)  # 512-byte sectors
    header[48:52] = struct.pack("<I", 0)  # the directory starts at sector 0
    directory = bytearray(512)
    for slot, name in enumerate(("Root Entry", *stream_names)[:4]):
        encoded = (name + "\0").encode("utf-16-le")
        directory[slot * 128:slot * 128 + len(encoded)] = encoded
        directory[slot * 128 + 64:slot * 128 + 66] = struct.pack("<H", len(encoded))
    return bytes(header + directory)


def xls_bytes() -> bytes:
    return ole_bytes("Workbook", "\x05SummaryInformation")


def encrypted_xlsx_bytes() -> bytes:
    return ole_bytes("EncryptionInfo", "EncryptedPackage")


def csv_bytes() -> bytes:
    text = ",".join(HEADER) + "\r\n张三,男,汉族,1980-01-01,3.30102E+17,初中,群众,第一组,东山村1号\r\n"
    return text.encode("gb18030")


def png_bytes() -> bytes:
    """A real 1x1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0\0\0\0")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def docx_like_bytes(path: Path) -> bytes:
    """A zip package that is not a spreadsheet (a Word document's layout)."""
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
    return path.read_bytes()


# --- Voter lists that pass the import's checks (valid ID numbers), for the import tests -------

def valid_id_number(born: date, sequence: int) -> str:
    """A valid 18-digit number for someone born on ``born``; an odd ``sequence`` makes a man."""
    from voters.idnumber import check_character

    first17 = f"330102{born:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def person(n: int, **by_label: Any) -> dict[str, Any]:
    """The ``n``-th villager (n from 1): a distinct valid ID number, sex and birth date to match,
    group 第1组 or 第2组 alternately; ``by_label`` overrides cells by header label."""
    born = date(1960, 1, 1).replace(year=1960 + n % 40, month=1 + n % 12, day=1 + n % 28)
    sequence = 100 + 2 * n + (n % 2)  # odd for odd n: men and women alternate
    values = {
        "姓名": f"村民{n}", "性别": "男" if n % 2 else "女", "出生日期": born,
        "公民身份号码": valid_id_number(born, sequence % 1000), "村民小组": f"第{1 + n % 2}组",
        "联系电话": f"1380000{n:04d}", "户籍地址": f"东山村{n}号",
    }
    values.update(by_label)
    return values


def voters_workbook(path: Path, people: Sequence[dict[str, Any]], *, header: Sequence[str] = HEADER,
                    title_rows: Sequence[Sequence[Any]] = ()) -> Path:
    """A list of ``people`` (dicts by header label, e.g. from ``person()``), with the ID column as
    text the way the template has it; ``title_rows`` go above the header."""
    rows = [*title_rows, list(header), *(voter_row(header, **p) for p in people)]
    id_column = get_column_letter(list(header).index("公民身份号码") + 1) if "公民身份号码" in header else None
    first = len(title_rows) + 2
    text_cells = [f"{id_column}{r}" for r in range(first, first + len(people))] if id_column else []
    return write_workbook(path, rows, text_cells=text_cells)
