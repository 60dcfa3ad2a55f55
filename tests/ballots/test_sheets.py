"""The tally sheet as plain values: checks, explanations, field-by-field comparison and merging (no DB)."""

import pytest

from ballots.sheets import (
    PostValues,
    SheetLayout,
    SheetPost,
    TallyValues,
    check,
    differences,
    merge,
    normalize_name,
    printable,
    unexplained,
    warning_key,
)
from villages.presets import RuleParameters

LAYOUT = SheetLayout(posts=(SheetPost("chair", 1, ((1, "王伟"), (2, "李伟"))), SheetPost("member", 2, ((3, "张伟"),))))
PARAMS = RuleParameters()


def values(*, chair=(7, 3), member=10, write_ins=None, invalid=0, valid=10, returned=10, issued=10, explanations=None):
    return TallyValues(
        issued=issued, returned=returned, valid=valid, invalid=invalid,
        posts={
            "chair": PostValues(candidate_votes={1: chair[0], 2: chair[1]}),
            "member": PostValues(candidate_votes={3: member}, write_ins=write_ins or {"赵伟": 10}),
        },
        explanations=explanations or {},
    )


@pytest.mark.parametrize("raw, name", [("张 三", "张三"), ("\u3000李四 ", "李四"), ("王五", "王五")])
def test_written_names_lose_their_spaces(raw, name):
    assert normalize_name(raw) == name


@pytest.mark.parametrize(
    "kwargs, error_codes",
    [
        ({}, []),
        ({"returned": 11}, ["returned_exceeds_issued", "valid_invalid_mismatch"]),
        ({"invalid": 1}, ["valid_invalid_mismatch"]),
        ({"chair": (8, 3)}, ["post_votes_exceed_capacity"]),
    ],
)
def test_check_splits_errors_from_warnings(kwargs, error_codes):
    errors, _ = check(values(**kwargs), LAYOUT, params=PARAMS, assigned_voters=None)
    assert [d.code for d in errors] == error_codes


def test_warning_keys_carry_the_post_and_need_an_explanation():
    _, warnings = check(values(chair=(5, 3)), LAYOUT, params=PARAMS, assigned_voters=None)
    assert [warning_key(d) for d in warnings] == ["post_votes_below_marked_ballots__chair"]
    assert unexplained(warnings, {}) == warnings
    assert unexplained(warnings, {"post_votes_below_marked_ballots__chair": "两张空白"}) == []
    assert "post_votes_below_marked_ballots__chair" in LAYOUT.explanation_keys()


def test_differences_are_field_by_field_with_chinese_labels():
    first, second = values(), values(chair=(6, 4), write_ins={"赵伟": 9, "钱伟": 1})
    found = {(d.label, d.first, d.second) for d in differences(first, second, LAYOUT)}
    assert found == {("主任·王伟得票", 7, 6), ("主任·李伟得票", 3, 4), ("委员·另选他人：赵伟", 10, 9),
                     ("委员·另选他人：钱伟", None, 1)}


def test_merge_takes_each_chosen_field_and_keeps_the_rest():
    first, second = values(explanations={"x": "甲"}), values(chair=(6, 4), write_ins={"赵伟": 9, "钱伟": 1})
    merged = merge(first, second, LAYOUT, {"chair.c1": 2, "chair.c2": 2, "member.w.钱伟": 2})
    assert merged.posts["chair"].candidate_votes == {1: 6, 2: 4}
    assert merged.posts["member"].write_ins == {"赵伟": 10, "钱伟": 1}
    assert merged.explanations == {"x": "甲"}


def test_blank_sheet_has_lines_to_write_on():
    blank = printable(LAYOUT, None)
    assert [(p.label, p.candidates, p.blank_lines) for p in blank] == [
        ("主任", (("王伟", None), ("李伟", None)), 3), ("委员", (("张伟", None),), 3)]
    filled = printable(LAYOUT, values())
    assert filled[1].write_ins == (("赵伟", 10),) and filled[1].blank_lines == 0
