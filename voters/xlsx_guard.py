"""Inspect an uploaded .xlsx package before any cell is read (issue 14, "Untrusted workbooks").

A workbook is a zip of XML parts, and calamine (``voters/workbook.py``) believes what they say: one
cell at XFD1048576 makes it allocate the dense range A1:XFD1048576 (512 GiB) and abort the process,
and a 512 KB file can unpack to a 512 MiB string. ``inspect_package`` therefore reads the whole
package once, as a stream with a fixed budget, and refuses it (``PackageRefused``, a Chinese message
with a code) when it passes limits that real voter registers never reach (``Limits``; settings
``VOTER_IMPORT_MAX_*``):

- the package: at most ``MAX_PARTS`` parts, stored or deflated, not encrypted, no name twice, and
  nothing of another format that calamine would read instead (.xlsb, .ods parts). Every part is
  unpacked here, with a bound, to exactly its declared size and checksum (a size in the zip is never
  trusted); together they stay under ``max_unpacked``, and no part over 1 MB unpacks to more than
  ``MAX_RATIO`` times its packed size;
- every XML part: no DOCTYPE or entity declaration (entity bombs), no comment, CDATA section or
  processing instruction after the XML declaration (real writers produce none in these parts, and
  they could hide a cell from a scanner);
- the worksheets (every part named .xml; whatever the workbook points to must be one, but for a
  macro project):
  the cell references are read from the cells themselves, never from the ``<dimension>`` the sheet
  claims, with calamine's rules for cells without one. Each reference must lie in Excel's grid; the
  filled range of a sheet (rows x columns between its first and last cell holding something, which
  is what calamine allocates) stays under ``max_cells`` and its last row under ``max_rows``; no
  cell's XML is longer than ``MAX_CELL_BYTES``;
- shared strings: no string's XML over ``MAX_CELL_BYTES``, all of them under a quarter of
  ``max_unpacked`` (calamine keeps them all in memory); and since calamine copies a shared string
  into every cell that uses it, the copies of a sheet stay under ``max_unpacked`` and a row of its
  longest strings under ``MAX_ROW_BYTES`` (python-calamine hands over a row at a time).

The scan is a tokenizer over ``<c>``, ``<row>`` and ``<si>`` start tags with quoted attributes, in
chunks of ``CHUNK`` bytes; a tag it cannot read exactly as calamine would is refused. A run of rows
or strings written the plain way Excel, WPS and openpyxl write them is read at once (``_bulk``): a
grammar of that markup must match the whole run, and then counting its tags and reading its row
numbers gives what the tokenizer would (``tests/voters/test_xlsx_guard.py`` compares the two on
hostile and damaged workbooks); anything else goes through the tokenizer. It costs about 0.25 s per
50,000 register rows (the tokenizer alone: a second). Pure module: no Django.
"""

from __future__ import annotations

import functools
import re
import struct
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import IO

