"""The congress elects its committee and discipline committee from the delegates present (reference 003: 9 candidates
for 7 committee seats, 4 for 3 discipline seats; 49 delegates)."""

from villages.kinds.party_congress import CongressRuleParameters
import pytest

from villages.kinds.party_congress_vote import COMMITTEE, DISCIPLINE, body_election, body_outcome

P = CongressRuleParameters()
NINE = [(f"候选人{n}", v) for n, v in zip(range(1, 10), [46, 45, 44, 40, 38, 30, 25, 24, 10])]


def test_nine_for_seven_with_47_of_49_present():
    result = body_election(body=COMMITTEE, seats=7, candidates=NINE, due=49, present=47, params=P)
    assert result.slate.message == "党委委员应选7名，候选人9名，多于应选名额2名，不少于应选名额的20%（至少多2名）"
    assert result.quorum.message == "有选举权的到会代表47名，超过应到会49名的五分之四（至少40名），可以进行选举"
    assert result.verdicts[6].message == "候选人7得赞成票25票，超过实到会有选举权的代表47名的半数（至少24票），可以当选"
    assert result.verdicts[7].message == "候选人8得赞成票24票，超过实到会有选举权的代表47名的半数（至少24票），可以当选"
    # eight win more than half; the seven seats go by votes
    assert result.elected == ("候选人1", "候选人2", "候选人3", "候选人4", "候选人5", "候选人6", "候选人7")
    assert [f.message for f in result.findings] == [
        "当选党委委员7名：候选人1、候选人2、候选人3、候选人4、候选人5、候选人6、候选人7"]


def test_eight_for_seven_is_short_of_the_surplus_and_no_vote_is_counted():
    result = body_election(body=COMMITTEE, seats=7, candidates=NINE[:8], due=49, present=47, params=P)
    assert result.slate.message == "党委委员应选7名，候选人8名，差额不足应选名额的20%，候选人应不少于9名"
    assert not result.may_proceed and result.elected == ()


def test_four_for_three_a_tie_at_the_last_seat_and_a_shortfall():
    tie = body_election(body=DISCIPLINE, seats=3, candidates=[("甲", 40), ("乙", 30), ("丙", 28), ("丁", 28)],
                        due=49, present=47, params=P)
    assert tie.slate.message == "纪委委员应选3名，候选人4名，多于应选名额1名，不少于应选名额的20%（至少多1名）"
    assert tie.elected == ("甲", "乙")
    assert tie.findings[0].message == "丙、丁得票均为28票，并列纪委委员第3名，应就得票相等的候选人再次投票确定"
    short = body_election(body=DISCIPLINE, seats=3, candidates=[("甲", 40), ("乙", 30), ("丙", 23), ("丁", 20)],
                          due=49, present=47, params=P)
    assert short.elected == ("甲", "乙")
    assert [f.message for f in short.findings] == [
        "应选纪委委员3名，得票超过半数的2名，缺额1名不从得票未过半数的人中依次递补，须就缺额另行选举，"
        "或者经代表大会过半数同意减少名额至2名",
        "当选纪委委员2名：甲、乙",
    ]


def test_39_of_49_delegates_present_cannot_vote():
    result = body_election(body=COMMITTEE, seats=7, candidates=NINE, due=49, present=39, params=P)
    assert result.quorum.message == "有选举权的到会代表39名，未超过应到会49名的五分之四（至少40名），不能进行选举"
    assert result.verdicts == () and result.elected == ()


def _round(seats, candidates):
    result = body_election(body=DISCIPLINE, seats=seats, candidates=candidates, due=49, present=47, params=P)
    return [name for name, _v in candidates], result


@pytest.mark.parametrize("rounds, elected, not_elected, message", [
    ([(3, [("甲", 40), ("乙", 30), ("丙", 28), ("丁", 28)])], ("甲", "乙"), ("丙", "丁"),
     "经1轮选举，共当选纪委委员2名：甲、乙，应选3名尚缺1名，可就缺额另行选举"),
    ([(3, [("甲", 40), ("乙", 30), ("丙", 28), ("丁", 28)]), (1, [("丙", 20), ("丁", 27)])], ("甲", "乙", "丁"),
     ("丙",), "经2轮选举，共当选纪委委员3名：甲、乙、丁，应选3名已经选足"),
    ([(3, [("甲", 20), ("乙", 10), ("丙", 8), ("丁", 3)])], (), ("甲", "乙", "丙", "丁"),
     "经1轮选举，共当选纪委委员0名，应选3名尚缺3名，可就缺额另行选举"),
])
def test_a_bodys_outcome_is_those_elected_across_its_rounds(rounds, elected, not_elected, message):
    outcome = body_outcome(body=DISCIPLINE, seats=rounds[0][0], rounds=[_round(s, c) for s, c in rounds])
    assert (outcome.elected, outcome.not_elected, outcome.unfilled) == (elected, not_elected, 3 - len(elected))
    assert outcome.finding.message == message
