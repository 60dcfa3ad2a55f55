"""Nominating 人大 deputies in a 选区 and drawing up its lists (Election Law Arts. 30–32), through the
same candidates, nominations and list publication as a village's election.

Each function takes the acting user, runs in one transaction under the election's row lock
(``villages.access.lock_election_for_write``) and writes an audit entry; the law is in
``candidates.deputy_rules``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from villages import stages
from villages.access import lock_election_for_write
from villages.audit import log_action
from villages.dates import check_dates, election_facts
from villages.models import Election, User
from villages.services import advance_stage
from voters.models import Status, Voter
from voters.registrations import register_of

from . import deputy_rules
from .models import Candidate, CandidateListPublication, InitialCandidateList, Nomination, NominationMode, Post

MESSAGES = {
    "not_district": "只有人大代表选举的选区可以这样提名。",
    "not_nomination_stage": "本选区的选举处于“{stage}”阶段，只有在“提名候选人”阶段才能提名或确定候选人名单。",
    "nominated_on_late": "提名日期应在选举日之前。",
    "nominee_not_registered": "{name}不是本县本届选举的登记选民，不能被提名为代表候选人。",
    "already_nominated": "{name}已是本选区的代表候选人被提名人。",
    "body_required": "政党、人民团体推荐须写明推荐单位。",
    "cosigner_not_in_district": "{names}不是本选区的登记选民，不能参加联名推荐。",
    "cosigner_twice": "联名推荐人中有重复：{names}。",
    "initial_list_exists": "初步代表候选人名单已于{day}公布：所有被提名人均已列入，不能再增加提名。",
    "initial_list_missing": "请先公布初步代表候选人名单。",
    "no_nominees": "本选区还没有被提名人。",
    "primary_not_needed": "被提名人{count}名，未超过正式代表候选人的最高人数{high}名，不需要预选。",
    "primary_votes_missing": "请填写每一名被提名人的预选得票数：{names}。",
    "primary_held_on_invalid": "预选日期应在初步候选人名单公布之后、选举日之前。",
    "formal_list_exists": "正式代表候选人名单已经公布。",
}
STAGE_FOR_PUBLICATION = stages.VOTING


def _error(code: str, **params) -> ValidationError:
    return ValidationError(MESSAGES[code].format(**params), code=code)


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _lock(election: Election) -> Election:
    election = lock_election_for_write(election)
    if not election.is_district:
        raise _error("not_district")
    if election.stage != stages.NOMINATION:
        raise _error("not_nomination_stage", stage=election.stage_label)
    return election


def eligible_nominees(election: Election):
    """Who may be nominated in a district: a registered voter of the county's 人大 rounds held on its
    election day, both levels (a deputy need not be registered in the district itself)."""
    campaign = election.campaign
    return Voter.objects.filter(
        status=Status.REGISTERED,
        campaign__election_type=campaign.election_type,
        campaign__county_id=campaign.county_id,
        campaign__default_election_day=campaign.default_election_day,
    )


@transaction.atomic
def nominate_deputy(
    *,
    by: User,
    election: Election,
    voter: Voter,
    source: str,
    nominated_on: date,
    nominated_by: str = "",
    cosigners: Sequence[Voter] = (),
    profile: str = "",
    deputy_category: str = "",
    incumbent: bool | None = None,
) -> Candidate:
    """Record a nominee of a district: put forward by a party or people's organisation (``nominated_by``,
    at most the district's seats per body) or by ten or more of the district's voters jointly
    (``cosigners``, each co-signing at most the seats). Before the initial list is published."""
    election = _lock(election)
    params, seats = election.rules, election.seats_member
    initial = InitialCandidateList.objects.filter(election=election).first()
    if initial is not None:
        raise _error("initial_list_exists", day=_cn(initial.published_on))
    if nominated_on >= election.election_day:
        raise _error("nominated_on_late")
    if not eligible_nominees(election).filter(pk=voter.pk).exists():
        raise _error("nominee_not_registered", name=voter.name)
    active = Candidate.objects.in_election(election).active()
    if active.filter(voter=voter).exists():
        raise _error("already_nominated", name=voter.name)
    problems: list[deputy_rules.Problem] = []
    if source == Candidate.Source.PARTY:
        nominated_by = nominated_by.strip()
        if not nominated_by:
            raise _error("body_required")
        problems += deputy_rules.party_nomination_problems(
            nominated_by, active.filter(source=source, nominated_by=nominated_by).count(), seats, params)
        cosigners = ()
    elif source == Candidate.Source.JOINT:
        _check_cosigners(election, cosigners, seats=seats, params=params)
        problems += deputy_rules.joint_nomination_problems(len(cosigners), params)
        nominated_by = ""
    else:
        raise ValidationError(f"提名方式无效：{source}", code="source_invalid")
    if problems:
        raise ValidationError([ValidationError(p.message, code=p.code) for p in problems])
    candidate = Candidate.objects.create(
        election=election, voter=voter, post=Post.DEPUTY, source=source, nominated_by=nominated_by,
        nomination_votes=len(cosigners), nominated_on=nominated_on, profile=profile.strip(),
        deputy_category=deputy_category, incumbent=incumbent,
    )
    Nomination.objects.bulk_create(
        Nomination(election=election, nominator=c, candidate=candidate, nominated_on=nominated_on) for c in cosigners
    )
    log_action(by=by, action="candidates.deputy.nominated", obj=candidate, changes={
        "voter": [None, voter.name], "source": [None, source], "nominated_by": [None, nominated_by],
        "cosigners": [None, sorted(c.name for c in cosigners)], "nominated_on": [None, nominated_on.isoformat()],
        "deputy_category": [None, deputy_category], "incumbent": [None, incumbent],
    })
    return candidate


def _check_cosigners(election: Election, cosigners: Sequence[Voter], *, seats: int, params) -> None:
    counts = Counter(c.pk for c in cosigners)
    twice = sorted({c.name for c in cosigners if counts[c.pk] > 1})
    if twice:
        raise _error("cosigner_twice", names="、".join(twice))
    in_district = set(register_of(election).filter(status=Status.REGISTERED, pk__in=counts).values_list("pk", flat=True))
    outside = [c.name for c in cosigners if c.pk not in in_district]
    if outside:
        raise _error("cosigner_not_in_district", names="、".join(outside))
    signed = Counter(
        Nomination.objects.filter(election=election, nominator_id__in=counts)
        .exclude(candidate__status__in=[Candidate.Status.WITHDRAWN, Candidate.Status.DISQUALIFIED])
        .values_list("nominator_id", flat=True)
    )
    over = [c.name for c in cosigners if signed[c.pk] + 1 > seats]
    problems = deputy_rules.cosigner_problems(over, seats, params)
    if problems:
        raise ValidationError([ValidationError(p.message, code=p.code) for p in problems])


@transaction.atomic
def publish_initial_list(
    *, by: User, election: Election, published_on: date, today: date, consultation: str = "", date_reason: str = ""
) -> InitialCandidateList:
    """Publish the 初步代表候选人名单 (Art. 32 ¶1: by E−15): every active nominee, as nominated."""
    election = _lock(election)
    if InitialCandidateList.objects.filter(election=election).exists():
        raise _error("initial_list_exists", day=_cn(election.initial_candidate_list.published_on))
    nominees = list(Candidate.objects.in_election(election).active().with_voter().order_by("id"))
    if not nominees:
        raise _error("no_nominees")
    check_dates(by=by, act="initial_candidate_list_published", on=published_on, facts=election_facts(election),
                params=election.rules, today=today, reason=date_reason, election=election)
    initial = InitialCandidateList.objects.create(
        election=election, published_on=published_on, published_by=by, consultation=consultation.strip(),
        nominees=[{"candidate": c.pk, "name": c.voter.name, "source": c.get_source_display(),
                   "nominated_by": c.nominated_by} for c in nominees],
    )
    low, high = deputy_rules.formal_range(election.seats_member, election.rules)
    log_action(by=by, action="candidates.initial_list.published", obj=initial, changes={
        "published_on": [None, published_on.isoformat()], "nominees": [None, [c.voter.name for c in nominees]],
        "formal_range": [low, high], "primary_needed": len(nominees) > high,
    })
    return initial


@transaction.atomic
def record_primary(*, by: User, election: Election, held_on: date, votes: dict[int, int]) -> InitialCandidateList:
    """Record a 预选 (primary) among the nominees, needed when they exceed the formal list's maximum:
    each nominee's votes (``votes``: candidate id → votes)."""
    election = _lock(election)
    initial = InitialCandidateList.objects.filter(election=election).first()
    if initial is None:
        raise _error("initial_list_missing")
    nominees = list(Candidate.objects.in_election(election).active().with_voter().select_for_update(of=("self",)))
    _low, high = deputy_rules.formal_range(election.seats_member, election.rules)
    if len(nominees) <= high:
        raise _error("primary_not_needed", count=len(nominees), high=high)
    missing = [c.voter.name for c in nominees if c.pk not in votes]
    if missing:
        raise _error("primary_votes_missing", names="、".join(missing))
    if not initial.published_on <= held_on < election.election_day:
        raise _error("primary_held_on_invalid")
    for candidate in nominees:
        candidate.primary_votes = votes[candidate.pk]
        candidate.save(update_fields=["primary_votes"])
    initial.primary_held_on = held_on
    initial.save(update_fields=["primary_held_on"])
    log_action(by=by, action="candidates.primary.recorded", obj=initial, changes={
        "held_on": [None, held_on.isoformat()],
        "votes": {c.voter.name: [None, votes[c.pk]] for c in nominees},
    })
    return initial


