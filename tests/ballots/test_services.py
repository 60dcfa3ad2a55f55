"""Counting services: tally entry and its checks, concurrency, double entry, results from tallies through
runoffs and re-votes, write-in rulings, announcement and void decisions."""

from dataclasses import replace
from datetime import date

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from ballots.counts import election_counts, registered_count, registered_counts
from ballots.models import CountingOptions, ElectedMember, PostTally, Round, Tally, VoidDecision, WriteIn
from ballots.queries import result_status, runoff_pool
from ballots.services.announcement import announce_results, void_result
from ballots.services.rounds import open_round, void_round
from ballots.services.tallies import record_tally, resolve_double_entry, rule_write_in
from tests.ballots.scenario import central_sheet, group_sheet
from tests.builders import enter_tally, make_voter, sheet
from villages.models import AuditEntry

DAY = date(2027, 1, 16)


def codes(exc: ValidationError) -> set[str]:
    if hasattr(exc, "error_dict"):
        return {e.code for errors in exc.error_dict.values() for e in errors}
    return {e.code for e in exc.error_list}


def count_both(c, by, *, central=None, group=None):
    enter_tally(by=by, round=c.round, station=c.central, values=central or central_sheet(c))
    enter_tally(by=by, round=c.round, station=c.group, values=group or group_sheet(c))


def announce(c, by, on=DAY):
    return announce_results(by=by, election=c.election, on=on, today=on)


# ---------------------------------------------------------------- tally entry


@pytest.mark.parametrize(
    "overrides, code",
    [
        ({"returned": 13}, "returned_exceeds_issued"),
        ({"valid": 11}, "valid_invalid_mismatch"),
    ],
)
def test_tally_with_errors_writes_nothing(counting, liaison_a, overrides, code):
    entries_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        enter_tally(by=liaison_a, round=counting.round, station=counting.central, values=central_sheet(counting, **overrides))
    assert code in codes(caught.value)
    assert Tally.objects.count() == 0 and PostTally.objects.count() == 0
    assert AuditEntry.objects.count() == entries_before


def test_post_marks_that_do_not_add_up_block_saving(counting, liaison_a):
    # 12 ballots can carry at most 24 member votes (2 seats).
    values = central_sheet(counting, member=(12, 12, 1))
    with pytest.raises(ValidationError) as caught:
        enter_tally(by=liaison_a, round=counting.round, station=counting.central, values=values)
    assert "post_votes_exceed_capacity" in codes(caught.value)
    assert not Tally.objects.exists()


def test_warning_needs_an_explanation_which_is_stored(counting, liaison_a):
    values = central_sheet(counting, valid=10, invalid=2, chair=(8, 2), member=(8, 7, 5))
    with pytest.raises(ValidationError) as caught:
        enter_tally(by=liaison_a, round=counting.round, station=counting.central, values=values)
    assert set(caught.value.error_dict) == {"explain__invalid_share_high"}
    assert codes(caught.value) == {"explanation_required"}
    explained = replace(values, explanations={"invalid_share_high": "两张选票划满了所有候选人。"})
    tally = enter_tally(by=liaison_a, round=counting.round, station=counting.central, values=explained)
    item = tally.explanations["invalid_share_high"]
    assert item["text"] == "两张选票划满了所有候选人。"
    assert item["message"] == "无效票2张，达到收回选票12张的3%（1张）以上，须书面说明原因"


def test_explanations_are_asked_for_only_once_the_numbers_add_up(counting, liaison_a):
    values = central_sheet(counting, issued=11, valid=10, invalid=2, chair=(8, 2), member=(8, 7, 5))
    with pytest.raises(ValidationError) as caught:
        enter_tally(by=liaison_a, round=counting.round, station=counting.central, values=values)
    assert set(caught.value.error_dict) == {NON_FIELD_ERRORS}
    assert codes(caught.value) == {"returned_exceeds_issued"}


