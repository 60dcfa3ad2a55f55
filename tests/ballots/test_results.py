import pytest

from ballots.results import (
    COMPLETE,
    FILLED,
    INCOMPLETE,
    INVALID,
    PENDING,
    REVOTE,
    RUNOFF_NEEDED,
    TIED,
    VACANCIES,
    Elected,
    Person,
    Post,
    Revote,
    Tally,
    at_least_fraction,
    decide_outcome,
    decide_runoff,
    decide_tie_revote,
    is_more_than_half,
)
from villages.presets import BUILTIN_PRESETS, CASCADE_DOWN, RuleParameters, Surplus

NATIONAL = RuleParameters()
CASCADE = RuleParameters(multi_post_mode=CASCADE_DOWN)
ZHEJIANG = next(p for p in BUILTIN_PRESETS if p.code == "ZHEJIANG_2020").params
HENAN = next(p for p in BUILTIN_PRESETS if p.code == "HENAN_2011").params

NAMES = {"zs": "张三", "ls": "李四", "ww": "王五", "zl": "赵六", "qq": "钱七", "sb": "孙八", "zj": "周九", "wm": "吴梅"}
WOMEN = {"zl", "wm"}
PEOPLE = [Person(key=k, name=n, sex="F" if k in WOMEN else "M") for k, n in NAMES.items()]
COMMITTEE = [Post("chair", 1), Post("member", 2)]


def tally(votes, *, cast=1201, invalid=0):
    return Tally(persons=PEOPLE, votes=votes, ballots_cast=cast, invalid_ballots=invalid)


def decide(votes, *, posts=COMMITTEE, cast=1201, invalid=0, registered=2000, params=NATIONAL, **kwargs):
    return decide_outcome(tally(votes, cast=cast, invalid=invalid), posts=posts, registered_voters=registered,
                          params=params, **kwargs)


def messages(outcome, code):
    return [f.message for f in outcome.findings if f.code == code]


@pytest.mark.parametrize(
    "n, d, expected",
    [(601, 1201, True), (600, 1201, False), (600, 1200, False), (601, 1200, True), (0, 0, False), (1, 1, True)],
)
def test_more_than_half_is_strict(n, d, expected):
    assert is_more_than_half(n, d) is expected


@pytest.mark.parametrize(
    "n, d, num, den, expected",
    [(400, 1200, 1, 3, True), (399, 1200, 1, 3, False), (334, 1001, 1, 3, True), (333, 1001, 1, 3, False),
     (1, 2, 1, 2, True), (0, 0, 1, 3, True)],
)
def test_at_least_fraction_includes_the_boundary(n, d, num, den, expected):
    assert at_least_fraction(n, d, num, den) is expected


@pytest.mark.parametrize("args", [(600.0, 1200), (600, True), ("1", 2)])
def test_thresholds_accept_integers_only(args):
    with pytest.raises(TypeError):
        is_more_than_half(*args)


@pytest.mark.parametrize("voted, registered, valid", [(600, 1200, False), (601, 1200, True), (600, 1201, False)])
def test_election_is_valid_only_with_more_than_half_of_registered_voting(voted, registered, valid):
    outcome = decide({"chair": {"zs": voted}}, cast=voted, registered=registered)
    assert outcome.valid is valid
    assert (outcome.status == INVALID) is not valid


def test_invalid_turnout_sentence():
    outcome = decide({}, cast=600, registered=1201)
    assert [f.message for f in outcome.findings] == ["参加投票人数600人，未超过登记选民1201人的半数，选举无效"]
    assert outcome.elected == ()


@pytest.mark.parametrize("votes, elected", [(601, True), (600, False), (1200, True)])
def test_winning_needs_more_than_half_of_those_who_voted(votes, elected):
    outcome = decide({"chair": {"zs": votes}}, cast=1200, posts=[Post("chair", 1)])
    assert (outcome.elected_for("chair") == ("zs",)) is elected


def test_win_and_loss_sentences_carry_the_numbers():
    outcome = decide({"chair": {"zs": 612, "ls": 589}})
    assert messages(outcome, "elected") == ["张三得票612票，超过参加投票1201人的半数，当选主任"]
    assert messages(outcome, "not_elected") == ["李四得票589票，未超过参加投票1201人的半数，未当选主任"]


