"""The ``counting`` election of tests/ballots, counted and announced (``announced``) and certified (``certified``)."""

from datetime import date

import pytest

from archive.services import certify_results
from ballots.services.announcement import announce_results
from tests.ballots.conftest import counting  # noqa: F401  (fixture)
from tests.ballots.scenario import central_sheet, group_sheet
from tests.builders import enter_tally, make_user
from villages.models import Role

DAY = date(2027, 1, 16)


@pytest.fixture
def counted(counting, clerk):  # noqa: F811
    enter_tally(by=clerk, round=counting.round, station=counting.central, values=central_sheet(counting))
    enter_tally(by=clerk, round=counting.round, station=counting.group, values=group_sheet(counting))
    return counting


@pytest.fixture
def announced(counted, clerk):
    announce_results(by=clerk, election=counted.election, on=DAY, today=DAY)
    counted.election.refresh_from_db()
    return counted.election


@pytest.fixture
def certified(announced, clerk):
    certify_results(by=clerk, election=announced, today=DAY)
    announced.refresh_from_db()
    return announced


@pytest.fixture
def second_clerk(township):
    return make_user(username="clerk2", role=Role.CLERK, township=township)