def test_second_save_of_the_same_tally_is_refused_and_changes_nothing(counting, liaison_a, clerk):
    c = counting
    record_tally(by=liaison_a, round=c.round, station=c.central, values=central_sheet(c), confirm=False, expected_version=0)
    with pytest.raises(ValidationError) as caught:
        record_tally(by=clerk, round=c.round, station=c.central, values=central_sheet(c, chair=(9, 3)), confirm=False,
                     expected_version=0)
    assert codes(caught.value) == {"conflict"}
    tally = Tally.objects.get()
    assert tally.entered_by == liaison_a and tally.posts.get(post="chair").votes.get(voter=c.v[0]).votes == 10
    record_tally(by=clerk, round=c.round, station=c.central, values=central_sheet(c, chair=(9, 3)), confirm=True,
                 expected_version=tally.version)
    assert Tally.objects.get().posts.get(post="chair").votes.get(voter=c.v[0]).votes == 9


def test_draft_does_not_count_until_confirmed(counting, clerk):
    c = counting
    record_tally(by=clerk, round=c.round, station=c.central, values=central_sheet(c), confirm=False, expected_version=0)
    enter_tally(by=clerk, round=c.round, station=c.group, values=group_sheet(c))
    assert result_status(c.election).code == "counting"
    enter_tally(by=clerk, round=c.round, station=c.central, values=central_sheet(c))
    assert result_status(c.election).code == "complete"


# ---------------------------------------------------------------- double entry


@pytest.fixture
def double_entry(counting):
    CountingOptions.objects.create(election=counting.election, double_entry=True)
    return counting


def test_equal_double_entries_confirm_the_first(double_entry, liaison_a, clerk):
    c = double_entry
    first = enter_tally(by=liaison_a, round=c.round, station=c.central, values=central_sheet(c))
    assert first.status == Tally.Status.SUBMITTED
    second = enter_tally(by=clerk, round=c.round, station=c.central, values=central_sheet(c))
    assert second.entry_number == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Tally.Status.CONFIRMED, Tally.Status.SUPERSEDED)
    assert AuditEntry.objects.filter(action="ballots.tally.double_entry_matched").count() == 1


def test_same_person_saving_again_edits_their_own_entry(double_entry, liaison_a):
    c = double_entry
    enter_tally(by=liaison_a, round=c.round, station=c.central, values=central_sheet(c), confirm=False)
    enter_tally(by=liaison_a, round=c.round, station=c.central, values=central_sheet(c))
    assert list(Tally.objects.values_list("entry_number", "status")) == [(1, "submitted")]


def test_different_double_entries_wait_and_are_resolved_field_by_field(double_entry, liaison_a, clerk):
    c = double_entry
    enter_tally(by=liaison_a, round=c.round, station=c.central, values=central_sheet(c, member=(10, 8, 6)))
    enter_tally(by=clerk, round=c.round, station=c.central, values=central_sheet(c, member=(10, 6, 8)))
    assert set(Tally.objects.values_list("status", flat=True)) == {"submitted"}
    first, second = Tally.objects.order_by("entry_number")
    key3, key4 = f"member.c{c.v[3].pk}", f"member.c{c.v[4].pk}"
    with pytest.raises(ValidationError) as caught:
        resolve_double_entry(by=clerk, round=c.round, station=c.central, choices={key3: 1}, explanations={},
                             expected_versions=(first.version, second.version))
    assert codes(caught.value) == {"choice_missing"}
    resolve_double_entry(by=clerk, round=c.round, station=c.central, choices={key3: 2, key4: 2}, explanations={},
                         expected_versions=(first.version, second.version))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("confirmed", "superseded")
    assert first.posts.get(post="member").votes.get(voter=c.v[3]).votes == 6
    log = AuditEntry.objects.get(action="ballots.tally.double_entry_resolved")
    assert log.changes[key3] == {"label": "委员·刘伟得票", "entry1": 8, "entry2": 6, "chosen": 2}


def test_confirmed_double_entry_is_locked_for_liaison_officers(double_entry, liaison_a, clerk):
    c = double_entry
    enter_tally(by=liaison_a, round=c.round, station=c.central, values=central_sheet(c))
    enter_tally(by=clerk, round=c.round, station=c.central, values=central_sheet(c))
    with pytest.raises(ValidationError) as caught:
        record_tally(by=liaison_a, round=c.round, station=c.central, values=central_sheet(c), confirm=True,
                     expected_version=Tally.objects.get(status="confirmed").version)
    assert codes(caught.value) == {"confirmed_locked"}


# ---------------------------------------------------------------- results from tallies


