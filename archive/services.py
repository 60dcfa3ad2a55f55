"""Writes of the archive app: certifying results, unlocking them, the handover and complaints.

Every function takes the actor (``by``), runs in one transaction and writes one audit entry (STYLE.md §8–§9).
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ballots.queries import result_status
from villages import stages
from villages.access import lock_election_for_write
from villages.audit import diff, log_action, snapshot
from villages.models import Election, Role, User
from villages.services import advance_stage
from villages.versioning import save_versioned

from .models import Certification, Complaint, HandoverItem, UnlockRequest

ERRORS = {
    "office_only": "只有乡镇选举办工作人员可以进行此操作。",
    "office_only_district": "只有选举办工作人员可以进行此操作。",
    "already_certified": "{unit}选举结果已认定，无需重复认定。",
    "not_final": "计票结果尚未确定（{status}），不能认定。",
    "not_announced": "选举结果尚未公布，不能认定。",
    "not_certified": "{unit}选举结果尚未认定，无需解锁。",
    "unlock_pending": "{unit}已有待批准的解锁申请。",
    "approver_role": "只有督导或乡镇选举办工作人员可以批准解锁。",
    "approver_is_requester": "解锁须由申请人以外的另一人批准。",
    "request_closed": "该解锁申请已处理。",
    "handover_stage": "只有处于“工作移交”阶段的选举才能登记移交。",
    "no_handover": "{kind}没有工作移交，结果认定后即可归档。",
    "seal_missing": "尚未登记{seal}移交，不能完成移交。",
    "handover_kind": "{kind}的工作移交不包括“{label}”。",
    "resolved_needs_date": "已办结的信访举报须填写办结日期。",
}
OFFICE_ROLES = (Role.ADMIN, Role.CLERK)
# Unlocking reopens a certified result, so it needs a second pair of eyes: a supervisor (督导, read-only
# everywhere else) or an office user other than the requester.
APPROVER_ROLES = (Role.ADMIN, Role.CLERK, Role.SUPERVISOR)


def _error(code: str, **params) -> ValidationError:
    return ValidationError(ERRORS[code].format(**params), code=code)


def is_office(user: User, election: Election | None = None) -> bool:
    """乡镇选举办工作人员 or 系统管理员: the users who certify, unlock and keep the handover and complaints;
    for a 人大 选区's election also 县选举办工作人员 (which districts they reach is the access check's)."""
    return user.role in OFFICE_ROLES or (election is not None and election.is_district and user.role == Role.COUNTY_OFFICE)


def can_approve_unlock(user: User, election: Election | None = None) -> bool:
    """Whether ``user`` approves unlock requests (of ``election``): 县选举办 those of 人大 districts."""
    if user.role in APPROVER_ROLES:
        return True
    return user.role == Role.COUNTY_OFFICE and (election is None or election.is_district)


def _check_office(by: User, election: Election | None = None) -> None:
    if not is_office(by, election):
        raise _error("office_only_district" if election is not None and election.is_district else "office_only")


def _locked(election: Election) -> Election:
    """The election under the row lock every write service takes (``access.lock_election_for_write``);
    the archive's steps follow certification, so they lock without refusing."""
    return lock_election_for_write(election, after_certification=True)


@transaction.atomic
def certify_results(*, by: User, election: Election, today: date, now: datetime | None = None) -> Certification:
    """认定选举结果: lock the election once its count is final and the result announced (LAW.md §1.10)."""
    _check_office(by, election)
    election = _locked(election)
    if election.is_certified:
        raise _error("already_certified", unit=election.unit_that)
    status = result_status(election)
    if not status.is_final:
        raise _error("not_final", status=status.label)
    if election.results_announced_on is None or election.results_announced_on > today:
        raise _error("not_announced")
    election.certified_at, election.certified_by = now or timezone.now(), by
    save_versioned(election, fields=["certified_at", "certified_by"], expected_version=None)
    certification = Certification.objects.create(election=election, certified_at=election.certified_at,
                                                 certified_by=by)
    log_action(by=by, action="archive.result.certified", obj=election,
               changes={"certified_at": [None, election.certified_at.isoformat()]})
    if settings.ARCHIVE_FILE_ON_CERTIFY:
        from .filing import request_filing

        request_filing(by=by, election=election, if_idle=True)  # the certified records go into the archive
    return certification


