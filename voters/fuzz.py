"""Malformed and hostile voter workbooks, generated from a seed, for the fuzz test
(``tests/voters/test_import_fuzz.py``) and its longer run (``manage.py bench_fuzz``).

``hostile_workbooks(seed, count, scale=…)`` yields ``Sample`` objects: the bytes of an upload, the
name it is uploaded under, its kind, and whether it must be refused (every bomb must; a merely
broken file may also end in a clean preview or a list of row errors). The files are written here
as zip packages from XML text, so that they can say anything: cells far outside the grid, lying
``<dimension>`` and zip sizes, compression bombs, huge shared and inline strings, entity bombs,
deeply nested XML, formulas and error values, dates out of range, truncated and bit-flipped zips,
wrong or missing content types, parts of other formats. ``scale`` multiplies the sizes of the
bombs: 1 keeps every file small (kilobytes, a few MB unpacked) for the test suite, which runs with
small limits (``TEST_LIMITS``); ``bench_fuzz`` uses larger ones against the default limits.

Each ``Sample`` goes through the real import service, ``start_import`` (the upload view's call;
with ``background=True`` the task worker's ``check_import``), by ``run_samples``.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from xml.sax.saxutils import escape

from .idnumber import check_character

# Limits for the fuzz test: small, so that small files can pass them (the defaults are far larger).
TEST_LIMITS = {"VOTER_IMPORT_MAX_ROWS": 5000, "VOTER_IMPORT_MAX_CELLS": 60_000,
               "VOTER_IMPORT_MAX_UNPACKED_MB": 8, "VOTER_IMPORT_MAX_ISSUES": 200}

HEADER = ("姓名", "性别", "出生日期", "公民身份号码", "村民小组", "登记类别", "民族", "备注")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_CT_BOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_CT_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


@dataclass(frozen=True)
class Sample:
    kind: str
    filename: str
    data: bytes
    must_refuse: bool = False


# --- Building packages ----------------------------------------------------------------------------

def content_types(sheets: int = 1, strings: bool = False, book_type: str = _CT_BOOK) -> str:
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_CT_SHEET}"/>'
                        for n in range(1, sheets + 1))
    if strings:
        overrides += f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT_STRINGS}"/>'
    return (f'{_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{book_type}"/>{overrides}</Types>')


def package(sheet_xml: str | bytes | list, *, strings: str | bytes | None = None, extra: dict | None = None,
            types: str | None = None, compression: int = zipfile.ZIP_DEFLATED, names: list[str] | None = None,
            targets: list[str] | None = None) -> bytes:
    """An .xlsx package of the given worksheet XML (one or a list), optional shared strings XML and
    extra parts; ``types`` replaces [Content_Types].xml, ``targets`` the sheet paths in the rels."""
    sheets = sheet_xml if isinstance(sheet_xml, list) else [sheet_xml]
    names = names or [f"名单{n}" if n > 1 else "选民名单" for n in range(1, len(sheets) + 1)]
    targets = targets or [f"worksheets/sheet{n}.xml" for n in range(1, len(sheets) + 1)]
    book = (f'{_DECL}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            + "".join(f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(names, 1))
            + "</sheets></workbook>")
    rels = "".join(f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="{target}"/>'
                   for n, target in enumerate(targets, 1))
    if strings is not None:
        rels += f'<Relationship Id="rId99" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
    parts = {
        "[Content_Types].xml": types if types is not None else content_types(len(sheets), strings is not None),
        "_rels/.rels": (f'{_DECL}<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
                        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": book,
        "xl/_rels/workbook.xml.rels": f'{_DECL}<Relationships xmlns="{_PKG_REL}">{rels}</Relationships>',
    }
    for target, xml in zip(targets, sheets):
        parts["xl/" + target.lstrip("/")] = xml
    if strings is not None:
        parts["xl/sharedStrings.xml"] = strings
    parts.update(extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def worksheet(rows_xml: str, *, dimension: str | None = None, before: str = "", after: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'{_DECL}<worksheet xmlns="{_MAIN}">{dim}{before}<sheetData>{rows_xml}</sheetData>{after}</worksheet>'


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def letter(column: int) -> str:
    letters, index = "", column + 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def voter_values(rnd: random.Random, n: int) -> list[str]:
    born = date(1940, 1, 1) + timedelta(days=rnd.randrange(0, 22000))
    first17 = f"330102{born:%Y%m%d}{rnd.randrange(1000):03d}"
    return [f"村民{n}", "男" if int(first17[-1]) % 2 else "女", born.isoformat(), first17 + check_character(first17),
            f"第{1 + n % 2}组", "户籍在本村且在本村居住", "汉族", ""]


def rows_xml(rows: list[list[str]], *, first_row: int = 1) -> str:
    out = []
    for r, values in enumerate(rows, start=first_row):
        cells = "".join(text_cell(f"{letter(c)}{r}", v) for c, v in enumerate(values) if v != "")
        out.append(f'<row r="{r}">{cells}</row>')
    return "".join(out)


def clean_list(rnd: random.Random, voters: int) -> str:
    return rows_xml([list(HEADER), *(voter_values(rnd, n) for n in range(1, voters + 1))])


# --- The kinds ------------------------------------------------------------------------------------

def _far_cell(rnd, scale):
    ref = rnd.choice(["XFD1048576", "XFD1", "A1048576", f"{letter(rnd.randrange(300, 16384))}{rnd.randrange(6000, 1048577)}",
                      "ZZZZ9", "A99999999", "A0"])
    row = int("".join(ch for ch in ref if ch.isdigit()) or 1)
    body = clean_list(rnd, 3) + f'<row r="{max(row, 5)}"><c r="{ref}"><v>1</v></c></row>'
    return Sample("far_cell", "名单.xlsx", package(worksheet(body)), must_refuse=ref != "XFD1")  # 4 x 16,384 cells may do


def _lying_dimension(rnd, scale):
    dimension = rnd.choice(["A1:XFD1048576", "A1:A1", "ZZ1:A1", "B3", "nonsense"])
    return Sample("lying_dimension", "名单.xlsx", package(worksheet(clean_list(rnd, 4), dimension=dimension)))


def _wide_range(rnd, scale):
    body = clean_list(rnd, 2) + f'<row r="{400 * scale}"><c r="{letter(200 * scale)}{400 * scale}"><v>7</v></c></row>'
    return Sample("wide_range", "名单.xlsx", package(worksheet(body)), must_refuse=True)


def _many_cells(rnd, scale):
    count = 70_000 * scale  # past TEST_LIMITS["VOTER_IMPORT_MAX_CELLS"]: every one of them holds a value
    per_row = 50
    body = "".join(f'<row r="{r + 1}">' + f"<c><v>{r}</v></c>" * per_row + "</row>" for r in range(count // per_row))
    return Sample("many_cells", "名单.xlsx", package(worksheet(rows_xml([list(HEADER)]) + body.replace(
        '<row r="1">', '<row r="2">', 1))), must_refuse=True)


def _rowless(rnd, scale):
    rows = "".join("<row>" + "".join(f"<c t=\"inlineStr\"><is><t>{v}</t></is></c>" for v in values) + "</row>"
                   for values in [list(HEADER), *(voter_values(rnd, n) for n in range(1, 4))])
    return Sample("rowless_cells", "名单.xlsx", package(worksheet(rows)))


def _rowless_flood(rnd, scale):
    body = rows_xml([list(HEADER)]) + "<row/>" * (6000 * scale) + "<row><c><v>1</v></c></row>"
    return Sample("rowless_flood", "名单.xlsx", package(worksheet(body)), must_refuse=True)


def _zip_bomb(rnd, scale):
    size = (9 << 20) * scale  # past 8 MB unpacked, and 1,000 times smaller packed
    padding = " " * size
    return Sample("zip_bomb", "名单.xlsx", package(worksheet(clean_list(rnd, 2), after=f"<x>{padding}</x>")),
                  must_refuse=True)


def _ratio_bomb(rnd, scale):
    size = (3 << 20) * scale  # under the unpacked limit, but packed 1,000 to 1
    return Sample("ratio_bomb", "名单.xlsx", package(worksheet(clean_list(rnd, 2), before=" " * size)),
                  must_refuse=True)


def _lying_zip_sizes(rnd, scale):
    """A part whose zip records say it is small while it unpacks to far more."""
    data = bytearray(package(worksheet(clean_list(rnd, 2), after="<x>" + " " * (2 << 20) * scale + "</x>")))
    central = data.rfind(b"PK\x01\x02", 0, len(data))
    while central >= 0:
        name_length = struct.unpack("<H", data[central + 28:central + 30])[0]
        name = bytes(data[central + 46:central + 46 + name_length])
        if name.endswith(b"sheet1.xml"):
            data[central + 24:central + 28] = struct.pack("<I", 4000)  # uncompressed size
            offset = struct.unpack("<I", data[central + 42:central + 46])[0]
            data[offset + 22:offset + 26] = struct.pack("<I", 4000)
            break
        central = data.rfind(b"PK\x01\x02", 0, central)
    return Sample("lying_zip_sizes", "名单.xlsx", bytes(data), must_refuse=True)


def _huge_shared_string(rnd, scale):
    piece = rnd.choice(["字", "x", "&amp;"])
    text = piece * ((700 * 1024 * scale) // len(piece.encode()))
    strings = f'{_DECL}<sst xmlns="{_MAIN}" count="2" uniqueCount="2"><si><t>姓名</t></si><si><t>{text}</t></si></sst>'
    cells = "".join(f'<c r="{letter(c)}2" t="s"><v>1</v></c>' for c in range(8))
    sheet = worksheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>' f'<row r="2">{cells}</row>')
    return Sample("huge_shared_string", "名单.xlsx", package(sheet, strings=strings), must_refuse=True)


def _rich_text_string(rnd, scale):
    runs = "<r><t>字字字字字字字字</t></r>" * (40_000 * scale)  # one string of many runs, 1 MB of XML
    strings = f'{_DECL}<sst xmlns="{_MAIN}"><si><t>姓名</t></si><si>{runs}</si></sst>'
    sheet = worksheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>')
    return Sample("rich_text_string", "名单.xlsx", package(sheet, strings=strings), must_refuse=True)


def _repeated_string(rnd, scale):
    """One long (but allowed) shared string in many cells: calamine copies it into each."""
    text = "字" * 40_000  # 120 KB of XML, under the 512 KB a cell may hold
    strings = f'{_DECL}<sst xmlns="{_MAIN}"><si><t>姓名</t></si><si><t>{text}</t></si></sst>'
    width = rnd.choice([8, 200, 2000])
    rows = "".join(f'<row r="{r}">' + "".join(f'<c r="{letter(c)}{r}" t="s"><v>1</v></c>' for c in range(width)) + "</row>"
                   for r in range(2, 2 + max(1, 100 * scale // width + 1)))
    sheet = worksheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>' + rows)
    return Sample("repeated_string", "名单.xlsx", package(sheet, strings=strings), must_refuse=True)


def _many_strings(rnd, scale):
    count = 30_000 * scale  # 2.4 MB of strings: past a quarter of 8 MB
    strings = f'{_DECL}<sst xmlns="{_MAIN}">' + "".join(f"<si><t>{n:060d}</t></si>" for n in range(count)) + "</sst>"
    return Sample("many_strings", "名单.xlsx", package(worksheet(clean_list(rnd, 2)), strings=strings),
                  must_refuse=True)


def _huge_inline_string(rnd, scale):
    body = clean_list(rnd, 2) + f'<row r="9">{text_cell("A9", "长" * (300_000 * scale))}</row>'
    return Sample("huge_inline_string", "名单.xlsx", package(worksheet(body)), must_refuse=True)


def _long_cells(rnd, scale):
    """Long but possible texts (Excel's 32,767 characters): read, reported as too long."""
    values = voter_values(rnd, 1)
    values[0] = "名" * rnd.choice([300, 5000, 32767])
    values[7] = "注" * 32767
    return Sample("long_cells", "名单.xlsx", package(worksheet(rows_xml([list(HEADER), values]))))


def _entity_bomb(rnd, scale):
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    sheet = (f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]><worksheet xmlns="{_MAIN}"><sheetData>'
             f'<row r="1">{text_cell("A1", "姓名")}<c r="B1" t="inlineStr"><is><t>&i;</t></is></c></row>'
             "</sheetData></worksheet>")
    target = rnd.choice(["sheet", "strings", "workbook"])
    if target == "strings":
        strings = f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]><sst xmlns="{_MAIN}"><si><t>&i;</t></si></sst>'
        return Sample("entity_bomb", "名单.xlsx", package(worksheet(clean_list(rnd, 2)), strings=strings),
                      must_refuse=True)
    if target == "workbook":
        data = package(worksheet(clean_list(rnd, 2)))
        return Sample("entity_bomb", "名单.xlsx", _replace_part(data, "xl/workbook.xml", lambda xml: xml.replace(
            b"<workbook", f"<!DOCTYPE workbook [{entities}]><workbook".encode(), 1)), must_refuse=True)
    return Sample("entity_bomb", "名单.xlsx", package(sheet), must_refuse=True)


