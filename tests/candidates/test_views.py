"""Candidate pages: what each persona sees, bad input, and constant query counts."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from candidates.models import Candidate, CandidateListPublication
from tests.builders import make_nominee, make_voter, open_nomination
from villages import stages
from villages.models import CommitteeMember, Election
from voters.models import Proxy

PUBLISH_DAY = date(2027, 1, 10)
PUBLISH = {"mode": "candidates", "published_on": "2027-01-10"}


def nomination(voter, **fields):
    return {"source": "nominated", "voter": voter.pk, "post": "chair", "nominated_on": "2026-12-28"} | fields


def nominator(voter):
    return {"nominator": voter.pk, "nominated_on": "2026-12-29"}


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def texts(page, selector):
    return [node.get_text(" ", strip=True) for node in page.select(selector)]


def flash(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def slate_of(election, clerk, voters, chair=(9, 8), member=(7, 6, 5)):
    made = []
    for votes in chair:
        made.append(make_nominee(election=election, by=clerk, voter=voters[len(made)], post="chair", votes=votes))
    for votes in member:
        made.append(make_nominee(election=election, by=clerk, voter=voters[len(made)], post="member", votes=votes))
    return made


def url(name, election, candidate=None):
    args = [election.pk] + ([candidate.pk] if candidate else [])
    return reverse(f"candidates:{name}", args=args)


# ---------------------------------------------------------------- the candidate list


def test_list_groups_nominees_by_post_and_shows_the_surplus_live(client, clerk, election, voters):
    slate_of(election, clerk, voters, chair=(9,), member=(7, 8, 6))
    client.force_login(clerk)
    page = soup(client.get(url("candidate-list", election)))
    chair, member = page.select_one("#post-chair"), page.select_one("#post-member")
    assert [chair.select_one(s).get_text() for s in (".seats", ".count", ".extra")] == ["1", "1", "0"]
    assert chair.select_one(".surplus-status").get_text() == "不符合"
    assert member.select_one(".surplus-status").get_text() == "符合差额"
    assert texts(member, "tbody td.name") == ["张伟", "李伟", "刘伟"]  # 8, 7, 6 votes
    assert [li["data-code"] for li in page.select("#slate-problems li")] == ["surplus_too_small"]
    assert "主任应选1名，候选人1名，差额0名，少于规定的至少1名" in page.select_one("#slate-problems").get_text()


def test_list_says_so_when_every_post_has_its_surplus(client, clerk, election, voters):
    slate_of(election, clerk, voters, chair=(9, 8), member=(7, 6, 5))
    client.force_login(clerk)
    page = soup(client.get(url("candidate-list", election)))
    assert page.select_one("#slate-problems").get_text(strip=True) == "各职务候选人均符合差额要求。"
    assert texts(page, "#post-chair td.status") == ["拟列入名单", "拟列入名单"]


def test_liaison_sees_nominate_but_not_publish(client, liaison_a, election):
    client.force_login(liaison_a)
    page = soup(client.get(url("candidate-list", election)))
    assert page.select_one("#nominate-link") and not page.select_one("#publish-link")


def test_supervisor_reads_the_list_without_write_buttons(client, supervisor, clerk, election, voters):
    slate_of(election, clerk, voters)
    client.force_login(supervisor)
    page = soup(client.get(url("candidate-list", election)))
    assert not page.select_one("#nominate-link") and not page.select("button[data-bs-target='#withdraw-modal']")
    assert len(page.select("tbody tr[data-candidate]")) == 5


def test_zhejiang_list_flags_proxy_holders_and_committee_namesakes(client, clerk, zj_election, zj_voters):
    Proxy.objects.create(election=zj_election, principal=zj_voters[1], holder=zj_voters[0], relation="spouse",
                         authorized_on=date(2026, 12, 27))
    CommitteeMember.objects.filter(election=zj_election, selection_order=2).update(name=zj_voters[2].name)
    make_nominee(election=zj_election, by=clerk, voter=zj_voters[0], post="chair", votes=9)
    make_nominee(election=zj_election, by=clerk, voter=zj_voters[2], post="chair", votes=8)
    client.force_login(clerk)
    page = soup(client.get(url("candidate-list", zj_election)))
    notes = {row.select_one(".name").get_text(): row.select_one(".notes").get_text(" ", strip=True)
             for row in page.select("#post-chair tbody tr")}
    assert notes["王伟"].startswith("持有1份投票委托")
    assert notes["张伟"].startswith("与村民选举委员会在任成员同名")


def test_mode_tabs_preview_the_self_nomination_list(client, clerk, zj_election, zj_voters):
    make_nominee(election=zj_election, by=clerk, voter=zj_voters[0], post="chair", votes=9)
    make_nominee(election=zj_election, by=clerk, voter=zj_voters[2], post="chair", source="self")
    client.force_login(clerk)
    page = soup(client.get(url("candidate-list", zj_election), {"mode": "self_nomination"}))
    assert texts(page, "#mode-tabs .active") == ["自荐直选"]
    rows = {tr.select_one(".name").get_text(): tr.select_one(".status").get_text() for tr in page.select("#post-chair tbody tr")}
    assert rows == {"张伟": "拟列入名单", "王伟": "未列入（不适用此方式）"}


def test_published_list_shows_late_publication(client, clerk, election, voters, time_machine):
    time_machine.move_to(date(2027, 1, 12))
    slate_of(election, clerk, voters)
    client.force_login(clerk)
    client.post(url("candidate-list-publish", election),
                {"mode": "candidates", "published_on": "2027-01-12", "date_reason": "候选人资格复核"})
    page = soup(client.get(url("candidate-list", election)))
    assert "逾期公布" in page.select_one("#publication-status").get_text()
    assert not page.select_one("#publish-link") and not page.select_one("#nominate-link")


def test_list_page_runs_constant_queries(client, clerk, election_a, django_assert_num_queries):
    people = open_nomination(election=election_a, by=clerk, voters=40)
    election_a.refresh_from_db()
    client.force_login(clerk)
    slate_of(election_a, clerk, people, chair=(9, 8), member=(7, 6))
    with django_assert_num_queries(10):
        assert client.get(url("candidate-list", election_a)).status_code == 200
    for index in range(4, 12):
        make_nominee(election=election_a, by=clerk, voter=people[index], post="member", votes=index)
    assert Candidate.objects.count() == 12
    with django_assert_num_queries(10):
        assert client.get(url("candidate-list", election_a)).status_code == 200


# ---------------------------------------------------------------- nominating


def test_nominate_form_offers_only_registered_voters_of_the_village(client, liaison_a, election, voters, election_b):
    make_voter(election=election_b, name="外村人", serial=300, listed_from=date(2026, 12, 20))
    client.force_login(liaison_a)
    page = soup(client.get(url("candidate-create", election)))
    options = texts(page, "select[name=voter] option")[1:]
    assert sorted(o.split("（")[0] for o in options) == sorted(v.name for v in voters)
    assert "王伟（330102********001X，第1组）" in options


def test_liaison_nominates_with_nominators(client, liaison_a, election, voters):
    client.force_login(liaison_a)
    data = {"source": "nominated", "voter": voters[0].pk, "post": "chair", "nominated_on": "2026-12-28",
            "nominators": [voters[5].pk, voters[6].pk]}
    response = client.post(url("candidate-create", election), data, follow=True)
    assert response.redirect_chain[-1][0] == url("candidate-list", election)
    assert flash(response) == ["已登记王伟（主任）。"]
    assert Candidate.objects.get().nomination_votes == 2


def test_nominating_a_committee_member_takes_them_off_the_committee(client, clerk, election, voters):
    member = CommitteeMember.objects.get(election=election, selection_order=2)
    client.force_login(clerk)
    data = {"source": "nominated", "voter": voters[0].pk, "post": "member", "nominated_on": "2026-12-28",
            "nomination_votes": 12, "committee_member": member.pk}
    assert client.post(url("candidate-create", election), data).status_code == 302
    member.refresh_from_db()
    assert member.left_reason == "被提名为候选人"


def test_nominating_a_proxy_holder_warns(client, clerk, zj_election, zj_voters):
    Proxy.objects.create(election=zj_election, principal=zj_voters[1], holder=zj_voters[0], relation="spouse",
                         authorized_on=date(2026, 12, 27))
    client.force_login(clerk)
    response = client.post(url("candidate-create", zj_election), nomination(zj_voters[0], nomination_votes=4), follow=True)
    assert flash(response)[1] == "王伟持有1份投票委托：本规则规定候选人不得接受委托投票，相关委托须另行办理。"


@pytest.mark.parametrize(
    "data,message",
    [
        ({"nomination_votes": ""}, "选民提名的候选人须至少有一名提名人，或填写提名票数。"),
        ({"post": "vice_chair"}, "选择一个有效的选项"),
        ({"nominated_on": "2027-13-01"}, "输入一个有效的日期"),
        ({"nominated_on": "2027-01-20"}, "提名日期不能晚于选举日前一天。"),
    ],
)
def test_bad_nomination_shows_its_message_and_changes_nothing(client, liaison_a, election, voters, data, message):
    client.force_login(liaison_a)
    page = soup(client.post(url("candidate-create", election), nomination(voters[0], nomination_votes=3) | data))
    assert message in page.select_one("main form").get_text()
    assert not Candidate.objects.exists()


def test_voter_of_another_village_cannot_be_posted(client, liaison_a, election, voters, election_b):
    stranger = make_voter(election=election_b, name="外村人", serial=300, listed_from=date(2026, 12, 20))
    client.force_login(liaison_a)
    page = soup(client.post(url("candidate-create", election), nomination(stranger, nomination_votes=3)))
    assert "选择一个有效的选项" in page.select_one("#div_id_voter").get_text()
    assert not Candidate.objects.exists()


def test_nominating_before_the_nomination_stage_is_refused_in_the_form(client, clerk, election_b):
    voter = make_voter(election=election_b, listed_from=date(2026, 12, 20))
    client.force_login(clerk)
    page = soup(client.post(url("candidate-create", election_b), nomination(voter, nomination_votes=3)))
    assert "只能在“提名候选人”阶段录入提名" in page.get_text()
    assert not Candidate.objects.exists()


# ---------------------------------------------------------------- nominators and votes


def test_nominations_page_lists_nominators_and_adds_one(client, liaison_a, clerk, election, voters):
    candidate = make_nominee(election=election, by=clerk, voter=voters[0], post="chair", votes=None, nominators=voters[5:7])
    client.force_login(liaison_a)
    page = soup(client.get(url("candidate-nominations", election, candidate)))
    assert [tr.find_all("td")[1].get_text() for tr in page.select("#nominator-table tbody tr")] == ["杨伟", "黄伟"]
    response = client.post(url("candidate-nominations", election, candidate), nominator(voters[7]), follow=True)
    assert flash(response) == ["已增加提名人赵伟，提名票数为3。"]
    assert Candidate.objects.get().nomination_votes == 3


def test_nominator_over_the_seats_is_refused_on_the_page(client, liaison_a, clerk, election, voters):
    make_nominee(election=election, by=clerk, voter=voters[0], post="chair", votes=None, nominators=[voters[5]])
    second = make_nominee(election=election, by=clerk, voter=voters[1], post="chair", votes=3)
    client.force_login(liaison_a)
    page = soup(client.post(url("candidate-nominations", election, second), nominator(voters[5])))
    assert "提名人杨伟：主任应选1名，该提名票提名了2人，超过应选名额，该职务的提名无效。" in page.get_text()
    assert Candidate.objects.get(pk=second.pk).nomination_votes == 3


def test_supervisor_cannot_add_a_nominator(client, supervisor, clerk, election, voters):
    candidate = make_nominee(election=election, by=clerk, voter=voters[0], post="chair", votes=3)
    client.force_login(supervisor)
    assert client.get(url("candidate-nominations", election, candidate)).status_code == 200
    response = client.post(url("candidate-nominations", election, candidate), nominator(voters[7]))
    assert response.status_code == 403


def test_nominations_page_runs_constant_queries(client, clerk, election, voters, django_assert_num_queries):
    candidate = make_nominee(election=election, by=clerk, voter=voters[0], post="chair", votes=None, nominators=voters[1:3])
    client.force_login(clerk)
    with django_assert_num_queries(10):
        client.get(url("candidate-nominations", election, candidate))
    for voter in voters[3:9]:
        services_add(clerk, candidate, voter)
    with django_assert_num_queries(10):
        client.get(url("candidate-nominations", election, candidate))


def services_add(by, candidate, voter):
    from candidates.services import add_nomination

    add_nomination(by=by, candidate=candidate, nominator=voter, nominated_on=date(2026, 12, 29))


def test_stale_votes_form_shows_the_conflict(client, liaison_a, clerk, election, voters):
    candidate = make_nominee(election=election, by=clerk, voter=voters[0], post="chair", votes=3)
    client.force_login(liaison_a)
    client.post(url("candidate-votes", election, candidate), {"votes": 12, "version": 1}, follow=True)
    response = client.post(url("candidate-votes", election, candidate), {"votes": 15, "version": 1}, follow=True)
    assert flash(response) == ["保存失败：候选人在您编辑期间已被他人修改。请刷新页面，核对最新内容后重新填写。"]
    assert Candidate.objects.get().nomination_votes == 12


def test_votes_form_without_a_number_changes_nothing(client, liaison_a, clerk, election, voters):
    candidate = make_nominee(election=election, by=clerk, voter=voters[0], post="chair", votes=3)
    client.force_login(liaison_a)
    response = client.post(url("candidate-votes", election, candidate), {"votes": "很多", "version": 1}, follow=True)
    assert flash(response) == ["请填写提名票数（不小于0的整数）。"]
    assert Candidate.objects.get().nomination_votes == 3


# ---------------------------------------------------------------- withdrawal


def test_withdrawal_replaces_from_the_next_nominee(client, liaison_a, clerk, township, village_a, village_b, time_machine):
    from tests.builders import make_campaign

    campaign = make_campaign(township=township, by=clerk, term_number=13, preset_code="SHANGHAI_2020")
    election = campaign.elections.get(village=village_a)
    people = open_nomination(election=election, by=clerk)
    made = slate_of(Election.objects.get(pk=election.pk), clerk, people, chair=(9, 8, 7), member=(6, 5, 4))
    time_machine.move_to(PUBLISH_DAY)
    client.force_login(clerk)
    client.post(url("candidate-list-publish", election), PUBLISH, follow=True)
    client.force_login(liaison_a)
    top = Candidate.objects.get(pk=made[0].pk)
    response = client.post(url("candidate-withdraw", election, top),
                           {"withdrawn_on": "2027-01-11", "reason": "本人书面申请", "version": top.version}, follow=True)
    assert flash(response) == ["王伟已退出主任候选人。", "张伟依次递补为主任正式候选人。"]
    page = soup(response)
    assert texts(page, "#post-chair td.name") == ["李伟", "张伟"]
    assert "递补王伟" in page.select_one("#post-chair").get_text()


@pytest.mark.parametrize(
    "data,message",
    [
        ({}, "请填写书面退出日期和退出原因。"),
        ({"withdrawn_on": "2027-01-16", "reason": "书面退出", "version": 1}, "候选人退出截止于2027年1月15日（选举日前），2027年1月16日的退出不能受理。"),
    ],
)
def test_bad_withdrawal_shows_its_message_and_changes_nothing(client, liaison_a, clerk, election, voters, data, message):
    candidate = make_nominee(election=election, by=clerk, voter=voters[0], post="chair", votes=3)
    client.force_login(liaison_a)
    response = client.post(url("candidate-withdraw", election, candidate), data, follow=True)
    assert flash(response) == [message]
    assert Candidate.objects.get().status == "nominated"


def test_supervisor_and_other_liaison_cannot_withdraw(client, supervisor, liaison_b, clerk, election, voters):
    candidate = make_nominee(election=election, by=clerk, voter=voters[0], post="chair", votes=3)
    data = {"withdrawn_on": "2027-01-02", "reason": "书面退出", "version": 1}
    client.force_login(supervisor)
    assert client.post(url("candidate-withdraw", election, candidate), data).status_code == 403
    client.force_login(liaison_b)
    assert client.post(url("candidate-withdraw", election, candidate), data).status_code == 404
    assert Candidate.objects.get().status == "nominated"


def test_candidate_of_another_election_is_not_found_under_this_one(client, clerk, election, voters, election_b):
    candidate = make_nominee(election=election, by=clerk, voter=voters[0], post="chair", votes=3)
    client.force_login(clerk)
    assert client.get(url("candidate-nominations", election_b, candidate)).status_code == 404


# ---------------------------------------------------------------- publication


def test_publish_page_previews_the_list(client, clerk, election, voters, time_machine):
    time_machine.move_to(PUBLISH_DAY)
    slate_of(election, clerk, voters, chair=(8, 9))
    client.force_login(clerk)
    page = soup(client.get(url("candidate-list-publish", election)))
    rows = [[td.get_text() for td in tr.find_all("td")[:3]] for tr in page.select("#publish-preview tbody tr")]
    assert rows[:2] == [["1", "主任", "李伟"], ["2", "主任", "王伟"]]
    assert page.select_one("input[name=published_on]")["value"] == "2027-01-10"


def test_clerk_publishes_and_the_election_moves_to_voting(client, clerk, election, voters, time_machine):
    time_machine.move_to(PUBLISH_DAY)
    slate_of(election, clerk, voters)
    client.force_login(clerk)
    response = client.post(url("candidate-list-publish", election), PUBLISH, follow=True)
    assert flash(response) == ["已按“有候选人（选民直接提名）”公布正式候选人名单，选举进入“投票选举”阶段。"]
    assert Election.objects.get(pk=election.pk).stage == stages.VOTING
    assert list(Candidate.objects.on_list().order_by("list_order").values_list("list_order", flat=True)) == [1, 2, 3, 4, 5]


def test_late_publication_is_recorded_with_a_warning(client, clerk, election, voters, time_machine):
    time_machine.move_to(date(2027, 1, 13))
    slate_of(election, clerk, voters)
    client.force_login(clerk)
    refused = client.post(url("candidate-list-publish", election), PUBLISH | {"published_on": "2027-01-13"})
    assert "日期说明" in refused.content.decode() and not CandidateListPublication.objects.exists()
    response = client.post(url("candidate-list-publish", election),
                           PUBLISH | {"published_on": "2027-01-13", "date_reason": "候选人资格复核"}, follow=True)
    assert flash(response)[1] == "公布日期晚于法定期限（2027年1月11日），已记录为逾期公布。"
    assert CandidateListPublication.objects.get().is_late


def test_publishing_a_list_without_surplus_is_refused_on_the_page(client, clerk, election, voters, time_machine):
    time_machine.move_to(PUBLISH_DAY)
    slate_of(election, clerk, voters, chair=(9,), member=(7, 6, 5))
    client.force_login(clerk)
    page = soup(client.post(url("candidate-list-publish", election), PUBLISH))
    assert "主任应选1名，候选人1名，差额0名，少于规定的至少1名。" in page.select_one("main form").get_text()
    assert not CandidateListPublication.objects.exists()
    assert Election.objects.get(pk=election.pk).stage == stages.NOMINATION


def test_publishing_with_a_future_date_is_refused(client, clerk, election, voters, time_machine):
    time_machine.move_to(PUBLISH_DAY)
    slate_of(election, clerk, voters)
    client.force_login(clerk)
    page = soup(client.post(url("candidate-list-publish", election), {"mode": "candidates", "published_on": "2027-01-11"}))
    assert "候选人名单公布日期不能晚于今天。" in page.get_text()
    assert not CandidateListPublication.objects.exists()


def test_liaison_may_not_publish(client, liaison_a, election, voters):
    client.force_login(liaison_a)
    assert client.get(url("candidate-list-publish", election)).status_code == 403
    assert client.post(url("candidate-list-publish", election), PUBLISH).status_code == 403
    assert not CandidateListPublication.objects.exists()


# ---------------------------------------------------------------- every page: the personas


PAGES = ["candidate-list", "candidate-create", "candidate-nominations", "candidate-list-publish", "candidate-list-pdf"]
PER_CANDIDATE = ("candidate-nominations", "candidate-votes", "candidate-withdraw")


@pytest.mark.parametrize("name", PAGES + ["candidate-votes", "candidate-withdraw"])
def test_anonymous_is_sent_to_login(client, clerk, election, voters, name):
    candidate = make_nominee(election=election, by=clerk, voter=voters[0], post="chair", votes=3)
    target = url(name, election, candidate if name in PER_CANDIDATE else None)
    response = client.post(target) if name in ("candidate-votes", "candidate-withdraw") else client.get(target)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", PAGES)
def test_liaison_of_another_village_gets_404(client, liaison_b, clerk, election, voters, name):
    candidate = make_nominee(election=election, by=clerk, voter=voters[0], post="chair", votes=3)
    client.force_login(liaison_b)
    target = url(name, election, candidate if name == "candidate-nominations" else None)
    assert client.get(target).status_code == 404


@pytest.mark.parametrize(
    "name,status", [("candidate-create", 403), ("candidate-list-publish", 403), ("candidate-list", 200)]
)
def test_supervisor_reads_but_does_not_write(client, supervisor, election, name, status):
    client.force_login(supervisor)
    assert client.get(url(name, election)).status_code == status
