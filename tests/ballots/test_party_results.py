"""A 村党组织换届选举's 党员大会 on the shared ballot stage (issue 12 step 5; LAW.md §4.2): one meeting place,
应到会 read from the register, 实到会 recorded, the tally checked (ballots issued ≤ present), the quorum of more
than 4/5 of 应到会 (strict), winning with more than half of the members present — not of the ballots — and a
shortfall never filled from below half."""

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from ballots.counts import election_counts
from ballots.models import Round
from ballots.services import party as party_services
from ballots.services.rounds import open_round
from tests.builders import at_stage, enter_tally, make_formal_candidate, make_party_campaign, make_party_members, make_station, sheet
from villages.models import Election

DAY = date(2026, 11, 20)


@pytest.fixture
def branch(township, village_a, clerk, time_machine):
    """东山村's branch: 50 full members with voting rights (应到会 50), a committee of 5 (书记 1, 副书记 1, 委员 3)
    elected as 5 委员 at the 党员大会, six formal candidates (党员001–党员006), and the first round open."""
    time_machine.move_to(datetime(2026, 11, 20, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    campaign = make_party_campaign(township=township, by=clerk)
    election = campaign.elections.get(village=village_a)
    Election.objects.filter(pk=election.pk).update(seats_chair=1, seats_vice_chair=1, seats_member=3)
    members = make_party_members(election=election, count=50)
    at_stage(election, "voting")
    for order, member in enumerate(members[:6], start=1):
        make_formal_candidate(election=election, voter=member, post="member", order=order)
    place = make_station(election=election, name="党员大会会场", kind="central")
    round = open_round(by=clerk, election=election, kind="first", held_on=DAY, stations=[place])
    return SimpleNamespace(election=election, round=round, place=place, m=members)


def vote(branch, clerk, *, present, issued=None, votes, invalid=0, round=None):
    round = round or branch.round
    party_services.record_attendance(by=clerk, round=round, present=present)
    issued = present if issued is None else issued
    enter_tally(by=clerk, round=round, station=branch.place,
                values=sheet(issued=issued, returned=issued, valid=issued - invalid, invalid=invalid,
                             votes={"member": {branch.m[i]: n for i, n in enumerate(votes)}}))
    return election_counts(branch.election)


def messages(data, round=None):
    return [f.message for f in data.progress.results[(round or data.rounds[0]).pk].findings]


def test_the_round_reads_expected_attendance_from_the_register_and_prints_every_formal_candidate(branch):
    assert branch.round.expected_attendance == 50
    assert branch.round.seats == {"member": 5}
    assert list(branch.round.candidates.values_list("voter__name", flat=True)) == [
        "党员001", "党员002", "党员003", "党员004", "党员005", "党员006"]


def test_forty_of_fifty_is_not_more_than_four_fifths_the_vote_is_void(branch, clerk):
    data = vote(branch, clerk, present=40, votes=[40, 40, 40, 40, 40, 0])
    assert data.progress.status == "invalid"
    assert messages(data) == ["有选举权的到会党员40名，未超过应到会50名的五分之四（至少41名），不能进行选举"]


def test_forty_one_present_a_candidate_with_21_wins_and_20_does_not(branch, clerk):
    data = vote(branch, clerk, present=41, votes=[41, 30, 25, 21, 20, 19])
    assert data.progress.status == "runoff_needed"
    assert [(e.name, e.votes) for e in data.progress.elected] == [
        ("党员001", 41), ("党员002", 30), ("党员003", 25), ("党员004", 21)]
    assert messages(data) == [
        "有选举权的到会党员41名，超过应到会50名的五分之四（至少41名），可以进行选举",
        "党员001得赞成票41票，超过实到会有选举权的党员41名的半数（至少21票），当选委员",
        "党员002得赞成票30票，超过实到会有选举权的党员41名的半数（至少21票），当选委员",
        "党员003得赞成票25票，超过实到会有选举权的党员41名的半数（至少21票），当选委员",
        "党员004得赞成票21票，超过实到会有选举权的党员41名的半数（至少21票），当选委员",
        "党员005得赞成票20票，未超过实到会有选举权的党员41名的半数（至少21票），不能当选委员",
        "党员006得赞成票19票，未超过实到会有选举权的党员41名的半数（至少21票），不能当选委员",
        "应选委员5名，得票超过半数的4名，缺额1名不从得票未过半数的人中依次递补，须就缺额另行选举，或者经党员大会过半数同意减少名额至4名",
        "另行选举委员1名，候选人为党员005（20票）、党员006（19票）共2人",
    ]


def test_the_base_is_the_members_present_not_the_ballots(branch, clerk):
    """41 present, 39 ballots issued and returned: 20 votes are more than half of the ballots but not of
    those present."""
    data = vote(branch, clerk, present=41, issued=39, votes=[39, 39, 39, 39, 20, 0])
    assert [e.name for e in data.progress.elected] == ["党员001", "党员002", "党员003", "党员004"]
    assert "党员005得赞成票20票，未超过实到会有选举权的党员41名的半数（至少21票），不能当选委员" in messages(data)


def test_more_ballots_issued_than_members_present_is_refused(branch, clerk):
    with pytest.raises(ValidationError) as exc:
        vote(branch, clerk, present=41, issued=42, votes=[41, 41, 41, 41, 41, 0])
    assert "发出选票42张，多于实到会有选举权的党员41名，计票结果不能保存，请核对。" in exc.value.messages
    assert not branch.round.tallies.exists()


def test_a_tally_before_the_attendance_is_refused(branch, clerk):
    with pytest.raises(ValidationError) as exc:
        enter_tally(by=clerk, round=branch.round, station=branch.place,
                    values=sheet(issued=41, returned=41, valid=41, votes={"member": {branch.m[0]: 41}}))
    assert exc.value.messages == ["请先登记本轮党员大会实到会有选举权的党员人数，再录入计票结果。"]


def test_a_tally_that_does_not_add_up_is_refused_as_for_villages(branch, clerk):
    party_services.record_attendance(by=clerk, round=branch.round, present=45)
    with pytest.raises(ValidationError) as exc:
        enter_tally(by=clerk, round=branch.round, station=branch.place,
                    values=sheet(issued=44, returned=45, valid=45, votes={"member": {branch.m[0]: 40}}))
    assert "收回选票45张，多于发出选票44张，本次选举无效，须重新投票" in exc.value.messages


def test_write_ins_only_when_the_rules_allow_them(branch, clerk):
    from villages.models import Campaign

    campaign = branch.election.campaign
    Campaign.objects.filter(pk=campaign.pk).update(rule_params=campaign.rule_params | {"write_in_allowed": False})
    party_services.record_attendance(by=clerk, round=branch.round, present=45)
    with pytest.raises(ValidationError) as exc:
        enter_tally(by=clerk, round=Round.objects.get(pk=branch.round.pk), station=branch.place,
                    values=sheet(issued=45, returned=45, valid=45, votes={"member": {branch.m[0]: 40}},
                                 write_ins={"member": {"党员020": 3}}))
    assert "按本选举的规则，选票不能另选他人，只能对正式候选人投赞成票、不赞成票或弃权。" in exc.value.messages


def test_a_tie_at_the_last_seat_is_explained_and_revoted(branch, clerk):
    data = vote(branch, clerk, present=45, votes=[45, 44, 43, 42, 25, 25])
    assert data.progress.status == "revote"
    assert "党员005与党员006得票均为25票，并列争夺最后一个委员职位，须就并列者重新投票" in messages(data)


def test_all_five_elected_completes_the_meeting(branch, clerk):
    data = vote(branch, clerk, present=45, votes=[45, 44, 43, 42, 30, 10])
    assert data.progress.status == "complete"
    assert messages(data)[-1] == "党员大会应选委员5名，已全部选出"


def test_only_one_meeting_place(branch, clerk):
    from ballots.models import PollingStation
    from ballots.services.stations import save_station

    with pytest.raises(ValidationError) as exc:
        save_station(by=clerk, station=PollingStation(election=branch.election, name="流动票箱", kind="mobile", order=2))
    assert exc.value.messages == ["党组织选举在党员大会一处会场投票，不设分投票站和流动票箱，只能设一个中心会场。"]


# ---------------------------------------------------------------- the shortfall: another round or fewer seats


def test_the_seats_are_reduced_only_with_the_upper_levels_consent_and_the_meetings_majority(branch, clerk):
    from ballots.models import ShortfallDecision

    vote(branch, clerk, present=41, votes=[41, 30, 25, 21, 20, 19])
    with pytest.raises(ValidationError) as exc:
        party_services.decide_shortfall(by=clerk, election=branch.election, choice="reduce", decided_on=DAY, today=DAY,
                                        meeting_for=30, meeting_present=41)
    assert exc.value.messages == ["减少名额须经上级党组织同意，请填写同意的文书。"]
    with pytest.raises(ValidationError) as exc:
        party_services.decide_shortfall(by=clerk, election=branch.election, choice="reduce", decided_on=DAY, today=DAY,
                                        upper_consent="青山镇党委〔2026〕12号", meeting_for=20, meeting_present=41)
    assert exc.value.messages == ["同意减少名额的20名未超过实到会党员41名的半数，党员大会未同意减少名额。"]
    assert not ShortfallDecision.objects.exists()
    decision = party_services.decide_shortfall(by=clerk, election=branch.election, choice="reduce", decided_on=DAY,
                                               today=DAY, upper_consent="青山镇党委〔2026〕12号", meeting_for=21,
                                               meeting_present=41)
    assert (decision.seats_before, decision.seats_after, decision.round_id) == (5, 4, branch.round.pk)
    assert str(decision) == "减少名额（应选5名减少至4名）"
    data = election_counts(branch.election)
    assert data.progress.status == "complete" and data.progress.is_final
    assert [e.name for e in data.progress.elected] == ["党员001", "党员002", "党员003", "党员004"]


def test_another_round_among_the_not_elected_with_the_same_quorum_and_majority(branch, clerk):
    vote(branch, clerk, present=41, votes=[41, 30, 25, 21, 20, 19])
    decision = party_services.decide_shortfall(by=clerk, election=branch.election, choice="another_round",
                                               decided_on=DAY, today=DAY)
    assert str(decision) == "就缺额另行选举（应选5名）"
    runoff = decision.new_round
    assert (runoff.kind, runoff.seats, runoff.expected_attendance, runoff.parent_id) == (
        "runoff", {"member": 1}, 50, branch.round.pk)
    assert list(runoff.candidates.values_list("voter__name", flat=True)) == ["党员005", "党员006"]
    party_services.record_attendance(by=clerk, round=runoff, present=42)
    enter_tally(by=clerk, round=Round.objects.get(pk=runoff.pk), station=branch.place,
                values=sheet(issued=42, returned=42, valid=42, votes={"member": {branch.m[4]: 22, branch.m[5]: 20}}))
    data = election_counts(branch.election)
    assert data.progress.status == "complete"
    assert [e.name for e in data.progress.elected] == ["党员001", "党员002", "党员003", "党员004", "党员005"]
    assert messages(data, data.rounds[1]) == [
        "有选举权的到会党员42名，超过应到会50名的五分之四（至少41名），可以进行选举",
        "党员005得赞成票22票，超过实到会有选举权的党员42名的半数（至少22票），当选委员",
        "党员006得赞成票20票，未超过实到会有选举权的党员42名的半数（至少22票），不能当选委员",
        "党员大会应选委员5名，已全部选出",
    ]


def test_no_shortfall_no_decision(branch, clerk):
    vote(branch, clerk, present=45, votes=[45, 44, 43, 42, 30, 10])
    with pytest.raises(ValidationError) as exc:
        party_services.decide_shortfall(by=clerk, election=branch.election, choice="another_round", decided_on=DAY,
                                        today=DAY)
    assert exc.value.messages == ["根据已确认的计票结果，目前没有缺额需要处理。"]


# ---------------------------------------------------------------- 书记 and 副书记 by the new committee


@pytest.fixture
def committee(branch, clerk):
    from ballots.services.announcement import announce_results

    vote(branch, clerk, present=45, votes=[45, 44, 43, 42, 30, 10])
    announce_results(by=clerk, election=Election.objects.get(pk=branch.election.pk), on=DAY, today=DAY)
    return branch


def post_vote(branch, clerk, post, votes, returned=5):
    return party_services.record_post_vote(by=clerk, election=branch.election, post=post, held_on=DAY,
                                           returned=returned, votes={branch.m[i].pk: n for i, n in votes.items()},
                                           today=DAY)


def test_the_committee_elects_the_secretary_and_deputy_with_more_than_half_of_its_members(committee, clerk):
    vote_row = post_vote(committee, clerk, "secretary", {0: 5})
    assert (vote_row.electorate, vote_row.base) == ("committee", 5)
    post_vote(committee, clerk, "deputy_secretary", {1: 3})
    outcomes = party_services.post_outcomes(committee.election)
    assert [f.message for _, o in outcomes for f in o.findings] == [
        "党员001得赞成票5票，超过支部委员会委员5名的半数（至少3票），当选书记",
        "党员002得赞成票3票，超过支部委员会委员5名的半数（至少3票），当选副书记",
    ]
    from ballots.party_posts import posts_held

    held = posts_held([str(m.pk) for m in committee.m[:5]], [o for _, o in outcomes])
    assert [held[str(m.pk)] for m in committee.m[:5]] == ["书记", "副书记", "委员", "委员", "委员"]


def test_two_of_five_is_not_more_than_half_and_the_post_is_voted_again(committee, clerk):
    post_vote(committee, clerk, "deputy_secretary", {1: 2})
    (_, outcome), = party_services.post_outcomes(committee.election)
    assert [f.message for f in outcome.findings] == [
        "党员002得赞成票2票，未超过支部委员会委员5名的半数（至少3票），不能当选副书记",
        "副书记应选1名，得票超过半数的0名，须就缺额重新选举",
    ]
    post_vote(committee, clerk, "deputy_secretary", {1: 4})
    assert [o.elected for _, o in party_services.post_outcomes(committee.election)] == [(), (str(committee.m[1].pk),)]


def test_a_post_vote_is_checked(committee, clerk):
    with pytest.raises(ValidationError) as exc:
        post_vote(committee, clerk, "secretary", {0: 3, 1: 2})
    assert exc.value.messages == ["书记实行等额选举，应选1名，候选人应为1名，现有2名。"]
    with pytest.raises(ValidationError) as exc:
        post_vote(committee, clerk, "secretary", {5: 5})
    assert exc.value.messages == ["党员006不是新当选的委员会委员，不能作为书记候选人。"]
    with pytest.raises(ValidationError) as exc:
        post_vote(committee, clerk, "secretary", {0: 6}, returned=6)
    assert exc.value.messages == ["收回选票6张，多于支部委员会委员5名，请核对。"]
    post_vote(committee, clerk, "secretary", {0: 5})
    with pytest.raises(ValidationError) as exc:
        post_vote(committee, clerk, "deputy_secretary", {0: 5})
    assert exc.value.messages == ["党员001已当选书记，不能再作为副书记候选人。"]


def test_before_the_committee_is_formed_no_post_vote(branch, clerk):
    with pytest.raises(ValidationError) as exc:
        post_vote(branch, clerk, "secretary", {0: 5})
    assert exc.value.messages == ["党员大会选举的委员尚未全部选出并公布，不能选举书记、副书记。"]


def test_under_open_recommendation_the_members_elect_the_secretary(committee, clerk):
    from villages.models import Campaign

    campaign = committee.election.campaign
    Campaign.objects.filter(pk=campaign.pk).update(
        rule_params=campaign.rule_params | {"nomination_methods": ["open_recommendation"]})
    election = Election.objects.get(pk=committee.election.pk)
    vote_row = party_services.record_post_vote(by=clerk, election=election, post="secretary", held_on=DAY,
                                               returned=45, votes={committee.m[0].pk: 23}, today=DAY)
    assert (vote_row.electorate, vote_row.base) == ("members", 45)
    (_, outcome), = party_services.post_outcomes(election)
    assert outcome.findings[0].message == (
        "党员001得赞成票23票，超过党员大会实到会有选举权的党员45名的半数（至少23票），当选书记")


def test_a_round_without_the_quorum_is_declared_void_with_its_figures(branch, clerk):
    from ballots.services.rounds import void_round

    vote(branch, clerk, present=40, votes=[40, 40, 40, 40, 40, 0])
    voided = void_round(by=clerk, round=branch.round, reason="", ground="quorum")
    assert (voided.status, voided.void_reason, voided.void_figures) == (
        "void", "有选举权的到会党员40名，未超过应到会50名的五分之四，本轮选举无效", {"expected": 50, "present": 40})


def test_a_round_with_the_quorum_cannot_be_voided_for_it(branch, clerk):
    from ballots.services.rounds import void_round

    vote(branch, clerk, present=41, votes=[41, 30, 25, 21, 20, 19])
    with pytest.raises(ValidationError) as exc:
        void_round(by=clerk, round=branch.round, reason="", ground="quorum")
    assert exc.value.messages == ["有选举权的到会党员41名，超过应到会50名的五分之四，不能以此宣布本轮无效。"]


def test_the_quorum_is_inclusive_where_the_preset_says_so(branch, clerk):
    """``quorum_strict`` False (不少于): 40 of 50 is exactly 4/5 and passes."""
    from villages.models import Campaign

    campaign = branch.election.campaign
    Campaign.objects.filter(pk=campaign.pk).update(rule_params=campaign.rule_params | {"quorum_strict": False})
    branch.election = Election.objects.get(pk=branch.election.pk)
    data = vote(branch, clerk, present=40, votes=[40, 30, 25, 21, 21, 19])
    assert messages(data)[0] == "有选举权的到会党员40名，达到应到会50名的五分之四（至少40名），可以进行选举"
    assert [e.name for e in data.progress.elected] == ["党员001", "党员002", "党员003", "党员004", "党员005"]


def test_a_written_in_full_member_counts_and_a_non_member_waits_for_a_ruling(branch, clerk):
    party_services.record_attendance(by=clerk, round=branch.round, present=45)
    enter_tally(by=clerk, round=Round.objects.get(pk=branch.round.pk), station=branch.place,
                values=sheet(issued=45, returned=45, valid=45,
                             votes={"member": {branch.m[i]: n for i, n in enumerate([45, 44, 43, 42, 10, 10])}},
                             write_ins={"member": {"党员020": 23, "张三": 2}}))
    data = election_counts(branch.election)
    assert [(w.name, w.match, w.pending) for w in data.write_ins] == [
        ("党员020", "matched", False), ("张三", "unmatched", True)]
    assert [e.name for e in data.progress.elected] == ["党员001", "党员002", "党员003", "党员004", "党员020"]


def test_another_round_is_opened_only_through_the_shortfall_decision(branch, clerk):
    vote(branch, clerk, present=41, votes=[41, 30, 25, 21, 20, 19])
    with pytest.raises(ValidationError) as exc:
        open_round(by=clerk, election=branch.election, kind="runoff", held_on=DAY, stations=[branch.place])
    assert exc.value.messages == [
        "党员大会选举的缺额不从得票未过半数的人中递补，须先登记缺额处理决定（另行选举或减少名额）。"]


def test_seats_reduced_after_the_announcement_move_the_election_on_to_the_handover(branch, clerk):
    """The archive serves Party elections: fewer seats after the announcement form the committee (工作移交)."""
    from ballots.services.announcement import announce_results

    vote(branch, clerk, present=41, votes=[41, 30, 25, 21, 20, 19])
    announce_results(by=clerk, election=Election.objects.get(pk=branch.election.pk), on=DAY, today=DAY)
    assert Election.objects.get(pk=branch.election.pk).stage == "runoff"
    party_services.decide_shortfall(by=clerk, election=Election.objects.get(pk=branch.election.pk), choice="reduce",
                                    decided_on=DAY, today=DAY, upper_consent="青山镇党委〔2026〕12号", meeting_for=21,
                                    meeting_present=41)
    assert Election.objects.get(pk=branch.election.pk).stage == "handover"


def test_the_revote_among_the_tied_settles_the_last_seat(branch, clerk):
    vote(branch, clerk, present=45, votes=[45, 44, 43, 42, 25, 25])
    revote = open_round(by=clerk, election=branch.election, kind="revote", post="member", held_on=DAY,
                        stations=[branch.place])
    assert (revote.seats, revote.expected_attendance) == ({"member": 1}, 50)
    data = election_counts(branch.election)
    assert data.progress.status == "revote"  # counted only once 实到会 is recorded
    party_services.record_attendance(by=clerk, round=revote, present=44)
    enter_tally(by=clerk, round=Round.objects.get(pk=revote.pk), station=branch.place,
                values=sheet(issued=44, returned=44, valid=44, votes={"member": {branch.m[4]: 30, branch.m[5]: 14}}))
    data = election_counts(branch.election)
    assert data.progress.status == "complete"
    assert [e.name for e in data.progress.elected] == ["党员001", "党员002", "党员003", "党员004", "党员005"]
    assert messages(data, data.rounds[1]) == [
        "党员005在并列者重新投票中得票30票，名列前1名，当选委员",
        "党员006在并列者重新投票中得票14票，未进入前1名，未当选委员",
    ]


def test_the_meetings_ballot_prints_the_secretary_candidates_first_then_the_members_in_stroke_order(
        township, village_b, clerk):
    """公推直选: the formal list stores the 书记 candidate on ``chair`` (order 1) beside the 委员 (orders 1–3); the
    党员大会's 委员 ballot prints every one of them once, the 书记 candidate first, as approved."""
    campaign = make_party_campaign(township=township, by=clerk)
    election = campaign.elections.get(village=village_b)
    Election.objects.filter(pk=election.pk).update(seats_chair=1, seats_vice_chair=0, seats_member=2)
    m = make_party_members(election=election, count=8)
    at_stage(election, "voting")
    for order, member in enumerate(m[1:4], start=1):
        make_formal_candidate(election=election, voter=member, post="member", order=order)
    make_formal_candidate(election=election, voter=m[0], post="chair", order=1)
    place = make_station(election=election, name="党员大会会场", kind="central")
    round = open_round(by=clerk, election=election, kind="first", held_on=DAY, stations=[place])
    assert round.seats == {"member": 3}
    assert list(round.candidates.order_by("order").values_list("post", "order", "voter__name")) == [
        ("member", 1, "党员001"), ("member", 2, "党员002"), ("member", 3, "党员003"), ("member", 4, "党员004")]