def test_threshold_counts_ballots_cast_not_valid_ballots():
    # 550 is more than half of the 1000 valid ballots but not of the 1201 cast.
    outcome = decide({"chair": {"zs": 550}}, posts=[Post("chair", 1)], cast=1201, invalid=201)
    assert outcome.elected == ()
    assert outcome.status == RUNOFF_NEEDED


def test_highest_first_up_to_the_seats():
    outcome = decide({"member": {"ww": 900, "zl": 800, "qq": 700}}, posts=[Post("member", 2)])
    assert outcome.elected_for("member") == ("ww", "zl")
    (sentence,) = messages(outcome, "outranked")
    assert sentence == "钱七得票700票，超过参加投票1201人的半数，但名次在应选2名之后，未当选委员"


def test_tie_at_the_last_seat_goes_to_a_revote_and_earlier_seats_stand():
    outcome = decide({"chair": {"zs": 700}, "member": {"ww": 700, "zl": 650, "qq": 650}})
    assert outcome.status == REVOTE
    assert outcome.elected_for("member") == ("ww",)
    assert outcome.revotes == (Revote(post="member", seats=1, persons=("qq", "zl"), votes=650),)
    assert messages(outcome, "tie_revote") == ["钱七与赵六得票均为650票，并列争夺最后一个委员职位，须就并列者重新投票"]


def test_three_tied_for_two_seats():
    outcome = decide({"member": {"ww": 650, "zl": 650, "qq": 650}}, posts=[Post("member", 2)])
    assert outcome.elected == ()
    assert outcome.revotes[0].seats == 2 and set(outcome.revotes[0].persons) == {"ww", "zl", "qq"}
    assert "并列争夺最后2个委员职位" in messages(outcome, "tie_revote")[0]


def test_equal_votes_that_all_fit_are_not_a_tie():
    outcome = decide({"chair": {"zs": 700}, "member": {"ww": 650, "zl": 650}})
    assert outcome.status == COMPLETE
    assert set(outcome.elected_for("member")) == {"ww", "zl"} and outcome.revotes == ()


def test_equal_votes_below_the_threshold_go_to_the_runoff_together():
    outcome = decide({"chair": {"zs": 700}, "member": {"ww": 700, "zl": 500, "qq": 500, "sb": 400}})
    assert outcome.status == RUNOFF_NEEDED
    (line,) = outcome.runoff
    assert line.post == "member" and line.seats == 1 and set(line.candidates) == {"zl", "qq"}


def test_runoff_candidates_are_seats_unfilled_plus_the_surplus_with_ties_at_the_cut():
    params = RuleParameters(surplus_member=Surplus(min_extra=2))
    votes = {"chair": {"zs": 700}, "member": {"ww": 500, "zl": 400, "qq": 300, "sb": 300, "zj": 100}}
    outcome = decide(votes, params=params)
    (line,) = outcome.runoff
    assert line.seats == 2 and not line.short
    assert line.candidates == ("ww", "zl", "qq", "sb")  # 2 seats + 2 extra, 孙八 tied with 钱七 at the cut
    assert messages(outcome, "seats_unfilled") == ["委员应选2名，当选0名，尚缺2名，须另行选举"]


def test_runoff_line_is_short_when_too_few_persons_received_votes():
    outcome = decide({"chair": {"zs": 700}, "member": {"ww": 500}})
    (line,) = outcome.runoff
    assert line.candidates == ("ww",) and line.short
    assert messages(outcome, "runoff_candidates_short")


def test_exclusive_mode_removes_a_higher_winner_from_lower_posts():
    outcome = decide({"chair": {"zs": 700}, "member": {"zs": 900, "ww": 800, "zl": 650}})
    assert outcome.elected_for("chair") == ("zs",)
    assert outcome.elected_for("member") == ("ww", "zl")
    assert messages(outcome, "elected_to_higher_post") == ["张三已当选主任，其委员得票900票不再计算"]