def _comment_hides_cell(rnd, scale):
    hidden = rnd.choice(['<!-- <c r="XFD1048576"><v>1</v></c> -->', '<![CDATA[<c r="XFD1048576">]]>',
                         '<?pi <row r="1048576"> ?>'])
    body = clean_list(rnd, 2) + f'<row r="7">{hidden}<c r="B7"><v>1</v></c></row>'
    return Sample("comment_in_sheet", "名单.xlsx", package(worksheet(body)), must_refuse=True)


def _odd_attributes(rnd, scale):
    tag = rnd.choice(['<c foo="<" r="E9">', "<c r='XFD1048576' r=\"A1\">", '<c r="A9" r="XFD1048576">',
                      '<c r="$A$9">', '<c r = "XFD1048576">', "<c\tr='XFD1048576'\n>", '<c s="1" r="XFD1048576">',
                      '<x:c r="XFD1048576">'])
    body = clean_list(rnd, 2) + f'<row r="9">{tag}<v>1</v></c></row>'
    if "x:c" in tag:
        body = body.replace("</c></row>", "</x:c></row>")
    return Sample("odd_attributes", "名单.xlsx", package(worksheet(body)), must_refuse=True)


def _prefixed(rnd, scale):
    body = clean_list(rnd, 3).replace("<row", "<x:row").replace("</row>", "</x:row>").replace(
        "<c ", "<x:c ").replace("</c>", "</x:c>").replace("<is>", "<x:is>").replace("</is>", "</x:is>").replace(
        "<t>", "<x:t>").replace("</t>", "</x:t>")
    sheet = (f'{_DECL}<x:worksheet xmlns:x="{_MAIN}"><x:sheetData>{body}</x:sheetData></x:worksheet>')
    return Sample("prefixed_xml", "名单.xlsx", package(sheet))


