"""选区 arithmetic (LAW.md §3.3), table-driven, without the database."""

from fractions import Fraction

import pytest

from villages.kinds.districting import DRAFT_LABEL, DistrictFigures, Membership, coverage, largest_remainder, ratios


@pytest.mark.parametrize(
    "population,flagged",
    [
        (1200, False),  # exactly +20 %: at the threshold, not beyond it
        (1201, True),
        (800, False),  # exactly −20 %
        (799, True),
        (1000, False),
    ],
)
def test_deviation_flag_boundaries(population, flagged):
    # Two one-seat districts of 2,000 people in all: the mean is exactly 1,000 per deputy.
    summary = ratios([DistrictFigures("x", population, 1), DistrictFigures("y", 2000 - population, 1)], threshold_percent=20)
    assert summary.mean == 1000
    assert summary.rows[0].deviation == Fraction(population - 1000, 1000)
    assert summary.rows[0].flagged is flagged


@pytest.mark.parametrize("percent,flagged", [(10, True), (20, False), (25, False)])
def test_deviation_threshold_is_the_preset_share(percent, flagged):
    summary = ratios([DistrictFigures("x", 1150, 1), DistrictFigures("y", 850, 1)], threshold_percent=percent)
    assert summary.rows[0].flagged is flagged


def test_flag_uses_the_exact_mean_with_integer_arithmetic():
    summary = ratios([DistrictFigures("a", 1200, 1), DistrictFigures("b", 800, 1)], threshold_percent=20)
    assert summary.mean == 1000
    assert [r.deviation for r in summary.rows] == [Fraction(1, 5), Fraction(-1, 5)]
    assert [r.flagged for r in summary.rows] == [False, False]
    summary = ratios([DistrictFigures("a", 1201, 1), DistrictFigures("b", 799, 1)], threshold_percent=20)
    assert [r.flagged for r in summary.rows] == [True, True]


def test_population_per_deputy_largest_and_smallest():
    summary = ratios(
        [DistrictFigures("a", 3000, 3), DistrictFigures("b", 2600, 2), DistrictFigures("c", 900, 1)], threshold_percent=20
    )
    assert (summary.population, summary.seats, summary.mean) == (6500, 6, Fraction(6500, 6))
    assert summary.largest.key == "b" and summary.largest.per_deputy == 1300
    assert summary.smallest.key == "c" and summary.smallest.per_deputy == 900


def test_district_without_seats_is_flagged_and_has_no_ratio():
    summary = ratios([DistrictFigures("a", 1000, 0), DistrictFigures("b", 1000, 1)], threshold_percent=20)
    assert summary.rows[0].per_deputy is None and summary.rows[0].flagged


@pytest.mark.parametrize(
    "populations,seats,expected,tied",
    [
        ([3000, 2000, 1000], 6, [3, 2, 1], []),  # exact quotas
        ([3500, 2500, 1000], 6, [3, 2, 1], []),  # quotas 3.0, 2.14, 0.86: the last seat to the 0.86
        ([1000, 1000, 1000], 2, [1, 1, 0], [0, 1, 2]),  # three equal remainders for two seats
        ([1500, 1500, 1000], 3, [1, 1, 1], []),  # remainders .125, .125, 1.0 → floors 1,1,0 + 1 seat to c
        ([2000, 1000, 1000], 3, [1, 1, 1], []),  # quotas 1.5, .75, .75: the two seats left go to b and c
        ([2000, 1000, 1000], 2, [1, 1, 0], [1, 2]),  # quotas 1, .5, .5: one seat left, b and c tied for it
    ],
)
def test_largest_remainder_with_ties(populations, seats, expected, tied):
    districts = list(enumerate(populations))
    draft = largest_remainder(districts, total_seats=seats)
    assert [draft.seats[i] for i in range(len(populations))] == expected
    assert sum(draft.seats.values()) == seats
    assert draft.tied == tied
    assert draft.label == DRAFT_LABEL == "参考方案，非法定方法"


def test_largest_remainder_reports_drafts_outside_one_to_three():
    draft = largest_remainder([("a", 9000), ("b", 100)], total_seats=5)
    assert draft.seats == {"a": 5, "b": 0}
    assert draft.out_of_range == ["a", "b"]


def test_largest_remainder_of_nothing():
    assert largest_remainder([], total_seats=3).seats == {}


VILLAGES = ["东山", "西岭", "南湖"]
GROUPS = {"东山": [1, 2, 3], "西岭": [4, 5], "南湖": [6]}


def test_every_village_whole_in_one_district_is_covered():
    result = coverage(VILLAGES, GROUPS, [Membership(1, frozenset({"东山", "西岭"})), Membership(2, frozenset({"南湖"}))], allow_split=True)
    assert result.ok and not result.split


def test_village_in_no_district_and_in_two_districts_are_shown():
    result = coverage(VILLAGES, GROUPS, [Membership(1, frozenset({"东山"})), Membership(2, frozenset({"东山"}))], allow_split=True)
    assert result.not_covered == ["西岭", "南湖"]
    assert result.covered_twice == {"东山": [1, 2]}
    assert not result.ok


def test_village_split_by_groups_across_districts_is_allowed_where_the_preset_allows_it():
    memberships = [
        Membership(1, groups=frozenset({("东山", 1), ("东山", 2)})),
        Membership(2, groups=frozenset({("东山", 3)}), villages=frozenset({"西岭", "南湖"})),
    ]
    allowed = coverage(VILLAGES, GROUPS, memberships, allow_split=True)
    assert allowed.ok and allowed.split == {"东山": [1, 2]}
    refused = coverage(VILLAGES, GROUPS, memberships, allow_split=False)
    assert refused.split_not_allowed == ["东山"] and not refused.ok


def test_split_village_with_a_group_left_out_or_taken_twice():
    missing = coverage(["东山"], GROUPS, [Membership(1, groups=frozenset({("东山", 1)})), Membership(2, groups=frozenset({("东山", 2)}))], allow_split=True)
    assert missing.groups_missing == {"东山": [3]}
    twice = coverage(["东山"], GROUPS, [Membership(1, groups=frozenset({("东山", 1), ("东山", 2), ("东山", 3)})), Membership(2, groups=frozenset({("东山", 3)}))], allow_split=True)
    assert twice.covered_twice == {"东山": [1, 2]}


def test_village_whole_in_one_district_and_partly_in_another_is_covered_twice():
    result = coverage(["东山"], GROUPS, [Membership(1, frozenset({"东山"})), Membership(2, groups=frozenset({("东山", 1)}))], allow_split=True)
    assert result.covered_twice == {"东山": [1, 2]}
