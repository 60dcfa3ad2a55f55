import pytest

from ballots.reconciliation import ERROR, MESSAGES, WARNING, PostCount, reconcile
from villages.presets import INVALIDATE_BALLOT, RuleParameters

PARAMS = RuleParameters()


def codes(found):
    return [d.code for d in found]


def station(**overrides):
    values = dict(issued=1000, returned=1000, valid=980, invalid=20, params=PARAMS)
    values.update(overrides)
    return reconcile(**values)


def test_balanced_station_has_no_discrepancy():
    assert station() == []


@pytest.mark.parametrize(
    "issued, returned, valid, invalid, expected",
    [
        (1000, 1000, 980, 20, []),
        (1000, 999, 979, 20, []),
        (1000, 1001, 981, 20, ["returned_exceeds_issued"]),
        (1000, 1000, 981, 20, ["valid_invalid_mismatch"]),
        (1000, 1000, 979, 20, ["valid_invalid_mismatch"]),
        (1000, 1001, 980, 20, ["returned_exceeds_issued", "valid_invalid_mismatch"]),
        (0, 0, 0, 0, []),
    ],
)
def test_station_totals(issued, returned, valid, invalid, expected):
    assert codes(station(issued=issued, returned=returned, valid=valid, invalid=invalid)) == expected


def test_one_ballot_more_returned_than_issued_voids_the_round_and_blocks_saving():
    (found,) = station(issued=1000, returned=1001, valid=981, invalid=20)
    assert found.severity == ERROR and found.blocks_saving
    assert found.message == "收回选票1001张，多于发出选票1000张，本次选举无效，须重新投票"
    assert found.data == {"returned": 1001, "issued": 1000}
    assert found.citations


def test_mismatch_message_names_all_numbers():
    (found,) = station(valid=970)
    assert found.message == "有效票970张加无效票20张共990张，与收回选票1000张不符"


@pytest.mark.parametrize("field", ["issued", "returned", "valid", "invalid", "assigned_voters"])
def test_negative_station_numbers_are_reported_alone(field):
    found = station(**{field: -1})
    assert codes(found) == ["negative_count"]
    assert found[0].data["field"] == field and "-1" in found[0].message


def test_negative_post_numbers_are_reported_with_the_post():
    post = PostCount(post="member", seats=2, candidate_votes={"张三": -5}, write_in_votes=-1)
    found = station(posts=[post])
    assert codes(found) == ["negative_count", "negative_count"]
    assert {d.post for d in found} == {"member"}
    assert found[1].message == "委员张三得票为-5，不能为负数"


@pytest.mark.parametrize(
    "returned, invalid, warns",
    [
        (100, 2, False),
        (100, 3, True),  # exactly 3%: 100*3 >= 3*100
        (101, 3, False),  # 300 < 303
        (101, 4, True),
        (0, 0, False),  # nothing returned: no share to judge
    ],
)
def test_invalid_share_warning_uses_integer_comparison(returned, invalid, warns):
    found = station(issued=200, returned=returned, valid=returned - invalid, invalid=invalid)
    assert ("invalid_share_high" in codes(found)) is warns


def test_invalid_share_warning_needs_explanation_but_does_not_block():
    (found,) = station(issued=200, returned=101, valid=97, invalid=4)
    assert found.severity == WARNING and not found.blocks_saving
    assert found.message == "无效票4张，达到收回选票101张的3%（4张）以上，须书面说明原因"


def test_invalid_share_threshold_comes_from_the_preset():
    params = RuleParameters(invalid_ballot_warning_percent=5)
    assert reconcile(issued=100, returned=100, valid=96, invalid=4, params=params) == []
    found = reconcile(issued=100, returned=100, valid=95, invalid=5, params=params)
    assert codes(found) == ["invalid_share_high"]


@pytest.mark.parametrize("assigned, warns", [(1000, False), (999, True), (None, False)])
def test_more_returned_than_assigned_voters_warns(assigned, warns):
    found = station(assigned_voters=assigned)
    assert ("returned_exceeds_assigned_voters" in codes(found)) is warns


# One post with 2 seats on 100 valid ballots: 5 void for this post, 10 blank, so 85 ballots name 1–2 persons.
@pytest.mark.parametrize(
    "candidate_votes, write_ins, expected",
    [
        ({"甲": 85, "乙": 80}, 5, []),  # 170 = 85 * 2, the ceiling
        ({"甲": 85, "乙": 80}, 6, ["post_votes_exceed_capacity"]),
        ({"甲": 86, "乙": 0}, 0, ["post_candidate_votes_exceed_ballots"]),
        ({"甲": 60, "乙": 20}, 5, []),  # 85 = one name on every marked ballot, the floor
        ({"甲": 60, "乙": 20}, 4, ["post_votes_below_marked_ballots"]),
    ],
)
def test_post_marks_add_up(candidate_votes, write_ins, expected):
    post = PostCount(post="member", seats=2, candidate_votes=candidate_votes, write_in_votes=write_ins,
                     abstentions=10, invalid_for_post=5)
    found = reconcile(issued=100, returned=100, valid=100, invalid=0, posts=[post], params=PARAMS)
    assert codes(found) == expected


