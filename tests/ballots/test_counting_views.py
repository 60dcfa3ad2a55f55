"""Per-ballot counting pages: the counters' page and its batched posts, the finish form, and the counting
board (read-only, no counter's name, no ID number, a constant number of queries)."""

import json

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ballots.ballot_rules import BallotMarks, PostMarks
from ballots.models import BallotCount, CountedBallot, Tally
from ballots.services.counting import add_ballot, start_ballot_count


def url(name, c, **extra):
    return reverse(f"ballots:{name}", kwargs={"pk": c.election.pk, "round_pk": c.round.pk,
                                              "station_pk": c.central.pk, **extra})


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def add(c, by, chair=(), member=()):
    count = BallotCount.objects.get(round=c.round, station=c.central)
    marks = BallotMarks(posts={"chair": PostMarks(tuple(chair)), "member": PostMarks(tuple(member))})
    return add_ballot(by=by, count=count, marks=marks)


def post_json(client, c, ballots):
    return client.post(url("ballot-add", c), data=json.dumps({"ballots": ballots}), content_type="application/json")


def test_counting_page_offers_one_key_per_candidate(client, counting, liaison_a):
    start_ballot_count(by=liaison_a, round=counting.round, station=counting.central)
    client.force_login(liaison_a)
    page = soup(client.get(url("ballot-count", counting)))
    keys = {i["data-name"]: i["data-key"] for i in page.select("#ballot-form input[data-name]")}
    v = counting.v
    assert keys == {v[0].name: "1", v[1].name: "2", v[2].name: "q", v[3].name: "w", v[4].name: "e"}


def test_batched_ballots_are_recorded_in_order_and_judged(client, counting, liaison_a):
    start_ballot_count(by=liaison_a, round=counting.round, station=counting.central)
    client.force_login(liaison_a)
    v = counting.v
    response = post_json(client, counting, [
        {"key": "a1", "fields": {"p.chair": [str(v[0].pk)], "p.member": [str(v[2].pk)]}},
        {"key": "a2", "fields": {"p.chair": [str(v[0].pk)], "w.member": [v[0].name]}},
        {"key": "a3", "fields": {"p.chair": [str(v[2].pk)]}},
    ])
    page = soup(response)
    assert page.select_one("#entered-count").text == "2"
    assert [e.text for e in page.select(".ballot-error")] == [
        "未录入：所选的人不是本轮主任的候选人，请用“另选他人”填写姓名。"
    ]
    assert list(CountedBallot.objects.values_list("number", "valid")) == [(1, True), (2, False)]
    post_json(client, counting, [{"key": "a2", "fields": {}}])  # sent again after a lost answer
    assert CountedBallot.objects.count() == 2


def test_plain_form_post_without_a_count_says_so(client, counting, liaison_a):
    client.force_login(liaison_a)
    response = client.post(url("ballot-add", counting), {"p.chair": str(counting.v[0].pk)}, follow=True)
    assert "中心会场尚未开始唱票计票。" in response.content.decode()
    assert not CountedBallot.objects.exists()


def test_finish_form_writes_the_tally(client, counting, liaison_a):
    start_ballot_count(by=liaison_a, round=counting.round, station=counting.central)
    for _ in range(3):
        add(counting, liaison_a, chair=[counting.v[0].pk], member=[counting.v[2].pk])
    client.force_login(liaison_a)
    response = client.post(url("ballot-count-finish", counting), {"issued": 2})
    assert "发出选票2张，少于已唱票的3张" in response.content.decode()
    assert not Tally.objects.exists()
    response = client.post(url("ballot-count-finish", counting), {"issued": 4})
    assert response.status_code == 302
    tally = Tally.objects.get()
    assert (tally.issued, tally.returned, tally.valid, tally.status) == (4, 3, 3, Tally.Status.CONFIRMED)


def test_board_shows_the_running_count_without_counters_or_id_numbers(client, counting, liaison_a, supervisor):
    start_ballot_count(by=liaison_a, round=counting.round, station=counting.central)
    v = counting.v
    add(counting, liaison_a, chair=[v[0].pk], member=[v[2].pk, v[3].pk])
    add(counting, liaison_a, chair=[v[1].pk], member=[v[2].pk, "王五"])
    add(counting, liaison_a, chair=[v[0].pk], member=[v[0].name])  # same person for two posts: invalid
    client.force_login(supervisor)
    response = client.get(url("counting-board", counting))
    page = soup(response)
    assert [page.select_one(f"#board-{k}").text for k in ("ballots", "valid", "invalid")] == ["3", "2", "1"]
    rows = [(tr.th.text, tr.td.text) for tr in page.select("#board-member tr")]
    assert rows == [(v[2].name, "2"), (v[3].name, "1"), (v[4].name, "0"), ("王五", "1")]
    text = page.text
    assert liaison_a.username not in text and str(liaison_a) not in text
    assert not any(voter.id_number in text or voter.id_number[-4:] in text for voter in v)
    assert page.select_one("#board")["hx-trigger"] == "every 2s"


def test_board_refresh_is_the_partial_only(client, counting, supervisor):
    client.force_login(supervisor)
    response = client.get(url("counting-board", counting), headers={"HX-Request": "true"})
    page = soup(response)
    assert page.select_one("html") is None and page.select_one("#board-status") is None
    assert page.select_one(".board-status").text == "尚未开始"


@pytest.mark.parametrize("n", [3, 9])
def test_board_queries_do_not_grow_with_ballots(client, counting, liaison_a, supervisor, n):
    start_ballot_count(by=liaison_a, round=counting.round, station=counting.central)
    for i in range(n):
        add(counting, liaison_a, chair=[counting.v[i % 2].pk], member=[counting.v[2].pk])
    client.force_login(supervisor)
    client.get(url("counting-board", counting))
    with CaptureQueriesContext(connection) as queries:
        client.get(url("counting-board", counting))
    # session and user, the election through the access check, round, station, count, the counted ballots,
    # the names of the persons on them, the round's candidates, and the session saved
    assert len(queries) == 14
