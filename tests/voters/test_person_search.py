"""查找选民 across the villages a user may see (issue 13: a county supervisor searches a person by name
or ID number, masked per role)."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.builders import make_campaign, make_user, make_voter
from villages.models import AuditEntry, Role


@pytest.fixture
def people(campaign, election_a, election_b, other_village, clerk):
    other_campaign = make_campaign(township=other_village.township, by=make_user(
        username="other_clerk", role=Role.CLERK, township=other_village.township))
    return {
        "a": make_voter(election=election_a, name="陈国华", birth_date=date(1975, 6, 1)),
        "b": make_voter(election=election_b, name="陈秀英", sex="F", birth_date=date(1980, 2, 2), serial=2),
        "other": make_voter(election=other_campaign.elections.get(), name="陈国强", birth_date=date(1970, 1, 1),
                            serial=3),
    }


def results(client, q):
    page = BeautifulSoup(client.get(reverse("voters:person-search"), {"q": q}).content.decode(), "html.parser")
    return [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in page.select("#person-results tbody tr")]


def test_name_search_spans_every_visible_village_but_no_other(client, supervisor, people):
    client.force_login(supervisor)
    names = {row[0]: row[5] for row in results(client, "陈")}
    assert names == {"陈国华": "东山村", "陈秀英": "西岭村"}  # 陈国强 is in another county's township


def test_liaison_finds_only_their_villages(client, liaison_a, people):
    client.force_login(liaison_a)
    assert [row[0] for row in results(client, "陈")] == ["陈国华"]


def test_search_by_whole_number_shows_it_masked_and_is_logged(client, supervisor, people):
    number = people["b"].id_number
    client.force_login(supervisor)
    [row] = results(client, number)
    assert row[0] == "陈秀英" and row[3] == number[:6] + "********" + number[-4:]
    entry = AuditEntry.objects.get(action="voters.person.searched")
    assert entry.changes["id_number"][1] == number[:6] + "********" + number[-4:]


def test_beginning_of_a_number_finds_nobody(client, clerk, people):
    client.force_login(clerk)
    assert results(client, people["a"].id_number[:14]) == [["没有找到。"]]


def test_excel_float_text_is_not_an_error(client, clerk, people):
    client.force_login(clerk)
    assert results(client, "3.30102198001011E+17") == [["没有找到。"]]
