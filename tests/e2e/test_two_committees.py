"""The 两委 pages in a browser: the township's report (its charts drawn, its figures with their bases), one
village's two committees side by side for its liaison officer, and the PDF (screenshots in test-artifacts)."""

import pytest

from tests.builders import make_user
from tests.reports import two_committee_scenario as scenario
from villages.models import Role

pytestmark = pytest.mark.e2e

PASSWORD = "Test#Pass2026"


def sign_in_as(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_two_committee_report_and_village_view(page, live_server, transactional_db, township, clerk, shoot):
    world = scenario.build(clerk=clerk, township=township)
    make_user(username="liaison_jia", role=Role.LIAISON, township=township, villages=(world.villages["甲村"],))
    sign_in_as(page, live_server, "clerk")
    page.click("text=统计报表")
    page.click("text=村“两委”换届选举统计")
    assert page.locator("#narrative-branch").inner_text().startswith("全镇4个村村党组织委员会20名职数全部选举到位；连选连任17人，占85.0%")
    assert page.locator("#charts img").count() == 3
    assert page.evaluate("() => [...document.querySelectorAll('#charts img')].every(i => i.naturalWidth > 0)")
    shoot("two-committees-township")
    page.click("#village-links >> text=甲村")
    assert page.locator("#mark-one-shoulder").inner_text() == "是：村党组织书记兼任村委会主任"
    shoot("two-committees-village-clerk")
    sign_in_as(page, live_server, "liaison_jia")
    page.goto(f"{live_server.url}/reports/two-committees/")
    assert page.locator("#side-branch tbody tr").count() == 5
    shoot("two-committees-village")