@transaction.atomic
def request_unlock(*, by: User, election: Election, reason: str) -> UnlockRequest:
    """申请解锁 a certified election; it stays locked until another person approves."""
    _check_office(by, election)
    election = _locked(election)
    if not election.is_certified:
        raise _error("not_certified", unit=election.unit_that)
    if election.unlock_requests.filter(status=UnlockRequest.Status.PENDING).exists():
        raise _error("unlock_pending", unit=election.unit_that)
    request = UnlockRequest.objects.create(election=election, reason=reason, requested_by=by)
    log_action(by=by, action="archive.unlock.requested", obj=request, changes={"reason": [None, reason]})
    return request


@transaction.atomic
def approve_unlock(*, by: User, request: UnlockRequest, now: datetime | None = None) -> UnlockRequest:
    """批准解锁: clears the certification, so the election must be certified again after the correction.

    The role check is written here rather than through ``access.check_write``, which refuses supervisors:
    approving an unlock is the one change a supervisor may make.
    """
    request = UnlockRequest.objects.select_for_update(of=("self",)).select_related("election__campaign").get(pk=request.pk)
    if not can_approve_unlock(by, request.election):
        raise _error("approver_role")
    if request.status != UnlockRequest.Status.PENDING:
        raise _error("request_closed")
    if request.requested_by_id == by.pk:
        raise _error("approver_is_requester")
    election = _locked(request.election)
    now = now or timezone.now()
    request.status, request.approved_by, request.approved_at = UnlockRequest.Status.APPROVED, by, now
    request.save(update_fields=["status", "approved_by", "approved_at"])
    Certification.objects.filter(election=election, revoked_at__isnull=True).update(revoked_at=now)
    before = snapshot(election, ["certified_at", "certified_by_id"])
    election.certified_at, election.certified_by = None, None
    save_versioned(election, fields=["certified_at", "certified_by"], expected_version=None)
    log_action(by=by, action="archive.unlock.approved", obj=request,
               changes=diff(before, snapshot(election, ["certified_at", "certified_by_id"])))
    return request


def seal_label(election: Election) -> str:
    """印章, or what the election's kind calls the seal handed over (党组织印章)."""
    return election.campaign.kind.handover_label(HandoverItem.Kind.SEAL, HandoverItem.Kind.SEAL.label)


@transaction.atomic
def record_handover_item(*, by: User, item: HandoverItem) -> HandoverItem:
    """登记一项工作移交 (seal, accounts, assets, archives) of an election in the handover stage."""
    _check_office(by, item.election)
    election = _locked(item.election)
    if not election.campaign.kind.has_handover:
        raise _error("no_handover", kind=election.campaign.kind.label)
    if election.stage != stages.HANDOVER:
        raise _error("handover_stage")
    kind = election.campaign.kind
    if item.kind not in dict(kind.handover_choices(HandoverItem.Kind.choices)):
        raise ValidationError({"kind": _error("handover_kind", kind=kind.label, label=item.get_kind_display())})
    item.full_clean()
    item.save()
    log_action(by=by, action="archive.handover.item_recorded", obj=item, changes=snapshot(item))
    return item


@transaction.atomic
def complete_handover(*, by: User, election: Election, on: date, today: date) -> Election:
    """完成移交: needs the seal recorded; records ``handover_completed_on`` by entering the 归档 stage."""
    _check_office(by, election)
    election = _locked(election)
    if not election.campaign.kind.has_handover:
        raise _error("no_handover", kind=election.campaign.kind.label)
    if not election.handover_items.filter(kind=HandoverItem.Kind.SEAL).exists():
        raise _error("seal_missing", seal=seal_label(election))
    return advance_stage(by=by, election=election, target=stages.ARCHIVED, on=on, today=today)


@transaction.atomic
def save_complaint(*, by: User, complaint: Complaint, expected_version: int | None = None) -> Complaint:
    """Create or update a 信访/举报 record (office staff only)."""
    _check_office(by)
    if complaint.status == Complaint.Status.RESOLVED and complaint.resolved_on is None:
        raise ValidationError({"resolved_on": _error("resolved_needs_date")})
    if complaint.pk is None:
        complaint.save()
        log_action(by=by, action="archive.complaint.created", obj=complaint, changes=snapshot(complaint))
        return complaint
    before = snapshot(Complaint.objects.get(pk=complaint.pk))
    fields = [f.name for f in Complaint._meta.concrete_fields if f.name not in ("id", "version")]
    save_versioned(complaint, fields=fields, expected_version=expected_version)
    log_action(by=by, action="archive.complaint.updated", obj=complaint, changes=diff(before, snapshot(complaint)))
    return complaint
