"""县乡两级人民代表大会代表直接选举 as a kind: parameters, presets and calendar (LAW.md §3).

One kind with two levels: a county's round elects county deputies in districts across the county, a
township's round elects township deputies; both are usually held on one day (县乡同步). The unit is
the 选区 (``villages.models.Constituency``), with one post, 代表, and 1 to 3 seats per district.
Thresholds use integer arithmetic (LAW.md §0.1): each share is a (numerator, denominator) pair and a
flag says whether the test is strict (``超过``) or inclusive (``不少于``).

This module never imports the ORM.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ..law import ELECTION_LAW_2020, ZHEJIANG_NPC
from ..presets import (
    EXCLUSIVE,
    INVALIDATE_BALLOT,
    INVALIDATE_POST,
    ORDER_BY_STROKES,
    ORDER_BY_VOTES,
    PresetDefinition,
    known_parameters,
)
from . import COUNTY, TOWNSHIP, UNIT_DISTRICT, Kind, Post

CODE = "deputies"

# Nomination methods (Art. 30 ¶2).
NOMINATED_BY_PARTY_OR_ORGANISATION = "party_organisation"  # 各政党、各人民团体，联合或者单独推荐
NOMINATED_BY_VOTERS_JOINTLY = "voters_jointly"  # 选民十人以上联名推荐
NOMINATION_METHOD_LABELS = {
    NOMINATED_BY_PARTY_OR_ORGANISATION: "各政党、各人民团体联合或者单独推荐",
    NOMINATED_BY_VOTERS_JOINTLY: "选民十人以上联名推荐",
}


# Changes to the long-term register between two terms (Art. 27 ¶1): who is added, who is removed.
REGISTER_CHANGE_REASONS = {
    "ADD_NEW_18": "新满十八周岁",
    "ADD_RIGHTS_RESTORED": "被剥夺政治权利期满后恢复政治权利",
    "ADD_MOVED_IN": "迁入本选区",
    "ADD_PROOF_RESIDENT": "持原选区选民资格证明在现居住地登记",
    "REM_DEAD": "死亡",
    "REM_DEPRIVED": "依照法律被剥夺政治权利",
    "REM_MOVED_OUT": "迁出本选区（列入新迁入地选区的选民名单）",
    "REM_INCAPABLE": "精神病患者不能行使选举权利（经选举委员会确认）",
}
# Art. 42: a voter away during the election may give a written proxy to another voter.
OTHER_VOTER = "OTHER_VOTER"


@dataclass(frozen=True)
class DeputyRuleParameters:
    """Every parameter of a 人大 deputies' round, with the national default of the Election Law 2020."""

    # Seat totals, Art. 12 (villages.kinds.deputy_seats).
    county_base: int = 140
    county_per: int = 5000
    county_cap: int = 450
    county_cap_above_population: int = 1_550_000
    county_small_below_population: int = 50_000
    township_base: int = 45
    township_per: int = 1500
    township_cap: int = 160
    township_small_below_population: int = 2000
    extra_percent: int = 5  # Art. 12 ¶3, where the provincial standing committee decides

    # 选区, Arts. 25–26 (villages.kinds.districting). The deviation is an office check, not law.
    district_seats_min: int = 1
    district_seats_max: int = 3
    district_deviation_percent: int = 20
    county_district_may_split_village: bool = False

    # Election committee, Art. 10.
    committee_member_leaves_when_nominated: bool = True

    # Register and voter list, Arts. 27–29.
    register_valid_long_term: bool = True
    voter_list_publish_days_before: int = 20
    voter_appeal_window_days: int = 5
    voter_appeal_decision_days: int = 3
    court_filing_days_before: int = 5
    count_start_day: bool = False  # Civil Code Art. 201
    unreachable_reregister_days_before: int | None = None  # ZJ NPC Art. 29: E−12
    leap_day_birthday_turns_on_march_1: bool = True
    minimum_age: int = 18
    late_appeals_refused: bool = True
    register_change_reasons: dict[str, str] = field(default_factory=lambda: dict(REGISTER_CHANGE_REASONS))

    # Nomination and lists, Arts. 30–32.
    nomination_methods: tuple[str, ...] = (NOMINATED_BY_PARTY_OR_ORGANISATION, NOMINATED_BY_VOTERS_JOINTLY)
    joint_nominators_min: int = 10
    nominations_per_nominator_max_is_seats: bool = True
    surplus_min: tuple[int, int] = (1, 3)  # 多于应选名额三分之一 …
    surplus_max: tuple[int, int] = (1, 1)  # … 至一倍 (Art. 31 ¶2)
    initial_candidate_list_days_before: int = 15
    formal_candidate_list_days_before: int = 7
    candidate_order: str = ORDER_BY_STROKES

    # Voting, Arts. 38–42.
    proxy_max_per_holder: int = 3
    proxy_needs_committee_consent: bool = True
    proxy_holder_relations: tuple[str, ...] = (OTHER_VOTER,)
    proxy_request_days_before: int | None = None
    proxy_publish_days_before: int | None = None  # ZJ NPC Art. 43: the committee *may* publish
    proxy_holder_not_candidate: bool = False
    proxy_must_be_announced: bool = False
    mobile_box_min_staff: int | None = None  # ZJ NPC Art. 40: 2

    # Counting, Arts. 43–44, under the names the shared ballot stage reads. A ballot that elects more than
    # the seats is void as a whole (Art. 44); a voter marks one post, the district's deputies.
    invalidate_scope: str = INVALIDATE_BALLOT
    invalid_ballot_warning_percent: int = 3
    mobile_box_needs_township_approval: bool = False
    multi_post_mode = EXCLUSIVE
    separate_sheets_per_post = False

    # Results, Art. 45: valid when 2*voted > registered; elected when 2*votes > voted.
    validity_share: tuple[int, int] = (1, 2)
    validity_strict: bool = True
    win_share: tuple[int, int] = (1, 2)
    win_strict: bool = True
    # 另行选举: most votes wins, not fewer than one third of the ballots (3*votes >= ballots).
    runoff_min_share: tuple[int, int] = (1, 3)
    runoff_min_strict: bool = False
    runoff_candidates_for_one_seat: int = 2
    runoff_within_days: int | None = None  # national law silent: the same day unless the preset says
    further_runoff_allowed: bool = True  # national law silent [U]; ZJ NPC Art. 49: no

    # Whose register the voter stage keeps: the voters of a 选区 (``voters.eligibility``).
    registration = UNIT_DISTRICT

    # What the shared results engine (``ballots.results``) asks of every kind's parameters (Art. 45).
    results_wording = "district"  # its closing sentences speak of the district's deputies
    committee_size_min = 0  # a district may end with a seat empty, filled later by a by-election (Art. 57)
    vacancy_allowed_if_elected_at_least = 0
    woman_seat_reserved = False
    require_woman_member = False
    runoff_two_tier = False
    runoff_spoiled_counted_in_total = True  # 选票的三分之一: every ballot cast
    runoff_needs_quorum = True  # a runoff, too, is valid only when more than half of the voters vote

    @property
    def runoff_min_share_numerator(self) -> int:
        return self.runoff_min_share[0]

    @property
    def runoff_min_share_denominator(self) -> int:
        return self.runoff_min_share[1]

    def runoff_candidates_needed(self, post: str, unfilled: int) -> int:
        """Art. 45: the runoff list in the Art. 31 ratio (at least one third more than the seats); for one
        seat exactly ``runoff_candidates_for_one_seat`` (2)."""
        if unfilled == 1:
            return self.runoff_candidates_for_one_seat
        num, den = self.surplus_min
        return unfilled + -(-unfilled * num // den)

    @property
    def results_citations(self) -> dict[str, tuple]:
        art = ELECTION_LAW_2020.art
        return {
            "win": (art(45),),
            "ties": (art(45),),
            "runoff_list": (art(45), art(31, 2)),
            "runoff_quorum": (art(45),),
            "complete": (art(45),),
            "vacancies": (ZHEJIANG_NPC.art(49),) if not self.further_runoff_allowed else (art(45),),
        }

    @property
    def candidate_list_days_before(self) -> int:
        """The formal list's deadline under the name the shared chronology uses (Art. 32 ¶1: E−7)."""
        return self.formal_candidate_list_days_before

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DeputyRuleParameters:
        """Parameters from stored JSON; unknown keys are an error, missing keys take defaults."""
        params = cls(**known_parameters(cls, data))
        params.validate()
        return params

    def validate(self) -> None:
        problems = []
        if not 1 <= self.district_seats_min <= self.district_seats_max:
            problems.append("每个选区的代表名额下限和上限不合理")
        if self.district_seats_max > 3:
            problems.append("每一选区选一名至三名代表（选举法第二十五条）")
        if not 0 < self.district_deviation_percent < 100:
            problems.append("选区人口偏差提示比例应在1%至99%之间")
        unknown = set(self.nomination_methods) - set(NOMINATION_METHOD_LABELS)
        if unknown or not self.nomination_methods:
            problems.append("提名方式无效")
        for share in (self.surplus_min, self.surplus_max, self.validity_share, self.win_share, self.runoff_min_share):
            if len(share) != 2 or share[1] <= 0 or share[0] < 0:
                problems.append("比例参数应为（分子，分母）且分母大于0")
        if self.candidate_order not in (ORDER_BY_VOTES, ORDER_BY_STROKES):
            problems.append("候选人排序方式无效")
        # The results engine applies Art. 45's thresholds as the law words them; a preset cannot change them.
        if (tuple(self.validity_share), self.validity_strict, tuple(self.win_share), self.win_strict) != ((1, 2), True, (1, 2), True):
            problems.append("选举有效和当选均须“超过半数”（选举法第四十五条）")
        if self.runoff_min_strict:
            problems.append("另行选举的当选下限为“不少于”选票的一定比例（选举法第四十五条）")
        if self.invalidate_scope not in (INVALIDATE_POST, INVALIDATE_BALLOT):
            problems.append("无效票处理范围无效")
        if self.mobile_box_min_staff is not None and self.mobile_box_min_staff < 1:
            problems.append("流动票箱工作人员人数应为正数")
        if problems:
            raise ValueError("；".join(problems))


@dataclass(frozen=True)
class Deadline:
    code: str
    label: str
    day: date
    citation: str


def calendar(election_day: date, params: DeputyRuleParameters, *, published_on: date | None = None) -> list[Deadline]:
    """The legal deadlines of one round (LAW.md §3.12), from its election day.

    The appeal window runs from the day the list is published (``published_on``; until then the
    latest lawful day, E−20) and the start day is not counted (Civil Code Art. 201, LAW.md §0.2).
    """
    art = ELECTION_LAW_2020.art
    published = published_on or election_day - timedelta(days=params.voter_list_publish_days_before)
    offset = -1 if params.count_start_day else 0
    appeals_close = published + timedelta(days=params.voter_appeal_window_days + offset)
    items = [
        Deadline("voter_list", "公布选民名单", election_day - timedelta(days=params.voter_list_publish_days_before), str(art(28))),
        Deadline("appeals_close", "对选民名单提出申诉截止", appeals_close, str(art(29))),
        Deadline("appeal_decisions", "选举委员会作出申诉处理决定", appeals_close + timedelta(days=params.voter_appeal_decision_days), str(art(29))),
        Deadline("initial_list", "公布初步代表候选人名单", election_day - timedelta(days=params.initial_candidate_list_days_before), str(art(32, 1))),
        Deadline("court_filing", "向人民法院起诉截止", election_day - timedelta(days=params.court_filing_days_before), str(art(29))),
        Deadline("formal_list", "公布正式代表候选人名单", election_day - timedelta(days=params.formal_candidate_list_days_before), str(art(32, 1))),
        Deadline("election_day", "选举日", election_day, str(art(11))),
    ]
    if params.unreachable_reregister_days_before is not None:
        items.append(
            Deadline(
                "reregister",
                "登记期间无法联系者补登截止",
                election_day - timedelta(days=params.unreachable_reregister_days_before),
                str(ZHEJIANG_NPC.art(29)),
            )
        )
    return sorted(items, key=lambda item: item.day)


# What each deadline waits for, from the facts recorded on a district's election.
_DONE_BY = {
    "voter_list": "voter_list_published_on",
    "appeal_decisions": "appeals_all_decided_on",
    "formal_list": "candidate_list_published_on",
}


def legal_calendar(facts, params: DeputyRuleParameters, *, today: date) -> list:
    """The legal calendar of one 选区's election as ``villages.legal_calendar.CalendarItem``s, as
    of ``today``: every deadline of ``calendar`` with its status from the facts recorded
    (``CalendarFacts``). The appeal window is pending until the list is published and closes by
    itself; the other steps are done on the day recorded; nothing is due once the vote is held."""
    from ..legal_calendar import DONE, DUE, PENDING, SKIPPED, CalendarItem, status_of

    items = []
    for deadline in calendar(facts.election_day, params, published_on=facts.voter_list_published_on):
        done_on = getattr(facts, _DONE_BY[deadline.code]) if deadline.code in _DONE_BY else None
        if deadline.code == "election_day":
            status = DONE if facts.results_announced_on else (DUE if today <= deadline.day else PENDING)
        elif deadline.code == "appeals_close":
            status = PENDING if facts.voter_list_published_on is None else (DONE if today > deadline.day else DUE)
        elif deadline.code in ("court_filing", "reregister", "initial_list") and done_on is None:
            status = DONE if today > deadline.day else DUE
        else:
            status = status_of(deadline.day, done_on, today)
            if done_on is None and today > facts.election_day:
                status = SKIPPED
        items.append(
            CalendarItem(
                code=deadline.code,
                label=deadline.label,
                deadline=deadline.day,
                done_on=done_on,
                status=status,
                rule=deadline.citation,
            )
        )
    return items


PRESETS = (
    PresetDefinition(
        code="NPC_2020_NATIONAL",
        name="全国默认（选举法2020，县乡两级人大代表直接选举）",
        province="",
        overrides={},
        sources=(
            str(ELECTION_LAW_2020.art(12)),
            str(ELECTION_LAW_2020.art(25)),
            str(ELECTION_LAW_2020.art(29)),
            str(ELECTION_LAW_2020.art(31, 2)),
            str(ELECTION_LAW_2020.art(45)),
        ),
    ),
    PresetDefinition(
        code="ZHEJIANG_NPC",
        name="浙江省县、乡两级人民代表大会代表选举实施细则（2021）",
        province="浙江省",
        overrides={
            "mobile_box_min_staff": 2,
            "unreachable_reregister_days_before": 12,
            "further_runoff_allowed": False,
        },
        sources=(str(ZHEJIANG_NPC.art(29)), str(ZHEJIANG_NPC.art(40)), str(ZHEJIANG_NPC.art(49))),
    ),
)

DEPUTIES = Kind(
    code=CODE,
    label="人民代表大会代表选举",
    unit=UNIT_DISTRICT,
    unit_label="选区",
    levels=(COUNTY, TOWNSHIP),
    posts=(Post("deputy", "代表", 1, 3),),
    nomination_methods=tuple(NOMINATION_METHOD_LABELS.items()),
    parameters=DeputyRuleParameters,
    presets=PRESETS,
    committee_label="选举委员会",
    legal_calendar=legal_calendar,
    stage_apps=frozenset({"villages", "voters", "candidates", "ballots", "archive"}),
    # No 工作移交: once the result is announced the 代表资格审查委员会 reviews the deputies' credentials
    # (Art. 49); the election is archived once its result is certified.
    has_handover=False,
    stage_names=(("handover", "代表资格审查"),),
    stage_date_names=(("handover", "选举结果公布日期"), ("archived", "归档日期")),
)
