"""villages/middleware.py: a NUL character in a query parameter, a form field or an upload's name is
dropped before any view sees it (PostgreSQL refuses NUL in text: the searches were a 500)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.http import QueryDict
from django.urls import reverse

from tests.voters import workbooks as wb
from villages.middleware import clean_query_dict
from villages.models import Village
from voters.models import ImportJob


def names(response):
    """The second column (the name) of the list's rows."""
    assert response.status_code == 200, response.status_code
    page = BeautifulSoup(response.content.decode(), "html.parser")
    return [tr.find_all("td")[1].get_text(strip=True) for tr in page.select("table tbody tr") if len(tr.find_all("td")) > 1]


def test_clean_query_dict_drops_nul_from_names_and_values():
    cleaned = clean_query_dict(QueryDict("q=%E4%B8%9C%00%E5%B1%B1&a%00b=1&a%00b=2%00"))
    assert cleaned.getlist("q") == ["东山"] and cleaned.getlist("ab") == ["1", "2"]
    assert not cleaned._mutable


def test_clean_query_dict_keeps_a_clean_dict_as_it_is():
    data = QueryDict("q=%E4%B8%9C%E5%B1%B1")
    assert clean_query_dict(data) is data


def test_village_search_with_a_nul_finds_the_village(client, clerk, village_a, village_b):
    client.force_login(clerk)
    assert names(client.get(reverse("villages:village-list"), {"q": "东山\x00"})) == ["东山村"]


def test_township_search_with_a_nul_finds_the_township(client, admin_user, township):
    client.force_login(admin_user)
    assert names(client.get(reverse("villages:township-list"), {"q": "\x00青山"})) == ["青山镇"]


def test_voter_search_with_a_nul_is_not_an_error(client, clerk, election_a):
    client.force_login(clerk)
    assert client.get(reverse("voters:voter-list", args=[election_a.pk]), {"q": "张\x00"}).status_code == 200


def test_form_field_with_a_nul_is_saved_without_it(client, clerk, village_a):
    client.force_login(clerk)
    data = {"name": "东山\x00新村", "code": village_a.code, "population": 10, "households": 5, "natural_villages": 1,
            "version": 1}
    assert client.post(reverse("villages:village-edit", args=[village_a.pk]), data).status_code == 302
    assert Village.objects.get(pk=village_a.pk).name == "东山新村"


def test_uploaded_file_name_with_a_nul_is_stored_without_it(client, clerk, election_a, tmp_path):
    """A browser may send the name RFC 2231-encoded (filename*=UTF-8''…), where %00 decodes to NUL.
    Django's parser drops it; this guards that the import never stores one."""
    client.force_login(clerk)
    content = wb.voters_workbook(tmp_path / "x.xlsx", [wb.person(1)]).read_bytes()
    boundary = "BoUnDaRy"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''%E5%90%8D%E5%8D%95%00.xlsx"
            f"\r\nContent-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    response = client.generic("POST", reverse("voters:import-upload", args=[election_a.pk]), body,
                              content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ImportJob.objects.get().filename == "名单.xlsx"


@pytest.mark.parametrize("url_name", ["villages:village-list", "villages:township-list"])
def test_search_parameter_name_with_a_nul_is_not_an_error(client, admin_user, township, url_name):
    client.force_login(admin_user)
    assert client.get(reverse(url_name) + "?q%00=1&page=%00").status_code == 200
