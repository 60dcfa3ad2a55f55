"""Browser test of a 人大 round's districts page by role (demo data: 清河县 and 青山镇)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_districts_page_by_role(demo, sign_in, shoot, live_server):
    page = sign_in("county_office")
    page.goto(f"{live_server.url}/deputies/")
    page.get_by_role("link", name=re.compile("青山镇第18届乡级")).click()
    expect(page.locator("#district-table tbody tr")).to_have_count(19)
    expect(page.locator("#coverage")).to_contain_text("所有村均已划入且只划入一个选区")
    expect(page.get_by_role("link", name="添加选区")).to_be_visible()
    shoot("deputies_township_round")

    page.goto(f"{live_server.url}/deputies/")
    page.get_by_role("link", name=re.compile("清河县第18届县级")).click()
    expect(page.locator("#district-table tbody tr")).to_have_count(5)
    expect(page.locator("#district-table")).to_contain_text("偏差较大")
    shoot("deputies_county_round")

    page = sign_in("clerk")  # reads the county round, runs none of it
    page.goto(f"{live_server.url}/deputies/")
    page.get_by_role("link", name=re.compile("清河县第18届县级")).click()
    expect(page.get_by_role("link", name="添加选区")).to_have_count(0)

    page = sign_in("liaison_a")  # 东山村 and 西岭村: only the districts that take them in
    page.goto(f"{live_server.url}/deputies/")
    page.get_by_role("link", name=re.compile("青山镇第18届乡级")).click()
    expect(page.locator("#district-table tbody tr")).to_have_count(5)
    expect(page.get_by_text("仅显示您可查看的选区")).to_be_visible()
    shoot("deputies_liaison")
