"""Writes of a village Party organisation's nomination pipeline (LAW.md §4.4; issue 12 step 4): the method, each
recommendation or confidence stage with its ballots and votes, the township Party committee's review, and the
formal candidate list (Candidate rows of the existing model, published as the one candidate list publication).

Each service takes the actor as ``by``, runs in one transaction under the election's row lock
(``villages.access.lock_election_for_write``: a certified election refuses), writes an audit entry, and raises
``ValidationError`` with a Chinese message, nothing half-written. The rules are ``candidates.party_pipeline``
(stages, counts) and ``villages.kinds.party_ranking`` / ``party_rules`` (ranking, 差额).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from villages import stages
from villages.access import lock_election_for_write
from villages.audit import log_action
from villages.kinds import party_rules
from villages.kinds.party_branch import CODE as PARTY_BRANCH, NOMINATION_METHOD_LABELS
from villages.kinds.party_ranking import Standing
from villages.kinds.village_committee import CODE as VILLAGE_COMMITTEE
from villages.models import Election, User
from villages.services import advance_stage
from villages.strokes import stroke_key
from voters.models import Status, Voter

from . import party_pipeline as pipeline
from .models import (
    Candidate,
    CandidateListPublication,
    NominationMode,
    PartyNomination,
    PartyReviewDecision,
    PartyStage,
    PartyStageVote,
    Post,
)

# The posts of a Party election's candidates, on the candidates' (and ballots') one ``Post`` field: the 书记 on the
# chair's code and the 副书记 on the vice-chair's, as the election's seats keep them (``seats_chair`` is the 书记's,
# ``villages.services.open_campaign``); shown with the Party labels. ``party_rules`` names them by its own codes.
SECRETARY = Post.CHAIR
DEPUTY_SECRETARY = Post.VICE_CHAIR
POST_LABELS = {SECRETARY: "书记", DEPUTY_SECRETARY: "副书记", Post.MEMBER: "委员"}
RULE_POSTS = {SECRETARY: party_rules.SECRETARY, DEPUTY_SECRETARY: party_rules.DEPUTY_SECRETARY,
              Post.MEMBER: party_rules.MEMBER}

MESSAGES = {
    "not_party_branch": "这不是村党组织换届选举，没有推荐、信任投票和乡镇党委审查。",
    "stage_passed": "本选举已进入“{stage}”阶段，不能再修改候选人的产生过程。",
    "list_published": "正式候选人名单已于{day}公布，不能再修改候选人的产生过程。",
    "method_missing": "请先确定候选人产生方式。",
    "method_locked": "已登记{stages}，不能再更改候选人产生方式。",
    "review_incomplete": "{reason}。",
    "review_not_nominee": "{name}不是报请审查的人选。",
    "review_missing": "请对每一名报请审查的人选作出审查意见：{names}。",
    "review_reason_missing": "{name}审查未通过，请写明原因。",
    "review_body_missing": "请填写审查机关（乡镇党委）。",
    "reviewed_on_early": "审查日期不能早于{stage}（{day}）。",
    "reviewed_on_late": "审查日期须早于选举日（{day}）。",
    "review_missing_record": "请先登记乡镇党委的审查意见。",
    "formal_not_passed": "{name}未经乡镇党委审查通过，不能列为正式候选人。",
    "formal_twice": "{name}在{post}候选人中出现两次。",
    "formal_two_slates": "{name}已列为{first}候选人，不能同时列为{second}候选人。",
    "formal_problem": "{message}。",
    "published_on_late": "公布日期须早于选举日（{day}）。",
    "published_on_early": "公布日期不能早于乡镇党委审查日期（{day}）。",
    "secretary_not_by_members": "本次选举由新一届委员会选举书记、副书记，党员大会只选举委员，不列书记、副书记候选人。",
    "stage_date_late": "{stage}的日期须早于选举日（{day}）。",
}


def _error(code: str, **params) -> ValidationError:
    return ValidationError(MESSAGES[code].format(**params), code=code)


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _problems(texts: Sequence[str], code: str) -> ValidationError:
    return ValidationError([ValidationError(f"{text}。", code=code) for text in texts])


# ---------------------------------------------------------------- reading


def is_party_branch(election: Election) -> bool:
    return election.campaign.election_type == PARTY_BRANCH


def full_members(election: Election):
    """The election's full members with voting rights (正式党员, rights neither excluded nor suspended): the only
    people who may be recommended, stand, and be put forward (2020 条例 Art. 5)."""
    return Voter.objects.filter(election=election, status=Status.REGISTERED, category="PARTY_FULL")


# How far apart the two halves of one 两委 换届 may be: the Party organisation's election usually comes first, late
# in one year, the village committee's early in the next (e.g. 2026-11 and 2027-01), so not "the same year".
TWO_COMMITTEES_SPAN_DAYS = 366


def village_committee_election(election: Election) -> Election | None:
    """The 两委 round's other half: the same village's village committee election in the same township whose day
    is nearest this one's, within ``TWO_COMMITTEES_SPAN_DAYS`` (the later term on a tie)."""
    if not election.village_id:
        return None
    day = election.election_day
    found = (Election.objects.filter(village_id=election.village_id, campaign__election_type=VILLAGE_COMMITTEE,
                                     campaign__township_id=election.campaign.township_id,
                                     election_day__gte=day - timedelta(days=TWO_COMMITTEES_SPAN_DAYS),
                                     election_day__lte=day + timedelta(days=TWO_COMMITTEES_SPAN_DAYS))
             .select_related("campaign"))
    return min(found, key=lambda e: (abs((e.election_day - day).days), -e.campaign.term_number), default=None)


