"""The delegate candidates of a township Party congress's 选举单位 (LAW.md §4.5; issue 12): the unit's formal list,
at least 20% more than its delegates (``party_rules.slate_check``, 2020 条例 Art. 9), each a full member with
voting rights on the unit's register, marked whether a cadre (党员干部) for the province's composition rule.

Candidate rows of the existing model, post ``deputy`` (代表), status 正式候选人. The service takes the actor as
``by``, runs in one transaction under the election's row lock (a certified election refuses), writes an audit
entry and raises ``ValidationError`` with a Chinese message, nothing half-written.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from villages import stages
from villages.access import lock_election_for_write
from villages.audit import log_action
from villages.kinds import party_members, party_rules
from villages.models import Election, User
from villages.services import advance_stage
from voters.models import Status, Voter

from .models import Candidate, CandidateListPublication, NominationMode, Post

MESSAGES = {
    "not_congress_unit": "只有党代表大会的选举单位提出代表候选人。",
    "no_seats": "本选举单位尚未分配代表名额，请先确定名额并分配。",
    "already_published": "本选举单位的代表候选人名单已经确定，共{count}名。",
    "not_on_register": "{name}不在本选举单位的党员名册中。",
    "not_entitled": "{name}不是有选举权的正式党员，不能作为代表候选人。",
    "duplicate": "{name}重复列入。",
    "slate": "{message}。",
}


def _error(code: str, **params) -> ValidationError:
    return ValidationError(MESSAGES[code].format(**params), code=code)


@transaction.atomic
def publish_delegate_candidates(
    *, by: User, election: Election, entries: Sequence[tuple[Voter, bool]], published_on: date,
    today: date | None = None,
) -> list[Candidate]:
    """The unit's delegate candidates in list order: ``(member, is a cadre)`` each. Recorded as the unit's
    candidate list; a unit at its nomination stage moves on to its 党员大会 (``advance_stage``, dated by the list),
    one in an earlier stage keeps it, the list dated."""
    election = lock_election_for_write(election.pk)
    if not election.party_unit_id:
        raise _error("not_congress_unit")
    if election.seats_member < 1:
        raise _error("no_seats")
    existing = Candidate.objects.filter(election=election, post=Post.DEPUTY).count()
    if existing:
        raise _error("already_published", count=existing)
    ids = [voter.pk for voter, _cadre in entries]
    members = {v.pk: v for v in Voter.objects.filter(election=election, pk__in=ids)}
    seen = set()
    for voter, _cadre in entries:
        member = members.get(voter.pk)
        if member is None:
            raise _error("not_on_register", name=voter.name)
        if member.category != party_members.FULL or member.status != Status.REGISTERED:
            raise _error("not_entitled", name=member.name)
        if member.pk in seen:
            raise _error("duplicate", name=member.name)
        seen.add(member.pk)
    finding = party_rules.slate_check(post=party_rules.DELEGATE, seats=election.seats_member,
                                      candidates=len(entries), params=election.rules)
    if finding.severity == party_rules.ERROR:
        raise _error("slate", message=finding.message)
    candidates = Candidate.objects.bulk_create(
        Candidate(election=election, voter=members[voter.pk], post=Post.DEPUTY, source=Candidate.Source.PARTY_REVIEW,
                  nominated_on=published_on, status=Candidate.Status.ON_LIST, list_order=order,
                  party_cadre=bool(cadre))
        for order, (voter, cadre) in enumerate(entries, start=1)
    )
    CandidateListPublication.objects.create(election=election, mode=NominationMode.CANDIDATES,
                                            published_on=published_on, published_by=by)
    if election.stage == stages.NOMINATION:
        advance_stage(by=by, election=election, target=stages.VOTING, on=published_on,
                      today=today or timezone.localdate())
    else:
        election.candidate_list_published_on = published_on
        election.save(update_fields=["candidate_list_published_on"])
    log_action(by=by, action="candidates.congress.list_published", obj=election,
               changes={"seats": [None, election.seats_member], "candidates": [None, len(candidates)],
                        "cadres": [None, sum(1 for _v, cadre in entries if cadre)], "slate": [None, finding.message]})
    return candidates
