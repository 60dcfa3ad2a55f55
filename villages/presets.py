"""Rule presets: the parameters every rule reads, as plain data.

Where provinces differ, a rule is a parameter of a preset, not a constant in code (DOMAIN.md;
LAW.md §2.1 and §2.10). ``RuleParameters`` holds every parameter with the national default of the
Organic Law 2018 (LAW.md §2.10 ``VCOL_2018_NATIONAL``); the provincial presets override what their
rules say. Presets are stored as JSON in ``RulePreset.params`` and snapshotted into each round
(``Campaign.rule_params``) when it is opened, so a later edit of a preset never changes the rules of
an election already under way.

This module never imports the ORM.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from .law import BEIJING_2012, HENAN_2011, OL_2018, SHANGHAI_2020, ZHEJIANG_2020

# Multi-post counting modes (LAW.md §2.2).
EXCLUSIVE = "exclusive"  # a person stands for one post; one ballot electing a person twice is invalid
CASCADE_DOWN = "cascade_down"  # votes for a higher post add to the same person's lower-post votes

# Nomination modes (DOMAIN.md "Candidates").
MODE_CANDIDATES = "candidates"  # 有候选人
MODE_SELF_NOMINATION = "self_nomination"  # 自荐
MODE_NO_CANDIDATE = "no_candidate"  # 无候选人直接选举 / 海选

# Candidate list ordering.
ORDER_BY_VOTES = "votes"
ORDER_BY_STROKES = "strokes"

# Scope invalidated by an over-vote on a multi-post ballot (LAW.md §2.3).
INVALIDATE_POST = "post"
INVALIDATE_BALLOT = "ballot"

# 近亲属, Civil Code Art. 1045 (LAW.md §0.3).
CLOSE_RELATIVES = {
    "spouse": "配偶",
    "parent": "父母",
    "child": "子女",
    "sibling": "兄弟姐妹",
    "grandparent": "祖父母、外祖父母",
    "grandchild": "孙子女、外孙子女",
}

# 四增四减 reasons (LAW.md §2.9): the office may relabel them per preset.
# Who may hold a proxy: the close relatives of Civil Code Art. 1045 (village committees), or any
# other voter of the district (人大, Election Law Art. 42).
PROXY_RELATIONS_EXTRA = {"OTHER_VOTER": "本选区其他选民"}

REGISTER_CHANGE_REASONS = {
    "ADD_NEW_18": "新满十八周岁",
    "ADD_RIGHTS_RESTORED": "恢复政治权利",
    "ADD_MOVED_IN": "迁入本村",
    "ADD_CAT3_APPROVED": "经村民会议同意参加选举的外来人员",
    "ADD_MARRIED_IN": "婚嫁迁入",
    "REM_DEAD": "死亡",
    "REM_DEPRIVED": "被剥夺政治权利",
    "REM_MOVED_OUT": "迁出本村",
    "REM_INCAPABLE": "无法行使选举权利",
    "REM_UNREACHABLE": "外出无法取得联系",
    "REM_REGISTERED_ELSEWHERE": "已在他村登记",
}
PROXY_RELATIONS = {**CLOSE_RELATIVES, **PROXY_RELATIONS_EXTRA}


@dataclass(frozen=True)
class Surplus:
    """差额 for one post: candidates must number seats + min_extra to seats + max_extra."""

    min_extra: int = 1
    max_extra: int | None = None


def known_parameters(cls, data: dict[str, Any]) -> dict[str, Any]:
    """The stored JSON ``data`` of a parameter dataclass ``cls``: an unknown key is an error
    (a typo must not silently fall back to a default); a list becomes a tuple."""
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = set(data) - known
    if unknown:
        raise ValueError(f"未知的规则参数：{'、'.join(sorted(unknown))}")
    return {key: tuple(value) if isinstance(value, list) else value for key, value in data.items()}


@dataclass(frozen=True)
class RuleParameters:
    # Committee composition (OL §6, §11).
    committee_size_min: int = 3
    committee_size_max: int = 7
    vice_chair_max: int = 2
    term_years: int = 5
    require_woman_member: bool = True
    require_minority_member_if_multiethnic: bool = True
    woman_seat_reserved: bool = False  # a separate 妇女委员 line (ZJ Art. 21)

    # 村民选举委员会 (OL §12; MCA 规程: at least 3, odd).
    election_committee_size_min: int = 3
    election_committee_size_max: int | None = None
    election_committee_size_odd: bool = True

    # Voter list and appeals (OL §14).
    voter_list_publish_days_before: int = 20
    voter_appeal_window_days: int = 5
    voter_appeal_decision_days: int = 3
    count_start_day: bool = False  # Civil Code Art. 201: the start day is not counted
    final_list_days_before: int | None = None
    appeals_written_only: bool = False
    late_appeals_refused: bool = True
    leap_day_birthday_turns_on_march_1: bool = True  # LAW.md §0.2 [U], default 1 March
    category3_residence_years: int = 1

    # Nomination (OL §15).
    nomination_modes: tuple[str, ...] = (MODE_CANDIDATES, MODE_SELF_NOMINATION, MODE_NO_CANDIDATE)
    surplus_chair: Surplus = Surplus()
    surplus_vice_chair: Surplus = Surplus()
    surplus_member: Surplus = Surplus()
    nominations_per_voter_max_is_seats: bool = True
    candidate_list_days_before: int | None = 5
    candidate_order: str = ORDER_BY_VOTES
    self_nominee_register_days_before: int | None = None
    candidate_withdraw_days_before: int | None = None
    committee_member_leaves_when_nominated: bool = True
    relatives_leave_committee: bool = False  # ZJ Art. 9

    # Voting and counting (OL §15; LAW.md §2.2–§2.4).
    multi_post_mode: str = EXCLUSIVE
    invalidate_scope: str = INVALIDATE_POST
    separate_sheets_per_post: bool = False
    mobile_box_needs_township_approval: bool = False
    mobile_box_min_staff: int = 3
    invalid_ballot_warning_percent: int = 3

    # Runoff 另行选举 (OL §15 ¶2; LAW.md §1.7).
    runoff_within_days: int | None = None
    runoff_min_share_numerator: int = 1
    runoff_min_share_denominator: int = 3
    runoff_spoiled_counted_in_total: bool = True
    runoff_two_tier: bool = False  # Henan Art. 38
    vacancy_allowed_if_elected_at_least: int = 3

    # Proxies (OL §15 ¶4; LAW.md §2.8).
    proxy_max_per_holder: int | None = None
    proxy_request_days_before: int | None = None
    proxy_publish_days_before: int | None = None
    proxy_holder_not_candidate: bool = False
    proxy_must_be_announced: bool = False
    proxy_holder_relations: tuple[str, ...] = tuple(CLOSE_RELATIVES)

    # After the vote (OL §20, §34).
    handover_days: int = 10
    seal_handover_same_day: bool = False
    ballots_kept_years: int = 3

    register_change_reasons: dict[str, str] = field(default_factory=lambda: dict(REGISTER_CHANGE_REASONS))

    # Whose register the voter stage keeps: the villagers of one village (``voters.eligibility``).
    registration = "village"

    def surplus_for(self, post: str) -> Surplus:
        return {"chair": self.surplus_chair, "vice_chair": self.surplus_vice_chair}.get(post, self.surplus_member)

    # What the shared results engine (``ballots.results``) asks of every kind's parameters.
    results_wording = "committee"  # its closing sentences speak of the 村民委员会
    further_runoff_allowed = True  # after a runoff, seats still empty may go to another runoff (ZJ Art. 30)

    @property
    def runoff_needs_quorum(self) -> bool:
        """A runoff is valid only with more than half of the registered voters (Henan's two tiers)."""
        return self.runoff_two_tier

    def runoff_candidates_needed(self, post: str, unfilled: int) -> int:
        """How many stand in the runoff for ``unfilled`` seats of ``post``: the preset's 差额 (ZJ Art. 29)."""
        return unfilled + self.surplus_for(post).min_extra

    @property
    def results_citations(self) -> dict[str, tuple]:
        return {
            "win": (OL_2018.art(15, 2),),
            "ties": (ZHEJIANG_2020.art(28), HENAN_2011.art(36)),
            "runoff_list": (OL_2018.art(15, 2), ZHEJIANG_2020.art(29)),
            "runoff_quorum": (HENAN_2011.art(38),),
            "complete": (OL_2018.art(6, 1),),
            "vacancies": (ZHEJIANG_2020.art(30),),
        }

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RuleParameters:
        """Build parameters from stored JSON; unknown keys are an error, missing keys take defaults."""
        values = known_parameters(cls, data)
        for name in ("surplus_chair", "surplus_vice_chair", "surplus_member"):
            if isinstance(values.get(name), dict):
                values[name] = Surplus(**values[name])
        params = cls(**values)
        params.validate()
        return params

    def validate(self) -> None:
        problems = []
        if not 1 <= self.committee_size_min <= self.committee_size_max:
            problems.append("村委会成员职数的下限和上限不合理")
        if self.committee_size_min < 3 or self.committee_size_max > 7:
            problems.append("村委会成员职数必须在3至7人之间（村民委员会组织法第六条）")
        if self.multi_post_mode not in (EXCLUSIVE, CASCADE_DOWN):
            problems.append("多职务计票方式无效")
        if self.candidate_order not in (ORDER_BY_VOTES, ORDER_BY_STROKES):
            problems.append("候选人排序方式无效")
        if self.invalidate_scope not in (INVALIDATE_POST, INVALIDATE_BALLOT):
            problems.append("多选票无效范围无效")
        for surplus in (self.surplus_chair, self.surplus_vice_chair, self.surplus_member):
            if surplus.min_extra < 1 or (surplus.max_extra is not None and surplus.max_extra < surplus.min_extra):
                problems.append("差额必须至少为1，且上限不小于下限（村民委员会组织法第十五条）")
        if problems:
            raise ValueError("；".join(problems))


@dataclass(frozen=True)
class PresetDefinition:
    code: str
    name: str
    province: str
    overrides: dict[str, Any]
    sources: tuple[str, ...]

    @property
    def params(self) -> RuleParameters:
        return RuleParameters.from_dict(self.overrides)


BUILTIN_PRESETS = (
    PresetDefinition(
        code="VCOL_2018_NATIONAL",
        name="全国默认（村民委员会组织法2018）",
        province="",
        overrides={},
        sources=(str(OL_2018.art(13)), str(OL_2018.art(14)), str(OL_2018.art(15))),
    ),
    PresetDefinition(
        code="ZHEJIANG_2020",
        name="浙江省村民委员会选举办法（2020）",
        province="浙江省",
        overrides={
            "election_committee_size_min": 5,
            "election_committee_size_max": 9,
            "nomination_modes": [MODE_CANDIDATES, MODE_SELF_NOMINATION],
            "multi_post_mode": EXCLUSIVE,
            "woman_seat_reserved": True,
            "candidate_list_days_before": 5,
            "self_nominee_register_days_before": 10,
            "candidate_withdraw_days_before": 3,
            "proxy_max_per_holder": 3,
            "proxy_request_days_before": 3,
            "proxy_must_be_announced": True,
            "proxy_holder_not_candidate": True,
            "mobile_box_needs_township_approval": True,
            "runoff_within_days": 30,
            "relatives_leave_committee": True,
        },
        sources=(str(ZHEJIANG_2020.art(8)), str(ZHEJIANG_2020.art(25)), str(ZHEJIANG_2020.art(29))),
    ),
    PresetDefinition(
        code="BEIJING_2012",
        name="北京市村民委员会选举办法（2012）",
        province="北京市",
        overrides={
            "election_committee_size_min": 5,
            "election_committee_size_max": 9,
            "surplus_chair": {"min_extra": 1, "max_extra": 2},
            "surplus_vice_chair": {"min_extra": 1, "max_extra": 2},
            "surplus_member": {"min_extra": 1, "max_extra": 2},
            "proxy_max_per_holder": 3,
            "proxy_holder_not_candidate": True,
            "runoff_within_days": 15,
            "appeals_written_only": True,
        },
        sources=(str(BEIJING_2012.art(16)), str(BEIJING_2012.art(25)), str(BEIJING_2012.art(30))),
    ),
    PresetDefinition(
        code="SHANGHAI_2020",
        name="上海市村民委员会选举办法（2020）",
        province="上海市",
        overrides={
            "election_committee_size_min": 7,
            "election_committee_size_max": 9,
            "surplus_chair": {"min_extra": 1, "max_extra": 1},
            "surplus_vice_chair": {"min_extra": 1, "max_extra": 1},
            "surplus_member": {"min_extra": 1, "max_extra": 3},
            "proxy_max_per_holder": 3,
            "proxy_request_days_before": 5,
            "proxy_publish_days_before": 2,
            "runoff_within_days": 30,
            "seal_handover_same_day": True,
        },
        sources=(str(SHANGHAI_2020.art(12)), str(SHANGHAI_2020.art(16)), str(SHANGHAI_2020.art(21))),
    ),
    PresetDefinition(
        code="HENAN_2011",
        name="河南省实施村民委员会组织法办法（2011）",
        province="河南省",
        overrides={
            "election_committee_size_min": 7,
            "election_committee_size_max": 9,
            "surplus_chair": {"min_extra": 1, "max_extra": 1},
            "surplus_vice_chair": {"min_extra": 1, "max_extra": 1},
            "surplus_member": {"min_extra": 1, "max_extra": 2},
            "multi_post_mode": CASCADE_DOWN,
            "separate_sheets_per_post": True,
            "proxy_max_per_holder": 3,
            "runoff_two_tier": True,
            "appeals_written_only": True,
            "ballots_kept_years": 3,
        },
        sources=(str(HENAN_2011.art(24)), str(HENAN_2011.art(30)), str(HENAN_2011.art(38))),
    ),
)
