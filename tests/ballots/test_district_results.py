"""A 选区's vote on the shared ballot stage (Election Law Arts. 38–46): the formal list opens voting, the
stations, tallies and results engine of the village elections serve the district, and the results follow
Art. 45 — valid with more than half of the district's voters, elected with more than half of the votes of
those who voted, the 另行选举 among the next-ranked (exactly 2 for 1 seat) with at least one third of the
ballots."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from django.urls import reverse

from ballots import queries
from ballots.counts import election_counts
from ballots.models import ElectedMember, Round
from ballots.services.announcement import announce_results
from ballots.services.rounds import open_round
from candidates import deputy_services
from candidates.models import Candidate
from tests.builders import enter_tally, make_district_election, make_station, sheet
from villages import stages
from villages.models import Election
from voters.models import Voter

DAY = date(2027, 1, 20)


@pytest.fixture
def district(county_office, clerk, township, village_a, village_b):
    """A district of 2 seats and 30 voters with a formal list of three (party nominees 选民00, 选民01, 选民02)."""
    election = make_district_election(county_office=county_office, clerk=clerk, township=township,
                                      villages=[village_a, village_b], seats=2, voters=30)
    voters = list(Voter.objects.filter(election=election).order_by("name"))
    for i in range(3):
        deputy_services.nominate_deputy(by=clerk, election=election, voter=voters[i], source="party_organisation",
                                        nominated_on=date(2026, 12, 17), nominated_by=f"推荐单位{i}")
    deputy_services.publish_initial_list(by=clerk, election=election, published_on=date(2026, 12, 20),
                                         today=date(2026, 12, 20), consultation="各选民小组酝酿讨论")
    deputy_services.publish_formal_list(by=clerk, election=election, published_on=date(2026, 12, 28),
                                        today=date(2026, 12, 28))
    return Election.objects.with_places().get(pk=election.pk), voters


def test_the_formal_list_opens_voting(district):
    election, _ = district
    assert election.stage == stages.VOTING
    assert queries.election_seats(election) == {"deputy": 2}


@pytest.fixture
def first_round(district, clerk, time_machine):
    time_machine.move_to(datetime(2027, 1, 20, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    election, voters = district
    station = make_station(election=election, name="第1选区中心投票站", kind="central")
    round = open_round(by=clerk, election=election, kind="first", held_on=DAY, stations=[station])
    return election, voters, round, station


def candidates_of(election):
    return {c.voter.name: c.voter for c in Candidate.objects.filter(election=election).select_related("voter")}


def test_one_elected_and_a_runoff_of_two_for_the_other_seat(first_round, clerk):
    election, voters, round, station = first_round
    c = candidates_of(election)
    # 20 of 30 voted (2*20 > 30: valid); 选民00 11 votes (2*11 > 20: elected); 选民01 9, 选民02 7: not.
    enter_tally(by=clerk, round=round, station=station, values=sheet(
        issued=20, returned=20, valid=20, votes={"deputy": {c["选民00"]: 11, c["选民01"]: 9, c["选民02"]: 7}}))
    progress = election_counts(election).progress
    texts = [f.message for f in progress.results[round.pk].findings]
    assert texts[:4] == [
        "参加投票人数20人，超过登记选民30人的半数，选举有效",
        "选民00得票11票，超过参加投票20人的半数，当选代表",
        "选民01得票9票，未超过参加投票20人的半数，未当选代表",
        "选民02得票7票，未超过参加投票20人的半数，未当选代表",
    ]
    assert "代表应选2名，当选1名，尚缺1名，须另行选举" in texts
    assert "另行选举代表1名，候选人为选民01（9票）、选民02（7票）共2人" in texts
    runoff = open_round(by=clerk, election=election, kind="runoff", held_on=DAY, stations=[station], today=DAY)
    assert runoff.seats == {"deputy": 1}
    assert sorted(rc.voter.name for rc in runoff.candidates.all()) == ["选民01", "选民02"]
    # 另行选举: 18 ballots; 选民01 6 votes, 3*6 >= 18: elected with the most votes.
    enter_tally(by=clerk, round=runoff, station=station, values=sheet(
        issued=18, returned=18, valid=18, votes={"deputy": {c["选民01"]: 6, c["选民02"]: 5}},
        abstentions={"deputy": 7}))
    progress = election_counts(election).progress
    texts = [f.message for f in progress.results[runoff.pk].findings]
    assert "选民01得票6票，不少于已投选票总数18张的三分之一，当选代表" in texts
    assert "本选区应选代表2名，已全部选出" in texts
    assert progress.status == "complete"
    announce_results(by=clerk, election=election, on=DAY, today=DAY)
    assert sorted(ElectedMember.objects.filter(election=election).values_list("voter__name", "post", "votes")) == [
        ("选民00", "deputy", 11), ("选民01", "deputy", 6)]


@pytest.fixture
def counted(first_round, clerk):
    """The first round counted (选民00 elected, one seat to the runoff) and the runoff counted and announced."""
    election, voters, round, station = first_round
    c = candidates_of(election)
    enter_tally(by=clerk, round=round, station=station, values=sheet(
        issued=20, returned=20, valid=20, votes={"deputy": {c["选民00"]: 11, c["选民01"]: 9, c["选民02"]: 7}}))
    runoff = open_round(by=clerk, election=election, kind="runoff", held_on=DAY, stations=[station], today=DAY)
    enter_tally(by=clerk, round=runoff, station=station, values=sheet(
        issued=18, returned=18, valid=18, votes={"deputy": {c["选民01"]: 6, c["选民02"]: 5}},
        abstentions={"deputy": 7}))
    announce_results(by=clerk, election=election, on=DAY, today=DAY)
    return election, round, runoff, station


def _get_urls(election, round, station, mobile):
    from django.urls import URLPattern

    from ballots.urls import urlpatterns

    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        names = set(pattern.pattern.converters)
        if "ballot_pk" in names or pattern.name.startswith("party-"):  # a Party election's own pages (404 here)
            continue
        box = mobile if pattern.name.startswith("mobile-box") else station
        # The level pages (deputies/<pk>/…) take the 人大 round (campaign), every other page the election.
        pk = election.campaign.pk if pattern.name in ("level-results", "elected-deputies-pdf") else election.pk
        values = {"pk": pk, "round_pk": round.pk, "station_pk": box.pk, "kind": "runoff"}
        yield pattern.name, reverse(f"ballots:{pattern.name}", kwargs={k: values[k] for k in names})


def test_every_ballot_page_and_paper_of_a_district_speaks_of_the_district(client, counted, clerk):
    election, round, runoff, station = counted
    mobile = make_station(election=election, name="流动票箱", kind="mobile", staff_names="甲\n乙")
    client.force_login(clerk)
    papers = {}
    for name, url in _get_urls(election, round, station, mobile):
        response = client.get(url)
        assert response.status_code in (200, 302, 405), (name, response.status_code)
        if response.status_code != 200:
            continue
        if response["Content-Type"] == "application/pdf":
            page = pdf_text(b"".join(response) if response.streaming else response.content)
            papers[name] = page
        else:
            page = response.content.decode().replace("村民委员会换届选举管理系统", "")
        assert "村民选举委员会" not in page and "村民委员会" not in page and "本村" not in page, name
    results = client.get(reverse("ballots:results", args=[election.pk])).content.decode()
    assert "本选区应选代表2名，已全部选出" in results and "当选通知书" in results
    assert "依照《中华人民共和国全国人民代表大会和地方各级人民代表大会选举法》第四十五条" in papers["results-notice-pdf"]
    assert "青山镇选举委员会" in papers["results-notice-pdf"]
    notices = papers["certificates-pdf"]
    assert notices.count("当选通知书") >= 2 and "选民00" in notices and "选民01" in notices
    assert "您当选为青山镇第十八届人民代表大会代表" in notices
    assert "所选的人数不得多于应选代表名额2名" in papers["ballot-pdf"]


def pdf_text(content: bytes) -> str:
    import subprocess

    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return "".join(text.split())


def test_the_level_results_and_the_list_of_elected_deputies(client, counted, clerk, county_office, township, village_a,
                                                             time_machine):
    from ballots.district_results import level_results

    election, round, runoff, station = counted
    time_machine.move_to(datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    second = make_district_election(county_office=county_office, clerk=clerk, township=township,
                                    villages=[village_a], seats=1, voters=12, campaign=election.campaign, number=2)
    Candidate.objects.filter(election=election, voter__name="选民00").update(profile="东山村党支部书记")
    elections = Election.objects.filter(campaign=election.campaign).with_places().order_by("district__number")
    results = level_results(election.campaign, elections)
    assert [(d.election.pk, d.seats, d.registered, d.voted, d.runoff_held) for d in results.districts] == [
        (election.pk, 2, 30, 20, True), (second.pk, 1, 12, None, False)]
    assert (results.seats, results.registered, results.voted, results.registered_counted) == (3, 42, 20, 30)
    assert (results.announced, results.runoffs, results.vacancies) == (1, 1, 0)
    assert [(p.name, p.votes, p.ballots_cast, p.round_label, p.profile) for p in results.deputies] == [
        ("选民00", 11, 20, "第1轮 正式选举", "东山村党支部书记"), ("选民01", 6, 18, "第2轮 另行选举", "")]
    client.force_login(clerk)
    page = client.get(reverse("ballots:level-results", args=[election.campaign.pk])).content.decode()
    assert "20人，66.7%" in page and "这些选区的登记选民30人" in page and "尚未公布" in page
    pdf = client.get(reverse("ballots:elected-deputies-pdf", args=[election.campaign.pk]))
    text = pdf_text(pdf.content)
    assert "当选代表名单" in text and "选民00" in text and "11/20" in text and "6/18" in text and "群众" in text
    assert "PoliticalStatus" not in text
    assert "共2个选区，应选代表3名，当选2名；1个选区经另行选举" in text


# ---------------------------------------------------------------- a county-level district (one register, two levels)


def test_a_county_district_votes_on_the_register_of_the_township_district_held_with_it(
    county_office, clerk, township, village_a, village_b, time_machine
):
    from django.core.exceptions import ValidationError

    from tests.builders import make_deputy_round, make_district
    from villages import services
    from villages.models import CommitteeMember
    from voters.services.register import publish_voter_list

    county_round = make_deputy_round(by=county_office, county=township.county, day=DAY)
    services.save_committee_member(by=county_office, member=CommitteeMember(
        campaign=county_round, name="孙立平", sex="M", position="chair"))
    county = Election.objects.get(district=make_district(campaign=county_round, by=county_office, number=1,
                                                         villages=[village_a, village_b], seats=1))
    services.advance_stage(by=county_office, election=county, target=stages.REGISTRATION, on=None,
                           today=date(2026, 12, 1))
    time_machine.move_to(datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    with pytest.raises(ValidationError) as caught:  # the township district has registered nobody yet
        publish_voter_list(by=county_office, election=Election.objects.with_places().get(pk=county.pk),
                           published_on=date(2026, 12, 10), today=date(2026, 12, 10))
    assert caught.value.messages == ["还没有登记选民，不能公布选民名单。"]
    township_district = make_district_election(county_office=county_office, clerk=clerk, township=township,
                                               villages=[village_a, village_b], seats=2, voters=30)
    publish_voter_list(by=county_office, election=Election.objects.with_places().get(pk=county.pk),
                       published_on=date(2026, 12, 11), today=date(2026, 12, 11))
    county = Election.objects.with_places().get(pk=county.pk)
    assert county.stage == stages.LIST_PUBLISHED and county.publication.registered_count == 30
    from ballots.counts import registered_count, registered_counts
    # In a batch (the reports, the level results) as one by one: five queries however many county districts.
    assert registered_counts([county, township_district]) == {county.pk: 30, township_district.pk: 30}
    assert registered_count(county) == 30
    assert Voter.objects.filter(election=county).count() == 0  # nobody registered twice
    for stage in (stages.APPEALS_CLOSED, stages.NOMINATION):
        services.advance_stage(by=county_office, election=Election.objects.get(pk=county.pk), target=stage, on=None,
                               today=date(2026, 12, 17))
    county = Election.objects.with_places().get(pk=county.pk)
    voters = list(Voter.objects.filter(election=township_district).order_by("name"))
    deputy_services.nominate_deputy(by=county_office, election=county, voter=voters[5], source="voters_jointly",
                                    nominated_on=date(2026, 12, 17), cosigners=voters[10:20])
    deputy_services.nominate_deputy(by=county_office, election=county, voter=voters[6],
                                    source="party_organisation", nominated_on=date(2026, 12, 17), nominated_by="中共清河县委")
    deputy_services.publish_initial_list(by=county_office, election=county, published_on=date(2026, 12, 20),
                                         today=date(2026, 12, 20), consultation="各选民小组酝酿讨论")
    deputy_services.publish_formal_list(by=county_office, election=county, published_on=date(2026, 12, 28),
                                        today=date(2026, 12, 28))
    time_machine.move_to(datetime(2027, 1, 20, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    station = make_station(election=county, name="东山村选举大会", kind="central")
    round = open_round(by=county_office, election=Election.objects.get(pk=county.pk), kind="first", held_on=DAY,
                       stations=[station])
    enter_tally(by=county_office, round=round, station=station, values=sheet(
        issued=25, returned=25, valid=25, votes={"deputy": {voters[5]: 16, voters[6]: 8}}, abstentions={"deputy": 1}))
    texts = [f.message for f in election_counts(county).progress.results[round.pk].findings]
    assert texts[:2] == ["参加投票人数25人，超过登记选民30人的半数，选举有效",
                         "选民05得票16票，超过参加投票25人的半数，当选代表"]
    assert "本选区应选代表1名，已全部选出" in texts


def test_a_county_district_publishes_after_the_township_districts_holding_its_voters(
    county_office, clerk, township, village_a, time_machine
):
    from django.core.exceptions import ValidationError

    from tests.builders import make_deputy_round, make_district, make_id_number
    from villages import services
    from villages.models import CommitteeMember
    from voters.services import register

    time_machine.move_to(datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    elections = {}
    for level in ("county", "township"):
        campaign = make_deputy_round(by=county_office, day=DAY, **({"county": township.county} if level == "county"
                                                                   else {"township": township}))
        services.save_committee_member(by=county_office, member=CommitteeMember(
            campaign=campaign, name="孙立平", sex="M", position="chair"))
        elections[level] = Election.objects.get(district=make_district(campaign=campaign, by=county_office, number=3,
                                                                       villages=[village_a], name="东山村选区"))
        services.advance_stage(by=county_office, election=elections[level], target=stages.REGISTRATION, on=None,
                               today=date(2026, 12, 1))
    group = village_a.groups.first()
    register.register_voter(by=clerk, today=date(2026, 12, 4), voter=Voter(
        election=elections["township"], group=group, name="李明", sex="M", birth_date=date(1980, 5, 1),
        id_number=make_id_number(birth_date=date(1980, 5, 1), serial=7), category="HUJI_RESIDENT"))
    with pytest.raises(ValidationError) as caught:
        register.publish_voter_list(by=county_office, election=Election.objects.with_places().get(pk=elections["county"].pk),
                                    published_on=date(2026, 12, 10), today=date(2026, 12, 10))
    assert caught.value.messages == ["本选区的选民在乡级选区登记，第3选区（东山村选区）尚未公布选民名单，请先公布。"]
    township = Election.objects.with_places().get(pk=elections["township"].pk)
    register.publish_voter_list(by=clerk, election=township, published_on=date(2026, 12, 12), today=date(2026, 12, 12))
    time_machine.move_to(datetime(2026, 12, 12, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    with pytest.raises(ValidationError) as caught:  # its list is theirs: not posted before they were
        register.publish_voter_list(by=county_office, election=Election.objects.with_places().get(pk=elections["county"].pk),
                                    published_on=date(2026, 12, 10), today=date(2026, 12, 12))
    assert caught.value.messages == [
        "本选区的选民在乡级选区登记，第3选区（东山村选区）的选民名单于2026年12月12日公布，本选区的公布日期不能早于该日。"]
    publication = register.publish_voter_list(by=county_office, today=date(2026, 12, 12), published_on=date(2026, 12, 12),
                                              election=Election.objects.with_places().get(pk=elections["county"].pk))
    assert publication.registered_count == 1


def test_the_county_office_sets_up_the_stations_of_its_county_district(client, county_office, clerk, township, village_a,
                                                                       village_b):
    from tests.builders import make_deputy_round, make_district
    from villages import services
    from villages.models import CommitteeMember

    county_round = make_deputy_round(by=county_office, county=township.county, day=DAY)
    services.save_committee_member(by=county_office, member=CommitteeMember(
        campaign=county_round, name="孙立平", sex="M", position="chair"))
    county = Election.objects.get(district=make_district(campaign=county_round, by=county_office, number=1,
                                                         villages=[village_a, village_b], seats=1))
    client.force_login(county_office)
    page = client.get(reverse("ballots:station-list", args=[county.pk])).content.decode()
    assert reverse("ballots:station-create", args=[county.pk]) in page


# ---------------------------------------------------------------- the archive serves the district (one archive)


def test_a_district_result_is_certified_filed_and_archived_without_a_handover(
    client, counted, clerk, county_office, django_capture_on_commit_callbacks
):
    from archive.models import ArchiveDocument, FilingRun
    from villages import services
    from villages.access import ElectionLocked

    election, round, runoff, station = counted
    election = Election.objects.with_places().get(pk=election.pk)
    # The announcement of a complete result moves the district to 代表资格审查 (人大 has no 工作移交).
    assert election.stage == stages.HANDOVER and election.stage_label == "代表资格审查"
    assert election.new_committee_formed_on == DAY
    client.force_login(clerk)
    for name in ("archive:certify", "archive:document-list", "archive:unlock-request"):
        page = client.get(reverse(name, args=[election.pk])).content.decode().replace("村民委员会换届选举管理系统", "")
        assert "该村" not in page and "本村" not in page and "村民委员会" not in page, name
    response = client.get(reverse("archive:handover", args=[election.pk]), follow=True)
    assert "人民代表大会代表选举没有工作移交，结果认定后即可归档。" in response.content.decode()
    detail = client.get(reverse("villages:election-detail", args=[election.pk])).content.decode()
    assert "代表资格审查" in detail and "8 工作移交" not in detail and "认定选举结果" in detail

    # The county office certifies it (it works the districts of its county); the records are filed.
    client.force_login(county_office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("archive:certify", args=[election.pk]), {"confirm": "on"}, follow=True)
    assert "选举结果已认定，该选区选民、候选人、计票和结果均已锁定。" in response.content.decode()
    election = Election.objects.with_places().get(pk=election.pk)
    assert election.is_certified
    run = FilingRun.objects.get(election=election)
    titles = sorted(ArchiveDocument.objects.filter(election=election).values_list("title", flat=True))
    unit = election.unit_name
    assert run.state == FilingRun.State.DONE and run.filed == len(titles)
    assert f"{unit}正式代表候选人名单" in titles and f"{unit}选举结果报告单" in titles
    assert sum(t.startswith(f"{unit}计票结果报告单") for t in titles) == 2  # the first round and the 另行选举
    assert not any("工作移交" in t for t in titles)
    with pytest.raises(ElectionLocked) as caught:  # certified: nothing may change the tally any more
        enter_tally(by=clerk, round=runoff, station=station, values=sheet(
            issued=18, returned=18, valid=18, votes={"deputy": {}}))
    assert caught.value.message.startswith("该选区选举结果已认定")

    # Archived on the certified result alone: no seal to hand over.
    services.advance_stage(by=county_office, election=election, target=stages.ARCHIVED, on=date(2027, 1, 25),
                           today=date(2027, 1, 25))
    election = Election.objects.get(pk=election.pk)
    assert election.stage == stages.ARCHIVED and election.handover_completed_on == date(2027, 1, 25)


def test_the_county_office_certifies_districts_only(counted, campaign, county_office):
    from django.core.exceptions import ValidationError

    from archive.services import can_approve_unlock, certify_results, is_office

    election, village_election = counted[0], campaign.elections.first()
    assert is_office(county_office, election) and can_approve_unlock(county_office, election)
    assert not is_office(county_office, village_election) and not can_approve_unlock(county_office, village_election)
    with pytest.raises(ValidationError) as caught:
        certify_results(by=county_office, election=village_election, today=DAY)
    assert caught.value.messages == ["只有乡镇选举办工作人员可以进行此操作。"]


def test_a_district_page_offers_its_actions_to_whoever_works_the_district(client, district, county_office, supervisor):
    """The template's write flags are the election's (``check_election_write``), not the role's: the county
    office, read-only on village pages, opens the rounds of its county's 选区; a supervisor reads them."""
    election, _ = district
    make_station(election=election, name="第1选区中心投票站", kind="central")
    open_link = reverse("ballots:round-open", args=[election.pk, "first"])
    client.force_login(county_office)
    page = client.get(reverse("ballots:round-list", args=[election.pk])).content.decode()
    assert open_link in page and "开启正式选举" in page
    client.force_login(supervisor)
    page = client.get(reverse("ballots:round-list", args=[election.pk])).content.decode()
    assert open_link not in page
