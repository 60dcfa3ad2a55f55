"""Ballot print quantities (ballots.quantities): pure, table-driven."""

import pytest

from ballots.quantities import UNASSIGNED, ballot_number, number_batches, quantity_sheet, reserve_for


@pytest.mark.parametrize(
    "registered, reserve",
    [(0, 0), (1, 5), (99, 5), (100, 5), (101, 6), (120, 6), (1000, 50), (1001, 51)],
)
def test_reserve_is_five_percent_rounded_up_and_at_least_five(registered, reserve):
    assert reserve_for(registered) == reserve


def test_stations_get_consecutive_runs_covering_every_registered_voter():
    sheet = quantity_sheet([("第一投票站", "村委会", 300), ("第二投票站", "小学", 120)], registered=450)
    assert [(r.station, r.registered, r.reserve, r.first, r.last) for r in sheet.rows] == [
        ("第一投票站", 300, 15, 1, 315),
        ("第二投票站", 120, 6, 316, 441),
        (UNASSIGNED, 30, 5, 442, 476),
    ]
    assert (sheet.registered, sheet.reserve, sheet.quantity) == (450, 26, 476)


def test_no_station_known_prints_for_the_whole_register():
    sheet = quantity_sheet([], registered=77)
    assert [(r.registered, r.reserve, r.first, r.last) for r in sheet.rows] == [(77, 5, 1, 82)]


@pytest.mark.parametrize(
    "total, size, batches",
    [(0, 500, []), (1, 500, [(1, 1)]), (500, 500, [(1, 500)]), (501, 500, [(1, 500), (501, 501)]), (7, 3, [(1, 3), (4, 6), (7, 7)])],
)
def test_number_batches(total, size, batches):
    assert number_batches(total, size=size) == batches


def test_ballot_number_has_six_digits():
    assert ballot_number(42) == "No.000042"
