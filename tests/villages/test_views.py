"""Setup pages: what each persona sees, bad input, and constant query counts."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.builders import make_village
from villages.models import AuditEntry, Campaign, Election, Village


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_dashboard_lists_every_village_stage_for_the_office(client, clerk, campaign):
    client.force_login(clerk)
    rows = soup(client.get(reverse("villages:dashboard"))).select("#village-progress tbody tr")
    assert [r.td.get_text(strip=True) for r in rows] == ["东山村", "西岭村"]
    assert all("准备" in r.get_text() for r in rows)


def test_dashboard_shows_liaison_only_their_village(client, liaison_a, campaign):
    client.force_login(liaison_a)
    rows = soup(client.get(reverse("villages:dashboard"))).select("#village-progress tbody tr")
    assert [r.td.get_text(strip=True) for r in rows] == ["东山村"]


def test_dashboard_lists_overdue_items(client, clerk, campaign, time_machine):
    time_machine.move_to(date(2026, 12, 30))  # past D-20 = 2026-12-27, nothing published
    client.force_login(clerk)
    overdue = soup(client.get(reverse("villages:dashboard"))).select("#overdue-items li")
    texts = [li.get_text(" ", strip=True) for li in overdue]
    assert any("东山村" in t and "公布选民名单" in t and "2026年12月27日" in t for t in texts)


def test_election_page_shows_calendar_with_legal_days(client, clerk, election_a):
    client.force_login(clerk)
    page = soup(client.get(reverse("villages:election-detail", args=[election_a.pk])))
    cells = {tr.td.get_text(strip=True): tr.find_all("td")[1].get_text(strip=True) for tr in page.select("#legal-calendar tbody tr")}
    assert cells["公布选民名单（张榜公布）"] == "2026年12月27日"
    assert cells["投票选举，当场公布结果"] == "2027年1月16日"


def test_village_search_and_pagination(client, clerk, township):
    for i in range(30):
        make_village(township=township, name=f"测试{i:02d}村", code=f"330199101{300 + i}", groups=0)
    client.force_login(clerk)
    page = soup(client.get(reverse("villages:village-list"), {"q": "测试0"}))
    assert len(page.select("#village-table tbody tr")) == 10
    page = soup(client.get(reverse("villages:village-list")))
    assert len(page.select("#village-table tbody tr")) == 25
    assert "第 1 / 2 页" in page.get_text()


def test_edit_village_with_bad_code_shows_chinese_error_and_changes_nothing(client, clerk, village_a):
    client.force_login(clerk)
    response = client.post(
        reverse("villages:village-edit", args=[village_a.pk]),
        {"name": "东山村", "code": "abc", "population": 10, "households": 5, "natural_villages": 1, "version": 1},
    )
    assert "村级代码应为12位统计用区划代码" in response.content.decode()
    assert Village.objects.get(pk=village_a.pk).population == 0


def test_stale_edit_is_refused_with_conflict_message(client, clerk, village_a):
    client.force_login(clerk)
    data = {"name": "东山村", "code": village_a.code, "population": 10, "households": 5, "natural_villages": 1, "version": 1}
    assert client.post(reverse("villages:village-edit", args=[village_a.pk]), data).status_code == 302
    response = client.post(reverse("villages:village-edit", args=[village_a.pk]), data | {"population": 99})
    assert "已被他人修改" in response.content.decode()
    assert Village.objects.get(pk=village_a.pk).population == 10


def test_open_campaign_through_the_page(client, clerk, township, village_a):
    client.force_login(clerk)
    response = client.post(
        reverse("villages:campaign-create"),
        {"township": township.pk, "term_number": 12, "preset": 1, "default_election_day": "2027-01-16"},
    )
    campaign = Campaign.objects.get()
    assert response.url == reverse("villages:campaign-detail", args=[campaign.pk])
    assert campaign.elections.count() == 1


def test_seats_form_rejects_eight_members(client, clerk, election_a):
    client.force_login(clerk)
    response = client.post(
        reverse("villages:election-setup", args=[election_a.pk]),
        {"seats_vice_chair": 2, "seats_member": 5, "version": election_a.version},
    )
    assert "3至7人之间" in response.content.decode()
    assert Election.objects.get(pk=election_a.pk).seats_member == election_a.seats_member


def test_stage_advance_refused_shows_checklist_message(client, clerk, election_a):
    client.force_login(clerk)
    response = client.post(
        reverse("villages:election-advance", args=[election_a.pk]), {"target": "registration"}, follow=True
    )
    assert "以下事项尚未完成" in response.content.decode()


def test_history_page_shows_who_changed_what(client, clerk, village_a):
    client.force_login(clerk)
    client.post(
        reverse("villages:village-edit", args=[village_a.pk]),
        {"name": "东山村", "code": village_a.code, "population": 12, "households": 5, "natural_villages": 1, "version": 1},
    )
    page = soup(client.get(reverse("villages:object-history", args=["villages.village", village_a.pk])))
    assert "户籍人口：0 → 12" in page.get_text() and "population" not in page.get_text()
    assert AuditEntry.objects.filter(village=village_a).count() == 1


def test_user_create_requires_villages_for_liaison(client, admin_user, township, village_a):
    client.force_login(admin_user)
    response = client.post(
        reverse("villages:user-create"),
        {"username": "newbie", "display_name": "新人", "role": "liaison", "township": township.pk, "password": "Strong#Pass88", "is_active": "on"},
    )
    assert "村联络员至少要负责一个村" in response.content.decode()


def _count_queries(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["villages:dashboard", "villages:village-list", "villages:campaign-list"])
def test_list_pages_run_constant_queries(client, clerk, township, url_name, django_assert_max_num_queries):
    from tests.builders import make_campaign

    for i in range(3):
        make_village(township=township, name=f"甲{i}村", code=f"330199101{400 + i}")
    make_campaign(township=township, by=clerk)
    client.force_login(clerk)
    url = reverse(url_name)
    small = _count_queries(client, url, django_assert_max_num_queries)
    campaign = Campaign.objects.get()
    for i in range(6):
        village = make_village(township=township, name=f"乙{i}村", code=f"330199101{500 + i}")
        Election.objects.create(campaign=campaign, village=village, election_day=campaign.default_election_day)
    assert _count_queries(client, url, django_assert_max_num_queries) == small


def test_campaign_detail_queries_constant(client, clerk, township, campaign, django_assert_num_queries):
    client.force_login(clerk)
    url = reverse("villages:campaign-detail", args=[campaign.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(4):
        village = make_village(township=township, name=f"丙{i}村", code=f"330199101{600 + i}")
        Election.objects.create(campaign=campaign, village=village, election_day=campaign.default_election_day)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_certified_election_refuses_setup_changes_with_a_message(client, clerk, election_a):
    from django.utils import timezone

    Election.objects.filter(pk=election_a.pk).update(certified_at=timezone.now(), certified_by=clerk)
    client.force_login(clerk)
    response = client.get(reverse("villages:election-setup", args=[election_a.pk]))
    assert response.status_code == 403
    assert "结果已认定" in response.content.decode()
    response = client.post(
        reverse("villages:election-postpone", args=[election_a.pk]),
        {"new_day": "2027-02-01", "reason": "雪", "version": election_a.version},
    )
    assert response.status_code == 403
    assert Election.objects.get(pk=election_a.pk).election_day == election_a.election_day


def test_not_found_page_is_chinese(client, clerk):
    client.force_login(clerk)
    response = client.get(reverse("villages:village-detail", args=[999999]))
    assert response.status_code == 404
    assert "不在您负责的范围内" in response.content.decode()


def test_date_fields_keep_their_value_when_the_form_is_saved_unchanged(client, clerk, election_a):
    """An <input type=date> only accepts YYYY-MM-DD; any other rendering empties it on save."""
    Election.objects.filter(pk=election_a.pk).update(committee_chosen_by="villagers_meeting", committee_chosen_on=date(2026, 11, 1))
    client.force_login(clerk)
    url = reverse("villages:election-setup", args=[election_a.pk])
    page = soup(client.get(url))
    assert page.select_one("input[name=committee_chosen_on]")["value"] == "2026-11-01"
    data = {i["name"]: i.get("value", "") for i in page.select("form input") if i.get("name") and i["type"] != "checkbox"}
    data["committee_chosen_by"] = "villagers_meeting"
    client.post(url, data)
    assert Election.objects.get(pk=election_a.pk).committee_chosen_on == date(2026, 11, 1)


def test_county_page_lists_every_township_with_stages_and_overdue(client, db):
    """A county supervisor sees each township's villages by stage, and every overdue item with its days."""
    from bs4 import BeautifulSoup

    from tests.builders import make_campaign, make_county, make_township, make_user, make_village
    from villages.models import Role

    county = make_county(name="清河县", code="330177")
    towns = [make_township(name=name, code=code, county=county) for name, code in (("甲镇", "330177101"),
                                                                                   ("乙乡", "330177102"))]
    for town in towns:
        make_village(township=town, name=f"{town.name}一村")
    clerk = make_user(username="jia_clerk", role=Role.CLERK, township=towns[0])
    make_campaign(township=towns[0], by=clerk)
    boss = make_user(username="county_boss", role=Role.SUPERVISOR, county=county)
    client.force_login(boss)
    page = BeautifulSoup(client.get(reverse("villages:county-dashboard")).content.decode(), "html.parser")
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in page.select("#township-progress tbody tr")]
    assert [r[0] for r in rows] == ["甲镇", "乙乡"]
    assert rows[0][2:4] == ["1", "准备 1"]
    assert rows[1][1:3] == ["尚未开启", "0"]
    assert page.select("#county-overdue tbody tr")  # the overdue list is there (possibly "没有逾期事项")


def test_county_page_queries_do_not_grow_with_townships(client, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.builders import make_campaign, make_county, make_township, make_user, make_village
    from villages.models import Role

    county = make_county(name="清河县", code="330177")
    client.force_login(make_user(username="boss", role=Role.SUPERVISOR, county=county))

    def add_townships(start, count):
        for n in range(start, start + count):
            town = make_township(name=f"镇{n}", code=f"3301771{n:02d}", county=county)
            make_village(township=town, name=f"{n}村")
            make_campaign(township=town, by=make_user(username=f"c{n}", role=Role.CLERK, township=town))

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("villages:county-dashboard")).status_code == 200
        return len(queries)

    add_townships(0, 2)
    small = count_queries()
    add_townships(2, 4)
    assert count_queries() == small


def test_adding_a_county_is_audited(client, admin_user):
    from villages.models import AuditEntry, County

    client.force_login(admin_user)
    response = client.post(reverse("villages:county-create"), {"name": "白河县", "code": "330198"})
    assert response.status_code == 302
    county = County.objects.get(code="330198")
    entry = AuditEntry.objects.for_object(county).get()
    assert (entry.action, entry.actor, entry.changes["name"]) == ("villages.county.created", admin_user, [None, "白河县"])