def test_results_come_from_the_summed_station_tallies(counting, clerk):
    c = counting
    count_both(c, clerk)
    progress = election_counts(c.election).progress
    assert progress.status == "complete"
    assert [(e.name, e.post, e.votes) for e in progress.elected] == [("王伟", "chair", 16), ("张伟", "member", 16),
                                                                     ("刘伟", "member", 13)]
    messages = [f.message for f in progress.results[c.round.pk].findings]
    assert "参加投票人数20人，超过登记选民20人的半数，选举有效" in messages
    assert "陈伟得票11票，超过参加投票20人的半数，但名次在应选2名之后，未当选委员" in messages


def test_announcement_persists_the_elected_and_moves_to_handover(counting, clerk):
    c = counting
    count_both(c, clerk)
    announce(c, clerk)
    c.election.refresh_from_db()
    assert (c.election.stage, c.election.results_announced_on, c.election.new_committee_formed_on) == ("handover", DAY, DAY)
    assert list(ElectedMember.objects.values_list("voter__name", "post", "votes", "round", "elected_on")) == [
        ("王伟", "chair", 16, c.round.pk, date(2027, 1, 16)),
        ("张伟", "member", 16, c.round.pk, date(2027, 1, 16)),
        ("刘伟", "member", 13, c.round.pk, date(2027, 1, 16)),
    ]
    assert Round.objects.get().status == Round.Status.ANNOUNCED
    with pytest.raises(ValidationError) as caught:
        enter_tally(by=clerk, round=c.round, station=c.central, values=central_sheet(c))
    assert codes(caught.value) == {"round_closed"}


def test_election_with_half_the_voters_voting_is_invalid(counting, clerk):
    c = counting
    count_both(c, clerk, central=central_sheet(c, returned=10, valid=10, chair=(8, 2), member=(8, 7, 5)),
               group=group_sheet(c, returned=0, valid=0, chair=(0, 0), member=(0, 0, 0)))
    status = result_status(c.election)
    assert status.code == "invalid"
    progress = election_counts(c.election).progress
    assert [f.message for f in progress.results[c.round.pk].findings] == [
        "参加投票人数10人，未超过登记选民20人的半数，选举无效"]
    with pytest.raises(ValidationError) as caught:
        announce(c, clerk)
    assert codes(caught.value) == {"not_ready"}


def test_runoff_end_to_end(counting, clerk):
    c = counting
    # Members: 张伟 16 is elected; 刘伟 10 and 陈伟 10 do not pass half of 20.
    count_both(c, clerk, central=central_sheet(c, member=(10, 6, 6)), group=group_sheet(c, member=(6, 4, 4)))
    status = result_status(c.election)
    assert (status.code, status.needs_runoff, status.elected) == ("runoff_needed", True, 2)
    announce(c, clerk)
    c.election.refresh_from_db()
    assert c.election.stage == "runoff" and ElectedMember.objects.count() == 2
    runoff = open_round(by=clerk, election=c.election, kind="runoff", held_on=DAY, stations=[c.central])
    assert runoff.seats == {"member": 1} and runoff.parent == c.round
    assert sorted(runoff.candidates.values_list("voter__name", flat=True)) == ["刘伟", "陈伟"]
    enter_tally(by=clerk, round=runoff, station=c.central,
                values=sheet(issued=12, returned=12, valid=12, votes={"member": {c.v[3]: 4, c.v[4]: 8}}))
    progress = election_counts(c.election).progress
    assert progress.status == "complete"
    assert "陈伟得票8票，不少于已投选票总数12张的三分之一，当选委员" in [f.message for f in progress.results[runoff.pk].findings]
    announce(c, clerk, on=date(2027, 1, 17))
    c.election.refresh_from_db()
    assert (c.election.stage, c.election.results_announced_on, c.election.new_committee_formed_on) == (
        "handover", DAY, date(2027, 1, 17))
    assert ElectedMember.objects.get(voter=c.v[4]).round == runoff


def test_runoff_for_a_post_takes_only_that_posts_candidates(counting, clerk):
    c = counting
    count_both(c, clerk, central=central_sheet(c, member=(10, 6, 6)), group=group_sheet(c, member=(6, 4, 4)))
    announce(c, clerk)
    with pytest.raises(ValidationError) as caught:
        open_round(by=clerk, election=c.election, kind="runoff", held_on=DAY, stations=[c.central],
                   candidates={"member": [c.v[1].pk, c.v[3].pk]})  # v[1]: 4 votes for 主任, none for 委员
    assert codes(caught.value) == {"runoff_candidate_not_in_pool"}


