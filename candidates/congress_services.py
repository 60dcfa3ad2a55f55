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
from villages.kinds import party_congress_vote, party_members, party_rules
from villages.kinds.party_congress import CODE as CONGRESS
from villages.models import Campaign, Election, User
from villages.services import advance_stage
from voters.models import Status, Voter

from .models import Candidate, CandidateListPublication, CongressBodyVote, NominationMode, Post

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


# ---------------------------------------------------------------- the congress elects its committees

VOTE_MESSAGES = {
    "not_congress": "只有乡镇党代表大会代表选举登记代表大会选举委员会的结果。",
    "round_closed": "本次选举已经结束，不能再修改。",
    "body_unknown": "请选择选举事项（党委委员或纪委委员）。",
    "already_voted": "{body}应选{seats}名已经选足，不能再次选举。",
    "seats_not_remaining": "{body}另行选举的应选名额应为尚缺的{unfilled}名。",
    "already_elected": "{name}已当选{body}，不能列为另行选举的候选人。",
    "not_a_candidate": "{name}不是{body}此前未当选的候选人，另行选举在未当选的候选人中进行。",
    "seats_invalid": "应选名额至少为1名。",
    "no_candidates": "请按名单顺序填写候选人及其赞成票。",
    "name_missing": "第{line}位候选人没有填写姓名。",
    "name_twice": "{name}重复列入。",
    "votes_exceed": "{name}的赞成票{votes}票多于实到会有选举权的代表{present}名，请核对。",
    "present_exceeds": "实到会有选举权的代表{present}名多于应到会代表{due}名，请核对。",
    "due_invalid": "应到会代表至少为1名。",
    "held_future": "选举日期不能晚于今天。",
    "cannot_proceed": "{message}。",
}


def _vote_error(code: str, *, field: str | None = None, **params) -> ValidationError:
    error = ValidationError(VOTE_MESSAGES[code].format(**params), code=code)
    return ValidationError({field: [error]}) if field else error


def body_result(vote: CongressBodyVote, params=None) -> party_congress_vote.BodyResult:
    """The verdicts of one recorded vote, on the pure rules (``party_congress_vote.body_election``)."""
    return party_congress_vote.body_election(
        body=vote.body, seats=vote.seats, candidates=[(name, votes) for name, votes in vote.candidates],
        due=vote.due, present=vote.present, params=params or vote.campaign.rules)


def body_outcome(votes: Sequence[CongressBodyVote], params) -> party_congress_vote.BodyOutcome:
    """One body's result across its recorded rounds (``votes`` in round order, the first round's seats)."""
    return party_congress_vote.body_outcome(
        body=votes[0].body, seats=votes[0].seats,
        rounds=[([name for name, _v in vote.candidates], body_result(vote, params)) for vote in votes])


@transaction.atomic
def record_body_vote(
    *, by: User, campaign: Campaign, body: str, seats: int, due: int, present: int,
    candidates: Sequence[tuple[str, int]], held_on: date, today: date,
) -> CongressBodyVote:
    """The congress's election of its committee or discipline committee: the candidates in the list's order with
    their yes votes, the delegates due and present. Refused when the list is short of the 20% surplus or the
    delegates present are not more than 4/5 of those due (the vote cannot proceed).

    The body's first vote is round 1. While the rounds so far leave seats unfilled (a shortfall or a tie at the
    last seat), a further vote is the next round's 另行选举: its seats the unfilled ones, its candidates only those
    listed before and not elected (as a branch's 党员大会, LAW.md §4.2); once every seat is filled, refused.

    The vote is the round's, not one unit's: it locks the round's row (a closed round refuses), as the round's
    other writes do (``villages.party_congress``)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.election_type != CONGRESS:
        raise _vote_error("not_congress")
    if campaign.closed_on:
        raise _vote_error("round_closed")
    if body not in CongressBodyVote.Body.values:
        raise _vote_error("body_unknown", field="body")
    label = CongressBodyVote.Body(body).label
    # Read under the round's lock: two clerks recording the same body's next round wait for each other.
    previous = list(CongressBodyVote.objects.filter(campaign=campaign, body=body).order_by("round"))
    outcome = body_outcome(previous, campaign.rules) if previous else None
    if outcome and not outcome.unfilled:
        raise _vote_error("already_voted", field="body", body=label, seats=outcome.seats)
    if held_on > today:
        raise _vote_error("held_future", field="held_on")
    party_rules.require_counts(seats, due, present, *(votes for _name, votes in candidates))
    if seats < 1:
        raise _vote_error("seats_invalid", field="seats")
    if outcome and seats != outcome.unfilled:
        raise _vote_error("seats_not_remaining", field="seats", body=label, unfilled=outcome.unfilled)
    if due < 1:
        raise _vote_error("due_invalid", field="due")
    if present > due:
        raise _vote_error("present_exceeds", field="present", present=present, due=due)
    if not candidates:
        raise _vote_error("no_candidates", field="candidates")
    rows, seen = [], set()
    for line, (name, votes) in enumerate(candidates, start=1):
        name = name.strip()
        if not name:
            raise _vote_error("name_missing", field="candidates", line=line)
        if name in seen:
            raise _vote_error("name_twice", field="candidates", name=name)
        seen.add(name)
        if outcome and name in outcome.elected:
            raise _vote_error("already_elected", field="candidates", name=name, body=label)
        if outcome and name not in outcome.not_elected:
            raise _vote_error("not_a_candidate", field="candidates", name=name, body=label)
        rows.append([name, votes])
    vote = CongressBodyVote(campaign=campaign, body=body, round=len(previous) + 1, seats=seats, due=due,
                            present=present, candidates=rows, held_on=held_on, recorded_by=by)
    # The list and the quorum first (whether the vote could proceed at all), then the votes against those present.
    probe = party_congress_vote.body_election(body=body, seats=seats, candidates=[(n, 0) for n, _v in rows], due=due,
                                              present=present, params=campaign.rules)
    if not probe.may_proceed:
        blocking = probe.slate if probe.slate.severity != party_rules.OK else probe.quorum
        raise _vote_error("cannot_proceed", message=blocking.message)
    for name, votes in rows:
        if votes > present:
            raise _vote_error("votes_exceed", field="candidates", name=name, votes=votes, present=present)
    result = body_result(vote, campaign.rules)
    vote.save()
    log_action(by=by, action="candidates.congress.body_voted", obj=campaign, changes={
        "body": [None, label], "round": [None, vote.round], "seats": [None, seats], "due": [None, due], "present": [None, present],
        "votes": [None, {name: votes for name, votes in rows}], "elected": [None, list(result.elected)],
    })
    return vote
