"""The legal calendar: deadlines computed from election day and the preset (LAW.md §0.2)."""

from datetime import date

import pytest

from villages.legal_calendar import (
    DONE,
    DONE_LATE,
    DUE,
    OVERDUE,
    PENDING,
    CalendarFacts,
    build_calendar,
    days_before,
    within_days,
)
from villages.presets import BUILTIN_PRESETS, RuleParameters

D = date(2027, 1, 16)
NATIONAL = RuleParameters()
ZHEJIANG = next(p for p in BUILTIN_PRESETS if p.code == "ZHEJIANG_2020").params
SHANGHAI = next(p for p in BUILTIN_PRESETS if p.code == "SHANGHAI_2020").params


def items(facts, params=NATIONAL, today=date(2026, 12, 1)):
    return {item.code: item for item in build_calendar(facts, params, today=today)}


@pytest.mark.parametrize(
    "start,n,count_start_day,expected",
    [
        (date(2026, 12, 27), 5, False, date(2027, 1, 1)),  # start day not counted (Civil Code Art. 201)
        (date(2026, 12, 27), 5, True, date(2026, 12, 31)),  # the office counts the start day as day 1
        (date(2027, 2, 26), 3, False, date(2027, 3, 1)),  # across the end of February
        (date(2028, 2, 27), 3, False, date(2028, 3, 1)),  # leap year
    ],
)
def test_within_days(start, n, count_start_day, expected):
    assert within_days(start, n, count_start_day=count_start_day) == expected


def test_voter_list_is_due_twenty_days_before_election_day():
    assert items(CalendarFacts(election_day=D))["voter_list"].deadline == date(2026, 12, 27)
    assert days_before(D, 20) == date(2026, 12, 27)


@pytest.mark.parametrize(
    "published_on,today,expected",
    [
        (None, date(2026, 12, 27), DUE),  # the last day itself is still in time
        (None, date(2026, 12, 28), OVERDUE),
        (date(2026, 12, 27), date(2027, 1, 5), DONE),
        (date(2026, 12, 28), date(2027, 1, 5), DONE_LATE),
    ],
)
def test_voter_list_status(published_on, today, expected):
    calendar = items(CalendarFacts(election_day=D, voter_list_published_on=published_on), today=today)
    assert calendar["voter_list"].status == expected


def test_appeal_window_runs_five_days_from_publication():
    facts = CalendarFacts(election_day=D, voter_list_published_on=date(2026, 12, 25))
    assert items(facts, today=date(2026, 12, 30))["appeal_window"].deadline == date(2026, 12, 30)
    assert items(facts, today=date(2026, 12, 30))["appeal_window"].status == DUE
    assert items(facts, today=date(2026, 12, 31))["appeal_window"].status == DONE


def test_appeal_window_waits_for_publication():
    assert items(CalendarFacts(election_day=D))["appeal_window"].status == PENDING


def test_appeal_decisions_due_three_days_after_last_receipt():
    facts = CalendarFacts(
        election_day=D, voter_list_published_on=date(2026, 12, 25), last_appeal_received_on=date(2026, 12, 29)
    )
    decisions = items(facts, today=date(2027, 1, 2))["appeal_decisions"]
    assert decisions.deadline == date(2027, 1, 1)
    assert decisions.status == OVERDUE


def test_candidate_list_five_days_before_and_zhejiang_extras():
    calendar = items(CalendarFacts(election_day=D), params=ZHEJIANG)
    assert calendar["candidate_list"].deadline == date(2027, 1, 11)
    assert calendar["self_nomination"].deadline == date(2027, 1, 6)
    assert calendar["candidate_withdrawal"].deadline == date(2027, 1, 13)
    assert calendar["proxy_requests"].deadline == date(2027, 1, 13)
    assert "self_nomination" not in items(CalendarFacts(election_day=D), params=NATIONAL)


def test_shanghai_proxy_deadlines():
    calendar = items(CalendarFacts(election_day=D), params=SHANGHAI)
    assert calendar["proxy_requests"].deadline == date(2027, 1, 11)
    assert calendar["proxy_list"].deadline == date(2027, 1, 14)


def test_runoff_appears_only_when_needed_with_preset_window():
    assert "runoff" not in items(CalendarFacts(election_day=D), params=ZHEJIANG)
    calendar = items(CalendarFacts(election_day=D, runoff_needed=True), params=ZHEJIANG)
    assert calendar["runoff"].deadline == date(2027, 2, 15)


def test_handover_within_ten_days_of_new_committee():
    facts = CalendarFacts(election_day=D, new_committee_formed_on=D)
    handover = items(facts, today=date(2027, 1, 27))["handover"]
    assert handover.deadline == date(2027, 1, 26)
    assert handover.status == OVERDUE
    assert items(CalendarFacts(election_day=D))["handover"].status == PENDING


def test_overdue_flag_covers_late_and_missed_items():
    calendar = items(CalendarFacts(election_day=D, voter_list_published_on=date(2026, 12, 29)), today=date(2026, 12, 29))
    assert calendar["voter_list"].is_overdue
    assert calendar["committee"].is_overdue  # the committee was never recorded and its day passed


def test_a_held_election_shows_no_preparation_step_as_due():
    """Issue 13: a finished election shows no future deadline."""
    from villages.legal_calendar import DUE, SKIPPED

    facts = CalendarFacts(election_day=D, committee_chosen_on=date(2026, 11, 1),
                          voter_list_published_on=date(2026, 12, 20), candidate_list_published_on=date(2027, 1, 8),
                          results_announced_on=D)
    # Held before the proxy-list deadline passed (a list due on the day itself, E−0): no longer due.
    items = {i.code: i for i in build_calendar(facts, RuleParameters(), today=D)}
    assert items["proxy_list"].deadline == date(2027, 1, 15) and items["proxy_list"].status == "overdue"
    items = {i.code: i for i in build_calendar(facts, RuleParameters(), today=date(2027, 1, 15))}
    assert items["proxy_list"].status == SKIPPED
    assert items["election_day"].status == "done"
    archived = CalendarFacts(**{**facts.__dict__, "new_committee_formed_on": D, "handover_completed_on": D,
                                "archived_on": D})
    assert all(i.status != DUE for i in build_calendar(archived, RuleParameters(), today=D))