def test_exclusive_mode_never_adds_chair_votes_to_member():
    outcome = decide({"chair": {"zs": 700, "ls": 500}, "member": {"ls": 150, "ww": 800, "zl": 650}})
    assert "ls" not in {e.key for e in outcome.elected}


def test_cascade_down_chair_loser_wins_as_member_with_added_votes():
    votes = {"chair": {"zs": 700, "ls": 500}, "member": {"ls": 150, "ww": 800, "zl": 400}}
    outcome = decide(votes, params=CASCADE)
    assert outcome.status == COMPLETE
    assert outcome.elected_for("member") == ("ww", "ls")
    sentence = "李四得票650票（其中由上级职务累加500票），超过参加投票1201人的半数，当选委员"
    assert sentence in messages(outcome, "elected")


def test_cascade_down_never_adds_lower_votes_to_a_higher_post():
    votes = {"chair": {"zs": 400, "ls": 500}, "member": {"zs": 800}}
    outcome = decide(votes, params=CASCADE, posts=[Post("chair", 1), Post("member", 1)])
    assert outcome.elected_for("chair") == ()
    assert outcome.elected_for("member") == ("zs",)  # 400 + 800 counts for member only


def test_cascade_vice_chair_total_is_chair_plus_vice_chair_votes():
    posts = [Post("chair", 1), Post("vice_chair", 1), Post("member", 1)]
    votes = {"chair": {"zs": 800, "ls": 300}, "vice_chair": {"ls": 301, "ww": 500}, "member": {"ww": 200, "zl": 900}}
    outcome = decide(votes, params=CASCADE, posts=posts)
    assert outcome.elected_for("vice_chair") == ("ls",)  # 601 beats 王五's 500
    assert outcome.elected_for("member") == ("zl",)  # 王五 700 < 赵六 900


def test_chair_tie_keeps_lower_posts_pending_in_cascade_mode():
    votes = {"chair": {"zs": 650, "ls": 650}, "member": {"ww": 800, "zl": 700}}
    outcome = decide(votes, params=CASCADE, cast=1200)
    assert outcome.status == REVOTE
    assert [r.status for r in outcome.posts] == [TIED, PENDING]
    assert outcome.elected == ()
    assert messages(outcome, "pending_revote") == ["委员的结果须待主任并列者重新投票后确定"]


def test_chair_tie_leaves_independent_lower_posts_decided_in_exclusive_mode():
    votes = {"chair": {"zs": 650, "ls": 650}, "member": {"ww": 800, "zl": 700}}
    outcome = decide(votes, cast=1200)
    assert [r.status for r in outcome.posts] == [TIED, FILLED]
    assert outcome.elected_for("member") == ("ww", "zl")


def test_revote_winners_fed_back_settle_the_outcome():
    votes = {"chair": {"zs": 650, "ls": 650}, "member": {"ls": 10, "ww": 800, "zl": 700}}
    first = decide(votes, cast=1200)
    assert first.posts[1].status == PENDING  # 李四 has member votes: his chair revote decides the member race
    result = decide_tie_revote(revote=first.revotes[0], votes={"zs": 600, "ls": 590}, names=NAMES)
    assert result.winners == ("zs",) and result.revote is None
    settled = decide(votes, cast=1200, tie_winners={"chair": result.winners})
    assert settled.status == COMPLETE
    assert settled.elected_for("chair") == ("zs",)
    assert "张三经并列者重新投票当选主任（第一次投票得票650票）" in messages(settled, "tie_winner_recorded")


def test_revote_tied_again_is_not_settled():
    revote = Revote(post="member", seats=1, persons=("qq", "zl"), votes=650)
    result = decide_tie_revote(revote=revote, votes={"qq": 300, "zl": 300}, names=NAMES)
    assert result.winners == ()
    assert result.revote == Revote(post="member", seats=1, persons=("qq", "zl"), votes=300)


@pytest.mark.parametrize("winners", [("ww",), ("qq", "zl")])
def test_tie_winners_must_match_the_tie(winners):
    votes = {"member": {"ww": 700, "zl": 650, "qq": 650}}
    with pytest.raises(ValueError):
        decide(votes, posts=[Post("member", 2)], tie_winners={"member": winners})


