"""Pure checks on a candidate list (候选人名单) and on one voter's nomination ballot.

It decides whether each post is contested with the preset's 差额, whether a woman stands for the member
posts, whether a person stands for more than one post, and in which order the formal list is printed.
It never imports the ORM (STYLE.md §4a); every finding has a stable code and a Chinese message taken from
``MESSAGES``.

The post codes and their rank live here because candidates come before ballots in the app chain
(STYLE.md §1): ``ballots`` reads them from this module, and models can use them as choices.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from villages.law import OL_2018, ZHEJIANG_2020, Citation
from villages.presets import EXCLUSIVE, ORDER_BY_STROKES, RuleParameters
from villages.strokes import stroke_key

CHAIR = "chair"
VICE_CHAIR = "vice_chair"
MEMBER = "member"
WOMAN_MEMBER = "woman_member"  # 妇女委员: a member seat filled from women only (LAW.md §2.2)
DEPUTY = "deputy"  # 人大代表: the one post of a 选区 (villages.kinds.deputies)

POST_LABELS = {CHAIR: "主任", VICE_CHAIR: "副主任", MEMBER: "委员", WOMAN_MEMBER: "妇女委员", DEPUTY: "代表"}
POST_ORDER = (CHAIR, VICE_CHAIR, MEMBER, WOMAN_MEMBER, DEPUTY)
# The women's seat sits at the member level: neither post is higher than the other. A district elects
# deputies only, so the deputy's rank never meets the committee's posts.
POST_RANK = {CHAIR: 1, VICE_CHAIR: 2, MEMBER: 3, WOMAN_MEMBER: 3, DEPUTY: 1}

FEMALE = "F"
MALE = "M"

ERROR = "error"
WARNING = "warning"

MESSAGES = {
    "surplus_too_small": "{post_label}应选{seats}名，候选人{count}名，差额{extra}名，少于规定的{allowed}",
    "surplus_too_large": "{post_label}应选{seats}名，候选人{count}名，差额{extra}名，多于规定的{allowed}",
    "unknown_post": "{name}被提名的职务“{post_text}”不在本次选举的职务之中",
    "duplicate_candidate": "{name}在{post_label}候选人名单中出现了{count}次",
    "nominated_for_several_posts": "{name}同时被提名为{posts_text}候选人，须书面确认只参选其中一个职务",
    "woman_seat_post_missing": "本规则要求单独设立妇女委员职位，但本次选举的职务中没有妇女委员",
    "woman_seat_candidate_not_woman": "{name}不是女性，不能作为妇女委员候选人",
    "no_woman_member_candidate": "委员候选人{count}名中没有妇女，须至少有一名妇女候选人",
    "no_woman_candidate": "候选人{count}名中没有妇女，而村民委员会成员中应当有妇女成员",
    "too_many_nominations": "{post_label}应选{seats}名，该提名票提名了{count}人，超过应选名额，该职务的提名无效",
    "duplicate_nomination": "该提名票对{post_label}重复提名{name}",
    "same_person_several_posts": "该提名票将{name}同时提名为{posts_text}，对其的提名无效",
}


@dataclass(frozen=True)
class SlatePost:
    """One post (职务) with its seats (职数); ``gender_required="F"`` marks the women's seat."""

    code: str
    seats: int
    gender_required: str | None = None

    @property
    def label(self) -> str:
        return post_label(self.code)


@dataclass(frozen=True)
class SlateCandidate:
    """A person on the list for one post; ``key`` identifies the person across posts."""

    key: str
    name: str
    post: str
    sex: str = ""
    nomination_votes: int = 0


@dataclass(frozen=True)
class SlateProblem:
    code: str
    severity: str
    message: str
    post: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    citations: tuple[Citation, ...] = ()


def post_label(code: str) -> str:
    return POST_LABELS.get(code, code)


def _problem(
    code: str, *, severity: str = ERROR, post: str | None = None, citations: tuple[Citation, ...] = (), **data: Any
) -> SlateProblem:
    if post is not None:
        data.setdefault("post_label", post_label(post))
    return SlateProblem(
        code=code,
        severity=severity,
        message=MESSAGES[code].format(**data),
        post=post,
        data=data,
        citations=citations,
    )


