"""The rules that differ in law for Party elections (villages.kinds.party_rules): no database."""

import pytest

from villages.kinds import party_rules as rules
from villages.kinds.party_branch import BranchRuleParameters
from villages.kinds.party_congress import CongressRuleParameters

BRANCH = BranchRuleParameters()
BY_POPULATION = BranchRuleParameters(committee_size_population_threshold=2000)  # reference 002


@pytest.mark.parametrize("n,d,share,strict,passes", [
    (33, 40, (4, 5), True, True),  # 165 > 160
    (32, 40, (4, 5), True, False),  # exactly four fifths is not "more than"
    (32, 40, (4, 5), False, True),  # … but is "not less than"
    (345, 431, (4, 5), True, True),  # reference 003's 431 members: 1725 > 1724
    (344, 431, (4, 5), True, False),
    (17, 33, (1, 2), True, True),
    (16, 32, (1, 2), True, False),  # exactly half loses (LAW.md §0.1)
    (273, 390, (7, 10), False, True),  # reference 002: 70% or more
    (272, 390, (7, 10), False, False),
])
def test_integer_threshold(n, d, share, strict, passes):
    assert rules.passes(n, d, share, strict=strict) is passes


@pytest.mark.parametrize("d,share,strict,least", [
    (40, (4, 5), True, 33),
    (40, (4, 5), False, 32),
    (431, (4, 5), True, 345),
    (5, (4, 5), True, 5),
    (33, (1, 2), True, 17),
    (32, (1, 2), True, 17),
    (390, (7, 10), False, 273),
])
def test_least_passing_count(d, share, strict, least):
    assert rules.least_passing(d, share, strict=strict) == least
    assert rules.passes(least, d, share, strict=strict) and not rules.passes(least - 1, d, share, strict=strict)


def test_thresholds_refuse_floats_and_booleans():
    with pytest.raises(TypeError, match="只接受整数"):
        rules.passes(32.5, 40, (4, 5), strict=True)
    with pytest.raises(TypeError, match="只接受整数"):
        rules.wins(True, 3, BRANCH)


@pytest.mark.parametrize("share,fraction,percent", [
    ((4, 5), "五分之四", "80%"), ((1, 2), "半数", "50%"), ((1, 5), "五分之一", "20%"), ((7, 10), "十分之七", "70%"),
    ((3, 5), "五分之三", "60%"), ((1, 3), "三分之一", "33.33%"),
])
def test_share_words(share, fraction, percent):
    assert (rules.fraction_words(share), rules.percent_words(share)) == (fraction, percent)


# ---------------------------------------------------------------- 应到会 and the quorum


@pytest.mark.parametrize("entitled,excused,expected,message", [
    (45, {"ill": 2, "away": 3}, 40,
     "有选举权的党员45名，经上级党组织同意并经党员大会通过不列入应到会人数的5名（因病不能表达本人意志2名、"
     "外出半年以上未转组织关系3名），应到会40名"),
    (38, {"abroad": 1, "sentenced": 1, "frail": 2}, 34,
     "有选举权的党员38名，经上级党组织同意并经党员大会通过不列入应到会人数的4名（自费出国半年以上1名、正在服刑1名、"
     "年老体弱卧床不起2名），应到会34名"),
    (20, {}, 20, "有选举权的党员20名，没有不列入应到会人数的党员，应到会20名"),
    (20, {"ill": 0}, 20, "有选举权的党员20名，没有不列入应到会人数的党员，应到会20名"),
])
def test_expected_attendance(entitled, excused, expected, message):
    attendance = rules.expected_attendance(entitled=entitled, excused=excused, params=BRANCH)
    assert (attendance.expected, attendance.excused, attendance.finding.message) == (
        expected, entitled - expected, message)
    assert [str(c) for c in attendance.finding.citations] == [
        "《中国共产党基层组织选举工作条例》（2020年）第5条", "共产党员网答问（2016年）：应到会人数和选举时的到会人数"]


@pytest.mark.parametrize("params,excused,error", [
    (BRANCH, {"holiday": 1}, "不列入应到会人数的情形无效"),
    (BranchRuleParameters(excused_categories=("ill",)), {"abroad": 1}, "不列入应到会人数的情形无效"),
    (BRANCH, {"ill": 6, "away": 5}, "不列入应到会人数的11名多于有选举权的党员10名"),
    (BRANCH, {"ill": -1}, "不能为负数"),
])
def test_expected_attendance_refuses_bad_excusals(params, excused, error):
    with pytest.raises(ValueError, match=error):
        rules.expected_attendance(entitled=10, excused=excused, params=params)


