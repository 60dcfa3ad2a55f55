"""The nomination pipeline of a village Party organisation's election (LAW.md §4.4; issue 12 step 4).

Each nomination method is a sequence of stages (LAW.md §4.4: "model these as pipelines of stages"):

- 两推一选: 党员推荐 + 群众推荐 → 乡镇党委审查 → 党员大会选举;
- 公推直选: 公开推荐 (members and villagers) → 乡镇党委审查 → the members elect 书记 and 委员 directly;
- 两票制: 群众信任投票 (信任票) → 初步候选人 (those above the minimum share, within the preliminary ratio)
  → 乡镇党委审查 → 正式候选人 → the members' 选举票.

A recommendation or confidence stage records its electorate (derived where the system has the register,
entered with its basis otherwise), the ballots issued and returned (returned ≤ issued ≤ electorate: a return
rate never exceeds 100%) and each member's votes; ``villages.kinds.party_ranking.rank_stage`` ranks it. Who
goes to the township's review is whoever every stage of the method puts forward (``nominees``).

Pure: no ORM. Integers only (LAW.md §0.1); every refusal one Chinese sentence with its numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from villages.kinds import party_ranking, party_rules
from villages.kinds.party_branch import (
    NOMINATION_METHOD_LABELS,
    OPEN_RECOMMENDATION,
    TWO_BALLOTS,
    TWO_RECOMMENDATIONS,
)
from villages.kinds.party_ranking import CONFIDENCE, RECOMMENDATION, Standing, StageRanking

# Stages.
MEMBERS_RECOMMENDATION = "members_recommendation"  # 党员推荐（党内推荐）
VILLAGERS_RECOMMENDATION = "villagers_recommendation"  # 群众推荐（党外推荐）
OPEN_RECOMMENDATION_STAGE = "open_recommendation"  # 公开推荐（党员和群众）
CONFIDENCE_VOTE = "confidence_vote"  # 群众信任投票（信任票）

# Electorates (LAW.md §4.4: PARTY_MEMBERS | VILLAGERS | VILLAGER_REPS | HOUSEHOLD_REPS).
PARTY_MEMBERS = "party_members"  # derived: the members with voting rights on the Party register
VILLAGE_REGISTER = "village_register"  # derived: the village committee election's register, same village and year
VILLAGERS = "villagers"  # entered: the villagers, when the system has no register of them
VILLAGER_REPRESENTATIVES = "villager_representatives"  # entered
HOUSEHOLD_REPRESENTATIVES = "household_representatives"  # entered
MEMBERS_AND_VILLAGERS = "members_and_villagers"  # entered: an open recommendation's participants
BASIS_LABELS = {
    PARTY_MEMBERS: "本支部有选举权的党员（按党员名册计算）",
    VILLAGE_REGISTER: "本村同年村民委员会选举的登记选民（按选民名单计算）",
    VILLAGERS: "本村18周岁以上村民（录入人数）",
    VILLAGER_REPRESENTATIVES: "村民代表（录入人数）",
    HOUSEHOLD_REPRESENTATIVES: "户代表（录入人数）",
    MEMBERS_AND_VILLAGERS: "参加公开推荐的党员和群众（录入人数）",
}
DERIVED_BASES = frozenset({PARTY_MEMBERS, VILLAGE_REGISTER})


@dataclass(frozen=True)
class StageSpec:
    code: str
    label: str  # 党员推荐
    ranking: str  # party_ranking.CONFIDENCE or RECOMMENDATION
    bases: tuple[str, ...]  # allowed electorates, the first the default
    paper: str  # the printed ballot's title

    @property
    def ballot_word(self) -> str:
        return party_ranking.STAGE_WORDS[self.ranking][1]  # 推荐票 / 信任票


VILLAGER_BASES = (VILLAGE_REGISTER, VILLAGERS, VILLAGER_REPRESENTATIVES, HOUSEHOLD_REPRESENTATIVES)
STAGES = {
    MEMBERS_RECOMMENDATION: StageSpec(MEMBERS_RECOMMENDATION, "党员推荐", RECOMMENDATION, (PARTY_MEMBERS,), "推荐票"),
    VILLAGERS_RECOMMENDATION: StageSpec(VILLAGERS_RECOMMENDATION, "群众推荐", RECOMMENDATION, VILLAGER_BASES, "推荐票"),
    OPEN_RECOMMENDATION_STAGE: StageSpec(OPEN_RECOMMENDATION_STAGE, "公开推荐", RECOMMENDATION,
                                         (MEMBERS_AND_VILLAGERS, VILLAGE_REGISTER), "推荐票"),
    CONFIDENCE_VOTE: StageSpec(CONFIDENCE_VOTE, "群众信任投票", CONFIDENCE, VILLAGER_BASES, "信任投票票"),
}
PIPELINES = {
    TWO_RECOMMENDATIONS: (MEMBERS_RECOMMENDATION, VILLAGERS_RECOMMENDATION),
    OPEN_RECOMMENDATION: (OPEN_RECOMMENDATION_STAGE,),
    TWO_BALLOTS: (CONFIDENCE_VOTE,),
}
# The steps after the recorded stages, as the page lists them.
AFTER_STAGES = {
    TWO_RECOMMENDATIONS: ("乡镇党委审查", "确定正式候选人", "党员大会选举"),
    OPEN_RECOMMENDATION: ("乡镇党委审查", "确定正式候选人", "党员大会直接选举书记和委员"),
    TWO_BALLOTS: ("确定初步候选人", "乡镇党委审查", "确定正式候选人", "党员大会选举（选举票）"),
}

MESSAGES = {
    "method_unknown": "候选人产生方式无效：{method}",
    "method_not_allowed": "本次选举的规则不采用“{label}”",
    "stage_not_in_method": "“{method}”没有“{stage}”这一步",
    "basis_not_allowed": "“{stage}”的应参加人员不能是“{basis}”",
    "basis_register_missing": "本村没有同年村民委员会选举的选民名单，请按村民、村民代表或户代表录入应参加人数",
    "basis_register_exists": "本村已有同年村民委员会选举的选民名单（登记选民{count}人），应参加人数按名单计算，请选择“{label}”",
    "electorate_required": "请填写应参加{stage}的人数",
    "electorate_zero": "应参加{stage}的人数为零，不能进行{stage}",
    "issued_over_electorate": "发出{ballot}{issued}张，多于应参加{stage}的{electorate}人",
    "returned_over_issued": "收回{ballot}{returned}张，多于发出的{issued}张",
    "votes_over_returned": "{name}得{ballot}{votes}票，多于收回的{returned}张",
    "not_full_member": "{name}不是本支部有选举权的正式党员，不能被推荐或列为人选",
    "formal_count_short": "委员正式候选人数{count}名，差额不足应选{seats}名的{share}，应不少于{needed}名",
}


def message(code: str, **data) -> str:
    return MESSAGES[code].format(**data)


def method_problems(method: str, params) -> list[str]:
    if method not in NOMINATION_METHOD_LABELS:
        return [message("method_unknown", method=method)]
    if method not in tuple(params.nomination_methods):
        return [message("method_not_allowed", label=NOMINATION_METHOD_LABELS[method])]
    return []


def stages_of(method: str) -> tuple[StageSpec, ...]:
    return tuple(STAGES[code] for code in PIPELINES[method])


def member_seats(*, secretary_seats: int, deputy_seats: int, member_seats: int, by_members: bool) -> int:
    """The 委员 the 党员大会 elects with a 差额 slate: the whole committee when the committee then elects its 书记
    and 副书记 from among them; the other 委员 only where the members elect the 书记 and 副书记 directly."""
    return member_seats if by_members else secretary_seats + deputy_seats + member_seats


def minimum_formal_candidates(seats: int, params) -> int:
    """The fewest 委员 candidates: seats plus 20% of them, rounded up (2020 条例 Art. 13)."""
    num, den = tuple(params.member_surplus_share)
    return seats + -(-seats * num // den)


def formal_count_problems(count: int, seats: int, params) -> list[str]:
    needed = minimum_formal_candidates(seats, params)
    if count < needed:
        return [message("formal_count_short", count=count, seats=seats, needed=needed,
                        share=party_rules.percent_words(tuple(params.member_surplus_share)))]
    return []


def count_problems(spec: StageSpec, *, electorate: int | None, issued: int, returned: int) -> list[str]:
    """returned ≤ issued ≤ electorate: a return rate (收回率) can never exceed 100%."""
    party_rules.require_counts(issued, returned)
    if electorate is None:
        return [message("electorate_required", stage=spec.label)]
    party_rules.require_counts(electorate)
    problems = []
    if electorate == 0:
        problems.append(message("electorate_zero", stage=spec.label))
    if issued > electorate:
        problems.append(message("issued_over_electorate", ballot=spec.ballot_word, issued=issued, stage=spec.label,
                                electorate=electorate))
    if returned > issued:
        problems.append(message("returned_over_issued", ballot=spec.ballot_word, returned=returned, issued=issued))
    return problems


def vote_problems(spec: StageSpec, votes: Mapping[str, tuple[str, int]], *, returned: int,
                  eligible: Mapping[str, str]) -> list[str]:
    """``votes``: key → (name, votes); ``eligible``: the full members with voting rights, key → name."""
    problems = []
    for key, (name, count) in votes.items():
        party_rules.require_counts(count)
        if key not in eligible:
            problems.append(message("not_full_member", name=name))
        elif count > returned:
            problems.append(message("votes_over_returned", name=name, ballot=spec.ballot_word, votes=count,
                                    returned=returned))
    return problems


def basis_problems(spec: StageSpec, basis: str, *, register_count: int | None) -> list[str]:
    """The stage's electorate basis: allowed for the stage; the village register where the system has it."""
    if basis not in spec.bases:
        return [message("basis_not_allowed", stage=spec.label, basis=BASIS_LABELS.get(basis, basis))]
    if basis == VILLAGE_REGISTER and register_count is None:
        return [message("basis_register_missing")]
    if basis == VILLAGERS and register_count is not None:
        return [message("basis_register_exists", count=register_count, label=BASIS_LABELS[VILLAGE_REGISTER])]
    return []