MESSAGES = {
    "too_many_parts": "文件内部包含{count}个部件，不是正常的选民名单工作簿。请在Excel中打开后另存为新的 .xlsx 文件再上传。",
    "unpacked_too_large": (
        "文件解压后超过{limit}MB，远大于任何一个村的选民名单，系统不予读取。"
        "请只保留选民名单工作表，另存为新的 .xlsx 文件后重新上传。"
    ),
    "compression_bomb": (
        "文件中的“{part}”压缩比异常（{ratio}倍），可能是恶意构造的文件，系统不予读取。"
        "请在Excel中打开核对后另存为新的 .xlsx 文件。"
    ),
    "package_inconsistent": "文件内部结构不一致（“{part}”的大小或校验值与记录不符），文件可能已损坏或被篡改。请在Excel中打开后另存为新的 .xlsx 文件。",
    "unsupported_compression": "文件使用了Excel不使用的压缩方式或加密方式，系统无法读取。请在Excel中打开后另存为 .xlsx 格式。",
    "mixed_formats": "文件中混有其他格式（如 .xlsb 或 .ods）的内容，系统无法确定如何读取。请在Excel中打开后另存为 .xlsx 格式。",
    "xml_declarations": "文件中的“{part}”含有Excel不会写入的XML声明或注释，系统不予读取。请在Excel中打开后另存为新的 .xlsx 文件。",
    "xml_unreadable": "文件中的“{part}”不是可以读取的表格数据（{detail}）。请在Excel中打开核对后另存为新的 .xlsx 文件。",
    "cell_outside_grid": "工作表中的单元格位置“{ref}”超出了Excel的范围，文件可能已损坏或被篡改。请在Excel中打开核对后另存为新的 .xlsx 文件。",
    "too_many_rows": (
        "工作表的内容一直延伸到第{rows}行，超过系统可以读取的{limit}行。"
        "请删除名单下方多余的行（或只把名单复制到新的工作簿）后重新上传。"
    ),
    "range_too_large": (
        "工作表的填写范围达到{rows}行×{columns}列（到单元格{ref}），超过系统可以读取的{limit}个单元格。"
        "请删除名单右侧和下方多余的行列（或只把名单复制到新的工作簿）后重新上传。"
    ),
    "cell_too_large": "工作表中有一个单元格的内容超过{limit}KB，远超Excel单元格的容量，文件可能被篡改。请核对后另存为新的 .xlsx 文件。",
    "strings_too_large": "工作簿中的文字内容解压后超过{limit}MB，远大于任何一个村的选民名单，系统不予读取。",
    "strings_repeated": "工作表中大量单元格重复引用很长的文字，读取时会占用超过{limit}MB的内存，文件可能被篡改，系统不予读取。",
}

MAX_PARTS = 2000
MAX_RATIO = 200  # deflate reaches about 1,000; real sheets pack 5 to 20 times, padded ones under 100
RATIO_FROM = 1 << 20  # the ratio is judged for parts that unpack to more than this
MAX_CELL_BYTES = 512 * 1024  # Excel keeps at most 32,767 characters in a cell: under 200 KB of XML
MAX_TAG_BYTES = 64 * 1024
MAX_ROW_BYTES = 64 * 1024 * 1024  # a row of Python strings, as python-calamine hands it over
CHUNK = 1 << 20
GRID_MIN_ROWS = 32
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384
_FOREIGN_PARTS = ("xl/workbook.bin", "content.xml", "mimetype")  # .xlsb, .ods: calamine would try them

def _token_pattern(name: bytes) -> re.Pattern[bytes]:
    """``<c``, ``<row`` and ``<si`` start tags up to their ``>`` (their attributes are then read
    exactly by ``_ATTRIBUTES``), the ends of rows and of the sheet or string table, and what must be
    refused: such a tag with a ``<`` before its end, and ``<!`` / ``<?`` (declarations, comments,
    CDATA, processing instructions)."""
    return re.compile(
        rb"<(?:" + name + rb"(c|row|si)(?=[\s/>])([^<>]*)>"
        rb"|/" + name + rb"(?:row|sheetData|sst)\s*>"
        rb"|" + name + rb"(?:c|row|si)(?=[\s/>])"
        rb"|[!?])"
    )


