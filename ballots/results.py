"""The results engine: who is elected, who ties, which seats go to the 另行选举 (runoff).

Pure rules (STYLE.md §4a, §6): dataclasses in, an ``Outcome`` out; integers only (LAW.md §0.1). Every
``Finding`` carries one Chinese sentence with its numbers, taken from ``MESSAGES``.

Posts are filled from the top (主任 → 副主任 → 委员, the women's seat at the member level). A person elected to
a higher post is out of every lower one. ``params.multi_post_mode`` says how one ballot counts across posts
(LAW.md §2.2): ``exclusive`` ranks each post on its own votes; ``cascade_down`` ranks a post on the person's
votes for it plus for every higher post, never the reverse. A tie at the last seat is never broken here: it
becomes a ``Revote`` among the tied (LAW.md §2.4), and lower posts that a tied person could still affect wait
for it (``pending``). Settle a revote with ``decide_tie_revote`` and pass the winners back as ``tie_winners``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from candidates.slate import FEMALE, POST_RANK, post_label
from villages.kinds import party_rules
from villages.law import CPC_ELECTIONS_2020_SUMMARY, HENAN_2011, OL_2018, ZHEJIANG_2020, Citation
from villages.presets import CASCADE_DOWN, RuleParameters

# Outcome statuses, by priority: the first that applies is ``Outcome.status``.
INVALID = "invalid"
REVOTE = "revote"
RUNOFF_NEEDED = "runoff_needed"  # first round only
INCOMPLETE = "incomplete"  # after a runoff: fewer than params.committee_size_min elected
VACANCIES = "vacancies"  # after a runoff: enough members, but seats still empty
COMPLETE = "complete"

# PostResult statuses.
FILLED = "filled"
TIED = "tied"
UNFILLED = "unfilled"
PENDING = "pending"

MESSAGES = {
    "turnout_valid": "参加投票人数{voted}人，超过登记选民{registered}人的半数，选举有效",
    "turnout_invalid": "参加投票人数{voted}人，未超过登记选民{registered}人的半数，选举无效",
    "runoff_turnout_invalid": "另行选举参加投票人数{voted}人，未超过登记选民{registered}人的半数，另行选举无效",
    "elected": "{name}得票{votes}票{carried_text}，超过参加投票{voted}人的半数，当选{post_label}",
    "not_elected": "{name}得票{votes}票{carried_text}，未超过参加投票{voted}人的半数，未当选{post_label}",
    "outranked": (
        "{name}得票{votes}票{carried_text}，超过参加投票{voted}人的半数，但名次在应选{seats}名之后，未当选{post_label}"
    ),
    "runoff_elected_majority": "{name}得票{votes}票{carried_text}，超过参加投票{voted}人的半数，当选{post_label}",
    "runoff_elected": "{name}得票{votes}票{carried_text}，不少于已投选票总数{total}张的{share}，当选{post_label}",
    "runoff_not_elected": "{name}得票{votes}票{carried_text}，少于已投选票总数{total}张的{share}，未当选{post_label}",
    "runoff_outranked": (
        "{name}得票{votes}票{carried_text}，不少于已投选票总数{total}张的{share}，但名次在应选{seats}名之后，未当选{post_label}"
    ),
    "tie_revote": "{names}得票均为{votes}票，并列争夺最后{seats_text}{post_label}职位，须就并列者重新投票",
    "revote_elected": "{name}在并列者重新投票中得票{votes}票，名列前{seats}名，当选{post_label}",
    "revote_not_elected": "{name}在并列者重新投票中得票{votes}票，未进入前{seats}名，未当选{post_label}",
    "tie_winner_recorded": "{name}经并列者重新投票当选{post_label}（第一次投票得票{votes}票）",
    "elected_to_higher_post": "{name}已当选{higher_label}，其{post_label}得票{votes}票不再计算",
    "not_eligible_for_post": "{name}不是女性，所得{post_label}票{votes}票不计",
    "pending_revote": "{post_label}的结果须待{higher_label}并列者重新投票后确定",
    "seats_unfilled": "{post_label}应选{seats}名，当选{elected}名，尚缺{unfilled}名，须另行选举",
    "runoff_candidates": "另行选举{post_label}{unfilled}名，候选人为{candidates_text}共{count}人",
    "runoff_candidates_short": (
        "另行选举{post_label}{unfilled}名，本轮未当选而得票的只有{count}人{candidates_text}，"
        "少于应有的{needed}人，须依照规定另行确定候选人"
    ),
    "committee_complete": "村民委员会应选{seats}名，已全部选出",
    # A Party election (LAW.md §4.2): the base of winning is the members present with voting rights.
    "party_elected": "{name}得赞成票{votes}票，超过实到会有选举权的党员{voted}名的半数（至少{needed}票），当选{post_label}",
    "party_not_elected": "{name}得赞成票{votes}票，未超过实到会有选举权的党员{voted}名的半数（至少{needed}票），不能当选{post_label}",
    "party_outranked": (
        "{name}得赞成票{votes}票，超过实到会有选举权的党员{voted}名的半数，但名次在应选{seats}名之后，未当选{post_label}"
    ),
    "party_returned_exceeds_issued": "收回选票{returned}张，多于发出选票{issued}张，本次选举无效，须重新投票",
    "party_complete": "党员大会应选{post_label}{seats}名，已全部选出",
    "district_complete": "本选区应选代表{seats}名，已全部选出",
    "district_vacancies_further_runoff": "本选区应选代表{seats}名，当选{elected}名，尚缺{unfilled}名，可以再次另行选举",
    "district_vacancies_remain": "本选区应选代表{seats}名，当选{elected}名，尚缺{unfilled}名，不再另行选举，缺额依法补选",
    "committee_incomplete": "村民委员会共选出{elected}名成员，不足{minimum}名，选举未完成，须再次另行选举",
    "vacancies_may_remain": (
        "村民委员会已选出{elected}名成员，尚缺{unfilled}名，可由村民会议或者村民代表会议决定是否空缺"
    ),
    "vacancies_need_runoff": "村民委员会已选出{elected}名成员，尚缺{unfilled}名，须再次另行选举",
    "woman_seat_unfilled": "当选的{elected}名成员中没有妇女，另行选举时继续单独列出妇女委员候选人",
    "no_woman_elected": "当选的{elected}名成员中没有妇女，而村民委员会成员中应当有妇女成员",
}

_TIES = (ZHEJIANG_2020.art(28), HENAN_2011.art(36))  # a tie revote's default citations (village committees)
_WOMAN_SEAT = (ZHEJIANG_2020.art(21, 3), ZHEJIANG_2020.art(29, 4))
_CN_DIGITS = "零一二三四五六七八九十"


def is_more_than_half(n: int, d: int) -> bool:
    """过半数 / 超过半数: ``2*n > d``; exactly half is not a majority (LAW.md §0.1)."""
    _require_ints(n, d)
    return 2 * n > d


def at_least_fraction(n: int, d: int, num: int, den: int) -> bool:
    """不少于 num/den: ``den*n >= num*d``, e.g. 不得少于三分之一 is ``3*n >= d`` (LAW.md §0.1)."""
    _require_ints(n, d, num, den)
    if den <= 0:
        raise ValueError("分母必须为正整数")
    return den * n >= num * d


def _require_ints(*values: Any) -> None:
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"门槛计算只接受整数，收到 {value!r}")


@dataclass(frozen=True)
class Post:
    """A post with its seats, from the top; ``gender_required="F"`` is the women's seat (LAW.md §2.2)."""

    code: str
    seats: int
    gender_required: str | None = None


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    sex: str = ""


