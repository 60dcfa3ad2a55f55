import pytest

from candidates.slate import (
    ERROR,
    WARNING,
    SlateCandidate,
    SlatePost,
    check_nomination_ballot,
    check_slate,
    order_candidates,
)
from villages.presets import BUILTIN_PRESETS, ORDER_BY_STROKES, RuleParameters

PRESETS = {p.code: p.params for p in BUILTIN_PRESETS}
NATIONAL = PRESETS["VCOL_2018_NATIONAL"]
ZHEJIANG = PRESETS["ZHEJIANG_2020"]
BEIJING = PRESETS["BEIJING_2012"]
SHANGHAI = PRESETS["SHANGHAI_2020"]
HENAN = PRESETS["HENAN_2011"]


def codes(problems):
    return [p.code for p in problems]


def candidates(post, count, *, sex="M", start=0):
    return [SlateCandidate(key=f"{post}{i}", name=f"候选人{post}{i}", post=post, sex=sex)
            for i in range(start, start + count)]


def slate(post, seats, count, params, *, woman=True):
    people = candidates(post, count)
    if woman and people:
        people[0] = SlateCandidate(key=people[0].key, name=people[0].name, post=post, sex="F")
    return check_slate(candidates=people, posts=[SlatePost(post, seats)], params=params)


@pytest.mark.parametrize(
    "params, post, seats, count, expected",
    [
        (NATIONAL, "chair", 1, 1, ["surplus_too_small"]),  # 等额: not allowed
        (NATIONAL, "chair", 1, 0, ["surplus_too_small"]),
        (NATIONAL, "chair", 1, 2, []),
        (NATIONAL, "member", 3, 9, []),  # no national ceiling
        (BEIJING, "member", 3, 5, []),
        (BEIJING, "member", 3, 6, ["surplus_too_large"]),
        (SHANGHAI, "chair", 1, 3, ["surplus_too_large"]),
        (SHANGHAI, "member", 3, 6, []),
        (SHANGHAI, "member", 3, 7, ["surplus_too_large"]),
        (HENAN, "vice_chair", 2, 3, []),
        (HENAN, "vice_chair", 2, 4, ["surplus_too_large"]),
    ],
)
def test_each_post_needs_the_preset_surplus(params, post, seats, count, expected):
    assert codes(slate(post, seats, count, params)) == expected


def test_surplus_messages_state_the_numbers_and_the_rule():
    (small,) = slate("chair", 1, 1, NATIONAL)
    assert small.message == "主任应选1名，候选人1名，差额0名，少于规定的至少1名"
    assert small.severity == ERROR and small.post == "chair"
    (large,) = slate("member", 3, 6, BEIJING)
    assert large.message == "委员应选3名，候选人6名，差额3名，多于规定的1至2名"


def test_same_person_twice_for_one_post_is_counted_once_and_reported():
    people = candidates("chair", 2) + candidates("chair", 1)
    problems = check_slate(candidates=people, posts=[SlatePost("chair", 1)], params=NATIONAL)
    assert codes(problems) == ["duplicate_candidate", "no_woman_candidate"]


def test_candidate_for_a_post_not_in_this_election():
    people = candidates("chair", 2, sex="F") + candidates("vice_chair", 1)
    problems = check_slate(candidates=people, posts=[SlatePost("chair", 1)], params=NATIONAL)
    assert codes(problems) == ["unknown_post"]
    assert "副主任" in problems[0].message


def test_exclusive_mode_makes_a_person_nominated_for_two_posts_choose():
    people = candidates("chair", 2, sex="F") + [SlateCandidate(key="chair0", name="张三", post="member", sex="F")]
    people += candidates("member", 2)
    problems = check_slate(candidates=people, posts=[SlatePost("chair", 1), SlatePost("member", 2)], params=NATIONAL)
    assert codes(problems) == ["nominated_for_several_posts"]
    assert problems[0].message == "候选人chair0同时被提名为主任、委员候选人，须书面确认只参选其中一个职务"


def test_cascade_mode_accepts_a_person_on_two_posts():
    people = candidates("chair", 2, sex="F") + [SlateCandidate(key="chair0", name="张三", post="member", sex="F")]
    people += candidates("member", 2)
    problems = check_slate(candidates=people, posts=[SlatePost("chair", 1), SlatePost("member", 2)], params=HENAN)
    assert problems == []


WOMAN_POSTS = [SlatePost("chair", 1), SlatePost("member", 2), SlatePost("woman_member", 1, gender_required="F")]


def test_reserved_women_seat_needs_its_post():
    problems = check_slate(candidates=candidates("chair", 2), posts=[SlatePost("chair", 1)], params=ZHEJIANG)
    assert codes(problems) == ["woman_seat_post_missing"]


