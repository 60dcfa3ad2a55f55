"""Writes for nomination: nominating, individual nominations, nomination votes, withdrawal with
replacement, and publishing the formal candidate list (OL §12 ¶3, §15 ¶1; LAW.md §1.2, §1.5, §2.1, §2.5).

Each service takes the actor as ``by``, locks the election row, runs in one transaction, writes its
audit entries and raises ``ValidationError(message, code=…)`` for a business failure (STYLE.md §8–§10).
The rules themselves are pure: ``slate`` (差额, women, nomination ballots) and ``selection`` (who is
on the list, deadlines, replacement).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from villages import stages
from villages.access import lock_election_for_write
from villages.audit import diff, log_action, snapshot
from villages.models import CommitteeMember, Election, User
from villages.presets import MODE_CANDIDATES, MODE_SELF_NOMINATION
from villages.services import advance_stage
from villages.versioning import save_versioned
from voters.models import Voter

from . import selection, slate
from .models import Candidate, CandidateListPublication, Nomination, nominable_voters

ERROR_MESSAGES = {
    "not_nomination_stage": "只能在“提名候选人”阶段录入提名，本选举当前处于“{stage}”阶段。",
    "source_not_allowed": "本次选举的规则不允许“{source}”。",
    "mode_not_allowed": "本次选举的规则不允许“{mode}”。",
    "post_not_in_election": "本次选举没有“{post_label}”职务。",
    "nominee_not_registered": "{name}不是本村选民名单上的登记选民，不能被提名为候选人（村民委员会组织法第十五条）。",
    "nominator_not_registered": "提名人{name}不是本村选民名单上的登记选民，不能提名（村民委员会组织法第十五条）。",
    "already_nominated": "{name}已被提名为{post_label}候选人。",
    "needs_nominations": "选民提名的候选人须至少有一名提名人，或填写提名票数。",
    "votes_below_nominators": "提名票数（{votes}）不能少于已录入的提名人数（{count}人）。",
    "self_nomination_no_nominators": "自荐人不填写提名人和提名票数。",
    "self_nomination_one_post": "{name}已自荐参选{post_label}，每人只能自荐一个职务（浙江省村民委员会选举办法第二十条）。",
    "self_nomination_late": "自荐报名截止于{deadline}（选举日的{days}日前），{day}的自荐不能登记。",
    "nominated_on_late": "提名日期不能晚于选举日前一天。",
    "nominator_ballot": "提名人{name}：{problem}。",
    "nominations_closed": "{name}已不在提名阶段（{status}），不能再增加提名或修改提名票数。",
    "not_nominated_by_voters": "{name}是自荐人，没有提名人和提名票数。",
    "committee_member_left": "{name}已不在村民选举委员会中。",
    "committee_member_other_election": "所选的村民选举委员会成员不属于本次选举。",
    "withdraw_not_active": "{name}已{status}，无需再退出。",
    "withdraw_wrong_stage": "候选人只能在提名和投票前退出，本选举当前处于“{stage}”阶段。",
    "withdraw_needs_reason": "请填写退出原因（候选人须书面提出）。",
    "withdraw_after_deadline": "候选人退出截止于{deadline}（{rule}），{day}的退出不能受理。",
    "publish_wrong_stage": "只能在“提名候选人”阶段公布候选人名单，本选举当前处于“{stage}”阶段。",
    "publish_not_before_election_day": "公布日期须早于选举日（{election_day}）。",
    "slate_problem": "{message}。",
}

COMMITTEE_LEAVE_REASON = "被提名为候选人"
COMMITTEE_RELATIVE_LEAVE_REASON = "近亲属被提名为候选人"


def _error(code: str, **params) -> ValidationError:
    return ValidationError(ERROR_MESSAGES[code].format(**params), code=code)


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Withdrawal:
    """A candidate who withdrew and the nominee who took their place on the list, if any."""

    candidate: Candidate
    was_on_list: bool
    replacement: Candidate | None


# ---------------------------------------------------------------- nominating


@transaction.atomic
def nominate_candidate(
    *,
    by: User,
    election: Election,
    voter: Voter,
    post: str,
    nominated_on: date,
    source: str = Candidate.Source.NOMINATED,
    nomination_votes: int | None = None,
    nominators: Sequence[Voter] = (),
    committee_member: CommitteeMember | None = None,
    committee_relatives: Sequence[CommitteeMember] = (),
) -> Candidate:
    """Record that ``voter`` stands for ``post``: nominated by voters (OL §15 ¶1) or self-nominated (ZJ Art. 20).

    A voters' nomination carries the individual nominators, or the count from a nomination ballot
    (``nomination_votes``), or both; each nominator names at most the seats of a post (ZJ Art. 17).
    A member of the election committee who is nominated leaves it, and so do the nominee's close
    relatives where the preset says so (OL §12 ¶3; ZJ Art. 9); the next alternate fills the seat.
    """
    election = _lock_election(election)
    params = election.rules
    _check_nomination_stage(election)
    posts = _posts(election)
    if post not in {p.code for p in posts}:
        raise _error("post_not_in_election", post_label=slate.post_label(post))
    if source == Candidate.Source.SELF:
        _check_self_nomination(election, voter=voter, post=post, nominated_on=nominated_on, nominators=nominators,
                               nomination_votes=nomination_votes)
        nomination_votes = 0
    else:
        if MODE_CANDIDATES not in params.nomination_modes:
            raise _error("source_not_allowed", source=Candidate.Source.NOMINATED.label)
        nomination_votes = len(nominators) if nomination_votes is None else nomination_votes
        if nomination_votes < 1:
            raise _error("needs_nominations")
        if nomination_votes < len(nominators):
            raise _error("votes_below_nominators", votes=nomination_votes, count=len(nominators))
    if nominated_on >= election.election_day:
        raise _error("nominated_on_late")
    _check_registered(election, [voter], code="nominee_not_registered")
    _check_registered(election, nominators, code="nominator_not_registered")
    if Candidate.objects.in_election(election).active().filter(voter=voter, post=post).exists():
        raise _error("already_nominated", name=voter.name, post_label=slate.post_label(post))
    _check_nominator_ballots(election, posts, {(n.pk, n.name): [(post, voter.pk, voter.name)] for n in nominators})

    candidate = Candidate.objects.create(
        election=election,
        voter=voter,
        post=post,
        source=source,
        nomination_votes=nomination_votes,
        nominated_on=nominated_on,
    )
    Nomination.objects.bulk_create(
        Nomination(election=election, nominator=n, candidate=candidate, nominated_on=nominated_on) for n in nominators
    )
    after = snapshot(candidate, ["voter_id", "post", "source", "nomination_votes", "nominated_on"])
    after["nominators"] = sorted(n.name for n in nominators)
    log_action(by=by, action="candidates.candidate.nominated", obj=candidate, changes=diff({}, after))
    if params.committee_member_leaves_when_nominated and committee_member is not None:
        _leave_committee(by=by, election=election, member=committee_member, on=nominated_on,
                         reason=COMMITTEE_LEAVE_REASON)
    if params.relatives_leave_committee:
        for relative in committee_relatives:
            _leave_committee(by=by, election=election, member=relative, on=nominated_on,
                             reason=COMMITTEE_RELATIVE_LEAVE_REASON)
    return candidate


@transaction.atomic
def add_nomination(*, by: User, candidate: Candidate, nominator: Voter, nominated_on: date) -> Nomination:
    """One more registered voter nominates ``candidate`` (OL §15 ¶1); the nomination votes go up by one.

    The nominator's own nominations for the post must stay within its seats (ZJ Art. 17, BJ Art. 16).
    """
    election = _lock_election(candidate.election)
    _check_nomination_stage(election)
    candidate = _open_candidacy(candidate)
    if nominated_on >= election.election_day:
        raise _error("nominated_on_late")
    _check_registered(election, [nominator], code="nominator_not_registered")
    addition = (candidate.post, candidate.voter_id, candidate.voter.name)
    _check_nominator_ballots(election, _posts(election), {(nominator.pk, nominator.name): [addition]})
    nomination = Nomination.objects.create(
        election=election, nominator=nominator, candidate=candidate, nominated_on=nominated_on
    )
    Candidate.objects.filter(pk=candidate.pk).update(
        nomination_votes=F("nomination_votes") + 1, version=F("version") + 1
    )
    log_action(
        by=by,
        action="candidates.nomination.added",
        obj=candidate,
        changes={
            "nominators": [None, nominator.name],
            "nomination_votes": [candidate.nomination_votes, candidate.nomination_votes + 1],
        },
    )
    return nomination


@transaction.atomic
def update_nomination_votes(*, by: User, candidate: Candidate, votes: int, expected_version: int) -> Candidate:
    """Set the count from the nomination ballot (提名票), e.g. after the committee's re-vote among
    nominees tied at the cut-off (ZJ Art. 18). It never falls below the nominators recorded by name."""
    election = _lock_election(candidate.election)
    _check_nomination_stage(election)
    candidate = _open_candidacy(candidate)
    named = candidate.nominations.count()
    if votes < 1:
        raise _error("needs_nominations")
    if votes < named:
        raise _error("votes_below_nominators", votes=votes, count=named)
    before = snapshot(candidate, ["nomination_votes"])
    candidate.nomination_votes = votes
    save_versioned(candidate, fields=["nomination_votes"], expected_version=expected_version)
    log_action(by=by, action="candidates.candidate.votes_updated", obj=candidate,
               changes=diff(before, snapshot(candidate, ["nomination_votes"])))
    return candidate


# ---------------------------------------------------------------- withdrawal


@transaction.atomic
def withdraw_candidate(
    *, by: User, candidate: Candidate, withdrawn_on: date, reason: str, expected_version: int
) -> Withdrawal:
    """A nominee or formal candidate withdraws in writing by the preset's deadline (ZJ Art. 19: D − 3).

    A formal candidate's place goes to the next-ranked nominee of the same post who is not on the
    list (ZJ Art. 19; HA Art. 27), and the list is renumbered in the preset's order.
    """
    election = _lock_election(candidate.election)
    if election.stage not in (stages.NOMINATION, stages.VOTING):
        raise _error("withdraw_wrong_stage", stage=election.stage_label)
    candidate = Candidate.objects.select_related("voter").get(pk=candidate.pk)
    if not candidate.is_active:
        raise _error("withdraw_not_active", name=candidate.voter.name, status=candidate.get_status_display())
    if not reason.strip():
        raise _error("withdraw_needs_reason")
    deadline = selection.withdrawal_deadline(election.election_day, election.rules)
    if withdrawn_on > deadline:
        days = election.rules.candidate_withdraw_days_before
        rule = f"选举日的{days}日前" if days else "选举日前"
        raise _error("withdraw_after_deadline", deadline=_cn(deadline), rule=rule, day=_cn(withdrawn_on))
    was_on_list = candidate.status == Candidate.Status.ON_LIST
    before = snapshot(candidate, _WITHDRAW_FIELDS)
    candidate.status = Candidate.Status.WITHDRAWN
    candidate.withdrawn_on = withdrawn_on
    candidate.withdrawal_reason = reason.strip()[:200]
    candidate.list_order = None
    save_versioned(candidate, fields=_WITHDRAW_FIELDS, expected_version=expected_version)
    log_action(by=by, action="candidates.candidate.withdrawn", obj=candidate,
               changes=diff(before, snapshot(candidate, _WITHDRAW_FIELDS)))
    replacement = _fill_vacancy(by=by, election=election, withdrawn=candidate) if was_on_list else None
    return Withdrawal(candidate=candidate, was_on_list=was_on_list, replacement=replacement)


_WITHDRAW_FIELDS = ["status", "withdrawn_on", "withdrawal_reason", "list_order"]


def _fill_vacancy(*, by: User, election: Election, withdrawn: Candidate) -> Candidate | None:
    publication = CandidateListPublication.objects.get(election=election)
    params = selection.list_params(
        election.rules, mode=publication.mode, woman_seat_reserved=election.woman_seat_reserved
    )
    pool = list(Candidate.objects.in_election(election).active().locked())
    on_list = [c for c in pool if c.status == Candidate.Status.ON_LIST]
    waiting = [c for c in pool if c.status == Candidate.Status.NOT_SELECTED and c.source == withdrawn.source]
    by_key = {(c.voter_id, c.post): c for c in pool}
    ranked_waiting = slate.order_candidates([c.as_slate() for c in waiting], params=params)
    pick = selection.pick_replacement(
        post=withdrawn.post, on_list=[c.as_slate() for c in on_list], waiting=ranked_waiting, params=params
    )
    replacement = by_key[(int(pick.key), pick.post)] if pick else None
    if replacement is not None:
        replacement.status = Candidate.Status.ON_LIST
        replacement.replaces = withdrawn
        on_list.append(replacement)
    _number_list(on_list, params=params, extra_changed={replacement} if replacement else set())
    log_action(
        by=by,
        action="candidates.candidate.replaced" if replacement else "candidates.candidate.not_replaced",
        obj=replacement or withdrawn,
        changes={"withdrawn": withdrawn.voter.name, "post": withdrawn.post,
                 "replacement": replacement.voter.name if replacement else None},
    )
    return replacement


def _number_list(on_list: list[Candidate], *, params, extra_changed: set[Candidate]) -> None:
    """Give the formal list its printed order 1..n (``slate.order_candidates``) and save what changed."""
    by_key = {(str(c.voter_id), c.post): c for c in on_list}
    changed = set(extra_changed)
    for number, entry in enumerate(slate.order_candidates([c.as_slate() for c in on_list], params=params), start=1):
        candidate = by_key[(entry.key, entry.post)]
        if candidate.list_order != number:
            candidate.list_order = number
            changed.add(candidate)
    for candidate in changed:
        candidate.version += 1
    Candidate.objects.bulk_update(list(changed), ["status", "list_order", "replaces", "version"])


# ---------------------------------------------------------------- publication


@transaction.atomic
def publish_candidate_list(
    *, by: User, election: Election, published_on: date, mode: str, today: date, date_reason: str = ""
) -> CandidateListPublication:
    """Publish the formal candidate list (正式候选人名单) and move the election to voting.

    The mode (有候选人 / 自荐直选 / 海选) must be one the preset allows; the list must pass the
    slate checks (差额 per post, the women's seat, one post per person; OL §15 ¶1, ZJ Art. 17, 21)
    or nothing is written. A publication after D − N (ZJ Art. 18: 5 days) is allowed and recorded,
    and the legal calendar shows it as done late. Nominees of the other source, or every nominee in a
    海选, are marked not selected.
    """
    election = _lock_election(election)
    if election.stage != stages.NOMINATION:
        raise _error("publish_wrong_stage", stage=election.stage_label)
    params = election.rules
    if mode not in params.nomination_modes:
        raise _error("mode_not_allowed", mode=selection.MODE_LABELS.get(mode, mode))
    if published_on >= election.election_day:
        raise _error("publish_not_before_election_day", election_day=_cn(election.election_day))
    candidates = list(Candidate.objects.in_election(election).active().locked())
    rules = selection.list_params(params, mode=mode, woman_seat_reserved=election.woman_seat_reserved)
    source = Candidate.Source.SELF if mode == MODE_SELF_NOMINATION else Candidate.Source.NOMINATED
    result = selection.select_formal_list(
        [c.as_slate() for c in candidates if c.source == source], posts=_posts(election), params=rules, mode=mode
    )
    if result.errors:
        raise ValidationError(
            [ValidationError(ERROR_MESSAGES["slate_problem"].format(message=p.message), code=p.code)
             for p in result.errors]
        )
    chosen = {(int(c.key), c.post) for c in result.on_list}
    on_list = []
    for candidate in candidates:
        candidate.list_order = None
        candidate.status = Candidate.Status.NOT_SELECTED
        if (candidate.voter_id, candidate.post) in chosen:
            candidate.status = Candidate.Status.ON_LIST
            on_list.append(candidate)
    _number_list(on_list, params=rules, extra_changed=set(candidates))
    publication = CandidateListPublication.objects.create(
        election=election, mode=mode, published_on=published_on, published_by=by
    )
    deadline = selection.publication_deadline(election.election_day, params)
    ordered = sorted(on_list, key=lambda c: c.list_order)
    log_action(
        by=by,
        action="candidates.list.published",
        obj=publication,
        changes={
            "mode": [None, mode],
            "published_on": [None, published_on.isoformat()],
            "deadline": deadline.isoformat(),
            "late": published_on > deadline,
            "on_list": [f"{c.list_order}. {c.voter.name}（{c.get_post_display()}）" for c in ordered],
            "warnings": [p.message for p in result.warnings],
        },
    )
    advance_stage(by=by, election=election, target=stages.VOTING, on=published_on, today=today, date_reason=date_reason)
    return publication


# ---------------------------------------------------------------- helpers


def _lock_election(election: Election) -> Election:
    """Serialise writes to one election's nominations behind its row lock (STYLE.md §10); refused
    when the election is certified."""
    return lock_election_for_write(election)


def _posts(election: Election) -> list[slate.SlatePost]:
    return selection.election_posts(
        seats_chair=election.seats_chair,
        seats_vice_chair=election.seats_vice_chair,
        seats_member=election.seats_member,
        woman_seat_reserved=election.woman_seat_reserved,
    )


def _check_nomination_stage(election: Election) -> None:
    if election.stage != stages.NOMINATION:
        raise _error("not_nomination_stage", stage=election.stage_label)


def _open_candidacy(candidate: Candidate) -> Candidate:
    candidate = Candidate.objects.select_related("voter").get(pk=candidate.pk)
    if candidate.status != Candidate.Status.NOMINATED:
        raise _error("nominations_closed", name=candidate.voter.name, status=candidate.get_status_display())
    if candidate.source != Candidate.Source.NOMINATED:
        raise _error("not_nominated_by_voters", name=candidate.voter.name)
    return candidate


def _check_registered(election: Election, voters: Sequence[Voter], *, code: str) -> None:
    listed = set(nominable_voters(election).filter(pk__in=[v.pk for v in voters]).values_list("pk", flat=True))
    errors = [_error(code, name=v.name) for v in voters if v.pk not in listed]
    if errors:
        raise ValidationError(errors)


def _check_self_nomination(election, *, voter, post, nominated_on, nominators, nomination_votes) -> None:
    """自荐: for one post only, by D − N, not through anyone else (ZJ Art. 20)."""
    params = election.rules
    if MODE_SELF_NOMINATION not in params.nomination_modes:
        raise _error("source_not_allowed", source=Candidate.Source.SELF.label)
    if nominators or nomination_votes:
        raise _error("self_nomination_no_nominators")
    deadline = selection.self_nomination_deadline(election.election_day, params)
    if deadline and nominated_on > deadline:
        raise _error("self_nomination_late", deadline=_cn(deadline), days=params.self_nominee_register_days_before,
                     day=_cn(nominated_on))
    self_nominations = Candidate.objects.in_election(election).active().of_source(Candidate.Source.SELF)
    other = self_nominations.filter(voter=voter).first()
    if other is not None:
        raise _error("self_nomination_one_post", name=voter.name, post_label=slate.post_label(other.post))


def _check_nominator_ballots(election: Election, posts, new: dict[tuple[int, str], list[tuple[str, int, str]]]) -> None:
    """Each nominator's whole nomination ballot, recorded plus new, within the seats (ZJ Art. 17).

    ``new`` maps (nominator id, name) to the (post, nominee voter id, nominee name) being added."""
    if not new:
        return
    recorded: dict[int, list[tuple[str, int, str]]] = defaultdict(list)
    rows = (
        Nomination.objects.filter(election=election, nominator_id__in=[pk for pk, _ in new])
        .exclude(candidate__status__in=[Candidate.Status.WITHDRAWN, Candidate.Status.DISQUALIFIED])
        .values_list("nominator_id", "candidate__post", "candidate__voter_id", "candidate__voter__name")
    )
    for nominator_id, post, voter_id, name in rows:
        recorded[nominator_id].append((post, voter_id, name))
    errors = []
    for (nominator_id, name), additions in new.items():
        ballot: dict[str, list[str]] = defaultdict(list)
        names: dict[str, str] = {}
        for post, voter_id, nominee in recorded[nominator_id] + additions:
            ballot[post].append(str(voter_id))
            names[str(voter_id)] = nominee
        problems = slate.check_nomination_ballot(nominations=ballot, posts=posts, params=election.rules, names=names)
        for problem in problems:
            errors.append(ValidationError(ERROR_MESSAGES["nominator_ballot"].format(name=name, problem=problem.message),
                                          code=problem.code))
    if errors:
        raise ValidationError(errors)


def _leave_committee(*, by: User, election: Election, member: CommitteeMember, on: date, reason: str) -> None:
    """The member leaves the 村民选举委员会; the first alternate in selection order takes the seat
    (OL §12 ¶3–¶4: 按照原推选结果依次递补). A chair's seat is filled as a member: the committee
    then chooses its chair again."""
    # of=("self",): the default ordering joins the nullable election; PostgreSQL refuses to lock that side.
    member = CommitteeMember.objects.select_for_update(of=("self",)).filter(pk=member.pk).order_by("pk").first()
    if member is None or member.election_id != election.pk:
        raise _error("committee_member_other_election")
    if member.left_on is not None:
        raise _error("committee_member_left", name=member.name)
    before = snapshot(member, ["left_on", "left_reason"])
    member.left_on, member.left_reason = on, reason
    member.save(update_fields=["left_on", "left_reason"])
    log_action(by=by, action="candidates.committee_member.left", obj=member,
               changes=diff(before, snapshot(member, ["left_on", "left_reason"])))
    if member.is_alternate:
        return
    alternate = (
        CommitteeMember.objects.select_for_update(of=("self",))
        .filter(election=election, is_alternate=True, left_on__isnull=True)
        .order_by("selection_order", "id")
        .first()
    )
    if alternate is None:
        log_action(by=by, action="candidates.committee_member.not_replaced", obj=member, changes={"left": member.name})
        return
    before = snapshot(alternate, ["is_alternate", "position"])
    alternate.is_alternate = False
    if member.position != CommitteeMember.Position.CHAIR:
        alternate.position = member.position
    elif alternate.position == CommitteeMember.Position.CHAIR:
        alternate.position = CommitteeMember.Position.MEMBER
    alternate.save(update_fields=["is_alternate", "position"])
    log_action(by=by, action="candidates.committee_member.replaced", obj=alternate,
               changes=diff(before, snapshot(alternate, ["is_alternate", "position"])) | {"replaces": member.name})