@dataclass(frozen=True)
class Register:
    election: Election
    count: int

    @property
    def note(self) -> str:
        published = "已公布的选民名单" if self.election.voter_list_published_on else "选民登记（名单尚未公布）"
        return f"{self.election.campaign.title}{published}登记选民{self.count}人"


def village_register(election: Election) -> Register | None:
    other = village_committee_election(election)
    if other is None:
        return None
    return Register(other, Voter.objects.filter(election=other, status=Status.REGISTERED).count())


def seats(election: Election, params=None) -> dict[str, int]:
    """The seats each post's slate is checked against (``party_pipeline.member_seats``)."""
    params = params or election.rules
    by_members = secretaries_by_members(election, params)
    result = {Post.MEMBER: pipeline.member_seats(secretary_seats=election.seats_chair,
                                                 deputy_seats=election.seats_vice_chair,
                                                 member_seats=election.seats_member, by_members=by_members)}
    if by_members:
        result[SECRETARY] = election.seats_chair
        if election.seats_vice_chair:
            result[DEPUTY_SECRETARY] = election.seats_vice_chair
    return result


def secretaries_by_members(election: Election, params=None) -> bool:
    plan = PartyNomination.objects.filter(election=election).first()
    method = plan.method if plan else None
    return party_rules.secretary_elected_by_members(method, params or election.rules)


# ---------------------------------------------------------------- locking


def _lock(election: Election, *, need_plan: bool = True) -> tuple[Election, PartyNomination | None]:
    election = lock_election_for_write(election)
    if not is_party_branch(election):
        raise _error("not_party_branch")
    if stages.stage_index(election.stage) > stages.stage_index(stages.NOMINATION):
        raise _error("stage_passed", stage=election.stage_label)
    publication = CandidateListPublication.objects.filter(election=election).first()
    if publication is not None:
        raise _error("list_published", day=_cn(publication.published_on))
    plan = PartyNomination.objects.select_for_update(of=("self",)).filter(election=election).order_by("pk").first()
    if need_plan and plan is None:
        raise _error("method_missing")
    return election, plan


# ---------------------------------------------------------------- the method


@transaction.atomic
def choose_method(*, by: User, election: Election, method: str, formal_candidates: int) -> PartyNomination:
    """候选人产生方式 of one village's Party election, and the 委员 candidates intended (at least 20% over the seats).
    The method may change only until a stage is recorded."""
    election, plan = _lock(election, need_plan=False)
    params = election.rules
    problems = pipeline.method_problems(method, params)
    if problems:
        raise _problems(problems, "method")
    by_members = party_rules.secretary_elected_by_members(method, params)
    member_seats = pipeline.member_seats(secretary_seats=election.seats_chair, deputy_seats=election.seats_vice_chair,
                                         member_seats=election.seats_member, by_members=by_members)
    problems = pipeline.formal_count_problems(formal_candidates, member_seats, params)
    if problems:
        raise _problems(problems, "formal_candidates")
    recorded = list(PartyStage.objects.filter(election=election).order_by("id"))
    if plan is not None and plan.method != method and recorded:
        raise _error("method_locked", stages="、".join(s.get_stage_display() for s in recorded))
    before = None if plan is None else {"method": plan.method, "formal_candidates": plan.formal_candidates}
    if plan is None:
        plan = PartyNomination.objects.create(election=election, method=method, formal_candidates=formal_candidates,
                                              recorded_by=by)
    else:
        plan.method, plan.formal_candidates, plan.recorded_by = method, formal_candidates, by
        plan.version += 1
        plan.save(update_fields=["method", "formal_candidates", "recorded_by", "version"])
    log_action(by=by, action="candidates.party_method.chosen", obj=plan, changes={
        "method": [before and NOMINATION_METHOD_LABELS[before["method"]], NOMINATION_METHOD_LABELS[method]],
        "formal_candidates": [before and before["formal_candidates"], formal_candidates],
        "member_seats": member_seats,
    })
    return plan


