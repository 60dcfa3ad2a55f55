"""A township Party congress's delegates' election (乡镇党代表大会代表选举, LAW.md §4.5, issue 12): the round, its
选举单位 (one village Party organisation or several together, each an ``Election`` with ``party_unit``), the
delegate total and its allocation to the units by their full members.

The rules are pure modules (``kinds.party_rules.delegate_total_check``, ``kinds.party_allocation``); this module
gathers the facts, locks and writes, with an audit entry for each change. A unit's members are the full members
(正式党员) on its election's register (党员名册, ``voters``), which holds the members of its organisations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q

from .access import campaigns_visible_to, check_write, lock_election_for_write, _get_or_404
from .announcements import cn_numeral
from .audit import log_action
from .kinds import party_allocation, party_members, party_rules
from .kinds.party_congress import CODE
from .models import (
    Campaign, Election, PartyElectoralUnit, PartyOrganisation, Role, RulePreset, Township, User, Village,
)
from .services import _ensure_party_organisations

ERROR_MESSAGES = {
    "not_congress_preset": "该规则预设不是乡镇党代表大会代表选举的预设。",
    "round_exists": "本乡镇第{term}次党代表大会代表选举已经存在。",
    "no_villages": "本乡镇还没有行政村，请先录入行政村。",
    "round_closed": "本次选举已经结束，不能再修改。",
    "unit_name_missing": "请填写选举单位的名称。",
    "unit_name_taken": "本次选举已有名为“{name}”的选举单位。",
    "unit_no_organisations": "请至少选择一个党组织。",
    "organisation_elsewhere": "{names}不属于{township}。",
    "organisation_taken": "{name}已编入选举单位“{unit}”，一个党组织只能属于一个选举单位。",
    "total_invalid": "{message}。",
    "total_missing": "请先确定代表名额。",
    "allocation_invalid": "{message}。",
}


def _error(code: str, *, field: str | None = None, **params) -> ValidationError:
    error = ValidationError(ERROR_MESSAGES[code].format(**params), code=code)
    return ValidationError({field: [error]}) if field else error


# ---------------------------------------------------------------- reading


def congress_rounds_visible_to(user: User):
    """The township rounds ``user`` reads; a liaison officer works their villages, not the township's congress."""
    if user.role == Role.LIAISON:
        return Campaign.objects.none()
    return campaigns_visible_to(user, (CODE,))


def get_congress_round_for(user: User, pk: int, *, write: bool = False) -> Campaign:
    """A congress round ``user`` may read (404 otherwise); ``write``: its township's office (403 otherwise)."""
    campaign = _get_or_404(congress_rounds_visible_to(user).select_related("township", "county", "preset"), pk)
    if write:
        check_write(user, setup=True)
    return campaign


def unit_elections(campaign: Campaign):
    return (Election.objects.filter(campaign=campaign, party_unit__isnull=False)
            .select_related("party_unit").order_by("party_unit__number"))


def full_members_by_election(campaign: Campaign) -> dict[int, int]:
    """The full members (正式党员) on each unit's register, one query."""
    return full_members_of_units([campaign.pk])


def full_members_of_units(campaign_ids: list[int]) -> dict[int, int]:
    """``full_members_by_election`` of several rounds (a county's townships), one query."""
    from voters.models import Voter  # the register is the voters app's; villages reads it here only

    rows = (Voter.objects.filter(election__campaign_id__in=campaign_ids, election__party_unit__isnull=False,
                                 category=party_members.FULL)
            .order_by().values("election_id").annotate(n=Count("id")))
    return {row["election_id"]: row["n"] for row in rows}


@dataclass(frozen=True)
class AllocationPage:
    """What the allocation page shows: the total's check, each unit with its members, the allocation (or why
    there is none), and whether each unit's seats already match it."""

    total: int | None
    total_finding: party_rules.Finding | None
    allocation: party_allocation.Allocation | None
    problem: str
    rows: tuple  # (election, organisations, members, UnitAllocation | None, Share | None)
    applied: bool


def allocation_page(campaign: Campaign) -> AllocationPage:
    # Each unit's progress for its links: its delegate candidates, its delegates announced and its records filed
    # once certified (the candidates', the ballots' and the archive's rows, counted by their relations to the
    # election; a filed record is one in force, neither superseded nor destroyed).
    elections = list(unit_elections(campaign).select_related("campaign").prefetch_related("party_unit__organisations").annotate(
        candidates_on_list=Count("candidates", distinct=True),
        delegates_elected=Count("elected_members", filter=Q(elected_members__void_decision__isnull=True),
                                distinct=True),
        records_filed=Count("archive_documents", filter=Q(archive_documents__superseded_at__isnull=True,
                                                          archive_documents__destroyed_at__isnull=True),
                            distinct=True)))
    members = full_members_by_election(campaign)
    total = campaign.delegate_total
    finding = party_rules.delegate_total_check(total, campaign.rules) if total is not None else None
    allocation, problem = None, ""
    if total is None:
        problem = ERROR_MESSAGES["total_missing"]
    else:
        try:
            allocation = party_allocation.allocate(
                total, [(e.pk, e.party_unit.name, members.get(e.pk, 0)) for e in elections])
        except party_allocation.AllocationError as exc:
            problem = str(exc)
    by_key = {row.key: row for row in allocation.rows} if allocation else {}
    rows = tuple(
        (e, list(e.party_unit.organisations.all()), members.get(e.pk, 0), by_key.get(e.pk),
         allocation.share_of(by_key[e.pk]) if allocation else None)
        for e in elections
    )
    applied = bool(allocation) and all(e.seats_member == by_key[e.pk].seats for e in elections)
    return AllocationPage(total=total, total_finding=finding, allocation=allocation, problem=problem, rows=rows,
                          applied=applied)


