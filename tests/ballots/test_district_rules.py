"""The results engine under the 人大 kind's parameters (Election Law Art. 45, LAW.md §3.10), table by table:
the same ``decide_outcome`` / ``decide_runoff`` as the village committees, with the deputies' rules."""

import dataclasses

import pytest

from ballots.progression import FIRST, OPEN_RUNOFF, RUNOFF, RoundFacts, follow
from ballots.results import Person, Post, Tally, decide_outcome, decide_runoff
from villages.kinds.deputies import DeputyRuleParameters

NATIONAL = DeputyRuleParameters()
ZHEJIANG = dataclasses.replace(NATIONAL, further_runoff_allowed=False, mobile_box_min_staff=2)
PEOPLE = tuple(Person(key=k, name=n, sex=s) for k, n, s in (
    ("1", "甲", "M"), ("2", "乙", "F"), ("3", "丙", "M"), ("4", "丁", "F"), ("5", "戊", "M"), ("6", "己", "F")))


def tally(votes, cast, invalid=0):
    return Tally(persons=PEOPLE, votes={"deputy": votes}, ballots_cast=cast, invalid_ballots=invalid)


def messages(outcome):
    return [f.message for f in outcome.findings]


@pytest.mark.parametrize("voted,valid", [(15, False), (16, True)])
def test_valid_only_when_more_than_half_of_the_district_votes(voted, valid):
    outcome = decide_outcome(tally({"1": voted}, voted), posts=[Post("deputy", 1)], registered_voters=30,
                             params=NATIONAL)
    assert outcome.valid is valid
    if not valid:
        assert messages(outcome) == ["参加投票人数15人，未超过登记选民30人的半数，选举无效"]


@pytest.mark.parametrize("unfilled,expected", [(1, 2), (2, 3), (3, 4)])
def test_the_runoff_list_follows_the_art_31_ratio(unfilled, expected):
    assert NATIONAL.runoff_candidates_needed("deputy", unfilled) == expected


def test_three_seats_none_elected_go_to_a_runoff_of_four_next_ranked():
    outcome = decide_outcome(tally({"1": 9, "2": 8, "3": 7, "4": 6, "5": 5, "6": 4}, 20), posts=[Post("deputy", 3)],
                             registered_voters=30, params=NATIONAL)
    assert outcome.status == "runoff_needed"
    assert [(line.seats, line.candidates) for line in outcome.runoff] == [(3, ("1", "2", "3", "4"))]
    assert "另行选举代表3名，候选人为甲（9票）、乙（8票）、丙（7票）、丁（6票）共4人" in messages(outcome)


def test_a_tie_at_the_cut_off_is_a_revote_among_the_tied():
    outcome = decide_outcome(tally({"1": 12, "2": 11, "3": 11}, 20), posts=[Post("deputy", 2)],
                             registered_voters=30, params=NATIONAL)
    assert outcome.status == "revote"
    assert [(r.seats, r.persons) for r in outcome.revotes] == [(1, ("2", "3"))]
    assert "乙与丙得票均为11票，并列争夺最后一个代表职位，须就并列者重新投票" in messages(outcome)


def runoff(votes, cast, params, registered=30, invalid=0):
    return decide_runoff(tally(votes, cast, invalid), posts=[Post("deputy", 1)], registered_voters=registered,
                         already_elected=(), params=params)


@pytest.mark.parametrize("votes,elected", [(6, True), (5, False)])
def test_the_runoff_winner_needs_a_third_of_every_ballot_cast(votes, elected):
    # 18 ballots, 2 of them spoiled: 3*6 >= 18 wins, 3*5 < 18 does not (spoiled ballots count: 选票的三分之一).
    outcome = runoff({"2": votes, "3": 4}, 18, NATIONAL, invalid=2)
    assert bool(outcome.elected) is elected
    share = "不少于" if elected else "少于"
    assert f"乙得票{votes}票，{share}已投选票总数18张的三分之一，{'当选' if elected else '未当选'}代表" in messages(outcome)


def test_a_runoff_with_half_the_voters_or_fewer_is_invalid():
    outcome = runoff({"2": 10, "3": 5}, 15, NATIONAL)
    assert not outcome.valid
    assert messages(outcome) == ["另行选举参加投票人数15人，未超过登记选民30人的半数，另行选举无效"]


def test_a_seat_still_empty_after_the_runoff_may_go_to_another_unless_the_preset_forbids_it():
    national = runoff({"2": 5, "3": 4}, 18, NATIONAL)
    assert national.status == "vacancies"
    assert "本选区应选代表1名，当选0名，尚缺1名，可以再次另行选举" in messages(national)
    assert [line.candidates for line in national.runoff] == [("2", "3")]
    zhejiang = runoff({"2": 5, "3": 4}, 18, ZHEJIANG)
    assert "本选区应选代表1名，当选0名，尚缺1名，不再另行选举，缺额依法补选" in messages(zhejiang)
    assert zhejiang.runoff == () and not any("候选人为" in m for m in messages(zhejiang))


@pytest.mark.parametrize("params,further", [(NATIONAL, True), (ZHEJIANG, False)])
def test_the_chain_offers_a_further_runoff_only_where_allowed(params, further):
    rounds = [
        RoundFacts(id=1, kind=FIRST, number=1, parent_id=None, seats={"deputy": 2}, counted=True, ballots_cast=20,
                   votes={"deputy": {"1": 11, "2": 9, "3": 7}}),
        RoundFacts(id=2, kind=RUNOFF, number=2, parent_id=1, seats={"deputy": 1}, candidates={"deputy": ("2", "3")},
                   counted=True, ballots_cast=18, votes={"deputy": {"2": 5, "3": 4}}),
    ]
    progress = follow(rounds, persons=PEOPLE, registered=30, params=params)
    assert progress.status == "vacancies" and progress.is_final
    assert (progress.step(OPEN_RUNOFF) is not None) is further
    assert [e.name for e in progress.elected] == ["甲"]


def test_the_thresholds_of_art_45_cannot_be_changed_by_a_preset():
    with pytest.raises(ValueError, match="超过半数"):
        DeputyRuleParameters.from_dict({"win_share": [2, 3]})
    with pytest.raises(ValueError, match="不少于"):
        DeputyRuleParameters.from_dict({"runoff_min_strict": True})
