import dataclasses
from datetime import date

import pytest

from villages.presets import RuleParameters
from voters.eligibility import HUJI_RESIDENT, RESIDENT_NON_HUJI
from voters.idnumber import check_character
from voters.register_changes import UNVERIFIED, RegisterEntry, compare_registers

PREVIOUS_DAY = date(2021, 3, 15)
ELECTION_DAY = date(2026, 3, 15)
PARAMS = RuleParameters()


def number(birth: str, sequence: str = "001") -> str:
    first17 = "330102" + birth + sequence
    return first17 + check_character(first17)


def entry(id_number: str, name: str = "张三", **fields) -> RegisterEntry:
    return RegisterEntry(id_number=id_number, name=name, **fields)


def compare(previous, current, *, previous_election_day=PREVIOUS_DAY, params=PARAMS, **kwargs):
    return compare_registers(
        previous=previous,
        current=current,
        previous_election_day=previous_election_day,
        election_day=ELECTION_DAY,
        params=params,
        **kwargs,
    )


KEPT = entry(number("19700101"), "李四")


def test_unchanged_register_has_no_changes():
    changes = compare([KEPT], [KEPT])
    assert (changes.added, changes.removed, changes.unchanged) == ((), (), 1)


@pytest.mark.parametrize(
    ("birth", "reason"),
    [
        ("20080315", "ADD_NEW_18"),  # 18 on this election day
        ("20030316", "ADD_NEW_18"),  # 17 on the previous election day, one day short
        ("20030315", None),  # already 18 on the previous election day: some other reason
        ("19800101", None),
    ],
)
def test_addition_of_someone_who_turned_18_since_last_election_is_new_18(birth, reason):
    (added,) = compare([KEPT], [KEPT, entry(number(birth))]).added
    assert added.reason == reason
    assert added.inferred is (reason is not None)


def test_turned_18_uses_birth_date_field_before_the_id_number():
    newcomer = entry(number("19800101"), birth_date=date(2008, 1, 1))
    assert compare([], [newcomer]).added[0].reason == "ADD_NEW_18"


def test_turned_18_cannot_be_inferred_without_previous_election_day():
    (added,) = compare([], [entry(number("20080101"))], previous_election_day=None).added
    assert (added.reason, added.reason_label) == (None, UNVERIFIED)


def test_addition_registered_under_category_3_is_cat3_approved():
    (added,) = compare([], [entry(number("19800101"), category=RESIDENT_NON_HUJI)]).added
    assert added.reason == "ADD_CAT3_APPROVED"
    assert compare([], [entry(number("19800101"), category=HUJI_RESIDENT)]).added[0].reason is None


@pytest.mark.parametrize(
    ("recorded", "reason", "inferred"),
    [
        ("ADD_MOVED_IN", "ADD_MOVED_IN", False),  # a recorded reason wins over ADD_NEW_18
        ("ADD_RIGHTS_RESTORED", "ADD_RIGHTS_RESTORED", False),
        ("REM_DEAD", "ADD_NEW_18", True),  # points the wrong way: ignored
        ("ADD_UNKNOWN", "ADD_NEW_18", True),  # not in the preset: ignored
        (None, "ADD_NEW_18", True),
    ],
)
def test_recorded_addition_reason_wins_over_inference(recorded, reason, inferred):
    (added,) = compare([], [entry(number("20080101"), change_reason=recorded)]).added
    assert (added.reason, added.inferred) == (reason, inferred)


@pytest.mark.parametrize(
    ("recorded", "elsewhere", "reason"),
    [
        ("REM_DEAD", (), "REM_DEAD"),
        ("REM_MOVED_OUT", (), "REM_MOVED_OUT"),
        (None, (), None),
        (None, ("KEY",), "REM_REGISTERED_ELSEWHERE"),
        ("REM_DEAD", ("KEY",), "REM_DEAD"),
        ("ADD_MOVED_IN", (), None),
    ],
)
def test_removal_reason_is_recorded_or_registered_elsewhere_or_unverified(recorded, elsewhere, reason):
    leaver = entry(number("19500101"), "王五", change_reason=recorded)
    registered_elsewhere = [leaver.id_number.lower() if key == "KEY" else key for key in elsewhere]
    (removed,) = compare([KEPT, leaver], [KEPT], registered_elsewhere=registered_elsewhere).removed
    assert removed.entry is leaver
    assert removed.reason == reason
    assert removed.reason_label == (PARAMS.register_change_reasons[reason] if reason else UNVERIFIED)


def test_labels_come_from_the_preset():
    params = dataclasses.replace(PARAMS, register_change_reasons={"ADD_NEW_18": "年满18周岁"})
    (added,) = compare([], [entry(number("20080101"))], params=params).added
    assert added.reason_label == "年满18周岁"


def test_inferred_reason_missing_from_the_preset_is_left_unverified():
    params = dataclasses.replace(PARAMS, register_change_reasons={"REM_DEAD": "死亡"})
    (added,) = compare([], [entry(number("20080101"))], params=params).added
    assert (added.reason, added.reason_label) == (None, UNVERIFIED)


@pytest.mark.parametrize(
    "previous_number",
    [
        "330102700101001",  # legacy 15-digit number on last term's list
        " 330102197001010013 ",
        "３３０１０２１９７００１０１００１３",
    ],
)
def test_numbers_match_after_normalisation(previous_number):
    current_number = "330102197001010013"
    assert current_number == number("19700101")
    changes = compare([entry(previous_number)], [entry(current_number)])
    assert (changes.added, changes.removed, changes.unchanged) == ((), (), 1)


def test_lowercase_x_matches():
    x_number = "33010219800101123X"
    changes = compare([entry(x_number.lower())], [entry(x_number)])
    assert changes.unchanged == 1


def test_changes_keep_register_order_and_count_duplicates_once():
    a, b, c = (entry(number("19600101", seq), name) for seq, name in (("001", "甲"), ("002", "乙"), ("003", "丙")))
    changes = compare([KEPT, c, a], [KEPT, b, a, b])
    assert [change.entry.name for change in changes.added] == ["乙"]
    assert [change.entry.name for change in changes.removed] == ["丙"]
    assert changes.unchanged == 2


def test_unparseable_numbers_still_compare_as_text():
    changes = compare([entry("3.30102198001011E+17")], [entry("3.30102198001011E+17 ")])
    assert changes.unchanged == 1
