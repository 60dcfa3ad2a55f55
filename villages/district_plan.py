"""The 选区划分和代表名额分配方案 of a 人大 round, computed once for the screen and the PDF (STYLE.md §7).

Reads districts with their villages, villager groups and units (a fixed number of queries whatever
the number of districts) and applies the pure rules of ``villages.kinds.districting`` and
``villages.kinds.deputy_seats``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .kinds import LEVEL_LABELS
from .kinds.deputy_seats import SeatCeiling, seat_ceiling
from .kinds.districting import (
    DEVIATION_LABEL,
    DRAFT_LABEL,
    Coverage,
    DistrictFigures,
    DistrictRatio,
    Membership,
    coverage,
    largest_remainder,
    ratios,
)


@dataclass(frozen=True)
class DistrictRow:
    district: object
    members: str  # villages, villager groups and units, as printed
    ratio: DistrictRatio
    draft_seats: int | None


@dataclass(frozen=True)
class DistrictPlan:
    campaign: object
    rows: list[DistrictRow]
    population: int
    seats: int
    mean: Fraction | None
    largest: DistrictRow | None  # most population per deputy
    smallest: DistrictRow | None  # least population per deputy
    most_seats: DistrictRow | None
    fewest_seats: DistrictRow | None
    flagged: int
    threshold_percent: int
    decision: object | None
    ceiling: SeatCeiling | None
    coverage: Coverage
    not_covered: list[str]  # names of villages in no district of this level
    covered_twice: list[str]  # "东山村：第1选区、第2选区"
    split: list[str]  # villages shared among districts by villager groups (allowed or not)
    split_not_allowed: list[str]
    groups_missing: list[str]
    draft_tied: list
    draft_out_of_range: list
    complete: bool  # the reader sees every district of the round
    deviation_label: str = DEVIATION_LABEL
    draft_label: str = DRAFT_LABEL

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.campaign.level]

    @property
    def seats_match_decision(self) -> bool | None:
        return None if self.decision is None else self.seats == self.decision.adopted_seats


def members_label(district) -> str:
    parts = [v.name for v in district.villages.all()]
    by_village: dict[str, list[str]] = {}
    for group in district.groups.all():
        by_village.setdefault(group.village.name, []).append(group.name)
    parts += [f"{village}（{'、'.join(names)}）" for village, names in by_village.items()]
    parts += [f"{unit.name}（{unit.get_kind_display()}）" for unit in district.units.all()]
    return "、".join(parts)


def plan_for(user, campaign) -> DistrictPlan:
    """The plan of ``campaign`` over the districts and villages ``user`` may see: a fixed number of
    queries whatever the number of districts (districts, their villages, groups and units; the
    villages checked with their groups; the seat decision; two counts)."""
    from .access import districts_visible_to, villages_visible_to
    from .models import Constituency, SeatDecision

    districts = districts_visible_to(user).filter(campaign=campaign).select_related("township").with_members()
    districts = districts.order_by("number")
    villages = villages_visible_to(user).filter(township__county_id=campaign.county_id)
    if campaign.township_id:
        villages = villages.filter(township_id=campaign.township_id)
    villages = villages.prefetch_related("groups").order_by("code")
    decision = SeatDecision.objects.filter(campaign=campaign).first()
    complete = districts.count() == Constituency.objects.filter(campaign=campaign).count()
    return build_plan(campaign, districts, villages, decision=decision, complete=complete)


def build_plan(campaign, districts, villages, *, decision, complete: bool) -> DistrictPlan:
    """The plan of ``campaign`` over ``districts`` (prefetched ``with_members``) and the ``villages``
    (prefetched with their groups) whose coverage is checked."""
    districts = list(districts)
    rules = campaign.rules
    summary = ratios(
        [DistrictFigures(d.pk, d.population, d.deputy_seats) for d in districts],
        threshold_percent=rules.district_deviation_percent,
    )
    total = decision.adopted_seats if decision else summary.seats
    draft = largest_remainder(
        [(d.pk, d.population) for d in districts],
        total_seats=total,
        seats_min=rules.district_seats_min,
        seats_max=rules.district_seats_max,
    )
    rows = [
        DistrictRow(d, members_label(d), ratio, draft.seats.get(d.pk))
        for d, ratio in zip(districts, summary.rows, strict=True)
    ]
    by_key = {row.district.pk: row for row in rows}
    villages = list(villages)
    memberships = [
        Membership(
            d.pk,
            frozenset(v.pk for v in d.villages.all()),
            frozenset((g.village_id, g.pk) for g in d.groups.all()),
        )
        for d in districts
    ]
    allow_split = campaign.level != "county" or rules.county_district_may_split_village
    covered = coverage(
        [v.pk for v in villages], {v.pk: [g.pk for g in v.groups.all()] for v in villages}, memberships, allow_split=allow_split
    )
    ceiling = (
        seat_ceiling(level=campaign.level, population=decision.population, params=rules, extra=decision.extra_five_percent)
        if decision
        else None
    )
    return DistrictPlan(
        campaign=campaign,
        rows=rows,
        population=summary.population,
        seats=summary.seats,
        mean=summary.mean,
        largest=by_key[summary.largest.key] if summary.largest else None,
        smallest=by_key[summary.smallest.key] if summary.smallest else None,
        most_seats=max(rows, key=lambda r: r.district.deputy_seats, default=None),
        fewest_seats=min(rows, key=lambda r: r.district.deputy_seats, default=None),
        flagged=sum(1 for row in rows if row.ratio.flagged),
        threshold_percent=summary.threshold_percent,
        decision=decision,
        ceiling=ceiling,
        coverage=covered,
        **_coverage_lines(covered, {v.pk: v for v in villages}, by_key),
        draft_tied=[by_key[k].district for k in draft.tied],
        draft_out_of_range=[by_key[k].district for k in draft.out_of_range],
        complete=complete,
    )


def _coverage_lines(covered: Coverage, villages: dict, rows: dict) -> dict:
    def districts(keys):
        return "、".join(f"第{rows[k].district.number}选区" for k in keys)

    groups = {g.pk: g.name for v in villages.values() for g in v.groups.all()}
    return {
        "not_covered": [villages[pk].name for pk in covered.not_covered],
        "covered_twice": [f"{villages[pk].name}：{districts(keys)}" for pk, keys in covered.covered_twice.items()],
        "split": [f"{villages[pk].name}：{districts(keys)}" for pk, keys in covered.split.items()],
        "split_not_allowed": [villages[pk].name for pk in covered.split_not_allowed],
        "groups_missing": [
            f"{villages[pk].name}：{'、'.join(groups[g] for g in missing)}" for pk, missing in covered.groups_missing.items()
        ],
    }
