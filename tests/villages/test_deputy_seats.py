"""Art. 12 ceilings (LAW.md §3.2), table-driven, without the database."""

import pytest

from villages.kinds import COUNTY, TOWNSHIP
from villages.kinds.deputies import DeputyRuleParameters
from villages.kinds.deputy_seats import seat_ceiling

PARAMS = DeputyRuleParameters()


@pytest.mark.parametrize(
    "population,ceiling,floor,capped",
    [
        (0, 140, 1, False),
        (49_999, 149, 1, False),  # under 50,000: may be fewer than 140
        (50_000, 150, 140, False),  # 50,000 itself is not "不足五万"
        (54_999, 150, 140, False),  # whole increments only
        (55_000, 151, 140, False),
        (1_550_000, 450, 140, False),  # exactly 1.55 million: 140 + 310 = 450, no cap needed
        (1_550_001, 450, 140, True),  # more than 1.55 million: the cap applies
        (1_555_000, 450, 140, True),  # formula 451, capped at 450
        (3_000_000, 450, 140, True),
    ],
)
def test_county_ceiling(population, ceiling, floor, capped):
    result = seat_ceiling(level=COUNTY, population=population, params=PARAMS)
    assert (result.ceiling, result.floor, result.cap is not None) == (ceiling, floor, capped)


@pytest.mark.parametrize(
    "population,ceiling,floor",
    [
        (0, 45, 1),
        (1_999, 46, 1),  # under 2,000: may be fewer than 45
        (2_000, 46, 45),
        (2_999, 46, 45),
        (3_000, 47, 45),
        (15_173, 55, 45),
        (172_499, 159, 45),
        (172_500, 160, 45),  # 45 + 115 = 160
        (174_000, 160, 45),  # 161 by the formula, at most 160
        (1_000_000, 160, 45),
    ],
)
def test_township_ceiling(population, ceiling, floor):
    result = seat_ceiling(level=TOWNSHIP, population=population, params=PARAMS)
    assert (result.ceiling, result.floor) == (ceiling, floor)


@pytest.mark.parametrize(
    "level,population,ceiling",
    [
        (COUNTY, 168_000, 173 + 8),  # 173, plus 5 % rounded down (8.65 → 8)
        (COUNTY, 2_000_000, 450 + 22),  # the 5 % is added to the capped total
        (TOWNSHIP, 172_500, 160 + 8),
        (TOWNSHIP, 1_500, 46 + 2),
    ],
)
def test_extra_five_percent_where_the_provincial_committee_decides(level, population, ceiling):
    assert seat_ceiling(level=level, population=population, params=PARAMS, extra=True).ceiling == ceiling


@pytest.mark.parametrize("seats,allowed", [(139, False), (140, True), (173, True), (174, False)])
def test_adopted_figure_lies_between_base_and_ceiling(seats, allowed):
    assert seat_ceiling(level=COUNTY, population=168_000, params=PARAMS).allows(seats) is allowed


def test_small_county_may_adopt_fewer_than_the_base():
    assert seat_ceiling(level=COUNTY, population=30_000, params=PARAMS).allows(60)


def test_explanation_names_the_cap_and_the_small_population_case():
    assert "不得超过450名" in seat_ceiling(level=COUNTY, population=1_600_000, params=PARAMS).explanation
    assert "可以少于45名" in seat_ceiling(level=TOWNSHIP, population=1_200, params=PARAMS).explanation


def test_unknown_level_and_negative_population_are_errors():
    with pytest.raises(ValueError):
        seat_ceiling(level="province", population=1, params=PARAMS)
    with pytest.raises(ValueError):
        seat_ceiling(level=COUNTY, population=-1, params=PARAMS)
