"""乡镇党代表大会代表选举 as a kind: the delegates to a township Party congress (LAW.md §4.5).

The township committee allocates its delegates (usually 100–200, at most 300) to electoral units — one
branch, or several small ones together — by members and breadth of representation; each unit's 党员大会
elects its delegates from a list at least 20% longer than its seats, under the same 4/5 quorum and
"more than half of those present" as a branch election (LAW.md §4.2, §4.5). The province adds composition
rules for the delegates as a whole (reference 003: cadres ≤ 60%, under 45 ≥ 50%, women and minorities at
least their share among the members); LAW.md gives no national figures, so they are parameters, off in
the national default (``villages.kinds.party_composition`` checks them).

This module never imports the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..law import CPC_ELECTIONS_2020, CPC_PRESENT_MAJORITY, CPC_QA_ATTENDANCE, CPC_RURAL_RULES_2019, REFERENCE_003
from ..presets import PresetDefinition
from . import TOWNSHIP, UNIT_PARTY_ELECTORAL_UNIT, Kind, Post
from .. import stages as stage_codes
from ..stages import REGISTRATION as REGISTRATION_STAGE
from .party_branch import INAPPLICABLE_PAGES as BRANCH_INAPPLICABLE_PAGES
from .party_branch import RATIO_OF_CANDIDATES, RATIO_OF_SEATS, PartyElectionParameters, is_share, legal_calendar

CODE = "party_congress"

# Nomination (LAW.md §4.2, 2020 Arts. 10–11 [V2]): recommendations from the branches → a preliminary list after
# consulting the upper level → the candidate list reviewed → election at the 党员大会. Reference 003 names its
# local form 两推两评一选 (organisation and members recommend, the members' meeting and the branch committee
# assess, the 党员大会 elects with surplus).
RECOMMENDATION = "recommendation"
TWO_RECOMMENDATIONS_TWO_REVIEWS = "two_recommendations_two_reviews"
NOMINATION_METHOD_LABELS = {
    RECOMMENDATION: "党组织推荐和党员推荐",
    TWO_RECOMMENDATIONS_TWO_REVIEWS: "两推两评一选",
}


@dataclass(frozen=True)
class CongressRuleParameters(PartyElectionParameters):
    """Every parameter of a township Party congress delegates' election, with the national default."""

    # Delegate total: usually 100–200, at most 300 (2020 条例, Art. 7 or 8 by a news summary; number [U]) [V2].
    delegates_usual_min: int = 100
    delegates_usual_max: int = 200
    delegates_max: int = 300
    # Delegate candidates exceed each unit's seats by at least 20% (2020 Art. 9) [V2].
    delegate_surplus_share: tuple[int, int] = (1, 5)

    nomination_methods: tuple[str, ...] = (RECOMMENDATION, TWO_RECOMMENDATIONS_TWO_REVIEWS)
    # Preliminary candidates in a ratio to the seats, by recommendation votes (reference 003: 1:3) [U]. None: no ratio.
    preliminary_ratio: tuple[int, int] | None = None
    preliminary_ratio_base: str = RATIO_OF_SEATS

    # Composition of the delegates (reference 003's province; no national figures in LAW.md §4.5) [U].
    # None / False: not checked. "不超过60%" and "不少于50%" are inclusive (LAW.md §0.1); "45岁以下" includes 45.
    cadre_max_share: tuple[int, int] | None = None
    young_min_share: tuple[int, int] | None = None
    young_age_max: int = 45
    women_not_below_members: bool = False
    minorities_not_below_members: bool = False

    def problems(self) -> list[str]:
        problems = super().problems()
        if not 1 <= self.delegates_usual_min <= self.delegates_usual_max <= self.delegates_max:
            problems.append("党代表大会代表名额的一般范围和上限不合理")
        surplus = self.delegate_surplus_share
        if is_share(surplus) and 5 * surplus[0] < surplus[1]:
            problems.append("代表候选人的差额不得少于应选名额的20%（基层组织选举工作条例第九条）")
        unknown = set(self.nomination_methods) - set(NOMINATION_METHOD_LABELS)
        if unknown or not self.nomination_methods:
            problems.append("代表候选人产生方式无效")
        ratio = self.preliminary_ratio
        if ratio is not None and (not is_share(ratio) or ratio[0] < ratio[1]):
            problems.append("初步人选的比例应不小于1:1")
        if self.preliminary_ratio_base not in (RATIO_OF_SEATS, RATIO_OF_CANDIDATES):
            problems.append("初步人选比例的基数无效")
        if not 18 <= self.young_age_max <= 100:
            problems.append("年轻代表的年龄上限不合理")
        return problems


