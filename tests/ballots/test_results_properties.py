"""Properties of the results engine over random tallies; small vote counts make ties common."""

from hypothesis import given, settings
from hypothesis import strategies as st

from ballots.results import PENDING, Person, Post, Tally, decide_outcome, decide_runoff
from villages.presets import CASCADE_DOWN, EXCLUSIVE, RuleParameters

# Written out again rather than imported, so the test checks the engine against an independent reading.
RANK = {"chair": 1, "vice_chair": 2, "member": 3, "woman_member": 3}


@st.composite
def elections(draw):
    count = draw(st.integers(min_value=2, max_value=7))
    persons = [Person(key=f"p{i}", name=f"候选人{i}", sex=draw(st.sampled_from("MF"))) for i in range(count)]
    posts = [Post("chair", 1)]
    vice = draw(st.integers(min_value=0, max_value=2))
    if vice:
        posts.append(Post("vice_chair", vice))
    posts.append(Post("member", draw(st.integers(min_value=1, max_value=4))))
    if draw(st.booleans()):
        posts.append(Post("woman_member", 1, gender_required="F"))
    cast = draw(st.integers(min_value=1, max_value=40))
    votes = {
        post.code: {p.key: draw(st.integers(min_value=0, max_value=cast)) for p in persons if draw(st.booleans())}
        for post in posts
    }
    mode = draw(st.sampled_from([EXCLUSIVE, CASCADE_DOWN]))
    return persons, posts, cast, votes, RuleParameters(multi_post_mode=mode)


def score(votes, posts, post, key, params):
    own = votes.get(post.code, {}).get(key, 0)
    if params.multi_post_mode == EXCLUSIVE:
        return own
    return own + sum(votes.get(q.code, {}).get(key, 0) for q in posts if RANK[q.code] < RANK[post.code])


def run(election):
    persons, posts, cast, votes, params = election
    tally = Tally(persons=persons, votes=votes, ballots_cast=cast)
    return decide_outcome(tally, posts=posts, registered_voters=cast, params=params)


@settings(max_examples=400, deadline=None)
@given(elections())
def test_never_more_winners_than_seats(election):
    _, posts, _, _, _ = election
    outcome = run(election)
    for post, result in zip(posts, outcome.posts, strict=True):
        tie_seats = sum(r.seats for r in outcome.revotes if r.post == post.code)
        assert len(result.elected) + tie_seats + result.unfilled == post.seats or result.status == PENDING
        assert len(outcome.elected_for(post.code)) <= post.seats


@settings(max_examples=400, deadline=None)
@given(elections())
def test_every_winner_has_more_than_half_of_the_ballots_cast(election):
    persons, posts, cast, votes, params = election
    outcome = run(election)
    by_code = {p.code: p for p in posts}
    for winner in outcome.elected:
        assert 2 * score(votes, posts, by_code[winner.post], winner.key, params) > cast
        assert winner.votes == score(votes, posts, by_code[winner.post], winner.key, params)


@settings(max_examples=400, deadline=None)
@given(elections())
def test_a_person_is_elected_to_one_post_only(election):
    outcome = run(election)
    keys = [e.key for e in outcome.elected]
    assert len(keys) == len(set(keys))
    for result in outcome.posts:
        for other in outcome.posts:
            if other is not result:
                assert not set(result.elected) & set(other.elected)


@settings(max_examples=400, deadline=None)
@given(elections())
def test_a_tie_at_the_cut_never_yields_a_winner_from_the_tied_set(election):
    outcome = run(election)
    elected = {e.key for e in outcome.elected}
    for revote in outcome.revotes:
        assert not set(revote.persons) & elected
        assert len(revote.persons) > revote.seats >= 1


@settings(max_examples=400, deadline=None)
@given(elections())
def test_no_one_left_out_has_as_many_votes_as_the_last_winner(election):
    """Highest first, and equal votes at the cut become a revote, never a choice by order."""
    persons, posts, cast, votes, params = election
    outcome = run(election)
    sex = {p.key: p.sex for p in persons}
    earlier: set[str] = set()
    for post, result in zip(posts, outcome.posts, strict=True):
        if result.status == PENDING:
            break
        if result.elected:
            lowest = min(score(votes, posts, post, k, params) for k in result.elected)
            for p in persons:
                eligible = not post.gender_required or sex[p.key] == post.gender_required
                if p.key in result.elected or p.key in earlier or not eligible:
                    continue
                assert score(votes, posts, post, p.key, params) < lowest
        earlier |= set(result.elected)


@settings(max_examples=400, deadline=None)
@given(elections())
def test_women_seat_goes_to_women_only(election):
    persons, _, _, _, _ = election
    sex = {p.key: p.sex for p in persons}
    outcome = run(election)
    assert all(sex[k] == "F" for k in outcome.elected_for("woman_member"))
    for line in outcome.runoff:
        if line.gender_required:
            assert all(sex[k] == "F" for k in line.candidates)


@settings(max_examples=300, deadline=None)
@given(elections())
def test_outcome_does_not_depend_on_input_order(election):
    persons, posts, cast, votes, params = election
    reversed_votes = {post: dict(reversed(list(v.items()))) for post, v in reversed(list(votes.items()))}
    flipped = run((list(reversed(persons)), posts, cast, reversed_votes, params))
    outcome = run(election)
    assert flipped.elected == outcome.elected
    assert flipped.revotes == outcome.revotes
    assert flipped.runoff == outcome.runoff


@settings(max_examples=300, deadline=None)
@given(elections(), st.integers(min_value=0, max_value=10))
def test_runoff_winners_have_at_least_one_third_and_fit_the_seats(election, invalid):
    persons, posts, cast, votes, params = election
    invalid = min(invalid, cast)
    tally = Tally(persons=persons, votes=votes, ballots_cast=cast, invalid_ballots=invalid)
    outcome = decide_runoff(tally, posts=posts, registered_voters=cast, already_elected=(), params=params)
    by_code = {p.code: p for p in posts}
    for result in outcome.posts:
        assert len(result.elected) <= by_code[result.post].seats
        for key in result.elected:
            assert 3 * score(votes, posts, by_code[result.post], key, params) >= cast
    tied = {k for r in outcome.revotes for k in r.persons}
    assert not tied & {e.key for e in outcome.elected}