def _deep_xml(rnd, scale):
    depth = rnd.choice([1000, 50_000 * scale])
    where = rnd.choice(["cell", "sheet", "styles"])
    nest = "<d>" * depth + "</d>" * depth
    if where == "styles":
        return Sample("deep_xml", "名单.xlsx", package(worksheet(clean_list(rnd, 2)), extra={
            "xl/styles.xml": f'{_DECL}<styleSheet xmlns="{_MAIN}">{nest}</styleSheet>'}))
    if where == "cell":
        body = clean_list(rnd, 2) + f'<row r="5"><c r="A5" t="inlineStr"><is>{nest}<t>x</t></is></c></row>'
    else:
        body = clean_list(rnd, 2) + nest
    return Sample("deep_xml", "名单.xlsx", package(worksheet(body)))


def _formulas(rnd, scale):
    header = rows_xml([list(HEADER)])
    cells = rnd.choice([
        '<c r="A2" t="str"><f>HYPERLINK("http://x","张三")</f><v>张三</v></c>',
        '<c r="A2" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="D2" t="e"><v>#N/A</v></c>',
        '<c r="A2"><f t="shared" ref="A2:A9000" si="0">1+1</f><v>2</v></c>',
        '<c r="A2"><f t="array" ref="A2:XFD1048576">{1,2}</f><v>1</v></c>',
        '<c r="C2" t="b"><v>1</v></c><c r="D2" t="n"><v>3.30102198001011E+17</v></c>',
        '<c r="A2" t="str"><f>=cmd|\' /C calc\'!A0</f><v>x</v></c>',
        '<c r="D2" t="n"><v>NaN</v></c><c r="C2" t="n"><v>inf</v></c>',
    ])
    values = voter_values(rnd, 1)
    filled = "".join(text_cell(f"{letter(c)}2", v) for c, v in enumerate(values) if v and f'r="{letter(c)}2"' not in cells)
    return Sample("formulas", "名单.xlsx", package(worksheet(header + f'<row r="2">{cells}{filled}</row>')))


