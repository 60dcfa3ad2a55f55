"""The report page: exact figures with their bases (parsed HTML), the scope each role may read, and a
constant number of queries however many villages."""

import base64
from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from reports.models import ReportExport
from tests.builders import (
    make_campaign,
    make_elected,
    make_registered_voters,
    make_round,
    make_station,
    make_tally,
    make_township,
    make_user,
    make_village,
    make_voter,
)
from tests.reports import scenario
from villages.models import AuditEntry, Election, Role


def url(kind, code):
    return reverse("reports:report", kwargs={"kind": kind, "code": code})


def soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


def text(page, selector):
    return page.select_one(selector).get_text(" ", strip=True)


@pytest.fixture
def county_supervisor(township):
    return make_user(username="county_supervisor", role=Role.SUPERVISOR, county=township.county)


@pytest.fixture
def world(township, campaign, village_a, village_b, clerk):
    return scenario.build(township=township, campaign=campaign, village_a=village_a, village_b=village_b, clerk=clerk)


def test_township_page_shows_every_share_with_its_base(client, world, clerk, township):
    client.force_login(clerk)
    page = soup(client.get(url("township", township.code)))
    assert text(page, "#kf-turnout") == "登记选民12670人，参加投票9700人，参选率76.6%（9700/12670）"
    assert text(page, "#kf-women") == "2人，占33.3%（2/6）"
    assert text(page, "#kf-party") == "3人，占50.0%（3/6）"
    assert text(page, "#kf-age") == "47.7岁；50岁以下3人，占50.0%（3/6）"
    assert text(page, "#kf-re-elected") == "2人，占33.3%（2/6）；新当选4人，占66.7%（4/6）"
    assert text(page, "#kf-one-shoulder") == "1个村，占100.0%（1/1）（基数为已导入村党组织名册的村）"
    assert text(page, "#kf-cross") == "2人，占66.7%（2/3）（基数为已导入村党组织名册的村的当选人数）"
    assert text(page, "#kf-men") == "4人，占66.7%（4/6）"
    assert text(page, "#kf-success") == "1个村，占50.0%（1/2）"
    assert "参选率76.6%" in text(page, "#narrative")


def test_tables_carry_counts_bases_and_shares(client, world, clerk, township):
    client.force_login(clerk)
    page = soup(client.get(url("township", township.code)))
    turnout = {row.find("td").get_text(): [td.get_text() for td in row.find_all("td")[1:4]]
               for row in page.select("#table-turnout tbody tr")}
    assert turnout["参加投票（参选率）"] == ["9700", "12670", "76.6%"]
    assert turnout["其中：流动票箱投票"] == ["300", "9700", "3.1%"]
    villages = [[td.get_text() for td in row.find_all("td")] for row in page.select("#table-villages tbody tr")]
    assert villages[0][:4] == ["东山村", "8000", "5800", "72.5%"]
    assert villages[1][:4] == ["西岭村", "4670", "3900", "83.5%"]
    assert villages[0][-3:] == ["是", "是", "已认定"]
    changes = {row.find("td").get_text(): [td.get_text() for td in row.find_all("td")[1:]]
               for row in page.select("#table-changes tbody tr")}
    assert changes["女性成员"] == ["2", "33.3%", "1", "16.7%", "比上届提高16.7个百分点"]
    assert changes["平均年龄（岁）"] == ["47.7", "—", "52.7", "—", "比上届降低5.0岁"]


def test_page_shows_charts_as_svg_images_and_work_figures_without_data(client, world, clerk, township):
    """SVG images, not inline SVG: matplotlib's style attributes would be refused by the page's
    Content-Security-Policy (style-src 'self'), inside an image they are the image's own."""
    client.force_login(clerk)
    page = soup(client.get(url("township", township.code)))
    charts = page.select("#charts figure img")
    assert [c.parent["id"] for c in charts] == ["chart-age", "chart-education", "chart-structure", "chart-turnout", "chart-compare"]
    assert charts[0]["alt"] == "当选成员年龄结构"
    assert "年龄结构" in base64.b64decode(charts[0]["src"].removeprefix("data:image/svg+xml;base64,")).decode()
    cells = [td.get_text(strip=True) for td in page.select("#table-work tbody td")]
    assert cells == ["受理信访件数", "0", "已办结", "0", "正在办理", "0"]


