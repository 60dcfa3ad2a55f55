"""The register's pages: list, entry form, edit form, detail, 补登/减 and 四增四减."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.builders import make_campaign, make_election_ready, make_id_number, make_voter, make_voters, publish_list
from villages.models import AuditEntry
from voters.models import AmendmentBatch, Status, Voter
from voters.services import register


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def form_data(*, born: date = date(1975, 3, 8), id_sex: str = "F", **fields):
    """The entry form's fields for a person born on ``born``; ``fields`` override any of them."""
    data = {
        "name": "李秀英",
        "id_number": make_id_number(birth_date=born, sex=id_sex, serial=7),
        "sex": id_sex,
        "birth_date": born.isoformat(),
        "ethnicity": "01",
        "category": "HUJI_RESIDENT",
        "has_political_rights": "on",
        "capacity_ok": "on",
        "lives_in_village": "on",
        "political_status": "13",
    }
    data.update(fields)
    return data


@pytest.fixture
def group1(election_a):
    return election_a.village.groups.get(number=1)


# ---------------------------------------------------------------- list


def test_list_shows_masked_id_numbers_and_counts_per_group(client, clerk, election_a):
    voter = make_voter(election=election_a, name="王建国", serial=1)
    make_voter(election=election_a, name="王小明", serial=2, group=election_a.village.groups.get(number=2), status=Status.NOT_REGISTERED)
    client.force_login(clerk)
    page = soup(client.get(reverse("voters:voter-list", args=[election_a.pk])))
    table = page.select_one("#voter-table").get_text()
    assert voter.masked_id_number in table and voter.id_number not in page.get_text()
    counts = [[td.get_text() for td in tr.select("td")] for tr in page.select("#group-counts tbody tr")]
    assert counts == [["第1组", "1", "0", "0", "0"], ["第2组", "0", "1", "0", "0"]]
    assert [td.get_text() for td in page.select("#group-counts tfoot td")] == ["合计", "1", "1", "0", "0"]


@pytest.mark.parametrize(
    "params,names",
    [
        ({"q": "秀"}, ["王秀兰"]),
        ({"status": "not_registered"}, ["李小明"]),
        ({"away": "1"}, ["王秀兰"]),
        ({"category": "HUJI_ABSENT"}, ["王秀兰"]),
        ({"group": "g2"}, ["李小明"]),
    ],
)
def test_list_filters(client, clerk, election_a, params, names):
    make_voter(election=election_a, name="王建国", serial=1)
    make_voter(election=election_a, name="王秀兰", sex="F", serial=2, away=True, category="HUJI_ABSENT", statement_date=date(2026, 12, 1))
    make_voter(election=election_a, name="李小明", serial=3, status=Status.NOT_REGISTERED, group=election_a.village.groups.get(number=2))
    if params.get("group") == "g2":
        params = {"group": election_a.village.groups.get(number=2).pk}
    client.force_login(clerk)
    response = client.get(reverse("voters:voter-list", args=[election_a.pk]), params)
    assert [v.name for v in response.context["page"]] == names


def test_search_by_id_number_prefix(client, clerk, election_a):
    voter = make_voter(election=election_a, name="王建国", serial=1, birth_date=date(1961, 2, 3))
    make_voter(election=election_a, name="王秀兰", serial=2)
    client.force_login(clerk)
    response = client.get(reverse("voters:voter-list", args=[election_a.pk]), {"q": voter.id_number[:14]})
    assert [v.name for v in response.context["page"]] == ["王建国"]


def test_pagination_keeps_the_filters(client, clerk, election_a):
    make_voters(election=election_a, count=120)
    client.force_login(clerk)
    page = soup(client.get(reverse("voters:voter-list", args=[election_a.pk]), {"status": "registered"}))
    link = page.select_one(".pagination a")["href"]
    assert "status=registered" in link and "page=2" in link


@pytest.mark.parametrize("count", [20, 60])
def test_list_query_count_is_constant(client, clerk, election_a, django_assert_num_queries, count):
    make_voters(election=election_a, count=count)
    client.force_login(clerk)
    url = reverse("voters:voter-list", args=[election_a.pk])
    with django_assert_num_queries(12):
        client.get(url, {"q": "王"})


