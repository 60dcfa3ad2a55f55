"""The Party reports in a browser, reached through the 统计报表 menu: the branch elections' process report (township)
and the township congress's delegate composition (reference 003's figures); screenshots under test-artifacts."""

import pytest

from tests.reports.test_branch_process import world  # noqa: F401  (the four villages' branch round)
from tests.reports.test_congress_report import elected  # noqa: F401  (reference 003's 49 of 431)
from tests.villages.test_party_congress import congress  # noqa: F401

pytestmark = pytest.mark.e2e

PASSWORD = "Test#Pass2026"


def sign_in_as(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_branch_process_report(page, live_server, transactional_db, world, clerk, shoot):  # noqa: F811
    sign_in_as(page, live_server, "clerk")
    page.click("text=统计报表")
    page.click("text=村党组织换届选举过程统计")
    assert page.locator("h1").inner_text() == "青山镇村党组织换届选举过程统计"
    assert page.locator("#table-stages tbody tr").nth(3).inner_text().split() == [
        "群众信任投票", "1", "200", "198", "195", "98.5%", "97.5%", "4", "3", "3"]
    shoot("party-reports-branch-process")


def test_congress_report(page, live_server, transactional_db, elected, clerk, shoot):  # noqa: F811
    sign_in_as(page, live_server, "clerk")
    page.click("text=统计报表")
    page.click("text=乡镇党代表大会代表结构统计")
    assert page.locator("h1").inner_text() == "青山镇党代表大会代表结构统计"
    assert page.locator("#table-structure tbody tr").nth(1).inner_text().split()[:7] == [
        "女性", "14", "70", "20.0%", "14", "49", "28.6%"]
    shoot("party-reports-congress")
