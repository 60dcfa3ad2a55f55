"""Nominating 人大 deputies in a 选区 (Election Law Arts. 30–32): the pure rules, table by table, and
the services that apply them on the shared candidates, nominations and list publication."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from candidates import deputy_rules, deputy_services
from candidates.deputy_rules import Nominee, formal_list, formal_range
from candidates.models import Candidate, CandidateListPublication, InitialCandidateList, Nomination
from tests.builders import make_deputy_round, make_district, make_id_number, make_user
from villages import services, stages
from villages.kinds.deputies import DeputyRuleParameters
from villages.models import AuditEntry, CommitteeMember, Election, Role
from voters.models import Voter
from voters.services import register
from voters.services.register import publish_voter_list

PARAMS = DeputyRuleParameters()


# ---------------------------------------------------------------- Art. 31: the formal list's size

@pytest.mark.parametrize("seats,expected", [(1, (2, 2)), (2, (3, 4)), (3, (4, 6))])
def test_the_formal_list_has_one_third_to_one_times_more_candidates_than_seats(seats, expected):
    assert formal_range(seats, PARAMS) == expected


def nominees(*votes, names="甲乙丙丁戊己庚"):
    return [Nominee(i, f"王{names[i]}", v) for i, v in enumerate(votes)]


def test_too_few_nominees_cannot_make_a_formal_list():
    result = formal_list(nominees(None, None), seats=2, count=None, params=PARAMS)
    assert [p.code for p in result.problems] == ["too_few_nominees"]
    assert result.problems[0].message == ("本选区应选代表2名，正式代表候选人应为3至4名（选举法第三十一条），现只有2名被提名人，"
                                           "须继续提名。")


def test_a_lawful_number_of_nominees_all_stand_in_stroke_order():
    people = [Nominee(1, "赵六", None), Nominee(2, "王五", None), Nominee(3, "丁一", None)]
    result = formal_list(people, seats=2, count=None, params=PARAMS)
    assert [n.name for n in result.chosen] == ["丁一", "王五", "赵六"]  # 2, 4, 9 strokes
    assert result.problems == () and result.left_out == ()


def test_more_nominees_than_the_maximum_need_a_primary():
    result = formal_list(nominees(None, None, None, None, None), seats=2, count=None, params=PARAMS)
    assert [p.code for p in result.problems] == ["primary_needed"]


def test_the_primary_takes_the_most_votes_up_to_the_count():
    result = formal_list(nominees(50, 80, 10, 70, 60), seats=2, count=None, params=PARAMS)
    assert sorted(n.primary_votes for n in result.chosen) == [50, 60, 70, 80]
    assert [n.primary_votes for n in result.left_out] == [10]
    three = formal_list(nominees(50, 80, 10, 70, 60), seats=2, count=3, params=PARAMS)
    assert sorted(n.primary_votes for n in three.chosen) == [60, 70, 80]


def test_a_tie_at_the_cut_off_is_a_problem_not_a_choice():
    result = formal_list(nominees(50, 80, 60, 70, 60), seats=2, count=3, params=PARAMS)
    assert [p.code for p in result.problems] == ["primary_tie"]
    assert result.problems[0].message == "预选中王丙、王戊得票相同（60票），并列在第3名，无法确定正式候选人，须对并列者再次投票。"
    assert result.chosen == ()


def test_a_count_outside_the_range_is_refused():
    result = formal_list(nominees(5, 4, 3, 2, 1), seats=2, count=2, params=PARAMS)
    assert [p.code for p in result.problems] == ["count_out_of_range"]


@pytest.mark.parametrize("count,ok", [(9, False), (10, True), (11, True)])
def test_ten_or_more_voters_jointly(count, ok):
    assert (deputy_rules.joint_nomination_problems(count, PARAMS) == []) is ok


@pytest.mark.parametrize("already,seats,ok", [(0, 1, True), (1, 1, False), (1, 2, True), (2, 2, False)])
def test_a_party_puts_forward_at_most_the_seats(already, seats, ok):
    assert (deputy_rules.party_nomination_problems("中共青山镇委员会", already, seats, PARAMS) == []) is ok


# ---------------------------------------------------------------- the services

DAY = date(2027, 1, 20)  # the round's election day; the voters are entered today (the real clock)
NOMINATED_ON = date(2026, 12, 17)


@pytest.fixture
def district(county_office, clerk, township, village_a, village_b):
    """A township district of 2 seats over 东山村 and 西岭村 at the nomination stage, with 16 voters."""
    campaign = make_deputy_round(by=county_office, township=township, day=DAY)
    services.save_committee_member(by=county_office, member=CommitteeMember(campaign=campaign, name="何振华", sex="M",
                                                                            position="chair"))
    d = make_district(campaign=campaign, by=county_office, number=1, villages=[village_a, village_b], seats=2)
    election = Election.objects.with_places().get(district=d)
    services.advance_stage(by=clerk, election=election, target=stages.REGISTRATION, on=None, today=date(2026, 12, 1))
    groups = list(election.unit_groups())
    for i in range(16):
        birth = date(1960 + i, 1, 1)
        register.register_voter(by=clerk, today=date(2026, 12, 4), voter=Voter(
            election=election, group=groups[i % len(groups)], name=f"选民{i:02d}", sex="M" if i % 2 else "F",
            birth_date=birth, id_number=make_id_number(birth_date=birth, sex="M" if i % 2 else "F", serial=i),
            category="HUJI_RESIDENT"))
    election = Election.objects.with_places().get(pk=election.pk)
    publish_voter_list(by=clerk, election=election, published_on=date(2026, 12, 10), today=date(2026, 12, 10))
    services.advance_stage(by=clerk, election=Election.objects.get(pk=election.pk), target=stages.APPEALS_CLOSED,
                           on=None, today=date(2026, 12, 16))
    services.advance_stage(by=clerk, election=Election.objects.get(pk=election.pk), target=stages.NOMINATION,
                           on=None, today=date(2026, 12, 16))
    return Election.objects.with_places().get(pk=election.pk)


def voters(election):
    return list(Voter.objects.filter(election=election).order_by("name"))


def joint(election, clerk, nominee, cosigners, **kwargs):
    return deputy_services.nominate_deputy(by=clerk, election=election, voter=nominee, source="voters_jointly",
                                           nominated_on=NOMINATED_ON, cosigners=cosigners, **kwargs)


def party(election, clerk, nominee, body="中共青山镇委员会"):
    return deputy_services.nominate_deputy(by=clerk, election=election, voter=nominee, source="party_organisation",
                                           nominated_on=NOMINATED_ON, nominated_by=body)


def test_ten_voters_of_the_district_nominate_jointly(district, clerk):
    v = voters(district)
    candidate = joint(district, clerk, v[0], v[1:11], profile="1960年1月生，东山村党支部书记")
    assert (candidate.post, candidate.source, candidate.nomination_votes) == ("deputy", "voters_jointly", 10)
    assert Nomination.objects.filter(candidate=candidate).count() == 10
    assert AuditEntry.objects.filter(action="candidates.deputy.nominated").count() == 1


def test_nine_cosigners_are_too_few_and_nothing_is_written(district, clerk):
    v = voters(district)
    with pytest.raises(ValidationError) as caught:
        joint(district, clerk, v[0], v[1:10])
    assert caught.value.messages == ["选民联名推荐须有10人以上联名，现有9人（选举法第三十条）。"]
    assert not Candidate.objects.exists() and not Nomination.objects.exists()


def test_a_cosigner_signs_for_at_most_the_seats(district, clerk):
    v = voters(district)
    joint(district, clerk, v[0], v[2:12])
    joint(district, clerk, v[1], v[2:12])
    with pytest.raises(ValidationError) as caught:
        joint(district, clerk, v[12], v[2:12])
    assert caught.value.messages[0].endswith("参加联名推荐的人数将超过本选区应选代表名额2名（选举法第三十条）。")


def test_a_cosigner_must_be_a_voter_of_the_district(district, clerk, other_township):
    from tests.builders import make_village

    office = make_user(username="other_office", role=Role.COUNTY_OFFICE, county=other_township.county)
    outside_round = make_deputy_round(by=office, township=other_township, day=DAY)
    village = make_village(township=other_township, name="外村")
    outside = Election.objects.get(district=make_district(campaign=outside_round, by=office, number=1, villages=[village]))
    stranger = Voter.objects.create(
        campaign=outside_round, election=outside, group=village.groups.first(), name="外人", sex="M",
        birth_date=date(1970, 1, 1), id_number=make_id_number(birth_date=date(1970, 1, 1), serial=99),
        category="HUJI_RESIDENT")
    v = voters(district)
    with pytest.raises(ValidationError) as caught:
        joint(district, clerk, v[0], v[1:10] + [stranger])
    assert caught.value.messages == ["外人不是本选区的登记选民，不能参加联名推荐。"]


def test_a_party_puts_forward_at_most_the_seats_in_the_service(district, clerk):
    v = voters(district)
    party(district, clerk, v[0])
    party(district, clerk, v[1])
    with pytest.raises(ValidationError) as caught:
        party(district, clerk, v[2])
    assert caught.value.messages == ["中共青山镇委员会在本选区推荐的代表候选人已有2名，不得超过应选代表名额2名（选举法第三十条）。"]
    assert party(district, clerk, v[2], body="青山镇妇女联合会").nominated_by == "青山镇妇女联合会"


def test_from_nominees_to_the_formal_list_with_a_primary(district, clerk):
    v = voters(district)
    for i in range(5):
        party(district, clerk, v[i], body=f"单位{i // 2}")
    with pytest.raises(ValidationError) as caught:
        deputy_services.publish_formal_list(by=clerk, election=district, published_on=date(2026, 12, 22),
                                            today=date(2026, 12, 22))
    assert caught.value.messages == ["请先公布初步代表候选人名单。"]
    initial = deputy_services.publish_initial_list(by=clerk, election=district, published_on=date(2026, 12, 20),
                                                   today=date(2026, 12, 20), consultation="各选民小组酝酿讨论")
    assert [n["name"] for n in initial.nominees] == [x.name for x in v[:5]]
    with pytest.raises(ValidationError) as caught:  # every nominee is on the initial list; no more after it
        party(district, clerk, v[6], body="新单位")
    assert caught.value.code == "initial_list_exists"
    with pytest.raises(ValidationError) as caught:
        deputy_services.publish_formal_list(by=clerk, election=district, published_on=date(2026, 12, 22),
                                            today=date(2026, 12, 22))
    assert caught.value.messages == ["被提名人5名，超过正式代表候选人的最高人数4名，须进行预选（选举法第三十一条）。"]
    candidates = {c.voter.name: c.pk for c in Candidate.objects.filter(election=district).select_related("voter")}
    votes = dict(zip(sorted(candidates), (90, 40, 75, 60, 88)))
    deputy_services.record_primary(by=clerk, election=district, held_on=date(2026, 12, 23),
                                   votes={candidates[name]: n for name, n in votes.items()})
    deputy_services.publish_formal_list(by=clerk, election=district, published_on=date(2026, 12, 28),
                                        today=date(2026, 12, 28))
    on_list = Candidate.objects.filter(election=district, status="on_list").order_by("list_order").select_related("voter")
    assert sorted(c.voter.name for c in on_list) == sorted(name for name, n in votes.items() if n != 40)
    left = Candidate.objects.get(election=district, status="not_selected")
    assert left.primary_votes == 40
    district.refresh_from_db()
    # The formal list opens voting (the ballot stage serves 人大).
    assert district.stage == stages.VOTING and district.candidate_list_published_on == date(2026, 12, 28)
    assert CandidateListPublication.objects.get(election=district).mode == "candidates"
    assert InitialCandidateList.objects.get(election=district).primary_held_on == date(2026, 12, 23)


# ---------------------------------------------------------------- the pages

def test_the_nomination_pages_of_a_district(client, district, clerk, liaison_a, election_a):
    from django.urls import reverse

    v = voters(district)
    client.force_login(clerk)
    url = reverse("candidates:candidate-create", args=[district.pk])
    form = client.get(url).content.decode()
    assert "被提名人公民身份号码" in form and "联名推荐人公民身份号码" in form
    response = client.post(url, {"id_number": v[0].id_number, "source": "voters_jointly", "nominated_on": "2026-12-17",
                                 "cosigners": "\n".join(x.id_number for x in v[1:10])})
    assert "选民联名推荐须有10人以上联名，现有9人（选举法第三十条）。" in response.content.decode()
    assert not Candidate.objects.exists()
    response = client.post(url, {"id_number": v[0].id_number, "source": "voters_jointly", "nominated_on": "2026-12-17",
                                 "cosigners": "\n".join(x.id_number for x in v[1:11]), "profile": "东山村党支部书记"})
    assert response.status_code == 302
    for i, body in ((1, "中共青山镇委员会"), (2, "青山镇妇女联合会")):
        client.post(url, {"id_number": v[i].id_number, "source": "party_organisation", "nominated_on": "2026-12-17",
                          "nominated_by": body, **({"deputy_category": "farmer", "incumbent": "true"} if i == 1 else {})})
    # 代表结构类别 and 现任代表 are optional: left out, they stay blank (未填 in the reports).
    assert {c.voter.name: (c.deputy_category, c.incumbent) for c in Candidate.objects.select_related("voter")} == {
        v[0].name: ("", None), v[1].name: ("farmer", True), v[2].name: ("", None)}
    board = client.get(reverse("candidates:candidate-list", args=[district.pk])).content.decode()
    assert "正式代表候选人应为 <strong>3至4名</strong>" in board and "10人联名" in board and "青山镇妇女联合会" in board
    assert client.get(reverse("candidates:candidate-list-pdf", args=[district.pk]))["Content-Type"] == "application/pdf"
    with time_machine.travel(date(2026, 12, 20)):
        client.force_login(clerk)  # the session would have expired over the days travelled
        response = client.post(reverse("candidates:deputy-initial-list", args=[district.pk]),
                               {"published_on": "2026-12-20", "consultation": "各选民小组酝酿讨论"})
    assert response.status_code == 302
    with time_machine.travel(date(2026, 12, 28)):
        client.force_login(clerk)
        response = client.post(reverse("candidates:candidate-list-publish", args=[district.pk]), {"published_on": "2026-12-28"})
    assert response.status_code == 302
    assert Candidate.objects.filter(election=district, status="on_list").count() == 3
    client.force_login(liaison_a)  # reads the district that takes in 东山村, changes nothing in it
    assert client.get(reverse("candidates:candidate-list", args=[district.pk])).status_code == 200
    assert client.get(url).status_code == 403
    client.force_login(clerk)  # the 选区-only pages do not exist for a village's election
    assert client.get(reverse("candidates:deputy-primary", args=[election_a.pk])).status_code == 404


def test_the_election_page_of_a_district_at_nomination_shows_the_voting_checklist(client, county_office, clerk, township,
                                                                                  village_a, village_b):
    from django.urls import reverse

    from tests.builders import make_district_election

    election = make_district_election(county_office=county_office, clerk=clerk, township=township,
                                      villages=[village_a, village_b], seats=1, voters=12)
    assert election.stage == stages.NOMINATION
    client.force_login(clerk)
    response = client.get(reverse("villages:election-detail", args=[election.pk]))
    assert response.status_code == 200  # a 选区's rules have no village nomination modes
    assert "已公布正式代表候选人名单" in response.content.decode()
    assert "请在代表候选人页面公布正式代表候选人名单" in response.content.decode()
