"""Reads of the archive app: scoped lists and the complaint counts the reports use."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from villages.access import (
    elections_visible_to,
    townships_visible_to,
    villages_visible_to,
)
from villages.legal_calendar import within_days
from villages.models import Election, Role, User

from .models import Complaint, UnlockRequest


def complaints_visible_to(user: User) -> QuerySet[Complaint]:
    """Complaints ``user`` may read: a liaison those of their villages, others their townships'."""
    if user.role == Role.LIAISON:
        return Complaint.objects.filter(village__in=villages_visible_to(user))
    return Complaint.objects.filter(township__in=townships_visible_to(user))


def unlock_requests_visible_to(user: User) -> QuerySet[UnlockRequest]:
    return UnlockRequest.objects.filter(election__in=elections_visible_to(user))


@dataclass(frozen=True)
class ComplaintCounts:
    received: int
    in_progress: int
    resolved: int

    @property
    def total(self) -> int:
        return self.received + self.in_progress + self.resolved


def complaint_counts(elections_or_villages) -> ComplaintCounts:
    """How many complaints about these villages (or the villages of these elections) are in each status,
    counted in one query."""
    items = list(elections_or_villages)
    village_ids = [v.village_id if isinstance(v, Election) else v.pk for v in items]
    S = Complaint.Status
    row = Complaint.objects.filter(village_id__in=village_ids).aggregate(
        received=Count("pk", filter=Q(status=S.RECEIVED)),
        in_progress=Count("pk", filter=Q(status=S.IN_PROGRESS)),
        resolved=Count("pk", filter=Q(status=S.RESOLVED)),
    )
    return ComplaintCounts(**row)


def handover_deadline(election: Election):
    """新一届村委会产生之日起 ``handover_days`` 日内 (the preset's parameter), or None before it is formed."""
    if election.new_committee_formed_on is None:
        return None
    return within_days(election.new_committee_formed_on, election.rules.handover_days)

