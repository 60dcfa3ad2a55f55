"""What differs in law for Party elections (LAW.md §4), as pure rules.

- 应到会: the members with voting rights (full members, rights not suspended: 2020 条例 Art. 5) minus those the
  upper level and the 党员大会 excused under the five categories (LAW.md §4.2).
- Quorum: 有选举权的到会人数超过应到会人数的五分之四, ``5*present > 4*expected`` (strict by default).
- Winning: 赞成票超过实到会有选举权的人数的一半, ``2*yes > present`` — of the members present, not of the ballots;
  exactly half loses; a shortfall is never filled from those below half (another round, or fewer seats).
- 差额: 委员 and delegate candidates exceed the seats by at least 20%, ``candidates >= seats + ceil(seats/5)``;
  书记 and 副书记 等额 unless the preset says otherwise.
- Committee size: by full members (支部工作条例), and where a preset says so by the village's population.

Integers only (LAW.md §0.1). Every finding is one Chinese sentence with its numbers and its citations, as in
``ballots.results``. The parameters are ``party_branch.BranchRuleParameters`` or
``party_congress.CongressRuleParameters`` (read by attribute). This module never imports the ORM.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..law import (
    CPC_BRANCH_RULES_2018,
    CPC_ELECTIONS_2020,
    CPC_ELECTIONS_2020_SUMMARY,
    CPC_HANDBOOK,
    CPC_PRESENT_MAJORITY,
    CPC_QA_ATTENDANCE,
    CPC_SAMPLE_2011,
    REFERENCE_002,
)
from .party_branch import (
    EXCUSED_ABROAD,
    EXCUSED_AWAY,
    EXCUSED_FRAIL,
    EXCUSED_ILL,
    EXCUSED_SENTENCED,
    OPEN_RECOMMENDATION,
)

OK = "ok"
WARNING = "warning"
ERROR = "error"

# Committee structures (支部工作条例, LAW.md §4.3).
NO_BRANCH = "no_branch"
SECRETARY_ONLY = "secretary_only"
COMMITTEE = "committee"

# Posts whose candidates are counted against the seats (LAW.md §4.2).
MEMBER = "member"
DELEGATE = "delegate"
SECRETARY = "secretary"
DEPUTY_SECRETARY = "deputy_secretary"
POST_LABELS = {MEMBER: "委员", DELEGATE: "代表", SECRETARY: "书记", DEPUTY_SECRETARY: "副书记"}

EXCUSED_SHORT = {
    EXCUSED_ILL: "因病不能表达本人意志",
    EXCUSED_ABROAD: "自费出国{away}以上",
    EXCUSED_SENTENCED: "正在服刑",
    EXCUSED_FRAIL: "年老体弱卧床不起",
    EXCUSED_AWAY: "外出{away}以上未转组织关系",
}

MESSAGES = {
    "expected": "有选举权的党员{entitled}名，经上级党组织同意并经党员大会通过不列入应到会人数的{excused}名（{breakdown}），应到会{expected}名",
    "expected_none_excused": "有选举权的党员{entitled}名，没有不列入应到会人数的党员，应到会{expected}名",
    "quorum_met": "有选举权的到会党员{present}名，{compare}应到会{expected}名的{share}（至少{needed}名），可以进行选举",
    "quorum_not_met": "有选举权的到会党员{present}名，未{compare}应到会{expected}名的{share}（至少{needed}名），不能进行选举",
    "elected": "{name}得赞成票{votes}票，超过实到会有选举权的党员{present}名的半数（至少{needed}票），可以当选",
    "not_elected": "{name}得赞成票{votes}票，未超过实到会有选举权的党员{present}名的半数（至少{needed}票），不能当选",
    "shortfall": "应选{post}{seats}名，得票超过半数的{elected}名，缺额{unfilled}名不从得票未过半数的人中依次递补，{options}",
    "surplus_ok": "{post}应选{seats}名，候选人{candidates}名，多于应选名额{extra}名，不少于应选名额的{share}（至少多{minimum}名）",
    "surplus_short": "{post}应选{seats}名，候选人{candidates}名，差额不足应选名额的{share}，候选人应不少于{needed}名",
    "uncontested_ok": "{post}应选{seats}名，候选人{candidates}名，实行等额选举",
    "uncontested_mismatch": "{post}实行等额选举，应选{seats}名，候选人应为{seats}名，现有{candidates}名",
    "contested_ok": "{post}应选{seats}名，候选人{candidates}名，实行差额选举",
    "contested_short": "{post}实行差额选举，应选{seats}名，候选人{candidates}名，须多于应选名额",
    "no_branch": "正式党员{members}名，不足{minimum}名，不能单独成立党支部",
    "secretary_only": "正式党员{members}名，不足{threshold}名，不设支部委员会，设书记1名，必要时设副书记1名",
    "committee_range": "正式党员{members}名，达到{threshold}名，设支部委员会，委员{low}至{high}名",
    "committee_by_population": "正式党员{members}名，达到{threshold}名，设支部委员会；全村人口{population}人，在{limit}人{side}，委员{size}名",
    "population_unknown": "本规则按村人口确定支部委员会委员职数（{limit}人及以下{low}名，以上{high}名），尚未录入村人口",
    "delegate_meeting_possible": "党员{members}名，达到{minimum}名，经上级党组织批准可以召开党员代表大会进行选举",
    "delegates_over_max": "党代表大会代表名额{total}名，超过最多{maximum}名",
    "delegates_unusual": "党代表大会代表名额{total}名，不在一般为{low}至{high}名的范围内",
    "delegates_usual": "党代表大会代表名额{total}名，在一般为{low}至{high}名的范围内",
}


@dataclass(frozen=True)
class Share:
    """A count out of a stated base, e.g. 14 of 49; rounded once, half up, when shown."""

    numerator: int
    denominator: int

    def percent(self, places: int = 1) -> Decimal | None:
        if not self.denominator:
            return None
        value = Decimal(self.numerator) * 100 / Decimal(self.denominator)
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)

    def __str__(self) -> str:
        pct = self.percent()
        return "—" if pct is None else f"{pct}%"


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    severity: str = OK
    data: dict[str, Any] = field(default_factory=dict)
    citations: tuple = ()


def finding(code: str, *, severity: str = OK, citations: tuple = (), **data: Any) -> Finding:
    return Finding(code=code, message=MESSAGES[code].format(**data), severity=severity, data=data, citations=citations)


def require_counts(*values: Any) -> None:
    """Counts are non-negative ints (LAW.md §0.1: no floats in a threshold)."""
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"门槛计算只接受整数，收到 {value!r}")
        if value < 0:
            raise ValueError(f"人数或票数不能为负数：{value}")


def passes(n: int, d: int, share: tuple[int, int], *, strict: bool) -> bool:
    """``n`` against ``share`` of ``d``: 超过 (``den*n > num*d``) or 不少于/以上 (``den*n >= num*d``)."""
    require_counts(n, d, *share)
    num, den = share
    return den * n > num * d if strict else den * n >= num * d


def least_passing(d: int, share: tuple[int, int], *, strict: bool) -> int:
    """The smallest count that ``passes`` against ``d``: e.g. 33 of 40 for 超过五分之四."""
    num, den = share
    return num * d // den + 1 if strict else -(-num * d // den)


_CN = "零一二三四五六七八九十"


def fraction_words(share: tuple[int, int]) -> str:
    """五分之四, 半数 — the words of the regulations."""
    num, den = share
    if (num, den) == (1, 2):
        return "半数"
    if den <= 10 and num <= 10:
        return f"{_CN[den]}分之{_CN[num]}"
    return f"{num}/{den}"


def percent_words(share: tuple[int, int]) -> str:
    """20%, 70%, 60% — the words of the provincial notices and the reference reports."""
    num, den = share
    text = Share(num, den).percent(2)
    return f"{text.normalize():f}%"


# ---------------------------------------------------------------- who should attend and the quorum


@dataclass(frozen=True)
class Attendance:
    entitled: int
    excused: int
    expected: int
    finding: Finding


def expected_attendance(*, entitled: int, excused: Mapping[str, int], params) -> Attendance:
    """应到会人数: ``entitled`` (full members whose rights are not suspended, 2020 Art. 5) minus the members
    excused, each under one of ``params.excused_categories`` with the upper level's consent and the 党员大会's
    vote (中组部 Q&A on 共产党员网, LAW.md §4.2)."""
    require_counts(entitled, *excused.values())
    unknown = set(excused) - set(params.excused_categories)
    if unknown:
        raise ValueError(f"不列入应到会人数的情形无效：{'、'.join(sorted(unknown))}")
    total = sum(excused.values())
    if total > entitled:
        raise ValueError(f"不列入应到会人数的{total}名多于有选举权的党员{entitled}名")
    expected = entitled - total
    citations = (CPC_ELECTIONS_2020.art(5), CPC_QA_ATTENDANCE)
    away = "半年" if params.excused_away_months_min == 6 else f"{params.excused_away_months_min}个月"
    parts = [f"{EXCUSED_SHORT[code].format(away=away)}{excused[code]}名"
             for code in params.excused_categories if excused.get(code)]
    if parts:
        found = finding("expected", entitled=entitled, excused=total, breakdown="、".join(parts), expected=expected,
                        citations=citations)
    else:
        found = finding("expected_none_excused", entitled=entitled, expected=expected, citations=citations)
    return Attendance(entitled=entitled, excused=total, expected=expected, finding=found)


def quorum(*, present: int, expected: int, params) -> Finding:
    """The election may proceed only when the members present with voting rights are more than 4/5 of 应到会
    (``5*present > 4*expected``; ``quorum_strict`` False reads 不少于). Excused members who come anyway count
    as present, so ``present`` may exceed ``expected``."""
    require_counts(present, expected)
    if expected == 0:
        raise ValueError("应到会人数为零，不能召开党员大会进行选举")
    share, strict = tuple(params.quorum_share), params.quorum_strict
    ok = passes(present, expected, share, strict=strict)
    return finding("quorum_met" if ok else "quorum_not_met", severity=OK if ok else ERROR, present=present,
                   expected=expected, share=fraction_words(share), compare="超过" if strict else "达到",
                   needed=least_passing(expected, share, strict=strict), citations=(CPC_QA_ATTENDANCE,))


# ---------------------------------------------------------------- winning and the shortfall


def win_threshold(present: int, params) -> int:
    """The fewest yes votes that win: more than half of the members present (``2*yes > present``)."""
    require_counts(present)
    return least_passing(present, tuple(params.win_share), strict=params.win_strict)


def wins(votes: int, present: int, params) -> bool:
    require_counts(votes, present)
    if votes > present:
        raise ValueError(f"赞成票{votes}票多于实到会人数{present}名，请先核对计票")
    return passes(votes, present, tuple(params.win_share), strict=params.win_strict)


def verdict(*, name: str, votes: int, present: int, params) -> Finding:
    """One candidate against the threshold, before any ranking by seats (the engine's part)."""
    ok = wins(votes, present, params)
    return finding("elected" if ok else "not_elected", severity=OK if ok else WARNING, name=name, votes=votes,
                   present=present, needed=win_threshold(present, params), citations=(CPC_PRESENT_MAJORITY,))


def shortfall(*, post: str, seats: int, elected: int, params, minimum_seats: int = 1) -> Finding | None:
    """Fewer elected than seats: the shortfall is not filled from those below half; another round for it, or —
    close to the seat count — fewer seats with the 党员大会's majority consent (旗帜网 handbook), never below
    ``minimum_seats`` (a committee keeps its 3)."""
    require_counts(seats, elected, minimum_seats)
    if elected >= seats:
        return None
    options = "须就缺额另行选举"
    if params.seats_may_be_reduced and elected >= minimum_seats:
        options += f"，或者经党员大会过半数同意减少名额至{elected}名"
    return finding("shortfall", severity=WARNING, post=POST_LABELS[post], seats=seats, elected=elected,
                   unfilled=seats - elected, options=options, citations=(CPC_PRESENT_MAJORITY, CPC_HANDBOOK))


def secretary_elected_by_members(method: str, params) -> bool:
    """公推直选 elects the 书记 at the 党员大会 (LAW.md §4.4); otherwise the new committee elects them unless
    the preset says the members do."""
    return method == OPEN_RECOMMENDATION or not params.secretary_elected_by_committee


# ---------------------------------------------------------------- 差额


def slate_check(*, post: str, seats: int, candidates: int, params) -> Finding:
    """The candidates for ``post`` against its seats: 委员 (2020 Art. 13) and delegates (Art. 9) at least 20%
    more, ``candidates >= seats + ceil(seats * 1/5)``; 书记 and 副书记 等额 unless ``secretary_contested``."""
    require_counts(seats, candidates)
    if seats < 1:
        raise ValueError("应选名额须为正数")
    label = POST_LABELS[post]
    if post in (SECRETARY, DEPUTY_SECRETARY):
        citations = (CPC_ELECTIONS_2020.art(24), CPC_SAMPLE_2011)
        if params.secretary_contested:
            ok = candidates > seats
            return finding("contested_ok" if ok else "contested_short", severity=OK if ok else ERROR, post=label,
                           seats=seats, candidates=candidates, citations=citations)
        ok = candidates == seats
        return finding("uncontested_ok" if ok else "uncontested_mismatch", severity=OK if ok else ERROR, post=label,
                       seats=seats, candidates=candidates, citations=citations)
    share = tuple(params.delegate_surplus_share if post == DELEGATE else params.member_surplus_share)
    citations = (CPC_ELECTIONS_2020.art(9 if post == DELEGATE else 13),)
    minimum = -(-seats * share[0] // share[1])
    ok = candidates >= seats + minimum
    return finding("surplus_ok" if ok else "surplus_short", severity=OK if ok else ERROR, post=label, seats=seats,
                   candidates=candidates, extra=candidates - seats, minimum=minimum, needed=seats + minimum,
                   share=percent_words(share), citations=citations)


# ---------------------------------------------------------------- structure and size


@dataclass(frozen=True)
class CommitteeSize:
    structure: str
    size_min: int
    size_max: int
    findings: tuple[Finding, ...]


def committee_size(*, full_members: int, params, population: int | None = None) -> CommitteeSize:
    """The size of a village branch's committee (支部工作条例, LAW.md §4.3): below ``branch_members_min`` (3) full
    members no branch of its own; below ``committee_members_min`` (7) a 书记 only (and a 副书记 if needed); from
    7 a committee of 3–5. Where the preset sets ``committee_size_population_threshold`` (reference 002:
    2000人以下配3名，2000人以上配5名), the village's population fixes the size; exactly the threshold takes the
    smaller size (both 以下 and 以上 include it, LAW.md §0.1) [U]."""
    require_counts(full_members)
    found: list[Finding] = []
    rules = (CPC_BRANCH_RULES_2018,)
    if full_members >= params.delegate_meeting_members_min:
        found.append(finding("delegate_meeting_possible", members=full_members,
                             minimum=params.delegate_meeting_members_min, citations=(CPC_ELECTIONS_2020.art(4),)))
    if full_members < params.branch_members_min:
        found.insert(0, finding("no_branch", severity=ERROR, members=full_members, minimum=params.branch_members_min,
                                citations=rules))
        return CommitteeSize(NO_BRANCH, 0, 0, tuple(found))
    if full_members < params.committee_members_min:
        found.insert(0, finding("secretary_only", members=full_members, threshold=params.committee_members_min,
                                citations=rules))
        return CommitteeSize(SECRETARY_ONLY, 1, 1 + params.deputy_secretary_max, tuple(found))
    low, high = params.branch_committee_size_min, params.branch_committee_size_max
    limit = params.committee_size_population_threshold
    if limit is None:
        found.insert(0, finding("committee_range", members=full_members, threshold=params.committee_members_min,
                                low=low, high=high, citations=rules))
        return CommitteeSize(COMMITTEE, low, high, tuple(found))
    if population is None:
        found.insert(0, finding("population_unknown", severity=WARNING, limit=limit,
                                low=params.committee_size_up_to_threshold, high=params.committee_size_above_threshold,
                                citations=(REFERENCE_002,)))
        return CommitteeSize(COMMITTEE, low, high, tuple(found))
    require_counts(population)
    above = population > limit
    size = params.committee_size_above_threshold if above else params.committee_size_up_to_threshold
    found.insert(0, finding("committee_by_population", members=full_members, threshold=params.committee_members_min,
                            population=population, limit=limit, side="以上" if above else "以下", size=size,
                            citations=rules + (REFERENCE_002,)))
    return CommitteeSize(COMMITTEE, size, size, tuple(found))


def delegate_total_check(total: int, params) -> Finding:
    """A township congress's delegates: usually 100–200, at most 300 (2020 条例, LAW.md §4.2 [V2], article [U])."""
    require_counts(total)
    low, high, maximum = params.delegates_usual_min, params.delegates_usual_max, params.delegates_max
    citations = (CPC_ELECTIONS_2020_SUMMARY,)
    if total > maximum:
        return finding("delegates_over_max", severity=ERROR, total=total, maximum=maximum, citations=citations)
    if not low <= total <= high:
        return finding("delegates_unusual", severity=WARNING, total=total, low=low, high=high, citations=citations)
    return finding("delegates_usual", total=total, low=low, high=high, citations=citations)
