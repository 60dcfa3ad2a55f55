"""The 两委 pages: the township report with its bases (parsed HTML), its workbook and PDF, one village's two
committees side by side, who may read which, and a constant number of queries."""

import io

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from openpyxl import load_workbook

from tests.builders import make_user
from tests.reports import two_committee_scenario as scenario
from villages.models import AuditEntry, Role


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def text(page, selector):
    return page.select_one(selector).get_text(" ", strip=True)


def report_url(kind, code):
    return reverse("reports:two-committees", kwargs={"kind": kind, "code": code})


def village_url(village):
    return reverse("reports:two-committees-village", kwargs={"code": village.code})


@pytest.fixture
def world(township, clerk):
    return scenario.build(clerk=clerk, township=township)


@pytest.fixture
def liaison(world, township):
    return make_user(username="liaison_jia", role=Role.LIAISON, township=township, villages=(world.villages["甲村"],))


def rows(page, table):
    return {tr.select("td")[0].get_text(strip=True): [td.get_text(strip=True) for td in tr.select("td")]
            for tr in page.select(f"#table-{table} tbody tr")}


def test_township_page_shows_both_bodies_and_the_two_committees_with_bases(client, world, clerk, township):
    client.force_login(clerk)
    page = soup(client.get(report_url("township", township.code)))
    assert text(page, "#narrative-branch").startswith(
        "全镇4个村村党组织委员会20名职数全部选举到位；连选连任17人，占85.0%，新当选3人，占15.0%")
    branch = rows(page, "branch")
    assert branch["已选举到位"] == ["已选举到位", "20", "20", "100.0%", "应选职数"]
    assert branch["女副书记"] == ["女副书记", "2", "5", "40.0%", "当选副书记"]
    assert branch["平均年龄（岁）"] == ["平均年龄（岁）", "45.1", "—", "—", "当选人数"]
    committee = rows(page, "committee")
    assert committee["其中：委员（职数8）"] == ["其中：委员（职数8）", "7", "8", "87.5%", "委员职数"]
    assert committee["连选连任"] == ["连选连任", "6", "9", "66.7%", "有上届数据的村的当选人数"]
    cross = rows(page, "cross")
    assert cross["村委会成员与村党组织委员交叉任职"] == ["村委会成员与村党组织委员交叉任职", "8", "11", "72.7%", "村委会成员"]
    assert cross["村党组织书记、村委会主任“一肩挑”的村"][1:4] == ["3", "4", "75.0%"]
    villages = rows(page, "villages")
    assert villages["丁村"] == ["丁村", "5", "5", "5", "3", "2", "—", "1", "否", "6"]
    assert len(page.select("#charts img")) == 3
    assert [a["href"] for a in page.select("#village-links a")][0] == village_url(world.villages["甲村"])


def test_village_view_sets_the_committees_side_by_side_marked_by_computation(client, world, liaison):
    client.force_login(liaison)
    page = soup(client.get(village_url(world.villages["甲村"])))
    committee = [[td.get_text(" ", strip=True) for td in tr.select("td")] for tr in page.select("#side-committee tbody tr")]
    assert committee[0] == ["主任 一肩挑", "甲书记", "男", "55", "汉族", "普通高中毕业", "中共党员", "连选连任", "交叉任职"]
    assert committee[2] == ["委员", "甲村委", "男", "42", "汉族", "普通高中毕业", "群众", "新当选", "—"]
    branch = [[td.get_text(" ", strip=True) for td in tr.select("td")] for tr in page.select("#side-branch tbody tr")]
    assert [r[0] for r in branch] == ["书记 一肩挑", "副书记", "副书记", "委员", "委员"]
    assert branch[2][7] == "新当选"
    assert branch[3][4] == "畲族"
    assert text(page, "#mark-one-shoulder") == "是：村党组织书记兼任村委会主任"
    assert text(page, "#mark-cross") == "村委会成员3人中2人，占66.7%（2/3）兼任村党组织委员"
    assert text(page, "#mark-source").startswith("本系统村党组织换届选举结果")


def test_liaison_reads_own_village_only_and_no_township(client, world, liaison, township):
    client.force_login(liaison)
    assert client.get(village_url(world.villages["甲村"])).status_code == 200
    assert client.get(village_url(world.villages["乙村"])).status_code == 404
    assert client.get(report_url("township", township.code)).status_code == 404
    home = client.get(reverse("reports:two-committees-home"))
    assert home.url == village_url(world.villages["甲村"])


def test_clerk_of_another_township_gets_404(client, world, other_township, township):
    stranger = make_user(username="stranger", role=Role.CLERK, township=other_township)
    client.force_login(stranger)
    assert client.get(report_url("township", township.code)).status_code == 404
    assert client.get(village_url(world.villages["甲村"])).status_code == 404


