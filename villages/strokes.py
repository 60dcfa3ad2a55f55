"""Surname-stroke order (按姓氏笔画排序) for every printed list of names.

Voter lists, proxy lists and candidate lists print in stroke order (ZJ Art. 20 for the candidates;
office practice for the voter list, group by group), not in character-code order. The stroke counts
come from a maintained source, the Unicode Han database: ``kTotalStrokes`` in
``Unihan_IRGSources.txt`` (Debian package ``unicode-data``, installed by ``scripts/system-deps.sh``;
``manage.py check`` warns when it is missing, ``villages.W003``). It covers every CJK unified
ideograph, Ext-B names such as 王𪚥 included. Where it gives two counts, the first is the one for
Simplified Chinese (the G source) and is the one used.

The order, ``stroke_key``:

1. name by name, character by character from the surname on: fewer strokes first;
2. equal stroke counts: the character's code point decides. The official rule would look at the shape of
   the first stroke (横、竖、撇、点、折), which Unihan does not give; the code point is stable and, being
   radical-stroke order inside each block, keeps every bearer of one surname together (all 方 before all 王,
   both 4 strokes), which is what a reader of a posted list looks for;
3. then the next character the same way, so 王一 < 王二 < 王𪚥 (1, 2, 64 strokes);
4. a name that is the start of another comes first (王 < 王一); callers close the remaining ties (same
   name) with the entry order.

Characters that are not Han (the middle dot of 维吾尔族 names, letters) rank before every Han character
at their position and raise no warning. A Han character absent from the data (there should be none)
sorts after every known one, and is logged once as a warning so the office can check the order by hand.

The module is pure (no ORM); the table is read once, lazily, and kept.
"""

from __future__ import annotations

import bz2
import logging
import unicodedata
from functools import cache
from pathlib import Path

logger = logging.getLogger(__name__)

UNIHAN_IRG_SOURCES = Path("/usr/share/unicode/Unihan_IRGSources.txt.bz2")
FIELD = "\tkTotalStrokes\t"
# Below every Han character: separators such as "·" in 阿依古丽·买买提.
NOT_HAN = 0
# After every known Han character (the largest count in Unicode 15 is 84).
UNKNOWN_STROKES = 999


@cache
def stroke_table(path: Path = UNIHAN_IRG_SOURCES) -> dict[str, int]:
    """{character: total strokes}, read once from the Unihan file; empty (with a warning) when it is missing."""
    table: dict[str, int] = {}
    try:
        with bz2.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                if FIELD in line:
                    code, _, counts = line.rstrip("\n").split("\t")
                    table[chr(int(code[2:], 16))] = int(counts.split()[0])
    except OSError:
        logger.warning("没有找到汉字笔画数据 %s：名单将按字符编码排序（请安装 unicode-data）。", path)
    return table


def is_han(char: str) -> bool:
    return char in stroke_table() or unicodedata.name(char, "").startswith("CJK ")


def stroke_count(char: str) -> int | None:
    """Total strokes of one character, ``None`` when the data does not know it."""
    return stroke_table().get(char)


@cache
def _char_rank(char: str) -> tuple[int, int]:
    count = stroke_table().get(char)
    if count is not None:
        return (count, ord(char))
    if not is_han(char):
        return (NOT_HAN, ord(char))
    logger.warning("汉字“%s”（U+%04X）没有笔画数据，排在同位置所有汉字之后。", char, ord(char))
    return (UNKNOWN_STROKES, ord(char))


def stroke_key(name: str) -> tuple[tuple[int, int], ...]:
    """Sort key of a name in surname-stroke order (see the module docstring for the tie-breaks)."""
    return tuple(_char_rank(ch) for ch in name.strip())


def characters_without_strokes(text: str) -> str:
    """The Han characters of ``text`` the data does not know (each once, in order): to check by hand."""
    missing = dict.fromkeys(ch for ch in text if is_han(ch) and ch not in stroke_table())
    return "".join(missing)


def data_available(path: Path = UNIHAN_IRG_SOURCES) -> bool:
    return path.is_file()