def test_committee_short_of_three_after_runoff_is_incomplete(counting, clerk):
    c = counting
    count_both(c, clerk, central=central_sheet(c, member=(6, 6, 6)), group=group_sheet(c, member=(4, 4, 4)))
    runoff = open_round(by=clerk, election=c.election, kind="runoff", held_on=DAY, stations=[c.central])
    assert runoff.seats == {"member": 2}
    enter_tally(by=clerk, round=runoff, station=c.central,
                values=sheet(issued=12, returned=12, valid=12, votes={"member": {c.v[2]: 9, c.v[3]: 3, c.v[4]: 3}}))
    status = result_status(c.election)
    assert (status.code, status.is_incomplete, status.is_final) == ("incomplete", True, False)
    assert status.detail == "村民委员会共选出2名成员，不足3名，选举未完成"


def test_tie_at_the_last_seat_goes_to_a_revote_end_to_end(counting, clerk):
    c = counting
    # Members: 张伟 16 elected; 刘伟 12 and 陈伟 12 tie for the last seat, both past half.
    count_both(c, clerk, central=central_sheet(c, member=(10, 7, 7)), group=group_sheet(c, member=(6, 5, 5)))
    status = result_status(c.election)
    assert (status.code, status.needs_revote) == ("revote", True)
    with pytest.raises(ValidationError) as caught:
        open_round(by=clerk, election=c.election, kind="revote", post="chair", held_on=DAY, stations=[c.central])
    assert codes(caught.value) == {"revote_not_needed"}
    revote = open_round(by=clerk, election=c.election, kind="revote", post="member", held_on=DAY, stations=[c.central])
    assert revote.seats == {"member": 1}
    assert sorted(revote.candidates.values_list("voter__name", flat=True)) == ["刘伟", "陈伟"]
    enter_tally(by=clerk, round=revote, station=c.central,
                values=sheet(issued=12, returned=12, valid=12, votes={"member": {c.v[3]: 5, c.v[4]: 7}}))
    progress = election_counts(c.election).progress
    assert progress.status == "complete"
    assert [e.name for e in progress.elected] == ["王伟", "张伟", "陈伟"]
    announce(c, clerk)
    assert ElectedMember.objects.get(voter=c.v[4]).round == revote


def test_write_ins_count_when_matched_and_unknown_names_wait_for_the_committee(counting, clerk):
    c = counting
    central = central_sheet(c, member=(10, 8, 4), write_ins={"杨伟": 1, "张三": 1})
    count_both(c, clerk, central=central)
    assert dict(WriteIn.objects.values_list("name", "match")) == {"杨伟": "matched", "张三": "unmatched"}
    data = election_counts(c.election)
    assert data.votes[c.round.pk]["member"][str(c.v[5].pk)] == 1
    assert [w.name for w in data.pending_write_ins] == ["张三"]
    with pytest.raises(ValidationError) as caught:
        announce(c, clerk)
    assert codes(caught.value) == {"write_ins_pending"}
    rule_write_in(by=clerk, election=c.election, name="张三", voter=None, note="本村无此选民", decided_on=DAY)
    announce(c, clerk)
    assert ElectedMember.objects.count() == 3


def test_write_in_of_a_refused_person_is_flagged_ineligible(counting, clerk):
    c = counting
    make_voter(election=c.election, name="钱多", status="not_registered", serial=401)
    values = central_sheet(c, member=(10, 8, 5), write_ins={"钱多": 1})
    enter_tally(by=clerk, round=c.round, station=c.central, values=values)
    assert WriteIn.objects.get().match == "ineligible"
    with pytest.raises(ValidationError) as caught:
        rule_write_in(by=clerk, election=c.election, name="钱多", voter=c.election.voters.get(name="钱多"), note="x",
                      decided_on=DAY)
    assert codes(caught.value) == {"ruling_not_registered"}


# ---------------------------------------------------------------- void decisions and void rounds