def test_village_scope_of_the_report_is_the_village_view(client, world, clerk):
    client.force_login(clerk)
    assert report_url("village", world.villages["乙村"].code) == village_url(world.villages["乙村"])
    response = client.get(reverse("reports:two-committees-home"), {"scope": f"village:{world.villages['乙村'].code}"})
    assert response.url == village_url(world.villages["乙村"])
    assert soup(client.get(response.url)).select_one("#side-committee") is not None


def test_workbook_holds_the_same_figures_as_exact_ratios(client, world, clerk, township):
    client.force_login(clerk)
    response = client.get(reverse("reports:two-committees-export",
                                  kwargs={"kind": "township", "code": township.code, "fmt": "xlsx"}))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["封面", "村党组织委员会（村党组织班子）", "村民委员会（村委会班子）", "“两委”交叉任职和“一肩挑”",
                               "各村“两委”情况"]
    sheet = book["村党组织委员会（村党组织班子）"]
    found = {sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1)}
    r = found["连选连任"]
    assert [sheet.cell(row=r, column=c).value for c in (2, 3, 4)] == [17, 20, 0.85]
    assert sheet.cell(row=r, column=4).number_format == "0.0%"
    entry = AuditEntry.objects.get(action="reports.two_committee_report.exported")
    assert (entry.township_id, entry.actor, entry.changes["format"]) == (township.pk, clerk, [None, "xlsx"])


def test_pdf_and_unknown_format(client, world, clerk, township):
    client.force_login(clerk)
    target = {"kind": "township", "code": township.code}
    response = client.get(reverse("reports:two-committees-export", kwargs=target | {"fmt": "pdf"}))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("reports:two-committees-export", kwargs=target | {"fmt": "docx"})).status_code == 404


def test_page_without_rounds_says_so(client, db, other_township):
    admin = make_user(username="root", role=Role.ADMIN)
    client.force_login(admin)
    page = soup(client.get(report_url("township", other_township.code)))
    assert text(page, "#no-rounds") == "该范围内还没有村党组织或村民委员会的换届选举。"


@pytest.mark.parametrize("more", [0, 8])
def test_page_queries_do_not_grow_with_villages(client, world, clerk, township, more, django_assert_num_queries):
    from tests.builders import make_elected, make_round, make_village, make_voter
    from villages.models import Election

    for n in range(more):
        village = make_village(township=township, name=f"新{n}村")
        for election in (world.branch["甲村"], world.committee["甲村"]):
            campaign = election.campaign
            new = Election.objects.create(campaign=campaign, village=village, election_day=campaign.default_election_day)
            make_elected(election=new, round=make_round(election=new, by=clerk), post="member",
                         voter=make_voter(election=new, name=f"新{n}", serial=300 + n))
    client.force_login(clerk)
    with django_assert_num_queries(QUERIES):
        response = client.get(report_url("township", township.code))
    assert len(soup(response).select("#table-villages tbody tr")) == 4 + more


QUERIES = 22  # the same at 4 and 12 villages: the report takes 13, the rest is the session, user, scope and menus


def test_village_view_falls_back_to_the_roster_then_says_unknown(client, township, campaign, village_a, village_b, clerk):
    """No branch round in the system: 东山村's branch side is its imported roster (陈国华 书记, 李秀英 委员);
    西岭村 has no roster either, so its marks are 未录入 and nothing is counted as 0."""
    from tests.reports import scenario as village_scenario

    village_scenario.build(township=township, campaign=campaign, village_a=village_a, village_b=village_b, clerk=clerk)
    client.force_login(clerk)
    page = soup(client.get(village_url(village_a)))
    branch = [[td.get_text(" ", strip=True) for td in tr.select("td")] for tr in page.select("#side-branch tbody tr")]
    assert [r[:2] + r[7:] for r in branch] == [["书记 一肩挑", "陈国华", "—", "交叉任职"], ["委员", "李秀英", "—", "交叉任职"]]
    assert text(page, "#mark-source").startswith("导入的村党组织委员会名册")
    assert text(page, "#mark-cross") == "村委会成员3人中2人，占66.7%（2/3）兼任村党组织委员"
    page = soup(client.get(village_url(village_b)))
    assert text(page, "#mark-one-shoulder") == "未录入（村党组织委员会或村委会主任尚未产生）"
    assert text(page, "#mark-cross") == "未录入（村党组织委员会未知）"
    assert [td.get_text(" ", strip=True) for td in page.select("#side-committee tbody tr")[0].select("td")][8] == "未录入"


def test_county_supervisor_reads_the_county_report(client, world, township):
    reader = make_user(username="county_reader", role=Role.SUPERVISOR, county=township.county)
    client.force_login(reader)
    page = soup(client.get(report_url("county", township.county.code)))
    assert text(page, "#narrative-branch").startswith("全县4个村村党组织委员会20名职数全部选举到位")
    assert [th.get_text(strip=True) for th in page.select("#table-villages thead th")][:2] == ["乡镇", "村（社区）"]