def _dates_out_of_range(rnd, scale):
    styles = (f'{_DECL}<styleSheet xmlns="{_MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
              '</numFmts><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/>'
              '</borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf/>'
              '<xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>')
    value = rnd.choice(["1e308", "-1", "-1e308", "2958466", "99999999", "0", "60", "1.5e15", "-0.5", "NaN"])
    typed = rnd.choice([f'<c r="C2" s="1"><v>{value}</v></c>',
                        f'<c r="C2" t="d"><v>{rnd.choice(["99999-01-01", "0000-00-00", "2024-13-45T99:99", "x"])}</v></c>',
                        f'<c r="C2" t="n" s="1"><v>{value}</v></c>'])
    values = voter_values(rnd, 1)
    filled = "".join(text_cell(f"{letter(c)}2", v) for c, v in enumerate(values) if v and c != 2)
    sheet = worksheet(rows_xml([list(HEADER)]) + f'<row r="2">{typed}{filled}</row>')
    return Sample("dates_out_of_range", "名单.xlsx", package(sheet, extra={"xl/styles.xml": styles}))


def _truncated(rnd, scale):
    data = package(worksheet(clean_list(rnd, rnd.randrange(1, 30))))
    return Sample("truncated_zip", "名单.xlsx", data[:rnd.randrange(1, len(data))])


