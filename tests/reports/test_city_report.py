"""The report of a city (市) and a province (省): read from the per-election aggregates, equal to the sum
of its counties' reports (exact figures of tests/reports/scenario.py), kept up to date by the write
services, in a constant number of queries however many counties and villages."""

import dataclasses
from datetime import UTC, date, datetime

import pytest
from bs4 import BeautifulSoup
from django.http import Http404
from django.urls import reverse

from ballots.services.tallies import record_tally
from ballots.entries import tally_values
from ballots.models import Tally
from reports import aggregates
from reports.figures import CompositionCounts, Share
from reports.models import ElectionAggregate, Region, RegionReader, ReportExport
from reports.queries import build_report
from reports.scopes import get_scope, get_scope_for, scopes_for
from tests.builders import (
    make_campaign,
    make_county,
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
from villages.models import Role

NOW = datetime(2027, 1, 25, 8, 0, tzinfo=UTC)


@pytest.fixture
def world(township, campaign, village_a, village_b, clerk):
    return scenario.build(township=township, campaign=campaign, village_a=village_a, village_b=village_b, clerk=clerk)


def _county_with(code, name, villages, *, clerk, start):
    """A county of one township whose ``villages`` villages each have 5 registered voters, 4 of them
    voting at a mobile box, and three elected members (a man and two women)."""
    county = make_county(code=code, name=name)
    township = make_township(name=f"{name}镇", code=f"{code}101", county=county)
    for i in range(villages):
        make_village(township=township, name=f"{name}{i}村", groups=1)
    campaign = make_campaign(township=township, by=clerk)
    for n, election in enumerate(campaign.elections.select_related("village", "campaign")):
        make_registered_voters(election=election, count=2, start=start + 10 * n)
        first = make_round(election=election, by=clerk)
        make_tally(round=first, station=make_station(election=election, kind="mobile", name="流动票箱"), by=clerk,
                   returned=4)
        for i, post in enumerate(("chair", "member", "member")):
            make_elected(election=election, round=first, post=post,
                         voter=make_voter(election=election, name=f"成员{i}", serial=(start // 1000) % 70 * 9 + 3 * n + i,
                                          sex="F" if i else "M"))
    return county


def _same(city, county):
    """The figures of a city holding one county are the county's, but for the scope's own names."""
    scope_fields = {"scope_label": None, "scope_kind": None, "scope_key": None}
    city = dataclasses.replace(city, **scope_fields, villages=tuple(dataclasses.replace(v, county="") for v in city.villages))
    county = dataclasses.replace(county, **scope_fields)
    return city == county


def test_a_city_of_one_county_has_exactly_the_county_figures(world, township):
    aggregates.rebuild()
    county = build_report(get_scope("county", township.county.code), now=NOW)
    city = build_report(get_scope("city", "330100"), now=NOW)
    province = build_report(get_scope("province", "330000"), now=NOW)
    assert _same(city, county) and _same(province, county)
    assert (city.turnout.registered, city.turnout.voted, city.turnout.turnout) == (12670, 9700, Share(9700, 12670))
    assert (city.composition.total, city.composition.women, city.composition.re_elected) == (6, Share(2, 6), Share(2, 6))
    assert city.composition.one_shoulder == Share(1, 1) and city.composition.cross_appointed == Share(2, 3)
    assert city.changes_basis == Share(2, 2) and city.certified == Share(1, 2)
    assert [(v.county, v.name, v.registered, v.voted) for v in city.villages] == [
        ("清河县", "东山村", 8000, 5800), ("清河县", "西岭村", 4670, 3900)]
    assert city.scope_label == "市（330100）"
    assert province.scope_label == "浙江省"


def test_a_city_sums_its_counties(world, township, clerk):
    _county_with("330102", "上城区", 3, clerk=clerk, start=70000)
    _county_with("330301", "鹿城区", 2, clerk=clerk, start=80000)  # another city (温州, 3303)
    Region.objects.create(code="330100", name="杭州市", level="city")
    aggregates.rebuild()
    counties = [build_report(get_scope("county", code), now=NOW) for code in ("330199", "330102")]
    city = build_report(get_scope("city", "330100"), now=NOW)
    assert city.scope_label == "杭州市"
    assert city.turnout.villages == 5 == sum(c.turnout.villages for c in counties)
    assert city.turnout.registered == 12670 + 3 * 5 == sum(c.turnout.registered for c in counties)
    assert city.turnout.voted == 9700 + 3 * 4
    assert city.turnout.by_mobile_box == 300 + 12 and city.turnout.by_proxy == 3
    assert city.turnout.turnout == Share(9712, 12685)
    assert city.turnout.first_round_success == Share(1 + 3, 5)
    c = city.composition
    assert (c.total, c.women, c.men) == (15, Share(8, 15), Share(7, 15))
    assert c.by_post == {"主任": 5, "副主任": 0, "委员": 10, "妇女委员": 0}
    assert c.villages_with_woman == Share(5, 5)
    assert c.re_elected == Share(2, 6)  # last term known in 清河县's two villages only
    assert c.cross_appointed == Share(2, 3) and c.one_shoulder == Share(1, 1)
    assert city.changes_basis == Share(2, 5)
    assert city.previous == counties[0].previous and city.compared == counties[0].compared
    from_rows = build_report(get_scope("city", "330100"), now=NOW, from_aggregates=False)
    # the aggregates give what the voter, tally and member rows give (the rows' path names no county)
    assert from_rows == dataclasses.replace(city, villages=tuple(dataclasses.replace(v, county="") for v in city.villages))
    province = build_report(get_scope("province", "330000"), now=NOW)
    assert province.turnout.villages == 7 and province.turnout.registered == 12670 + 15 + 10


@pytest.mark.parametrize("counties", [1, 4])
def test_city_report_takes_the_same_queries_for_any_number_of_counties(counties, clerk, django_assert_num_queries):
    for n in range(counties):
        _county_with(f"3301{n + 10}", f"第{n}区", 3, clerk=clerk, start=70000 + 1000 * n)
    aggregates.rebuild()
    scope = get_scope("city", "330100")
    with django_assert_num_queries(2):
        report = build_report(scope, now=NOW)
    assert report.turnout.villages == 3 * counties
    assert (report.turnout.registered, report.turnout.voted) == (15 * counties, 12 * counties)


def test_an_aggregate_changes_when_a_tally_is_corrected(world, clerk, django_capture_on_commit_callbacks):
    aggregates.rebuild()
    a = world.election_a
    assert ElectionAggregate.objects.get(election=a).voted == 5800
    tally = Tally.objects.get(round__election=a, station__name="中心会场")
    a.certified_at = None
    a.save(update_fields=["certified_at"])  # the scenario's certification would refuse the correction
    type(tally.round).objects.filter(pk=tally.round_id).update(status="open")  # and so would its announcement
    tally.refresh_from_db()
    values = tally_values(tally)
    values = dataclasses.replace(values, returned=3990, issued=4090, invalid=values.invalid - 10, explanations={
        f"post_votes_below_marked_ballots__{post}": "测试数据未录入得票" for post in ("chair", "member")})
    with django_capture_on_commit_callbacks(execute=True):
        record_tally(by=clerk, round=tally.round, station=tally.station, values=values, confirm=True,
                     expected_version=tally.version)
    aggregate = ElectionAggregate.objects.get(election=a)
    assert aggregate.voted == 5790 and aggregate.by_mobile_box == 300
    city = build_report(get_scope("city", "330100"), now=NOW)
    assert city.turnout.voted == 9690 and city.certified == Share(0, 2)


def test_a_write_that_rolls_back_refreshes_nothing_and_other_kinds_are_ignored(world, clerk,
                                                                            django_capture_on_commit_callbacks):
    from django.db import transaction

    from villages.access import lock_election_for_write

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                lock_election_for_write(world.election_b)
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] and not ElectionAggregate.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            lock_election_for_write(world.election_b)
    assert ElectionAggregate.objects.get(election=world.election_b).voted == 3900


def test_a_roster_import_refreshes_the_villages_elections(world, village_a, clerk, django_capture_on_commit_callbacks):
    aggregates.rebuild()
    before = CompositionCounts.from_json(ElectionAggregate.objects.get(election=world.election_a).composition)
    assert before.cross_appointed == 2
    from reports.models import Roster, RosterMember

    roster = Roster.objects.get(village=village_a, kind=Roster.Kind.PARTY_BRANCH, term_number=5)
    with django_capture_on_commit_callbacks(execute=True):
        RosterMember.objects.filter(roster=roster, post="member").delete()
        aggregates.villages_changed([village_a.pk])
    after = CompositionCounts.from_json(ElectionAggregate.objects.get(election=world.election_a).composition)
    assert (after.cross_appointed, after.one_shoulder) == (1, 1)


def test_an_election_without_an_aggregate_gets_it_on_the_first_read(world, township, django_assert_num_queries):
    aggregates.rebuild()
    ElectionAggregate.objects.filter(election=world.election_b).delete()
    city = build_report(get_scope("city", "330100"), now=NOW)
    assert (city.turnout.villages, city.turnout.villages_voted, city.turnout.registered) == (2, 2, 12670)
    assert ElectionAggregate.objects.get(election=world.election_b).voted == 3900
    scope = get_scope("city", "330100")
    with django_assert_num_queries(2):
        assert build_report(scope, now=NOW) == city


def test_rebuild_command(world, capsys):
    from django.core.management import call_command

    call_command("rebuild_report_aggregates")
    assert ElectionAggregate.objects.count() == 4  # both terms' elections of both villages
    assert "已重新计算 4 个选举的汇总" in capsys.readouterr().out


# --- Access --------------------------------------------------------------------------------------


def test_who_reads_a_city(world, township, admin_user, clerk, supervisor, client):
    county_supervisor = make_user(username="county_supervisor", role=Role.SUPERVISOR, county=township.county)
    other = make_county(code="330301", name="鹿城区")  # in another city
    # A supervisor keeps a county (a database constraint); the assignment widens what they read to the city.
    city_reader = make_user(username="city_reader", role=Role.SUPERVISOR, county=township.county)
    region = Region.objects.create(code="330100", name="杭州市", level="city")
    RegionReader.objects.create(user=city_reader, region=region)
    assert [s.key for s in scopes_for(admin_user)][:4] == ["province:330000", "city:330100", "city:330300",
                                                           "county:330199"]
    assert [s.key for s in scopes_for(city_reader)][:3] == ["city:330100", "county:330199", "township:330199101"]
    for user in (clerk, supervisor, county_supervisor):
        assert not any(s.is_region for s in scopes_for(user))
        with pytest.raises(Http404):
            get_scope_for(user, "city", "330100")
    with pytest.raises(Http404):
        get_scope_for(city_reader, "province", "330000")
    with pytest.raises(Http404):
        get_scope_for(admin_user, "city", "330200")  # no county there
    client.force_login(city_reader)
    assert client.get(reverse("reports:report-home")).url == reverse("reports:report", args=["city", "330100"])
    assert client.get(reverse("reports:report", args=["county", "330301"])).status_code == 404
    assert client.get(reverse("reports:report", args=["city", "330300"])).status_code == 404
    assert other.code == "330301"
    province_reader = make_user(username="province_reader", role=Role.SUPERVISOR, county=township.county)
    RegionReader.objects.create(user=province_reader, region=Region.objects.get(code="330000"))
    assert [s.key for s in scopes_for(province_reader)][:3] == ["province:330000", "city:330100", "city:330300"]


def test_city_page_and_background_export(world, admin_user, client, township, django_capture_on_commit_callbacks):
    aggregates.rebuild()
    Region.objects.create(code="330100", name="杭州市", level="city")
    client.force_login(admin_user)
    response = client.get(reverse("reports:report", args=["city", "330100"]))
    page = BeautifulSoup(response.content.decode(), "html.parser")
    assert page.select_one("h1").get_text(strip=True) == "杭州市第12届村民委员会换届选举统计报表"
    assert page.select_one("#kf-turnout").get_text(" ", strip=True) == "登记选民12670人，参加投票9700人，参选率76.6%（9700/12670）"
    rows = [[td.get_text(strip=True) for td in tr.select("td")][:4] for tr in page.select("#table-counties tbody tr")]
    assert rows == [["清河县", "2", "12670", "9700"]]
    options = [o["value"] for o in page.select("#scope-select option")]
    assert options[:2] == ["province:330000", "city:330100"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report-export", args=["city", "330100", "xlsx"]))
    export = ReportExport.objects.get()
    assert response.url == reverse("reports:export-detail", args=[export.pk])
    assert (export.kind, export.code, export.county_id, export.state) == ("city", "330100", None, "done")
    assert export.filename.startswith("杭州市换届选举统计报表_")
    assert client.get(reverse("reports:export-download", args=[export.pk])).status_code == 200
    make_county(code="330301", name="鹿城区")
    reader = make_user(username="other_city", role=Role.SUPERVISOR, county=township.county)
    RegionReader.objects.create(user=reader, region=Region.objects.create(code="330300", name="温州市", level="city"))
    client.force_login(reader)
    assert client.get(reverse("reports:export-detail", args=[export.pk])).status_code == 404


def test_name_region_names_a_city_and_assigns_its_reader(township, capsys):
    from django.core.management import CommandError, call_command

    reader = make_user(username="city_reader", role=Role.SUPERVISOR, county=township.county)
    call_command("name_region", "330100", "杭州市", "--reader", "city_reader")
    assert Region.objects.get(code="330100").level == "city"
    assert RegionReader.objects.get(user=reader).region.name == "杭州市"
    assert get_scope_for(reader, "city", "330100").label == "杭州市"
    with pytest.raises(CommandError, match="不是市或省的6位区划代码"):
        call_command("name_region", "330199", "清河县")
    with pytest.raises(CommandError, match="不存在或不是督导"):
        call_command("name_region", "330100", "--reader", "nobody")


def test_the_branch_secretary_vote_refreshes_the_villages_committee_aggregate(world, township, village_a, clerk,
                                                                              django_capture_on_commit_callbacks):
    """东山村's roster makes 陈国华 (the committee's chair) the branch secretary: 一肩挑 1. The branch election of the
    same round elects him 委员 only and the new committee's vote (written under the branch election's lock) makes
    王建平 the 书记: the committee's aggregate follows the branch election without a rebuild."""
    from django.db import transaction

    from ballots.models import CommitteePostVote
    from tests.builders import make_elected, make_party_campaign, make_round, make_voter
    from villages.access import lock_election_for_write

    aggregates.rebuild()
    assert CompositionCounts.from_json(ElectionAggregate.objects.get(election=world.election_a).composition).one_shoulder == 1
    branch = make_party_campaign(township=township, by=clerk).elections.get(village=village_a)
    first = make_round(election=branch, by=clerk, held_on=branch.election_day)
    people = {}
    for serial, (name, born, number) in enumerate((("王建平", date(1991, 1, 17), scenario.WANG),
                                                   ("陈国华", date(1975, 6, 1), scenario.CHEN)), start=40):
        people[name] = make_voter(election=branch, name=name, birth_date=born, serial=serial, id_number=number)
        make_elected(election=branch, round=first, voter=people[name], post="member")
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            lock_election_for_write(branch)
            CommitteePostVote.objects.create(election=branch, post="secretary", electorate="committee", base=2,
                                             returned=2, votes={str(people["王建平"].pk): 2},
                                             held_on=date(2026, 11, 20), recorded_by=clerk)
    after = CompositionCounts.from_json(ElectionAggregate.objects.get(election=world.election_a).composition)
    assert (after.one_shoulder, after.cross_appointed) == (0, 2)  # 陈国华 a 委员 of the branch, no longer 书记; both cross