def test_void_person_leaves_the_seat_unfilled_and_out_of_the_runoff(counting, clerk):
    c = counting
    count_both(c, clerk)
    announce(c, clerk)
    void_result(by=clerk, election=c.election, scope=VoidDecision.Scope.PERSON, person=c.v[3], ground="bribery",
                decided_by_body="township_government", document_ref="青政〔2027〕3号", decided_on=DAY,
                reason="查实以财物贿赂选民。", today=DAY)
    assert ElectedMember.objects.get(voter=c.v[3]).is_void
    data = election_counts(c.election)
    assert data.progress.status == "runoff_needed" and data.progress.unfilled == {"member": 1}
    assert c.v[3].name not in [p.name for p in runoff_pool(data)]
    assert AuditEntry.objects.filter(action="ballots.result.voided").count() == 1


def test_void_election_closes_every_round_and_a_new_first_ballot_may_be_opened(counting, clerk):
    c = counting
    count_both(c, clerk)
    announce(c, clerk)
    void_result(by=clerk, election=c.election, scope="election", person=None, ground="forged_ballots",
                decided_by_body="county_government", document_ref="清政〔2027〕9号", decided_on=DAY, reason="伪造选票。",
                today=DAY)
    assert set(Round.objects.values_list("status", flat=True)) == {"void"}
    assert ElectedMember.objects.filter(void_decision__isnull=True).count() == 0
    assert result_status(c.election).code == "void"
    again = open_round(by=clerk, election=c.election, kind="first", held_on=date(2027, 2, 10), stations=[c.central])
    assert again.number == 2


def test_round_with_more_ballots_returned_than_issued_is_voided_and_repeated(counting, clerk):
    c = counting
    with pytest.raises(ValidationError):
        enter_tally(by=clerk, round=c.round, station=c.central, values=central_sheet(c, returned=13))
    with pytest.raises(ValidationError) as caught:
        open_round(by=clerk, election=c.election, kind="first", held_on=DAY, stations=[c.central])
    assert codes(caught.value) == {"first_round_exists"}
    void_round(by=clerk, round=c.round, reason="收回选票多于发出选票")
    repeat = open_round(by=clerk, election=c.election, kind="first", held_on=DAY, stations=[c.central, c.group])
    assert (repeat.number, Round.objects.get(pk=c.round.pk).status) == (2, "void")


# ---------------------------------------------------------------- registered voters


def test_registered_voters_are_those_listed_on_election_day_once_published(counting):
    c = counting
    assert registered_count(c.election) == 20
    c.election.voters.filter(pk__in=[v.pk for v in c.v[:15]]).update(listed_from=date(2026, 12, 20))
    c.election.voters.filter(pk=c.v[0].pk).update(listed_until=date(2027, 1, 10))
    c.election.voter_list_published_on = date(2026, 12, 20)
    assert registered_count(c.election) == 14
    assert registered_counts([c.election]) == {c.election.pk: 14}


# ---------------------------------------------------------------- stations


def test_one_station_per_group_skips_groups_that_have_one(election_a, clerk):
    from ballots.services.stations import create_stations_per_group

    make_voter(election=election_a, name="王伟", serial=1)
    first = create_stations_per_group(by=clerk, election=election_a)
    assert [(s.name, s.assigned_voters) for s in first] == [("第1组投票站", 1), ("第2组投票站", 0)]
    with pytest.raises(ValidationError) as caught:
        create_stations_per_group(by=clerk, election=election_a)
    assert codes(caught.value) == {"all_groups_have_stations"}


def test_station_names_are_unique_within_the_election(counting, clerk):
    from ballots.models import PollingStation
    from ballots.services.stations import save_station

    with pytest.raises(ValidationError) as caught:
        save_station(by=clerk, station=PollingStation(election=counting.election, kind="station", name="中心会场"))
    assert codes(caught.value) == {"station_unique_name"}