def _bit_flips(rnd, scale):
    data = bytearray(package(worksheet(clean_list(rnd, rnd.randrange(1, 30))), compression=rnd.choice(
        [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])))
    for _ in range(rnd.randrange(1, 12)):
        data[rnd.randrange(len(data))] = rnd.randrange(256)
    return Sample("bit_flips", "名单.xlsx", bytes(data))


def _content_types(rnd, scale):
    choice = rnd.randrange(6)
    sheet = worksheet(clean_list(rnd, 3))
    if choice == 0:
        return Sample("content_types", "名单.xlsx", package(sheet, types=""))
    if choice == 1:
        return Sample("content_types", "名单.xlsx", package(sheet, types=content_types(
            book_type="application/vnd.ms-excel.sheet.macroEnabled.main+xml")))
    if choice == 2:
        return Sample("content_types", "名单.xlsx", package(sheet, types="<Types><<<"))
    if choice == 3:
        data = package(sheet)
        return Sample("content_types", "名单.xlsx", _drop_part(data, "[Content_Types].xml"))
    if choice == 4:
        return Sample("content_types", "名单.xlsx", package(sheet, types=content_types().replace(
            _CT_SHEET, "application/vnd.openxmlformats-officedocument.spreadsheetml.chartsheet+xml")))
    return Sample("content_types", "名单.xlsx", package(sheet, types=content_types().replace(
        _CT_BOOK, "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")))


def _other_formats(rnd, scale):
    sheet = worksheet(clean_list(rnd, 2))
    choice = rnd.randrange(5)
    if choice == 0:  # an .ods bomb beside the workbook
        ods = ('<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:spreadsheet>'
               '<table:table table:name="a"><table:table-row table:number-rows-repeated="1048576">'
               '<table:table-cell table:number-columns-repeated="16384"><text:p>1</text:p></table:table-cell>'
               "</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>")
        return Sample("other_formats", "名单.xlsx", package(sheet, extra={"content.xml": ods, "mimetype":
                      "application/vnd.oasis.opendocument.spreadsheet"}), must_refuse=True)
    if choice == 1:
        return Sample("other_formats", "名单.xlsx", package(sheet, extra={"xl/workbook.bin": b"\x83\x01\x00" * 50}),
                      must_refuse=True)
    if choice == 2:  # a sheet that is not XML
        return Sample("other_formats", "名单.xlsx", package(b"\x89PNG\r\n\x1a\n" + b"<c r=\"XFD1048576\"><v>1</v></c>",
                                                          targets=["media/image1.png"]), must_refuse=True)
    if choice == 3:
        return Sample("other_formats", "名单.xlsx", b"PK\x05\x06" + b"\x00" * 18)
    return Sample("other_formats", rnd.choice(["名单.xlsx", "名单.csv", "名单.xls"]),
                  rnd.choice([b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "姓名,性别\n张三,男\n".encode(),
                              bytes(rnd.randrange(256) for _ in range(300))]))