def test_banner_says_not_certified_until_every_election_is(client, world, clerk, township):
    client.force_login(clerk)
    banner = soup(client.get(url("township", township.code))).select_one("#certification-banner")
    assert banner["data-certified"] == "no"
    assert "1/2个村的选举结果已认定" in banner.get_text()
    Election.objects.filter(pk=world.election_b.pk).update(certified_at=datetime(2027, 1, 21, tzinfo=UTC))
    banner = soup(client.get(url("township", township.code))).select_one("#certification-banner")
    assert banner["data-certified"] == "yes"
    assert banner.get_text(strip=True).startswith("已认定")


def test_liaison_reads_own_village_only(client, campaign, liaison_a, village_a, village_b, township):
    client.force_login(liaison_a)
    assert client.get(url("village", village_a.code)).status_code == 200
    assert client.get(url("village", village_b.code)).status_code == 404
    assert client.get(url("township", township.code)).status_code == 404
    assert client.get(url("county", township.county.code)).status_code == 404


def test_liaison_of_another_village_gets_404(client, campaign, liaison_b, village_a):
    client.force_login(liaison_b)
    assert client.get(url("village", village_a.code)).status_code == 404


def test_clerk_reads_own_township_not_another_nor_the_county(client, campaign, clerk, township, other_village):
    client.force_login(clerk)
    assert client.get(url("township", township.code)).status_code == 200
    assert client.get(url("township", other_village.township.code)).status_code == 404
    assert client.get(url("village", other_village.code)).status_code == 404
    assert client.get(url("county", township.county.code)).status_code == 404


def test_county_supervisor_sees_the_county(client, campaign, county_supervisor, township, other_village):
    client.force_login(county_supervisor)
    page = soup(client.get(url("county", township.county.code)))
    assert text(page, "h1") == "清河县第12届村民委员会换届选举统计报表"
    options = [o["value"] for o in page.select("#scope-select option")]
    assert options[:2] == [f"county:{township.county.code}", f"township:{township.code}"]
    assert client.get(url("county", other_village.township.county.code)).status_code == 404


def test_township_supervisor_cannot_read_the_county(client, campaign, supervisor, township):
    client.force_login(supervisor)
    assert client.get(url("township", township.code)).status_code == 200
    assert client.get(url("county", township.county.code)).status_code == 404


def test_unknown_kind_or_code_is_404(client, campaign, clerk, township):
    client.force_login(clerk)
    assert client.get(url("province", township.code)).status_code == 404
    assert client.get(url("township", "999999999")).status_code == 404


def test_anonymous_is_sent_to_login(client, township):
    response = client.get(url("township", township.code))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "persona,expected",
    [("clerk", "township:330199101"), ("county_supervisor", "county:330199"), ("liaison_a", None)],
)
def test_report_home_lands_on_the_natural_scope(client, request, campaign, persona, expected, village_a):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("reports:report-home"))
    kind, code = (expected or f"village:{village_a.code}").split(":")
    assert response.status_code == 302
    assert response.url == url(kind, code)


def test_admin_chooses_a_scope(client, campaign, admin_user, township):
    client.force_login(admin_user)
    page = soup(client.get(reverse("reports:report-home")))
    assert [a["href"] for a in page.select("#scope-list a")][:4] == [
        url("province", "330000"), url("city", "330100"), url("county", township.county.code), url("township", township.code)]


def test_scope_chooser_redirects_and_refuses_nonsense(client, campaign, clerk, township):
    client.force_login(clerk)
    response = client.get(reverse("reports:report-home"), {"scope": f"township:{township.code}"})
    assert response.url == url("township", township.code)
    assert client.get(reverse("reports:report-home"), {"scope": "planet:1"}).status_code == 404


