"""A liaison officer's pages on a phone (390 px wide): nothing wider than the screen outside a scrolling
table, and no text cut to one character per line (issue 13, "Interface")."""

from datetime import date

import pytest

from tests.builders import make_registered_voters
from villages.models import Election

pytestmark = pytest.mark.e2e

# For every leaf element with two or more characters: how many lines it takes and how many characters a
# line holds. A name broken to one character a line has lines > 1 and fewer than 2 characters a line.
ONE_CHAR_LINES = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('main td, main th, main a, main dd, main dt, main h1, main .btn, main label')) {
    if (el.children.length || !el.offsetParent) continue;
    const text = el.textContent.trim();
    if ([...text].length < 2) continue;
    const range = document.createRange();
    range.selectNodeContents(el);
    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
    if (lines > 1 && [...text].length / lines < 2) bad.push(text);
  }
  return bad;
}"""
PAGE_WIDER_THAN_SCREEN = "() => document.scrollingElement.scrollWidth - window.innerWidth"


def test_liaison_pages_fit_a_phone(page, live_server, demo, sign_in, shoot):
    election = Election.objects.filter(village__name="东山村").get()
    make_registered_voters(election=election, count=30, start=100)
    Election.objects.filter(pk=election.pk).update(election_day=date(2027, 1, 16))
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in("liaison_a")
    pages = {
        "dashboard": "/",
        "election": f"/elections/{election.pk}/",
        "voter-list": f"/elections/{election.pk}/voters/",
    }
    problems = {}
    for name, path in pages.items():
        page.goto(live_server.url + path)
        shoot(f"phone-{name}")
        broken = page.evaluate(ONE_CHAR_LINES)
        overflow = page.evaluate(PAGE_WIDER_THAN_SCREEN)
        if broken or overflow > 0:
            problems[name] = {"one character a line": broken[:5], "wider than the screen by": overflow}
    assert problems == {}