def _allowed_text(min_extra: int, max_extra: int | None) -> str:
    if max_extra is None:
        return f"至少{min_extra}名"
    if max_extra == min_extra:
        return f"{min_extra}名"
    return f"{min_extra}至{max_extra}名"


def _posts_text(codes: Iterable[str]) -> str:
    return "、".join(post_label(c) for c in codes)


def check_slate(
    *, candidates: Sequence[SlateCandidate], posts: Sequence[SlatePost], params: RuleParameters
) -> list[SlateProblem]:
    """Every problem with a candidate list, errors and warnings, in a stable order.

    - 差额: each post needs more candidates than seats (OL Art. 15 ¶1), and the excess must lie within
      ``params.surplus_for(post)`` (BJ Art. 16, SH Art. 12, HA Art. 24).
    - A person stands for one post only in exclusive mode and confirms one post in writing (ZJ Art. 17, 18).
    - The women's seat: when the preset reserves it the post must exist, its candidates are women, and a
      woman must be among the member candidates (ZJ Art. 21 ¶3).
    - Without a reserved seat, a list with no woman at all is a warning: the committee should include a
      woman (OL Art. 6 ¶2), and only a write-in could bring one in.
    """
    problems: list[SlateProblem] = []
    by_code = {p.code: p for p in posts}
    per_post: dict[str, list[SlateCandidate]] = defaultdict(list)
    for candidate in candidates:
        if candidate.post not in by_code:
            problems.append(_problem("unknown_post", name=candidate.name, key=candidate.key,
                                     post_code=candidate.post, post_text=post_label(candidate.post)))
            continue
        per_post[candidate.post].append(candidate)

    for post in posts:
        entries = per_post.get(post.code, [])
        for key, count in sorted(Counter(c.key for c in entries).items()):
            if count > 1:
                name = next(c.name for c in entries if c.key == key)
                problems.append(_problem("duplicate_candidate", post=post.code, name=name, key=key, count=count))
        problems.extend(_check_surplus(post=post, count=len({c.key for c in entries}), params=params))
        if post.gender_required == FEMALE:
            for c in entries:
                if c.sex != FEMALE:
                    problems.append(_problem("woman_seat_candidate_not_woman", post=post.code, name=c.name, key=c.key,
                                             citations=(ZHEJIANG_2020.art(21, 3),)))

    if params.multi_post_mode == EXCLUSIVE:
        posts_of: dict[str, list[str]] = defaultdict(list)
        names: dict[str, str] = {}
        for post in posts:
            for c in per_post.get(post.code, []):
                if post.code not in posts_of[c.key]:
                    posts_of[c.key].append(post.code)
                names.setdefault(c.key, c.name)
        for key, codes in posts_of.items():
            if len(codes) > 1:
                problems.append(_problem("nominated_for_several_posts", name=names[key], key=key, posts=codes,
                                         posts_text=_posts_text(codes), citations=(ZHEJIANG_2020.art(17),)))

    problems.extend(_check_women(posts=posts, per_post=per_post, params=params))
    return problems


def _check_surplus(*, post: SlatePost, count: int, params: RuleParameters) -> list[SlateProblem]:
    """差额 for one post: ``seats + min_extra <= candidates <= seats + max_extra`` (OL Art. 15 ¶1)."""
    surplus = params.surplus_for(post.code)
    extra = count - post.seats
    allowed = _allowed_text(surplus.min_extra, surplus.max_extra)
    data = dict(post=post.code, seats=post.seats, count=count, extra=extra, allowed=allowed,
                min_extra=surplus.min_extra, max_extra=surplus.max_extra, citations=(OL_2018.art(15, 1),))
    if extra < surplus.min_extra:
        return [_problem("surplus_too_small", **data)]
    if surplus.max_extra is not None and extra > surplus.max_extra:
        return [_problem("surplus_too_large", **data)]
    return []


