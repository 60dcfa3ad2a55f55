"""Each demo role signs in through the real login page and sees what it may see."""

import re

import pytest
from playwright.sync_api import expect

from villages.models import Election

pytestmark = pytest.mark.e2e


def test_login_page_renders_in_chinese(page, live_server, demo, shoot):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("h1")).to_have_text("村民委员会换届选举管理系统")
    shoot("00-login")


@pytest.mark.parametrize(
    "username,villages",
    [
        ("clerk", 6),
        ("supervisor", 6),
        ("county_supervisor", 6),
        ("liaison_a", 2),
        ("admin", 6),
    ],
)
def test_each_role_signs_in_and_sees_its_villages(sign_in, demo, shoot, username, villages):
    page = sign_in(username)
    expect(page.locator("h1")).to_contain_text("青山镇换届选举工作台")
    expect(page.locator("#village-progress tbody tr")).to_have_count(villages)
    shoot(f"01-dashboard-{username}")


def test_office_staff_walk_the_setup_pages(sign_in, demo, shoot, live_server):
    page = sign_in("clerk")
    page.click("text=东山村")
    expect(page.locator("#legal-calendar")).to_contain_text("公布选民名单（张榜公布）")
    shoot("02-election-detail")
    page.click("text=职数与选举委员会")
    expect(page.locator("h1")).to_contain_text("职数与选举委员会")
    shoot("03-election-setup")
    page.goto(f"{live_server.url}/villages/")
    expect(page.locator("#village-table tbody tr")).to_have_count(6)
    shoot("04-village-list")
    page.goto(f"{live_server.url}/campaigns/")
    page.click("text=第12届村民委员会选举")
    shoot("05-campaign-detail")


def test_liaison_cannot_reach_another_village(sign_in, demo, shoot, live_server):
    page = sign_in("liaison_a")
    other = Election.objects.get(village__name="南湖村")
    response = page.goto(f"{live_server.url}/elections/{other.pk}/")
    assert response.status == 404
    own = Election.objects.get(village__name="东山村")
    page.goto(f"{live_server.url}/elections/{own.pk}/")
    expect(page.get_by_text("职数与选举委员会")).to_have_count(0)  # setup is read-only for liaison officers
    shoot("06-liaison-election")


def test_supervisor_cannot_change_setup(sign_in, demo, live_server):
    page = sign_in("supervisor")
    own = Election.objects.get(village__name="东山村")
    response = page.goto(f"{live_server.url}/elections/{own.pk}/setup/")
    assert response.status == 403


def test_clerk_advances_first_village_to_registration(sign_in, demo, live_server, shoot):
    page = sign_in("clerk")
    page.click("text=东山村")
    page.click("button:has-text('进入“选民登记”')")
    expect(page.locator(".alert-success")).to_contain_text("已进入“选民登记”阶段")
    expect(page.locator(".stage-track li.current")).to_have_text(re.compile("选民登记"))
    shoot("07-stage-advanced")
