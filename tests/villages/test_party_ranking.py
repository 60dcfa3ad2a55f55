"""Recommendation and confidence stages ranked (villages.kinds.party_ranking): no database.

Reference 002 (a county's 两票制 pilot) prints only shares: turnouts of 97.5% and 99%, preliminary candidates
"都得信任票70%以上" at 1:1.5 — 7 in one village, 6 in the other — then 5 formal candidates for 3 seats. The
ballot counts below are chosen to give those shares.
"""

import pytest

from villages.kinds.party_branch import BranchRuleParameters
from villages.kinds.party_ranking import CONFIDENCE, RECOMMENDATION, Standing, preliminary_places, rank_stage
from villages.kinds.party_rules import ERROR, OK, WARNING

NATIONAL = BranchRuleParameters()
CHONGREN = BranchRuleParameters(confidence_min_share=(7, 10), confidence_min_strict=False, preliminary_ratio=(3, 2),
                                preliminary_ratio_base="formal_candidates", committee_size_population_threshold=2000)


def people(*votes):
    names = "甲乙丙丁戊己庚辛壬癸"
    return [Standing(key=f"p{i}", name=names[i], votes=v) for i, v in enumerate(votes)]


@pytest.mark.parametrize("seats,candidates,params,places", [
    (3, 5, CHONGREN, 7),  # 5 formal candidates × 1.5 = 7.5, rounded down: 长沙坑村's 7
    (3, 5, BranchRuleParameters(preliminary_ratio=(3, 2)), 4),  # on the seats: 4.5 → 4
    (3, 5, NATIONAL, None),
    (2, 0, BranchRuleParameters(preliminary_ratio=(3, 1)), 6),  # reference 003's 1:3 on the seats
])
def test_preliminary_places(seats, candidates, params, places):
    assert preliminary_places(seats=seats, candidates=candidates, params=params) == places


@pytest.mark.parametrize("cast,electorate,message", [
    (390, 400, "应参加信任投票400人，实际参加390人，参加率97.5%"),  # 长沙坑村
    (297, 300, "应参加信任投票300人，实际参加297人，参加率99.0%"),  # 中坊村
    (0, 0, "应参加信任投票0人，实际参加0人，参加率—"),
])
def test_turnout_of_a_confidence_vote(cast, electorate, message):
    ranking = rank_stage([], stage=CONFIDENCE, ballots_cast=cast, electorate=electorate, places=None, params=CHONGREN)
    assert ranking.findings[0].message == message
    assert (ranking.turnout.numerator, ranking.turnout.denominator) == (cast, electorate)


@pytest.mark.parametrize("cast,severity,message", [
    (340, OK, "应参加推荐400人，实际参加340人，参加率85.0%，达到规定的85%"),
    (339, WARNING, "应参加推荐400人，实际参加339人，参加率84.8%，未达到规定的85%"),
])
def test_turnout_against_a_minimum(cast, severity, message):
    params = BranchRuleParameters(stage_turnout_min_share=(17, 20))  # a 2022 Shanxi pilot's 85%
    found = rank_stage([], stage=RECOMMENDATION, ballots_cast=cast, electorate=400, places=None, params=params).findings[0]
    assert (found.severity, found.message) == (severity, message)


@pytest.mark.parametrize("votes,params,passes,message", [
    (273, CHONGREN, True, "甲得信任票273票，占参加信任投票390人的70.0%，达到70%（至少273票）"),
    (272, CHONGREN, False, "甲得信任票272票，占参加信任投票390人的69.7%，未达到70%（至少273票），不能列为人选"),
    (196, NATIONAL, True, "甲得信任票196票，占参加信任投票390人的50.3%，超过50%（至少196票）"),
    (195, NATIONAL, False, "甲得信任票195票，占参加信任投票390人的50.0%，未超过50%（至少196票），不能列为人选"),
    (201, BranchRuleParameters(confidence_share_base="electorate"), True,
     "甲得信任票201票，占应参加信任投票400人的50.3%，超过50%（至少201票）"),
    (200, BranchRuleParameters(confidence_share_base="electorate"), False,
     "甲得信任票200票，占应参加信任投票400人的50.0%，未超过50%（至少201票），不能列为人选"),
])
def test_minimum_confidence_share(votes, params, passes, message):
    ranking = rank_stage(people(votes), stage=CONFIDENCE, ballots_cast=390, electorate=400, places=None, params=params)
    assert ranking.findings[1].message == message
    assert ranking.passed == (("p0",) if passes else ())


