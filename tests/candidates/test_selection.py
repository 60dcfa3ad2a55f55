"""Pure rules of the formal list: posts, who is selected, ties at the cut-off, replacement, deadlines."""

from datetime import date

import pytest

from candidates.selection import (
    election_posts,
    list_params,
    pick_replacement,
    publication_deadline,
    select_formal_list,
    self_nomination_deadline,
    withdrawal_deadline,
)
from candidates.slate import ERROR, WARNING, SlateCandidate, SlatePost
from villages.presets import BUILTIN_PRESETS

PRESETS = {p.code: p.params for p in BUILTIN_PRESETS}
NATIONAL = PRESETS["VCOL_2018_NATIONAL"]
ZHEJIANG = PRESETS["ZHEJIANG_2020"]
SHANGHAI = PRESETS["SHANGHAI_2020"]
DAY = date(2027, 1, 16)


def person(key, post, votes=0, sex="M", name=None):
    return SlateCandidate(key=key, name=name or f"人{key}", post=post, sex=sex, nomination_votes=votes)


def keys(entries):
    return [c.key for c in entries]


@pytest.mark.parametrize(
    "vice,member,woman,expected",
    [
        (0, 2, False, [("chair", 1), ("member", 2)]),
        (1, 3, False, [("chair", 1), ("vice_chair", 1), ("member", 3)]),
        (0, 2, True, [("chair", 1), ("member", 1), ("woman_member", 1)]),
        (0, 1, True, [("chair", 1), ("woman_member", 1)]),  # the only member seat is the women's seat
    ],
)
def test_posts_follow_the_seats_and_the_womens_seat_is_one_of_the_members(vice, member, woman, expected):
    posts = election_posts(seats_chair=1, seats_vice_chair=vice, seats_member=member, woman_seat_reserved=woman)
    assert [(p.code, p.seats) for p in posts] == expected
    assert all(p.gender_required == ("F" if p.code == "woman_member" else None) for p in posts)


def test_without_a_cap_every_nominee_stands_in_vote_order():
    nominees = [person("a", "chair", 3), person("b", "chair", 9), person("c", "chair", 5)]
    chosen = select_formal_list(nominees, posts=[SlatePost("chair", 1)], params=NATIONAL, mode="candidates")
    assert keys(chosen.on_list) == ["b", "c", "a"]
    assert chosen.errors == [] and chosen.waiting == []
    assert [p.code for p in chosen.warnings] == ["no_woman_candidate"]  # only men: the committee should have a woman


@pytest.mark.parametrize(
    "votes,on_list,waiting,problem",
    [
        ((9, 7, 5), ["a", "b"], ["c"], []),  # 主任 1 seat + 1 at most (SH Art. 12)
        ((9, 7, 7), ["a", "b"], ["c"], ["tie_at_cutoff"]),  # the provisional cut is by strokes; blocked anyway
        ((7, 7, 5), ["a", "b"], ["c"], []),  # a tie above the cut-off does not matter
        ((9,), ["a"], [], ["surplus_too_small"]),
    ],
)
def test_capped_surplus_takes_the_top_and_flags_a_tie_at_the_cut_off(votes, on_list, waiting, problem):
    nominees = [person(k, "chair", v) for k, v in zip("abc", votes)]
    chosen = select_formal_list(nominees, posts=[SlatePost("chair", 1)], params=SHANGHAI, mode="candidates")
    assert sorted(keys(chosen.on_list)) == sorted(on_list)
    assert keys(chosen.waiting) == waiting
    assert [p.code for p in chosen.errors] == problem


def test_tie_message_names_everyone_tied():
    nominees = [person("a", "chair", 9, name="王伟"), person("b", "chair", 7, name="李伟"), person("c", "chair", 7, name="张伟")]
    chosen = select_formal_list(nominees, posts=[SlatePost("chair", 1)], params=SHANGHAI, mode="candidates")
    assert chosen.problems[0].message == (
        "主任正式候选人为2名，第2名与第3名提名票数相同（均为7票）：张伟、李伟。须由选举委员会组织对并列者再次投票，并据此修改提名票数"
    )


def test_self_nominees_all_stand_in_stroke_order_and_a_thin_list_is_only_a_warning():
    params = list_params(ZHEJIANG, mode="self_nomination", woman_seat_reserved=True)
    nominees = [person("1", "chair", name="黄伟"), person("2", "chair", name="王伟"), person("3", "member", name="李伟")]
    posts = [SlatePost("chair", 1), SlatePost("member", 1), SlatePost("woman_member", 1, "F")]
    chosen = select_formal_list(nominees, posts=posts, params=params, mode="self_nomination")
    assert [c.name for c in chosen.on_list] == ["王伟", "黄伟", "李伟"]
    assert {p.code: p.severity for p in chosen.problems} == {
        "surplus_too_small": WARNING,
        "no_woman_member_candidate": WARNING,
    }


def test_self_nomination_still_refuses_a_man_on_the_womens_line():
    params = list_params(ZHEJIANG, mode="self_nomination", woman_seat_reserved=True)
    nominees = [person("1", "woman_member", name="王伟", sex="M"), person("2", "woman_member", name="李芳", sex="F")]
    chosen = select_formal_list(nominees, posts=[SlatePost("woman_member", 1, "F")], params=params, mode="self_nomination")
    assert [(p.code, p.severity) for p in chosen.errors] == [("woman_seat_candidate_not_woman", ERROR)]


def test_no_candidate_election_has_no_list():
    nominees, posts = [person("a", "chair", 3)], [SlatePost("chair", 1)]
    chosen = select_formal_list(nominees, posts=posts, params=NATIONAL, mode="no_candidate")
    assert chosen.on_list == [] and keys(chosen.waiting) == ["a"] and chosen.problems == []


def test_the_elections_womens_seat_setting_wins_over_the_preset():
    assert list_params(ZHEJIANG, mode="candidates", woman_seat_reserved=False).woman_seat_reserved is False
    assert list_params(NATIONAL, mode="self_nomination", woman_seat_reserved=False).candidate_order == "strokes"


def test_replacement_is_the_next_of_the_same_post_not_already_standing():
    on_list = [person("a", "chair", 9), person("b", "member", 8)]
    waiting = [person("a", "member", 7), person("c", "chair", 6), person("d", "member", 5)]
    assert pick_replacement(post="member", on_list=on_list, waiting=waiting, params=NATIONAL).key == "d"
    assert pick_replacement(post="chair", on_list=on_list, waiting=waiting, params=NATIONAL).key == "c"
    assert pick_replacement(post="vice_chair", on_list=on_list, waiting=waiting, params=NATIONAL) is None


def test_cascade_mode_lets_a_person_replace_on_a_lower_post():
    henan = PRESETS["HENAN_2011"]
    on_list = [person("a", "chair", 9)]
    waiting = [person("a", "member", 7), person("d", "member", 5)]
    assert pick_replacement(post="member", on_list=on_list, waiting=waiting, params=henan).key == "a"


@pytest.mark.parametrize(
    "params,publish,self_nominate,withdraw",
    [
        (NATIONAL, date(2027, 1, 11), None, date(2027, 1, 15)),
        (ZHEJIANG, date(2027, 1, 11), date(2027, 1, 6), date(2027, 1, 13)),
    ],
)
def test_deadlines_count_back_from_election_day(params, publish, self_nominate, withdraw):
    assert publication_deadline(DAY, params) == publish
    assert self_nomination_deadline(DAY, params) == self_nominate
    assert withdrawal_deadline(DAY, params) == withdraw
