"""Pages of a 人大 round with personas: the round, its seats, 选区, units and the printed plan."""

import subprocess

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.builders import make_deputy_round, make_district, make_village
from villages import deputy_services
from villages.models import AuditEntry, Campaign, Constituency, DistrictUnit, SeatDecision


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.fixture
def township_round(county_office, township, village_a, village_b):
    return make_deputy_round(by=county_office, township=township)


def add_districts(campaign, by, township, count, start=1):
    """``count`` districts of one new village each, alternately 1 and 3 seats."""
    for n in range(start, start + count):
        village = make_village(township=township, name=f"{n}号村", code=f"330199101{700 + n}", groups=1, population=900 * n)
        district = make_district(campaign=campaign, by=by, number=n, villages=[village], population=900 * n, seats=1 + 2 * (n % 2 == 0))
        deputy_services.save_district_unit(by=by, unit=DistrictUnit(district=district, name=f"{n}号单位", population=10))


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["villages:deputy-round-detail", "villages:constituency-list", "villages:deputy-round-list"])
def test_pages_run_the_same_queries_for_n_and_3n_districts(client, clerk, county_office, township, township_round, url_name):
    add_districts(township_round, county_office, township, 3)
    client.force_login(clerk)
    url = reverse(url_name, args=[township_round.pk] if url_name.endswith("detail") else [])
    client.get(url)
    small = count_queries(client, url)
    add_districts(township_round, county_office, township, 6, start=4)
    assert count_queries(client, url) == small


def test_round_page_shows_districts_ratios_flags_and_coverage(client, clerk, county_office, township, township_round, village_a, village_b):
    make_district(campaign=township_round, by=county_office, number=1, villages=[village_a], population=1200, seats=1)
    make_district(campaign=township_round, by=county_office, number=2, villages=[village_a], population=2800, seats=2)
    client.force_login(clerk)
    page = soup(client.get(reverse("villages:deputy-round-detail", args=[township_round.pk])))
    rows = page.select("#district-table tbody tr")
    assert [r.select("td")[6].get_text(strip=True) for r in rows] == ["1,200", "1,400"]
    assert [r.select("td")[7].get_text(" ", strip=True) for r in rows] == ["-10.0%", "5.0%"]  # mean 4,000 / 3
    assert page.select_one("#district-table tfoot").get_text(" ", strip=True).startswith("合计 2 个选区")
    coverage = page.select_one("#coverage").get_text(" ", strip=True)
    assert "未划入选区的村：西岭村" in coverage
    assert "重复划入的村：东山村：第1选区、第2选区" in coverage
    assert "参考方案，非法定方法" in page.get_text()


def test_flagged_district_is_marked_beyond_the_preset_share(client, clerk, county_office, township, township_round, village_a, village_b):
    make_district(campaign=township_round, by=county_office, number=1, villages=[village_a], population=1000, seats=1)
    make_district(campaign=township_round, by=county_office, number=2, villages=[village_b], population=2000, seats=1)
    client.force_login(clerk)
    page = soup(client.get(reverse("villages:deputy-round-detail", args=[township_round.pk])))
    assert [("偏差较大" in r.get_text()) for r in page.select("#district-table tbody tr")] == [True, True]


def test_county_office_opens_a_county_round_through_the_page(client, county_office, township):
    client.force_login(county_office)
    data = {"level": "county", "county": township.county.pk, "township": township.pk, "term_number": 18,
            "preset": Campaign._meta.get_field("preset").related_model.objects.get(code="ZHEJIANG_NPC").pk,
            "default_election_day": "2026-11-15"}
    response = client.post(reverse("villages:deputy-round-create"), data)
    campaign = Campaign.objects.get(election_type="deputies")
    assert response.status_code == 302 and (campaign.level, campaign.township) == ("county", None)


def test_clerk_cannot_choose_the_county_level(client, clerk, township):
    client.force_login(clerk)
    data = {"level": "county", "county": township.county.pk, "term_number": 18, "default_election_day": "2026-11-15"}
    response = client.post(reverse("villages:deputy-round-create"), data)
    assert response.status_code == 200 and not Campaign.objects.filter(election_type="deputies").exists()
    assert soup(response).select_one("#id_level option[value=county]") is None


def test_seat_decision_above_the_ceiling_shows_the_chinese_message_and_saves_nothing(client, clerk, township_round):
    client.force_login(clerk)
    data = {"population": 15173, "adopted_seats": 60, "decided_by": "清河县人大常委会", "document_number": "清人常〔2026〕12号",
            "decided_on": "2026-08-20", "version": ""}
    response = client.post(reverse("villages:deputy-round-seats", args=[township_round.pk]), data)
    assert response.status_code == 200
    assert "超过选举法第十二条的上限55名" in response.content.decode()
    assert not SeatDecision.objects.exists()
    response = client.post(reverse("villages:deputy-round-seats", args=[township_round.pk]), data | {"adopted_seats": 52, "planned_women": 14})
    assert response.status_code == 302
    page = soup(client.get(reverse("villages:deputy-round-detail", args=[township_round.pk])))
    assert page.select_one("#adopted-seats").get_text(strip=True) == "52 名"
    assert page.select_one("#seat-ceiling").get_text(" ", strip=True).startswith("55 名")


