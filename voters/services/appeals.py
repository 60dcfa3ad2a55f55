"""Appeals against the published list (选民资格申诉, OL §14 ¶2): filing, deciding, publishing the
decision. The dates follow ``voters.appeal_rules``; an upheld decision changes the list through an
amendment batch of ``voters.services.register``.

Filing is done by whoever receives the appeal (office staff or the village's liaison officer);
deciding and publishing the decision are acts of the 村民选举委员会, recorded by office staff (the
views ask for election-setup rights).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from villages.audit import diff, log_action, snapshot
from villages.models import Election, User
from villages.versioning import save_versioned

from .. import appeal_rules
from ..models import AmendmentBatch, AmendmentItem, Appeal, Publication, Status, Voter
from . import register

ERROR_MESSAGES = {
    "voter_other_election": "所选选民不属于本村本届选举。",
    "omitted_needs_subject": "漏登申诉须选择被漏登的人员，或填写其姓名。",
    "listed_kind_needs_voter": "此类申诉须选择名单上的选民。",
    "voter_not_listed": "{name}不在选民名单上，不能就其“错登”或“信息有误”提出申诉。",
    "voter_already_listed": "{name}已在选民名单上，不属于漏登。",
    "already_decided": "该申诉已于{day}作出决定，不能重复决定。",
    "decision_invalid": "请选择处理决定。",
    "decision_text_blank": "请填写决定内容（理由）。",
    "upheld_needs_person": "漏登申诉成立时，须选择要补列入名单的人员（先在选民登记中录入此人）。",
    "not_decided": "该申诉尚未作出决定。",
    "decision_already_published": "该决定已于{day}公布。",
}

UPHELD = Appeal.Decision.UPHELD


def _error(code: str, *, field: str | None = None, **params) -> ValidationError:
    error = ValidationError(ERROR_MESSAGES[code].format(**params), code=code)
    return ValidationError({field: [error]}) if field else error


def _problems(problems: list[appeal_rules.Problem], field: str) -> ValidationError:
    return ValidationError({field: [ValidationError(p.message, code=p.code) for p in problems]})


@transaction.atomic
def file_appeal(
    *,
    by: User,
    election: Election,
    filer_name: str,
    kind: str,
    reason: str,
    received_on: date,
    today: date,
    voter: Voter | None = None,
    subject_name: str = "",
    subject_id_number: str = "",
    filer_phone: str = "",
) -> Appeal:
    """Record an appeal received on ``received_on``; one received after the window is refused
    (OL §14 ¶2 "自名单公布之日起五日内"; ``late_appeals_refused``)."""
    election = register.lock_election(election.pk)
    rules = election.rules
    publication = Publication.objects.filter(election=election).first()
    problems = appeal_rules.filing_problems(
        published_on=publication.published_on if publication else None,
        received_on=received_on,
        today=today,
        window_days=rules.voter_appeal_window_days,
        count_start_day=rules.count_start_day,
        late_appeals_refused=rules.late_appeals_refused,
    )
    if problems:
        raise _problems(problems, "received_on")
    _check_subject(election, kind, voter, subject_name)
    appeal = Appeal.objects.create(
        election=election,
        filer_name=filer_name,
        filer_phone=filer_phone,
        voter=voter,
        subject_name=subject_name or (voter.name if voter else ""),
        subject_id_number=subject_id_number,
        kind=kind,
        reason=reason,
        received_on=received_on,
    )
    log_action(by=by, action="voters.appeal.filed", obj=appeal, changes=diff({}, snapshot(appeal)))
    return appeal


@transaction.atomic
def decide_appeal(
    *,
    by: User,
    appeal: Appeal,
    decision: str,
    decision_text: str,
    decided_on: date,
    today: date,
    expected_version: int,
    published_on: date | None = None,
    voter: Voter | None = None,
    reason_code: str = "",
) -> Appeal:
    """Record the committee's decision; an upheld one changes the list in the same transaction.

    - 漏登 upheld: ``voter`` (or the appeal's voter), an unlisted person of this election who meets
      the registration rules, is added (增) from ``decided_on``;
    - 错登 upheld: the voter is removed (减) from ``decided_on``;
    - 信息有误 upheld: the decision is recorded; the clerk then corrects the record on its edit page,
      whose amendment batch is linked to this appeal.
    A decision later than ``voter_appeal_decision_days`` after receipt is recorded and flagged.
    """
    election = register.lock_election(appeal.election_id)
    stored = Appeal.objects.get(pk=appeal.pk)
    if stored.decided_on:
        raise _error("already_decided", day=register.cn_day(stored.decided_on))
    if decision not in Appeal.Decision.values:
        raise _error("decision_invalid", field="decision")
    if not decision_text.strip():
        raise _error("decision_text_blank", field="decision_text")
    problems = appeal_rules.decision_problems(
        received_on=appeal.received_on, decided_on=decided_on, published_on=published_on, today=today
    )
    if problems:
        raise _problems(problems, "decided_on")
    before = snapshot(stored)
    appeal.decision, appeal.decision_text = decision, decision_text.strip()
    appeal.decided_on, appeal.decision_published_on = decided_on, published_on
    fields = ["decision", "decision_text", "decided_on", "decision_published_on"]
    if decision == UPHELD and appeal.kind != Appeal.Kind.WRONG_DETAILS:
        appeal.batch = _apply(by=by, election=election, appeal=appeal, voter=voter, reason_code=reason_code, today=today)
        appeal.voter = appeal.batch.items.get().voter
        fields += ["batch", "voter"]
        if published_on:
            AmendmentBatch.objects.filter(pk=appeal.batch.pk).update(published_on=published_on)
    save_versioned(appeal, fields=fields, expected_version=expected_version)
    log_action(by=by, action="voters.appeal.decided", obj=appeal, changes=diff(before, snapshot(appeal)))
    return appeal


@transaction.atomic
def publish_appeal_decision(*, by: User, appeal: Appeal, published_on: date, today: date, expected_version: int) -> Appeal:
    """Record the day the decision was published (OL §14 ¶2 "并公布处理结果"); the change batch it
    caused is published with it."""
    register.lock_election(appeal.election_id)
    if not appeal.decided_on:
        raise _error("not_decided")
    if appeal.decision_published_on:
        raise _error("decision_already_published", day=register.cn_day(appeal.decision_published_on))
    problems = appeal_rules.decision_problems(
        received_on=appeal.received_on, decided_on=appeal.decided_on, published_on=published_on, today=today
    )
    if published_on > today:
        problems.append(appeal_rules.Problem("published_in_future", register.ERROR_MESSAGES["published_in_future"]))
    if problems:
        raise _problems(problems, "published_on")
    before = snapshot(appeal)
    appeal.decision_published_on = published_on
    save_versioned(appeal, fields=["decision_published_on"], expected_version=expected_version)
    if appeal.batch_id:
        AmendmentBatch.objects.filter(pk=appeal.batch_id, published_on__isnull=True).update(published_on=published_on)
    log_action(by=by, action="voters.appeal.decision_published", obj=appeal, changes=diff(before, snapshot(appeal)))
    return appeal


def _check_subject(election: Election, kind: str, voter: Voter | None, subject_name: str) -> None:
    if voter is not None and voter.election_id != election.pk:
        raise _error("voter_other_election", field="voter")
    if kind == Appeal.Kind.OMITTED:
        if voter is None and not subject_name.strip():
            raise _error("omitted_needs_subject", field="subject_name")
        if voter is not None and voter.is_listed:
            raise _error("voter_already_listed", field="voter", name=voter.name)
        return
    if voter is None:
        raise _error("listed_kind_needs_voter", field="voter")
    if not voter.is_listed:
        raise _error("voter_not_listed", field="voter", name=voter.name)


def _apply(*, by, election, appeal: Appeal, voter: Voter | None, reason_code: str, today: date) -> AmendmentBatch:
    received = register.cn_day(appeal.received_on)
    if appeal.kind == Appeal.Kind.OMITTED:
        person = voter or appeal.voter
        if person is None:
            raise _error("upheld_needs_person", field="voter")
        if person.election_id != election.pk:
            raise _error("voter_other_election", field="voter")
        amendment = register.Amendment(
            effective_on=appeal.decided_on,
            reason=f"选民资格申诉决定（{appeal.filer_name}，{received}收到）：漏登，补列入名单",
            reason_code=reason_code,
            note=appeal.decision_text[:200],
        )
        return register.add_to_list(
            by=by,
            election=election,
            voter=Voter.objects.select_for_update().get(pk=person.pk),
            amendment=amendment,
            publication=Publication.objects.get(election=election),
            today=today,
        )
    person = Voter.objects.select_for_update().get(pk=appeal.voter_id)
    amendment = register.Amendment(
        effective_on=appeal.decided_on,
        reason=f"选民资格申诉决定（{appeal.filer_name}，{received}收到）：错登，移出名单",
        reason_code=reason_code,
        note=appeal.decision_text[:200],
    )
    if reason_code:
        register.check_reason_code(reason_code, election, prefix="REM_")
    before = register.snapshot(person)
    person.status = Status.NOT_REGISTERED
    person.not_registered_reason = f"经申诉认定不应列入名单：{appeal.decision_text}"[:200]
    person.listed_until = appeal.decided_on
    save_versioned(person, fields=["status", "not_registered_reason", "listed_until"], expected_version=None)
    log_action(by=by, action="voters.voter.unlisted", obj=person, changes=diff(before, register.snapshot(person)))
    return register.record_amendment(
        by=by,
        election=election,
        voter=person,
        change=AmendmentItem.Change.REMOVE,
        amendment=amendment,
        today=today,
        before=before,
        after=register.snapshot(person),
    )