# ---------------------------------------------------------------- a recommendation or confidence stage


@transaction.atomic
def record_stage(
    *,
    by: User,
    election: Election,
    stage: str,
    basis: str,
    held_on: date,
    ballots_issued: int,
    ballots_returned: int,
    votes: Mapping[int, int],
    electorate: int | None = None,
    basis_note: str = "",
) -> PartyStage:
    """Record (or correct) one stage of the election's method: its electorate — derived from the Party register
    (党员推荐) or the village committee election's register where the system has it, else entered with its basis —
    the ballots issued and returned, and the votes per member (``votes``: member id → votes; members left out
    received none). Returned ≤ issued ≤ electorate, each vote ≤ returned, only full members."""
    election, plan = _lock(election)
    if stage not in pipeline.PIPELINES[plan.method]:
        raise _error_text(pipeline.message("stage_not_in_method", method=plan.get_method_display(),
                                           stage=pipeline.STAGES[stage].label if stage in pipeline.STAGES else stage))
    spec = pipeline.STAGES[stage]
    if held_on >= election.election_day:
        raise _error("stage_date_late", stage=spec.label, day=_cn(election.election_day))
    register = village_register(election) if basis in (pipeline.VILLAGE_REGISTER, pipeline.VILLAGERS) else None
    problems = pipeline.basis_problems(spec, basis, register_count=register.count if register else None)
    if problems:
        raise _problems(problems, "basis")
    if basis == pipeline.PARTY_MEMBERS:
        electorate, basis_note = full_members(election).count(), "党员名册中有选举权的正式党员"
    elif basis == pipeline.VILLAGE_REGISTER:
        electorate, basis_note = register.count, register.note
    else:
        basis_note = basis_note.strip()
    problems = pipeline.count_problems(spec, electorate=electorate, issued=ballots_issued, returned=ballots_returned)
    eligible = dict(full_members(election).values_list("pk", "name"))
    given = {pk: n for pk, n in votes.items() if n}
    named = dict(Voter.objects.filter(election=election, pk__in=given).values_list("pk", "name"))
    problems += pipeline.vote_problems(
        spec, {pk: (named.get(pk, f"编号{pk}"), n) for pk, n in given.items()}, returned=ballots_returned,
        eligible=eligible)
    if problems:
        raise _problems(problems, "counts")
    record = PartyStage.objects.select_for_update(of=("self",)).filter(election=election, stage=stage).order_by("pk").first()
    before = None
    if record is not None:
        before = {"electorate": record.electorate, "issued": record.ballots_issued,
                  "returned": record.ballots_returned,
                  "votes": {v.member.name: v.votes for v in record.votes.select_related("member")}}
        record.votes.all().delete()
    else:
        record = PartyStage(election=election, stage=stage)
    record.basis, record.basis_note, record.electorate, record.held_on = basis, basis_note, electorate, held_on
    record.ballots_issued, record.ballots_returned, record.recorded_by = ballots_issued, ballots_returned, by
    if record.pk:
        record.version += 1
    record.save()
    PartyStageVote.objects.bulk_create(PartyStageVote(stage=record, member_id=pk, votes=n) for pk, n in given.items())
    after = {"electorate": electorate, "issued": ballots_issued, "returned": ballots_returned,
             "votes": {eligible[pk]: n for pk, n in sorted(given.items())}}
    changes = {key: [before[key] if before else None, value] for key, value in after.items()}
    changes |= {"stage": spec.label, "basis": pipeline.BASIS_LABELS[basis], "held_on": held_on.isoformat()}
    log_action(by=by, action="candidates.party_stage.recorded", obj=record, changes=changes)
    # A changed stage reopens the review: its nominees may no longer be the same.
    _clear_review(by=by, election=election, plan=plan, reason=f"{spec.label}结果已更改")
    return record


def _error_text(text: str) -> ValidationError:
    return ValidationError(f"{text}。", code="stage")