def test_clerk_adds_a_district_split_by_villager_groups(client, clerk, township_round, village_a):
    client.force_login(clerk)
    group = village_a.groups.first()
    data = {"township": township_round.township_id, "number": 1, "name": "东山一组选区", "basis": "residence",
            "population": 700, "deputy_seats": 1, "groups": [group.pk], "version": ""}
    response = client.post(reverse("villages:constituency-create", args=[township_round.pk]), data)
    assert response.status_code == 302
    assert list(Constituency.objects.get().groups.all()) == [group]
    page = soup(client.get(reverse("villages:deputy-round-detail", args=[township_round.pk])))
    assert "遗漏的村民小组：东山村：第2组" in page.select_one("#coverage").get_text(" ", strip=True)


def test_four_seats_in_a_district_shows_the_chinese_message(client, clerk, township_round, village_a):
    client.force_login(clerk)
    data = {"township": township_round.township_id, "number": 1, "name": "一", "basis": "residence",
            "population": 700, "deputy_seats": 4, "villages": [village_a.pk], "version": ""}
    response = client.post(reverse("villages:constituency-create", args=[township_round.pk]), data)
    assert response.status_code == 200 and "每一选区选1名至3名代表" in response.content.decode()
    assert not Constituency.objects.exists()


def test_liaison_reads_their_district_but_changes_nothing(client, liaison_a, county_office, township_round, village_a, village_b):
    mine = make_district(campaign=township_round, by=county_office, number=1, villages=[village_a])
    other = make_district(campaign=township_round, by=county_office, number=2, villages=[village_b])
    client.force_login(liaison_a)
    page = soup(client.get(reverse("villages:deputy-round-detail", args=[township_round.pk])))
    assert [r.select("td")[1].get_text(strip=True)[:4] for r in page.select("#district-table tbody tr")] == ["第1选区"]
    assert "仅显示您可查看的选区" in page.get_text()
    assert client.get(reverse("villages:constituency-edit", args=[mine.pk])).status_code == 403
    assert client.get(reverse("villages:constituency-edit", args=[other.pk])).status_code == 404


def test_printed_plan_is_logged_and_prints_chinese(client, clerk, county_office, township, township_round, tmp_path):
    add_districts(township_round, county_office, township, 3)
    client.force_login(clerk)
    response = client.get(reverse("villages:deputy-round-plan-pdf", args=[township_round.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.filter(action="villages.district_plan.printed", actor=clerk).count() == 1
    path = tmp_path / "plan.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "选区划分和代表名额分配方案" in text
    assert "合计 3 个选区" in text
    assert "每名代表平均代表人口" in text


def test_village_campaign_list_leaves_out_deputies_rounds(client, clerk, campaign, township_round):
    client.force_login(clerk)
    page = soup(client.get(reverse("villages:campaign-list")))
    assert [a.get_text() for a in page.select("tbody a")] == [campaign.title]
    assert client.get(reverse("villages:campaign-detail", args=[township_round.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["clerk", "liaison_a"])
def test_dashboard_keeps_the_village_round_beside_a_later_deputies_round(client, request, campaign, township_round, persona):
    """The township's 人大 round (term 18) is newer than its village round (term 12): the dashboard
    still shows the village elections."""
    client.force_login(request.getfixturevalue(persona))
    page = soup(client.get(reverse("villages:dashboard")))
    assert "东山村" in page.get_text() and "没有可查看的村" not in page.get_text()


def test_user_form_requires_a_county_for_the_county_office(client, admin_user, township):
    from villages.models import User

    client.force_login(admin_user)
    data = {"username": "xian", "display_name": "县办", "role": "county_office", "township": township.pk,
            "password": "Xuanju#2026-long", "is_active": "on"}
    response = client.post(reverse("villages:user-create"), data)
    assert response.status_code == 200 and "县选举办工作人员必须属于一个县（区）。" in response.content.decode()
    assert not User.objects.filter(username="xian").exists()


def test_deputies_preset_page_lists_its_parameters(client, clerk):
    from tests.builders import preset

    client.force_login(clerk)
    response = client.get(reverse("villages:preset-detail", args=[preset("ZHEJIANG_NPC").pk]))
    assert response.status_code == 200 and "仍不足时可再次另行选举" in response.content.decode()