def test_liaison_sees_only_their_villages(client, liaison_a, election_a, election_b):
    client.force_login(liaison_a)
    assert client.get(reverse("voters:voter-list", args=[election_a.pk])).status_code == 200
    assert client.get(reverse("voters:voter-list", args=[election_b.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, election_a):
    response = client.get(reverse("voters:voter-list", args=[election_a.pk]))
    assert response.status_code == 302 and reverse("login") in response.url


# ---------------------------------------------------------------- entry form


def test_liaison_enters_a_voter(client, liaison_a, election_a, group1):
    client.force_login(liaison_a)
    response = client.post(reverse("voters:voter-create", args=[election_a.pk]), form_data(group=group1.pk))
    voter = Voter.objects.get()
    assert response.url == reverse("voters:voter-detail", args=[election_a.pk, voter.pk])
    assert (voter.status, voter.campaign_id) == (Status.REGISTERED, election_a.campaign_id)


def test_sex_and_birth_date_are_taken_from_the_id_number_when_left_blank(client, clerk, election_a, group1):
    client.force_login(clerk)
    client.post(reverse("voters:voter-create", args=[election_a.pk]), form_data(group=group1.pk, sex="", birth_date=""))
    assert (Voter.objects.get().sex, Voter.objects.get().birth_date) == ("F", date(1975, 3, 8))


@pytest.mark.parametrize(
    "fields,field,code",
    [
        ({"id_number": "330102197503080071"}, "id_number", "id_checksum"),
        ({"id_number": "3.30102197503E+17"}, "id_number", "id_excel_float"),
        ({"id_number": "33010219750308"}, "id_number", "id_format"),
        ({"birth_date": "1975-03-09"}, "birth_date", "id_birth_date_mismatch"),
        ({"sex": "M"}, "sex", "id_sex_mismatch"),
    ],
)
def test_bad_id_numbers_show_chinese_field_errors_and_save_nothing(client, clerk, election_a, group1, fields, field, code):
    client.force_login(clerk)
    response = client.post(reverse("voters:voter-create", args=[election_a.pk]), form_data(group=group1.pk, **fields))
    assert response.status_code == 200
    assert code in [e.code for e in response.context["form"].errors.as_data()[field]]
    message = response.context["form"].errors[field][0]
    assert message in soup(response).select_one("main form").get_text()
    assert not Voter.objects.exists()


def test_refused_person_is_saved_with_the_reason_and_a_warning(client, clerk, election_a, group1):
    client.force_login(clerk)
    data = form_data(group=group1.pk, born=date(2010, 5, 1))
    response = client.post(reverse("voters:voter-create", args=[election_a.pk]), data, follow=True)
    voter = Voter.objects.get()
    assert voter.status == Status.NOT_REGISTERED and "未满十八周岁" in voter.not_registered_reason
    assert "不予登记" in soup(response).select_one("#refusal").get_text()


def test_duplicate_in_another_village_is_a_field_error(client, clerk, election_a, election_b, group1):
    make_voter(election=election_b, name="王秀兰", sex="F", birth_date=date(1975, 3, 8), serial=7)
    client.force_login(clerk)
    response = client.post(reverse("voters:voter-create", args=[election_a.pk]), form_data(group=group1.pk))
    assert [e.code for e in response.context["form"].errors.as_data()["id_number"]] == ["duplicate_id"]
    assert "西岭村" in response.content.decode() and "王秀兰" not in response.content.decode()


def test_supervisor_may_not_enter_voters(client, supervisor, election_a, group1):
    client.force_login(supervisor)
    assert client.post(reverse("voters:voter-create", args=[election_a.pk]), form_data(group=group1.pk)).status_code == 403
    assert not Voter.objects.exists()


def test_other_village_liaison_gets_404(client, liaison_b, election_a, group1):
    client.force_login(liaison_b)
    assert client.post(reverse("voters:voter-create", args=[election_a.pk]), form_data(group=group1.pk)).status_code == 404


# ---------------------------------------------------------------- edit, detail


def edit_data(voter, **changes):
    data = form_data(
        born=voter.birth_date, id_sex=voter.sex, group=voter.group_id, name=voter.name, id_number=voter.id_number,
        version=voter.version,
    )  # fmt: skip
    data.update(changes)
    return data


def test_stale_edit_shows_the_conflict_and_keeps_the_first_save(client, clerk, election_a):
    voter = make_voter(election=election_a, name="王建国", serial=1)
    client.force_login(clerk)
    url = reverse("voters:voter-edit", args=[election_a.pk, voter.pk])
    assert client.post(url, edit_data(voter, name="王建华")).status_code == 302
    response = client.post(url, edit_data(voter, name="王建军"))
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == ["conflict"]
    assert "已被他人修改" in response.content.decode()
    assert Voter.objects.get().name == "王建华"


def test_edit_after_publication_asks_for_the_reason(client, clerk, election_a, time_machine):
    make_election_ready(election=election_a, by=clerk)
    voter = make_voter(election=election_a, name="王建国", serial=1)
    publish_list(election=election_a, by=clerk)
    time_machine.move_to(date(2026, 12, 22))
    client.force_login(clerk)
    url = reverse("voters:voter-edit", args=[election_a.pk, voter.pk])
    voter.refresh_from_db()
    response = client.post(url, edit_data(voter, name="王建华"))
    assert "amendment_reason" in response.context["form"].errors
    assert Voter.objects.get().name == "王建国"
    client.post(url, edit_data(voter, name="王建华", amendment_reason="姓名录入错误", effective_on="2026-12-22"))
    assert AmendmentBatch.objects.get().reason == "姓名录入错误"


def test_detail_links_to_the_history(client, clerk, election_a):
    voter = make_voter(election=election_a, name="王建国", serial=1)
    voter.phone = "13800000000"
    register.update_voter(by=clerk, voter=voter, expected_version=1, today=date(2026, 12, 1))
    client.force_login(clerk)
    page = soup(client.get(reverse("voters:voter-detail", args=[election_a.pk, voter.pk])))
    history = reverse("villages:object-history", args=["voters.voter", voter.pk])
    assert page.select_one(f'a[href="{history}"]') is not None
    # The clerk keeps the register, so the number is whole (who else sees it: test_id_visibility.py).
    assert page.select_one("#voter-id-number").get_text() == voter.id_number


def test_history_page_shows_the_voters_audit_entries(client, clerk, election_a, group1):
    client.force_login(clerk)
    client.post(reverse("voters:voter-create", args=[election_a.pk]), form_data(group=group1.pk))
    voter = Voter.objects.get()
    response = client.get(reverse("villages:object-history", args=["voters.voter", voter.pk]))
    assert "新增选民" in response.content.decode() and "voters.voter.created" not in response.content.decode()


def test_voter_of_another_election_is_404(client, clerk, election_a, election_b):
    voter = make_voter(election=election_b)
    client.force_login(clerk)
    assert client.get(reverse("voters:voter-detail", args=[election_a.pk, voter.pk])).status_code == 404


# ---------------------------------------------------------------- 补登 / 减


def test_remove_from_list_page(client, clerk, election_a, time_machine):
    make_election_ready(election=election_a, by=clerk)
    voter = make_voter(election=election_a, name="王建国", serial=1)
    make_voter(election=election_a, name="王秀兰", serial=2)
    publish_list(election=election_a, by=clerk)
    time_machine.move_to(date(2026, 12, 22))
    client.force_login(clerk)
    url = reverse("voters:voter-remove-from-list", args=[election_a.pk, voter.pk])
    response = client.post(url, {"effective_on": "2026-12-23", "reason": "死亡", "reason_code": "REM_DEAD"})
    assert [e.code for e in response.context["form"].errors.as_data()["effective_on"]] == ["effective_in_future"]
    client.post(url, {"effective_on": "2026-12-22", "reason": "死亡", "reason_code": "REM_DEAD"})
    assert Voter.objects.get(pk=voter.pk).listed_until == date(2026, 12, 22)
    assert AuditEntry.objects.filter(action="voters.voter.unlisted").count() == 1


# ---------------------------------------------------------------- 四增四减


def test_register_changes_against_last_term(client, clerk, township, election_a, village_a):
    old = make_campaign(township=township, by=clerk, term_number=11, day=date(2021, 12, 18)).elections.get(village=village_a)
    make_voter(election=old, name="王建国", serial=1)
    make_voter(election=old, name="赵老汉", serial=2, birth_date=date(1930, 1, 1))
    make_voter(election=election_a, name="王建国", serial=1)
    make_voter(election=election_a, name="王新", serial=3, birth_date=date(2005, 6, 1))
    client.force_login(clerk)
    page = soup(client.get(reverse("voters:register-changes", args=[election_a.pk])))
    assert page.select_one("#added-count").get_text() == "1" and page.select_one("#removed-count").get_text() == "1"
    assert "新满十八周岁" in page.select_one("#added").get_text()
    assert "待核实" in page.select_one("#removed").get_text()
    gone = Voter.objects.get(election=old, name="赵老汉")
    client.post(reverse("voters:register-change-reason", args=[election_a.pk]), {"voter": gone.pk, "reason_code": "REM_DEAD"})
    page = soup(client.get(reverse("voters:register-changes", args=[election_a.pk])))
    assert "死亡" in page.select_one("#removed").get_text()


def test_register_changes_without_a_previous_register(client, clerk, election_a):
    client.force_login(clerk)
    assert soup(client.get(reverse("voters:register-changes", args=[election_a.pk]))).select_one("#no-previous") is not None


@pytest.mark.parametrize("count", [2, 6])
def test_amendment_list_query_count_is_constant(client, clerk, election_a, django_assert_num_queries, count, time_machine):
    from voters.services.register import Amendment, unlist_voter

    make_election_ready(election=election_a, by=clerk)
    make_voters(election=election_a, count=count)
    publish_list(election=election_a, by=clerk)
    for voter in Voter.objects.filter(election=election_a):
        unlist_voter(by=clerk, voter=voter, amendment=Amendment(effective_on=date(2026, 12, 21), reason="迁出"), today=date(2026, 12, 21))
    client.force_login(clerk)
    with django_assert_num_queries(9):
        client.get(reverse("voters:amendment-list", args=[election_a.pk]))


@pytest.mark.parametrize("count", [5, 15])
def test_register_changes_query_count_is_constant(client, clerk, township, election_a, village_a, django_assert_num_queries, count):
    old = make_campaign(township=township, by=clerk, term_number=11, day=date(2021, 12, 18)).elections.get(village=village_a)
    make_voters(election=old, count=count)
    make_voters(election=election_a, count=count, start=count // 2)
    client.force_login(clerk)
    with django_assert_num_queries(14):
        client.get(reverse("voters:register-changes", args=[election_a.pk]))
