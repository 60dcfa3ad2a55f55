"""Writes of a Party election's 党员大会 (LAW.md §4.2) beside the shared tally: the members present with voting
rights (实到会), the office's decision on a shortfall (another round among the not elected, or fewer seats with
the upper level's consent), and the new committee's election of the 书记 and 副书记.

Each takes the actor as ``by``, locks the election for writing inside its transaction (certified elections
refuse), writes an audit entry and raises ``ValidationError`` with a Chinese message.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from villages import stages
from villages.access import lock_election_for_write
from villages.audit import log_action
from villages.kinds import party_rules
from villages.models import Election, User
from villages.services import advance_stage
from villages.versioning import save_versioned

from .. import party_posts, progression
from ..counts import election_counts, is_party_election
from ..models import CommitteePostVote, PollingStation, Round, ShortfallDecision, Tally
from .rounds import open_round

ERROR_MESSAGES = {
    "not_party": "只有党组织换届选举的党员大会登记到会人数、缺额处理和书记、副书记选举。",
    "round_closed": "{round}{status}，不能再登记到会人数。",
    "present_below_issued": "已确认的计票结果发出选票{issued}张，实到会有选举权的党员不能少于{issued}名。",
    "no_shortfall": "根据已确认的计票结果，目前没有缺额需要处理。",
    "reduce_not_allowed": "本选举的规则不允许减少名额，须就缺额另行选举。",
    "reduce_below_minimum": "已选出{elected}名，少于{minimum}名，不能减少名额，须就缺额另行选举。",
    "consent_required": "减少名额须经上级党组织同意，请填写同意的文书。",
    "meeting_vote_required": "减少名额须经党员大会表决，请填写同意人数和实到会人数。",
    "meeting_vote_failed": "同意减少名额的{votes}名未超过实到会党员{present}名的半数，党员大会未同意减少名额。",
    "meeting_vote_exceeds": "同意人数{votes}名多于实到会人数{present}名，请核对。",
    "no_meeting_place": "本选举还没有中心会场，不能另行选举。",
    "decided_date_future": "决定日期不能晚于今天。",
    "not_final": "党员大会选举的委员尚未全部选出并公布，不能选举书记、副书记。",
    "vote_invalid": "{errors}",
}


def _error(code: str, **params) -> ValidationError:
    return ValidationError(ERROR_MESSAGES[code].format(**params), code=code)


def _party(election: Election) -> None:
    if not is_party_election(election):
        raise _error("not_party")


@transaction.atomic
def record_attendance(*, by: User, round: Round, present: int) -> Round:
    """实到会有选举权的党员人数 of one round's 党员大会 (应到会 is the round's, read from the register when it
    opened). Never fewer than the ballots already issued at a confirmed tally."""
    election = lock_election_for_write(round.election_id)
    _party(election)
    round = Round.objects.select_for_update(of=("self",)).get(pk=round.pk)
    if not round.is_open:
        raise _error("round_closed", round=round.label, status=round.get_status_display())
    party_rules.require_counts(present)
    issued = max(round.tallies.filter(status=Tally.Status.CONFIRMED).values_list("issued", flat=True), default=0)
    if present < issued:
        raise _error("present_below_issued", issued=issued)
    before = round.present
    round.present = present
    save_versioned(round, fields=["present"], expected_version=None)
    log_action(by=by, action="ballots.round.attendance_recorded", obj=round,
               changes={"present": [before, present], "expected_attendance": [None, round.expected_attendance]})
    return round


@transaction.atomic
def decide_shortfall(
    *, by: User, election: Election, choice: str, decided_on: date, today: date, note: str = "",
    upper_consent: str = "", meeting_for: int | None = None, meeting_present: int | None = None,
    held_on: date | None = None,
) -> ShortfallDecision:
    """The office's decision after a 党员大会 elected fewer than the seats (LAW.md §4.2): the shortfall is not
    filled from those below half. ``another_round``: a new round among the not elected through the shared
    round mechanism (另行选举, the same quorum and majority); ``reduce``: the seats reduced to those elected, with
    the upper level's consent and more than half of the meeting agreeing."""
    election = lock_election_for_write(election)
    _party(election)
    if decided_on > today:
        raise _error("decided_date_future")
    data = election_counts(election)
    progress = data.progress
    step = progress.step(progression.OPEN_RUNOFF)
    if not progress.unfilled or (step is None and choice == ShortfallDecision.Choice.ANOTHER_ROUND):
        raise _error("no_shortfall")
    round = next(r for r in data.rounds if r.pk == progress.current_round_id)
    post, unfilled = next(iter(progress.unfilled.items()))
    elected = sum(1 for e in progress.elected if e.post == post)
    params = election.rules
    decision = ShortfallDecision(election=election, round=round, choice=choice, post=post,
                                 seats_before=elected + unfilled, decided_on=decided_on, note=note.strip(),
                                 recorded_by=by)
    if choice == ShortfallDecision.Choice.REDUCE:
        minimum = params.seats_minimum(post)
        if not params.seats_may_be_reduced:
            raise _error("reduce_not_allowed")
        if elected < minimum:
            raise _error("reduce_below_minimum", elected=elected, minimum=minimum)
        if not upper_consent.strip():
            raise ValidationError({"upper_consent": _error("consent_required")})
        if meeting_for is None or meeting_present is None:
            raise _error("meeting_vote_required")
        party_rules.require_counts(meeting_for, meeting_present)
        if meeting_for > meeting_present:
            raise _error("meeting_vote_exceeds", votes=meeting_for, present=meeting_present)
        if not 2 * meeting_for > meeting_present:
            raise _error("meeting_vote_failed", votes=meeting_for, present=meeting_present)
        decision.seats_after = elected
        decision.upper_consent, decision.meeting_for, decision.meeting_present = (
            upper_consent.strip(), meeting_for, meeting_present)
    else:
        place = PollingStation.objects.filter(election=election, kind=PollingStation.Kind.CENTRAL).first()
        if place is None:
            raise _error("no_meeting_place")
        decision.seats_after = elected + unfilled
        decision.new_round = open_round(by=by, election=election, kind=Round.Kind.RUNOFF, held_on=held_on or decided_on,
                                        stations=[place], shortfall_decided=True)
    decision.save()
    if choice == ShortfallDecision.Choice.REDUCE and election.results_announced_on:
        _committee_formed(by=by, election=election, on=decided_on, today=today)
    log_action(by=by, action="ballots.shortfall.decided", obj=decision, changes={
        "choice": [None, choice], "post": [None, post], "seats": [decision.seats_before, decision.seats_after],
        "upper_consent": [None, decision.upper_consent], "meeting": [None, [meeting_for, meeting_present]],
        "new_round": [None, decision.new_round.label if decision.new_round else None],
    })
    return decision


