"""四增四减: who joined and who left the register since last term (DOMAIN.md; LAW.md §2.9).

``compare_registers`` matches last term's register with this one by ID number and gives each added
or removed person a reason code from ``RuleParameters.register_change_reasons`` (the preset's copy of
``villages.presets.REGISTER_CHANGE_REASONS``). A reason recorded by the clerk wins; otherwise one is
inferred only where the data proves it, and a person with no provable reason gets None, shown as
待核实 so that the clerk checks them.

Pure module: no Django, no clock.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from villages.presets import REGISTER_CHANGE_REASONS, RuleParameters

from .eligibility import RESIDENT_NON_HUJI, VOTING_AGE, age_on
from .idnumber import IdNumberError, normalize_id_number, parse_id_number, upgrade_legacy_number

UNVERIFIED = "待核实"
ADD_PREFIX = "ADD_"
REMOVE_PREFIX = "REM_"


@dataclass(frozen=True, kw_only=True)
class RegisterEntry:
    """One person on a register; ``change_reason`` is a reason code the clerk recorded, if any."""

    id_number: str
    name: str
    birth_date: date | None = None  # taken from the ID number when missing
    category: str | None = None  # eligibility.HUJI_RESIDENT etc., on this term's register
    change_reason: str | None = None
    voter_id: int | None = None  # the caller's row, so a page can record a reason without showing the number


@dataclass(frozen=True)
class RegisterChange:
    entry: RegisterEntry
    reason: str | None  # a key of the preset's register_change_reasons, or None
    reason_label: str  # the preset's label, or 待核实
    inferred: bool  # True when the reason was worked out here rather than recorded


@dataclass(frozen=True)
class RegisterChanges:
    added: tuple[RegisterChange, ...]
    removed: tuple[RegisterChange, ...]
    unchanged: int


def compare_registers(
    *,
    previous: Sequence[RegisterEntry],
    current: Sequence[RegisterEntry],
    previous_election_day: date | None,
    election_day: date,
    params: RuleParameters | None = None,
    registered_elsewhere: Collection[str] = (),
) -> RegisterChanges:
    """List additions (增) and removals (减) between two registers, in register order.

    ID numbers are compared after normalisation, so a legacy 15-digit number on last term's list
    matches its 18-digit form. Inferred reasons: ADD_NEW_18 for someone under 18 on the previous
    election day and 18 or over on this one (they cannot have been on the old list); ADD_CAT3_APPROVED
    for an addition registered under category 3 (RESIDENT_NON_HUJI), whose approval is per election;
    REM_REGISTERED_ELSEWHERE for a removal whose number is in ``registered_elsewhere`` (numbers
    registered in another village of this round). Recorded reasons must point the right way (ADD_ for
    an addition, REM_ for a removal) and exist in the preset, else they are ignored.
    """
    reasons = params.register_change_reasons if params is not None else REGISTER_CHANGE_REASONS
    previous_keys = {_key(entry.id_number) for entry in previous}
    current_keys = {_key(entry.id_number) for entry in current}
    elsewhere = {_key(number) for number in registered_elsewhere}
    leap_rule = params.leap_day_birthday_turns_on_march_1 if params is not None else True

    added = []
    for entry in _first_of_each(current):
        if _key(entry.id_number) in previous_keys:
            continue
        inferred = _inferred_addition(
            entry, previous_election_day=previous_election_day, election_day=election_day, leap_rule=leap_rule
        )
        added.append(_change(entry, inferred=inferred, prefix=ADD_PREFIX, reasons=reasons))

    removed = []
    for entry in _first_of_each(previous):
        key = _key(entry.id_number)
        if key in current_keys:
            continue
        inferred = "REM_REGISTERED_ELSEWHERE" if key in elsewhere else None
        removed.append(_change(entry, inferred=inferred, prefix=REMOVE_PREFIX, reasons=reasons))

    return RegisterChanges(
        added=tuple(added), removed=tuple(removed), unchanged=len(previous_keys & current_keys)
    )


def _inferred_addition(
    entry: RegisterEntry, *, previous_election_day: date | None, election_day: date, leap_rule: bool
) -> str | None:
    birth_date = entry.birth_date or _birth_date_from_number(entry.id_number, today=election_day)
    if birth_date is not None and previous_election_day is not None:
        before = age_on(birth_date, previous_election_day, leap_day_birthday_turns_on_march_1=leap_rule)
        now = age_on(birth_date, election_day, leap_day_birthday_turns_on_march_1=leap_rule)
        if before < VOTING_AGE <= now:
            return "ADD_NEW_18"
    if entry.category == RESIDENT_NON_HUJI:
        return "ADD_CAT3_APPROVED"
    return None


def _change(entry: RegisterEntry, *, inferred: str | None, prefix: str, reasons: dict[str, str]) -> RegisterChange:
    recorded = entry.change_reason
    if recorded and recorded.startswith(prefix) and recorded in reasons:
        return RegisterChange(entry=entry, reason=recorded, reason_label=reasons[recorded], inferred=False)
    # A reason the preset has relabelled away cannot be shown, so it is left for the clerk.
    if inferred is not None and inferred in reasons:
        return RegisterChange(entry=entry, reason=inferred, reason_label=reasons[inferred], inferred=True)
    return RegisterChange(entry=entry, reason=None, reason_label=UNVERIFIED, inferred=False)


def _first_of_each(entries: Sequence[RegisterEntry]) -> list[RegisterEntry]:
    # A number listed twice is the duplicate check's business; here it is one person.
    seen: set[str] = set()
    unique = []
    for entry in entries:
        key = _key(entry.id_number)
        if key not in seen:
            seen.add(key)
            unique.append(entry)
    return unique


def _key(id_number: str) -> str:
    # Old registers hold 15-digit numbers, lower-case x and full-width digits; compare cleaned forms.
    try:
        number = normalize_id_number(id_number)
    except IdNumberError:
        return id_number.strip()
    if len(number) == 15 and number.isdigit():
        return upgrade_legacy_number(number)
    return number


def _birth_date_from_number(id_number: str, *, today: date) -> date | None:
    try:
        return parse_id_number(id_number, today=today).birth_date
    except IdNumberError:
        return None
