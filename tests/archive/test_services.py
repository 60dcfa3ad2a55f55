from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from archive.models import Certification, Complaint, HandoverItem, UnlockRequest
from archive.queries import complaint_counts, handover_deadline
from archive.services import (
    approve_unlock,
    certify_results,
    complete_handover,
    record_handover_item,
    request_unlock,
    save_complaint,
)
from tests.archive.conftest import DAY
from villages import stages
from villages.models import AuditEntry


def codes(exc: ValidationError) -> set[str]:
    if hasattr(exc, "error_dict"):
        return {e.code for errors in exc.error_dict.values() for e in errors}
    return {e.code for e in exc.error_list}


# ---------------------------------------------------------------- certification


def test_certify_refuses_count_that_is_not_final(counting, clerk):
    with pytest.raises(ValidationError) as exc:
        certify_results(by=clerk, election=counting.election, today=DAY)
    assert codes(exc.value) == {"not_final"}
    counting.election.refresh_from_db()
    assert counting.election.certified_at is None


def test_certify_refuses_result_not_announced(counted, clerk):
    with pytest.raises(ValidationError) as exc:
        certify_results(by=clerk, election=counted.election, today=DAY)
    assert codes(exc.value) == {"not_announced"}


def test_certify_locks_election_and_logs(announced, clerk):
    certification = certify_results(by=clerk, election=announced, today=DAY)
    announced.refresh_from_db()
    assert announced.is_certified and announced.certified_by == clerk
    assert certification.certified_at == announced.certified_at
    assert AuditEntry.objects.filter(action="archive.result.certified", village=announced.village).count() == 1


def test_certify_twice_is_refused(certified, clerk):
    with pytest.raises(ValidationError) as exc:
        certify_results(by=clerk, election=certified, today=DAY)
    assert codes(exc.value) == {"already_certified"}
    assert Certification.objects.count() == 1


@pytest.mark.parametrize("persona", ["liaison_a", "supervisor"])
def test_only_office_staff_certify(announced, persona, request):
    with pytest.raises(ValidationError) as exc:
        certify_results(by=request.getfixturevalue(persona), election=announced, today=DAY)
    assert codes(exc.value) == {"office_only"}


# ---------------------------------------------------------------- unlock


def test_unlock_request_needs_certified_election(announced, clerk):
    with pytest.raises(ValidationError) as exc:
        request_unlock(by=clerk, election=announced, reason="录入有误")
    assert codes(exc.value) == {"not_certified"}


def test_second_pending_unlock_request_is_refused(certified, clerk):
    request_unlock(by=clerk, election=certified, reason="录入有误")
    with pytest.raises(ValidationError) as exc:
        request_unlock(by=clerk, election=certified, reason="再次申请")
    assert codes(exc.value) == {"unlock_pending"}


def test_requester_cannot_approve_own_unlock(certified, clerk):
    unlock = request_unlock(by=clerk, election=certified, reason="录入有误")
    with pytest.raises(ValidationError) as exc:
        approve_unlock(by=clerk, request=unlock)
    assert codes(exc.value) == {"approver_is_requester"}
    certified.refresh_from_db()
    assert certified.is_certified


def test_liaison_cannot_approve_unlock(certified, clerk, liaison_a):
    unlock = request_unlock(by=clerk, election=certified, reason="录入有误")
    with pytest.raises(ValidationError) as exc:
        approve_unlock(by=liaison_a, request=unlock)
    assert codes(exc.value) == {"approver_role"}


@pytest.mark.parametrize("approver", ["supervisor", "second_clerk"])
def test_supervisor_or_second_clerk_approves_unlock(certified, clerk, approver, request):
    unlock = request_unlock(by=clerk, election=certified, reason="录入有误")
    approve_unlock(by=request.getfixturevalue(approver), request=unlock)
    certified.refresh_from_db()
    unlock.refresh_from_db()
    assert not certified.is_certified and certified.certified_by is None
    assert unlock.status == UnlockRequest.Status.APPROVED
    assert Certification.objects.get().revoked_at is not None
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"archive.unlock.requested", "archive.unlock.approved"} <= actions


def test_unlocked_election_can_be_certified_again(certified, clerk, supervisor):
    approve_unlock(by=supervisor, request=request_unlock(by=clerk, election=certified, reason="录入有误"))
    certify_results(by=clerk, election=certified, today=DAY)
    assert Certification.objects.filter(revoked_at__isnull=True).count() == 1
    assert Certification.objects.count() == 2


