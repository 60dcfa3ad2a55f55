"""Per-ballot counting (唱票计票): ballots judged as they are entered, numbered without loss, withdrawn with a
log entry, and the station's tally made from them and reconciled with a tally typed by hand."""

from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError

from ballots.ballot_rules import BallotMarks, PostMarks
from ballots.models import BallotCount, CountedBallot, Tally
from ballots.services.counting import add_ballot, add_ballots, finish_ballot_count, start_ballot_count, withdraw_ballot
from tests.builders import enter_tally, sheet
from villages.models import AuditEntry


def marks(chair=(), member=(), *, illegible=False):
    return BallotMarks(posts={"chair": PostMarks(tuple(chair)), "member": PostMarks(tuple(member))}, illegible=illegible)


@pytest.fixture
def count(counting, liaison_a):
    return start_ballot_count(by=liaison_a, round=counting.round, station=counting.central)


def test_ballots_are_numbered_in_order_and_judged(counting, count, liaison_a):
    v = counting.v
    first = add_ballot(by=liaison_a, count=count, marks=marks([v[0].pk], [v[2].pk, v[3].pk]))
    second = add_ballot(by=liaison_a, count=count, marks=marks([v[0].pk], [v[0].name, v[2].pk]))
    assert (first.number, first.valid) == (1, True)
    assert (second.number, second.valid) == (2, False)
    assert [p["code"] for p in second.problems] == ["same_person_several_posts"]
    count.refresh_from_db()
    assert count.next_number == 3


def test_written_name_of_a_printed_candidate_is_the_same_person(counting, count, liaison_a):
    """The aggregate sheet could not see this: 陈 printed for 主任 and written in for 委员 on one ballot."""
    v = counting.v
    ballot = add_ballot(by=liaison_a, count=count, marks=marks([v[0].pk], [f" {v[0].name} "]))
    assert not ballot.valid


def test_a_printed_candidate_of_another_post_cannot_be_keyed(counting, count, liaison_a):
    with pytest.raises(ValidationError) as caught:
        add_ballot(by=liaison_a, count=count, marks=marks([counting.v[2].pk]))
    assert caught.value.code == "not_a_candidate"


def test_finish_writes_the_confirmed_tally_from_the_ballots(counting, count, liaison_a):
    v = counting.v
    for chair, member in [([v[0].pk], [v[2].pk, v[3].pk])] * 5 + [([v[1].pk], [v[4].pk])] * 3 + [([], [])]:
        add_ballot(by=liaison_a, count=count, marks=marks(chair, member))
    add_ballot(by=liaison_a, count=count, marks=marks([v[0].pk], [v[2].pk, v[3].pk, v[4].pk]))  # member void
    add_ballot(by=liaison_a, count=count, marks=marks([v[0].pk], [v[0].name]))  # same person: invalid
    wrong = add_ballot(by=liaison_a, count=count, marks=marks([v[1].pk]))
    withdraw_ballot(by=liaison_a, ballot=wrong, reason="录错")
    tally = finish_ballot_count(by=liaison_a, count=count, issued=12,
                                explanations={"invalid_share_high": "一张选票同时选陈某为主任和委员"})
    assert tally.status == Tally.Status.CONFIRMED
    assert (tally.issued, tally.returned, tally.valid, tally.invalid) == (12, 11, 10, 1)
    posts = {p.post: p for p in tally.posts.all()}
    assert {vc.voter_id: vc.votes for vc in posts["chair"].votes.all()} == {v[0].pk: 6, v[1].pk: 3}
    assert {vc.voter_id: vc.votes for vc in posts["member"].votes.all()} == {v[2].pk: 5, v[3].pk: 5, v[4].pk: 3}
    assert (posts["chair"].abstentions, posts["member"].abstentions, posts["member"].invalid_for_post) == (1, 1, 1)
    count.refresh_from_db()
    assert count.status == BallotCount.Status.FINISHED
    actions = AuditEntry.objects.filter(action__regex=r"ballot_count|counted_ballot").order_by("id").values_list("action", flat=True)
    assert list(actions) == [
        "ballots.ballot_count.started", "ballots.counted_ballot.withdrawn", "ballots.ballot_count.finished"
    ]


