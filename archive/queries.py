"""Reads of the archive app: scoped lists and the complaint counts the reports use."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from villages.access import (
    elections_visible_to,
    townships_visible_to,
    villages_visible_to,
)
from villages.legal_calendar import within_days
from villages.models import Election, Role, User
from villages.kinds.village_committee import CODE as VILLAGE_COMMITTEE_CODE

from .models import ArchiveDocument, Complaint, UnlockRequest


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
    """新一届村委会产生之日起 ``handover_days`` 日内 (the preset's parameter), or None before it is formed or
    where the kind's rules set no period (a Party organisation's, ``villages.kinds.party_branch.HANDOVER_ITEMS``)."""
    days = getattr(election.rules, "handover_days", None)
    if election.new_committee_formed_on is None or days is None:
        return None
    return within_days(election.new_committee_formed_on, days)



# --- The archive index (档案目录) -------------------------------------------------------------------


@dataclass(frozen=True)
class IndexRow:
    number: int
    document: ArchiveDocument

    @property
    def status(self) -> str:
        if self.document.destroyed_at:
            return f"已销毁（{self.document.destroyed_at:%Y-%m-%d}）"
        if self.document.superseded_at:
            return "已被新版本替换"
        return "在档"


@dataclass(frozen=True)
class IndexSection:
    election: Election
    rows: list[IndexRow]

    @property
    def heading(self) -> str:
        """东山村　第12届村民委员会选举（选举日 2026-…）; a branch's or a congress unit's by its own kind."""
        e = self.election
        day = f"（选举日 {e.election_day:%Y-%m-%d}）" if e.election_day else ""
        return f"{e.unit_name}　{e.campaign.title}{day}"


@dataclass(frozen=True)
class ArchiveIndex:
    title: str
    subtitle: str
    sections: list[IndexSection]

    def _current(self):
        return [r.document for s in self.sections for r in s.rows if r.document.is_current]

    @property
    def total(self) -> int:
        return len(self._current())

    @property
    def permanent(self) -> int:
        return sum(1 for d in self._current() if d.retention == "permanent")

    @property
    def years_30(self) -> int:
        return sum(1 for d in self._current() if d.retention == "30y")

    @property
    def years_10(self) -> int:
        return sum(1 for d in self._current() if d.retention == "10y")

    @property
    def superseded(self) -> int:
        return sum(1 for s in self.sections for r in s.rows if r.document.superseded_at and not r.document.destroyed_at)

    @property
    def destroyed(self) -> int:
        return sum(1 for s in self.sections for r in s.rows if r.document.destroyed_at)


def archive_index(elections: QuerySet[Election], *, place: str, subtitle: str) -> ArchiveIndex:
    """The index of every record of ``elections`` (current ones first, then the kept old versions), one
    section per election: the villages' in village-code order, then a township Party congress's 选举单位 by
    number; two queries whatever the number of villages. Its title names what it holds: 村民委员会选举
    when that is all, else 换届选举 (a village's branch, a congress's units)."""
    elections = list(elections.with_places().order_by(
        F("village__code").asc(nulls_last=True), F("party_unit__number").asc(nulls_last=True),
        "-campaign__term_number", "pk"))
    by_election: dict[int, list] = {e.pk: [] for e in elections}
    documents = (ArchiveDocument.objects.filter(election__in=[e.pk for e in elections])
                 .order_by("election", F("destroyed_at").asc(nulls_first=True),
                           F("superseded_at").asc(nulls_first=True), "filed_on", "pk"))
    for document in documents:
        by_election[document.election_id].append(document)
    sections = [
        IndexSection(e, [IndexRow(i, d) for i, d in enumerate(by_election[e.pk], start=1)])
        for e in elections
    ]
    only_committees = all(e.kind_code == VILLAGE_COMMITTEE_CODE for e in elections)
    return ArchiveIndex(title=f"{place}{'村民委员会选举' if only_committees else '换届选举'}档案目录",
                        subtitle=subtitle, sections=sections)