def test_approved_request_cannot_be_approved_again(certified, clerk, supervisor, second_clerk):
    unlock = request_unlock(by=clerk, election=certified, reason="录入有误")
    approve_unlock(by=supervisor, request=unlock)
    with pytest.raises(ValidationError) as exc:
        approve_unlock(by=second_clerk, request=unlock)
    assert codes(exc.value) == {"request_closed"}


# ---------------------------------------------------------------- handover


def _item(election, kind="seal"):
    return HandoverItem(election=election, kind=kind, description="村委会公章一枚", handed_over_by="张三",
                        received_by="李四", handed_on=DAY)


def test_handover_item_needs_handover_stage(counting, clerk):
    with pytest.raises(ValidationError) as exc:
        record_handover_item(by=clerk, item=_item(counting.election))
    assert codes(exc.value) == {"handover_stage"}
    assert HandoverItem.objects.count() == 0


def test_complete_handover_needs_seal(certified, clerk):
    record_handover_item(by=clerk, item=_item(certified, kind="finance"))
    with pytest.raises(ValidationError) as exc:
        complete_handover(by=clerk, election=certified, on=DAY, today=DAY)
    assert codes(exc.value) == {"seal_missing"}


def test_complete_handover_records_date_and_archives(certified, clerk):
    assert certified.stage == stages.HANDOVER
    record_handover_item(by=clerk, item=_item(certified))
    complete_handover(by=clerk, election=certified, on=DAY + timedelta(days=3), today=DAY + timedelta(days=5))
    certified.refresh_from_db()
    assert certified.stage == stages.ARCHIVED
    assert certified.handover_completed_on == DAY + timedelta(days=3)
    assert certified.is_certified  # the handover does not touch the certification


def test_handover_deadline_counts_from_new_committee(announced):
    assert announced.new_committee_formed_on == DAY
    assert handover_deadline(announced) == DAY + timedelta(days=announced.rules.handover_days)


# ---------------------------------------------------------------- complaints


def _complaint(village, status="received", **fields):
    return Complaint(township=village.township, village=village, received_on=date(2027, 1, 20), channel="visit",
                     subject="反映贿选", category="bribery", status=status, **fields)


def test_resolved_complaint_needs_date(clerk, village_a):
    with pytest.raises(ValidationError) as exc:
        save_complaint(by=clerk, complaint=_complaint(village_a, status="resolved"))
    assert codes(exc.value) == {"resolved_needs_date"}
    assert Complaint.objects.count() == 0


def test_liaison_cannot_save_complaint(liaison_a, village_a):
    with pytest.raises(ValidationError) as exc:
        save_complaint(by=liaison_a, complaint=_complaint(village_a))
    assert codes(exc.value) == {"office_only"}


def test_complaint_update_is_logged(clerk, village_a):
    complaint = save_complaint(by=clerk, complaint=_complaint(village_a))
    complaint.status, complaint.resolved_on, complaint.outcome = "resolved", date(2027, 2, 1), "经查不属实"
    save_complaint(by=clerk, complaint=complaint, expected_version=1)
    entry = AuditEntry.objects.get(action="archive.complaint.updated")
    assert entry.changes["status"] == ["received", "resolved"]


def test_complaint_counts_by_status(clerk, village_a, village_b, election_a, election_b):
    for status, extra in (("received", {}), ("received", {}), ("in_progress", {}),
                          ("resolved", {"resolved_on": date(2027, 2, 1)})):
        save_complaint(by=clerk, complaint=_complaint(village_a, status=status, **extra))
    save_complaint(by=clerk, complaint=_complaint(village_b))
    counts = complaint_counts([election_a])
    assert (counts.received, counts.in_progress, counts.resolved, counts.total) == (2, 1, 1, 4)
    assert complaint_counts([village_a, village_b]).received == 3


def test_uncertified_election_cannot_be_archived(certified, clerk, supervisor):
    record_handover_item(by=clerk, item=_item(certified))
    approve_unlock(by=supervisor, request=request_unlock(by=clerk, election=certified, reason="录入有误"))
    with pytest.raises(ValidationError) as exc:
        complete_handover(by=clerk, election=certified, on=DAY, today=DAY)
    assert codes(exc.value) == {"stage_checklist"}
    assert "选举结果已认定" in exc.value.messages[0]
    certified.refresh_from_db()
    assert certified.stage == stages.HANDOVER and certified.handover_completed_on is None