def test_no_ballot_after_the_count_is_finished(counting, count, liaison_a):
    add_ballot(by=liaison_a, count=count, marks=marks([counting.v[0].pk]))
    finish_ballot_count(by=liaison_a, count=count, issued=1)
    with pytest.raises(ValidationError) as caught:
        add_ballot(by=liaison_a, count=count, marks=marks([counting.v[0].pk]))
    assert caught.value.code == "count_finished"


def test_a_typed_tally_that_differs_from_the_ballots_blocks_the_finish(counting, liaison_a, clerk):
    v = counting.v
    enter_tally(by=clerk, round=counting.round, station=counting.central,
                values=sheet(issued=2, returned=2, valid=2, votes={"chair": {v[0]: 2}}, abstentions={"member": 2}))
    count = start_ballot_count(by=liaison_a, round=counting.round, station=counting.central)
    add_ballot(by=liaison_a, count=count, marks=marks([v[0].pk]))
    add_ballot(by=liaison_a, count=count, marks=marks([v[1].pk]))
    with pytest.raises(ValidationError) as caught:
        finish_ballot_count(by=liaison_a, count=count, issued=2)
    assert caught.value.code == "tally_differs"
    assert caught.value.messages == [
        f"已录入的计票结果与唱票记录不符：主任·{v[0].name}得票、主任·{v[1].name}得票。请核对后修改录入的计票结果，或撤销录错的选票。"
    ]
    assert BallotCount.objects.get().status == BallotCount.Status.COUNTING


def test_a_typed_tally_that_agrees_is_kept_confirmed(counting, liaison_a, clerk):
    v = counting.v
    enter_tally(by=clerk, round=counting.round, station=counting.central,
                values=sheet(issued=3, returned=2, valid=2, votes={"chair": {v[0]: 2}}, abstentions={"member": 2}))
    count = start_ballot_count(by=liaison_a, round=counting.round, station=counting.central)
    add_ballot(by=liaison_a, count=count, marks=marks([v[0].pk]))
    add_ballot(by=liaison_a, count=count, marks=marks([v[0].pk]))
    tally = finish_ballot_count(by=liaison_a, count=count, issued=3)
    assert Tally.objects.count() == 1 and tally.status == Tally.Status.CONFIRMED


def test_hand_entry_is_refused_while_counting_and_must_agree_after(counting, count, liaison_a, clerk):
    v = counting.v
    add_ballot(by=liaison_a, count=count, marks=marks([v[0].pk]))
    typed = sheet(issued=1, returned=1, valid=1, votes={"chair": {v[0]: 1}}, abstentions={"member": 1})
    with pytest.raises(ValidationError) as caught:
        enter_tally(by=clerk, round=counting.round, station=counting.central, values=typed)
    assert caught.value.code == "ballot_count_in_progress"
    finish_ballot_count(by=liaison_a, count=count, issued=1)
    wrong = sheet(issued=1, returned=1, valid=1, votes={"chair": {v[1]: 1}}, abstentions={"member": 1})
    with pytest.raises(ValidationError) as caught:
        enter_tally(by=clerk, round=counting.round, station=counting.central, values=wrong)
    assert caught.value.code == "tally_differs_from_ballots"
    enter_tally(by=clerk, round=counting.round, station=counting.central, values=typed)


def test_withdrawing_twice_is_refused(counting, count, liaison_a):
    ballot = add_ballot(by=liaison_a, count=count, marks=marks())
    withdraw_ballot(by=liaison_a, ballot=ballot)
    with pytest.raises(ValidationError) as caught:
        withdraw_ballot(by=liaison_a, ballot=ballot)
    assert caught.value.code == "already_withdrawn"
    assert CountedBallot.objects.counted().count() == 0