PRESETS = (
    PresetDefinition(
        code="CPC_CONGRESS_2020_NATIONAL",
        name="全国默认（中国共产党基层组织选举工作条例2020，乡镇党代表大会代表选举）",
        province="",
        overrides={},
        sources=(
            str(CPC_ELECTIONS_2020.art(5)),
            str(CPC_ELECTIONS_2020.art(9)),
            str(CPC_ELECTIONS_2020.art(10)),
            str(CPC_ELECTIONS_2020.art(24)),
            str(CPC_QA_ATTENDANCE),
            str(CPC_PRESENT_MAJORITY),
            str(CPC_RURAL_RULES_2019),
        ),
    ),
    PresetDefinition(
        code="REFERENCE_003_CONGRESS",
        name="乡镇党委换届试点的代表结构要求（某省2023年，参考）",
        province="某省",
        overrides={
            "nomination_methods": [TWO_RECOMMENDATIONS_TWO_REVIEWS],
            "preliminary_ratio": [3, 1],
            "cadre_max_share": [3, 5],
            "young_min_share": [1, 2],
            "women_not_below_members": True,
            "minorities_not_below_members": True,
        },
        sources=(str(REFERENCE_003), str(CPC_ELECTIONS_2020.art(9))),
    ),
)

# The register is the Party's as for a branch (not posted, no appeals, no proxies); the candidates come as one list
# of the unit (``candidates.congress_services``), not by nomination votes or the branch's pipeline; the 书记/副书记
# vote and the report on a branch committee have no meaning for a unit electing delegates.
INAPPLICABLE_PAGES = tuple(
    (names, title, reason.replace("村党组织换届选举的选举人", "选举单位的选举人")) for names, title, reason in BRANCH_INAPPLICABLE_PAGES
) + (
    (
        ("candidates:candidate-create", "candidates:candidate-nominations", "candidates:candidate-votes",
         "candidates:candidate-withdraw", "candidates:candidate-list-pdf", "candidates:deputy-initial-list",
         "candidates:deputy-primary", "candidates:party-method", "candidates:party-stage",
         "candidates:party-paper-pdf", "candidates:party-review"),
        "候选人提名",
        "党代表大会代表候选人由各选举单位按多于应选名额20%以上的差额提出，经乡镇党委审查后作为一个名单确定"
        f"（{CPC_ELECTIONS_2020.art(9)}），在本选举单位的“代表候选人”页面录入，没有逐人提名、提名票数和村党组织的推荐环节。",
    ),
    (
        ("villages:committee-member-create", "villages:committee-member-edit"),
        "选举委员会成员",
        "选举单位没有自己的选举委员会：党代表大会代表的选举由乡镇党委领导，各选举单位的代表名额由党代表大会的名额分配确定"
        "，代表由本单位的党员大会选举产生。",
    ),
    (
        ("ballots:party-post-vote", "ballots:party-upper-report"),
        "书记、副书记选举和换届选举结果报告",
        "选举单位的党员大会只选举出席乡镇党代表大会的代表，不产生委员会，没有书记、副书记的选举；"
        "代表的资格由代表资格审查委员会审查（代表资格审查页面）。",
    ),
)

PARTY_CONGRESS = Kind(
    code=CODE,
    label="乡镇党代表大会代表选举",
    unit=UNIT_PARTY_ELECTORAL_UNIT,
    unit_label="选举单位",
    levels=(TOWNSHIP,),
    posts=(Post("delegate", "党代表", 1, CongressRuleParameters().delegates_max),),
    nomination_methods=tuple(NOMINATION_METHOD_LABELS.items()),
    parameters=CongressRuleParameters,
    presets=PRESETS,
    committee_label="乡镇党委",
    term_word="次",
    term_in_words=True,
    legal_calendar=legal_calendar,
    # The voters app serves the kind (each 选举单位's register is its organisations' Party members). The units and the
    # allocation are ``villages.party_congress``'s pages, the candidate lists, the composition and the credentials
    # review ``candidates.congress_*``; each unit's candidates and 党员大会 are the candidates and ballots apps' pages
    # (the branch's 党员大会 engine); the congress's own vote is ``candidates.congress_services.record_body_vote``.
    # The archive certifies each unit's result (locking its register, candidates, tallies and results) and files
    # its records (``archive.filing``).
    stage_apps=frozenset({"villages", "voters", "candidates", "ballots", "archive"}),
    # No 工作移交: a unit elects delegates, not a body that takes over a seal and accounts; its delegates go to the
    # congress, whose 代表资格审查委员会 reviews their credentials (LAW.md §4.5). A unit is archived once its result
    # is certified.
    has_handover=False,
    elected_body="党代表大会代表",  # the stage checklist: 新一届党代表大会代表已选出
    locked_records="党员名册、代表候选人、党员大会计票和选举结果",
    archived_records="党员大会计票结果报告单、代表选举结果报告单",
    inapplicable_pages=INAPPLICABLE_PAGES,
    allocated_seats_label="应选代表",
    seats_allocated_by="乡镇党委分配",
    has_election_committee=False,
    stage_names=((REGISTRATION_STAGE, "党员名册登记"), (stage_codes.NOMINATION, "代表候选人提名"),
                 (stage_codes.VOTING, "党员大会选举代表"), (stage_codes.HANDOVER, "代表资格审查")),
    stage_date_names=((stage_codes.VOTING, "代表候选人名单确定日期"), (stage_codes.HANDOVER, "选举结果公布日期"),
                      (stage_codes.ARCHIVED, "归档日期")),
    stage_sequence=(stage_codes.PREPARATION, REGISTRATION_STAGE, stage_codes.NOMINATION, stage_codes.VOTING,
                    stage_codes.RUNOFF, stage_codes.HANDOVER, stage_codes.ARCHIVED),
)
