"""A township Party congress's 选举单位 elects its delegates at its members' meeting on the same 党员大会 engine as a
village branch (issue 12; LAW.md §4.2, §4.5): one meeting place, 应到会 read from the unit's register after the
excusals, 实到会 recorded, the quorum of more than 4/5 of 应到会, winning with more than half of those present."""

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from ballots.counts import election_counts
from ballots.services import party as party_services
from ballots.services.rounds import open_round
from candidates import congress_credentials, congress_services
from tests.builders import at_stage, enter_tally, make_congress_members, make_station, sheet
from tests.builders import preset
from villages import party_congress
from villages.models import PartyOrganisation

DAY = date(2026, 11, 28)


@pytest.fixture
def unit(township, village_a, village_b, clerk, time_machine):
    """东山村 and 西岭村's organisations as one unit of 30 full members; 3 delegates of 120 for the unit alone is
    not the case here: the total is 3, so the unit has 3 delegates and 4 candidates (党员0001–党员0004)."""
    time_machine.move_to(datetime(2026, 11, 28, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    campaign = party_congress.open_congress_round(by=clerk, township=township, term_number=10,
                                                  preset=preset("REFERENCE_003_CONGRESS"), election_day=DAY)
    election = party_congress.add_unit(by=clerk, campaign=campaign, name="东西联合选举单位",
                                       organisations=list(PartyOrganisation.objects.filter(village__township=township)))
    members = make_congress_members(election=election, count=30, women=6, young=20)
    party_congress.set_delegate_total(by=clerk, campaign=campaign, total=3)
    campaign.refresh_from_db()
    party_congress.apply_allocation(by=clerk, campaign=campaign)
    election.refresh_from_db()
    congress_services.publish_delegate_candidates(by=clerk, election=election,
                                                  entries=[(m, i == 0) for i, m in enumerate(members[:4])],
                                                  published_on=DAY)
    at_stage(election, "voting")
    place = make_station(election=election, name="党员大会会场", kind="central")
    round = open_round(by=clerk, election=election, kind="first", held_on=DAY, stations=[place])
    return SimpleNamespace(campaign=campaign, election=election, round=round, place=place, m=members)


def vote(unit, clerk, *, present, votes):
    party_services.record_attendance(by=clerk, round=unit.round, present=present)
    enter_tally(by=clerk, round=unit.round, station=unit.place,
                values=sheet(issued=present, returned=present, valid=present, invalid=0,
                             votes={"deputy": {unit.m[i]: n for i, n in enumerate(votes)}}))
    return election_counts(unit.election)


def test_the_meeting_elects_the_delegates_on_present_with_the_quorum(unit, clerk):
    assert (unit.round.expected_attendance, unit.round.seats) == (30, {"deputy": 3})
    data = vote(unit, clerk, present=25, votes=[25, 20, 13, 12])
    findings = [f.message for f in data.progress.results[data.rounds[0].pk].findings]
    assert findings[:5] == [
        "有选举权的到会党员25名，超过应到会30名的五分之四（至少25名），可以进行选举",
        "党员0001得赞成票25票，超过实到会有选举权的党员25名的半数（至少13票），当选代表",
        "党员0002得赞成票20票，超过实到会有选举权的党员25名的半数（至少13票），当选代表",
        "党员0003得赞成票13票，超过实到会有选举权的党员25名的半数（至少13票），当选代表",
        "党员0004得赞成票12票，未超过实到会有选举权的党员25名的半数（至少13票），不能当选代表",
    ]
    assert [(e.name, e.votes) for e in data.progress.elected] == [("党员0001", 25), ("党员0002", 20), ("党员0003", 13)]


def test_twenty_four_of_thirty_is_not_more_than_four_fifths(unit, clerk):
    data = vote(unit, clerk, present=24, votes=[24, 20, 13, 12])
    assert data.progress.status == "invalid"
    assert [f.message for f in data.progress.results[data.rounds[0].pk].findings] == [
        "有选举权的到会党员24名，未超过应到会30名的五分之四（至少25名），不能进行选举"]


def test_the_announced_delegates_pass_the_credentials_review(unit, clerk):
    from ballots.services.announcement import announce_results

    vote(unit, clerk, present=26, votes=[26, 20, 14, 12])
    elected = announce_results(by=clerk, election=unit.election, on=DAY, today=DAY)
    assert [(e.voter.name, e.post, e.votes) for e in elected] == [
        ("党员0001", "deputy", 26), ("党员0002", "deputy", 20), ("党员0003", "deputy", 14)]
    [review] = congress_credentials.credentials(unit.campaign)
    assert review.quorum.message == "有选举权的到会党员26名，超过应到会30名的五分之四（至少25名），可以进行选举"
    assert [(d.name, d.valid) for d in review.delegates] == [("党员0001", True), ("党员0002", True), ("党员0003", True)]
    assert review.delegates[2].findings[0].message == (
        "党员0003得赞成票14票，超过实到会有选举权的党员26名的半数（至少14票），可以当选")
