"""Which nominees make the formal candidate list (正式候选人名单), in which order, and by when.

It decides the posts of an election, picks the formal candidates of each post for the nomination
mode chosen at publication, flags ties at the cut-off, names the replacement for a candidate who
withdraws, and computes the deadlines for publication, self-nomination and withdrawal. The list checks
themselves (差额, the women's seat, one post per person) are ``slate.check_slate``.

Pure module (STYLE.md §4a): plain values and the dataclasses of ``slate``; never the ORM or the clock.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from villages.law import BEIJING_2012, HENAN_2011, ZHEJIANG_2020
from villages.legal_calendar import days_before
from villages.presets import (
    EXCLUSIVE,
    MODE_CANDIDATES,
    MODE_NO_CANDIDATE,
    MODE_SELF_NOMINATION,
    ORDER_BY_STROKES,
    RuleParameters,
)

from .slate import (
    CHAIR,
    ERROR,
    FEMALE,
    MEMBER,
    VICE_CHAIR,
    WARNING,
    WOMAN_MEMBER,
    SlateCandidate,
    SlatePost,
    SlateProblem,
    check_slate,
    order_candidates,
    post_label,
)

MODE_LABELS = {
    MODE_CANDIDATES: "有候选人（选民直接提名）",
    MODE_SELF_NOMINATION: "自荐直选",
    MODE_NO_CANDIDATE: "无候选人直接选举（海选）",
}

MESSAGES = {
    "tie_at_cutoff": (
        "{post_label}正式候选人为{cap}名，第{cap}名与第{next}名提名票数相同（均为{votes}票）：{names}。"
        "须由选举委员会组织对并列者再次投票，并据此修改提名票数"
    ),
}

# In self-nomination elections voters may write in anyone, so a thin list is no reason to withhold it
# (ZJ Art. 20, 21): too few or too many self-nominees, or no woman among them, is shown, not blocking.
_ADVISORY_IN_SELF_NOMINATION = {"surplus_too_small", "surplus_too_large", "no_woman_member_candidate"}


@dataclass(frozen=True)
class Selection:
    """The formal list in printed order, the nominees left off it in rank order, and the problems."""

    on_list: list[SlateCandidate]
    waiting: list[SlateCandidate]
    problems: list[SlateProblem]

    @property
    def errors(self) -> list[SlateProblem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[SlateProblem]:
        return [p for p in self.problems if p.severity == WARNING]


def election_posts(
    *, seats_chair: int, seats_vice_chair: int, seats_member: int, woman_seat_reserved: bool
) -> list[SlatePost]:
    """The posts of one election with their seats, from the top.

    The women's seat (妇女委员) is one of the member seats (the setup page counts it inside
    ``seats_member``), on its own ballot line and for women only (ZJ Art. 21 ¶3). A post without
    seats is left out.
    """
    women = 1 if woman_seat_reserved and seats_member >= 1 else 0
    posts = [
        SlatePost(CHAIR, seats_chair),
        SlatePost(VICE_CHAIR, seats_vice_chair),
        SlatePost(MEMBER, seats_member - women),
        SlatePost(WOMAN_MEMBER, women, gender_required=FEMALE),
    ]
    return [post for post in posts if post.seats > 0]


def list_params(params: RuleParameters, *, mode: str, woman_seat_reserved: bool) -> RuleParameters:
    """The parameters the list is checked and ordered with.

    Self-nominees are printed in surname-stroke order whatever the preset's order for nominated
    candidates (ZJ Art. 20). Whether a women's seat is reserved is the election's setting, fixed
    from the preset when the round opened and adjustable per village at setup.
    """
    order = ORDER_BY_STROKES if mode == MODE_SELF_NOMINATION else params.candidate_order
    return dataclasses.replace(params, candidate_order=order, woman_seat_reserved=woman_seat_reserved)


def select_formal_list(
    nominees: Sequence[SlateCandidate], *, posts: Sequence[SlatePost], params: RuleParameters, mode: str
) -> Selection:
    """The formal candidates for ``mode`` and every problem that stands in the way of publishing.

    - 有候选人: each post's nominees ranked by nomination votes; when the preset caps the 差额
      (BJ Art. 16, SH Art. 12, HA Art. 24) the top ``seats + max_extra`` are taken, and a tie across
      the cut-off must be settled by a new vote (ZJ Art. 18, BJ Art. 16). Without a cap every
      nominee stands.
    - 自荐直选: every self-nominee stands, in stroke order (ZJ Art. 20); 差额 and the woman among
      the members are advisory because voters may write in other voters.
    - 海选: there is no list; the ballot has blank lines (LAW.md §2.5).

    ``params`` should come from ``list_params``. ``nominees`` holds only the nominees of the mode.
    """
    if mode == MODE_NO_CANDIDATE:
        return Selection(on_list=[], waiting=order_candidates(nominees, params=params), problems=[])
    ranked = order_candidates(nominees, params=params)
    chosen: list[SlateCandidate] = []
    problems: list[SlateProblem] = []
    for post in posts:
        entries = [c for c in ranked if c.post == post.code]
        cap = _cap(post, params) if mode == MODE_CANDIDATES else None
        if cap is not None and len(entries) > cap:
            problems.extend(_tie_at_cutoff(post, entries, cap))
            entries = entries[:cap]
        chosen.extend(entries)
    # Nominees for a post the election does not have stay in, so that check_slate reports them.
    post_codes = {p.code for p in posts}
    chosen.extend(c for c in ranked if c.post not in post_codes)
    problems.extend(check_slate(candidates=chosen, posts=posts, params=params))
    if mode == MODE_SELF_NOMINATION:
        problems = [_advisory(p) if p.code in _ADVISORY_IN_SELF_NOMINATION else p for p in problems]
    on_list = order_candidates(chosen, params=params)
    chosen_ids = {(c.key, c.post) for c in on_list}
    waiting = [c for c in ranked if (c.key, c.post) not in chosen_ids]
    return Selection(on_list=on_list, waiting=waiting, problems=problems)


def pick_replacement(
    *, post: str, on_list: Sequence[SlateCandidate], waiting: Sequence[SlateCandidate], params: RuleParameters
) -> SlateCandidate | None:
    """The nominee who takes a withdrawn candidate's place: the next-ranked of the same post not on
    the list (ZJ Art. 19; HA Art. 27). In exclusive mode a person already on the list for another post
    is passed over (ZJ Art. 17). ``waiting`` is in rank order, as ``Selection.waiting``."""
    standing = {c.key for c in on_list}
    for nominee in waiting:
        if nominee.post != post:
            continue
        if params.multi_post_mode == EXCLUSIVE and nominee.key in standing:
            continue
        return nominee
    return None


def publication_deadline(election_day: date, params: RuleParameters) -> date:
    """The last day to publish the formal list: D − N (ZJ Art. 18, BJ Art. 20, SH Art. 12, HA Art. 26),
    or election day itself when the preset sets no N (the legal calendar uses the same rule)."""
    n = params.candidate_list_days_before
    return days_before(election_day, n) if n else election_day


def self_nomination_deadline(election_day: date, params: RuleParameters) -> date | None:
    """The last day to register as a self-nominee (ZJ Art. 20: D − 10), or None without a deadline."""
    n = params.self_nominee_register_days_before
    return days_before(election_day, n) if n else None


def withdrawal_deadline(election_day: date, params: RuleParameters) -> date:
    """The last day a candidate may withdraw in writing (ZJ Art. 19: D − 3); the day before the
    election when the preset sets no N."""
    return days_before(election_day, params.candidate_withdraw_days_before or 1)


def _cap(post: SlatePost, params: RuleParameters) -> int | None:
    surplus = params.surplus_for(post.code)
    return None if surplus.max_extra is None else post.seats + surplus.max_extra


def _tie_at_cutoff(post: SlatePost, entries: Sequence[SlateCandidate], cap: int) -> list[SlateProblem]:
    last_in, first_out = entries[cap - 1], entries[cap]
    if last_in.nomination_votes != first_out.nomination_votes:
        return []
    tied = [c for c in entries if c.nomination_votes == last_in.nomination_votes]
    data = dict(
        post_label=post_label(post.code),
        cap=cap,
        next=cap + 1,
        votes=last_in.nomination_votes,
        names="、".join(c.name for c in tied),
        keys=[c.key for c in tied],
    )
    return [
        SlateProblem(
            code="tie_at_cutoff",
            severity=ERROR,
            message=MESSAGES["tie_at_cutoff"].format(**data),
            post=post.code,
            data=data,
            citations=(ZHEJIANG_2020.art(18), BEIJING_2012.art(16), HENAN_2011.art(24)),
        )
    ]


def _advisory(problem: SlateProblem) -> SlateProblem:
    return dataclasses.replace(problem, severity=WARNING)
