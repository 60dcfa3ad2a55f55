"""Nomination of 人大 deputies in one 选区 (Election Law Arts. 30–32; LAW.md §3.6–§3.8), as pure rules.

- Candidates are nominated per district by political parties and people's organisations, jointly or
  singly, and by ten or more voters of the district jointly (Art. 30 ¶2). A party or organisation puts
  forward, and a voter co-signs for, at most as many nominees as the district has seats (Art. 30 ¶3).
- Every nominee goes on the 初步代表候选人名单 (Art. 32 ¶1; the committee cannot drop, add or swap:
  1983 Provisions §10 ¶2, ZJ NPC Art. 35).
- The formal list has more candidates than seats by one third to one times (Art. 31 ¶2): with integer
  arithmetic (LAW.md §0.1), ``seats + ceil(seats × 1/3) <= n <= seats + seats × 1/1``. When the
  nominees exceed the maximum, a 预选 (primary) ranks them and the formal candidates are taken by votes;
  a tie at the cut-off cannot be decided by the list and is a problem to resolve (a further vote).
- The formal list is ordered by surname strokes (``candidate_order``), or by primary votes.

This module never imports the ORM; the services in ``candidates.deputy_services`` apply it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from villages.presets import ORDER_BY_VOTES
from villages.strokes import stroke_key

MESSAGES = {
    "joint_too_few": "选民联名推荐须有{minimum}人以上联名，现有{count}人（选举法第三十条）。",
    "party_over_seats": "{body}在本选区推荐的代表候选人已有{count}名，不得超过应选代表名额{seats}名（选举法第三十条）。",
    "cosigner_over_seats": "{names}参加联名推荐的人数将超过本选区应选代表名额{seats}名（选举法第三十条）。",
    "too_few_nominees": "本选区应选代表{seats}名，正式代表候选人应为{low}至{high}名（选举法第三十一条），现只有{count}名被提名人，须继续提名。",
    "primary_needed": "被提名人{count}名，超过正式代表候选人的最高人数{high}名，须进行预选（选举法第三十一条）。",
    "count_out_of_range": "本选区应选代表{seats}名，正式代表候选人应为{low}至{high}名（选举法第三十一条），不能确定为{count}名。",
    "primary_tie": "预选中{names}得票相同（{votes}票），并列在第{place}名，无法确定正式候选人，须对并列者再次投票。",
    "primary_missing": "{names}没有预选得票数。",
}


@dataclass(frozen=True)
class Nominee:
    key: int
    name: str
    primary_votes: int | None = None


@dataclass(frozen=True)
class Problem:
    code: str
    message: str


def _problem(code: str, **values: object) -> Problem:
    return Problem(code, MESSAGES[code].format(**values))


def formal_range(seats: int, params) -> tuple[int, int]:
    """The lawful number of formal candidates for ``seats`` (Art. 31 ¶2; LAW.md §3.7 table)."""
    low_num, low_den = params.surplus_min
    high_num, high_den = params.surplus_max
    low = seats + -(-seats * low_num // low_den)  # more than seats by at least one third, rounded up
    high = seats + seats * high_num // high_den
    return low, high


def joint_nomination_problems(cosigners: int, params) -> list[Problem]:
    minimum = params.joint_nominators_min
    return [] if cosigners >= minimum else [_problem("joint_too_few", minimum=minimum, count=cosigners)]


def party_nomination_problems(body: str, already: int, seats: int, params) -> list[Problem]:
    """``already``: the body's active nominees in the district before this one."""
    if params.nominations_per_nominator_max_is_seats and already + 1 > seats:
        return [_problem("party_over_seats", body=body, count=already, seats=seats)]
    return []


def cosigner_problems(over: Sequence[str], seats: int, params) -> list[Problem]:
    """``over``: the co-signers whose count of co-signed nominees would pass ``seats``."""
    if params.nominations_per_nominator_max_is_seats and over:
        return [_problem("cosigner_over_seats", names="、".join(over), seats=seats)]
    return []


@dataclass(frozen=True)
class FormalList:
    chosen: tuple[Nominee, ...]
    left_out: tuple[Nominee, ...]
    problems: tuple[Problem, ...]


def formal_list(nominees: Sequence[Nominee], *, seats: int, count: int | None, params) -> FormalList:
    """The formal candidates of a district: every nominee when their number is lawful; otherwise,
    after a 预选, the ``count`` (default: the maximum) with the most primary votes. Ordered by
    surname strokes, or by primary votes when the preset says so."""
    low, high = formal_range(seats, params)
    n = len(nominees)
    if n < low:
        return FormalList((), tuple(nominees), (_problem("too_few_nominees", seats=seats, low=low, high=high, count=n),))
    if n <= high:
        chosen, left = list(nominees), []
    else:
        count = high if count is None else count
        if not low <= count <= high:
            return FormalList((), tuple(nominees), (_problem("count_out_of_range", seats=seats, low=low, high=high,
                                                             count=count),))
        missing = [x.name for x in nominees if x.primary_votes is None]
        if len(missing) == n:
            return FormalList((), tuple(nominees), (_problem("primary_needed", count=n, high=high),))
        if missing:
            return FormalList((), tuple(nominees), (_problem("primary_missing", names="、".join(missing)),))
        ranked = sorted(nominees, key=lambda x: -x.primary_votes)
        cutoff = ranked[count - 1].primary_votes
        if ranked[count].primary_votes == cutoff:
            tied = [x.name for x in ranked if x.primary_votes == cutoff]
            place = sum(1 for x in ranked if x.primary_votes > cutoff) + 1
            return FormalList((), tuple(nominees), (_problem("primary_tie", names="、".join(tied), votes=cutoff,
                                                             place=place),))
        chosen, left = ranked[:count], ranked[count:]
    if params.candidate_order == ORDER_BY_VOTES and all(x.primary_votes is not None for x in chosen):
        chosen = sorted(chosen, key=lambda x: (-x.primary_votes, stroke_key(x.name), x.key))
    else:
        chosen = sorted(chosen, key=lambda x: (stroke_key(x.name), x.key))
    return FormalList(tuple(chosen), tuple(left), ())
