"""Writes for the setup of a 人大 round (县乡两级人大代表选举): the round, its seat decision and plan
figures, its election committee, and its 选区 with their units.

Each service takes the actor as ``by``, runs in one transaction, writes one audit entry and raises
``ValidationError(message, code=…)`` for a business failure (STYLE.md §8–§10). The rules they apply
live in ``villages.kinds.deputies``, ``villages.kinds.deputy_seats`` and ``villages.kinds.districting``.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from . import stages
from .access import check_deputy_round_write
from .audit import diff, log_action, snapshot
from .kinds import COUNTY, TOWNSHIP
from .kinds.deputy_seats import seat_ceiling
from .models import (
    Campaign,
    CommitteeMember,
    Constituency,
    County,
    DistrictUnit,
    Election,
    ElectionType,
    RulePreset,
    SeatDecision,
    Township,
    User,
    Village,
    VillagerGroup,
)
from .versioning import save_versioned

ERROR_MESSAGES = {
    "preset_wrong_kind": "所选规则预设不适用于人大代表选举。",
    "township_required": "乡级人大代表选举须选择乡镇。",
    "township_not_in_county": "所选乡镇不属于{county}。",
    "round_exists": "{place}第{term}届人民代表大会代表选举已经存在。",
    "seats_above_ceiling": "决定的代表总名额{seats}名超过选举法第十二条的上限{ceiling}名。",
    "seats_below_floor": "决定的代表总名额{seats}名少于基数{floor}名；只有人口较少时总名额才可以少于基数（选举法第十二条）。",
    "plan_exceeds_seats": "计划{label}{planned}名，超过代表总名额{seats}名。",
    "district_not_deputies": "选区必须属于一次人大代表选举。",
    "district_seats_range": "每一选区选{low}名至{high}名代表（选举法第二十五条），本选区为{seats}名。",
    "district_township_outside": "县级选区所在乡镇须属于{county}。",
    "district_township_mismatch": "乡级选区须位于{township}。",
    "district_village_outside": "以下村不在本选区所在乡镇：{names}",
    "district_group_outside": "以下村民小组不在本选区所在乡镇：{names}",
    "district_group_and_village": "{names}已整村划入本选区，不必再选其村民小组。",
    "district_split_not_allowed": "本规则预设不允许县级选区拆分行政村，请整村划入：{names}",
    "district_empty": "选区至少要包含一个村、村民小组或单位。",
    "member_already_left": "{name}已于{on}离开选举委员会。",
    "district_seats_fixed": "本选区的选举已进入“{stage}”阶段，代表名额不能再改变。",
}


def _error(code: str, **params) -> ValidationError:
    return ValidationError(ERROR_MESSAGES[code].format(**params), code=code)


@transaction.atomic
def open_deputy_round(
    *,
    by: User,
    level: str,
    county: County,
    township: Township | None,
    term_number: int,
    preset: RulePreset,
    default_election_day: date,
) -> Campaign:
    """Open a 人大 round: a county's (county deputies, elected in districts across the county) or a
    township's (township deputies). Rounds of one county held on one day are its 县乡同步 election.
    The preset's parameters are copied into the round, as for every kind."""
    if preset.election_type != ElectionType.DEPUTIES:
        raise _error("preset_wrong_kind")
    if level == TOWNSHIP and township is None:
        raise _error("township_required")
    if level == TOWNSHIP and township.county_id != county.pk:
        raise _error("township_not_in_county", county=county.name)
    place = township if level == TOWNSHIP else None
    campaign = Campaign(
        county=county,
        township=place,
        level=level,
        election_type=ElectionType.DEPUTIES,
        term_number=term_number,
        preset=preset,
        rule_params=preset.rules.to_dict(),
        default_election_day=default_election_day,
    )
    check_deputy_round_write(by, campaign)
    existing = Campaign.objects.of_kind(ElectionType.DEPUTIES).filter(county=county, level=level, term_number=term_number)
    if existing.filter(township=place).exists():
        raise _error("round_exists", place=campaign.place_name, term=term_number)
    campaign.full_clean(exclude=["rule_params"])
    campaign.save()
    fields = ["level", "county_id", "township_id", "term_number", "preset_id", "default_election_day"]
    log_action(by=by, action="villages.deputy_round.opened", obj=campaign, changes=diff({}, snapshot(campaign, fields)))
    return campaign