def _zip_tricks(rnd, scale):
    choice = rnd.randrange(4)
    sheet = worksheet(clean_list(rnd, 2))
    if choice == 0:  # two parts of one name: which would a reader take?
        data = package(sheet)
        buffer = io.BytesIO(data)
        with zipfile.ZipFile(buffer, "a") as archive, _quiet():
            archive.writestr("xl/worksheets/sheet1.xml", worksheet('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))
        return Sample("zip_tricks", "名单.xlsx", buffer.getvalue(), must_refuse=True)
    if choice == 1:
        return Sample("zip_tricks", "名单.xlsx", package(sheet, compression=zipfile.ZIP_BZIP2), must_refuse=True)
    if choice == 2:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for n in range(2100):
                archive.writestr(f"x/{n}", b"")
        return Sample("zip_tricks", "名单.xlsx", buffer.getvalue(), must_refuse=True)
    data = bytearray(package(sheet))
    central = data.find(b"PK\x01\x02")
    data[central + 8:central + 10] = struct.pack("<H", 1)  # "encrypted"
    return Sample("zip_tricks", "名单.xlsx", bytes(data))


def _many_errors(rnd, scale):
    rows = [list(HEADER)] + [[f"村民{n}", "不男不女", "不是日期", "123", "第九十九组", "乱写", "火星族", ""]
                             for n in range(1, 600 * scale)]
    return Sample("many_errors", "名单.xlsx", package(worksheet(rows_xml(rows))))


def _clean(rnd, scale):
    strings = rnd.random() < 0.5
    voters = [voter_values(rnd, n) for n in range(1, rnd.randrange(2, 40))]
    if not strings:
        return Sample("clean", "名单.xlsx", package(worksheet(rows_xml([list(HEADER), *voters]))))
    table: dict[str, int] = {}
    rows = []
    for r, values in enumerate([list(HEADER), *voters], start=1):
        cells = "".join(f'<c r="{letter(c)}{r}" t="s"><v>{table.setdefault(v, len(table))}</v></c>'
                        for c, v in enumerate(values) if v)
        rows.append(f'<row r="{r}">{cells}</row>')
    sst = f'{_DECL}<sst xmlns="{_MAIN}">' + "".join(f"<si><t>{escape(t)}</t></si>" for t in table) + "</sst>"
    return Sample("clean", "名单.xlsx", package(worksheet("".join(rows)), strings=sst))


def _garbage_xml(rnd, scale):
    junk = rnd.choice(["<row r='1'><c r='A1' t='s'><v>99999</v></c></row>", "<row><c r='A1'><v>1</v>",
                       "\x00\x01\x02", "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>\ud800</t></is></c></row>",
                       "</sheetData><sheetData>", "<row r=\"3\"><c r=\"A2\"><v>1</v></c></row>"])
    body = clean_list(rnd, 2) + junk
    return Sample("garbage_xml", "名单.xlsx", package(worksheet(body).encode("utf-8", "surrogatepass")))


KINDS: tuple[Callable[[random.Random, int], Sample], ...] = (
    _far_cell, _lying_dimension, _wide_range, _many_cells, _rowless, _rowless_flood, _zip_bomb, _ratio_bomb,
    _lying_zip_sizes, _huge_shared_string, _rich_text_string, _repeated_string, _many_strings, _huge_inline_string, _long_cells,
    _entity_bomb, _comment_hides_cell, _odd_attributes, _prefixed, _deep_xml, _formulas, _dates_out_of_range,
    _truncated, _bit_flips, _content_types, _other_formats, _zip_tricks, _many_errors, _clean, _garbage_xml,
)
# Kinds whose files are large to build or check: fewer of them, so the whole run stays quick.
_HEAVY = {_zip_bomb, _ratio_bomb, _lying_zip_sizes, _many_cells, _many_strings, _rich_text_string, _deep_xml,
          _repeated_string,
          _many_errors, _rowless_flood, _huge_shared_string}


def hostile_workbooks(seed: int, count: int, *, scale: int = 1) -> Iterator[Sample]:
    """``count`` samples: every kind in turn, then at random (heavy kinds a fifth as often)."""
    rnd = random.Random(seed)
    weights = [0.2 if kind in _HEAVY else 1.0 for kind in KINDS]
    for n in range(count):
        kind = KINDS[n] if n < len(KINDS) else rnd.choices(KINDS, weights)[0]
        yield kind(random.Random(rnd.getrandbits(64)), scale)


def _replace_part(data: bytes, name: str, change: Callable[[bytes], bytes]) -> bytes:
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info)
            archive.writestr(info.filename, change(content) if info.filename == name else content)
    return buffer.getvalue()


def _drop_part(data: bytes, name: str) -> bytes:
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != name:
                archive.writestr(info.filename, source.read(info))
    return buffer.getvalue()


class _quiet:
    """zipfile warns about a duplicate name; that is the point here."""

    def __enter__(self):
        import warnings

        self._catch = warnings.catch_warnings()
        self._catch.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc):
        self._catch.__exit__(*exc)