def _check_women(
    *, posts: Sequence[SlatePost], per_post: Mapping[str, list[SlateCandidate]], params: RuleParameters
) -> list[SlateProblem]:
    has_woman_seat = any(p.gender_required == FEMALE for p in posts)
    if params.woman_seat_reserved and not has_woman_seat:
        return [_problem("woman_seat_post_missing", citations=(ZHEJIANG_2020.art(21, 3),))]
    everyone = [c for entries in per_post.values() for c in entries]
    if has_woman_seat or params.woman_seat_reserved:
        members = [c for p in posts if POST_RANK.get(p.code) == POST_RANK[MEMBER] for c in per_post.get(p.code, [])]
        if not any(c.sex == FEMALE for c in members):
            return [_problem("no_woman_member_candidate", count=len({c.key for c in members}),
                             citations=(ZHEJIANG_2020.art(21, 3), OL_2018.art(6, 2)))]
    elif params.require_woman_member and everyone and not any(c.sex == FEMALE for c in everyone):
        return [_problem("no_woman_candidate", severity=WARNING, count=len({c.key for c in everyone}),
                         citations=(OL_2018.art(6, 2),))]
    return []


def check_nomination_ballot(
    *,
    nominations: Mapping[str, Sequence[str]],
    posts: Sequence[SlatePost],
    params: RuleParameters,
    names: Mapping[str, str] | None = None,
) -> list[SlateProblem]:
    """Problems with one voter's nomination ballot: post code -> keys of the persons nominated.

    A voter nominates at most as many persons as a post has seats (ZJ Art. 17, BJ Art. 16, HA Art. 24;
    ``params.nominations_per_voter_max_is_seats``). In exclusive mode, naming the same person for two or
    more posts voids that person's nomination on this ballot (ZJ Art. 17).
    """
    names = names or {}
    problems: list[SlateProblem] = []
    seats = {p.code: p.seats for p in posts}
    posts_of: dict[str, list[str]] = defaultdict(list)
    for post_code, keys in nominations.items():
        if post_code not in seats:
            for key in keys:
                problems.append(_problem("unknown_post", name=names.get(key, key), key=key,
                                         post_code=post_code, post_text=post_label(post_code)))
            continue
        for key, count in sorted(Counter(keys).items()):
            if count > 1:
                problems.append(_problem("duplicate_nomination", post=post_code, name=names.get(key, key), key=key))
        distinct = list(dict.fromkeys(keys))
        if params.nominations_per_voter_max_is_seats and len(distinct) > seats[post_code]:
            problems.append(_problem("too_many_nominations", post=post_code, seats=seats[post_code],
                                     count=len(distinct), citations=(ZHEJIANG_2020.art(17),)))
        for key in distinct:
            posts_of[key].append(post_code)
    if params.multi_post_mode == EXCLUSIVE:
        for key, codes in posts_of.items():
            if len(codes) > 1:
                problems.append(_problem("same_person_several_posts", name=names.get(key, key), key=key,
                                         posts=codes, posts_text=_posts_text(codes),
                                         citations=(ZHEJIANG_2020.art(17),)))
    return problems


def order_candidates(candidates: Iterable[SlateCandidate], *, params: RuleParameters) -> list[SlateCandidate]:
    """The printed order of the formal list, grouped by post from the top.

    ``ORDER_BY_VOTES``: most nomination votes first (ZJ Art. 18, BJ Art. 20, SH Art. 12), equal votes in stroke
    order. ``ORDER_BY_STROKES``: surname stroke order (ZJ Art. 20 for self-nominees). The key person ``key``
    closes every tie, so the order never depends on input order.
    """

    def post_position(code: str) -> int:
        return POST_ORDER.index(code) if code in POST_ORDER else len(POST_ORDER)

    if params.candidate_order == ORDER_BY_STROKES:
        return sorted(candidates, key=lambda c: (post_position(c.post), c.post, stroke_key(c.name), c.key))
    return sorted(
        candidates,
        key=lambda c: (post_position(c.post), c.post, -c.nomination_votes, stroke_key(c.name), c.key),
    )
