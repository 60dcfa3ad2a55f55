"""Chaining rounds: first ballot, re-votes and runoffs decided by the engine from counted totals (no DB)."""

from ballots.progression import (
    ANNOUNCE,
    COUNT,
    NOT_STARTED,
    OPEN_FIRST,
    OPEN_REVOTE,
    OPEN_RUNOFF,
    RoundFacts,
    follow,
    posts_of,
)
from ballots.results import Person, Post
from villages.presets import RuleParameters

PEOPLE = [Person("1", "王伟", "M"), Person("2", "李芳", "F"), Person("3", "张伟", "M"), Person("4", "刘芳", "F"),
          Person("5", "陈伟", "M")]
SEATS = {"chair": 1, "member": 2}
PARAMS = RuleParameters()


def first(votes, *, cast=20, counted=True):
    return RoundFacts(id=1, kind="first", number=1, parent_id=None, seats=SEATS, counted=counted, ballots_cast=cast,
                      votes=votes)


def run(*rounds, voided=frozenset()):
    return follow(list(rounds), persons=PEOPLE, registered=20, params=PARAMS, voided=voided)


def test_nothing_opened_asks_for_the_first_ballot():
    progress = run()
    assert progress.status == NOT_STARTED and progress.steps[0].action == OPEN_FIRST


def test_uncounted_round_waits():
    progress = run(first({}, counted=False))
    assert (progress.status, progress.steps[0].action, progress.steps[0].round_id) == ("counting", COUNT, 1)


def test_women_seat_post_takes_women_only():
    assert posts_of({"member": 2, "chair": 1, "woman_member": 1}) == [
        Post("chair", 1), Post("member", 2), Post("woman_member", 1, "F")]


def test_complete_first_round_can_be_announced():
    progress = run(first({"chair": {"1": 15}, "member": {"3": 14, "5": 12}}))
    assert progress.status == "complete" and progress.is_final
    assert [s.action for s in progress.steps] == [ANNOUNCE]
    assert progress.decided_in == {"1": 1, "3": 1, "5": 1}


def test_unfilled_seat_asks_for_a_runoff_and_the_runoff_settles_it():
    votes = {"chair": {"1": 15}, "member": {"3": 14, "5": 8, "4": 7}}
    progress = run(first(votes))
    assert progress.status == "runoff_needed" and progress.unfilled == {"member": 1}
    assert progress.steps[0].action == OPEN_RUNOFF and progress.steps[0].lines[0].candidates == ("5", "4")
    runoff = RoundFacts(id=2, kind="runoff", number=2, parent_id=1, seats={"member": 1},
                        candidates={"member": ("5", "4")}, counted=True, ballots_cast=18, votes={"member": {"4": 6, "5": 5}})
    progress = run(first(votes), runoff)
    assert progress.status == "complete"
    assert [e.name for e in progress.elected] == ["王伟", "张伟", "刘芳"]
    assert progress.decided_in["4"] == 2


def test_tie_needs_a_revote_and_its_winner_is_elected():
    votes = {"chair": {"1": 15}, "member": {"3": 14, "5": 12, "4": 12}}
    progress = run(first(votes))
    (step,) = progress.steps
    assert (progress.status, step.action, step.post, step.seats, step.persons) == ("revote", OPEN_REVOTE, "member", 1,
                                                                                    ("4", "5"))
    revote = RoundFacts(id=2, kind="revote", number=2, parent_id=1, seats={"member": 1},
                        candidates={"member": ("4", "5")}, counted=True, ballots_cast=20, votes={"member": {"4": 9, "5": 11}})
    progress = run(first(votes), revote)
    assert progress.status == "complete" and progress.decided_in["5"] == 2


def test_revote_that_ties_again_asks_for_another():
    votes = {"chair": {"1": 15}, "member": {"3": 14, "5": 12, "4": 12}}
    revote = RoundFacts(id=2, kind="revote", number=2, parent_id=1, seats={"member": 1},
                        candidates={"member": ("4", "5")}, counted=True, ballots_cast=20, votes={"member": {"4": 10, "5": 10}})
    progress = run(first(votes), revote)
    assert progress.status == "revote"
    assert (progress.steps[0].action, progress.steps[0].persons) == (OPEN_REVOTE, ("4", "5"))


def test_voided_person_reopens_their_seat():
    progress = run(first({"chair": {"1": 15}, "member": {"3": 14, "5": 12}}), voided=frozenset({"5"}))
    assert progress.status == "runoff_needed" and progress.unfilled == {"member": 1}
    assert [e.key for e in progress.elected] == ["1", "3"]


def test_inconsistent_totals_are_reported_not_raised():
    progress = run(first({"chair": {"1": 15}}, cast=25))
    assert progress.status == "error" and progress.message
