"""Test data with readable defaults and no randomness (STYLE.md §27). Setup goes through the real
services where a service exists, so tests exercise what users do."""

from __future__ import annotations

from datetime import date

from villages import services
from villages.models import Campaign, County, Role, RulePreset, Township, User, Village, VillagerGroup

ELECTION_DAY = date(2027, 1, 16)


def make_county(*, name: str = "清河县", code: str = "330199") -> County:
    return County.objects.get_or_create(code=code, defaults={"name": name})[0]


def make_township(*, name: str = "青山镇", code: str = "330199101", county: County | None = None) -> Township:
    return Township.objects.create(county=county or make_county(), name=name, code=code)


def make_village(
    *, township: Township, name: str = "东山村", code: str | None = None, groups: int = 2, **fields
) -> Village:
    code = code or f"{township.code}{201 + Village.objects.filter(township=township).count()}"
    village = Village.objects.create(township=township, name=name, code=code, **fields)
    for number in range(1, groups + 1):
        VillagerGroup.objects.create(village=village, number=number, name=f"第{number}组")
    return village


def make_user(
    *,
    username: str,
    role: str = Role.CLERK,
    township: Township | None = None,
    county: County | None = None,
    villages: tuple[Village, ...] = (),
) -> User:
    user = User.objects.create_user(
        username=username, password="Test#Pass2026", role=role, township=township, county=county, display_name=username
    )
    user.villages.set(villages)
    return user


def preset(code: str = "VCOL_2018_NATIONAL") -> RulePreset:
    return RulePreset.objects.get(code=code)


def make_campaign(
    *, township: Township, by: User, term_number: int = 12, preset_code: str = "VCOL_2018_NATIONAL", day: date = ELECTION_DAY
) -> Campaign:
    return services.open_campaign(
        by=by, township=township, term_number=term_number, preset=preset(preset_code), default_election_day=day
    )
