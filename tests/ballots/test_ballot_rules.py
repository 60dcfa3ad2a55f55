"""Per-ballot validity (唱票计票) under each preset mode, table-driven, without the database."""

from dataclasses import replace

import pytest

from ballots.ballot_rules import (
    ABSTAINED, COUNTED, MESSAGES, VOID, BallotMarks, PostMarks, judge_ballot, running_count, tally_from_ballots,
)
from ballots.sheets import SheetLayout, SheetPost
from villages.presets import CASCADE_DOWN, EXCLUSIVE, INVALIDATE_BALLOT, INVALIDATE_POST, RuleParameters

# Persons: 1, 2 chair candidates; 3, 4, 5 member candidates; 6, 7 women's line (7 is a man, wrongly written in).
SEATS = {"chair": 1, "member": 2, "woman_member": 1}
NAMES = {1: "陈国强", 2: "林志明", 3: "王建军", 4: "赵立新", 5: "孙浩", 6: "李秀兰", 7: "张伟"}
MEN = {1, 2, 3, 4, 5, 7}


def params(mode=EXCLUSIVE, scope=INVALIDATE_POST):
    return RuleParameters(multi_post_mode=mode, invalidate_scope=scope)


def ballot(chair=(), member=(), woman=(), *, illegible=(), whole=False):
    posts = {"chair": chair, "member": member, "woman_member": woman}
    return BallotMarks(
        posts={p: PostMarks(tuple(persons), p in illegible) for p, persons in posts.items()}, illegible=whole
    )


def judge(marks, mode=EXCLUSIVE, scope=INVALIDATE_POST):
    return judge_ballot(marks, seats=SEATS, params=params(mode, scope), names=NAMES, men=MEN)


# (marks, mode, scope) → (valid, {post: status}, problem codes)
CASES = [
    # a plain valid ballot, in every mode
    (ballot([1], [3, 4], [6]), EXCLUSIVE, INVALIDATE_POST, True, (COUNTED, COUNTED, COUNTED), []),
    (ballot([1], [3, 4], [6]), CASCADE_DOWN, INVALIDATE_BALLOT, True, (COUNTED, COUNTED, COUNTED), []),
    # fewer marks than seats is valid; an empty section is an abstention
    (ballot([1], [3], []), EXCLUSIVE, INVALIDATE_POST, True, (COUNTED, COUNTED, ABSTAINED), []),
    (ballot(), EXCLUSIVE, INVALIDATE_POST, True, (ABSTAINED, ABSTAINED, ABSTAINED), []),
    # more marks than seats: the section (scope post) or the whole ballot (scope ballot)
    (ballot([1], [3, 4, 5], [6]), EXCLUSIVE, INVALIDATE_POST, True, (COUNTED, VOID, COUNTED), ["post_overvote"]),
    (ballot([1, 2], [3], [6]), CASCADE_DOWN, INVALIDATE_POST, True, (VOID, COUNTED, COUNTED), ["post_overvote"]),
    (ballot([1], [3, 4, 5], [6]), EXCLUSIVE, INVALIDATE_BALLOT, False, (VOID, VOID, VOID),
     ["post_overvote", "scope_ballot"]),
    # the same person twice in one section
    (ballot([1], ["王五", "王五"], [6]), CASCADE_DOWN, INVALIDATE_POST, True, (COUNTED, VOID, COUNTED),
     ["post_duplicate_person"]),
    # illegible section / whole ballot
    (ballot([1], [3], [6], illegible={"chair"}), EXCLUSIVE, INVALIDATE_POST, True, (VOID, COUNTED, COUNTED),
     ["post_illegible"]),
    (ballot([1], [3], [6], illegible={"chair"}), EXCLUSIVE, INVALIDATE_BALLOT, False, (VOID, VOID, VOID),
     ["post_illegible", "scope_ballot"]),
    (ballot([1], [3], [6], whole=True), CASCADE_DOWN, INVALIDATE_POST, False, (VOID, VOID, VOID),
     ["ballot_illegible"]),
    # the same person elected to two posts: invalid in exclusive mode, counted (cascading) otherwise
    (ballot([1], [1, 3], [6]), EXCLUSIVE, INVALIDATE_POST, False, (VOID, VOID, VOID),
     ["same_person_several_posts"]),
    (ballot([1], [1, 3], [6]), EXCLUSIVE, INVALIDATE_BALLOT, False, (VOID, VOID, VOID),
     ["same_person_several_posts"]),
    (ballot([1], [1, 3], [6]), CASCADE_DOWN, INVALIDATE_POST, True, (COUNTED, COUNTED, COUNTED), []),
    (ballot(["王五"], ["王五"]), EXCLUSIVE, INVALIDATE_POST, False, (VOID, VOID, VOID),
     ["same_person_several_posts"]),
    # a void section elects nobody, so it cannot elect someone twice
    (ballot([1], [1, 3, 4]), EXCLUSIVE, INVALIDATE_POST, True, (COUNTED, VOID, ABSTAINED), ["post_overvote"]),
    # the women's line: a man's mark is not counted, the rest of the ballot stands
    (ballot([1], [3], [7]), EXCLUSIVE, INVALIDATE_POST, True, (COUNTED, COUNTED, ABSTAINED), ["post_not_woman"]),
    (ballot([1], [3], [7]), EXCLUSIVE, INVALIDATE_BALLOT, True, (COUNTED, COUNTED, ABSTAINED), ["post_not_woman"]),
    (ballot([1], [3], ["未登记的人"]), EXCLUSIVE, INVALIDATE_POST, True, (COUNTED, COUNTED, COUNTED), []),
    (ballot([1], [3], [6, 7]), EXCLUSIVE, INVALIDATE_POST, True, (COUNTED, COUNTED, COUNTED), ["post_not_woman"]),
    # a member who is also on the women's line is the same person for two posts
    (ballot([1], [6], [6]), EXCLUSIVE, INVALIDATE_POST, False, (VOID, VOID, VOID), ["same_person_several_posts"]),
]