def test_top_by_the_ratio_with_a_tie_at_the_cut_off_reported_not_broken():
    ranking = rank_stage(people(380, 350, 330, 300, 290, 280, 280, 280, 272), stage=CONFIDENCE, ballots_cast=390,
                         electorate=400, places=7, params=CHONGREN)
    assert ranking.passed == ("p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7")
    assert (ranking.chosen, ranking.tied, ranking.open_places) == (("p0", "p1", "p2", "p3", "p4"), ("p5", "p6", "p7"), 2)
    assert [(f.severity, f.message) for f in ranking.findings[-2:]] == [
        (OK, "8人得信任票达到70%，按得票多少取前7名：甲、乙、丙、丁、戊，另有2个名额待定"),
        (ERROR, "己、庚、辛得信任票均为280票，并列争最后2个名额，不以排列先后或抽签决定，须另行确定"),
    ]


def test_top_by_the_ratio_without_a_tie():
    ranking = rank_stage(people(380, 350, 330, 300, 290, 285, 280, 279, 279), stage=CONFIDENCE, ballots_cast=390,
                         electorate=400, places=7, params=CHONGREN)
    assert ranking.chosen == ("p0", "p1", "p2", "p3", "p4", "p5", "p6") and ranking.tied == ()
    assert [f.message for f in ranking.findings[-2:]] == [
        "9人得信任票达到70%，按得票多少取前7名：甲、乙、丙、丁、戊、己、庚",
        "辛、壬得信任票279票，名次在前7名之后，未列为人选",
    ]


def test_fewer_pass_than_the_ratio_gives():
    """中坊村 had 6 preliminary candidates where 5 × 1.5 gives 7."""
    ranking = rank_stage(people(290, 280, 275, 275, 274, 273, 272), stage=CONFIDENCE, ballots_cast=297 + 93,
                         electorate=400, places=7, params=CHONGREN)
    assert ranking.chosen == ("p0", "p1", "p2", "p3", "p4", "p5") and ranking.tied == ()
    assert [(f.severity, f.message) for f in ranking.findings[-2:]] == [
        (OK, "6人得信任票达到70%，全部列为人选：甲、乙、丙、丁、戊、己"),
        (WARNING, "得信任票达到70%的只有6人，少于应确定的7名"),
    ]


def test_a_recommendation_without_a_minimum_lists_everyone_by_votes():
    ranking = rank_stage(people(30, 41, 12), stage=RECOMMENDATION, ballots_cast=45, electorate=48, places=None,
                         params=NATIONAL)
    assert ranking.chosen == ("p1", "p0", "p2")
    assert [f.message for f in ranking.findings] == [
        "应参加推荐48人，实际参加45人，参加率93.8%",
        "乙得推荐票41票，占参加推荐45人的91.1%",
        "甲得推荐票30票，占参加推荐45人的66.7%",
        "丙得推荐票12票，占参加推荐45人的26.7%",
        "3人得票，全部列为人选：乙、甲、丙",
    ]


def test_a_recommendation_minimum_of_more_than_half():
    """Reference 000 篇2: 群众推荐票未超过参选人数的50%的，不予以审批."""
    params = BranchRuleParameters(recommendation_min_share=(1, 2))
    ranking = rank_stage(people(23, 22), stage=RECOMMENDATION, ballots_cast=44, electorate=48, places=None,
                         params=params)
    assert ranking.passed == ("p0",)
    assert ranking.findings[2].message == "乙得推荐票22票，占参加推荐44人的50.0%，未超过50%（至少23票），不能列为人选"


@pytest.mark.parametrize("standings,cast,electorate,error", [
    ([], 401, 400, "收回401张多于应参加的400人"),
    (people(391), 390, 400, "甲的得票391票多于收回的390张"),
    ([Standing("a", "甲", 1), Standing("a", "甲", 2)], 10, 10, "出现两次"),
    (people(-1), 10, 10, "不能为负数"),
])
def test_impossible_counts_are_refused(standings, cast, electorate, error):
    with pytest.raises(ValueError, match=error):
        rank_stage(standings, stage=CONFIDENCE, ballots_cast=cast, electorate=electorate, places=None, params=NATIONAL)
