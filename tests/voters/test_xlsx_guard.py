"""The package inspection's bulk read (voters/xlsx_guard.py, ``_Scanner._bulk``): runs of plain rows
and shared strings read at once find exactly what reading them one tag at a time finds, on the fuzz
test's hostile workbooks and on registers with random damage, read in chunks small enough that most
runs start and end inside them; and a cell the bulk read accepts is too short for any limit to see."""

from __future__ import annotations

import dataclasses
import io
import random
import struct
import zipfile

import pytest

from voters import fuzz, xlsx_guard

LIMITS = xlsx_guard.Limits(max_rows=5000, max_cells=60_000, max_unpacked=8 << 20)  # the fuzz test's
CHUNKS = (64, 300, 1000, 4096, xlsx_guard.CHUNK)
BROKEN = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError, NotImplementedError,
          struct.error)
DAMAGE = ("<", ">", '"', "/", " ", 'r="', "<c ", "</c>", "</row>", '<row r="9">', '<row r="0">', ' t="s"',
          "<!--", "<?x?>", "7", "A", "XFD", "\n", "'", "=", "<v>", "</v>", "<si>", "</si>", "<t>", "</t>", "x:",
          "<is>", ' s="1"', "<f>", '<c r="B9"/>', '<c r="A1048577">', "1048576", "<row>", "<c>", "</sheetData>",
          "<r>", "<rPr><b/></rPr>", '<row r="12"><c r="C12" s="1"/></row>', '<row r="13"></row>')
# Damage a row-by-row reader could misread: cells beside a cell of the same row (so that the row may
# still look plain) with a shared string but no readable index or of any empty kind; cells with no
# reference after a row's end (placed by the last row and column read); a row's end gone.
ODD_CELLS = ('<c r="{ref}" t="s"><v>x</v></c>', '<c r="{ref}" t="s"/>', '<c r="{ref}" t="s"></c>',
             '<c r="{ref}" t="s"><v>1234567890</v></c>', '<c r="{ref}" s="1" t="s"><v>07</v></c>',
             '<c r="{ref}" t="n"/>', '<c r="{ref}"></c>', '<c r="{ref}" t="str"><f>A1</f><v>1</v></c>',
             '<c r="{ref}" t="inlineStr"><is><t/></is></c>', '<c r="{ref}" s="1"/><v>1</v></c>')
STRAY_CELLS = ("<c><v>1</v></c>", '<c t="s"><v>0</v></c>', "<c/>", '<c s="1"><v>2</v></c><c><v>3</v></c>')


class Counting:
    """A pattern that counts its matches: the bulk read reaches ``_ROW_NUMBER`` and ``_STRINGS``
    only for runs it reads, so the comparison below is known to have compared something."""

    def __init__(self, pattern):
        self.pattern, self.matches = pattern, 0

    def findall(self, *args):
        self.matches += 1
        return self.pattern.findall(*args)

    def fullmatch(self, *args):
        found = self.pattern.fullmatch(*args)
        self.matches += found is not None
        return found


@pytest.fixture
def bulk_reads(monkeypatch):
    rows, strings = Counting(xlsx_guard._ROW_NUMBER), Counting(xlsx_guard._STRINGS)
    monkeypatch.setattr(xlsx_guard, "_ROW_NUMBER", rows)
    monkeypatch.setattr(xlsx_guard, "_STRINGS", strings)
    return rows, strings


def inspected(data: bytes, *, bulk: bool, chunk: int, monkeypatch) -> tuple:
    with monkeypatch.context() as patch:
        patch.setattr(xlsx_guard, "CHUNK", chunk)
        if not bulk:
            patch.setattr(xlsx_guard._Scanner, "_bulk", lambda self, data, end: 0)
        try:
            facts = xlsx_guard.inspect_package(io.BytesIO(data), LIMITS)
        except xlsx_guard.PackageRefused as refused:
            return ("refused", refused.code, refused.params)
        except BROKEN as error:
            return ("broken", type(error).__name__)
    return ("read", dataclasses.asdict(facts))


def assert_same(data: bytes, chunk: int, monkeypatch) -> None:
    one_by_one = inspected(data, bulk=False, chunk=chunk, monkeypatch=monkeypatch)
    bulk = inspected(data, bulk=True, chunk=chunk, monkeypatch=monkeypatch)
    if one_by_one[0] == "read" and bulk[0] == "read":
        # The bulk read does not measure its cells: each is under CELL_SAFE, which no limit can tell
        # from shorter. Every other fact must be the same.
        for slow, fast in zip(one_by_one[1]["sheets"], bulk[1]["sheets"], strict=True):
            measured, unmeasured = slow.pop("longest_cell"), fast.pop("longest_cell")
            assert unmeasured == measured or unmeasured <= measured <= xlsx_guard.CELL_SAFE
    assert bulk == one_by_one


def shared_string_register(rnd: random.Random, voters: int) -> tuple[str, str]:
    """Rows and a string table as Excel writes them: shared strings (some rich, some with phonetic
    properties), styled empty cells, numbers, row spans."""
    strings: dict[str, int] = {}
    rows = []
    for r in range(1, voters + 2):
        values = list(fuzz.HEADER) if r == 1 else fuzz.voter_values(rnd, r)
        cells = []
        for c, value in enumerate(values):
            ref = f"{fuzz.letter(c)}{r}"
            if value == "":
                cells.append(f'<c r="{ref}" s="3"/>' if rnd.random() < 0.5 else "")
            elif r > 1 and rnd.random() < 0.15:
                cells.append(f'<c r="{ref}" s="2"><v>{rnd.randrange(100_000)}</v></c>')
            else:
                cells.append(f'<c r="{ref}" s="1" t="s"><v>{strings.setdefault(value, len(strings))}</v></c>')
        rows.append(f'<row r="{r}" spans="1:8" x14ac:dyDescent="0.25">{"".join(cells)}</row>')
    items = []
    for text in strings:
        kind = rnd.random()
        if kind < 0.4:
            items.append(f'<si><t>{text}</t><phoneticPr fontId="1" type="noConversion"/></si>')
        elif kind < 0.55:
            items.append(f'<si><r><rPr><sz val="11"/><rFont val="宋体"/></rPr><t>{text}</t></r></si>')
        else:
            items.append(f"<si><t>{text}</t></si>")
    return "".join(rows), f'<sst xmlns="{fuzz._MAIN}" count="{len(items)}">{"".join(items)}</sst>'