def _clear_review(*, by: User, election: Election, plan: PartyNomination, reason: str) -> None:
    if plan.reviewed_on is None and not PartyReviewDecision.objects.filter(election=election).exists():
        return
    PartyReviewDecision.objects.filter(election=election).delete()
    old = plan.reviewed_on
    plan.reviewed_on, plan.reviewed_by_body, plan.review_reference, plan.review_note = None, "", "", ""
    plan.version += 1
    plan.save(update_fields=["reviewed_on", "reviewed_by_body", "review_reference", "review_note", "version"])
    log_action(by=by, action="candidates.party_review.cleared", obj=plan,
               changes={"reviewed_on": [old and old.isoformat(), None], "reason": reason})


# ---------------------------------------------------------------- the township's review


def stage_rankings(election: Election, plan: PartyNomination, params=None):
    """Each recorded stage's ranking (``party_ranking.StageRanking``) by stage code, and the member names."""
    params = params or election.rules
    member_seats = seats(election, params)[Post.MEMBER]
    cut = pipeline.places(seats=member_seats, formal_candidates=plan.formal_candidates, params=params)
    names = dict(full_members(election).values_list("pk", "name"))
    rankings, records = {}, {}
    for record in PartyStage.objects.filter(election=election).prefetch_related("votes__member"):
        if record.stage not in pipeline.PIPELINES[plan.method]:
            continue
        for vote in record.votes.all():
            names.setdefault(vote.member_id, vote.member.name)
        standings = [Standing(key=str(v.member_id), name=v.member.name, votes=v.votes) for v in record.votes.all()]
        rankings[record.stage] = pipeline.rank(record.spec, standings, returned=record.ballots_returned,
                                               electorate=record.electorate, places=cut, params=params)
        records[record.stage] = record
    return rankings, records, {str(k): v for k, v in names.items()}


@transaction.atomic
def record_review(
    *,
    by: User,
    election: Election,
    reviewed_on: date,
    reviewed_by_body: str,
    decisions: Mapping[int, tuple[bool, str]],
    review_reference: str = "",
    review_note: str = "",
) -> PartyNomination:
    """乡镇党委审查: for each nominee the stages put forward, passed or dropped with its reason. Every stage must be
    recorded and no tie left undecided; a review once recorded may be recorded again until the list is published."""
    election, plan = _lock(election)
    rankings, records, names = stage_rankings(election, plan)
    outcome = pipeline.nominees(plan.method, rankings, names)
    if not outcome.complete:
        raise _error("review_incomplete", reason=outcome.sentence)
    nominees = [int(k) for k in outcome.keys]
    strangers = [pk for pk in decisions if pk not in nominees]
    if strangers:
        named = dict(Voter.objects.filter(pk__in=strangers).values_list("pk", "name"))
        raise _error("review_not_nominee", name="、".join(named.get(pk, f"编号{pk}") for pk in strangers))
    missing = [names[str(pk)] for pk in nominees if pk not in decisions]
    if missing:
        raise _error("review_missing", names="、".join(missing))
    for pk in nominees:
        passed, reason = decisions[pk]
        if not passed and not reason.strip():
            raise _error("review_reason_missing", name=names[str(pk)])
    if not reviewed_by_body.strip():
        raise _error("review_body_missing")
    if reviewed_on >= election.election_day:
        raise _error("reviewed_on_late", day=_cn(election.election_day))
    last = max(records.values(), key=lambda r: r.held_on)
    if reviewed_on < last.held_on:
        raise _error("reviewed_on_early", stage=last.get_stage_display(), day=_cn(last.held_on))
    before = {d.member.name: [d.passed, d.reason] for d in
              PartyReviewDecision.objects.filter(election=election).select_related("member")}
    PartyReviewDecision.objects.filter(election=election).delete()
    PartyReviewDecision.objects.bulk_create(
        PartyReviewDecision(election=election, member_id=pk, passed=decisions[pk][0],
                            reason="" if decisions[pk][0] else decisions[pk][1].strip()[:200])
        for pk in nominees)
    old_day = plan.reviewed_on
    plan.reviewed_on, plan.reviewed_by_body = reviewed_on, reviewed_by_body.strip()
    plan.review_reference, plan.review_note = review_reference.strip(), review_note.strip()
    plan.version += 1
    plan.save(update_fields=["reviewed_on", "reviewed_by_body", "review_reference", "review_note", "version"])
    after = {names[str(pk)]: [decisions[pk][0], "" if decisions[pk][0] else decisions[pk][1].strip()]
             for pk in nominees}
    log_action(by=by, action="candidates.party_review.recorded", obj=plan, changes={
        "reviewed_on": [old_day and old_day.isoformat(), reviewed_on.isoformat()],
        "reviewed_by_body": plan.reviewed_by_body,
        "decisions": {name: [before.get(name), value] for name, value in after.items()},
    })
    return plan


# ---------------------------------------------------------------- the formal candidate list


