"""Who may be registered as a voter: DOMAIN.md "Who is registered", LAW.md §1.3 and §0.1–§0.2.

``assess(facts, *, election_day, params)`` checks one person against every rule and lists **every**
rule that fails, each with a stable code, a Chinese message and the clause it follows (STYLE.md §5).
The election day is always passed in; this module never reads the clock and never imports the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from villages.law import ELECTION_LAW_2020, OL_2018, PROVISIONS_1983, Citation
from villages.presets import RuleParameters

# 年满十八周岁 (OL §13 ¶1; Civil Code Art. 17).
VOTING_AGE = 18

# Registration categories of OL §13 ¶2 (LAW.md §1.3).
HUJI_RESIDENT = "HUJI_RESIDENT"
HUJI_ABSENT = "HUJI_ABSENT"
RESIDENT_NON_HUJI = "RESIDENT_NON_HUJI"
CATEGORIES = {
    HUJI_RESIDENT: "户籍在本村并且在本村居住",
    HUJI_ABSENT: "户籍在本村、不在本村居住，本人表示参加选举",
    RESIDENT_NON_HUJI: "户籍不在本村、在本村居住一年以上，经同意参加选举",
}

# The same three categories for the register of a 人大 选区 (Election Law Art. 27; 1983 Provisions §9
# ¶2): registered where the hukou is, living there or away; or, living here without the hukou, with a
# proof of voter status (选民资格证明) from the original district.
DISTRICT = "district"  # ``params.registration`` of the 人大 kind
DISTRICT_CATEGORIES = {
    HUJI_RESIDENT: "户籍在本选区并且在本选区居住",
    HUJI_ABSENT: "户籍在本选区、外出",
    RESIDENT_NON_HUJI: "户籍不在本选区、在本选区居住，持原选区选民资格证明",
}


def categories(params) -> dict[str, str]:
    """The registration categories of ``params``' kind, with their labels; a Party member register's are the
    members' standings (``villages.kinds.party_members``)."""
    from villages.kinds import UNIT_PARTY_ORGANISATION
    from villages.kinds.party_members import STANDINGS

    if params.registration == UNIT_PARTY_ORGANISATION:
        return STANDINGS
    return DISTRICT_CATEGORIES if params.registration == DISTRICT else CATEGORIES


# The two bodies that may approve a category-3 registration (OL §13 ¶2 (三)).
VILLAGERS_MEETING = "村民会议"
REPRESENTATIVES_MEETING = "村民代表会议"
APPROVAL_MEETINGS = (VILLAGERS_MEETING, REPRESENTATIVES_MEETING)

ERROR_MESSAGES = {
    "birth_date_missing": "没有出生日期，无法确定选举日是否年满十八周岁。",
    "under_age": "到选举日（{election_day}）未满十八周岁。",
    "deprived_of_political_rights": "依照法律被剥夺政治权利的人不能参加选举。",
    "incapable": "经村民选举委员会确认为无行为能力、不能行使选举权利，不列入选民名单。",
    "category_missing": "登记类别无效：应为户籍在本村并居住、户籍在本村不居住、户籍不在本村居住三类之一。",
    "absent_statement_missing": "户籍在本村但不在本村居住的村民，须本人表示参加选举，并记录表示日期。",
    "absent_statement_after_election_day": "本人表示参加选举的日期晚于选举日。",
    "resident_since_missing": "户籍不在本村的村民，须记录在本村居住的起始日期。",
    "resident_too_short": "到选举日在本村居住不满{years}年（起始日期{since}）。",
    "resident_application_missing": "户籍不在本村的村民，须本人申请参加选举，并记录申请日期。",
    "resident_application_after_election_day": "参加选举的申请日期晚于选举日。",
    "resident_not_approved": "户籍不在本村的村民，须经村民会议或者村民代表会议同意，并记录会议和日期。",
    "resident_approval_after_election_day": "村民会议或者村民代表会议同意的日期晚于选举日。",
    "resident_approval_before_application": "会议同意的日期早于本人申请的日期。",
    "registered_elsewhere": "同一公民身份号码已在本届选举的其他村登记：{villages}。每人只能在一个村参加选举。",
}
# The 人大 register's wording where it differs (Election Law Arts. 26–27).
DISTRICT_MESSAGES = {
    "incapable": "经选举委员会确认不能行使选举权利的精神病患者，不列入选民名单。",
    "category_missing": "登记类别无效：应为户籍在本选区并居住、户籍在本选区外出、户籍不在本选区并持原选区选民资格证明三类之一。",
    "status_proof_missing": "户籍不在本选区的选民，须取得原选区的选民资格证明后在现居住地登记，并记录证明日期。",
    "status_proof_after_election_day": "原选区选民资格证明的日期晚于选举日。",
    "registered_elsewhere": "同一公民身份号码已在本届选举的其他选区登记：{villages}。每一选民只能在一个选区登记。",
}
_DISTRICT_CITATIONS: dict[str, Citation | None] = {
    "birth_date_missing": ELECTION_LAW_2020.art(3),
    "under_age": ELECTION_LAW_2020.art(3),
    "deprived_of_political_rights": ELECTION_LAW_2020.art(3),
    "incapable": ELECTION_LAW_2020.art(27, 2),
    "category_missing": ELECTION_LAW_2020.art(27, 1),
    "status_proof_missing": PROVISIONS_1983.art(9, 2),
    "status_proof_after_election_day": PROVISIONS_1983.art(9, 2),
    "registered_elsewhere": ELECTION_LAW_2020.art(27, 1),
}