@pytest.mark.parametrize("present,expected,params,severity,message", [
    (33, 40, BRANCH, rules.OK, "有选举权的到会党员33名，超过应到会40名的五分之四（至少33名），可以进行选举"),
    (32, 40, BRANCH, rules.ERROR, "有选举权的到会党员32名，未超过应到会40名的五分之四（至少33名），不能进行选举"),
    (32, 40, BranchRuleParameters(quorum_strict=False), rules.OK,
     "有选举权的到会党员32名，达到应到会40名的五分之四（至少32名），可以进行选举"),
    (345, 431, BRANCH, rules.OK, "有选举权的到会党员345名，超过应到会431名的五分之四（至少345名），可以进行选举"),
    (42, 40, BRANCH, rules.OK, "有选举权的到会党员42名，超过应到会40名的五分之四（至少33名），可以进行选举"),
])
def test_quorum(present, expected, params, severity, message):
    found = rules.quorum(present=present, expected=expected, params=params)
    assert (found.code, found.severity, found.message) == (
        "quorum_met" if severity == rules.OK else "quorum_not_met", severity, message)


def test_quorum_needs_someone_expected():
    with pytest.raises(ValueError, match="应到会人数为零"):
        rules.quorum(present=0, expected=0, params=BRANCH)


# ---------------------------------------------------------------- winning and the shortfall


@pytest.mark.parametrize("votes,present,code,message", [
    (17, 33, "elected", "张三得赞成票17票，超过实到会有选举权的党员33名的半数（至少17票），可以当选"),
    (16, 33, "not_elected", "张三得赞成票16票，未超过实到会有选举权的党员33名的半数（至少17票），不能当选"),
    (16, 32, "not_elected", "张三得赞成票16票，未超过实到会有选举权的党员32名的半数（至少17票），不能当选"),
    (32, 32, "elected", "张三得赞成票32票，超过实到会有选举权的党员32名的半数（至少17票），可以当选"),
])
def test_a_winner_needs_more_than_half_of_the_members_present(votes, present, code, message):
    found = rules.verdict(name="张三", votes=votes, present=present, params=BRANCH)
    assert (found.code, found.message) == (code, message)
    assert rules.win_threshold(present, BRANCH) == 17


def test_votes_cannot_exceed_the_members_present():
    with pytest.raises(ValueError, match="赞成票34票多于实到会人数33名"):
        rules.wins(34, 33, BRANCH)


@pytest.mark.parametrize("seats,elected,minimum,params,message", [
    (5, 3, 3, BRANCH, "应选委员5名，得票超过半数的3名，缺额2名不从得票未过半数的人中依次递补，须就缺额另行选举，"
                      "或者经党员大会过半数同意减少名额至3名"),
    (5, 2, 3, BRANCH, "应选委员5名，得票超过半数的2名，缺额3名不从得票未过半数的人中依次递补，须就缺额另行选举"),
    (5, 4, 3, BranchRuleParameters(seats_may_be_reduced=False),
     "应选委员5名，得票超过半数的4名，缺额1名不从得票未过半数的人中依次递补，须就缺额另行选举"),
])
def test_a_shortfall_is_not_filled_from_below_half(seats, elected, minimum, params, message):
    found = rules.shortfall(post="member", seats=seats, elected=elected, params=params, minimum_seats=minimum)
    assert (found.code, found.severity, found.message) == ("shortfall", rules.WARNING, message)


def test_no_shortfall_when_every_seat_is_filled():
    assert rules.shortfall(post="member", seats=3, elected=3, params=BRANCH) is None


@pytest.mark.parametrize("method,params,by_members", [
    ("open_recommendation", BRANCH, True),
    ("two_ballots", BRANCH, False),
    ("two_recommendations", BRANCH, False),
    ("two_ballots", BranchRuleParameters(secretary_elected_by_committee=False), True),
])
def test_who_elects_the_secretary(method, params, by_members):
    assert rules.secretary_elected_by_members(method, params) is by_members


# ---------------------------------------------------------------- 差额


@pytest.mark.parametrize("post,seats,candidates,params,code,message", [
    # Reference 003: 9 candidates for 7 committee seats, 4 for 3 discipline seats.
    ("member", 7, 9, BRANCH, "surplus_ok", "委员应选7名，候选人9名，多于应选名额2名，不少于应选名额的20%（至少多2名）"),
    ("member", 3, 4, BRANCH, "surplus_ok", "委员应选3名，候选人4名，多于应选名额1名，不少于应选名额的20%（至少多1名）"),
    # Reference 002: 5 candidates (two of them 差额) for 3 seats.
    ("member", 3, 5, BRANCH, "surplus_ok", "委员应选3名，候选人5名，多于应选名额2名，不少于应选名额的20%（至少多1名）"),
    ("member", 3, 3, BRANCH, "surplus_short", "委员应选3名，候选人3名，差额不足应选名额的20%，候选人应不少于4名"),
    ("member", 6, 7, BRANCH, "surplus_short", "委员应选6名，候选人7名，差额不足应选名额的20%，候选人应不少于8名"),
    ("member", 5, 6, BRANCH, "surplus_ok", "委员应选5名，候选人6名，多于应选名额1名，不少于应选名额的20%（至少多1名）"),
    ("delegate", 49, 58, CongressRuleParameters(), "surplus_short",
     "代表应选49名，候选人58名，差额不足应选名额的20%，候选人应不少于59名"),
    ("delegate", 49, 59, CongressRuleParameters(), "surplus_ok",
     "代表应选49名，候选人59名，多于应选名额10名，不少于应选名额的20%（至少多10名）"),
    ("secretary", 1, 1, BRANCH, "uncontested_ok", "书记应选1名，候选人1名，实行等额选举"),
    ("deputy_secretary", 1, 2, BRANCH, "uncontested_mismatch", "副书记实行等额选举，应选1名，候选人应为1名，现有2名"),
    ("secretary", 1, 2, BranchRuleParameters(secretary_contested=True), "contested_ok", "书记应选1名，候选人2名，实行差额选举"),
    ("secretary", 1, 1, BranchRuleParameters(secretary_contested=True), "contested_short",
     "书记实行差额选举，应选1名，候选人1名，须多于应选名额"),
])
def test_slate_surplus(post, seats, candidates, params, code, message):
    found = rules.slate_check(post=post, seats=seats, candidates=candidates, params=params)
    assert (found.code, found.message) == (code, message)
    assert found.severity == (rules.OK if code.endswith("_ok") else rules.ERROR)


