"""Counting cannot be dated before the vote (issue 13, "Dates cannot contradict the legal calendar")."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ballots.services.announcement import announce_results
from ballots.services.rounds import open_round
from ballots.models import Round, Tally
from tests.ballots.test_views import entry_url, form_data
from tests.builders import make_station, make_voters
from villages.models import DateException

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_tally_entered_before_the_voting_day_is_refused(client, liaison_a, counting, time_machine):
    time_machine.move_to(datetime(2027, 1, 14, 10, 0, tzinfo=SHANGHAI))  # two days before the vote
    client.force_login(liaison_a)
    response = client.post(entry_url(counting), form_data(counting))
    assert "早于投票的日期2027年1月16日" in response.content.decode()
    assert not Tally.objects.exists()


def test_results_cannot_be_announced_before_the_vote(counting, clerk):
    with pytest.raises(ValidationError) as refused:
        announce_results(by=clerk, election=counting.election, on=date(2027, 1, 15), today=date(2027, 1, 20))
    assert {e.code for e in refused.value.error_list} >= {"before_prerequisite"}


def test_round_held_28_days_before_election_day_needs_a_reason(election_a, clerk):
    from tests.builders import at_stage, make_formal_candidate

    voters = make_voters(election=election_a, count=6)
    at_stage(election_a, "voting")
    for order, i in enumerate((0, 1), start=1):
        make_formal_candidate(election=election_a, voter=voters[i], post="chair", order=order)
    for order, i in enumerate((2, 3, 4), start=1):
        make_formal_candidate(election=election_a, voter=voters[i], post="member", order=order)
    station = make_station(election=election_a)
    early = date(2026, 12, 19)
    with pytest.raises(ValidationError) as refused:
        open_round(by=clerk, election=election_a, kind=Round.Kind.FIRST, held_on=early, stations=[station],
                            today=early)
    assert refused.value.error_list[0].code == "date_needs_reason"
    assert not Round.objects.exists()
    open_round(by=clerk, election=election_a, kind=Round.Kind.FIRST, held_on=early, stations=[station],
                        today=early, date_reason="全镇统一提前选举，县民政局同意")
    assert DateException.objects.get(act="first_round_held").reason.startswith("全镇统一提前选举")