def test_starting_twice_returns_the_same_count(counting, count, clerk):
    assert start_ballot_count(by=clerk, round=counting.round, station=counting.central) == count
    assert AuditEntry.objects.filter(action="ballots.ballot_count.started").count() == 1


def test_a_ballot_sent_again_with_its_key_is_recorded_once(counting, count, liaison_a):
    v = counting.v
    batch = [("k-1", marks([v[0].pk])), ("k-2", marks([v[1].pk])), ("k-3", marks([v[2].pk]))]  # k-3: not a chair
    recorded, errors = add_ballots(by=liaison_a, count=count, ballots=batch)
    assert [b.number for b in recorded] == [1, 2]
    assert [(key, exc.code) for key, exc in errors] == [("k-3", "not_a_candidate")]
    again, _ = add_ballots(by=liaison_a, count=count, ballots=batch[:2] + [("k-4", marks())])
    assert [b.number for b in again] == [1, 2, 3]
    assert CountedBallot.objects.count() == 3


def test_aggregate_sheet_with_a_person_under_two_posts_needs_the_number_of_such_ballots(counting, liaison_a):
    """浙江 (exclusive): the chair candidate also written in for 委员 on the aggregate sheet. The app cannot tell
    whether the same ballots did both, so it asks; stated, the tally is saved with the number."""
    v = counting.v
    values = sheet(issued=12, returned=12, valid=10, invalid=2, votes={"chair": {v[0]: 10}},
                   write_ins={"member": {v[0].name: 4}}, abstentions={"member": 6},
                   explanations={"invalid_share_high": "两张选票同时选陈某为主任和委员"})
    with pytest.raises(ValidationError) as caught:
        enter_tally(by=liaison_a, round=counting.round, station=counting.central, values=values)
    assert {e.code for e in caught.value.error_dict["__all__"]} == {"same_person_several_posts_count_needed"}
    assert not Tally.objects.exists()
    with pytest.raises(ValidationError) as caught:
        enter_tally(by=liaison_a, round=counting.round, station=counting.central,
                    values=replace(values, several_posts_ballots=3))
    assert {e.code for e in caught.value.error_dict["__all__"]} == {"several_posts_ballots_exceed_invalid"}
    tally = enter_tally(by=liaison_a, round=counting.round, station=counting.central,
                        values=replace(values, several_posts_ballots=2))
    assert tally.several_posts_ballots == 2


def test_ballot_count_states_its_same_person_ballots_on_the_tally(counting, count, liaison_a):
    v = counting.v
    add_ballot(by=liaison_a, count=count, marks=marks([v[0].pk], [v[2].pk]))
    add_ballot(by=liaison_a, count=count, marks=marks([v[2].name], [v[0].name]))  # valid: nobody twice on one
    add_ballot(by=liaison_a, count=count, marks=marks([v[0].pk], [v[0].name]))  # invalid
    tally = finish_ballot_count(by=liaison_a, count=count, issued=3,
                                explanations={"invalid_share_high": "一张选票同时选一人为主任和委员"})
    assert tally.several_posts_ballots == 1


@pytest.mark.django_db(transaction=True)
def test_two_counters_at_once_lose_no_ballot(counting, liaison_a, clerk):
    """Two counters on one station enter ballots at the same moment: every ballot gets its own number
    (the row lock on the count). Needs a database with row locks (PostgreSQL)."""
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL only")
    import threading

    count = start_ballot_count(by=liaison_a, round=counting.round, station=counting.central)
    failures = []

    def counter(user):
        try:
            for _ in range(15):
                add_ballot(by=user, count=count, marks=marks([counting.v[0].pk]))
        except Exception as exc:  # noqa: BLE001 — reported below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=counter, args=(user,)) for user in (liaison_a, clerk)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(CountedBallot.objects.values_list("number", flat=True)) == list(range(1, 31))
