"""The demo township: a realistic setup built through the real services, idempotently."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from . import services
from .demo_deputies import load_deputies_demo
from .models import Campaign, CommitteeMember, County, Role, RulePreset, Township, User, Village, VillagerGroup

DEMO_PASSWORD = "Xuanju#2026"

VILLAGES = [
    # name, code suffix, population, households, natural villages, multi-ethnic, groups
    ("东山村", "201", 2860, 812, 4, False, ["东山", "上坞", "下坞", "竹林", "茶园"]),
    ("西岭村", "202", 1935, 566, 3, False, ["西岭", "岭脚", "岭头", "后山"]),
    ("南湖村", "203", 3412, 1024, 5, False, ["湖东", "湖西", "湖南", "湖北", "渔港", "新村"]),
    ("北塘村", "204", 1580, 471, 2, False, ["北塘", "塘口", "塘里"]),
    ("畲乡村", "205", 1266, 378, 3, True, ["畲乡", "山哈", "凤凰", "枫树"]),
    ("中和社区", "206", 4120, 1310, 1, False, ["一组", "二组", "三组", "四组", "五组", "六组"]),
]

COMMITTEE = [("陈国华", "M", "chair"), ("李秀英", "F", "vice_chair"), ("王建平", "M", "member"), ("张丽", "F", "member"), ("刘永强", "M", "member")]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    scope: str


@transaction.atomic
def load_demo(*, today: date) -> list[DemoLogin]:
    """Build 青山镇 of 清河县 with six villages, a round under the Zhejiang preset, one user of each
    role, and a 人大 round of the county and the township on one day (``villages.demo_deputies``).
    Running it again changes nothing that already exists."""
    presets = services.ensure_builtin_presets()
    county, _ = County.objects.get_or_create(code="330199", defaults={"name": "清河县"})
    township, _ = Township.objects.get_or_create(code="330199101", defaults={"county": county, "name": "青山镇"})
    admin = _user("admin", "系统管理员", Role.ADMIN, None, is_superuser=True)
    villages = []
    for name, suffix, population, households, natural, multiethnic, groups in VILLAGES:
        village = Village.objects.filter(code=f"{township.code}{suffix}").first()
        if village is None:
            village = services.save_village(
                by=admin,
                village=Village(
                    township=township,
                    name=name,
                    code=f"{township.code}{suffix}",
                    population=population,
                    households=households,
                    natural_villages=natural,
                    is_multiethnic=multiethnic,
                ),
            )
            for number, group in enumerate(groups, start=1):
                label = group if group.endswith("组") else f"{group}组"
                services.save_villager_group(by=admin, group=VillagerGroup(village=village, number=number, name=label))
        villages.append(village)

    clerk = _user("clerk", "周敏", Role.CLERK, township)
    liaison_a = _user("liaison_a", "吴志刚", Role.LIAISON, township, villages=villages[:2])
    _user("liaison_b", "郑晓燕", Role.LIAISON, township, villages=villages[2:4])
    _user("supervisor", "孙建国", Role.SUPERVISOR, township)
    _user("county_supervisor", "钱文华", Role.SUPERVISOR, None, county=county)
    county_office = _user("county_office", "韩卫东", Role.COUNTY_OFFICE, None, county=county)

    campaign = Campaign.objects.of_kind("village_committee").filter(township=township, term_number=12).first()
    if campaign is None:
        zhejiang = next(p for p in presets if p.code == "ZHEJIANG_2020")
        campaign = services.open_campaign(
            by=clerk,
            township=township,
            term_number=12,
            preset=RulePreset.objects.get(pk=zhejiang.pk),
            default_election_day=today + timedelta(days=28),
        )
        _set_up_first_election(campaign, clerk, today)
    del liaison_a
    load_deputies_demo(county=county, township=township, villages=villages, office=county_office, today=today)
    return [
        DemoLogin("admin", "系统管理员", "全部"),
        DemoLogin("clerk", "乡镇选举办工作人员", township.name),
        DemoLogin("liaison_a", "村联络员", "、".join(v.name for v in villages[:2])),
        DemoLogin("liaison_b", "村联络员", "、".join(v.name for v in villages[2:4])),
        DemoLogin("supervisor", "督导", township.name),
        DemoLogin("county_supervisor", "督导", f"{county.name}（全县）"),
        DemoLogin("county_office", "县选举办工作人员", f"{county.name}人大代表选举（县、乡两级）"),
    ]


def _set_up_first_election(campaign: Campaign, clerk: User, today: date) -> None:
    """Give the first village a formed election committee and five seats, so the demo shows a
    village ready to register voters next to villages still in preparation."""
    election = campaign.elections.with_places().order_by("village__code").first()
    election.seats_vice_chair = 1
    election.seats_member = 3
    election.committee_chosen_by = election.ChosenBy.REPRESENTATIVES_MEETING
    election.committee_chosen_on = today - timedelta(days=3)
    services.update_election_setup(by=clerk, election=election, expected_version=election.version)
    for order, (name, sex, position) in enumerate(COMMITTEE, start=1):
        services.save_committee_member(
            by=clerk, member=CommitteeMember(election=election, name=name, sex=sex, position=position, selection_order=order)
        )


def _user(username, display_name, role, township, *, villages=(), county=None, is_superuser=False) -> User:
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user
    user = User(
        username=username,
        display_name=display_name,
        role=role,
        township=township,
        county=county,
        is_staff=is_superuser,
        is_superuser=is_superuser,
    )
    return services.save_user(by=None, user=user, villages=list(villages), password=DEMO_PASSWORD)
