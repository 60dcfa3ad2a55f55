"""Each 选区 of a 人大 round has its election (``Election.district``): created with the district, its
seats following the district's, read and worked under the access rules of the electoral unit; the
stage apps that do not serve the 人大 kind yet answer with a clear message, never a village page."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse

from tests.builders import make_deputy_round, make_district, make_user
from villages import stages
from villages.access import can_see_full_id, elections_visible_to, get_election_for, history_visible_to
from villages.kinds.deputies import DeputyRuleParameters, legal_calendar
from villages.legal_calendar import DONE, DUE, PENDING, CalendarFacts
from villages.models import AuditEntry, Election, Role


@pytest.fixture
def other_clerk(other_township):
    return make_user(username="other_clerk", role=Role.CLERK, township=other_township)


@pytest.fixture
def npc(county_office, township, village_a, village_b, other_township, other_village):
    county_round = make_deputy_round(by=county_office, county=township.county)
    township_round = make_deputy_round(by=county_office, township=township)
    foreign_office = make_user(username="foreign_office", role=Role.COUNTY_OFFICE, county=other_township.county)
    foreign_round = make_deputy_round(by=foreign_office, township=other_township)
    return {
        "county_round": county_round,
        "township_round": township_round,
        "district_a": make_district(campaign=township_round, by=county_office, number=1, villages=[village_a], seats=2),
        "district_b": make_district(campaign=township_round, by=county_office, number=2, villages=[village_b]),
        "county_district": make_district(
            campaign=county_round, by=county_office, number=1, villages=[village_a, village_b], seats=3
        ),
        "foreign_district": make_district(campaign=foreign_round, by=foreign_office, number=1, villages=[other_village]),
    }


def election_of(district) -> Election:
    return Election.objects.with_places().get(district=district)


def test_a_new_district_opens_its_election_on_the_round_day_with_its_seats(npc):
    election = election_of(npc["district_a"])
    assert election.campaign == npc["township_round"]
    assert election.election_day == npc["township_round"].default_election_day
    assert (election.seats_chair, election.seats_vice_chair, election.seats_member, election.total_seats) == (0, 0, 2, 2)
    assert election.village is None and election.is_district
    assert election.unit_name == "第1选区（第1选区）"
    assert election.township_id == npc["district_a"].township_id
    assert AuditEntry.objects.filter(action="villages.district_election.opened", object_id=str(election.pk)).count() == 1


def test_the_election_takes_in_the_district_villages_and_groups(npc, village_a, village_b):
    election = election_of(npc["county_district"])
    assert sorted(v.name for v in election.unit_villages()) == ["东山村", "西岭村"]
    assert set(election.unit_groups()) == set(village_a.groups.all()) | set(village_b.groups.all())


def test_seats_follow_the_district_until_nomination_then_are_fixed(npc, county_office):
    from villages import deputy_services

    district = npc["district_b"]
    district.deputy_seats = 3
    deputy_services.save_district(by=county_office, district=district, villages=list(district.villages.all()), groups=[])
    election = election_of(district)
    assert election.seats_member == 3
    entry = AuditEntry.objects.get(action="villages.district_election.seats_changed", object_id=str(election.pk))
    assert entry.changes == {"seats_member": [1, 3]}

    Election.objects.filter(pk=election.pk).update(stage=stages.NOMINATION)
    district.refresh_from_db()
    district.deputy_seats = 2
    with pytest.raises(ValidationError) as caught:
        deputy_services.save_district(by=county_office, district=district, villages=list(district.villages.all()), groups=[])
    assert caught.value.messages == ["本选区的选举已进入“提名候选人”阶段，代表名额不能再改变。"]
    assert election_of(district).seats_member == 3
    district.refresh_from_db()
    assert district.deputy_seats == 3  # nothing half-written


def test_an_election_belongs_to_exactly_one_unit(npc, village_a):
    election = election_of(npc["district_a"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Election.objects.filter(pk=election.pk).update(village=village_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Election.objects.filter(pk=election.pk).update(district=None)


def test_a_district_election_has_one_to_three_deputies_and_no_committee_posts(npc):
    election = election_of(npc["district_a"])
    for values in ({"seats_member": 4}, {"seats_member": 0}, {"seats_chair": 1}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Election.objects.filter(pk=election.pk).update(**values)


def test_who_reads_which_district_election(npc, clerk, liaison_a, supervisor, county_office, admin_user, other_clerk):
    def visible(user):
        return sorted(e.unit_name for e in elections_visible_to(user).of_districts())

    everyone_here = ["第1选区（第1选区）", "第1选区（第1选区）", "第2选区（第2选区）"]
    assert visible(clerk) == everyone_here
    assert visible(supervisor) == everyone_here
    assert visible(county_office) == everyone_here
    # liaison_a's 东山村 lies in the township district 1 and the county district 1, not in district 2.
    assert visible(liaison_a) == ["第1选区（第1选区）", "第1选区（第1选区）"]
    assert visible(other_clerk) == ["第1选区（第1选区）"]
    assert len(visible(admin_user)) == 4


def test_who_works_a_district_election(npc, clerk, liaison_a, supervisor, county_office, other_clerk):
    township_election = election_of(npc["district_a"])
    county_election = election_of(npc["county_district"])
    for user in (clerk, county_office):  # the township office works both levels' districts in its area
        for election in (township_election, county_election):
            assert get_election_for(user, election.pk, write=True, setup=True) == election
    with pytest.raises(PermissionDenied) as caught:
        get_election_for(liaison_a, township_election.pk, write=True)
    assert str(caught.value) == "选区的选民登记、提名和计票由县选举办或选区所在乡镇的选举办工作人员办理。"
    with pytest.raises(PermissionDenied) as caught:
        get_election_for(supervisor, county_election.pk, write=True)
    assert str(caught.value) == "您的角色只能查看，不能修改。"
    with pytest.raises(Http404):
        get_election_for(other_clerk, township_election.pk)
    assert can_see_full_id(clerk, township_election) and not can_see_full_id(liaison_a, township_election)
    assert history_visible_to(liaison_a, township_election)
    assert not history_visible_to(other_clerk, township_election)


def test_the_district_election_page(client, npc, liaison_a):
    election = election_of(npc["district_a"])
    client.force_login(liaison_a)
    page = client.get(reverse("villages:election-detail", args=[election.pk])).content.decode()
    assert "第1选区（第1选区） · 第18届乡级人民代表大会代表选举" in page
    assert "应选代表 <strong>2</strong> 名" in page
    assert "公布选民名单" in page and "公布正式代表候选人名单" in page
    assert "尚未开通" not in page and "9 选举档案" in page
    assert "8 工作移交" not in page  # 人大 has no 工作移交: its stage after voting is 代表资格审查
    assert "代表资格审查" in page and "工作移交" not in page


@pytest.fixture
def archive_not_served(monkeypatch):
    """人大 as it was before its archive stage was served: the gate for an app not serving a kind."""
    import dataclasses

    from villages.kinds import KINDS
    from villages.kinds.deputies import DEPUTIES

    monkeypatch.setitem(KINDS, DEPUTIES.code, dataclasses.replace(DEPUTIES, stage_apps=DEPUTIES.stage_apps - {"archive"}))


def test_setup_links_of_a_district_election_lead_to_the_district_and_the_round(client, npc, county_office):
    election = election_of(npc["district_a"])
    client.force_login(county_office)
    response = client.get(reverse("villages:election-setup", args=[election.pk]))
    assert response.url == reverse("villages:constituency-edit", args=[npc["district_a"].pk])
    response = client.get(reverse("villages:committee-member-create", args=[election.pk]))
    assert response.url == reverse("villages:deputy-committee-member-create", args=[npc["township_round"].pk])


@pytest.mark.parametrize(
    "name,label",
    [
        ("archive:certify", "结果认定和归档"),
        ("archive:handover", "结果认定和归档"),
    ],
)
def test_a_stage_not_yet_serving_the_kind_says_so_and_leaks_nothing(client, npc, clerk, other_clerk, name, label,
                                                                    archive_not_served):
    election = election_of(npc["district_a"])
    client.force_login(clerk)
    response = client.get(reverse(name, args=[election.pk]))
    assert response.status_code == 409
    assert f"人民代表大会代表选举的{label}尚未开通" in response.content.decode()
    client.force_login(other_clerk)
    assert client.get(reverse(name, args=[election.pk])).status_code == 404


def test_village_elections_pass_the_gate(client, campaign, clerk):
    election = campaign.elections.first()
    client.force_login(clerk)
    assert client.get(reverse("voters:voter-list", args=[election.pk])).status_code == 200


def test_the_legal_calendar_of_a_district_election():
    day = date(2026, 11, 20)
    rules = DeputyRuleParameters()
    items = {i.code: i for i in legal_calendar(CalendarFacts(election_day=day), rules, today=date(2026, 10, 25))}
    assert items["voter_list"].deadline == date(2026, 10, 31) and items["voter_list"].status == DUE
    assert items["appeals_close"].status == PENDING
    assert items["initial_list"].deadline == date(2026, 11, 5)
    assert items["formal_list"].deadline == date(2026, 11, 13)
    assert items["court_filing"].deadline == date(2026, 11, 15)

    facts = CalendarFacts(election_day=day, voter_list_published_on=date(2026, 10, 30))
    items = {i.code: i for i in legal_calendar(facts, rules, today=date(2026, 11, 6))}
    assert items["voter_list"].status == DONE and items["voter_list"].done_on == date(2026, 10, 30)
    assert items["appeals_close"].deadline == date(2026, 11, 4) and items["appeals_close"].status == DONE
    assert items["appeal_decisions"].deadline == date(2026, 11, 7)


def test_a_district_election_does_not_enter_a_stage_not_yet_served(client, npc, county_office, archive_not_served):
    from villages import services

    election = election_of(npc["district_a"])
    Election.objects.filter(pk=election.pk).update(stage=stages.VOTING)
    with pytest.raises(ValidationError) as caught:
        services.advance_stage(by=county_office, election=election, target=stages.HANDOVER, on=date(2026, 11, 1),
                               today=date(2026, 12, 1))
    assert caught.value.messages == ["人民代表大会代表选举的“代表资格审查”阶段尚未开通。"]
    assert election_of(npc["district_a"]).stage == stages.VOTING
    client.force_login(county_office)
    page = client.get(reverse("villages:election-detail", args=[election.pk])).content.decode()
    assert "进入“代表资格审查”" not in page