def test_slate_citations():
    member = rules.slate_check(post="member", seats=7, candidates=9, params=BRANCH)
    delegate = rules.slate_check(post="delegate", seats=5, candidates=6, params=CongressRuleParameters())
    assert [str(c) for c in member.citations] == ["《中国共产党基层组织选举工作条例》（2020年）第13条"]
    assert [str(c) for c in delegate.citations] == ["《中国共产党基层组织选举工作条例》（2020年）第9条"]


# ---------------------------------------------------------------- structure and size


@pytest.mark.parametrize("members,params,population,structure,size,message", [
    (2, BRANCH, None, rules.NO_BRANCH, (0, 0), "正式党员2名，不足3名，不能单独成立党支部"),
    (3, BRANCH, None, rules.SECRETARY_ONLY, (1, 2), "正式党员3名，不足7名，不设支部委员会，设书记1名，必要时设副书记1名"),
    (6, BY_POPULATION, 5000, rules.SECRETARY_ONLY, (1, 2),
     "正式党员6名，不足7名，不设支部委员会，设书记1名，必要时设副书记1名"),
    (7, BRANCH, None, rules.COMMITTEE, (3, 5), "正式党员7名，达到7名，设支部委员会，委员3至5名"),
    (38, BY_POPULATION, 1999, rules.COMMITTEE, (3, 3),
     "正式党员38名，达到7名，设支部委员会；全村人口1999人，在2000人以下，委员3名"),
    (38, BY_POPULATION, 2000, rules.COMMITTEE, (3, 3),
     "正式党员38名，达到7名，设支部委员会；全村人口2000人，在2000人以下，委员3名"),
    (38, BY_POPULATION, 2001, rules.COMMITTEE, (5, 5),
     "正式党员38名，达到7名，设支部委员会；全村人口2001人，在2000人以上，委员5名"),
    (38, BY_POPULATION, None, rules.COMMITTEE, (3, 5),
     "本规则按村人口确定支部委员会委员职数（2000人及以下3名，以上5名），尚未录入村人口"),
])
def test_committee_size(members, params, population, structure, size, message):
    result = rules.committee_size(full_members=members, params=params, population=population)
    assert (result.structure, (result.size_min, result.size_max), result.findings[0].message) == (
        structure, size, message)
    assert len(result.findings) == 1


def test_a_large_organisation_may_hold_a_delegate_meeting():
    result = rules.committee_size(full_members=500, params=BRANCH)
    assert [f.message for f in result.findings] == [
        "正式党员500名，达到7名，设支部委员会，委员3至5名",
        "党员500名，达到500名，经上级党组织批准可以召开党员代表大会进行选举",
    ]
    assert len(rules.committee_size(full_members=499, params=BRANCH).findings) == 1


@pytest.mark.parametrize("total,severity,message", [
    (49, rules.WARNING, "党代表大会代表名额49名，不在一般为100至200名的范围内"),  # reference 003
    (100, rules.OK, "党代表大会代表名额100名，在一般为100至200名的范围内"),
    (200, rules.OK, "党代表大会代表名额200名，在一般为100至200名的范围内"),
    (300, rules.WARNING, "党代表大会代表名额300名，不在一般为100至200名的范围内"),
    (301, rules.ERROR, "党代表大会代表名额301名，超过最多300名"),
])
def test_delegate_total(total, severity, message):
    found = rules.delegate_total_check(total, CongressRuleParameters())
    assert (found.severity, found.message) == (severity, message)


def test_share_keeps_its_base_and_rounds_half_up_once():
    assert (str(rules.Share(14, 49)), str(rules.Share(25, 49)), str(rules.Share(57, 431)), str(rules.Share(0, 0))) == (
        "28.6%", "51.0%", "13.2%", "—")
    assert rules.Share(1, 8).percent(2) == rules.Share(125, 1000).percent(2)  # 12.50
    assert str(rules.Share(1, 16)) == "6.3%"  # 6.25 rounds half up
