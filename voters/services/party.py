"""The Party member register (党员名册) of a Party election: the members not counted as 应到会 and the register's
figures (issue 12; LAW.md §4.2). The members themselves are the election's voters (``voters.models.Voter``),
imported and kept like any register; who has voting rights is ``villages.kinds.party_members``, the arithmetic
of 应到会 ``villages.kinds.party_rules.expected_attendance``. This module gathers the facts, takes the locks and
writes, with an audit entry for each change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from villages.audit import log_action, snapshot
from villages.extensions import PartyRegisterFacts
from villages.kinds import party_members, party_rules
from villages.models import Election, PartyOrganisation, User

from ..imports import is_party_register
from ..models import AttendanceExcusal, Status, Voter
from .register import lock_election

ERROR_MESSAGES = {
    "not_party_election": "这不是党组织的选举，没有党员名册。",
    "not_a_member": "该党员不在本次选举的党员名册中。",
    "already_excused": "{name}已列为不列入应到会人数（{category}），如需更改请先撤销。",
    "already_withdrawn": "该记录已撤销。",
    "withdraw_reason_missing": "请写明撤销的原因。",
}


def _error(code: str, *, field: str | None = None, **params) -> ValidationError:
    error = ValidationError(ERROR_MESSAGES[code].format(**params), code=code)
    return ValidationError({field: [error]}) if field else error


def check_party_election(election: Election) -> None:
    if not is_party_register(election.rules):
        raise _error("not_party_election")


@transaction.atomic
def record_excusal(
    *,
    by: User,
    election: Election,
    member: Voter,
    category: str,
    facts: str,
    upper_consent_on: date,
    upper_consent_ref: str,
    meeting_on: date,
    votes_for: int,
    votes_against: int = 0,
    votes_abstained: int = 0,
    today: date,
) -> AttendanceExcusal:
    """Record that ``member`` is not counted as 应到会: one of the five categories, with the upper level's
    consent and the 党员大会's vote (LAW.md §4.2). Only a member with voting rights; one at a time."""
    election = lock_election(election.pk)
    check_party_election(election)
    member = Voter.objects.select_for_update(of=("self",)).filter(pk=member.pk, election=election).order_by().first()
    if member is None:
        raise _error("not_a_member", field="member")
    current = AttendanceExcusal.objects.filter(member=member, withdrawn_at__isnull=True).first()
    if current is not None:
        raise _error("already_excused", field="member", name=member.name, category=current.get_category_display())
    rules = election.rules
    labels = dict(AttendanceExcusal.Category.choices)
    problems = party_members.excusal_problems(
        entitled=member.status == Status.REGISTERED, name=member.name, category=category,
        category_label=labels.get(category, category), allowed=tuple(rules.excused_categories), facts=facts,
        consent_ref=upper_consent_ref, consent_on=upper_consent_on, meeting_on=meeting_on, votes_for=votes_for,
        votes_against=votes_against, votes_abstained=votes_abstained, election_day=election.election_day, today=today,
    )
    if problems:
        raise ValidationError({field: [ValidationError(text, code=field)] for field, text in problems.items()})
    excusal = AttendanceExcusal.objects.create(
        election=election, member=member, category=category, facts=facts.strip(), upper_consent_on=upper_consent_on,
        upper_consent_ref=upper_consent_ref.strip(), meeting_on=meeting_on, votes_for=votes_for,
        votes_against=votes_against, votes_abstained=votes_abstained, recorded_by=by,
    )
    fields = ["member_id", "category", "facts", "upper_consent_on", "upper_consent_ref", "meeting_on", "votes_for",
              "votes_against", "votes_abstained"]
    log_action(by=by, action="voters.excusal.recorded", obj=excusal,
               changes={name: [None, value] for name, value in snapshot(excusal, fields).items()})
    return excusal


@transaction.atomic
def withdraw_excusal(*, by: User, excusal: AttendanceExcusal, reason: str) -> AttendanceExcusal:
    """Count the member as 应到会 again (a mistaken record, or the member came back): the record stays, withdrawn."""
    lock_election(excusal.election_id)
    excusal = AttendanceExcusal.objects.select_for_update(of=("self",)).get(pk=excusal.pk)
    if excusal.withdrawn_at is not None:
        raise _error("already_withdrawn")
    if not reason.strip():
        raise _error("withdraw_reason_missing", field="reason")
    excusal.withdrawn_at, excusal.withdrawn_reason = timezone.now(), reason.strip()[:200]
    excusal.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    log_action(by=by, action="voters.excusal.withdrawn", obj=excusal,
               changes={"withdrawn_reason": [None, excusal.withdrawn_reason]})
    return excusal


# --- What the register page shows -----------------------------------------------------------------


@dataclass(frozen=True)
class RegisterFigures:
    """The register's counts and 应到会 with its arithmetic (``party_rules.Attendance``)."""

    members: int
    full: int
    probationary: int
    excluded: int  # no voting rights: probationary members and those under 留党察看
    suspended: int  # 留置 or arrest
    entitled: int  # members with voting rights
    excused: dict  # category -> count
    attendance: party_rules.Attendance

    @property
    def excused_total(self) -> int:
        return self.attendance.excused


def register_figures(election: Election) -> RegisterFigures:
    """Counts of the register by standing and status, the active excusals by category, and 应到会 (three queries)."""
    by = {(row["category"], row["status"]): row["n"] for row in
          Voter.objects.filter(election=election).order_by().values("category", "status").annotate(n=Count("id"))}
    members = sum(by.values())
    status_total = {status: sum(n for (_c, s), n in by.items() if s == status) for status in Status.values}
    full = sum(n for (c, _s), n in by.items() if c == party_members.FULL)
    excused = dict(AttendanceExcusal.objects.filter(election=election, withdrawn_at__isnull=True)
                   .order_by().values_list("category").annotate(n=Count("id")))
    entitled = status_total[Status.REGISTERED]
    attendance = party_rules.expected_attendance(entitled=entitled, excused=excused, params=election.rules)
    return RegisterFigures(members=members, full=full, probationary=members - full,
                           excluded=status_total[Status.NOT_REGISTERED], suspended=status_total[Status.SUSPENDED],
                           entitled=entitled, excused=excused, attendance=attendance)


def party_register_facts(election: Election) -> PartyRegisterFacts | None:
    """The register's figures for the setup stage (``villages.extensions.party_register``); None for an election
    whose register is not a Party organisation's."""
    if not is_party_register(election.rules):
        return None
    figures = register_figures(election)
    return PartyRegisterFacts(members=figures.members, full=figures.full, entitled=figures.entitled,
                              expected=figures.attendance.expected, expected_text=figures.attendance.finding.message)


def organisation_of(election: Election) -> PartyOrganisation | None:
    """The village Party organisation whose members are ``election``'s register."""
    if not election.village_id:
        return None
    return PartyOrganisation.objects.filter(village_id=election.village_id).first()
