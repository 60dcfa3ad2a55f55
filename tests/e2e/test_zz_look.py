import pytest

pytestmark = pytest.mark.e2e


def test_look(page, live_server, demo, sign_in):
    from villages.models import RulePreset
    sign_in("county_supervisor")
    for name, path in (("county", "/county/"), ("people", "/people/?q=陈"), ("audit", "/audit/")):
        page.goto(live_server.url + path)
        page.screenshot(path=f"/tmp/shots/{name}.png", full_page=True)
    sign_in("clerk")
    page.goto(live_server.url + f"/presets/{RulePreset.objects.get(code='ZHEJIANG_2020').pk}/")
    page.screenshot(path="/tmp/shots/preset.png", full_page=True)
    page.goto(live_server.url + "/audit/")
    page.screenshot(path="/tmp/shots/audit-clerk.png", full_page=True)
