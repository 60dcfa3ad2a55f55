"""What counting shows on the setup stage's pages: the dashboard line, the runoff on the legal
calendar, and announced results on the village page."""

from datetime import date

from bs4 import BeautifulSoup
from django.urls import reverse

from ballots.services.announcement import announce_results
from ballots.services.rounds import open_round
from tests.ballots.scenario import central_sheet, group_sheet
from tests.builders import enter_tally, sheet

DAY = date(2027, 1, 16)


def count_short(c, clerk):
    """张伟 is elected member; 刘伟 and 陈伟 stay below half: one member seat needs a runoff."""
    enter_tally(by=clerk, round=c.round, station=c.central, values=central_sheet(c, member=(10, 6, 6)))
    enter_tally(by=clerk, round=c.round, station=c.group, values=group_sheet(c, member=(6, 4, 4)))


def dashboard_row(client, village_name):
    page = BeautifulSoup(client.get(reverse("villages:dashboard")).content.decode(), "html.parser")
    return next(tr for tr in page.select("#village-progress tbody tr") if tr.td.get_text(strip=True) == village_name)


def test_dashboard_says_a_runoff_is_needed(client, counting, clerk):
    count_short(counting, clerk)
    client.force_login(clerk)
    row = dashboard_row(client, counting.election.village.name)
    assert "已选出2名成员，尚缺1名，须另行选举" in row.get_text()


def test_dashboard_says_committee_short_of_three_is_incomplete(client, counting, clerk):
    c = counting
    enter_tally(by=clerk, round=c.round, station=c.central, values=central_sheet(c, member=(6, 6, 6)))
    enter_tally(by=clerk, round=c.round, station=c.group, values=group_sheet(c, member=(4, 4, 4)))
    runoff = open_round(by=clerk, election=c.election, kind="runoff", held_on=DAY, stations=[c.central])
    enter_tally(by=clerk, round=runoff, station=c.central,
                values=sheet(issued=12, returned=12, valid=12, votes={"member": {c.v[2]: 9, c.v[3]: 3, c.v[4]: 3}}))
    client.force_login(clerk)
    row = dashboard_row(client, c.election.village.name)
    assert row.select_one(".text-danger").get_text(strip=True) == "村民委员会共选出2名成员，不足3名，选举未完成"


def test_calendar_shows_the_runoff_once_needed(counting, clerk):
    codes = [item.code for item in counting.election.calendar(DAY)]
    assert "runoff" not in codes
    count_short(counting, clerk)
    runoff = next(item for item in counting.election.calendar(DAY) if item.code == "runoff")
    assert runoff.status == "due"


def test_village_page_lists_announced_members(client, counting, clerk):
    count_short(counting, clerk)
    announce_results(by=clerk, election=counting.election, on=DAY, today=DAY)
    client.force_login(clerk)
    page = BeautifulSoup(
        client.get(reverse("villages:village-detail", args=[counting.election.village_id])).content.decode(),
        "html.parser",
    )
    names = [tr.find_all("td")[1].get_text(strip=True) for tr in page.select("#announced-results tbody tr")]
    assert sorted(names) == ["张伟", "王伟"]
