import dataclasses
from datetime import date, timedelta

import pytest

from villages.law import OL_2018
from villages.presets import RuleParameters
from voters.eligibility import (
    ERROR_MESSAGES,
    HUJI_ABSENT,
    HUJI_RESIDENT,
    REPRESENTATIVES_MEETING,
    RESIDENT_NON_HUJI,
    VILLAGERS_MEETING,
    VOTING_AGE,
    VoterFacts,
    adult_born_by,
    age_on,
    assess,
)

ELECTION_DAY = date(2026, 3, 15)
PARAMS = RuleParameters()
LEAP_TO_FEB_28 = dataclasses.replace(PARAMS, leap_day_birthday_turns_on_march_1=False)


def facts(**overrides) -> VoterFacts:
    values = {
        "birth_date": date(1980, 1, 1),
        "has_political_rights": True,
        "capacity_ok": True,
        "category": HUJI_RESIDENT,
    }
    return VoterFacts(**{**values, **overrides})


def cat3(**overrides) -> VoterFacts:
    values = {
        "category": RESIDENT_NON_HUJI,
        "residence_since": date(2024, 6, 1),
        "application_date": date(2026, 1, 10),
        "approval_meeting": REPRESENTATIVES_MEETING,
        "approval_date": date(2026, 1, 20),
    }
    return facts(**{**values, **overrides})


def codes(voter: VoterFacts, *, election_day: date = ELECTION_DAY, params: RuleParameters = PARAMS):
    return assess(voter, election_day=election_day, params=params).codes


def test_voting_age_is_18():
    assert VOTING_AGE == 18


@pytest.mark.parametrize(
    ("birth_date", "eligible"),
    [
        (date(2008, 3, 14), True),  # 18th birthday the day before
        (date(2008, 3, 15), True),  # 18th birthday on election day itself
        (date(2008, 3, 16), False),  # 18th birthday one day after
        (date(2026, 3, 15), False),
        (date(1925, 3, 15), True),
    ],
)
def test_person_is_18_on_or_before_election_day_inclusive(birth_date, eligible):
    result = codes(facts(birth_date=birth_date))
    assert ("under_age" not in result) is eligible


@pytest.mark.parametrize(
    ("election_day", "params", "eligible"),
    [
        (date(2026, 2, 28), PARAMS, False),  # default: a 29 February birthday turns 18 on 1 March
        (date(2026, 3, 1), PARAMS, True),
        (date(2026, 2, 28), LEAP_TO_FEB_28, True),
        (date(2026, 2, 27), LEAP_TO_FEB_28, False),
    ],
)
def test_leap_day_birthday_turns_18_on_the_configured_day(election_day, params, eligible):
    result = codes(facts(birth_date=date(2008, 2, 29)), election_day=election_day, params=params)
    assert ("under_age" not in result) is eligible


@pytest.mark.parametrize("march_1", [True, False])
def test_leap_day_birthday_in_a_leap_year_is_29_february_whatever_the_setting(march_1):
    # An 18th birthday never falls in a leap year (born in one, 18 years on is not), so this shows it on age 20.
    assert age_on(date(2012, 2, 29), date(2032, 2, 28), leap_day_birthday_turns_on_march_1=march_1) == 19
    assert age_on(date(2012, 2, 29), date(2032, 2, 29), leap_day_birthday_turns_on_march_1=march_1) == 20


@pytest.mark.parametrize(
    ("birth_date", "day", "march_1", "age"),
    [
        (date(1980, 5, 10), date(2026, 5, 9), True, 45),
        (date(1980, 5, 10), date(2026, 5, 10), True, 46),
        (date(2008, 2, 29), date(2026, 2, 28), True, 17),
        (date(2008, 2, 29), date(2026, 3, 1), True, 18),
        (date(2008, 2, 29), date(2026, 2, 28), False, 18),
        (date(2008, 2, 29), date(2026, 2, 27), False, 17),
        (date(2026, 5, 10), date(2026, 5, 10), True, 0),
    ],
)
def test_age_on_counts_completed_years(birth_date, day, march_1, age):
    assert age_on(birth_date, day, leap_day_birthday_turns_on_march_1=march_1) == age


@pytest.mark.parametrize("election_day", [date(2026, 3, 15), date(2026, 2, 28), date(2026, 3, 1), date(2028, 2, 29),
                                          date(2027, 1, 1), date(2026, 12, 31)])
@pytest.mark.parametrize("march_1", [True, False])
def test_adult_born_by_splits_birth_dates_exactly_where_age_on_does(election_day, march_1):
    last = adult_born_by(election_day, leap_day_birthday_turns_on_march_1=march_1)
    for offset in range(-800, 800):  # two years each side, leap days included
        born = last + timedelta(days=offset)
        is_adult = age_on(born, election_day, leap_day_birthday_turns_on_march_1=march_1) >= VOTING_AGE
        assert is_adult is (born <= last), born


def test_assessment_reports_age_on_election_day():
    assert assess(facts(birth_date=date(2008, 3, 15)), election_day=ELECTION_DAY, params=PARAMS).age == 18


