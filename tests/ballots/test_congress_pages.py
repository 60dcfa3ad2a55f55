"""A township Party congress's 选举单位 on the election pages (issue 12): the unit moves through 党员名册登记 and
代表候选人提名, its delegate candidates are entered on its candidate page, and its 党员大会 runs on the ballot pages
of a branch's meeting (meeting place, first round, 实到会, tally, results, announcement) — one engine."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from ballots.models import ElectedMember, PollingStation, Round
from candidates.models import Candidate
from tests.builders import make_congress_members, preset
from villages import party_congress
from villages.models import Election

DAY = date(2026, 11, 28)


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.content.decode()[:3000])
    return BeautifulSoup(response.content.decode(), "html.parser")


def post(client, url, data, status=302):
    response = client.post(url, data)
    assert response.status_code == status, (url, response.content.decode()[:5000])
    return response


@pytest.fixture
def unit(township, village_a, clerk, time_machine):
    """东山村's organisation as a unit of 10 full members; 3 delegates of 3."""
    time_machine.move_to(datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
    campaign = party_congress.open_congress_round(by=clerk, township=township, term_number=10,
                                                  preset=preset("REFERENCE_003_CONGRESS"), election_day=DAY)
    election = party_congress.add_unit(by=clerk, campaign=campaign, name="东山村",
                                       organisations=[village_a.party_organisation])
    members = make_congress_members(election=election, count=10, women=3, young=6)
    party_congress.set_delegate_total(by=clerk, campaign=campaign, total=3)
    campaign.refresh_from_db()
    party_congress.apply_allocation(by=clerk, campaign=campaign)
    election.refresh_from_db()
    return election, members


def test_a_unit_enters_its_candidates_and_runs_its_meeting_on_the_ballot_pages(client, clerk, unit, time_machine):
    election, m = unit
    pk = election.pk
    client.force_login(clerk)
    detail = get(client, reverse("villages:election-detail", args=[pk]))
    assert "乡镇党委已分配本单位的代表名额" in text(detail)
    assert text(detail.find(id="congress-round").parent) == (
        "青山镇 · 青山镇第十次党代表大会代表选举 （应选代表 3 名，由名额分配确定） · 选举日 2026年11月28日")
    assert detail.find(id="congress-round")["href"] == f"/congress/{election.campaign_id}/"
    assert not detail.find("a", href=f"/elections/{pk}/setup/")
    advance = reverse("villages:election-advance", args=[pk])
    post(client, advance, {"target": "registration"})
    post(client, advance, {"target": "nomination"})
    assert Election.objects.get(pk=pk).stage == "nomination"
    board = get(client, reverse("candidates:candidate-list", args=[pk]))
    assert text(board.find(id="delegate-candidates")) .endswith("尚未确定代表候选人名单。")
    publish = reverse("candidates:candidate-list-publish", args=[pk])
    # 3 candidates for 3 seats: no surplus
    response = post(client, publish, {"published_on": "2026-11-20", "members": [m[0].pk, m[1].pk, m[2].pk]}, 200)
    assert "代表候选人数应多于应选代表3名的20%" in response.content.decode() or "差额" in response.content.decode()
    post(client, publish, {"published_on": "2026-11-20", "members": [v.pk for v in m[:4]], "cadres": [m[0].pk]})
    stored = Election.objects.get(pk=pk)
    assert (stored.stage, stored.candidate_list_published_on) == ("voting", date(2026, 11, 20))
    assert list(Candidate.objects.filter(election=stored).order_by("list_order")
                .values_list("voter__name", "party_cadre")) == [
        ("党员0001", True), ("党员0002", False), ("党员0003", False), ("党员0004", False)]
    board = get(client, reverse("candidates:candidate-list", args=[pk]))
    assert text(board.find(id="delegate-count")) == "共 4 名，其中党员干部 1 名"
    # the 党员大会 on the ballot pages
    time_machine.move_to(datetime(2026, 11, 28, 9, tzinfo=ZoneInfo("Asia/Shanghai")))
    client.force_login(clerk)  # sessions expire over days
    post(client, reverse("ballots:station-create", args=[pk]), {"kind": "central", "name": "东山村党员大会会场", "version": 0, "order": 1})
    place = PollingStation.objects.get(election=stored)
    post(client, reverse("ballots:round-open", args=[pk, "first"]), {"held_on": DAY.isoformat(), "stations": [place.pk]})
    round = Round.objects.get(election=stored)
    assert (round.expected_attendance, round.seats) == (10, {"deputy": 3})
    post(client, reverse("ballots:party-attendance", args=[pk, round.pk]), {"present": 9})
    tally = {"issued": 9, "returned": 9, "valid": 9, "invalid": 0, "version": 0, "confirm": "1"}
    tally |= {f"deputy__c{v.pk}": n for v, n in zip(m[:4], (9, 8, 5, 4), strict=True)}
    post(client, reverse("ballots:tally-entry", args=[pk, round.pk, place.pk]), tally)
    results = get(client, reverse("ballots:results", args=[pk]))
    page = text(results)
    assert "有选举权的到会党员9名，超过应到会10名的五分之四（至少9名），可以进行选举" in page
    assert "党员0003得赞成票5票，超过实到会有选举权的党员9名的半数（至少5票），当选代表" in page
    assert "选举单位的党员大会选举出席青山镇第十次党代表大会的代表，不产生委员会" in page
    time_machine.move_to(datetime(2026, 11, 28, 17, tzinfo=ZoneInfo("Asia/Shanghai")))
    client.force_login(clerk)
    post(client, reverse("ballots:announce", args=[pk]), {"on": DAY.isoformat()})
    assert list(ElectedMember.objects.filter(election=stored).order_by("-votes")
                .values_list("voter__name", "post", "votes")) == [
        ("党员0001", "deputy", 9), ("党员0002", "deputy", 8), ("党员0003", "deputy", 5)]
    report = client.get(reverse("ballots:results-report", args=[pk]))
    assert report.status_code == 200 and report["content-type"] == "application/pdf"
    congress = get(client, reverse("villages:congress-detail", args=[stored.campaign_id]))
    assert text(congress.find(id="unit-progress").find("tbody")) == (
        "1 东山村 代表资格审查 3 4 名 已公布，当选代表 3 名 尚未认定 党员名册 · 党员大会")


@pytest.mark.parametrize("name", ["candidates:party-method", "candidates:candidate-create", "ballots:party-post-vote"])
def test_a_units_pages_without_meaning_say_why(client, clerk, unit, name):
    election, _m = unit
    client.force_login(clerk)
    response = client.get(reverse(name, args=[election.pk]))
    assert response.status_code == 409


def test_the_congress_page_links_each_unit_with_its_state(client, clerk, unit):
    election, m = unit
    client.force_login(clerk)
    url = reverse("villages:congress-detail", args=[election.campaign_id])
    soup = get(client, url)
    assert "青山镇第十次党代表大会代表选举" in soup.title.text and "选举单位" not in soup.title.text
    [row] = soup.find(id="unit-progress").find("tbody").find_all("tr")
    assert text(row) == "1 东山村 准备 3 尚未确定 尚未公布 尚未认定 党员名册 · 党员大会"
    assert [a["href"] for a in row.find_all("a")] == [
        f"/elections/{election.pk}/", f"/elections/{election.pk}/candidates/", f"/elections/{election.pk}/results/",
        f"/elections/{election.pk}/archive/", f"/elections/{election.pk}/party-members/", f"/elections/{election.pk}/rounds/"]


def test_a_units_setup_page_goes_to_the_congress_allocation(client, clerk, unit):
    """A unit's delegates are the round's allocation: the village's seats form (whose checks are a village
    committee's) is not offered for it."""
    election, _m = unit
    client.force_login(clerk)
    for method in (client.get, client.post):
        response = method(reverse("villages:election-setup", args=[election.pk]))
        assert (response.status_code, response["Location"]) == (
            302, reverse("villages:congress-detail", args=[election.campaign_id]))


def test_a_units_election_page_shows_its_allocated_delegates_and_no_committee(client, clerk, unit):
    """A unit's seats are the congress's allocation to it, in delegates; it has no 职数 of 主任/委员 and no election
    committee of its own (LAW.md §4.5): the page says what applies and its committee pages say why not."""
    election, _m = unit
    client.force_login(clerk)
    soup = get(client, reverse("villages:election-detail", args=[election.pk]))
    seats = soup.find(id="allocated-seats")
    assert text(seats) == "应选代表 3 名（乡镇党委分配） 名额分配"
    assert seats.find("a")["href"] == reverse("villages:congress-detail", args=[election.campaign_id]) + "#allocation-table"
    page = text(soup)
    assert "职数" not in page and "主任" not in page and "添加成员" not in page and "推选方式" not in page
    assert soup.find(href=reverse("villages:committee-member-create", args=[election.pk])) is None
    response = client.get(reverse("villages:committee-member-create", args=[election.pk]))
    assert response.status_code == 409
    assert "选举单位没有自己的选举委员会" in response.content.decode()


def test_a_village_election_page_keeps_its_seats_and_committee(client, clerk, election_a):
    election = election_a
    client.force_login(clerk)
    soup = get(client, reverse("villages:election-detail", args=[election.pk]))
    assert soup.find(id="allocated-seats") is None
    assert "职数" in text(soup) and soup.find(href=reverse("villages:committee-member-create", args=[election.pk]))
