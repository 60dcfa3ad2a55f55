"""Polling stations, mobile boxes (流动票箱, LAW.md §2.7) and the counting options of an election."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count

from villages.access import lock_election_for_write
from villages.audit import diff, log_action, snapshot
from villages.models import Election, User
from villages.versioning import save_versioned
from voters.models import Proxy, Voter
from voters.registrations import register_of

from ..models import CountingOptions, MobileBoxVoter, PollingStation, Tally

ERROR_MESSAGES = {
    "group_other_village": "所选村民小组不属于{unit}。",
    "no_groups": "{unit}还没有村民小组，请先录入村民小组。",
    "all_groups_have_stations": "每个村民小组都已有投票站。",
    "not_mobile_box": "只有流动票箱才登记选民名单和乡镇批准。",
    "box_voter_not_registered": "{names}不是{unit}登记选民，不能列入流动票箱名单。",
    "box_voter_gave_proxy": "{names}已委托他人投票，不能再使用流动票箱。",
    "box_voter_on_other_box": "{names}已列入其他流动票箱。",
    "approval_date_future": "批准日期不能晚于今天。",
    "double_entry_locked": "本次选举已经录入计票结果，不能再更改是否双人录入。",
    "signature_labels_invalid": "签名栏须有1至8项，每项不超过10个字。",
    "party_one_meeting": "党组织选举在党员大会一处会场投票，不设分投票站和流动票箱，只能设一个中心会场。",
}

_STATION_FIELDS = ["kind", "name", "group_id", "location", "assigned_voters", "staff_names", "order"]


def _error(code: str, **params) -> ValidationError:
    return ValidationError(ERROR_MESSAGES[code].format(**params), code=code)


def _names(voters) -> str:
    return "、".join(v.name for v in voters)


@transaction.atomic
def save_station(*, by: User, station: PollingStation, expected_version: int | None = None) -> PollingStation:
    """Create or change a station; a mobile box's voter count is its voter list's length."""
    lock_election_for_write(station.election_id)
    from ..counts import is_party_election

    if is_party_election(station.election) and (
            station.kind != PollingStation.Kind.CENTRAL
            or PollingStation.objects.filter(election_id=station.election_id).exclude(pk=station.pk).exists()):
        raise _error("party_one_meeting")
    if station.group_id and not station.election.unit_groups().filter(pk=station.group_id).exists():
        raise ValidationError({"group": _error("group_other_village", unit=station.election.unit_here)})
    if station.is_mobile and station.pk:
        station.assigned_voters = station.box_voters.count()
    station.full_clean()
    if station.pk is None:
        station.save()
        log_action(by=by, action="ballots.station.created", obj=station, changes=diff({}, snapshot(station)))
        return station
    before = snapshot(PollingStation.objects.get(pk=station.pk))
    save_versioned(station, fields=_STATION_FIELDS, expected_version=expected_version)
    log_action(by=by, action="ballots.station.updated", obj=station, changes=diff(before, snapshot(station)))
    return station


@transaction.atomic
def create_stations_per_group(*, by: User, election: Election) -> list[PollingStation]:
    """One polling station per villager group that has none yet, with the group's registered voters."""
    election = lock_election_for_write(election)
    from ..counts import is_party_election

    if is_party_election(election):
        raise _error("party_one_meeting")
    groups = election.group_choices()
    if not groups:
        raise _error("no_groups", unit=election.unit_here)
    taken = set(election.polling_stations.filter(group__isnull=False).values_list("group_id", flat=True))
    counts = dict(
        register_of(election).registered().values("group_id").annotate(n=Count("id")).values_list("group_id", "n")
    )
    start = election.polling_stations.count()
    created = [
        PollingStation(
            election=election,
            kind=PollingStation.Kind.STATION,
            name=f"{name}投票站",
            group_id=group_id,
            assigned_voters=counts.get(group_id, 0),
            order=start + index,
        )
        for index, (group_id, name) in enumerate(((pk, name) for pk, name in groups if pk not in taken), start=1)
    ]
    if not created:
        raise _error("all_groups_have_stations")
    for station in created:
        station.full_clean()
    PollingStation.objects.bulk_create(created)
    log_action(
        by=by,
        action="ballots.station.created_per_group",
        obj=election,
        changes={"stations": [None, [s.name for s in created]]},
    )
    return created