@pytest.mark.parametrize("marks, mode, scope, valid, statuses, codes", CASES)
def test_ballot_validity(marks, mode, scope, valid, statuses, codes):
    verdict = judge(marks, mode, scope)
    assert verdict.valid is valid
    assert tuple(verdict.posts[p].status for p in SEATS) == statuses
    assert verdict.codes == codes


def test_same_person_message_names_the_person_and_posts():
    (problem,) = judge(ballot([1], [1, 3])).problems
    assert problem.message == "本票将陈国强同时选为主任、委员，选举同一人为两项以上职务，整张无效"


def test_every_message_formats():
    assert set(MESSAGES) == {
        "ballot_illegible", "post_illegible", "post_overvote", "post_duplicate_person", "post_not_woman",
        "same_person_several_posts", "scope_ballot",
    }


def test_marks_survive_json():
    marks = ballot([1], [3, "王五"], [6], illegible={"woman_member"})
    assert BallotMarks.from_json(marks.to_json()) == marks


LAYOUT = SheetLayout(posts=(
    SheetPost("chair", 1, ((1, "陈国强"), (2, "林志明"))),
    SheetPost("member", 2, ((3, "王建军"), (4, "赵立新"), (5, "孙浩"))),
    SheetPost("woman_member", 1, ((6, "李秀兰"),)),
))


def test_tally_from_ballots_adds_up_and_reconciles():
    marks = [
        ballot([1], [3, 4], [6]),
        ballot([2], [3], []),
        ballot([1], [3, 4, 5], [6]),  # member section void
        ballot([1], [1, 3], [6]),  # same person twice: invalid
        ballot([], ["王五"], [6], whole=True),  # illegible: invalid
        ballot([4], [3], ["李秀兰"]),  # 赵立新 printed for member, written in for chair
    ]
    names = {**NAMES, 4: "赵立新"}
    values = tally_from_ballots([judge(m) for m in marks], LAYOUT, issued=7, names=names)
    assert (values.issued, values.returned, values.valid, values.invalid) == (7, 6, 4, 2)
    chair, member, woman = (values.posts[p] for p in ("chair", "member", "woman_member"))
    assert chair.candidate_votes == {1: 2, 2: 1} and chair.write_ins == {"赵立新": 1}
    assert member.candidate_votes == {3: 3, 4: 1, 5: 0} and member.invalid_for_post == 1
    assert woman.candidate_votes == {6: 2} and woman.write_ins == {"李秀兰": 1} and woman.abstentions == 1

    from ballots.sheets import check

    # 赵立新 has votes under 主任 and 委员: on a sheet, the number of ballots naming him twice is asked for
    errors, _warnings = check(values, LAYOUT, params=params(), assigned_voters=None)
    assert [d.code for d in errors] == ["same_person_several_posts_count_needed"]
    errors, _warnings = check(replace(values, several_posts_ballots=1), LAYOUT, params=params(), assigned_voters=None)
    assert errors == []


def test_tally_from_ballots_with_ballot_scope_has_no_void_sections():
    verdicts = [judge(ballot([1], [3, 4, 5], [6]), scope=INVALIDATE_BALLOT), judge(ballot([1], [3], [6]))]
    values = tally_from_ballots(verdicts, LAYOUT, issued=2)
    assert (values.valid, values.invalid) == (1, 1)
    assert all(p.invalid_for_post == 0 for p in values.posts.values())


def test_running_count_lists_printed_candidates_then_written_names():
    ballots_, valid, invalid, board = running_count(
        [judge(ballot([1], [3, "王五"], [6])), judge(ballot([1], [1]))], LAYOUT, NAMES
    )
    assert (ballots_, valid, invalid) == (2, 1, 1)
    assert board["member"] == [("王建军", 1), ("赵立新", 0), ("孙浩", 0), ("王五", 1)]