def _committee_formed(*, by: User, election: Election, on: date, today: date) -> None:
    """Seats reduced after the results were announced: the committee is formed with those announced, so the
    election moves on as the announcement would have moved it (工作移交), where its kind serves that stage."""
    if not election_counts(election).progress.is_final:
        return
    target = stages.HANDOVER
    if stages.serves(election.campaign.kind, target) and target != election.stage and target in stages.next_stages(
            election.stage, election.campaign.kind):
        advance_stage(by=by, election=election, target=target, on=on, today=today)


# ---------------------------------------------------------------- 书记、副书记


def nomination_method(election: Election) -> str:
    """The election's nomination method where its rules allow only one (``""`` otherwise: the default)."""
    methods = tuple(election.rules.nomination_methods)
    return methods[0] if len(methods) == 1 else ""


def electorate_of(election: Election, post: str) -> str:
    """Who elects ``post``: the 党员大会 for the 书记 under 公推直选, the new committee otherwise."""
    if post == party_posts.SECRETARY and party_rules.secretary_elected_by_members(nomination_method(election),
                                                                                  election.rules):
        return party_posts.MEMBERS
    return party_posts.COMMITTEE


def committee_of(data) -> dict[str, str]:
    """The new committee as announced (key → name): the 委员 elected at the 党员大会, void ones left out."""
    return {str(m.voter_id): m.voter.name for m in data.members if not m.void_decision_id}


def post_outcomes(election: Election, data=None) -> list[tuple[CommitteePostVote, party_posts.PostOutcome]]:
    """Each recorded 书记/副书记 vote with its decided outcome, in the order held."""
    data = data or election_counts(election)
    names = {k: p.name for k, p in data.persons.items()} | committee_of(data)
    out = []
    for vote in CommitteePostVote.objects.filter(election=election).order_by("held_on", "id"):
        seats = 1 if vote.post == party_posts.SECRETARY else election.seats_vice_chair
        out.append((vote, party_posts.decide_post(post=vote.post, seats=seats, votes=vote.votes, names=names,
                                                  base=vote.base, electorate=vote.electorate)))
    return out


def meeting_present(data) -> int | None:
    """The members present at the 党员大会's last counted round."""
    rounds = [r for r in data.rounds if r.status != Round.Status.VOID and r.present is not None]
    return rounds[-1].present if rounds else None


@transaction.atomic
def record_post_vote(
    *, by: User, election: Election, post: str, held_on: date, returned: int, votes: Mapping[int | str, int],
    today: date,
) -> CommitteePostVote:
    """Record the election of the 书记 or 副书记 among the new committee's members with its votes, checked: the
    candidates are committee members holding no other post, 等额 unless the preset says otherwise, and the base
    is the committee's members (or, for the 书记 under 公推直选, the members present at the 党员大会)."""
    election = lock_election_for_write(election)
    _party(election)
    if held_on > today:
        raise _error("decided_date_future")
    data = election_counts(election)
    committee = committee_of(data)
    if not committee or not data.progress.is_final:
        raise _error("not_final")
    electorate = electorate_of(election, post)
    base = len(committee) if electorate == party_posts.COMMITTEE else (meeting_present(data) or 0)
    seats = 1 if post == party_posts.SECRETARY else election.seats_vice_chair
    outcomes = post_outcomes(election, data)
    if any(o.post == post and o.filled for _, o in outcomes):
        raise _error("vote_invalid", errors=party_posts.ERRORS["already_filled"].format(
            post_label=party_posts.POST_LABELS[post]))
    holders = {key: o.post for _, o in outcomes for key in o.elected}
    votes = {str(k): v for k, v in votes.items()}
    names = committee | {k: data.persons[k].name for k in votes if k in data.persons}
    errors = party_posts.check_vote(post=post, seats=seats, votes=votes, names=names, committee=list(committee),
                                    holders=holders, returned=returned, base=base, electorate=electorate,
                                    params=election.rules)
    if errors:
        raise _error("vote_invalid", errors="".join(errors))
    vote = CommitteePostVote.objects.create(election=election, post=post, electorate=electorate, base=base,
                                            returned=returned, votes=votes, held_on=held_on, recorded_by=by)
    outcome = party_posts.decide_post(post=post, seats=seats, votes=votes, names=names, base=base,
                                      electorate=electorate)
    log_action(by=by, action="ballots.committee_post.voted", obj=vote, changes={
        "post": [None, post], "electorate": [None, electorate], "base": [None, base], "returned": [None, returned],
        "votes": [None, {names.get(k, k): v for k, v in votes.items()}],
        "elected": [None, [names.get(k, k) for k in outcome.elected]],
    })
    return vote