@transaction.atomic
def set_mobile_box_voters(*, by: User, station: PollingStation, voters: list[Voter]) -> PollingStation:
    """The voters who vote through this mobile box: registered here, no proxy given, on no other box."""
    lock_election_for_write(station.election_id)
    station = PollingStation.objects.select_for_update().get(pk=station.pk)
    if not station.is_mobile:
        raise _error("not_mobile_box")
    registered = set(register_of(station.election).registered().values_list("pk", flat=True))
    errors = []
    if outsiders := [v for v in voters if v.pk not in registered]:
        errors.append(_error("box_voter_not_registered", names=_names(outsiders), unit=station.election.unit_here))
    principals = set(
        Proxy.objects.filter(principal__in=voters).exclude(status=Proxy.Status.REVOKED).values_list("principal_id", flat=True)
    )
    if with_proxy := [v for v in voters if v.pk in principals]:
        errors.append(_error("box_voter_gave_proxy", names=_names(with_proxy)))
    elsewhere = set(
        MobileBoxVoter.objects.filter(voter__in=voters).exclude(station=station).values_list("voter_id", flat=True)
    )
    if on_other := [v for v in voters if v.pk in elsewhere]:
        errors.append(_error("box_voter_on_other_box", names=_names(on_other)))
    if errors:
        raise ValidationError(errors)
    before = sorted(station.box_voters.values_list("voter__name", flat=True))
    station.box_voters.all().delete()
    MobileBoxVoter.objects.bulk_create(MobileBoxVoter(station=station, voter=v) for v in voters)
    station.assigned_voters = len(voters)
    save_versioned(station, fields=["assigned_voters"], expected_version=None)
    after = sorted(v.name for v in voters)
    log_action(by=by, action="ballots.mobile_box.voters_set", obj=station, changes={"voters": [before, after]})
    return station


@transaction.atomic
def approve_mobile_box(*, by: User, station: PollingStation, on: date, document: str, today: date) -> PollingStation:
    """Record the township's approval of a mobile box (ZJ: approval before use, LAW.md §2.7)."""
    lock_election_for_write(station.election_id)
    station = PollingStation.objects.select_for_update().get(pk=station.pk)
    if not station.is_mobile:
        raise _error("not_mobile_box")
    if on > today:
        raise _error("approval_date_future")
    before = snapshot(station)
    station.approved_by, station.approved_on, station.approval_document = by, on, document.strip()
    save_versioned(station, fields=["approved_by", "approved_on", "approval_document"], expected_version=None)
    log_action(by=by, action="ballots.mobile_box.approved", obj=station, changes=diff(before, snapshot(station)))
    return station


@transaction.atomic
def save_counting_options(
    *, by: User, election: Election, double_entry: bool, signature_labels: list[str], expected_version: int | None
) -> CountingOptions:
    """Double entry on or off (only before any tally is entered) and the signature lines of the reports."""
    election = lock_election_for_write(election)
    labels = [label.strip() for label in signature_labels if label.strip()]
    if not 1 <= len(labels) <= 8 or any(len(label) > 10 for label in labels):
        raise _error("signature_labels_invalid")
    options, created = CountingOptions.objects.select_for_update().get_or_create(election=election)
    if double_entry != options.double_entry and Tally.objects.filter(round__election=election).exists():
        raise _error("double_entry_locked")
    before = {} if created else snapshot(options)
    options.double_entry, options.signature_labels = double_entry, labels
    save_versioned(
        options, fields=["double_entry", "signature_labels"], expected_version=None if created else expected_version
    )
    log_action(by=by, action="ballots.counting_options.saved", obj=options, changes=diff(before, snapshot(options)))
    return options


def station_voter_count(station: PollingStation) -> int | None:
    """The voters a station serves, for the reconciliation warning; None when not recorded."""
    return station.box_voters.count() if station.is_mobile else station.assigned_voters

