"""Counting pages: what each persona sees, bad input with its Chinese message, races, constant query counts."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from ballots.models import CountingOptions, ElectedMember, PollingStation, Tally
from ballots.services.announcement import announce_results
from tests.ballots.scenario import central_sheet, group_sheet
from tests.builders import enter_tally, make_station, make_voter, sheet
from voters.models import Proxy

DAY = date(2027, 1, 16)


def soup(response):
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def entry_url(c, station=None):
    return reverse("ballots:tally-entry", args=[c.election.pk, c.round.pk, (station or c.central).pk])


def form_data(c, *, chair=(10, 2), member=(10, 8, 6), version=0, **numbers):
    data = {"issued": 12, "returned": 12, "valid": 12, "invalid": 0, "version": version, "confirm": "1"} | numbers
    data |= {f"chair__c{v.pk}": n for v, n in zip(c.v[0:2], chair, strict=True)}
    data |= {f"member__c{v.pk}": n for v, n in zip(c.v[2:5], member, strict=True)}
    return data


def count_both(c, by):
    enter_tally(by=by, round=c.round, station=c.central, values=central_sheet(c))
    enter_tally(by=by, round=c.round, station=c.group, values=group_sheet(c))


# ---------------------------------------------------------------- stations


def test_station_list_shows_stations_and_what_a_mobile_box_lacks(client, clerk, counting):
    make_station(election=counting.election, name="敬老院流动票箱", kind="mobile", staff_names="甲\n乙")
    client.force_login(clerk)
    page = soup(client.get(reverse("ballots:station-list", args=[counting.election.pk])))
    rows = page.select("#station-table tbody tr")
    assert [r.td.get_text(strip=True) for r in rows] == ["中心会场", "第1组投票站", "敬老院流动票箱"]
    assert "工作人员2人，少于规定的3人" in rows[2].get_text()
    assert page.find("form", action=reverse("ballots:stations-per-group", args=[counting.election.pk]))


def test_liaison_sees_stations_without_setup_buttons(client, liaison_a, counting):
    client.force_login(liaison_a)
    page = soup(client.get(reverse("ballots:station-list", args=[counting.election.pk])))
    assert len(page.select("#station-table tbody tr")) == 2
    assert not page.find("form", action=reverse("ballots:stations-per-group", args=[counting.election.pk]))


@pytest.mark.parametrize("n", [3, 9])
def test_station_list_query_count_is_constant(client, clerk, election_a, django_assert_num_queries, n):
    for i in range(n):
        station = make_station(election=election_a, name=f"流动票箱{i}", kind="mobile", staff_names="甲\n乙\n丙")
        station.box_voters.create(voter=make_voter(election=election_a, name=f"选民{i}", serial=i))
    client.force_login(clerk)
    with django_assert_num_queries(8):
        response = client.get(reverse("ballots:station-list", args=[election_a.pk]))
    assert len(soup(response).select("#station-table tbody tr")) == n


def test_stations_per_group_through_the_page(client, clerk, election_a):
    client.force_login(clerk)
    response = client.post(reverse("ballots:stations-per-group", args=[election_a.pk]), follow=True)
    assert "已为2个村民小组各设一个投票站" in response.content.decode()
    assert list(PollingStation.objects.values_list("name", flat=True)) == ["第1组投票站", "第2组投票站"]


def test_mobile_box_refuses_a_voter_who_gave_a_proxy(client, clerk, counting):
    c = counting
    box = make_station(election=c.election, name="流动票箱", kind="mobile")
    Proxy.objects.create(election=c.election, principal=c.v[7], holder=c.v[9], relation="spouse",
                         authorized_on=date(2027, 1, 5), status=Proxy.Status.APPROVED)
    client.force_login(clerk)
    response = client.post(reverse("ballots:mobile-box-voters", args=[c.election.pk, box.pk]), {"voters": [c.v[7].pk]})
    assert "赵伟已委托他人投票，不能再使用流动票箱。" in soup(response).get_text()
    assert not box.box_voters.exists()


# ---------------------------------------------------------------- tally entry


def test_tally_entry_rejects_more_ballots_returned_than_issued(client, liaison_a, counting):
    client.force_login(liaison_a)
    response = client.post(entry_url(counting), form_data(counting, returned=13, valid=13, chair=(11, 2), member=(11, 8, 7)))
    errors = soup(response).select(".alert-danger, .alert-block, .non-field-errors, ul.errorlist li")
    assert any("收回选票13张，多于发出选票12张，本次选举无效，须重新投票" in e.get_text() for e in errors)
    assert not Tally.objects.exists()


def test_warning_asks_for_an_explanation_then_saves(client, liaison_a, counting):
    c = counting
    client.force_login(liaison_a)
    data = form_data(c, valid=10, invalid=2, chair=(8, 2), member=(8, 7, 5))
    page = soup(client.post(entry_url(c), data))
    textarea = page.find("textarea", attrs={"name": "explain__invalid_share_high"})
    assert textarea is not None and "须书面说明：无效票2张" in page.select_one("#explanations").get_text()
    assert not Tally.objects.exists()
    response = client.post(entry_url(c), data | {"explain__invalid_share_high": "两张选票划满了所有候选人"})
    assert response.status_code == 302
    assert Tally.objects.get().explanations["invalid_share_high"]["text"] == "两张选票划满了所有候选人"


def test_second_user_saving_the_same_tally_is_shown_both_numbers(client, liaison_a, clerk, counting):
    c = counting
    client.force_login(liaison_a)
    assert client.post(entry_url(c), form_data(c)).status_code == 302
    client.force_login(clerk)
    page = soup(client.post(entry_url(c), form_data(c, chair=(9, 3))))
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in page.select("#conflict tbody tr")]
    assert rows == [["主任·王伟得票", "10", "9"], ["主任·李伟得票", "2", "3"]]
    assert page.find("input", attrs={"name": "version"})["value"] == str(Tally.objects.get().version)
    assert page.find("input", attrs={"name": "chair__c%d" % c.v[0].pk})["value"] == "9"
    assert Tally.objects.get().posts.get(post="chair").votes.get(voter=c.v[0]).votes == 10


def test_write_in_rows_without_a_name_are_refused(client, liaison_a, counting):
    client.force_login(liaison_a)
    response = client.post(entry_url(counting), form_data(counting, member=(10, 8, 5)) | {"member__w0_votes": 1})
    assert "填写了另选他人票数，但没有填写姓名。" in soup(response).get_text()
    assert not Tally.objects.exists()


def test_tally_entry_for_another_village_is_not_found(client, liaison_b, counting):
    client.force_login(liaison_b)
    assert client.get(entry_url(counting)).status_code == 404
    assert client.post(entry_url(counting), form_data(counting)).status_code == 404
    assert not Tally.objects.exists()


def test_supervisor_cannot_enter_a_tally(client, supervisor, counting):
    client.force_login(supervisor)
    assert client.post(entry_url(counting), form_data(counting)).status_code == 403
    assert not Tally.objects.exists()


def test_anonymous_is_sent_to_login(client, counting):
    response = client.get(entry_url(counting))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# ---------------------------------------------------------------- double entry


def test_office_resolves_double_entry_on_the_comparison_page(client, liaison_a, clerk, counting):
    c = counting
    CountingOptions.objects.create(election=c.election, double_entry=True)
    enter_tally(by=liaison_a, round=c.round, station=c.central, values=central_sheet(c))
    enter_tally(by=clerk, round=c.round, station=c.central, values=central_sheet(c, chair=(9, 3)))
    url = reverse("ballots:tally-compare", args=[c.election.pk, c.round.pk, c.central.pk])
    client.force_login(liaison_a)
    assert client.get(url).status_code == 403
    client.force_login(clerk)
    page = soup(client.get(url))
    assert [tr.td.get_text() for tr in page.select("#compare-table tr.table-danger")] == ["主任·王伟得票", "主任·李伟得票"]
    form = {"version1": 1, "version2": 1, "choice_0": 2, "choice_1": 2}
    assert client.post(url, form).status_code == 302
    assert Tally.objects.get(status="confirmed").posts.get(post="chair").votes.get(voter=c.v[0]).votes == 9


# ---------------------------------------------------------------- results


def test_results_page_shows_engine_sentences_and_the_elected(client, supervisor, clerk, counting):
    count_both(counting, clerk)
    client.force_login(supervisor)
    page = soup(client.get(reverse("ballots:results", args=[counting.election.pk])))
    assert "选举完成" in page.select_one("#result-status").get_text()
    elected = [li.get_text(strip=True) for li in page.select("#round-1 .findings li[data-code=elected]")]
    assert elected[0].startswith("王伟得票16票，超过参加投票20人的半数，当选主任")
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in page.select("#round-1 .post-table tbody tr")]
    assert ["王伟", "16", "当选"] in rows and ["陈伟", "11", ""] in rows
    assert not page.select("#next-actions a.btn-success")  # read-only: no announce button


@pytest.mark.parametrize("n", [3, 9])
def test_results_page_query_count_is_constant(client, clerk, counting, django_assert_num_queries, n):
    c = counting
    stations = [make_station(election=c.election, name=f"站{i}", kind="station", assigned_voters=2) for i in range(n)]
    c.round.stations.add(*stations)
    count_both(c, clerk)
    for station in stations:
        enter_tally(by=clerk, round=c.round, station=station,
                    values=sheet(issued=1, returned=1, valid=1, votes={"chair": {c.v[0]: 1}, "member": {c.v[2]: 1}}))
    client.force_login(clerk)
    with django_assert_num_queries(20):
        response = client.get(reverse("ballots:results", args=[c.election.pk]))
    assert soup(response).select_one("#round-1").get_text().count(f"{n + 2}/{n + 2}") == 1


def test_runoff_button_opens_the_runoff_with_the_engine_candidates(client, clerk, counting):
    c = counting
    enter_tally(by=clerk, round=c.round, station=c.central, values=central_sheet(c, member=(10, 6, 6)))
    enter_tally(by=clerk, round=c.round, station=c.group, values=group_sheet(c, member=(6, 4, 4)))
    client.force_login(clerk)
    page = soup(client.get(reverse("ballots:results", args=[c.election.pk])))
    link = page.select_one("#next-actions a[href$='/rounds/new/runoff/']")
    assert link.get_text(strip=True) == "开启另行选举"
    form = soup(client.get(link["href"]))
    checked = [i["value"] for i in form.select("input[name=candidates_member][checked]")]
    assert sorted(checked) == sorted([str(c.v[3].pk), str(c.v[4].pk)])
    # only those with member votes: the chair candidate who lost (4 votes) is not offered for 委员
    offered = [i["value"] for i in form.select("input[name=candidates_member]")]
    assert sorted(offered) == sorted([str(c.v[3].pk), str(c.v[4].pk)])
    response = client.post(link["href"], {"held_on": "2027-01-16", "stations": [c.central.pk],
                                          "candidates_member": [c.v[3].pk]})
    assert response.status_code == 302  # one seat, one candidate: allowed (the engine's sentence warns)


def test_announce_through_the_page_and_liaison_is_refused(client, clerk, liaison_a, counting, time_machine):
    time_machine.move_to(date(2027, 1, 16))
    c = counting
    count_both(c, clerk)
    url = reverse("ballots:announce", args=[c.election.pk])
    client.force_login(liaison_a)
    assert client.post(url, {"on": "2027-01-16"}).status_code == 403
    client.force_login(clerk)
    page = soup(client.get(url))
    assert [tr.td.get_text() for tr in page.select("#to-announce tbody tr")] == ["王伟", "张伟", "刘伟"]
    response = client.post(url, {"on": "2099-01-01"})
    assert "公布日期不能晚于今天。" in response.content.decode()
    assert client.post(url, {"on": "2027-01-16"}).status_code == 302
    assert ElectedMember.objects.count() == 3
    # Everything counted is announced: the results page no longer offers to announce, the service refuses.
    results = soup(client.get(reverse("ballots:results", args=[c.election.pk])))
    assert "公布选举结果" not in results.select_one("#next-actions").get_text()
    response = client.post(url, {"on": "2027-01-16"})
    assert "已计票轮次的选举结果均已公布，没有需要公布的新结果。" in response.content.decode()
    assert ElectedMember.objects.count() == 3


@pytest.mark.parametrize(
    "second_chair,message",
    [
        ((10, 2), "中心会场两次录入一致，计票结果已确认。"),
        ((9, 3), "中心会场第二次录入已保存，与第一次录入不一致，须由乡镇选举办工作人员在“核对”页面逐项核对。"),
    ],
)
def test_second_entry_through_the_page_says_what_happened(client, liaison_a, clerk, counting, second_chair, message):
    c = counting
    CountingOptions.objects.create(election=c.election, double_entry=True)
    enter_tally(by=liaison_a, round=c.round, station=c.central, values=central_sheet(c))
    client.force_login(clerk)
    response = client.post(entry_url(c), form_data(c, chair=second_chair), follow=True)
    assert message in response.content.decode()


def test_void_decision_for_a_person_needs_the_person(client, clerk, counting):
    client.force_login(clerk)
    response = client.post(reverse("ballots:void-decision", args=[counting.election.pk]), {
        "scope": "person", "ground": "bribery", "decided_by_body": "township_government", "document_ref": "x号",
        "decided_on": "2027-01-16", "reason": "贿选"})
    assert "宣布个人当选无效时，请选择当选人。" in response.content.decode()


def test_double_entry_cannot_be_switched_on_after_counting_began(client, clerk, counting):
    enter_tally(by=clerk, round=counting.round, station=counting.central, values=central_sheet(counting))
    client.force_login(clerk)
    response = client.post(reverse("ballots:counting-options", args=[counting.election.pk]),
                           {"double_entry": "on", "signature_labels": "主持人、监票人"})
    assert "本次选举已经录入计票结果，不能再更改是否双人录入。" in response.content.decode()
    assert not CountingOptions.objects.exists()


def test_write_in_list_marks_names_waiting_for_the_committee(client, clerk, counting):
    c = counting
    enter_tally(by=clerk, round=c.round, station=c.central, values=central_sheet(c, member=(10, 8, 5), write_ins={"张三": 1}))
    client.force_login(clerk)
    rows = soup(client.get(reverse("ballots:write-in-list", args=[c.election.pk]))).select("#write-in-table tbody tr")
    assert [td.get_text(strip=True) for td in rows[0].find_all("td")][:6] == ["张三", "委员", "第1轮 正式选举", "1", "查无此登记选民", "待认定"]
    response = client.post(reverse("ballots:write-in-rule", args=[c.election.pk]),
                           {"name": "张三", "voter": "", "note": "本村无此选民", "decided_on": "2027-01-16"})
    assert response.status_code == 302


def test_entry_page_of_an_announced_round_says_it_is_closed(client, clerk, counting):
    count_both(counting, clerk)
    announce_results(by=clerk, election=counting.election, on=DAY, today=DAY)
    client.force_login(clerk)
    page = soup(client.get(entry_url(counting)))
    assert page.select_one("#entry-blocked").get_text(strip=True).startswith("本轮结果已公布")
    assert not page.find("button", attrs={"name": "confirm"})


def test_results_table_marks_votes_carried_from_a_higher_post_in_cascade_mode(client, clerk, counting):
    c = counting
    campaign = c.election.campaign
    campaign.rule_params = {**campaign.rule_params, "multi_post_mode": "cascade_down"}
    campaign.save(update_fields=["rule_params"])
    count_both(c, clerk)
    client.force_login(clerk)
    page = soup(client.get(reverse("ballots:results", args=[c.election.pk])))
    member_table = page.select("#round-1 .post-table")[1]
    marks = {tr.td.get_text(): tr.select_one(".carried").get_text() for tr in member_table.select("tbody tr")
             if tr.select_one(".carried")}
    assert marks == {c.v[0].name: "含上级职务累加16票", c.v[1].name: "含上级职务累加4票"}


def test_low_turnout_offers_voiding_and_the_void_round_links_to_the_repeat(client, clerk, supervisor, counting):
    c = counting
    enter_tally(by=clerk, round=c.round, station=c.central,
                values=central_sheet(c, returned=5, valid=5, chair=(4, 1), member=(5, 3, 2)))
    enter_tally(by=clerk, round=c.round, station=c.group,
                values=group_sheet(c, returned=4, valid=4, chair=(3, 1), member=(4, 2, 2)))
    client.force_login(clerk)
    page = soup(client.get(reverse("ballots:results", args=[c.election.pk])))
    link = page.select_one("#next-actions a.btn-danger")
    assert link.get_text(strip=True) == "参加投票未过半数：宣布本轮无效，重新投票"
    form = soup(client.get(link["href"]))
    assert form.select_one("input[name=ground][value=turnout]").has_attr("checked")
    response = client.post(link["href"], {"ground": "turnout", "reason": ""})
    assert response.status_code == 302
    page = soup(client.get(reverse("ballots:results", args=[c.election.pk])))
    alert = page.select_one("#round-void-1")
    assert "参加投票9人，未超过登记选民20人的半数，本轮选举无效" in alert.get_text()
    assert "登记选民20人；发出选票20张；收回选票9张" in alert.select_one(".void-figures").get_text()
    assert alert.select_one("a.void-next")["href"] == reverse("ballots:round-open", args=[c.election.pk, "first"])
    assert [a.get_text(strip=True) for a in page.select("#next-actions a.btn-primary")] == ["开启正式选举"]
    client.force_login(supervisor)
    alert = soup(client.get(reverse("ballots:results", args=[c.election.pk]))).select_one("#round-void-1")
    assert alert.select_one("a") is None and "由乡镇选举办工作人员开启新的一轮" in alert.get_text()
