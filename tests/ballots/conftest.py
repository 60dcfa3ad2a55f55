"""A village election at the voting stage: 20 registered voters, two chair and three member candidates
(1 chair and 2 member seats), a central meeting and one group station, and the first round opened."""

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from tests.builders import at_stage, make_formal_candidate, make_station, make_voters, open_first_round


@pytest.fixture
def counting(election_a, clerk, time_machine):
    """A first round open at two stations. The clock stands on the election day, as in a counting hall:
    a tally cannot be entered before its voting day (villages.chronology)."""
    time_machine.move_to(datetime(2027, 1, 16, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    voters = make_voters(election=election_a, count=20)
    at_stage(election_a, "voting")
    for order, i in enumerate((0, 1), start=1):
        make_formal_candidate(election=election_a, voter=voters[i], post="chair", order=order)
    for order, i in enumerate((2, 3, 4), start=1):
        make_formal_candidate(election=election_a, voter=voters[i], post="member", order=order)
    central = make_station(election=election_a, name="中心会场", kind="central", assigned_voters=12)
    group = make_station(election=election_a, name="第1组投票站", kind="station", assigned_voters=8)
    round = open_first_round(election=election_a, by=clerk, stations=[central, group])
    return SimpleNamespace(election=election_a, round=round, central=central, group=group, v=voters)