# 无行为能力 has no article in the Organic Law; it rests on the election committee's recorded
# decision and provincial rules (LAW.md §1.3 "Exclusions"), so its failure carries no citation.
_CITATIONS: dict[str, Citation | None] = {
    "birth_date_missing": OL_2018.art(13, 1),
    "under_age": OL_2018.art(13, 1),
    "deprived_of_political_rights": OL_2018.art(13, 1),
    "incapable": None,
    "category_missing": OL_2018.art(13, 2),
    "absent_statement_missing": OL_2018.art(13, 2),
    "absent_statement_after_election_day": OL_2018.art(13, 2),
    "resident_since_missing": OL_2018.art(13, 2),
    "resident_too_short": OL_2018.art(13, 2),
    "resident_application_missing": OL_2018.art(13, 2),
    "resident_application_after_election_day": OL_2018.art(13, 2),
    "resident_not_approved": OL_2018.art(13, 2),
    "resident_approval_after_election_day": OL_2018.art(13, 2),
    "resident_approval_before_application": OL_2018.art(13, 2),
    "registered_elsewhere": OL_2018.art(13, 3),
}


@dataclass(frozen=True, kw_only=True)
class VoterFacts:
    """What the election committee knows about one person, as plain values.

    ``capacity_ok`` is False only when the committee has decided the person is 无行为能力.
    ``other_registrations`` names the other villages of the same round where the same ID number is
    registered. The evidence fields matter only for their category (LAW.md §1.3 table).
    """

    birth_date: date | None
    has_political_rights: bool
    capacity_ok: bool
    category: str | None
    sex: str | None = None
    statement_date: date | None = None  # HUJI_ABSENT: 本人表示参加选举
    residence_since: date | None = None  # RESIDENT_NON_HUJI
    application_date: date | None = None  # RESIDENT_NON_HUJI
    approval_meeting: str | None = None  # RESIDENT_NON_HUJI: one of APPROVAL_MEETINGS
    approval_date: date | None = None  # RESIDENT_NON_HUJI
    status_proof_on: date | None = None  # RESIDENT_NON_HUJI of a 人大 district: 原选区选民资格证明
    other_registrations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Failure:
    code: str
    message: str
    citation: Citation | None


@dataclass(frozen=True)
class Assessment:
    failures: tuple[Failure, ...]
    age: int | None  # 周岁 on election day

    @property
    def eligible(self) -> bool:
        return not self.failures

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(failure.code for failure in self.failures)