def test_township_export_is_immediate_and_logged(client, world, clerk, township):
    client.force_login(clerk)
    response = client.post(reverse("reports:report-export", kwargs={"kind": "township", "code": township.code, "fmt": "xlsx"}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    entry = AuditEntry.objects.get(action="reports.report.exported")
    assert (entry.township_id, entry.village_id, entry.actor) == (township.pk, None, clerk)
    assert entry.changes["scope"] == [None, f"township:{township.code}"]
    assert entry.changes["certified"] == [None, False]


def test_export_needs_post_and_a_known_format(client, campaign, clerk, township):
    client.force_login(clerk)
    target = {"kind": "township", "code": township.code}
    assert client.get(reverse("reports:report-export", kwargs=target | {"fmt": "xlsx"})).status_code == 405
    assert client.post(reverse("reports:report-export", kwargs=target | {"fmt": "docx"})).status_code == 404
    assert not AuditEntry.objects.filter(action="reports.report.exported").exists()


def test_county_export_runs_in_the_background_with_progress(client, campaign, county_supervisor, township,
                                                            django_capture_on_commit_callbacks):
    client.force_login(county_supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report-export", kwargs={"kind": "county", "code": township.county.code, "fmt": "pdf"}))
    export = ReportExport.objects.get()
    assert response.url == reverse("reports:export-detail", kwargs={"pk": export.pk})
    assert (export.state, export.progress, export.filename.endswith(".pdf")) == ("done", 100, True)
    page = soup(client.get(response.url))
    assert page.select_one("#export-state a")["href"] == reverse("reports:export-download", kwargs={"pk": export.pk})
    progress = client.get(reverse("reports:export-progress", kwargs={"pk": export.pk}))
    assert progress["HX-Refresh"] == "true"
    download = client.get(reverse("reports:export-download", kwargs={"pk": export.pk}))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="reports.report.exported", actor=county_supervisor).count() == 1


def test_queued_export_shows_progress_that_polls(client, campaign, county_supervisor, township):
    export = ReportExport.objects.create(kind="county", code=township.county.code, label="清河县", county=township.county,
                                         format="xlsx", requested_by=county_supervisor, state="running", progress=40,
                                         step="正在写入工作簿")
    client.force_login(county_supervisor)
    page = soup(client.get(reverse("reports:export-progress", kwargs={"pk": export.pk})))
    box = page.select_one("#export-progress")
    assert box["hx-trigger"] == "every 1s"
    assert "正在写入工作簿" in box.get_text()
    assert text(page, ".progress-bar") == "40%"
    assert client.get(reverse("reports:export-download", kwargs={"pk": export.pk})).status_code == 404


def test_clerk_cannot_see_a_county_export(client, campaign, clerk, county_supervisor, township):
    export = ReportExport.objects.create(kind="county", code=township.county.code, label="清河县", county=township.county,
                                         format="xlsx", requested_by=county_supervisor)
    client.force_login(clerk)
    assert client.get(reverse("reports:export-detail", kwargs={"pk": export.pk})).status_code == 404


# --- Query counts ---------------------------------------------------------------------------------


def _township_with(count: int, *, clerk):
    township = make_township(name="石桥镇", code="330199103", county=clerk.township.county)
    for i in range(count):
        make_village(township=township, name=f"石桥{i}村", groups=1)
    campaign = make_campaign(township=township, by=clerk)
    for n, election in enumerate(campaign.elections.select_related("village", "campaign")):
        make_registered_voters(election=election, count=5, start=60000 + 10 * n)
        first = make_round(election=election, by=clerk)
        make_tally(round=first, station=make_station(election=election), by=clerk, returned=4)
        for i, post in enumerate(("chair", "member", "member")):
            make_elected(election=election, round=first, post=post,
                         voter=make_voter(election=election, name=f"成员{i}", serial=3 * n + i, sex="F" if i else "M"))
    return township


@pytest.mark.parametrize("villages", [2, 6])
def test_page_queries_do_not_grow_with_villages(client, villages, clerk, county_supervisor, django_assert_num_queries):
    township = _township_with(villages, clerk=clerk)
    client.force_login(county_supervisor)
    with django_assert_num_queries(25):  # 23, the paired Party branch election, whether the supervisor reads a city
        response = client.get(url("county", township.county.code))
    assert len(soup(response).select("#table-villages tbody tr")) == villages