def test_post_capacity_message_shows_the_arithmetic():
    post = PostCount(post="member", seats=2, candidate_votes={"甲": 85, "乙": 80}, write_in_votes=6, abstentions=10,
                     invalid_for_post=5)
    (found,) = reconcile(issued=100, returned=100, valid=100, invalid=0, posts=[post], params=PARAMS)
    assert found.message == "委员各人得票合计171票，超过上限170票（填写了该职务的选票85张乘应选2名）"
    assert found.post == "member" and found.blocks_saving


def test_fewer_marks_than_marked_ballots_is_only_a_warning():
    post = PostCount(post="chair", seats=1, candidate_votes={"甲": 50, "乙": 40}, abstentions=5)
    (found,) = reconcile(issued=100, returned=100, valid=100, invalid=0, posts=[post], params=PARAMS)
    assert found.code == "post_votes_below_marked_ballots" and found.severity == WARNING


@pytest.mark.parametrize(
    "abstentions, invalid_for_post, expected",
    [
        (95, 5, []),
        (96, 5, ["post_abstentions_exceed_valid"]),
        (0, 101, ["post_invalid_exceeds_valid"]),
    ],
)
def test_post_blank_and_void_sections_fit_in_valid_ballots(abstentions, invalid_for_post, expected):
    post = PostCount(post="chair", seats=1, candidate_votes={}, abstentions=abstentions,
                     invalid_for_post=invalid_for_post)
    found = reconcile(issued=100, returned=100, valid=100, invalid=0, posts=[post], params=PARAMS)
    assert [c for c in codes(found) if c != "post_votes_below_marked_ballots"] == expected


def test_post_void_sections_are_an_error_when_the_preset_voids_whole_ballots():
    params = RuleParameters(invalidate_scope=INVALIDATE_BALLOT)
    post = PostCount(post="chair", seats=1, candidate_votes={"甲": 95}, invalid_for_post=5)
    found = reconcile(issued=100, returned=100, valid=100, invalid=0, posts=[post], params=params)
    assert codes(found) == ["post_invalid_with_ballot_scope"]


def test_post_without_seats_is_an_error():
    post = PostCount(post="vice_chair", seats=0, candidate_votes={"甲": 1})
    assert codes(station(posts=[post])) == ["post_seats_invalid"]


def test_errors_come_before_warnings():
    found = station(issued=1000, returned=1001, valid=900, invalid=101, assigned_voters=900)
    assert codes(found) == ["returned_exceeds_issued", "invalid_share_high", "returned_exceeds_assigned_voters"]


def test_every_message_code_is_documented_once():
    assert all(isinstance(text, str) and text for text in MESSAGES.values())


# ---------------------------------------------------------------- the same person under two posts (aggregate)

from ballots.reconciliation import check_several_posts  # noqa: E402
from villages.presets import CASCADE_DOWN  # noqa: E402


@pytest.mark.parametrize(
    "persons, stated, invalid, mode, expected",
    [
        ([], None, 0, "exclusive", []),
        ([("陈国强", ["chair", "member"])], None, 5, "exclusive", ["same_person_several_posts_count_needed"]),
        ([("陈国强", ["chair", "member"])], 0, 5, "exclusive", []),
        ([("陈国强", ["chair", "member"])], 5, 5, "exclusive", []),
        ([("陈国强", ["chair", "member"])], 6, 5, "exclusive", ["several_posts_ballots_exceed_invalid"]),
        ([], 6, 5, "exclusive", ["several_posts_ballots_exceed_invalid"]),
        ([("陈国强", ["chair", "member"])], None, 5, CASCADE_DOWN, []),
    ],
)
def test_same_person_under_two_posts_needs_the_number_of_such_ballots(persons, stated, invalid, mode, expected):
    found = check_several_posts(persons=persons, several_posts_ballots=stated, invalid=invalid,
                                params=RuleParameters(multi_post_mode=mode))
    assert codes(found) == expected
    assert all(d.severity == ERROR for d in found)


def test_count_needed_message_names_person_and_posts():
    (found,) = check_several_posts(persons=[("陈国强", ["chair", "member"])], several_posts_ballots=None, invalid=0,
                                   params=PARAMS)
    assert found.message.startswith("陈国强（主任、委员）：同一人在两个以上职务中得票。")