def test_mobile_box_needs_approval_and_staff_before_its_tally(township, village_a, clerk):
    from ballots.services.stations import approve_mobile_box, set_mobile_box_voters
    from tests.builders import at_stage, make_campaign, make_formal_candidate, make_station, make_voters, open_first_round

    campaign = make_campaign(township=township, by=clerk, term_number=13, preset_code="ZHEJIANG_2020")
    election = at_stage(campaign.elections.get(village=village_a), "voting")
    voters = make_voters(election=election, count=6, start=200)
    make_formal_candidate(election=election, voter=voters[0], post="chair")
    box = make_station(election=election, name="流动票箱", kind="mobile", staff_names="甲\n乙")
    set_mobile_box_voters(by=clerk, station=box, voters=voters[3:5])
    round = open_first_round(election=election, by=clerk, stations=[box])
    values = sheet(issued=2, returned=2, valid=2, votes={"chair": {voters[0]: 2}}, abstentions={"member": 2, "woman_member": 2})
    with pytest.raises(ValidationError) as caught:
        enter_tally(by=clerk, round=round, station=box, values=values)
    assert codes(caught.value) == {"mobile_box_not_approved", "mobile_box_understaffed"}
    approve_mobile_box(by=clerk, station=box, on=DAY, document="青政选〔2027〕1号", today=DAY)
    box.staff_names = "甲\n乙\n丙"
    box.save(update_fields=["staff_names"])
    assert enter_tally(by=clerk, round=round, station=box, values=values).status == "confirmed"


# ---------------------------------------------------------------- stage checklist


def test_handover_waits_for_a_formed_committee_and_runoff_for_unfilled_seats(counting, clerk):
    from villages import stages

    def item(target, code):
        return next(i for i in stages.checklist(counting.election, target, DAY) if i.code == code)

    assert not item("handover", "committee_formed").ok
    count_both(counting, clerk)
    assert item("handover", "committee_formed").ok
    assert not item("runoff", "runoff_needed").ok


def test_voting_checklist_lists_what_a_mobile_box_lacks(counting):
    from tests.builders import make_station
    from villages import stages

    assert [i.code for i in stages.checklist(counting.election, "voting", DAY)].count("mobile_boxes_ready") == 0
    make_station(election=counting.election, name="流动票箱", kind="mobile", staff_names="甲")
    (box,) = [i for i in stages.checklist(counting.election, "voting", DAY) if i.code == "mobile_boxes_ready"]
    assert not box.ok and "工作人员1人，少于规定的3人" in box.detail and "尚未登记使用的选民名单" in box.detail


def low_turnout(c, clerk):
    count_both(c, clerk, central=central_sheet(c, returned=5, valid=5, chair=(4, 1), member=(5, 3, 2)),
               group=group_sheet(c, returned=4, valid=4, chair=(3, 1), member=(4, 2, 2)))


def test_round_void_for_low_turnout_stores_the_figures_and_writes_the_reason(counting, clerk):
    c = counting
    low_turnout(c, clerk)
    assert result_status(c.election).code == "invalid"
    void_round(by=clerk, round=c.round, reason="", ground="turnout")
    r = Round.objects.get(pk=c.round.pk)
    assert (r.status, r.void_ground, r.void_figures) == ("void", "turnout", {"registered": 20, "issued": 20, "returned": 9})
    assert r.void_reason == "参加投票9人，未超过登记选民20人的半数，本轮选举无效"
    entry = AuditEntry.objects.get(action="ballots.round.voided")
    assert entry.changes["figures"] == [None, {"registered": 20, "issued": 20, "returned": 9}]


@pytest.mark.parametrize(
    "ground, figures, code",
    [
        ("turnout", {}, "void_turnout_was_enough"),
        ("returned_exceeds_issued", {}, "void_figures_required"),
        ("returned_exceeds_issued", {"issued": 20, "returned": 20}, "void_returned_not_above_issued"),
        ("other", {}, "void_reason_required"),
    ],
)
def test_round_void_needs_figures_that_bear_out_the_ground(counting, clerk, ground, figures, code):
    c = counting
    count_both(c, clerk)
    with pytest.raises(ValidationError) as caught:
        void_round(by=clerk, round=c.round, reason="", ground=ground, **figures)
    assert codes(caught.value) == {code}
    assert Round.objects.get(pk=c.round.pk).status == "open"


def test_round_void_for_more_ballots_returned_keeps_the_numbers(counting, clerk):
    c = counting
    void_round(by=clerk, round=c.round, reason="", ground="returned_exceeds_issued", issued=20, returned=21)
    r = Round.objects.get(pk=c.round.pk)
    assert r.void_figures == {"issued": 20, "returned": 21}
    assert r.void_reason == "收回选票21张，多于发出选票20张，本轮选举无效"