@transaction.atomic
def publish_party_list(
    *,
    by: User,
    election: Election,
    published_on: date,
    members: Sequence[int],
    secretaries: Sequence[int] = (),
    deputies: Sequence[int] = (),
    today: date | None = None,
) -> CandidateListPublication:
    """The formal candidates (正式候选人) from those the township passed: 委员 with at least 20% more candidates than
    seats (``party_rules.slate_check``), in surname-stroke order; where the members elect the 书记 and 副书记
    directly (公推直选, or the preset), their candidates 等额 in the order given (the upper level's approved order).
    Published as the election's candidate list. An election at its nomination stage moves on to the 党员大会
    (``advance_stage``, dated by the publication, as a village committee's list moves it to voting); one still in an
    earlier stage keeps it, the list published and dated."""
    election, plan = _lock(election)
    params = election.rules
    if plan.reviewed_on is None:
        raise _error("review_missing_record")
    if published_on >= election.election_day:
        raise _error("published_on_late", day=_cn(election.election_day))
    if published_on < plan.reviewed_on:
        raise _error("published_on_early", day=_cn(plan.reviewed_on))
    post_seats = seats(election, params)
    by_members = SECRETARY in post_seats
    if not by_members and (secretaries or deputies):
        raise _error("secretary_not_by_members")
    passed = {d.member_id: d.member for d in
              PartyReviewDecision.objects.filter(election=election, passed=True).select_related("member")}
    dropped = dict(PartyReviewDecision.objects.filter(election=election, passed=False)
                   .values_list("member_id", "member__name"))
    slates = {Post.MEMBER: list(members)}
    if by_members:
        slates[SECRETARY] = list(secretaries)
        if DEPUTY_SECRETARY in post_seats:
            slates[DEPUTY_SECRETARY] = list(deputies)
    problems = []
    # One person stands on one slate: the 党员大会's 委员 ballot prints every formal candidate once
    # (``ballots.services.rounds``); the 书记 and 副书记 candidates are 委员 candidates as well.
    seen: dict[int, str] = {}
    for post, ids in slates.items():
        for pk in dict.fromkeys(ids):
            if pk in seen and seen[pk] != post:
                name = passed[pk].name if pk in passed else pk
                problems.append(MESSAGES["formal_two_slates"].format(name=name, first=POST_LABELS[seen[pk]],
                                                                     second=POST_LABELS[post]))
            seen.setdefault(pk, post)
    for post, ids in slates.items():
        label = POST_LABELS[post]
        for pk in sorted({pk for pk in ids if ids.count(pk) > 1}):
            problems.append(MESSAGES["formal_twice"].format(name=passed[pk].name if pk in passed else pk, post=label))
        for pk in ids:
            if pk not in passed:
                name = dropped.get(pk) or Voter.objects.filter(pk=pk).values_list("name", flat=True).first() or pk
                problems.append(MESSAGES["formal_not_passed"].format(name=name))
        found = party_rules.slate_check(post=RULE_POSTS[post], seats=post_seats[post], candidates=len(set(ids)),
                                        params=params)
        if found.severity == party_rules.ERROR:
            problems.append(MESSAGES["formal_problem"].format(message=found.message))
    if problems:
        raise ValidationError([ValidationError(p, code="formal_list") for p in dict.fromkeys(problems)])
    rows = []
    for post, ids in slates.items():
        people = [passed[pk] for pk in dict.fromkeys(ids)]
        if post == Post.MEMBER:
            people.sort(key=lambda v: (stroke_key(v.name), v.pk))
        for order, voter in enumerate(people, start=1):
            rows.append(Candidate(election=election, voter=voter, post=post, source=Candidate.Source.PARTY_REVIEW,
                                  nominated_on=plan.reviewed_on, status=Candidate.Status.ON_LIST, list_order=order))
    Candidate.objects.bulk_create(rows)
    publication = CandidateListPublication.objects.create(election=election, mode=NominationMode.CANDIDATES,
                                                          published_on=published_on, published_by=by)
    if election.stage == stages.NOMINATION:
        advance_stage(by=by, election=election, target=stages.VOTING, on=published_on,
                      today=today or timezone.localdate())
    else:
        election.candidate_list_published_on = published_on
        election.save(update_fields=["candidate_list_published_on"])
    changes = {"published_on": [None, published_on.isoformat()]}
    changes |= {POST_LABELS[post]: [None, [f"{r.list_order}. {r.voter.name}" for r in rows if r.post == post]]
                for post in slates}
    log_action(by=by, action="candidates.party_list.published", obj=publication, changes=changes)
    return publication