def test_women_seat_candidates_must_be_women():
    people = candidates("chair", 2) + candidates("member", 3)
    people += candidates("woman_member", 1, sex="F") + candidates("woman_member", 1, start=1)
    problems = check_slate(candidates=people, posts=WOMAN_POSTS, params=ZHEJIANG)
    assert codes(problems) == ["woman_seat_candidate_not_woman"]
    assert problems[0].message == "候选人woman_member1不是女性，不能作为妇女委员候选人"


def test_a_woman_must_be_among_member_candidates_when_the_seat_is_reserved():
    people = candidates("chair", 2, sex="F") + candidates("member", 3) + candidates("woman_member", 2)
    problems = check_slate(candidates=people, posts=WOMAN_POSTS, params=ZHEJIANG)
    assert "no_woman_member_candidate" in codes(problems)


def test_women_seat_post_alone_triggers_the_member_rule():
    posts = [SlatePost("member", 2), SlatePost("woman_member", 1, gender_required="F")]
    people = candidates("member", 3) + candidates("woman_member", 2, sex="F")
    assert check_slate(candidates=people, posts=posts, params=NATIONAL) == []


def test_no_woman_anywhere_is_a_warning_without_a_reserved_seat():
    (problem,) = slate("member", 2, 3, NATIONAL, woman=False)
    assert problem.code == "no_woman_candidate" and problem.severity == WARNING


def test_no_woman_warning_follows_the_preset():
    params = RuleParameters(require_woman_member=False)
    assert slate("member", 2, 3, params, woman=False) == []


@pytest.mark.parametrize(
    "nominations, params, expected",
    [
        ({"chair": ["a"], "member": ["b", "c"]}, NATIONAL, []),
        ({"chair": ["a", "b"]}, NATIONAL, ["too_many_nominations"]),
        ({"chair": ["a", "b"]}, RuleParameters(nominations_per_voter_max_is_seats=False), []),
        ({"member": ["b", "b"]}, NATIONAL, ["duplicate_nomination"]),
        ({"chair": ["a"], "member": ["a", "c"]}, NATIONAL, ["same_person_several_posts"]),
        ({"chair": ["a"], "member": ["a", "c"]}, HENAN, []),
        ({"vice_chair": ["a"]}, NATIONAL, ["unknown_post"]),
    ],
)
def test_nomination_ballot(nominations, params, expected):
    posts = [SlatePost("chair", 1), SlatePost("member", 2)]
    assert codes(check_nomination_ballot(nominations=nominations, posts=posts, params=params)) == expected


def test_nomination_ballot_messages_use_names():
    problems = check_nomination_ballot(nominations={"chair": ["a"], "member": ["a"]},
                                       posts=[SlatePost("chair", 1), SlatePost("member", 2)],
                                       params=ZHEJIANG, names={"a": "张三"})
    assert problems[0].message == "该提名票将张三同时提名为主任、委员，对其的提名无效"


def person(name, post="member", votes=0, key=None):
    return SlateCandidate(key=key or name, name=name, post=post, nomination_votes=votes)


def test_order_by_nomination_votes_groups_posts_from_the_top():
    people = [person("甲", votes=10), person("乙", "chair", votes=5), person("丙", votes=30), person("丁", "chair", 50)]
    ordered = order_candidates(people, params=NATIONAL)
    assert [c.name for c in ordered] == ["丁", "乙", "丙", "甲"]


def test_equal_nomination_votes_fall_back_to_stroke_order():
    ordered = order_candidates([person("赵六", votes=9), person("王五", votes=9)], params=NATIONAL)
    assert [c.name for c in ordered] == ["王五", "赵六"]


STROKE_PARAMS = RuleParameters(candidate_order=ORDER_BY_STROKES)


@pytest.mark.parametrize(
    "names, expected",
    [
        (["黄明", "王芳", "赵强", "丁一"], ["丁一", "王芳", "赵强", "黄明"]),  # 2, 4, 9, 11 strokes
        (["王明", "王一"], ["王一", "王明"]),  # same surname: the given name decides
        (["王小明", "王小"], ["王小", "王小明"]),  # a prefix sorts first
    ],
)
def test_order_by_surname_strokes(names, expected):
    ordered = order_candidates([person(n, votes=i) for i, n in enumerate(names)], params=STROKE_PARAMS)
    assert [c.name for c in ordered] == expected


def test_equal_stroke_counts_fall_back_to_code_point_not_the_official_first_stroke():
    # Known limitation: 李 and 张 have 7 strokes; the official rule puts 李 (横 first) before 张 (折 first).
    ordered = order_candidates([person("李四"), person("张三")], params=STROKE_PARAMS)
    assert [c.name for c in ordered] == ["张三", "李四"]