WOMAN_POSTS = [Post("chair", 1), Post("member", 1), Post("woman_member", 1, gender_required="F")]


def test_women_seat_is_filled_from_women_only():
    votes = {"chair": {"zs": 700}, "member": {"ww": 700}, "woman_member": {"qq": 900, "zl": 650, "wm": 300}}
    outcome = decide(votes, posts=WOMAN_POSTS, params=ZHEJIANG)
    assert outcome.elected_for("woman_member") == ("zl",)
    assert messages(outcome, "not_eligible_for_post") == ["钱七不是女性，所得妇女委员票900票不计"]


def test_women_seat_unfilled_keeps_a_women_only_runoff_line():
    votes = {"chair": {"zs": 700}, "member": {"ww": 700}, "woman_member": {"qq": 900, "zl": 500, "wm": 300}}
    outcome = decide(votes, posts=WOMAN_POSTS, params=ZHEJIANG)
    assert outcome.status == RUNOFF_NEEDED
    (line,) = outcome.runoff
    assert line.post == "woman_member" and line.gender_required == "F" and line.candidates == ("zl", "wm")
    assert messages(outcome, "woman_seat_unfilled")


def test_women_seat_reserved_by_the_preset_requires_the_post():
    with pytest.raises(ValueError):
        decide({"chair": {"zs": 700}}, params=ZHEJIANG)


def test_committee_without_a_woman_is_reported():
    outcome = decide({"chair": {"zs": 700}, "member": {"ww": 700, "qq": 650}})
    assert outcome.status == COMPLETE
    assert messages(outcome, "no_woman_elected") == ["当选的3名成员中没有妇女，而村民委员会成员中应当有妇女成员"]
    assert messages(outcome, "committee_complete") == ["村民委员会应选3名，已全部选出"]


@pytest.mark.parametrize(
    "posts, votes",
    [
        ([Post("member", 2), Post("chair", 1)], {}),  # not from the top
        ([Post("chair", 0)], {}),
        ([Post("treasurer", 1)], {}),
        (COMMITTEE, {"chair": {"zs": 1202}}),  # more votes than ballots
        (COMMITTEE, {"chair": {"nobody": 1}}),
        (COMMITTEE, {"vice_chair": {"zs": 1}}),
    ],
)
def test_malformed_input_is_refused(posts, votes):
    with pytest.raises(ValueError):
        decide(votes, posts=posts)


@pytest.mark.parametrize("cast, invalid, registered", [(1201, 0, 1200), (1201, 1202, 2000), (-1, 0, 2000)])
def test_impossible_totals_are_refused(cast, invalid, registered):
    with pytest.raises(ValueError):
        decide({}, cast=cast, invalid=invalid, registered=registered)


# --- 另行选举 -----------------------------------------------------------------------------------------

FIRST_ROUND = (Elected(key="zs", name="张三", sex="M", post="chair", votes=700),
               Elected(key="ww", name="王五", sex="M", post="member", votes=800),
               Elected(key="zl", name="赵六", sex="F", post="member", votes=700))


RUNOFF_POSTS = (Post("member", 1),)


def new(outcome, post="member"):
    """Persons the runoff itself elected (``Outcome.elected`` lists the whole committee so far)."""
    return next(r.elected for r in outcome.posts if r.post == post)


def runoff(votes, *, posts=RUNOFF_POSTS, cast=900, invalid=0, registered=2000, params=NATIONAL,
           already=FIRST_ROUND):
    return decide_runoff(tally(votes, cast=cast, invalid=invalid), posts=posts, registered_voters=registered,
                         already_elected=already, params=params)


@pytest.mark.parametrize("votes, elected", [(300, True), (299, False)])
def test_runoff_winner_needs_at_least_one_third_of_ballots_cast(votes, elected):
    outcome = runoff({"member": {"qq": votes, "sb": 250}}, cast=900)
    assert (new(outcome) == ("qq",)) is elected


def test_runoff_sentences():
    won = runoff({"member": {"qq": 300, "sb": 250}}, cast=900)
    assert "钱七得票300票，不少于已投选票总数900张的三分之一，当选委员" in messages(won, "runoff_elected")
    assert "孙八得票250票，少于已投选票总数900张的三分之一，未当选委员" in messages(won, "runoff_not_elected")