# ---------------------------------------------------------------- writing


@transaction.atomic
def open_congress_round(*, by: User, township: Township, term_number: int, preset: RulePreset,
                        election_day: date) -> Campaign:
    """Open a township's Party congress delegates' election (第N次党代表大会). Its 选举单位 are added one by one
    (``add_unit``); every village's Party organisation is recorded, to be grouped into them."""
    if preset.election_type != CODE:
        raise _error("not_congress_preset", field="preset")
    if Campaign.objects.of_kind(CODE).filter(township=township, term_number=term_number).exists():
        raise _error("round_exists", field="term_number", term=cn_numeral(term_number))
    villages = list(Village.objects.filter(township=township))
    if not villages:
        raise _error("no_villages")
    campaign = Campaign.objects.create(
        county_id=township.county_id, township=township, term_number=term_number, election_type=CODE,
        preset=preset, rule_params=preset.rules.to_dict(), default_election_day=election_day,
    )
    _ensure_party_organisations(villages, township)
    log_action(by=by, action="villages.congress.opened", obj=campaign,
               changes={"term_number": [None, term_number], "preset_id": [None, preset.pk],
                        "default_election_day": [None, str(election_day)]})
    return campaign


def _lock_round(campaign: Campaign) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk, election_type=CODE)
    if campaign.closed_on:
        raise _error("round_closed")
    return campaign


@transaction.atomic
def add_unit(*, by: User, campaign: Campaign, name: str, organisations: list[PartyOrganisation]) -> Election:
    """A 选举单位 of ``campaign``: one village Party organisation or several small ones together (each in one unit
    only), with its election (no delegates until the allocation)."""
    campaign = _lock_round(campaign)
    name = name.strip()
    if not name:
        raise _error("unit_name_missing", field="name")
    if not organisations:
        raise _error("unit_no_organisations", field="organisations")
    if PartyElectoralUnit.objects.filter(campaign=campaign, name=name).exists():
        raise _error("unit_name_taken", field="name", name=name)
    ids = [organisation.pk for organisation in organisations]
    found = list(PartyOrganisation.objects.filter(pk__in=ids).select_related("village"))
    outside = [o.name for o in found if o.village.township_id != campaign.township_id]
    if outside or len(found) != len(set(ids)):
        raise _error("organisation_elsewhere", field="organisations", names="、".join(outside) or "所选党组织",
                     township=campaign.township.name)
    taken = (PartyElectoralUnit.organisations.through.objects
             .filter(partyelectoralunit__campaign=campaign, partyorganisation_id__in=ids)
             .select_related("partyelectoralunit", "partyorganisation").order_by("partyorganisation__village__code")
             .first())
    if taken is not None:
        raise _error("organisation_taken", field="organisations", name=taken.partyorganisation.name,
                     unit=taken.partyelectoralunit.name)
    number = (PartyElectoralUnit.objects.filter(campaign=campaign).order_by("-number")
              .values_list("number", flat=True).first() or 0) + 1
    unit = PartyElectoralUnit.objects.create(campaign=campaign, number=number, name=name)
    unit.organisations.set(found)
    election = Election.objects.create(campaign=campaign, party_unit=unit, election_day=campaign.default_election_day,
                                       seats_chair=0, seats_vice_chair=0, seats_member=0)
    log_action(by=by, action="villages.congress.unit_added", obj=unit,
               changes={"number": [None, number], "name": [None, name],
                        "organisations": [None, sorted(o.name for o in found)]})
    return election


@transaction.atomic
def set_delegate_total(*, by: User, campaign: Campaign, total: int) -> party_rules.Finding:
    """The congress's delegate total, against the usual range (a warning) and the maximum (refused)."""
    campaign = _lock_round(campaign)
    finding = party_rules.delegate_total_check(total, campaign.rules)
    if finding.severity == party_rules.ERROR:
        raise _error("total_invalid", field="total", message=finding.message)
    before = campaign.delegate_total
    campaign.delegate_total = total
    campaign.version += 1
    campaign.save(update_fields=["delegate_total", "version"])
    log_action(by=by, action="villages.congress.total_set", obj=campaign, changes={"delegate_total": [before, total]})
    return finding


@transaction.atomic
def apply_allocation(*, by: User, campaign: Campaign) -> party_allocation.Allocation:
    """Write the allocation to each unit's election (its delegates, ``seats_member``). Every unit election is
    locked for writing: a certified one refuses."""
    campaign = _lock_round(campaign)
    if campaign.delegate_total is None:
        raise _error("total_missing")
    ordered = list(unit_elections(campaign))
    for election in ordered:
        lock_election_for_write(election.pk)  # a certified unit refuses
    members = full_members_by_election(campaign)
    try:
        allocation = party_allocation.allocate(
            campaign.delegate_total, [(e.pk, e.party_unit.name, members.get(e.pk, 0)) for e in ordered])
    except party_allocation.AllocationError as exc:
        raise _error("allocation_invalid", message=str(exc)) from exc
    elections = {e.pk: e for e in ordered}
    changes = {}
    for row in allocation.rows:
        election = elections[row.key]
        if election.seats_member != row.seats:
            changes[election.party_unit.name] = [election.seats_member, row.seats]
            Election.objects.filter(pk=election.pk).update(seats_member=row.seats, version=election.version + 1)
    log_action(by=by, action="villages.congress.allocated", obj=campaign,
               changes={"delegate_total": [None, allocation.total], "members": [None, allocation.members]} | changes)
    return allocation
