"""A counting-hall rehearsal (唱票计票) in the browser: one counter enters 300 ballots one by one with the
keyboard while the counting board is open in a second browser (a supervisor's projector laptop). One ballot
elects the same person to two posts (浙江: exclusive mode) and is voided; the board, the counted ballots and
the tally made from them agree. Screenshots 40-… to 42-….
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from ballots.models import CountedBallot, Tally
from tests.builders import at_stage, make_formal_candidate, make_station, open_first_round
from tests.e2e.conftest import ARTIFACTS, DEMO_PASSWORD
from tests.e2e.test_counting import CANDIDATES, xiling_at_nomination
from villages.models import User

pytestmark = pytest.mark.e2e

BALLOTS = 300
SAME_PERSON = 150  # this ballot names 陈国强 for 主任 and writes him in for 委员
POSTS = {"主任": "chair", "委员": "member", "妇女委员": "woman_member"}


def ballot_marks(i: int) -> dict[str, list[str]]:
    """What ballot ``i`` says, post by post (names); ``"作废"`` marks an illegible section."""
    chair = ["林志明"] if i % 3 == 0 else ["陈国强"]
    if i % 50 == 7:
        chair = []  # abstains for 主任
    if i == 77:
        chair = ["作废"]
    member = ["王建军", "赵立新"] if i % 2 == 0 else ["王建军", "孙浩"]
    if i % 40 == 5:
        member = ["王建军", "赵立新", "孙浩"]  # more marks than seats: the 委员 section is void
    if i == SAME_PERSON:
        chair, member = ["陈国强"], ["王建军"]  # and 陈国强 written in for 委员: see the test
    woman = ["李秀兰"] if i % 4 else ["张美华"]
    return {"chair": chair, "member": member, "woman_member": woman}


def expected_count() -> tuple[int, int, Counter]:
    votes: Counter = Counter()
    valid = invalid = 0
    for i in range(BALLOTS):
        if i == SAME_PERSON:
            invalid += 1
            continue
        valid += 1
        for post, names in ballot_marks(i).items():
            if names == ["作废"] or len(names) > {"chair": 1, "member": 2, "woman_member": 1}[post]:
                continue
            votes.update((post, name) for name in names)
    return valid, invalid, votes


def xiling_counting(today):
    election, people = xiling_at_nomination(today)
    for order, (name, _sex, post, _votes) in enumerate(CANDIDATES, start=1):
        make_formal_candidate(election=election, voter=people[name], post=POSTS[post], order=order, on=today)
    at_stage(election, "voting")
    station = make_station(election=election, name="中心会场", kind="central", assigned_voters=400)
    round = open_first_round(election=election, by=User.objects.get(username="clerk"), stations=[station],
                             held_on=today)
    return election, round, station


def test_counting_hall_rehearsal_300_ballots(sign_in, demo, live_server, browser, browser_context_args):
    election, round, station = xiling_counting(timezone.localdate())
    kwargs = {"pk": election.pk, "round_pk": round.pk, "station_pk": station.pk}

    page = sign_in("liaison_a")
    page.goto(live_server.url + reverse("ballots:ballot-count", kwargs=kwargs))
    page.locator("#start-count").click()
    expect(page.locator("#entered-count")).to_have_text("0")

    # The projector laptop: a second browser, signed in as the township's supervisor (read-only).
    projector = browser.new_context(**browser_context_args)
    board = projector.new_page()
    board.goto(f"{live_server.url}/accounts/login/")
    board.fill("#id_username", "supervisor")
    board.fill("#id_password", DEMO_PASSWORD)
    board.click("button[type=submit]")
    board.wait_for_url(f"{live_server.url}/")
    board.goto(live_server.url + reverse("ballots:counting-board", kwargs=kwargs))
    expect(board.locator("#board-ballots")).to_have_text("0")

    keys = {
        (post, name): key
        for post, name, key in page.eval_on_selector_all(
            "#ballot-form input[data-name]",
            "els => els.map(e => [e.closest('fieldset').dataset.post, e.dataset.name, e.dataset.key])",
        )
    }
    illegible = {post: page.get_attribute(f"#post-{post} input[name='x.{post}']", "data-key") for post in POSTS.values()}
    keyboard = page.keyboard
    for i in range(BALLOTS):
        for post, names in ballot_marks(i).items():
            for name in names:
                keyboard.press(illegible[post] if name == "作废" else keys[(post, name)])
        if i == SAME_PERSON:  # the chair key for 陈国强 was pressed above
            page.fill("#post-member .write-in", "陈国强")  # 委员: 王建军, 孙浩 or 赵立新 … and 陈国强 written in
            expect(page.locator("#post-member .post-state")).to_contain_text("陈国强")
            keyboard.press("Enter")
            keyboard.press("Escape")
        else:
            keyboard.press("Enter")
    expect(page.locator("#entered-count")).to_have_text(str(BALLOTS), timeout=60_000)

    voided = CountedBallot.objects.get(number=SAME_PERSON + 1)
    assert not voided.valid
    assert [p["code"] for p in voided.problems] == ["same_person_several_posts"]
    assert CountedBallot.objects.filter(valid=False).count() == 1

    valid, invalid, votes = expected_count()
    expect(board.locator("#board-ballots")).to_have_text(str(BALLOTS), timeout=10_000)
    expect(board.locator("#board-valid")).to_have_text(str(valid))
    expect(board.locator("#board-invalid")).to_have_text(str(invalid))
    for (post, name), n in votes.items():
        expect(board.locator(f"#board-{post} tr", has_text=name).locator(".board-votes")).to_have_text(str(n))
    # no counter's name and no ID number on the board
    board_text = board.locator("body").inner_text()
    assert "liaison_a" not in board_text and "联络员" not in board_text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    board.screenshot(path=str(ARTIFACTS / "40-counting-board.png"), full_page=True)
    page.screenshot(path=str(ARTIFACTS / "41-ballot-entry.png"), full_page=True)

    page.goto(live_server.url + reverse("ballots:ballot-count-finish", kwargs=kwargs))
    page.fill("#id_issued", "320")
    page.get_by_role("button", name="结束唱票，生成计票结果").click()
    expect(page.locator(".alert-success.alert-dismissible")).to_have_text(
        "中心会场唱票计票结束，计票结果已按唱票记录生成并确认。"
    )
    tally = Tally.objects.get(round=round, station=station, status=Tally.Status.CONFIRMED)
    assert (tally.issued, tally.returned, tally.valid, tally.invalid) == (320, BALLOTS, valid, invalid)
    counted = {(pt.post, vc.voter.name): vc.votes for pt in tally.posts.all() for vc in pt.votes.all()}
    assert {k: v for k, v in counted.items() if v} == dict(votes)
    expect(board.locator(".board-status")).to_have_text("计票完毕", timeout=10_000)
    page.screenshot(path=str(ARTIFACTS / "42-tally-from-ballots.png"), full_page=True)
    projector.close()