def places(*, seats: int, formal_candidates: int, params) -> int | None:
    """How many 初步人选 a stage puts forward under the preset's ratio (None: all above the minimum)."""
    return party_ranking.preliminary_places(seats=seats, candidates=formal_candidates, params=params)


def rank(spec: StageSpec, standings: Sequence[Standing], *, returned: int, electorate: int, places: int | None,
         params) -> StageRanking:
    return party_ranking.rank_stage(standings, stage=spec.ranking, ballots_cast=returned, electorate=electorate,
                                    places=places, params=params)


@dataclass(frozen=True)
class Nominees:
    """Who goes to the township's review: put forward by every stage of the method, in the first stage's order."""

    keys: tuple[str, ...]
    complete: bool  # every stage recorded and none left with an undecided tie
    sentence: str


def nominees(method: str, rankings: Mapping[str, StageRanking], names: Mapping[str, str]) -> Nominees:
    specs = stages_of(method)
    missing = [s.label for s in specs if s.code not in rankings]
    if missing:
        return Nominees((), False, f"尚未登记{'、'.join(missing)}的结果")
    tied = [s.label for s in specs if rankings[s.code].tied]
    chosen = [rankings[s.code].chosen for s in specs]
    keys = tuple(k for k in chosen[0] if all(k in c for c in chosen[1:]))
    listed = "、".join(names[k] for k in keys) or "无"
    if tied:
        return Nominees(keys, False, f"{'、'.join(tied)}有得票相同争最后名额的情形，须另行确定后再报乡镇党委审查")
    if len(specs) == 1:
        word = "初步候选人" if specs[0].ranking == CONFIDENCE else "推荐人选"
        return Nominees(keys, True, f"{specs[0].label}确定{word}{len(keys)}名：{listed}，报乡镇党委审查")
    both = "和".join(s.label for s in specs)
    return Nominees(keys, True, f"{both}均列为人选的{len(keys)}名：{listed}，报乡镇党委审查")