@pytest.mark.parametrize(
    ("voter", "expected"),
    [
        (facts(), ()),
        (facts(birth_date=None), ("birth_date_missing",)),
        (facts(has_political_rights=False), ("deprived_of_political_rights",)),
        (facts(capacity_ok=False), ("incapable",)),
        (facts(category=None), ("category_missing",)),
        (facts(category="OTHER"), ("category_missing",)),
        (facts(other_registrations=("东村",)), ("registered_elsewhere",)),
        (facts(category=HUJI_ABSENT, statement_date=date(2026, 2, 1)), ()),
        (facts(category=HUJI_ABSENT, statement_date=ELECTION_DAY), ()),
        (facts(category=HUJI_ABSENT), ("absent_statement_missing",)),
        (facts(category=HUJI_ABSENT, statement_date=date(2026, 3, 16)), ("absent_statement_after_election_day",)),
    ],
)
def test_assess_checks_each_rule(voter, expected):
    assert codes(voter) == expected


def test_assess_lists_every_failed_rule_not_only_the_first():
    voter = facts(
        birth_date=date(2010, 1, 1),
        has_political_rights=False,
        capacity_ok=False,
        category=RESIDENT_NON_HUJI,
        other_registrations=("东村", "西村"),
    )
    result = assess(voter, election_day=ELECTION_DAY, params=PARAMS)
    assert not result.eligible
    assert result.codes == (
        "under_age",
        "deprived_of_political_rights",
        "incapable",
        "resident_since_missing",
        "resident_application_missing",
        "resident_not_approved",
        "registered_elsewhere",
    )


@pytest.mark.parametrize(
    ("residence_since", "years", "eligible"),
    [
        (date(2025, 3, 15), 1, True),  # exactly one year on election day: 一年以上 is inclusive
        (date(2025, 3, 16), 1, False),  # one day short
        (date(2025, 3, 14), 1, True),
        (date(2024, 3, 15), 2, True),
        (date(2024, 3, 16), 2, False),
        (date(2026, 3, 15), 1, False),
    ],
)
def test_category_3_needs_residence_of_the_preset_years_inclusive(residence_since, years, eligible):
    params = dataclasses.replace(PARAMS, category3_residence_years=years)
    result = codes(cat3(residence_since=residence_since), params=params)
    assert ("resident_too_short" not in result) is eligible


@pytest.mark.parametrize(
    ("election_day", "eligible"),
    [
        (date(2025, 2, 28), True),  # from 29 February, one year ends on 28 February (Civil Code Art. 202)
        (date(2025, 2, 27), False),
    ],
)
def test_category_3_residence_from_29_february(election_day, eligible):
    voter = cat3(residence_since=date(2024, 2, 29), application_date=date(2025, 1, 2), approval_date=date(2025, 1, 5))
    assert (codes(voter, election_day=election_day) == ()) is eligible


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, ()),
        ({"approval_meeting": VILLAGERS_MEETING}, ()),
        ({"approval_meeting": None}, ("resident_not_approved",)),
        ({"approval_meeting": "村民小组会议"}, ("resident_not_approved",)),
        ({"approval_date": None}, ("resident_not_approved",)),
        ({"approval_date": date(2026, 3, 16)}, ("resident_approval_after_election_day",)),
        ({"approval_date": date(2026, 1, 9)}, ("resident_approval_before_application",)),
        ({"approval_date": date(2026, 1, 10)}, ()),  # same day as the application
        ({"application_date": None}, ("resident_application_missing",)),
        (
            {"application_date": date(2026, 3, 16), "approval_date": date(2026, 3, 16)},
            ("resident_application_after_election_day", "resident_approval_after_election_day"),
        ),
        ({"residence_since": None}, ("resident_since_missing",)),
    ],
)
def test_category_3_needs_application_and_meeting_approval(overrides, expected):
    assert codes(cat3(**overrides)) == expected


def test_category_3_evidence_is_not_asked_of_other_categories():
    assert codes(facts(category=HUJI_RESIDENT)) == ()
    assert codes(facts(category=HUJI_ABSENT, statement_date=date(2026, 1, 1))) == ()


def test_registered_elsewhere_message_names_the_other_villages():
    result = assess(facts(other_registrations=("东村", "西村")), election_day=ELECTION_DAY, params=PARAMS)
    assert "东村" in result.failures[0].message and "西村" in result.failures[0].message


@pytest.mark.parametrize(
    ("voter", "citation"),
    [
        (facts(birth_date=date(2010, 1, 1)), OL_2018.art(13, 1)),
        (facts(has_political_rights=False), OL_2018.art(13, 1)),
        (facts(category=HUJI_ABSENT), OL_2018.art(13, 2)),
        (cat3(residence_since=None), OL_2018.art(13, 2)),
        (facts(other_registrations=("东村",)), OL_2018.art(13, 3)),
        (facts(capacity_ok=False), None),
    ],
)
def test_failures_cite_their_clause(voter, citation):
    (failure,) = assess(voter, election_day=ELECTION_DAY, params=PARAMS).failures
    assert failure.citation == citation


def test_every_failure_code_has_a_chinese_message():
    voter = facts(
        birth_date=date(2010, 1, 1), has_political_rights=False, capacity_ok=False, other_registrations=("东村",)
    )
    for failure in assess(voter, election_day=ELECTION_DAY, params=PARAMS).failures:
        assert failure.code in ERROR_MESSAGES
        assert "{" not in failure.message
