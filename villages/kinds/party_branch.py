"""村党组织换届选举 as a kind: a village Party organisation elects its committee (LAW.md §4).

The unit is the Party organisation (村党支部, 党总支 or 村党委); the electorate its full members (正式党员,
2020 条例 Art. 5). The 党员大会 elects the committee's members (委员); the committee then elects the 书记 and
副书记, 等额 by default, and the upper level approves (LAW.md §4.2). A branch with fewer than seven full
members elects a 书记 only (LAW.md §4.3). The candidates come through one of three nomination methods
(LAW.md §4.4): 两推一选, 公推直选 and 两票制 (the villagers' 信任票 first).

Every parameter below carries its source and LAW.md's tag: [V2] read in a secondary or partial source, [U]
unverified — a default the office must confirm, kept as a parameter. Nothing in §4 is [V]. Thresholds are
(numerator, denominator) pairs with a flag for strict (``超过``) or inclusive (``不少于``, ``以上``) tests
(LAW.md §0.1); ``villages.kinds.party_rules`` applies them with integers.

This module never imports the ORM.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..law import (
    CPC_BRANCH_RULES_2018,
    CPC_ELECTIONS_2020,
    CPC_HANDBOOK,
    CPC_PRESENT_MAJORITY,
    CPC_QA_ATTENDANCE,
    CPC_RURAL_RULES_2019,
    REFERENCE_002,
)
from ..presets import (
    EXCLUSIVE,
    INVALIDATE_BALLOT,
    INVALIDATE_POST,
    ORDER_BY_STROKES,
    ORDER_BY_VOTES,
    PresetDefinition,
    known_parameters,
)
from .. import stages as stage_codes
from ..stages import REGISTRATION as REGISTRATION_STAGE
from . import TOWNSHIP, UNIT_PARTY_ORGANISATION, Kind, Post

CODE = "party_branch"

# Nomination methods (LAW.md §4.4 [V2]), each a sequence of stages run by the later stage apps.
TWO_RECOMMENDATIONS = "two_recommendations"  # 两推一选: members' + villagers' recommendation → township → 党员大会
OPEN_RECOMMENDATION = "open_recommendation"  # 公推直选: open recommendation, members elect 书记 and 委员 directly
TWO_BALLOTS = "two_ballots"  # 两票制: villagers' 信任票, then the members' 选举票
NOMINATION_METHOD_LABELS = {
    TWO_RECOMMENDATIONS: "两推一选",
    OPEN_RECOMMENDATION: "公推直选",
    TWO_BALLOTS: "两票制",
}

# Members not counted as 应到会, with the upper level's consent and the 党员大会's vote (LAW.md §4.2 [V2]:
# the 中组部 answer on 共产党员网, 2016).
EXCUSED_ILL = "ill"
EXCUSED_ABROAD = "abroad"
EXCUSED_SENTENCED = "sentenced"
EXCUSED_FRAIL = "frail"
EXCUSED_AWAY = "away"
EXCUSED_CATEGORY_LABELS = {
    EXCUSED_ILL: "患精神病或者其他疾病导致不能表达本人意志的",
    EXCUSED_ABROAD: "自费出国半年以上的",
    EXCUSED_SENTENCED: "虽未受到留党察看以上党纪处分，但正在服刑的",
    EXCUSED_FRAIL: "年老体弱、卧床不起和长期生活不能自理的",
    EXCUSED_AWAY: "工作调动、下派锻炼、外出学习或者工作半年以上，应转走组织关系而没有转走的",
}

# The base of a share in a recommendation or confidence vote. LAW.md §4.4 [U]: the base of 两票制's "half"
# (votes cast or villagers) is not specified; reference 000 篇2 measures against those taking part (参选人数).
BASE_VOTED = "voted"  # 参加投票（推荐）的人数
BASE_ELECTORATE = "electorate"  # 应参加投票（推荐）的人数
# What a ratio of preliminary candidates is counted on (reference 002 and 003; [U]).
RATIO_OF_SEATS = "seats"  # 应选名额
RATIO_OF_CANDIDATES = "formal_candidates"  # 正式候选人数


def is_share(value: Any) -> bool:
    """A (numerator, denominator) pair of ints, the denominator positive."""
    if not (isinstance(value, tuple) and len(value) == 2):
        return False
    if any(isinstance(v, bool) or not isinstance(v, int) for v in value):
        return False
    return value[0] >= 0 and value[1] > 0


@dataclass(frozen=True)
class PartyElectionParameters:
    """What the village branch and the township congress delegates' elections share: both are elections of a
    primary-level (基层) organisation under the 2020 条例 (LAW.md §4.1, §4.5), at a 党员大会."""

    # Term and approval (LAW.md §4.2, §4.3).
    term_years: int = 5  # village organisations and the township committee: 5 years (农村基层组织工作条例 2019) [V2]
    term_delay_max_years: int = 1  # delay or advance with upper-level approval, normally ≤ 1 year (2020 Art. 3) [V2]
    plan_needs_upper_approval: bool = True  # upper-level review and consent of the candidates (2020 Art. 14) [V2]
    results_need_upper_approval: bool = True  # those elected are reported for approval (local rule, 1990 basis) [V2]
    delegate_meeting_members_min: int = 500  # ≥ 500 members: a 党员代表大会 may be held, with approval (2020 Art. 4) [V2]

    # Who should attend: 应到会 = members with voting rights − the excused (中组部 Q&A 2016) [V2].
    excused_categories: tuple[str, ...] = tuple(EXCUSED_CATEGORY_LABELS)
    excused_away_months_min: int = 6  # "半年以上" for the abroad and away categories [V2]
    excusal_needs_upper_consent: bool = True  # [V2]
    excusal_needs_meeting_vote: bool = True  # [V2]

    # Quorum: 有选举权的到会人数超过应到会人数的五分之四, ``5*present > 4*expected`` (1990 rule via 共产党员网 Q&A;
    # the same 4/5 in 2020 commentary) [V2]; the 2020 article number [U]; some sources say 不少于, default strict.
    quorum_share: tuple[int, int] = (4, 5)
    quorum_strict: bool = True

    # Candidates. 委员 candidates exceed the seats by at least 20% (2020 Art. 13: 不少于; 1990 Art. 12: 为) [V2]:
    # ``candidates >= seats + ceil(seats/5)``. 书记 and 副书记 等额 (2011 township sample) [U] for the 2020 text.
    member_surplus_share: tuple[int, int] = (1, 5)
    secretary_contested: bool = False
    candidate_order: str = ORDER_BY_STROKES  # by surname strokes; 书记/副书记 in the approved order (2020 Art. 24) [V2]

    # Voting (2020 Arts. 24–25) [V2]: no proxies; a member unable to write asks a non-candidate; for, against,
    # abstain, and 另选他人 where the local rules say so. A ballot electing more than the seats is invalid
    # (local rules under the 1990 条例; 2011 sample) [V2].
    proxy_allowed: bool = False
    writer_not_candidate: bool = True
    write_in_allowed: bool = True
    invalidate_scope: str = INVALIDATE_BALLOT

    # Winning: 赞成票超过实到会有选举权的人数的一半, ``2*yes > present`` — the members present, not the ballots and
    # not 应到会 (that is the local party organisations' rule, out of scope); exactly half loses [V2]; the 2020
    # article number [U]. A shortfall is not filled from those below half: another round, or, close to the
    # seat count, fewer seats with the meeting's majority consent (旗帜网 handbook) [V2].
    win_share: tuple[int, int] = (1, 2)
    win_strict: bool = True
    shortfall_filled_from_below_half: bool = False
    seats_may_be_reduced: bool = True
    # The committee elects the 书记 and 副书记 (local rule, 1990 basis) [V2]; 公推直选 elects them at the
    # 党员大会 (LAW.md §4.4), whatever this says (``party_rules.secretary_elected_by_members``).
    secretary_elected_by_committee: bool = True

    # Whose register the voter stage keeps: the Party organisation's members (``voters``, ``kinds.party_members``).
    registration = UNIT_PARTY_ORGANISATION

    # What the shared results engine (``ballots.results``) asks of every kind's parameters. One 党员大会 votes
    # at one place: no mobile box, no proxies; a ballot marks the 委员 (one post), 另选他人 per ``write_in_allowed``.
    results_base = "present"  # quorum on 应到会 (``quorum_share``), winning on the members present (``win_share``)
    results_wording = "party"
    committee_size_min = 1
    # A shortfall never stays by itself: the office records another round or fewer seats (``ballots``).
    vacancy_allowed_if_elected_at_least = 10**6
    further_runoff_allowed = True
    woman_seat_reserved = False
    require_woman_member = False
    multi_post_mode = EXCLUSIVE
    separate_sheets_per_post = False
    invalid_ballot_warning_percent = 3
    mobile_box_needs_township_approval = False
    mobile_box_min_staff = None
    runoff_two_tier = False
    runoff_needs_quorum = True
    runoff_spoiled_counted_in_total = True
    runoff_min_share_numerator = 1
    runoff_min_share_denominator = 2

    def seats_minimum(self, post: str) -> int:
        """The fewest seats a shortfall may be reduced to (a committee keeps its minimum, 支部工作条例)."""
        return 1

    def runoff_candidates_needed(self, post: str, unfilled: int) -> int:
        """Another round among the not elected, with the 委员's 差额 (2020 Art. 13): at least 20% more."""
        num, den = self.member_surplus_share
        return unfilled + -(-unfilled * num // den)

    @property
    def results_citations(self) -> dict[str, tuple]:
        return {
            "win": (CPC_PRESENT_MAJORITY,),
            "ties": (CPC_PRESENT_MAJORITY,),
            "runoff_list": (CPC_PRESENT_MAJORITY, CPC_HANDBOOK, CPC_ELECTIONS_2020.art(13)),
            "runoff_quorum": (CPC_QA_ATTENDANCE,),
            "complete": (CPC_PRESENT_MAJORITY,),
            "vacancies": (CPC_PRESENT_MAJORITY, CPC_HANDBOOK),
        }

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        """Parameters from stored JSON; unknown keys are an error, missing keys take defaults."""
        params = cls(**known_parameters(cls, data))
        params.validate()
        return params

    def _shares(self) -> tuple[tuple[str, Any], ...]:
        return tuple((f.name, getattr(self, f.name)) for f in dataclasses.fields(self) if f.name.endswith("_share"))

    def problems(self) -> list[str]:
        problems = []
        for name, value in self._shares():
            if value is not None and not is_share(value):
                problems.append(f"比例参数{name}应为（分子，分母）且分母大于0")
        unknown = set(self.excused_categories) - set(EXCUSED_CATEGORY_LABELS)
        if unknown:
            problems.append("不列入应到会人数的情形无效")
        if is_share(self.quorum_share) and 2 * self.quorum_share[0] <= self.quorum_share[1]:
            problems.append("到会人数须多于应到会人数的半数")
        # What LAW.md §4.2 states outright [V2] is not a preset's choice.
        if (tuple(self.win_share), self.win_strict) != ((1, 2), True):
            problems.append("被选举人须获得超过实到会有选举权人数一半的赞成票始得当选，恰好半数不能当选")
        if self.shortfall_filled_from_below_half:
            problems.append("当选人数少于应选名额时，不得从得票未过半数的人中依次递补")
        if self.proxy_allowed:
            problems.append("党内选举不得委托他人代为投票（基层组织选举工作条例第二十四条）")
        if is_share(self.member_surplus_share) and 5 * self.member_surplus_share[0] < self.member_surplus_share[1]:
            problems.append("委员候选人的差额不得少于应选名额的20%（基层组织选举工作条例第十三条）")
        if self.candidate_order not in (ORDER_BY_STROKES, ORDER_BY_VOTES):
            problems.append("候选人排序方式无效")
        if self.invalidate_scope not in (INVALIDATE_POST, INVALIDATE_BALLOT):
            problems.append("多选的无效范围无效")
        if self.term_years < 1 or self.term_delay_max_years < 0 or self.excused_away_months_min < 1:
            problems.append("任期、延期或外出期限不合理")
        return problems

    def validate(self) -> None:
        problems = self.problems()
        if problems:
            raise ValueError("；".join(problems))


@dataclass(frozen=True)
class BranchRuleParameters(PartyElectionParameters):
    """Every parameter of a village Party organisation's election, with the national default (LAW.md §4)."""

    # Structure (支部工作条例（试行）2018, LAW.md §4.3) [V2]: a branch needs ≥ 3 full members; with ≥ 7 it has a
    # 支部委员会 of 3–5 (generally ≤ 7) with 1 副书记 if needed; below 7 a 书记 only (plus a possible 副书记).
    branch_members_min: int = 3
    committee_members_min: int = 7
    branch_committee_size_min: int = 3
    branch_committee_size_max: int = 5
    deputy_secretary_max: int = 1
    # Committee size by the village's population (reference 002, a county's rule, local practice) [U]:
    # "2000人以下配3名，2000人以上配5名". Both words include 2000 (LAW.md §0.1); exactly the threshold takes
    # the smaller size. None: no such rule.
    committee_size_population_threshold: int | None = None
    committee_size_up_to_threshold: int = 3
    committee_size_above_threshold: int = 5

    # Nomination (LAW.md §4.4) [V2].
    nomination_methods: tuple[str, ...] = (TWO_RECOMMENDATIONS, OPEN_RECOMMENDATION, TWO_BALLOTS)
    # 两票制: only those with more than half of the 信任票 become candidates [V2]; the base [U].
    # Reference 002: "都得信任票70%以上" (≥ 70%, inclusive).
    confidence_min_share: tuple[int, int] = (1, 2)
    confidence_min_strict: bool = True
    confidence_share_base: str = BASE_VOTED
    # 两推一选: no national minimum share of the recommendation votes (reference 000 篇2, a county's rule:
    # 群众推荐票未超过参选人数的50%的不予审批). None: none.
    recommendation_min_share: tuple[int, int] | None = None
    recommendation_min_strict: bool = True
    recommendation_share_base: str = BASE_VOTED
    # A recommendation or confidence vote's minimum turnout: none nationally (a 2022 Shanxi pilot: ≥ 85%,
    # LAW.md §4.4, local practice). None: reported, not required.
    stage_turnout_min_share: tuple[int, int] | None = None
    # Preliminary candidates in a ratio, by votes, among those above the minimum (reference 002: 1:1.5) [U].
    # None: everyone above the minimum share. The ratio is counted on ``preliminary_ratio_base`` and rounded down
    # (reference 002 printed 7 preliminary candidates for 5 formal ones, 5 × 1.5 = 7.5) [U].
    preliminary_ratio: tuple[int, int] | None = None
    preliminary_ratio_base: str = RATIO_OF_SEATS

    def problems(self) -> list[str]:
        problems = super().problems()
        if not 1 <= self.branch_members_min <= self.committee_members_min:
            problems.append("成立支部和设立支部委员会的党员人数不合理")
        if not 3 <= self.branch_committee_size_min <= self.branch_committee_size_max <= 7:
            problems.append("支部委员会委员为3至5人，一般不超过7人（支部工作条例）")
        if self.committee_size_population_threshold is not None and not (
            self.branch_committee_size_min <= self.committee_size_up_to_threshold <= self.branch_committee_size_max
            and self.branch_committee_size_min <= self.committee_size_above_threshold <= self.branch_committee_size_max
        ):
            problems.append("按人口确定的委员职数须在支部委员会职数范围内")
        if not 0 <= self.deputy_secretary_max <= 1:
            problems.append("支部一般设副书记1名，可以不设")
        unknown = set(self.nomination_methods) - set(NOMINATION_METHOD_LABELS)
        if unknown or not self.nomination_methods:
            problems.append("候选人产生方式无效")
        if {self.confidence_share_base, self.recommendation_share_base} - {BASE_VOTED, BASE_ELECTORATE}:
            problems.append("推荐票、信任票的计算基数无效")
        if self.preliminary_ratio_base not in (RATIO_OF_SEATS, RATIO_OF_CANDIDATES):
            problems.append("预备人选比例的基数无效")
        num, den = self.confidence_min_share if is_share(self.confidence_min_share) else (1, 1)
        if 2 * num < den or (2 * num == den and not self.confidence_min_strict):
            problems.append("两票制中只有获得过半数信任票的才能成为候选人")
        ratio = self.preliminary_ratio
        if ratio is not None and (not is_share(ratio) or ratio[0] < ratio[1]):
            problems.append("预备人选的比例应不小于1:1")
        return problems

    def seats_minimum(self, post: str) -> int:
        """A branch committee is not reduced below its minimum (3, 支部工作条例)."""
        return self.branch_committee_size_min if post == "member" else 1


# What the calendar's 依据 column says of the election day; the article itself is the citation beneath it.
TERM_RULE = "任期届满按期进行换届选举；需延期或提前的，报上级党组织批准，一般不超过1年"


def legal_calendar(facts, params: PartyElectionParameters, *, today: date) -> list:
    """The legal calendar of one Party election: its day. §4 sets no day-counted deadlines (the term ends and
    the election is held on time, 2020 Art. 3); the stages of each nomination method come with the stage apps."""
    from ..legal_calendar import DONE, DUE, PENDING, CalendarItem

    day = facts.election_day
    status = DONE if facts.results_announced_on else (DUE if today <= day else PENDING)
    return [CalendarItem(code="election_day", label="选举日（党员大会）", deadline=day, done_on=facts.results_announced_on,
                         status=status, rule=TERM_RULE, citation=CPC_ELECTIONS_2020.art(3))]


PRESETS = (
    PresetDefinition(
        code="CPC_BRANCH_2020_NATIONAL",
        name="全国默认（中国共产党基层组织选举工作条例2020，村党组织换届选举）",
        province="",
        overrides={},
        sources=(
            str(CPC_ELECTIONS_2020.art(5)),
            str(CPC_ELECTIONS_2020.art(13)),
            str(CPC_ELECTIONS_2020.art(14)),
            str(CPC_ELECTIONS_2020.art(24)),
            str(CPC_QA_ATTENDANCE),
            str(CPC_PRESENT_MAJORITY),
            str(CPC_BRANCH_RULES_2018),
            str(CPC_RURAL_RULES_2019),
        ),
    ),
    PresetDefinition(
        code="CHONGREN_TWO_BALLOTS",
        name="“两票制”试点做法（江西省崇仁县，参考）",
        province="江西省",
        overrides={
            "nomination_methods": [TWO_BALLOTS],
            "confidence_min_share": [7, 10],
            "confidence_min_strict": False,
            "preliminary_ratio": [3, 2],
            "preliminary_ratio_base": RATIO_OF_CANDIDATES,
            "committee_size_population_threshold": 2000,
        },
        sources=(str(REFERENCE_002), str(CPC_ELECTIONS_2020.art(13))),
    ),
)

# The voters app's pages that belong to a village committee's (or a 选区's) voter list, not to a Party register:
# the list is never posted, so it has no additions and removals to post, no appeals against it, and no proxies.
INAPPLICABLE_PAGES = (
    (
        ("voters:publish", "voters:published-list-pdf", "voters:published-list-xlsx", "voters:list-print",
         "voters:list-print-progress", "voters:list-print-download", "voters:amendment-list", "voters:amendments-pdf",
         "voters:amendment-publish"),
        "选民名单张榜公布",
        "党员名册属于党内资料，不张榜公布：村党组织换届选举的选举人是党员名册中有选举权的正式党员"
        f"（{CPC_ELECTIONS_2020.art(5)}），不公布选民名单，也没有名单的增减公告。",
    ),
    (
        ("voters:appeal-list", "voters:appeals-pdf", "voters:appeal-create", "voters:appeal-decide",
         "voters:appeal-publish"),
        "选民资格申诉",
        "选民资格申诉是对公布的选民名单提出的（村民委员会组织法第十四条）；村党组织换届选举不公布选民名单，"
        "党员的选举权利以党员名册为准，由党组织核实。",
    ),
    (
        ("voters:proxy-list", "voters:proxy-create", "voters:proxy-approve", "voters:proxy-revoke",
         "voters:proxy-publish", "voters:proxy-list-pdf", "voters:proxy-certificates-pdf"),
        "委托投票",
        f"党内选举不得委托他人代为投票（{CPC_ELECTIONS_2020.art(24)}）；不能到会的党员属于规定情形的，经上级党组织同意"
        "并经党员大会通过，可以不列入应到会人数（在党员名册页面登记）。",
    ),
)

# The 工作移交 of a village Party organisation (``archive``): the outgoing committee hands the new one the
# organisation's seal, the Party fee (党费) accounts and the members' register, organisation relationships and the
# organisation's records. Neither LAW.md §4 nor the 条例 read sets a period for it (the 10 days of OL §20 are the
# village committee's) [U]: no deadline is computed. A branch holds no collective assets (those are the village
# committee's and the collective economy's), so the 资产 category is not offered. Keys: ``HandoverItem.Kind``.
HANDOVER_ITEMS = (
    ("seal", "党组织印章"),
    ("finance", "党费收缴、使用和管理账目"),
    ("records", "党员名册、组织关系和党组织档案"),
    ("other", "其他"),
)

PARTY_BRANCH = Kind(
    code=CODE,
    label="村党组织换届选举",
    unit=UNIT_PARTY_ORGANISATION,
    unit_label="村党组织",
    levels=(TOWNSHIP,),
    # The 党员大会 elects the 委员 (the 书记 and 副书记 among them); a branch below 7 full members, a 书记 only.
    posts=(
        Post("secretary", "书记", 1, 1),
        Post("deputy_secretary", "副书记", 0, BranchRuleParameters().deputy_secretary_max),
        Post("member", "委员", 0, BranchRuleParameters().branch_committee_size_max - 1),
    ),
    nomination_methods=tuple(NOMINATION_METHOD_LABELS.items()),
    parameters=BranchRuleParameters,
    presets=PRESETS,
    committee_label="村党组织委员会",
    legal_calendar=legal_calendar,
    # The Party member register is the voters app's register (``party_members``); the nomination pipeline (推荐,
    # 信任投票, 乡镇党委审查, 正式候选人) the candidates app's (``candidates.party_services``); the 党员大会 votes on the
    # ballot stage; the archive certifies, keeps the 工作移交 (``HANDOVER_ITEMS``) and files the records.
    stage_apps=frozenset({"villages", "voters", "candidates", "ballots", "archive"}),
    handover_items=HANDOVER_ITEMS,
    elected_body="村党组织委员会",
    locked_records="党员名册、候选人、党员大会计票和选举结果",
    archived_records="正式候选人名单、党员大会计票统计表、选举结果报告单、报乡镇党委审批的选举结果报告",
    inapplicable_pages=INAPPLICABLE_PAGES,
    stage_names=((REGISTRATION_STAGE, "党员名册登记"), (stage_codes.NOMINATION, "候选人推荐和提名"),
                 (stage_codes.VOTING, "党员大会选举")),
    stage_date_names=((stage_codes.VOTING, "正式候选人名单公布日期"),
                      (stage_codes.HANDOVER, "新一届村党组织委员会产生日期")),
    # The register is never posted (``INAPPLICABLE_PAGES``): from 党员名册登记 straight to the nomination pipeline,
    # whose formal list opens the 党员大会; a shortfall's another round is the runoff (only where the office decided
    # on one, ``ballots.requirements``); then the archive's 工作移交 and 归档.
    stage_sequence=(stage_codes.PREPARATION, REGISTRATION_STAGE, stage_codes.NOMINATION, stage_codes.VOTING,
                    stage_codes.RUNOFF, stage_codes.HANDOVER, stage_codes.ARCHIVED),
)
