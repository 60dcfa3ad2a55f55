"""Announcing results (当场公布选举结果, OL §15) and recording that an election is void (OL §17).

The announcement writes one ``ElectedMember`` per person the computed results elect, closes the counted
rounds and moves the election to 另行选举 or 工作移交. The only override of the results is a void decision
with who decided, the document and the date (LAW.md §1.10).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from villages import stages
from villages.access import lock_election_for_write
from villages.audit import log_action
from villages.dates import check_dates
from villages.models import Election, User
from villages.services import advance_stage
from villages.versioning import save_versioned
from voters.models import Voter

from ..counts import election_counts
from ..models import ElectedMember, Round, VoidDecision
from ..queries import has_unannounced

ERROR_MESSAGES = {
    "not_ready": "目前不能公布选举结果：{status}。",
    "nothing_new": "已计票轮次的选举结果均已公布，没有需要公布的新结果。",
    "write_ins_pending": "还有另选他人姓名待{committee}认定：{names}。",
    "announce_date_future": "公布日期不能晚于今天。",
    "announce_stage": "选举处于“{stage}”阶段，须进入投票选举阶段后才能公布结果。",
    "void_date_future": "决定日期不能晚于今天。",
    "void_person_not_elected": "{name}不是本次选举已公布的当选人。",
    "void_nothing": "本次选举还没有投票轮次或当选人，无可宣布无效。",
}

ANNOUNCE_STAGES = (stages.VOTING, stages.RUNOFF, stages.HANDOVER)


def _error(code: str, **params) -> ValidationError:
    return ValidationError(ERROR_MESSAGES[code].format(**params), code=code)


@transaction.atomic
def announce_results(*, by: User, election: Election, on: date, today: date) -> list[ElectedMember]:
    """Announce what the counted rounds decided: persist the newly elected, close the rounds, and move the
    stage to 另行选举 (seats unfilled) or 工作移交 (committee formed; ``on`` becomes the new committee's date)."""
    election = lock_election_for_write(election)
    if on > today:
        raise _error("announce_date_future")
    if election.stage not in ANNOUNCE_STAGES:
        raise _error("announce_stage", stage=election.stage_label)
    data = election_counts(election)
    held = max((r.held_on for r in data.rounds if r.status != Round.Status.VOID), default=None)
    check_dates(by=by, act="results_announced", on=on,
                facts={"election_day": election.election_day, "round_held_on": held},
                params=election.rules, today=today)
    progress = data.progress
    if not progress.can_announce:
        raise _error("not_ready", status=progress.label)
    if not has_unannounced(data):
        raise _error("nothing_new")
    if pending := data.pending_write_ins:
        raise _error("write_ins_pending", committee=election.committee_label, names="、".join(sorted({w.name for w in pending})))
    rounds = {r.pk: r for r in data.rounds}
    standing = set(ElectedMember.objects.filter(election=election, void_decision__isnull=True).values_list("voter_id", flat=True))
    created = ElectedMember.objects.bulk_create(
        ElectedMember(
            election=election,
            voter_id=int(person.key),
            post=person.post,
            votes=person.votes,
            round=rounds[progress.decided_in[person.key]],
            elected_on=rounds[progress.decided_in[person.key]].held_on,
            announced_on=on,
        )
        for person in progress.elected
        if int(person.key) not in standing
    )
    Round.objects.filter(pk__in=list(progress.results), status=Round.Status.OPEN).update(status=Round.Status.ANNOUNCED)
    if election.results_announced_on is None:
        election.results_announced_on = on
        save_versioned(election, fields=["results_announced_on"], expected_version=None)
    log_action(
        by=by,
        action="ballots.results.announced",
        obj=election,
        changes={
            "status": [None, progress.status],
            "elected": [None, [f"{p.name}（{p.post}，{p.votes}票）" for p in progress.elected]],
            "announced_on": [None, on.isoformat()],
        },
    )
    target = stages.HANDOVER if progress.is_final else stages.RUNOFF
    # A kind whose archive stage is not served keeps its stage; the announcement is recorded and dated.
    served = stages.serves(election.campaign.kind, target)
    if served and target != election.stage and target in stages.next_stages(election.stage, election.campaign.kind):
        advance_stage(by=by, election=election, target=target, on=on, today=today)
    return created


@transaction.atomic
def void_result(
    *,
    by: User,
    election: Election,
    scope: str,
    person: Voter | None,
    ground: str,
    decided_by_body: str,
    document_ref: str,
    decided_on: date,
    reason: str,
    today: date,
) -> VoidDecision:
    """Record a decision that the whole election, or one person's election, is void (OL §17). A void
    person's seat is unfilled and they cannot stand in the runoff (ZJ Art. 41); a void election closes every
    round, so a new first ballot can be opened."""
    election = lock_election_for_write(election)
    if decided_on > today:
        raise _error("void_date_future")
    members = ElectedMember.objects.filter(election=election, void_decision__isnull=True)
    if scope == VoidDecision.Scope.PERSON:
        members = members.filter(voter=person)
        if not members.exists():
            raise _error("void_person_not_elected", name=person.name if person else "")
    else:
        person = None
        if not members.exists() and not election.rounds.exclude(status=Round.Status.VOID).exists():
            raise _error("void_nothing")
    decision = VoidDecision(
        election=election, scope=scope, person=person, ground=ground, decided_by_body=decided_by_body,
        document_ref=document_ref.strip(), decided_on=decided_on, reason=reason.strip(), recorded_by=by,
    )
    decision.full_clean()
    decision.save()
    voided = [m.voter.name for m in members.select_related("voter")]
    members.update(void_decision=decision)
    if scope == VoidDecision.Scope.ELECTION:
        election.rounds.exclude(status=Round.Status.VOID).update(
            status=Round.Status.VOID,
            void_reason=f"{decision.body_label}{decision.document_ref}宣布选举无效"[:200],
        )
    log_action(
        by=by,
        action="ballots.result.voided",
        obj=decision,
        changes={
            "scope": [None, scope],
            "persons": [None, voided],
            "document": [None, decision.document_ref],
            "decided_on": [None, decided_on.isoformat()],
        },
    )
    return decision