@pytest.mark.parametrize("spoiled_counted, elected", [(True, False), (False, True)])
def test_runoff_total_counts_spoiled_ballots_only_if_the_preset_says_so(spoiled_counted, elected):
    params = RuleParameters(runoff_spoiled_counted_in_total=spoiled_counted)
    outcome = runoff({"member": {"qq": 290}}, cast=900, invalid=30, params=params)  # 3*290 = 870
    assert (new(outcome) == ("qq",)) is elected


def test_runoff_most_votes_win_even_without_a_majority():
    outcome = runoff({"member": {"qq": 400, "sb": 350}}, posts=[Post("member", 1)], cast=900)
    assert new(outcome) == ("qq",)
    (sentence,) = messages(outcome, "runoff_outranked")
    assert sentence == "孙八得票350票，不少于已投选票总数900张的三分之一，但名次在应选1名之后，未当选委员"


def test_runoff_tie_at_the_last_seat_goes_to_a_revote():
    outcome = runoff({"member": {"qq": 400, "sb": 400}}, cast=900)
    assert outcome.status == REVOTE and outcome.revotes[0].persons == ("qq", "sb")


def test_runoff_does_not_elect_someone_already_elected():
    outcome = runoff({"member": {"zs": 800, "qq": 300}}, cast=900)
    assert new(outcome) == ("qq",)
    assert outcome.elected_for("member") == ("ww", "zl", "qq")


def test_runoff_completes_the_committee():
    outcome = runoff({"member": {"qq": 300}}, posts=[Post("member", 1)], cast=900)
    assert outcome.status == COMPLETE and len(outcome.elected) == 4


def test_runoff_with_fewer_than_three_members_is_incomplete():
    outcome = runoff({"member": {"qq": 200}}, posts=[Post("member", 2)], already=FIRST_ROUND[:1])
    assert outcome.status == INCOMPLETE
    assert messages(outcome, "committee_incomplete") == ["村民委员会共选出1名成员，不足3名，选举未完成，须再次另行选举"]
    assert outcome.runoff and outcome.runoff[0].seats == 2


def test_runoff_with_three_members_may_leave_seats_vacant():
    outcome = runoff({"member": {"qq": 200}}, posts=[Post("member", 2)])
    assert outcome.status == VACANCIES
    assert messages(outcome, "vacancies_may_remain")


def test_runoff_keeps_the_women_line_when_no_woman_is_elected():
    already = FIRST_ROUND[:2]
    posts = [Post("woman_member", 1, gender_required="F")]
    outcome = runoff({"woman_member": {"wm": 200}}, posts=posts, already=already, params=ZHEJIANG)
    assert new(outcome, "woman_member") == ()
    assert messages(outcome, "woman_seat_unfilled")
    assert outcome.runoff[0].gender_required == "F"


def test_henan_two_tier_runoff_needs_more_than_half_of_voters_to_take_part():
    outcome = runoff({"member": {"qq": 900}}, cast=1000, registered=2000, params=HENAN)
    assert outcome.status == INVALID and not outcome.valid
    assert outcome.findings[0].message == "另行选举参加投票人数1000人，未超过登记选民2000人的半数，另行选举无效"


@pytest.mark.parametrize(
    "votes, code",
    [(601, "runoff_elected_majority"), (400, "runoff_elected"), (399, None)],
)
def test_henan_two_tier_runoff_majority_first_then_one_third(votes, code):
    outcome = runoff({"member": {"qq": votes}}, cast=1200, registered=2000, params=HENAN)
    found = [f.code for f in outcome.findings if f.persons == ("qq",) and "candidates" not in f.code]
    assert found == ([code] if code else ["runoff_not_elected"])


def test_cascade_down_keeps_the_carried_part_of_each_score():
    votes = {"chair": {"zs": 700, "ls": 500}, "member": {"ls": 150, "ww": 800, "zl": 400}}
    member = next(p for p in decide(votes, params=CASCADE).posts if p.post == "member")
    assert member.carried == {"zs": 700, "ls": 500}
    assert next(p for p in decide(votes).posts if p.post == "member").carried == {}
