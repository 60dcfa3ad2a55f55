"""The demo's 人大 round: 清河县's county deputies and 青山镇's township deputies on one day (县乡同步),
built through the real services, idempotently. Called by ``villages.demo.load_demo``."""

from __future__ import annotations

from datetime import date, timedelta

from . import deputy_services, services
from .models import Campaign, CommitteeMember, Constituency, County, DistrictUnit, RulePreset, SeatDecision, Township, User

TERM = 18
WORKPLACE = ("青山镇机关事业单位", 380)
# Township districts (19, as in reference 000 篇4): village index, its villager groups (numbers), seats.
TOWNSHIP_DISTRICTS = [
    (0, (1, 2), 3), (0, (3, 4), 3), (0, (5,), 2), (1, (1, 2), 3), (1, (3, 4), 3), (2, (1, 2), 3), (2, (3, 4), 3),
    (2, (5, 6), 3), (3, (1, 2), 3), (3, (3,), 2), (4, (1, 2, 3), 3), (4, (4,), 1), (5, (1,), 2), (5, (2,), 2),
    (5, (3,), 2), (5, (4,), 2), (5, (5,), 2), (5, (6,), 2),
]
# County districts lying in 青山镇 (whole villages only): village indexes, seats.
COUNTY_DISTRICTS = [((0,), 3), ((1, 3), 3), ((2,), 3), ((4,), 2), ((5,), 3)]
COMMITTEE = [("何振华", "M", "chair"), ("冯丽君", "F", "vice_chair"), ("蒋立新", "M", "member")]


def load_deputies_demo(*, county: County, township: Township, villages: list, office: User, today: date) -> None:
    """Open both rounds with their seat decisions, committees and districts, unless they exist."""
    if Campaign.objects.of_kind("deputies").filter(county=county, term_number=TERM).exists():
        return
    preset = RulePreset.objects.get(code="ZHEJIANG_NPC")
    day = today + timedelta(days=45)
    county_round = deputy_services.open_deputy_round(
        by=office, level="county", county=county, township=None, term_number=TERM, preset=preset, default_election_day=day
    )
    township_round = deputy_services.open_deputy_round(
        by=office, level="township", county=county, township=township, term_number=TERM, preset=preset, default_election_day=day
    )
    decisions = (
        (county_round, 168_000, 170, "浙江省人大常委会", "浙人大常〔2026〕21号", 55, 42),
        (township_round, sum(v.population for v in villages) + WORKPLACE[1], 45, "清河县人大常委会", "清人常〔2026〕8号", 14, 11),
    )
    for campaign, population, seats, body, number, women, non_party in decisions:
        deputy_services.record_seat_decision(
            by=office, campaign=campaign, planned_women=women, planned_non_party=non_party,
            decision=SeatDecision(population=population, population_source="2025年末户籍人口", adopted_seats=seats,
                                  decided_by=body, document_number=number, decided_on=today - timedelta(days=20)),
        )
        for name, sex, position in COMMITTEE:
            services.save_committee_member(by=office, member=CommitteeMember(campaign=campaign, name=name, sex=sex, position=position))
    for number, (index, group_numbers, seats) in enumerate(TOWNSHIP_DISTRICTS, start=1):
        village = villages[index]
        groups = [g for g in village.groups.all() if g.number in group_numbers]
        count = village.groups.count()
        share = village.population * len(groups) // count
        name = f"{village.name}{'、'.join(g.name for g in groups)}"[:50]
        _district(office, township_round, township, number, name, share, seats, groups=groups)
    unit_district = _district(office, township_round, township, len(TOWNSHIP_DISTRICTS) + 1, "镇机关事业单位", WORKPLACE[1], 1,
                              basis=Constituency.Basis.WORKPLACE)
    deputy_services.save_district_unit(by=office, unit=DistrictUnit(district=unit_district, name=WORKPLACE[0], population=WORKPLACE[1]))
    for number, (indexes, seats) in enumerate(COUNTY_DISTRICTS, start=1):
        members = [villages[i] for i in indexes]
        population = sum(v.population for v in members) + (WORKPLACE[1] if number == 4 else 0)
        district = _district(office, county_round, township, number, "、".join(v.name for v in members), population, seats, villages=members)
        if number == 4:
            deputy_services.save_district_unit(by=office, unit=DistrictUnit(district=district, name=WORKPLACE[0], population=WORKPLACE[1]))


def _district(office, campaign, township, number, name, population, seats, *, villages=(), groups=(), basis=Constituency.Basis.RESIDENCE):
    district = Constituency(campaign=campaign, township=township, number=number, name=name, basis=basis,
                            population=population, deputy_seats=seats)
    return deputy_services.save_district(by=office, district=district, villages=list(villages), groups=list(groups))