def add_years(start: date, years: int, *, leap_day_to_march_1: bool) -> date:
    """The same day ``years`` later; 29 February lands on 1 March or 28 February as asked."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        if leap_day_to_march_1:
            return date(start.year + years, 3, 1)
        return date(start.year + years, 2, 28)


def age_on(birth_date: date, day: date, *, leap_day_birthday_turns_on_march_1: bool = True) -> int:
    """周岁 on ``day``: completed years, a birthday counting from its own day (LAW.md §0.2).

    In a non-leap year a 29 February birthday falls on 1 March by default, or on 28 February
    (LAW.md §0.2 [U]).
    """
    years = day.year - birth_date.year
    birthday = add_years(birth_date, years, leap_day_to_march_1=leap_day_birthday_turns_on_march_1)
    return years if birthday <= day else years - 1


def adult_born_by(election_day: date, *, leap_day_birthday_turns_on_march_1: bool = True) -> date:
    """The last birth date of someone ``VOTING_AGE`` 周岁 or older on ``election_day``, as ``age_on``
    counts (LAW.md §0.2): everyone born on or before it is of age, nobody born after it is."""
    day, step = add_years(election_day, -VOTING_AGE, leap_day_to_march_1=False), timedelta(days=1)
    rule = {"leap_day_birthday_turns_on_march_1": leap_day_birthday_turns_on_march_1}
    while age_on(day, election_day, **rule) < VOTING_AGE:
        day -= step
    while age_on(day + step, election_day, **rule) >= VOTING_AGE:
        day += step
    return day


def assess(facts: VoterFacts, *, election_day: date, params: RuleParameters) -> Assessment:
    """Check one person for registration in one village's election, or in a 人大 选区's register
    (``params.registration``), and list every failed rule.

    Rules (DOMAIN.md "Who is registered"; OL §13): 18 周岁 on or before election day
    (``birth_date <= election_day - 18 years``, LAW.md §0.2); not deprived of political rights;
    not found 无行为能力 by the committee; one of the three categories with its evidence; registered in
    no other village of the round. Category 3 needs residence of ``params.category3_residence_years``
    or more, counted inclusively to election day (LAW.md §0.1 ``date_add(start, years=1) <= ref``),
    a personal application and the approval of a 村民会议 or 村民代表会议.
    """
    failures: list[Failure] = []
    age = None
    district = params.registration == DISTRICT

    def _failure(code: str, **values: object) -> Failure:
        return _failure_of(code, district=district, **values)

    if facts.birth_date is None:
        failures.append(_failure("birth_date_missing"))
    else:
        age = age_on(
            facts.birth_date,
            election_day,
            leap_day_birthday_turns_on_march_1=params.leap_day_birthday_turns_on_march_1,
        )
        if age < VOTING_AGE:
            failures.append(_failure("under_age", election_day=_cn_date(election_day)))
    if not facts.has_political_rights:
        failures.append(_failure("deprived_of_political_rights"))
    if not facts.capacity_ok:
        failures.append(_failure("incapable"))
    if district:
        failures.extend(_district_category_failures(facts, election_day=election_day))
    else:
        failures.extend(_category_failures(facts, election_day=election_day, params=params))
    if facts.other_registrations:
        failures.append(_failure("registered_elsewhere", villages="、".join(facts.other_registrations)))
    return Assessment(failures=tuple(failures), age=age)


def _district_category_failures(facts: VoterFacts, *, election_day: date) -> list[Failure]:
    """A 人大 district's register: by hukou, living here or away (Art. 27); or living here with the
    original district's proof of voter status (1983 Provisions §9 ¶2), dated no later than the vote."""
    if facts.category in (HUJI_RESIDENT, HUJI_ABSENT):
        return []
    if facts.category == RESIDENT_NON_HUJI:
        if facts.status_proof_on is None:
            return [_failure_of("status_proof_missing", district=True)]
        if facts.status_proof_on > election_day:
            return [_failure_of("status_proof_after_election_day", district=True)]
        return []
    return [_failure_of("category_missing", district=True)]


def _category_failures(facts: VoterFacts, *, election_day: date, params: RuleParameters) -> list[Failure]:
    if facts.category == HUJI_RESIDENT:
        return []
    if facts.category == HUJI_ABSENT:
        if facts.statement_date is None:
            return [_failure("absent_statement_missing")]
        if facts.statement_date > election_day:
            return [_failure("absent_statement_after_election_day")]
        return []
    if facts.category == RESIDENT_NON_HUJI:
        return _resident_non_huji_failures(facts, election_day=election_day, params=params)
    return [_failure("category_missing")]


def _resident_non_huji_failures(
    facts: VoterFacts, *, election_day: date, params: RuleParameters
) -> list[Failure]:
    failures = []
    years = params.category3_residence_years
    if facts.residence_since is None:
        failures.append(_failure("resident_since_missing"))
    # A period from 29 February ends on 28 February (Civil Code Art. 202: no matching day → month end).
    elif add_years(facts.residence_since, years, leap_day_to_march_1=False) > election_day:
        failures.append(_failure("resident_too_short", years=years, since=_cn_date(facts.residence_since)))

    if facts.application_date is None:
        failures.append(_failure("resident_application_missing"))
    elif facts.application_date > election_day:
        failures.append(_failure("resident_application_after_election_day"))

    if facts.approval_meeting not in APPROVAL_MEETINGS or facts.approval_date is None:
        failures.append(_failure("resident_not_approved"))
    elif facts.approval_date > election_day:
        failures.append(_failure("resident_approval_after_election_day"))
    elif facts.application_date is not None and facts.approval_date < facts.application_date:
        failures.append(_failure("resident_approval_before_application"))
    return failures


def _failure_of(code: str, *, district: bool, **values: object) -> Failure:
    if district:
        message = DISTRICT_MESSAGES.get(code, ERROR_MESSAGES.get(code, ""))
        return Failure(code=code, message=message.format(**values), citation=_DISTRICT_CITATIONS[code])
    return Failure(code=code, message=ERROR_MESSAGES[code].format(**values), citation=_CITATIONS[code])


def _failure(code: str, **values: object) -> Failure:
    return _failure_of(code, district=False, **values)


def _cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
