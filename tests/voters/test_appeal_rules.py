"""Appeal window and decision deadline arithmetic (OL §14 ¶2; LAW.md §0.2). No database."""

from datetime import date

import pytest

from voters import appeal_rules

PUBLISHED = date(2026, 12, 20)


@pytest.mark.parametrize(
    "window,count_start_day,deadline",
    [
        (5, False, date(2026, 12, 25)),  # start day not counted (Civil Code Art. 201)
        (5, True, date(2026, 12, 24)),  # the office counts the publication day as day 1
        (3, False, date(2026, 12, 23)),
        (1, True, date(2026, 12, 20)),
    ],
)
def test_filing_deadline(window, count_start_day, deadline):
    assert appeal_rules.filing_deadline(PUBLISHED, window_days=window, count_start_day=count_start_day) == deadline


@pytest.mark.parametrize(
    "received_on,count_start_day,codes",
    [
        (date(2026, 12, 20), False, []),  # the publication day itself
        (date(2026, 12, 25), False, []),  # the last day of the window
        (date(2026, 12, 26), False, ["window_closed"]),
        (date(2026, 12, 25), True, ["window_closed"]),
        (date(2026, 12, 24), True, []),
        (date(2026, 12, 19), False, ["before_publication"]),
    ],
)
def test_filing_problems_at_the_window_edges(received_on, count_start_day, codes):
    problems = appeal_rules.filing_problems(
        published_on=PUBLISHED, received_on=received_on, today=date(2027, 1, 1), window_days=5, count_start_day=count_start_day
    )
    assert [p.code for p in problems] == codes


def test_late_appeal_is_accepted_when_the_preset_does_not_refuse_it():
    problems = appeal_rules.filing_problems(
        published_on=PUBLISHED, received_on=date(2026, 12, 30), today=date(2027, 1, 1), window_days=5,
        count_start_day=False, late_appeals_refused=False,
    )  # fmt: skip
    assert problems == []


def test_window_closed_message_names_the_deadline_in_chinese():
    [problem] = appeal_rules.filing_problems(
        published_on=PUBLISHED, received_on=date(2026, 12, 26), today=date(2027, 1, 1), window_days=5, count_start_day=False
    )
    assert "2026年12月25日" in problem.message and "不予受理" in problem.message


@pytest.mark.parametrize(
    "published_on,received_on,today,code",
    [
        (None, date(2026, 12, 21), date(2026, 12, 21), "not_published"),
        (PUBLISHED, date(2026, 12, 22), date(2026, 12, 21), "received_in_future"),
    ],
)
def test_filing_refusals_before_the_window(published_on, received_on, today, code):
    problems = appeal_rules.filing_problems(
        published_on=published_on, received_on=received_on, today=today, window_days=5, count_start_day=False
    )
    assert [p.code for p in problems] == [code]


@pytest.mark.parametrize(
    "received_on,decided_on,today,count_start_day,overdue",
    [
        (date(2026, 12, 21), date(2026, 12, 24), date(2026, 12, 30), False, False),  # day 3 after receipt
        (date(2026, 12, 21), date(2026, 12, 25), date(2026, 12, 30), False, True),
        (date(2026, 12, 21), date(2026, 12, 24), date(2026, 12, 30), True, True),  # counted from day 1: due 12-23
        (date(2026, 12, 21), None, date(2026, 12, 24), False, False),  # undecided, still in time
        (date(2026, 12, 21), None, date(2026, 12, 25), False, True),  # undecided past the deadline
    ],
)
def test_decision_overdue(received_on, decided_on, today, count_start_day, overdue):
    assert (
        appeal_rules.is_overdue(
            received_on=received_on, decided_on=decided_on, today=today, decision_days=3, count_start_day=count_start_day
        )
        is overdue
    )


@pytest.mark.parametrize(
    "decided_on,published_on,codes",
    [
        (date(2026, 12, 22), None, []),
        (date(2026, 12, 20), None, ["decided_before_received"]),
        (date(2026, 12, 28), None, ["decided_in_future"]),
        (date(2026, 12, 22), date(2026, 12, 21), ["published_before_decided"]),
        (date(2026, 12, 22), date(2026, 12, 22), []),
    ],
)
def test_decision_problems(decided_on, published_on, codes):
    problems = appeal_rules.decision_problems(
        received_on=date(2026, 12, 21), decided_on=decided_on, published_on=published_on, today=date(2026, 12, 27)
    )
    assert [p.code for p in problems] == codes


@pytest.mark.parametrize(
    "appeals,expected",
    [
        ([], (None, None, 0)),
        ([(date(2026, 12, 21), date(2026, 12, 22))], (date(2026, 12, 21), date(2026, 12, 22), 0)),
        (
            [(date(2026, 12, 21), date(2026, 12, 24)), (date(2026, 12, 23), date(2026, 12, 23))],
            (date(2026, 12, 23), date(2026, 12, 24), 0),
        ),
        ([(date(2026, 12, 21), date(2026, 12, 22)), (date(2026, 12, 23), None)], (date(2026, 12, 23), None, 1)),
    ],
)
def test_summary_for_the_calendar(appeals, expected):
    summary = appeal_rules.summarize(appeal_rules.AppealDates(r, d) for r, d in appeals)
    assert (summary.last_received_on, summary.all_decided_on, summary.undecided) == expected