def damaged(rnd: random.Random, xml: bytes) -> bytes:
    roll = rnd.random()
    if roll < 0.45:
        mark = b'<c r="' if roll < 0.25 else b"</row>"
        places = [at for at in range(len(xml)) if xml.startswith(mark, at)]
        chosen = {*rnd.sample(places, min(len(places), rnd.choice((1, 2, 5, 20)))), *places[-1:]}
        for at in sorted(chosen, reverse=True):
            if roll < 0.25:
                ref = xml[at + 6:xml.index(b'"', at + 6)].decode()
                xml = xml[:at] + rnd.choice(ODD_CELLS).format(ref=ref).encode() + xml[at:]
            elif roll < 0.4:
                xml = xml[:at + 6] + rnd.choice(STRAY_CELLS).encode() + xml[at + 6:]
            else:
                xml = xml[:at] + xml[at + 6:]
        return xml
    xml = bytearray(xml)
    for _ in range(rnd.choice((1, 1, 2, 3, 5))):
        at, piece = rnd.randrange(len(xml)), rnd.choice(DAMAGE).encode()
        roll = rnd.random()
        if roll < 0.4:
            xml[at:at] = piece
        elif roll < 0.7:
            del xml[at:at + rnd.randrange(1, 12)]
        else:
            xml[at:at + rnd.randrange(1, 6)] = piece
    return bytes(xml)


def test_bulk_read_finds_what_the_token_loop_finds_in_hostile_workbooks(monkeypatch, bulk_reads):
    rnd = random.Random(14)
    for sample in fuzz.hostile_workbooks(14, 600):
        assert_same(sample.data, rnd.choice(CHUNKS), monkeypatch)
    rows, strings = bulk_reads
    assert rows.matches > 100 and strings.matches > 1000


def test_bulk_read_finds_what_the_token_loop_finds_in_damaged_registers(monkeypatch, bulk_reads):
    rnd = random.Random(2026)
    for _ in range(500):
        voters = rnd.choice((3, 20, 60, 200))
        if rnd.random() < 0.5:
            rows, strings = shared_string_register(rnd, voters)
            sheet, table = fuzz.worksheet(rows).encode(), strings.encode()
        else:
            sheet, table = fuzz.worksheet(fuzz.clean_list(rnd, voters)).encode(), None
        if rnd.random() < 0.8:
            if table is not None and rnd.random() < 0.5:
                table = damaged(rnd, table)
            else:
                sheet = damaged(rnd, sheet)
        assert_same(fuzz.package(sheet, strings=table), rnd.choice(CHUNKS), monkeypatch)
    rows, strings = bulk_reads
    assert rows.matches > 1500 and strings.matches > 1500


def test_a_plain_register_is_read_in_bulk_but_its_first_rows(monkeypatch):
    data = fuzz.package(fuzz.worksheet(fuzz.clean_list(random.Random(1), 3000)))
    one_by_one = []
    tokens = xlsx_guard._Scanner._tokens

    def counted(self, data, start, end):
        one_by_one.append(end - start)
        return tokens(self, data, start, end)

    monkeypatch.setattr(xlsx_guard._Scanner, "_tokens", counted)
    facts = xlsx_guard.inspect_package(io.BytesIO(data))
    sheet_bytes = len(zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml"))
    assert facts.sheets[0].rows == 3001
    assert sum(one_by_one) < sheet_bytes / 50


@pytest.mark.parametrize("content", [
    '<is><t xml:space="preserve">{text}</t></is>',
    '<f t="shared" ref="{attributes}">{formula}</f><v>{value}</v>',
])
def test_a_cell_the_bulk_read_accepts_is_shorter_than_any_limit_can_tell(content):
    """Its texts are bounded so that its XML stays under CELL_SAFE: MAX_ROW_BYTES / EXCEL_COLUMNS,
    so that even a row of the widest possible range of such cells passes ``_check_copies``."""
    grammar = xlsx_guard._row_grammar(16383, 16383)  # XFD: the longest reference

    def row(extra: int) -> bytes:
        cell = content.format(text="字" * 1266 + "x" * (2 + extra), attributes="A" * (200 - 17),
                              formula="1" * (1900 + extra), value="2" * 1900)
        return (f'<row r="1048576"><c r="XFD1048576" s="99999" t="inlineStr">{cell}</c>{" " * 32}</row>'
                .replace(' t="inlineStr"', ' t="str"' if "<f" in cell else ' t="inlineStr"').encode())

    longest = row(0)
    assert grammar.fullmatch(longest)
    cell = longest[longest.index(b"<c "):longest.index(b"</row>")]
    assert len(cell) < xlsx_guard.CELL_SAFE
    assert xlsx_guard.CELL_SAFE * xlsx_guard.EXCEL_COLUMNS <= xlsx_guard.MAX_ROW_BYTES
    assert grammar.fullmatch(row(1)) is None  # one byte more: read one tag at a time, and measured