@dataclass(frozen=True)
class Tally:
    """One round's totals for the whole village.

    ``votes`` maps post code → person key → votes for that post; ``ballots_cast`` is the number of voters who
    voted, proxy ballots included (LAW.md §1.6), equal to the ballots returned once reconciled.
    """

    persons: Sequence[Person]
    votes: Mapping[str, Mapping[str, int]]
    ballots_cast: int
    invalid_ballots: int = 0
    # A Party election's 党员大会 (LAW.md §4.2): the members present with voting rights (实到会), the base of
    # its quorum and of winning, and the ballots issued (the vote is valid only if returned <= issued).
    present: int | None = None
    issued: int | None = None


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    post: str | None = None
    persons: tuple[str, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class Elected:
    key: str
    name: str
    sex: str
    post: str
    votes: int


@dataclass(frozen=True)
class Revote:
    """The tied persons compete for ``seats`` seats of ``post`` in a new vote among themselves."""

    post: str
    seats: int
    persons: tuple[str, ...]
    votes: int


@dataclass(frozen=True)
class RunoffLine:
    """One post of the next 另行选举: its seats and candidates, ``short`` if fewer than the preset's 差额 needs."""

    post: str
    seats: int
    candidates: tuple[str, ...]
    gender_required: str | None = None
    short: bool = False


@dataclass(frozen=True)
class PostResult:
    post: str
    seats: int
    status: str
    elected: tuple[str, ...] = ()
    tied: tuple[str, ...] = ()
    unfilled: int = 0
    scores: Mapping[str, int] = field(default_factory=dict)
    carried: Mapping[str, int] = field(default_factory=dict)  # cascade mode: part of a score from higher posts


@dataclass(frozen=True)
class Outcome:
    status: str
    valid: bool
    elected: tuple[Elected, ...] = ()
    revotes: tuple[Revote, ...] = ()
    runoff: tuple[RunoffLine, ...] = ()
    posts: tuple[PostResult, ...] = ()
    findings: tuple[Finding, ...] = ()

    def elected_for(self, post: str) -> tuple[str, ...]:
        return tuple(e.key for e in self.elected if e.post == post)


@dataclass(frozen=True)
class TieRevoteResult:
    winners: tuple[str, ...]
    revote: Revote | None
    findings: tuple[Finding, ...]


def _finding(
    code: str, *, post: str | None = None, persons: tuple[str, ...] = (), citations: tuple[Citation, ...] = (),
    **data: Any,
) -> Finding:
    if post is not None:
        data.setdefault("post_label", post_label(post))
    return Finding(code=code, message=MESSAGES[code].format(**data), post=post, persons=persons, data=data,
                   citations=citations)


def _cn(number: int) -> str:
    return _CN_DIGITS[number] if 0 <= number <= 10 else str(number)


@dataclass(frozen=True)
class _Round:
    """The threshold of one round: >1/2 of voters (OL Art. 15 ¶2), or in a runoff ≥ num/den of the ballots."""

    voted: int
    runoff: bool = False
    total: int = 0
    num: int = 1
    den: int = 3
    two_tier: bool = False
    party: bool = False  # ``voted`` is the members present, in every round (LAW.md §4.2)

    def qualifies(self, votes: int) -> bool:
        # In the Henan two-tier runoff a majority of voters always clears 1/3 of the ballots too, so one test
        # ranks both tiers; the tier only changes the sentence.
        if self.runoff:
            return at_least_fraction(votes, self.total, self.num, self.den)
        return is_more_than_half(votes, self.voted)

    def code(self, kind: str, votes: int) -> str:
        if self.party:
            return "party_" + kind
        if not self.runoff:
            return kind
        if kind == "elected" and self.two_tier and is_more_than_half(votes, self.voted):
            return "runoff_elected_majority"
        return "runoff_" + kind

    def data(self) -> dict[str, Any]:
        return {"voted": self.voted, "total": self.total, "share": f"{_cn(self.den)}分之{_cn(self.num)}",
                "needed": self.voted // 2 + 1}


def _scores(tally: Tally, posts: Sequence[Post], post: Post, mode: str) -> tuple[dict[str, int], dict[str, int]]:
    """A post's score per person and the part carried down from higher posts (cascade mode, HA Art. 25)."""
    scores = dict(tally.votes.get(post.code, {}))
    carried: dict[str, int] = {}
    if mode == CASCADE_DOWN:
        for higher in posts:
            if POST_RANK[higher.code] < POST_RANK[post.code]:
                for key, votes in tally.votes.get(higher.code, {}).items():
                    scores[key] = scores.get(key, 0) + votes
                    carried[key] = carried.get(key, 0) + votes
    return scores, carried


def _cut(qualified: list[str], seats: int, scores: Mapping[str, int]) -> tuple[list[str], list[str], int]:
    """Winners, the persons tied at the last seat, and how many seats the tie decides (LAW.md §2.4)."""
    if len(qualified) <= seats:
        return list(qualified), [], 0
    last = scores[qualified[seats - 1]]
    if scores[qualified[seats]] != last:
        return qualified[:seats], [], 0
    winners = [k for k in qualified if scores[k] > last]
    return winners, [k for k in qualified if scores[k] == last], seats - len(winners)


def _names(keys: Sequence[str], persons: Mapping[str, Person]) -> str:
    names = [persons[k].name for k in keys]
    return names[0] if len(names) == 1 else "、".join(names[:-1]) + "与" + names[-1]


@dataclass
class _Filled:
    elected: list[Elected] = field(default_factory=list)
    results: list[PostResult] = field(default_factory=list)
    revotes: list[Revote] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def add(self, code: str, post: str, *persons: str, **data: Any) -> None:
        self.findings.append(_finding(code, post=post, persons=persons, **data))


def _fill_posts(
    *, tally: Tally, posts: Sequence[Post], params: RuleParameters, rnd: _Round, taken: Mapping[str, str],
    tie_winners: Mapping[str, Sequence[str]],
) -> _Filled:
    """Fill the posts from the top; the algorithm of LAW.md §2.2 for both multi-post modes."""
    persons = {p.key: p for p in tally.persons}
    law = params.results_citations
    out = _Filled()
    taken = dict(taken)
    blocked_by: str | None = None
    for index, post in enumerate(posts):
        if blocked_by is not None:
            out.results.append(PostResult(post=post.code, seats=post.seats, status=PENDING))
            out.add("pending_revote", post.code, higher_label=post_label(blocked_by))
            continue
        scores, carried = _scores(tally, posts, post, params.multi_post_mode)
        ranked: list[str] = []
        for key in sorted((k for k, v in scores.items() if v > 0), key=lambda k: (-scores[k], k)):
            name, votes = persons[key].name, scores[key]
            if key in taken:
                if rnd.qualifies(votes):
                    out.add("elected_to_higher_post", post.code, key, name=name, votes=votes,
                            higher_label=post_label(taken[key]))
            elif post.gender_required and persons[key].sex != post.gender_required:
                out.add("not_eligible_for_post", post.code, key, name=name, votes=votes, citations=_WOMAN_SEAT)
            else:
                ranked.append(key)
        qualified = [k for k in ranked if rnd.qualifies(scores[k])]
        winners, tied, tie_seats = _cut(qualified, post.seats, scores)
        settled = list(tie_winners.get(post.code, ()))
        if settled:
            if len(settled) != tie_seats or not set(settled) <= set(tied):
                raise ValueError(f"{post_label(post.code)}重新投票的当选人与并列者或并列名额不符")
            winners, tied, tie_seats = winners + settled, [], 0

        for key in ranked:
            votes = scores[key]
            data = dict(rnd.data(), name=persons[key].name, votes=votes, seats=post.seats,
                        carried_text=f"（其中由上级职务累加{carried[key]}票）" if carried.get(key) else "")
            if key in settled:
                out.add("tie_winner_recorded", post.code, key, citations=law["ties"], **data)
            elif key in winners:
                out.add(rnd.code("elected", votes), post.code, key, citations=law["win"], **data)
            elif key not in tied:
                kind = "outranked" if key in qualified else "not_elected"
                out.add(rnd.code(kind, votes), post.code, key, citations=law["win"], **data)
        for key in winners:
            person = persons[key]
            out.elected.append(Elected(key=key, name=person.name, sex=person.sex, post=post.code, votes=scores[key]))
            taken[key] = post.code
        if tied:
            revote = Revote(post=post.code, seats=tie_seats, persons=tuple(tied), votes=scores[tied[0]])
            out.revotes.append(revote)
            out.add("tie_revote", post.code, *tied, votes=revote.votes, names=_names(tied, persons), citations=law["ties"],
                    seats_text="一个" if tie_seats == 1 else f"{tie_seats}个")
            if any(_could_affect(tally, posts, q, key, persons, params) for q in posts[index + 1:] for key in tied):
                blocked_by = post.code
        unfilled = post.seats - len(winners) - tie_seats
        status = TIED if tied else UNFILLED if unfilled else FILLED
        out.results.append(PostResult(post=post.code, seats=post.seats, status=status, elected=tuple(winners),
                                      tied=tuple(tied), unfilled=unfilled, scores=scores,
                                      carried={k: n for k, n in carried.items() if k in scores and n}))
        if unfilled and rnd.party:
            out.findings.append(_party_shortfall(params, post.code, seats=post.seats, elected=len(winners)))
        elif unfilled:
            out.add("seats_unfilled", post.code, seats=post.seats, elected=len(winners), unfilled=unfilled,
                    citations=law["win"])
    return out


def is_party(params) -> bool:
    """A Party election's rules: quorum on 应到会 and winning on the members present (``results_base``)."""
    return getattr(params, "results_base", "ballots") == "present"


def _party_shortfall(params, post: str, *, seats: int, elected: int) -> Finding:
    """Fewer elected than seats at a 党员大会: not filled from those below half; another round or fewer seats."""
    found = party_rules.shortfall(post=post, seats=seats, elected=elected, params=params,
                                  minimum_seats=params.seats_minimum(post))
    return Finding(code="party_shortfall", message=found.message, post=post, data=found.data,
                   citations=found.citations)


def _party_validity(tally: Tally, *, expected: int, params) -> tuple[bool, Finding | None, Finding | None]:
    """A 党员大会's vote (LAW.md §4.2): valid only if the ballots returned are not more than those issued, and
    only with the quorum (``party_rules.quorum``: more than 4/5 of 应到会, strict by default). Returns
    (valid, the returned-vs-issued finding when it fails, the quorum finding)."""
    if tally.present is None:
        raise ValueError("尚未登记实到会有选举权的党员人数")
    if tally.issued is not None and tally.ballots_cast > tally.issued:
        bad = _finding("party_returned_exceeds_issued", returned=tally.ballots_cast, issued=tally.issued,
                       citations=(CPC_ELECTIONS_2020_SUMMARY,))
        return False, bad, None
    found = party_rules.quorum(present=tally.present, expected=expected, params=params)
    quorum = Finding(code=found.code, message=found.message, data=found.data, citations=found.citations)
    return found.severity != party_rules.ERROR, None, quorum


def _could_affect(
    tally: Tally, posts: Sequence[Post], lower: Post, key: str, persons: Mapping[str, Person], params: RuleParameters
) -> bool:
    """Whether a tied person's fate can change the lower post: they hold votes there that would count."""
    if lower.gender_required and persons[key].sex != lower.gender_required:
        return False
    scores, _ = _scores(tally, posts, lower, params.multi_post_mode)
    return scores.get(key, 0) > 0


def _runoff_lines(
    *, filled: _Filled, posts: Sequence[Post], tally: Tally, params: RuleParameters, taken: Mapping[str, str]
) -> tuple[list[RunoffLine], list[Finding]]:
    """Candidates for the 另行选举: those not elected with the most votes (OL Art. 15 ¶2), as many as the kind's
    rule asks for the seats unfilled (``runoff_candidates_needed``: the preset's 差额, ZJ Art. 29; for 人大 the
    Art. 31 ratio), everyone tied at the cut-off included; the women's line keeps women only."""
    persons = {p.key: p for p in tally.persons}
    out_of_pool = set(taken) | {e.key for e in filled.elected} | {k for r in filled.revotes for k in r.persons}
    lines: list[RunoffLine] = []
    findings: list[Finding] = []
    by_code = {p.code: p for p in posts}
    for result in filled.results:
        if result.status != UNFILLED:
            continue
        post = by_code[result.post]
        eligible = [k for k, v in result.scores.items() if v > 0 and k not in out_of_pool]
        if post.gender_required:
            eligible = [k for k in eligible if persons[k].sex == post.gender_required]
        pool = sorted(eligible, key=lambda k: (-result.scores[k], k))
        needed = params.runoff_candidates_needed(post.code, result.unfilled)
        chosen = pool[:needed]
        if chosen and len(pool) > needed:
            chosen += [k for k in pool[needed:] if result.scores[k] == result.scores[chosen[-1]]]
        short = len(chosen) < needed
        lines.append(RunoffLine(post=post.code, seats=result.unfilled, candidates=tuple(chosen),
                                gender_required=post.gender_required, short=short))
        text = "、".join(f"{persons[k].name}（{result.scores[k]}票）" for k in chosen)
        code = "runoff_candidates_short" if short else "runoff_candidates"
        citations = params.results_citations["runoff_list"] + (_WOMAN_SEAT if post.gender_required else ())
        findings.append(_finding(code, post=post.code, persons=tuple(chosen), unfilled=result.unfilled,
                                 count=len(chosen), needed=needed, candidates_text=text, citations=citations))
    return lines, findings


def _validate(*, tally: Tally, posts: Sequence[Post], registered_voters: int) -> None:
    _require_ints(tally.ballots_cast, tally.invalid_ballots, registered_voters)
    if tally.present is not None:
        # A 党员大会: excused members who come anyway count as present, so the cap is who is present.
        _require_ints(tally.present)
        registered_voters = max(registered_voters, tally.present)
    codes = [p.code for p in posts]
    if not posts or len(set(codes)) != len(codes):
        raise ValueError("职务列表为空或有重复")
    for post in posts:
        if post.code not in POST_RANK or post.seats < 1:
            raise ValueError(f"职务“{post.code}”未知或应选名额{post.seats}不是正数")
    if any(POST_RANK[a.code] > POST_RANK[b.code] for a, b in zip(posts, posts[1:], strict=False)):
        raise ValueError("职务必须从高到低排列：主任、副主任、委员")
    if not 0 <= tally.ballots_cast <= registered_voters or not 0 <= tally.invalid_ballots <= tally.ballots_cast:
        raise ValueError("登记选民数、投票人数或无效票数不合理")
    known = {p.key for p in tally.persons}
    for code, votes in tally.votes.items():
        if code not in codes:
            raise ValueError(f"计票中有本轮没有的职务“{code}”")
        for key, count in votes.items():
            _require_ints(count)
            if key not in known or not 0 <= count <= tally.ballots_cast:
                raise ValueError(f"{post_label(code)}计票中“{key}”的得票{count}不合理，请先核对计票")


def _women_findings(*, elected: Sequence[Elected], params: RuleParameters, final: bool) -> list[Finding]:
    """No woman elected: the women's line goes on into the runoff (ZJ Art. 29 ¶4); without a reserved seat,
    a committee that ends with no woman is reported against OL Art. 6 ¶2."""
    if any(e.sex == FEMALE for e in elected):
        return []
    if params.woman_seat_reserved:
        return [_finding("woman_seat_unfilled", elected=len(elected), citations=_WOMAN_SEAT)]
    if params.require_woman_member and final:
        return [_finding("no_woman_elected", elected=len(elected), citations=(OL_2018.art(6, 2),))]
    return []


def _complete(params: RuleParameters, *, seats: int, posts: Sequence[Post] = ()) -> Finding:
    if params.results_wording == "party":
        return _finding("party_complete", post_label="、".join(post_label(p.code) for p in posts) or "委员",
                        seats=seats, citations=params.results_citations["complete"])
    code = "district_complete" if params.results_wording == "district" else "committee_complete"
    return _finding(code, seats=seats, citations=params.results_citations["complete"])


def _vacancies(params: RuleParameters, *, elected: int, unfilled: int) -> Finding:
    """Seats still empty after a runoff: a committee may leave them (ZJ Art. 30) or must fill them; a 选区
    may hold another runoff unless the preset forbids it (ZJ NPC Art. 49), the seat then waits for a
    by-election (Art. 57)."""
    if params.results_wording == "district":
        code = "district_vacancies_further_runoff" if params.further_runoff_allowed else "district_vacancies_remain"
    else:
        code = "vacancies_may_remain" if elected >= params.vacancy_allowed_if_elected_at_least else "vacancies_need_runoff"
    return _finding(code, elected=elected, unfilled=unfilled, seats=elected + unfilled,
                    citations=params.results_citations["vacancies"])


def decide_outcome(
    tally: Tally, *, posts: Sequence[Post], registered_voters: int, params: RuleParameters,
    tie_winners: Mapping[str, Sequence[str]] | None = None,
) -> Outcome:
    """The first round (正式选举): validity, the elected, ties and the runoff lines.

    Valid iff ``2*voted > registered`` (OL Art. 15 ¶2); a person wins with ``2*votes > voted`` (of the ballots
    cast, not of the valid ones), highest first up to the seats. ``tie_winners`` (post → keys) records the
    winners of a tie revote so that the outcome, lower posts included, can be decided again.
    """
    _validate(tally=tally, posts=posts, registered_voters=registered_voters)
    if params.woman_seat_reserved and not any(p.gender_required == FEMALE for p in posts):
        raise ValueError("本规则要求单独设立妇女委员职位，但职务中没有妇女委员")
    voted = tally.ballots_cast
    law = params.results_citations
    if is_party(params):
        valid, bad, quorum = _party_validity(tally, expected=registered_voters, params=params)
        if not valid:
            return Outcome(status=INVALID, valid=False, findings=(bad or quorum,))
        opening, rnd = quorum, _Round(voted=tally.present, party=True)
    else:
        turnout = dict(voted=voted, registered=registered_voters, citations=law["win"])
        if not is_more_than_half(voted, registered_voters):
            return Outcome(status=INVALID, valid=False, findings=(_finding("turnout_invalid", **turnout),))
        opening, rnd = _finding("turnout_valid", **turnout), _Round(voted=voted)
    filled = _fill_posts(tally=tally, posts=posts, params=params, rnd=rnd, taken={},
                         tie_winners=tie_winners or {})
    lines, line_findings = _runoff_lines(filled=filled, posts=posts, tally=tally, params=params, taken={})
    findings = [opening, *filled.findings, *line_findings]
    seats = sum(p.seats for p in posts)
    if filled.revotes:
        status = REVOTE
    elif lines:
        status = RUNOFF_NEEDED
    elif len(filled.elected) >= params.committee_size_min:
        status = COMPLETE
        findings.append(_complete(params, seats=seats, posts=posts))
    else:
        status = INCOMPLETE
        findings.append(_finding("committee_incomplete", elected=len(filled.elected),
                                 minimum=params.committee_size_min, citations=law["complete"]))
    if not filled.revotes:
        findings += _women_findings(elected=filled.elected, params=params, final=status == COMPLETE)
    return Outcome(status=status, valid=True, elected=tuple(filled.elected), revotes=tuple(filled.revotes),
                   runoff=tuple(lines), posts=tuple(filled.results), findings=tuple(findings))


def decide_runoff(
    tally: Tally, *, posts: Sequence[Post], registered_voters: int, already_elected: Sequence[Elected],
    params: RuleParameters, tie_winners: Mapping[str, Sequence[str]] | None = None,
) -> Outcome:
    """A 另行选举 round for the unfilled seats (OL Art. 15 ¶2; ``posts`` carry the seats still to fill).

    Most votes win, but only with ``den*votes >= num*total`` where total is the ballots cast in this round,
    spoiled ballots included unless the preset says otherwise (BJ Art. 28). Henan's two-tier rule (HA Art. 38)
    adds a quorum of more than half of the registered voters. The committee is complete only with at least
    ``params.committee_size_min`` members (OL Art. 6); seats may stay empty above
    ``params.vacancy_allowed_if_elected_at_least`` by decision of the villagers' meeting (ZJ Art. 30).
    """
    _validate(tally=tally, posts=posts, registered_voters=registered_voters)
    voted = tally.ballots_cast
    law = params.results_citations
    opening: list[Finding] = []
    if is_party(params):
        # Another round among the not elected (LAW.md §4.2): the same quorum and the same majority of those present.
        valid, bad, quorum = _party_validity(tally, expected=registered_voters, params=params)
        if not valid:
            return Outcome(status=INVALID, valid=False, elected=tuple(already_elected), findings=(bad or quorum,))
        opening, rnd = [quorum], _Round(voted=tally.present, party=True)
    else:
        if params.runoff_needs_quorum and not is_more_than_half(voted, registered_voters):
            finding = _finding("runoff_turnout_invalid", voted=voted, registered=registered_voters,
                               citations=law["runoff_quorum"])
            return Outcome(status=INVALID, valid=False, elected=tuple(already_elected), findings=(finding,))
        total = voted if params.runoff_spoiled_counted_in_total else voted - tally.invalid_ballots
        rnd = _Round(voted=voted, runoff=True, total=total, num=params.runoff_min_share_numerator,
                     den=params.runoff_min_share_denominator, two_tier=params.runoff_two_tier)
    taken = {e.key: e.post for e in already_elected}
    filled = _fill_posts(tally=tally, posts=posts, params=params, rnd=rnd, taken=taken, tie_winners=tie_winners or {})
    elected = [*already_elected, *filled.elected]
    lines, line_findings = _runoff_lines(filled=filled, posts=posts, tally=tally, params=params, taken=taken)
    findings = [*opening, *filled.findings]
    unfilled = sum(r.unfilled for r in filled.results)
    if filled.revotes or any(r.status == PENDING for r in filled.results):
        status = REVOTE
    elif len(elected) < params.committee_size_min:
        status = INCOMPLETE
        findings.append(_finding("committee_incomplete", elected=len(elected), minimum=params.committee_size_min,
                                 citations=law["complete"]))
    elif unfilled:
        status = VACANCIES
        if not is_party(params):  # a Party round's shortfall is said post by post (``_party_shortfall``)
            findings.append(_vacancies(params, elected=len(elected), unfilled=unfilled))
    else:
        status = COMPLETE
        findings.append(_complete(params, seats=len(elected), posts=posts))
    if not params.further_runoff_allowed:
        lines, line_findings = [], []
    if status != REVOTE:
        findings += line_findings
        findings += _women_findings(elected=elected, params=params, final=True)
    return Outcome(status=status, valid=True, elected=tuple(elected), revotes=tuple(filled.revotes),
                   runoff=tuple(lines) if status != REVOTE else (), posts=tuple(filled.results),
                   findings=tuple(findings))


def decide_tie_revote(
    *, revote: Revote, votes: Mapping[str, int], names: Mapping[str, str], citations: tuple[Citation, ...] = _TIES,
) -> TieRevoteResult:
    """The new vote among persons tied at the last seat: most votes wins (ZJ Art. 28, HA Art. 36).

    A tie at the cut again yields a narrower ``Revote``; it is never settled by order or by lot (LAW.md §2.4).
    The winners of the whole chain of revotes for a post are what ``tie_winners`` takes.
    """
    if set(votes) - set(revote.persons):
        raise ValueError("重新投票只能在并列者之间进行")
    scores = {k: votes.get(k, 0) for k in revote.persons}
    for value in scores.values():
        _require_ints(value)
    ranked = sorted(scores, key=lambda k: (-scores[k], k))
    winners, tied, tie_seats = _cut(ranked, revote.seats, scores)
    findings = []
    for key in ranked:
        if key in winners or key not in tied:
            code = "revote_elected" if key in winners else "revote_not_elected"
            findings.append(_finding(code, post=revote.post, persons=(key,), name=names.get(key, key),
                                     votes=scores[key], seats=revote.seats, citations=citations))
    again = None
    if tied:
        again = Revote(post=revote.post, seats=tie_seats, persons=tuple(tied), votes=scores[tied[0]])
        persons = {k: Person(key=k, name=names.get(k, k)) for k in tied}
        findings.append(_finding("tie_revote", post=revote.post, persons=again.persons, votes=again.votes,
                                 names=_names(tied, persons), citations=citations,
                                 seats_text="一个" if tie_seats == 1 else f"{tie_seats}个"))
    return TieRevoteResult(winners=tuple(winners), revote=again, findings=tuple(findings))