@transaction.atomic
def record_seat_decision(
    *,
    by: User,
    campaign: Campaign,
    decision: SeatDecision,
    planned_women: int | None,
    planned_non_party: int | None,
    expected_version: int | None = None,
) -> SeatDecision:
    """Record (or correct) the total of deputies adopted for ``campaign`` with its document number and
    date (Art. 13), and the planned numbers of women and non-party deputies.

    The figure must lie in the Art. 12 range for the population recorded (``deputy_seats``): at most
    the ceiling, and at least the base unless the population is small.
    """
    check_deputy_round_write(by, campaign)
    bound = seat_ceiling(
        level=campaign.level, population=decision.population, params=campaign.rules, extra=decision.extra_five_percent
    )
    errors = []
    if decision.adopted_seats > bound.ceiling:
        errors.append(_error("seats_above_ceiling", seats=decision.adopted_seats, ceiling=bound.ceiling))
    if decision.adopted_seats < bound.floor:
        errors.append(_error("seats_below_floor", seats=decision.adopted_seats, floor=bound.floor))
    for label, planned in (("妇女代表", planned_women), ("非中共党员代表", planned_non_party)):
        if planned is not None and planned > decision.adopted_seats:
            errors.append(_error("plan_exceeds_seats", label=label, planned=planned, seats=decision.adopted_seats))
    if errors:
        raise ValidationError(errors)
    decision.campaign = campaign
    decision.full_clean(exclude=["campaign"])
    created = decision.pk is None
    before = {} if created else snapshot(SeatDecision.objects.get(pk=decision.pk))
    before_plan = snapshot(Campaign.objects.get(pk=campaign.pk), ["planned_women", "planned_non_party"])
    if created:
        decision.save()
    else:
        fields = [
            "population",
            "population_source",
            "extra_five_percent",
            "adopted_seats",
            "decided_by",
            "document_number",
            "decided_on",
        ]
        save_versioned(decision, fields=fields, expected_version=expected_version or decision.version)
    campaign.planned_women, campaign.planned_non_party = planned_women, planned_non_party
    Campaign.objects.filter(pk=campaign.pk).update(planned_women=planned_women, planned_non_party=planned_non_party)
    after_plan = {"planned_women": planned_women, "planned_non_party": planned_non_party}
    changes = diff(before, snapshot(decision)) | diff(before_plan, after_plan) | {"ceiling": [None, bound.ceiling]}
    action = "villages.seat_decision.recorded" if created else "villages.seat_decision.updated"
    log_action(by=by, action=action, obj=decision, changes=changes)
    return decision


@transaction.atomic
def save_district(
    *,
    by: User,
    district: Constituency,
    villages: list[Village],
    groups: list[VillagerGroup],
    expected_version: int | None = None,
) -> Constituency:
    """Create or change a 选区 of a 人大 round (Arts. 24–26): 1 to 3 deputies (the preset's range); it
    lies in one township (of the round's county; a township round's own township) and takes in whole
    villages of that township, villager groups of a village shared among districts, and named units
    (added separately, ``save_district_unit``). Coverage — every village in exactly one district per
    level — is checked on the round's page, since it holds only once all districts are entered."""
    campaign = district.campaign
    if campaign is None or campaign.election_type != ElectionType.DEPUTIES:
        raise _error("district_not_deputies")
    check_deputy_round_write(by, campaign)
    rules = campaign.rules
    errors = []
    if not rules.district_seats_min <= district.deputy_seats <= rules.district_seats_max:
        errors.append(
            _error("district_seats_range", low=rules.district_seats_min, high=rules.district_seats_max, seats=district.deputy_seats)
        )
    if campaign.level == COUNTY and district.township.county_id != campaign.county_id:
        errors.append(_error("district_township_outside", county=campaign.county.name))
    if campaign.level == TOWNSHIP and district.township_id != campaign.township_id:
        errors.append(_error("district_township_mismatch", township=campaign.township.name))
    outside = [v.name for v in villages if v.township_id != district.township_id]
    if outside:
        errors.append(_error("district_village_outside", names="、".join(outside)))
    outside_groups = [f"{g.village.name}{g.name}" for g in groups if g.village.township_id != district.township_id]
    if outside_groups:
        errors.append(_error("district_group_outside", names="、".join(outside_groups)))
    whole = {v.pk for v in villages}
    doubled = sorted({g.village.name for g in groups if g.village_id in whole})
    if doubled:
        errors.append(_error("district_group_and_village", names="、".join(doubled)))
    if groups and campaign.level == COUNTY and not rules.county_district_may_split_village:
        errors.append(_error("district_split_not_allowed", names="、".join(sorted({g.village.name for g in groups}))))
    created = district.pk is None
    if not villages and not groups and (created or not district.units.exists()) and district.basis == Constituency.Basis.RESIDENCE:
        errors.append(_error("district_empty"))
    if errors:
        raise ValidationError(errors)
    district.full_clean(exclude=["villages", "groups"])
    before = {} if created else _district_snapshot(Constituency.objects.get(pk=district.pk))
    if created:
        district.save()
    else:
        fields = ["township_id", "number", "name", "basis", "population", "deputy_seats"]
        save_versioned(district, fields=fields, expected_version=expected_version or district.version)
    district.villages.set(villages)
    district.groups.set(groups)
    action = "villages.constituency.created" if created else "villages.constituency.updated"
    log_action(by=by, action=action, obj=district, changes=diff(before, _district_snapshot(district)))
    _keep_district_election(by=by, district=district)
    return district


