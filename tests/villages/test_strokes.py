"""Surname-stroke order from the Unihan stroke counts (villages.strokes): pure, no database."""

import logging
import re
from pathlib import Path

import pytest

from villages import strokes
from villages.checks import check_stroke_data
from villages.strokes import characters_without_strokes, stroke_count, stroke_key

ROOT = Path(__file__).resolve().parents[2]
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]")


def test_data_is_installed_and_complete():
    """scripts/system-deps.sh installs unicode-data; Unicode 15 gives ~98,000 characters a count."""
    assert strokes.data_available()
    assert len(strokes.stroke_table()) > 90_000


@pytest.mark.parametrize(
    "char, count",
    [("丁", 2), ("王", 4), ("方", 4), ("张", 7), ("李", 7), ("欧", 8), ("黄", 11), ("龘", 48), ("𪚥", 64), ("䶮", 9), ("鑫", 24)],
)
def test_stroke_counts_come_from_unihan(char, count):
    assert stroke_count(char) == count


def test_every_character_of_a_realistic_register_has_a_count():
    """Every Han character of the demo, the load-test seed, the test suite and the templates (names and all)
    is covered, where the hand-typed table of ~750 characters left 龘, 鑫 and every Ext-B name out."""
    sources = [ROOT / "villages" / "demo.py", ROOT / "loadtest" / "seed.py", *sorted((ROOT / "tests").rglob("*.py")),
               *sorted((ROOT / "templates").rglob("*.html"))]
    text = "".join(path.read_text(encoding="utf-8") for path in sources)
    used = set(HAN.findall(text)) | set("王𪚥龘鑫䶮")
    assert len(used) > 750
    assert characters_without_strokes("".join(sorted(used))) == ""


@pytest.mark.parametrize(
    "names, expected",
    [
        (["黄明", "王芳", "赵强", "丁一"], ["丁一", "王芳", "赵强", "黄明"]),  # 2, 4, 9, 11 strokes
        (["王明", "王一"], ["王一", "王明"]),  # same surname: the next character decides
        (["王小明", "王小"], ["王小", "王小明"]),  # a prefix first
        (["王𪚥", "王二", "王一"], ["王一", "王二", "王𪚥"]),  # Ext-B: 64 strokes, after 1 and 2
        (["𪚥一", "龘一", "鑫一"], ["鑫一", "龘一", "𪚥一"]),  # 24, 48, 64 strokes (not code point: 𪚥 > 鑫 > 龘)
        (["王二", "方一", "王一", "方二"], ["方一", "方二", "王一", "王二"]),  # equal strokes: one surname stays together
        (["李四", "张三"], ["张三", "李四"]),  # equal strokes (7): code point, not the first stroke's shape
        (["阿依古丽", "阿依·古丽"], ["阿依·古丽", "阿依古丽"]),  # the middle dot ranks before any Han character
        (["十一", "二十"], ["二十", "十一"]),  # 2 strokes each: 二 U+4E8C before 十 U+5341
    ],
)
def test_stroke_order(names, expected):
    assert sorted(names, key=stroke_key) == expected


def test_stroke_order_differs_from_code_point_order():
    names = ["张伟", "王芳", "马超", "丁一", "于洋"]
    assert sorted(names) != sorted(names, key=stroke_key)


def test_unknown_han_character_sorts_last_with_a_warning(monkeypatch, caplog):
    table = dict(strokes.stroke_table())
    del table["王"]
    monkeypatch.setattr(strokes, "stroke_table", lambda: table)
    strokes._char_rank.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="villages.strokes"):
            ordered = sorted(["王一", "𪚥一", "丁一"], key=stroke_key)
        assert ordered == ["丁一", "𪚥一", "王一"]
        assert characters_without_strokes("王王丁") == "王"
        assert "U+738B" in caplog.text
    finally:
        strokes._char_rank.cache_clear()


def test_missing_data_file_gives_an_empty_table_and_a_check_warning(monkeypatch, tmp_path):
    assert strokes.stroke_table(tmp_path / "absent.txt.bz2") == {}
    assert check_stroke_data() == []
    monkeypatch.setattr(strokes, "data_available", lambda: False)
    [warning] = check_stroke_data()
    assert warning.id == "villages.W003" and "apt-get install unicode-data" in warning.hint