# --- Running them through the import service -------------------------------------------------------

@dataclass
class Outcome:
    kind: str
    must_refuse: bool
    outcome: str  # "refused" (a message, nothing read), "preview", "rejected" (row errors), "unexpected"
    code: str = ""
    message: str = ""
    annotated_bytes: int = 0
    seconds: float = 0.0

    @property
    def problem(self) -> str:
        """Why this outcome is wrong, or ""."""
        if self.outcome == "unexpected":
            return f"unexpected error: {self.message[-500:]}"
        if self.must_refuse and self.outcome != "refused":
            return f"not refused: {self.outcome}"
        if self.outcome == "refused" and not _CJK.search(self.message):
            return f"message not in Chinese: {self.message[:200]}"
        if len(self.message) > 2000:
            return f"message of {len(self.message)} characters"
        return ""


_CJK = __import__("re").compile("[\u4e00-\u9fff]")


def run_samples(samples, *, election, by) -> list[Outcome]:
    """Upload each sample through ``start_import`` (every other one as the task worker's check),
    then, for a file that was read, build the page summary and the annotated workbook download."""
    import time
    import traceback

    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile

    from .services import imports as service

    outcomes = []
    for n, sample in enumerate(samples):
        started = time.perf_counter()
        result = Outcome(sample.kind, sample.must_refuse, "unexpected")
        try:
            job = service.start_import(by=by, election=election, upload=ContentFile(sample.data),
                                       filename=sample.filename, background=bool(n % 2))
            job.refresh_from_db()
            if job.state == "failed":
                result.outcome, result.code, result.message = "refused", job.counts.get("code", ""), job.message
                if result.code == "unexpected":
                    result.outcome = "unexpected"
            else:
                result.outcome, result.code = job.state, job.state
                summary = service.summarize(job)
                result.message = " ".join(i["message"] for i in summary.problems[:3])
                if summary.can_annotate and (summary.errors or summary.warnings):
                    result.annotated_bytes = len(service.annotated_workbook(job))
        except ValidationError as error:
            result.outcome, result.code, result.message = "refused", error.code or "", " ".join(error.messages)
            if result.code == "unexpected":
                result.outcome = "unexpected"
        except Exception:  # noqa: BLE001 - what the fuzz run is looking for
            result.message = traceback.format_exc()
        result.seconds = time.perf_counter() - started
        outcomes.append(result)
    return outcomes


def in_child(function, *, address_space: int) -> tuple[object, dict]:
    """Run ``function()`` in a forked child whose address space is limited to ``address_space``
    bytes more than it starts with, so that a runaway allocation fails there and not on the machine.
    Returns its result and {"exitcode", "start_rss_mb", "peak_rss_mb"} (peak resident set, MB);
    the result is None if the child died."""
    import multiprocessing
    import os
    import resource

    reader, writer = multiprocessing.get_context("fork").Pipe(duplex=False)

    def child():
        with open(f"/proc/{os.getpid()}/statm") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (size + address_space, size + address_space))
        start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result = function()
        writer.send((result, start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
        writer.close()

    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    writer.close()
    try:
        result, start, peak = reader.recv()
    except EOFError:
        result, start, peak = None, 0.0, 0.0
    process.join()
    return result, {"exitcode": process.exitcode, "start_rss_mb": start, "peak_rss_mb": peak}