@transaction.atomic
def publish_formal_list(
    *, by: User, election: Election, published_on: date, today: date, count: int | None = None, date_reason: str = ""
) -> CandidateListPublication:
    """Publish the 正式代表候选人名单 (Art. 31–32: 差额 one third to one times the seats, by E−7,
    in surname-stroke order) and move the district's election to voting. Nothing is written when the
    list cannot be drawn up lawfully."""
    election = _lock(election)
    if CandidateListPublication.objects.filter(election=election).exists():
        raise _error("formal_list_exists")
    if not InitialCandidateList.objects.filter(election=election).exists():
        raise _error("initial_list_missing")
    candidates = list(Candidate.objects.in_election(election).active().with_voter().select_for_update(of=("self",)))
    result = deputy_rules.formal_list(
        [deputy_rules.Nominee(c.pk, c.voter.name, c.primary_votes) for c in candidates],
        seats=election.seats_member, count=count, params=election.rules,
    )
    if result.problems:
        raise ValidationError([ValidationError(p.message, code=p.code) for p in result.problems])
    order = {nominee.key: number for number, nominee in enumerate(result.chosen, start=1)}
    for candidate in candidates:
        candidate.list_order = order.get(candidate.pk)
        candidate.status = Candidate.Status.ON_LIST if candidate.pk in order else Candidate.Status.NOT_SELECTED
        candidate.save(update_fields=["list_order", "status"])
    publication = CandidateListPublication.objects.create(
        election=election, mode=NominationMode.CANDIDATES, published_on=published_on, published_by=by
    )
    log_action(by=by, action="candidates.list.published", obj=publication, changes={
        "published_on": [None, published_on.isoformat()],
        "on_list": [f"{order[n.key]}. {n.name}" for n in result.chosen],
        "not_selected": [n.name for n in result.left_out],
    })
    if stages.serves(election.campaign.kind, STAGE_FOR_PUBLICATION):
        advance_stage(by=by, election=election, target=STAGE_FOR_PUBLICATION, on=published_on, today=today,
                      date_reason=date_reason)
    else:  # voting is not served for this kind yet: the list is published and dated, the stage stays
        check_dates(by=by, act="candidate_list_published", on=published_on, facts=election_facts(election),
                    params=election.rules, today=today, reason=date_reason, election=election)
        election.candidate_list_published_on = published_on
        election.save(update_fields=["candidate_list_published_on"])
    return publication