_T_SHARED = re.compile(rb"(?:^|\s)t\s*=\s*[\"']s[\"']")
_SHARED_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?v>([0-9]{1,9})</")
_FIRST_R = re.compile(rb"\s+r=\"([A-Za-z]{0,3})([0-9]{1,7})\"")  # the usual first attribute
_ATTRIBUTES = re.compile(rb"(?:\s+[^\s=<>/\"']+\s*=\s*(?:\"[^\"<]*\"|'[^'<]*'))*\s*(/?)")
_TOKEN = _token_pattern(b"")
_TOKEN_PREFIXED = _token_pattern(rb"(?:[A-Za-z_][\w.-]*:)?")  # <x:c …>: for parts that use prefixes
_PREFIX_HINT = re.compile(rb":(?:c|row|si)[\s/>]")  # the prefixed pattern is slower: only where needed
_R_ELSEWHERE = re.compile(rb"(?:^|\s)(?:[A-Za-z_][\w.-]*:)?r\s*=")
_R_VALUES = re.compile(rb"(?:^|\s)(?:[A-Za-z_][\w.-]*:)?r\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_REF = re.compile(rb"([A-Za-z]{0,3})([0-9]{1,7})")
_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?\s*<\?xml[^<>]*\?>")
_RELATIONSHIP = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Relationship\s[^>]*>")
_EXTERNAL = re.compile(rb"\sTargetMode\s*=\s*[\"']External[\"']")
_VBA_PROJECT = re.compile(rb"\sType\s*=\s*[\"'][^\"']*/vbaProject[\"']")
_REL_TARGET = re.compile(rb"\sTarget\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


class PackageRefused(ValueError):
    """The package passes a limit or cannot be read as calamine would read it."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        self.message = MESSAGES[code].format(**params)
        super().__init__(self.message)


@dataclass(frozen=True)
class Limits:
    """What an upload may hold. Defaults far above any real register (200,000 rows is a township)."""

    max_rows: int = 300_000
    max_cells: int = 8_000_000
    max_unpacked: int = 300 * 1024 * 1024

    @property
    def max_strings(self) -> int:
        return self.max_unpacked // 4


@dataclass
class SheetFacts:
    """What the scan found in one part: cells holding something, and every cell tag."""

    part: str
    cells: int = 0
    cell_tags: int = 0
    first_row: int = EXCEL_ROWS
    last_row: int = -1
    first_column: int = EXCEL_COLUMNS
    last_column: int = -1
    extent_row: int = -1  # the last row and column of any cell tag, empty ones too (openpyxl's grid)
    extent_column: int = -1
    longest_cell: int = 0  # XML bytes of the longest cell measured (cells read in bulk are under CELL_SAFE)
    string_refs: Counter[int] = field(default_factory=Counter)  # shared string index -> cells using it
    unknown_refs: int = 0  # shared-string cells whose index could not be read here: count the longest

    @property
    def rows(self) -> int:
        return self.last_row - self.first_row + 1 if self.cells else 0

    @property
    def columns(self) -> int:
        return self.last_column - self.first_column + 1 if self.cells else 0


@dataclass
class PackageFacts:
    """The package as inspected: part names, unpacked bytes, and the scanned sheets."""

    names: list[str]
    unpacked: int = 0
    string_bytes: int = 0
    string_lengths: list[int] = field(default_factory=list)  # XML bytes of each shared string, in order
    sheets: list[SheetFacts] = field(default_factory=list)

    @property
    def grid_cells(self) -> int:
        """A1 to the last cell tag of each sheet, added up: the cells openpyxl makes objects of when
        it loads the workbook and walks its sheets (empty ones included; the header search walks
        ``GRID_MIN_ROWS`` rows however few the sheet has)."""
        return sum(max(sheet.extent_row + 1, GRID_MIN_ROWS) * (sheet.extent_column + 1) for sheet in self.sheets)


def inspect_package(fh: IO[bytes], limits: Limits = Limits()) -> PackageFacts:
    """Read the zip package ``fh`` (seekable, binary) part by part; return what it holds or raise
    ``PackageRefused``. ``zipfile.BadZipFile`` and ``EOFError`` pass through for a broken zip."""
    _check_part_count(fh)
    fh.seek(0)
    with zipfile.ZipFile(fh) as package:
        infos = package.infolist()
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise PackageRefused("package_inconsistent", part=next(n for n in names if names.count(n) > 1))
    lowered = {name.lower() for name in names}
    if "xl/workbook.xml" in lowered and lowered & set(_FOREIGN_PARTS):
        raise PackageRefused("mixed_formats")
    declared = sum(info.file_size for info in infos)
    if declared > limits.max_unpacked:
        raise PackageRefused("unpacked_too_large", limit=limits.max_unpacked >> 20)
    for info in infos:
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PackageRefused("unsupported_compression")
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise PackageRefused("compression_bomb", part=_shown(info.filename),
                                 ratio=info.file_size // max(info.compress_size, 1))
    facts = PackageFacts(names)
    _check_workbook_targets(fh, infos)
    for info in infos:
        scan = info.filename.lower().endswith((".xml", ".rels"))
        scanner = _Scanner(info.filename, limits, facts) if scan else None
        for chunk in _unpacked(fh, info):
            if scanner:
                scanner.feed(chunk)
        if scanner:
            scanner.close()
        facts.unpacked += info.file_size
    _check_copies(facts, limits)
    return facts


def _check_copies(facts: PackageFacts, limits: Limits) -> None:
    """calamine gives every cell its own copy of its shared string, and python-calamine makes a row
    of Python strings at a time: a short file can reference one long string millions of times. The
    copies of a sheet must fit in ``max_unpacked``, and a row of its widest strings in ``MAX_ROW_BYTES``."""
    lengths = facts.string_lengths
    longest_string = max(lengths, default=0)
    for sheet in facts.sheets:
        copies = sum(lengths[i] * n for i, n in sheet.string_refs.items() if i < len(lengths))
        copies += sheet.unknown_refs * longest_string
        widest = max(longest_string if sheet.string_refs or sheet.unknown_refs else 0, sheet.longest_cell)
        if copies > limits.max_unpacked or sheet.columns * widest > MAX_ROW_BYTES:
            raise PackageRefused("strings_repeated", limit=limits.max_unpacked >> 20)


# --- The zip, unpacked with a bound ---------------------------------------------------------------

def _check_part_count(fh: IO[bytes]) -> None:
    """The number of parts from the end record, before zipfile builds an object for each."""
    fh.seek(0, 2)
    size = fh.tell()
    fh.seek(max(0, size - 65_557))
    tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return  # zipfile will say what is wrong
    (entries,) = struct.unpack("<H", tail[at + 10:at + 12])
    if entries == 0xFFFF or entries > MAX_PARTS:
        raise PackageRefused("too_many_parts", count="65535以上" if entries == 0xFFFF else entries)


def _unpacked(fh: IO[bytes], info: zipfile.ZipInfo):
    """The part's bytes in chunks, from its raw data: never more than its declared size."""
    fh.seek(info.header_offset)
    header = fh.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise PackageRefused("package_inconsistent", part=_shown(info.filename))
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    fh.seek(info.header_offset + 30 + name_length + extra_length)
    left = info.compress_size
    inflate = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    produced, crc = 0, 0
    while left > 0 or (inflate is not None and inflate.unconsumed_tail):
        if inflate is not None and inflate.unconsumed_tail:
            raw = inflate.unconsumed_tail
        else:
            raw = fh.read(min(CHUNK, left))
            if not raw:
                raise PackageRefused("package_inconsistent", part=_shown(info.filename))
            left -= len(raw)
        try:
            data = inflate.decompress(raw, CHUNK) if inflate is not None else raw
        except zlib.error as error:
            raise PackageRefused("package_inconsistent", part=_shown(info.filename)) from error
        produced += len(data)
        if produced > info.file_size:
            raise PackageRefused("package_inconsistent", part=_shown(info.filename))
        crc = zlib.crc32(data, crc)
        if data:
            yield data
        if inflate is not None and inflate.eof:
            break
    if produced != info.file_size or crc != info.CRC or (inflate is not None and not inflate.eof):
        raise PackageRefused("package_inconsistent", part=_shown(info.filename))


def _read_small(fh: IO[bytes], info: zipfile.ZipInfo, limit: int = 4 << 20) -> bytes:
    if info.file_size > limit:
        raise PackageRefused("xml_unreadable", part=_shown(info.filename), detail="部件过大")
    return b"".join(_unpacked(fh, info))


def _check_workbook_targets(fh: IO[bytes], infos: list[zipfile.ZipInfo]) -> None:
    """Every part the workbook points to (sheets, shared strings, styles…) must be an .xml part, and
    so scanned; only a macro project (.xlsm) may be binary."""
    rels = next((info for info in infos if info.filename.lower() == "xl/_rels/workbook.xml.rels"), None)
    if rels is None:
        return
    for tag in _RELATIONSHIP.findall(_read_small(fh, rels)):
        target = _REL_TARGET.search(tag)
        if target is None or _EXTERNAL.search(tag) or _VBA_PROJECT.search(tag):
            continue
        path = (target.group(1) or target.group(2)).decode("utf-8", "replace")
        if not path.lower().endswith(".xml"):
            raise PackageRefused("xml_unreadable", part=_shown(path), detail="工作簿指向的部件不是XML")


def _shown(name: str) -> str:
    return name if len(name) <= 60 else name[:57] + "…"


# --- The XML scan ---------------------------------------------------------------------------------

class _Scanner:
    """Streams one part: every ``<c>``, ``<row>`` and ``<si>`` start tag, in order."""

    def __init__(self, part: str, limits: Limits, facts: PackageFacts):
        self.part, self.limits, self.facts = part, limits, facts
        self.sheet = SheetFacts(part)
        self.tail = b""
        self.offset = 0  # of ``tail`` in the part
        self.started = False
        self.row = -1  # the current row, 0-based, as calamine counts it
        self.column = -1  # the last cell's column in this row
        self.open_at = -1  # where the last cell or string began (its XML must stay short)
        self.open_string = False
        self.pattern = _TOKEN

    def feed(self, chunk: bytes) -> None:
        data = self.tail + chunk
        if not self.started:
            if len(data) < 256 and chunk:
                self.tail = data
                return
            self.started = True
            prolog = _PROLOG.match(data)
            if prolog:
                data = data[prolog.end():]
                self.offset += prolog.end()
        cut = data.rfind(b"<")
        if cut < 0 or not chunk:
            cut = len(data)
        if len(data) - cut > MAX_TAG_BYTES + MAX_CELL_BYTES:
            raise PackageRefused("cell_too_large", limit=MAX_CELL_BYTES >> 10)
        self._scan(data, cut)
        self.offset += cut
        self.tail = data[cut:]
        self._check_span(self.offset)

    def close(self) -> None:
        if self.tail or not self.started:
            self.feed(b"")
        self._close_span(self.offset)
        sheet = self.sheet
        if sheet.cell_tags:
            self.facts.sheets.append(sheet)
        self._check_range()

    def _scan(self, data: bytes, end: int) -> None:
        """The tokens of ``data[:end]``: runs of plain rows or strings in bulk (``_bulk``), the rest
        one token at a time; then the filled range is checked, once per chunk."""
        if self.pattern is _TOKEN and _PREFIX_HINT.search(data, 0, end):
            self.pattern = _TOKEN_PREFIXED
        start = self._bulk(data, end) if self.pattern is _TOKEN else 0
        self._tokens(data, start, end)
        self._check_range()

    def _bulk(self, data: bytes, end: int) -> int:
        """Read a run of whole rows (a worksheet) or strings (the string table) in ``data[:end]`` at
        once, when a grammar of plain markup (``_row_grammar``, ``_STRINGS``) matches all of it: the
        tokens in it are then exactly its row, cell and string tags, so counting tags and reading
        the row numbers finds what the token loop would. The tokens before the run are read first;
        returns where the token loop goes on (0: nothing read here)."""
        start = data.find(b"<row ", 0, end)
        if start >= 0:
            return self._bulk_rows(data, start, end)
        start = data.find(b"<si>", 0, end)
        if start >= 0:
            return self._bulk_strings(data, start, end)
        return 0

    def _bulk_rows(self, data: bytes, start: int, end: int) -> int:
        sheet = self.sheet
        if not sheet.cells:  # the first rows one token at a time: they give the columns in use
            for _ in range(BULK_LEARN_ROWS):
                start = data.find(b"<row ", start + 1, end)
                if start < 0:
                    return 0
        last_end = data.rfind(b"</row>", start, end)
        if last_end < 0:
            return 0
        stop = last_end + 6
        self._tokens(data, 0, start)
        if not sheet.cells or sheet.last_column - sheet.first_column >= BULK_MAX_COLUMNS:
            return start
        # Every cell in the run lies in a row of the run and in a column already in the filled range,
        # and every row holds something: the range can grow only in rows.
        if _row_grammar(sheet.first_column, sheet.last_column).fullmatch(data, start, stop) is None:
            return start
        numbers = list(map(int, _ROW_NUMBER.findall(data, start, stop)))
        low, high = min(numbers) - 1, max(numbers) - 1
        if low < 0 or high >= min(EXCEL_ROWS, self.limits.max_rows):
            return start  # the token loop refuses it, exactly where it would
        if self.open_at >= 0:
            self._close_span(self.offset + start)
        sheet.cell_tags += data.count(b'<c r="', start, stop)
        sheet.cells += data.count(b"</c>", start, stop)
        sheet.first_row = min(sheet.first_row, low)
        sheet.last_row = max(sheet.last_row, high)
        sheet.extent_row = max(sheet.extent_row, high)
        if data.find(b' t="s"><v>', start, stop) >= 0:
            sheet.string_refs.update(map(int, _SHARED_INDEX.findall(data, start, stop)))
        at = data.rfind(b'<row r="', start, stop) + 8
        self.row = int(data[at:data.index(b'"', at)]) - 1
        letters = _LETTERS.match(data, data.rfind(b'<c r="', start, stop) + 6).group()
        column = _COLUMNS.get(letters)
        self.column = _column(letters, b"") if column is None else column
        return stop

    def _bulk_strings(self, data: bytes, start: int, end: int) -> int:
        stop = data.rfind(b"<si>", start, end)  # the strings before the last one start: all whole
        if stop <= start:
            return 0
        self._tokens(data, 0, start)
        if _STRINGS.fullmatch(data, start, stop) is None:
            return start
        if self.open_at >= 0:
            self._close_span(self.offset + start)
        lengths = list(map(len, data[start:stop].split(b"<si>")))
        del lengths[0]  # what precedes the first <si>: nothing
        total = sum(lengths) + 4 * len(lengths)
        if max(lengths) + 4 > MAX_CELL_BYTES or self.facts.string_bytes + total > self.limits.max_strings:
            return start  # the token loop refuses it, exactly where it would
        self.facts.string_lengths.extend(map((4).__add__, lengths))
        self.facts.string_bytes += total
        return stop

    def _tokens(self, data: bytes, start: int, end: int) -> None:
        sheet, limits, offset, columns = self.sheet, self.limits, self.offset, _COLUMNS
        for match in self.pattern.finditer(data, start, end):
            kind, attributes = match.group(1, 2)
            if self.open_at >= 0:
                self._close_span(offset + match.start())
            if kind is None:
                if match.group(0)[1:2] in (b"!", b"?"):
                    raise PackageRefused("xml_declarations", part=_shown(self.part))
                if match.group(0)[1:2] != b"/":
                    raise PackageRefused("xml_unreadable", part=_shown(self.part), detail="无法识别的标记")
                continue
            if kind == b"si":
                self.open_at, self.open_string = offset + match.start(), True
                continue
            first = _FIRST_R.match(attributes)
            if first is None:
                letters = digits = None
                rest = attributes
            else:
                letters, digits = first.groups()
                rest = attributes[first.end():]
            shape = _SHAPES.get(rest)
            if shape is None:
                shape = _shape(rest)
                if shape is None:  # an attribute not quoted: the > found may not be the tag's end
                    raise PackageRefused("xml_unreadable", part=_shown(self.part), detail="无法识别的标记")
                if len(_SHAPES) < 4096:
                    _SHAPES[rest] = shape
            empty, other_r, shared = shape
            if other_r:  # r="…" not first, in single quotes, or twice
                letters, digits = self._reference(rest, None if digits is None else letters + digits)
            if kind == b"row":
                if letters:
                    raise PackageRefused("cell_outside_grid", ref=(letters + digits).decode())
                self.row = self.row + 1 if digits is None else _row(digits)
                self.column = -1
                continue
            # A cell: calamine places one without a reference after the previous one in its row.
            if digits is None:
                row, column = max(self.row, 0), self.column + 1
            else:
                if not letters:
                    raise PackageRefused("cell_outside_grid", ref=digits.decode())
                row = int(digits) - 1
                if row < 0 or row >= EXCEL_ROWS:
                    raise PackageRefused("cell_outside_grid", ref=(letters + digits).decode())
                column = columns.get(letters)
                if column is None:
                    column = _column(letters, digits)
            self.column = column
            sheet.cell_tags += 1
            if row > sheet.extent_row:
                sheet.extent_row = row
            if column > sheet.extent_column:
                sheet.extent_column = column
            if empty:  # <c …/> holds nothing: calamine leaves it out of the range
                continue
            self.open_at = offset + match.start()
            sheet.cells += 1
            if shared:  # a shared string: which one?
                value = _SHARED_VALUE.match(data, match.end())
                if value is None:
                    sheet.unknown_refs += 1
                else:
                    index = int(value.group(1))
                    sheet.string_refs[index] = sheet.string_refs.get(index, 0) + 1
            if row < sheet.first_row:
                sheet.first_row = row
            if row > sheet.last_row:
                sheet.last_row = row
                if row >= limits.max_rows:
                    raise PackageRefused("too_many_rows", rows=row + 1, limit=limits.max_rows)
            if column < sheet.first_column:
                sheet.first_column = column
            if column > sheet.last_column:
                sheet.last_column = column

    def _reference(self, rest: bytes, first: bytes | None) -> tuple[bytes | None, bytes | None]:
        values = [a or b for a, b in _R_VALUES.findall(rest)] + ([first] if first is not None else [])
        if len(values) != 1:
            raise PackageRefused("xml_unreadable", part=_shown(self.part), detail="单元格位置属性有误")
        ref = _REF.fullmatch(values[0])
        if ref is None:
            raise PackageRefused("cell_outside_grid", ref=values[0][:20].decode("ascii", "replace"))
        return ref.group(1), ref.group(2)

    def _close_span(self, at: int) -> None:
        if self.open_at < 0:
            return
        span = at - self.open_at
        if span > MAX_CELL_BYTES:
            raise PackageRefused("cell_too_large", limit=MAX_CELL_BYTES >> 10)
        if not self.open_string and span > self.sheet.longest_cell:
            self.sheet.longest_cell = span
        if self.open_string:
            self.facts.string_lengths.append(span)
            self.facts.string_bytes += span
            if self.facts.string_bytes > self.limits.max_strings:
                raise PackageRefused("strings_too_large", limit=self.limits.max_strings >> 20)
        self.open_at, self.open_string = -1, False

    def _check_span(self, at: int) -> None:
        if self.open_at >= 0 and at - self.open_at > MAX_CELL_BYTES:
            raise PackageRefused("cell_too_large", limit=MAX_CELL_BYTES >> 10)

    def _check_range(self) -> None:
        sheet = self.sheet
        if sheet.cells and sheet.rows * sheet.columns > self.limits.max_cells:
            raise PackageRefused("range_too_large", rows=sheet.rows, columns=sheet.columns,
                                 ref=_cell_name(sheet.last_row, sheet.last_column), limit=self.limits.max_cells)


# --- The bulk read of plain rows and strings (``_Scanner._bulk``) -----------------------------------
# A cell the row grammar accepts is at most 4,093 bytes of XML (its texts are bounded), under
# ``CELL_SAFE``: no limit can tell it from a shorter one, so the bulk read does not measure cells.
CELL_SAFE = MAX_ROW_BYTES // EXCEL_COLUMNS
BULK_LEARN_ROWS = 8
BULK_MAX_COLUMNS = 256
_WS = rb"\s{0,32}+"
_ROW_ATTRIBUTES = (rb'(?: (?:spans|s|customFormat|ht|customHeight|hidden|outlineLevel|collapsed|thickTop|thickBot|ph'
                   rb'|x14ac:dyDescent)="[\w.:-]{0,32}+")*+')
_CELL_KINDS = rb'(?: t="(?:n|b|e|str|inlineStr|d)")?+'
_CELL_CONTENT = (rb'(?:<is><t(?: xml:space="preserve")?+>[^<]{0,3800}+</t></is>'
                 rb'|(?:<f>[^<]{0,1900}+</f>|<f [^<>]{0,200}+>[^<]{0,1900}+</f>|<f [^<>]{0,200}+/>)?+'
                 rb'(?:<v>[^<]{0,1900}+</v>)?+)')
_ROW_NUMBER = re.compile(rb'<row r="([0-9]{1,7})"')
_SHARED_INDEX = re.compile(rb' t="s"><v>([0-9]{1,9})</v>')
_LETTERS = re.compile(rb"[A-Z]{1,3}")
_STRING_TEXT = rb'<t(?: xml:space="preserve")?+(?:/>|>[^<]*+</t>)'
_STRING_ATTRIBUTES = rb'(?: [A-Za-z]{1,32}="[^"<>]{0,64}+")*+'
_STRINGS = re.compile(
    rb'(?:<si>(?:' + _STRING_TEXT + rb'|(?:<r>(?:<rPr>(?:<(?:rFont|b|i|strike|condense|extend|outline|shadow|u'
    rb'|vertAlign|sz|color|family|charset|scheme)' + _STRING_ATTRIBUTES + rb'/>)*+</rPr>)?+' + _STRING_TEXT
    + rb'</r>)++)(?:<rPh' + _STRING_ATTRIBUTES + rb'>' + _STRING_TEXT + rb'</rPh>)*+(?:<phoneticPr'
    + _STRING_ATTRIBUTES + rb'/>)?+</si>' + _WS + rb')*+')


@functools.lru_cache(maxsize=64)
def _row_grammar(first_column: int, last_column: int) -> re.Pattern[bytes]:
    """Whole rows of plain cells: each cell's reference names its row (``\\1``) and a column from
    ``first_column`` to ``last_column``; shared-string cells hold an index; other texts are bounded."""
    names = [_cell_name(0, column)[:-1].encode() for column in range(first_column, last_column + 1)]
    if all(len(name) == 1 for name in names):
        letters = b"[" + names[0] + b"-" + names[-1] + b"]"
    else:
        letters = b"(?:" + b"|".join(sorted(names, key=len, reverse=True)) + b")"
    tag = b'<c r="' + letters + rb'\1"(?: s="[0-9]{1,5}")?+'
    shared = rb' t="s"><v>[0-9]{1,9}</v></c>'
    empty = tag + _CELL_KINDS + b"/>" + _WS
    full = tag + b"(?:" + shared + b"|" + _CELL_KINDS + b">" + _CELL_CONTENT + b"</c>)" + _WS
    cell = tag + b"(?:" + shared + b"|" + _CELL_KINDS + b"(?:/>|>" + _CELL_CONTENT + b"</c>))" + _WS
    row = (rb'<row r="([0-9]{1,7})"' + _ROW_ATTRIBUTES + b">" + _WS + b"(?:" + empty + b")*+" + full
           + b"(?:" + cell + b")*+</row>" + _WS)  # a row holds something
    return re.compile(b"(?:" + row + b")*+")


_COLUMNS: dict[bytes, int] = {}
_SHAPES: dict[bytes, tuple[bytes, bool, bool]] = {}  # the attributes after r="…", as read by _shape


def _shape(rest: bytes) -> tuple[bytes, bool, bool] | None:
    """For a tag's attributes after its leading r="…": whether it ends with ``/`` (empty), names
    another ``r``, and is a shared-string cell (t="s"); None if an attribute is not quoted."""
    shape = _ATTRIBUTES.fullmatch(rest)
    if shape is None:
        return None
    return shape.group(1), bool(_R_ELSEWHERE.search(rest)), bool(_T_SHARED.search(rest))


def _row(digits: bytes, letters: bytes = b"") -> int:
    row = int(digits) - 1
    if not 0 <= row < EXCEL_ROWS:
        raise PackageRefused("cell_outside_grid", ref=(letters + digits).decode())
    return row


def _column(letters: bytes, digits: bytes) -> int:
    """0-based index of a column's letters (case as calamine: any), remembered once computed."""
    column = 0
    for letter in letters.upper():
        column = column * 26 + letter - 64
    if column > EXCEL_COLUMNS:
        raise PackageRefused("cell_outside_grid", ref=(letters + digits).decode())
    _COLUMNS[letters] = column - 1
    return column - 1


def _cell_name(row: int, column: int) -> str:
    letters, index = "", column + 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"