def _keep_district_election(*, by: User, district: Constituency) -> Election:
    """The 选区's election, which the stage apps serve as they serve a village's: created with the
    district on the round's election day; its seats follow the district's deputies until the
    candidate list is drawn up (nomination), and are fixed after that."""
    election = Election.objects.select_for_update(of=("self",)).filter(district=district).first()
    if election is None:
        election = Election.objects.create(
            campaign=district.campaign,
            district=district,
            election_day=district.campaign.default_election_day,
            seats_chair=0,
            seats_vice_chair=0,
            seats_member=district.deputy_seats,
        )
        log_action(by=by, action="villages.district_election.opened", obj=election,
                   changes={"seats_member": [None, election.seats_member], "election_day": [None, str(election.election_day)]})
        return election
    if election.seats_member == district.deputy_seats:
        return election
    if stages.stage_index(election.stage) >= stages.stage_index(stages.NOMINATION) or election.is_certified:
        raise _error("district_seats_fixed", stage=election.stage_label)
    before = election.seats_member
    election.seats_member = district.deputy_seats
    election.save(update_fields=["seats_member"])
    log_action(by=by, action="villages.district_election.seats_changed", obj=election,
               changes={"seats_member": [before, election.seats_member]})
    return election


def _district_snapshot(district: Constituency) -> dict:
    return snapshot(district) | {
        "villages": sorted(v.name for v in district.villages.all()),
        "groups": sorted(f"{g.village.name}{g.name}" for g in district.groups.select_related("village")),
    }


@transaction.atomic
def save_district_unit(*, by: User, unit: DistrictUnit) -> DistrictUnit:
    """Add or change a named unit of a 选区: a residential area or a workplace (单位选区), with its
    population."""
    if unit.district.campaign_id is None:
        raise _error("district_not_deputies")
    check_deputy_round_write(by, unit.district.campaign)
    unit.full_clean()
    created = unit.pk is None
    before = {} if created else snapshot(DistrictUnit.objects.get(pk=unit.pk))
    unit.save()
    action = "villages.district_unit.created" if created else "villages.district_unit.updated"
    log_action(by=by, action=action, obj=unit, changes=diff(before, snapshot(unit)))
    return unit


@transaction.atomic
def leave_committee_on_nomination(*, by: User, member: CommitteeMember, on: date) -> CommitteeMember:
    """A member of a round's 选举委员会 who becomes a candidate leaves it (Election Law Art. 10).
    Called by the nomination step; recorded with the date and the reason."""
    if member.campaign_id is None:
        raise PermissionDenied("只适用于人大代表选举的选举委员会。")
    check_deputy_round_write(by, member.campaign)
    if member.left_on is not None:
        raise _error("member_already_left", name=member.name, on=f"{member.left_on:%Y年%-m月%-d日}")
    before = snapshot(member)
    member.left_on = on
    member.left_reason = "被提名为代表候选人（选举法第十条）"
    member.save(update_fields=["left_on", "left_reason"])
    log_action(by=by, action="villages.committee_member.left_on_nomination", obj=member, changes=diff(before, snapshot(member)))
    return member
