"""Importing rosters of last term's committee and of the Party branch."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from reports.models import Roster, RosterMember

SECRETARY_ID = "11010519491231002X"  # woman, born 1949-12-31
MEMBER_ID = "440524188001010014"


def roster_file(rows, header=("姓名", "身份证号", "职务", "政治面貌", "文化程度")):
    wb = Workbook()
    ws = wb.active
    ws.append(["东山村党组织委员会名册"])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("roster.xlsx", buffer.getvalue())


def post(client, village, file, kind="party_branch", term=11):
    return client.post(
        reverse("reports:roster-import"), {"village": village.pk, "kind": kind, "term_number": term, "file": file}
    )


def test_import_branch_roster(client, clerk, village_a):
    client.force_login(clerk)
    response = post(client, village_a, roster_file([("王书记", SECRETARY_ID, "党支部书记", "中共党员", "大专"), ("李委员", MEMBER_ID, "委员", "群众", "")]))
    roster = Roster.objects.get()
    assert response.url == reverse("reports:roster-detail", args=[roster.pk])
    secretary = roster.members.get(post="secretary")
    assert (secretary.sex, str(secretary.birth_date), secretary.political_status) == ("F", "1949-12-31", "01")
    assert roster.members.get(post="member").political_status == "13"


def test_bad_rows_are_listed_and_nothing_is_written(client, clerk, village_a):
    client.force_login(clerk)
    response = post(client, village_a, roster_file([("王书记", "340524198001010013", "书记"), ("", MEMBER_ID, "会计")]))
    rows = BeautifulSoup(response.content.decode(), "html.parser").select("#roster-problems tbody tr")
    texts = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in rows]
    assert [t[:2] for t in texts] == [["3", "公民身份号码"], ["4", "姓名"], ["4", "职务"]]
    assert "会计" in texts[2][2]
    assert Roster.objects.count() == 0 and RosterMember.objects.count() == 0


def test_reimport_replaces_members(client, clerk, village_a):
    client.force_login(clerk)
    post(client, village_a, roster_file([("王书记", SECRETARY_ID, "书记")]))
    post(client, village_a, roster_file([("李书记", MEMBER_ID, "书记")]))
    assert list(RosterMember.objects.values_list("name", flat=True)) == ["李书记"]


def test_xls_is_refused_with_advice(client, clerk, village_a):
    client.force_login(clerk)
    file = SimpleUploadedFile("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    response = post(client, village_a, file)
    assert "另存为 .xlsx" in response.content.decode()
    assert Roster.objects.count() == 0


def test_committee_roster_rejects_branch_posts(client, clerk, village_a):
    client.force_login(clerk)
    response = post(client, village_a, roster_file([("王书记", SECRETARY_ID, "书记")]), kind="village_committee", term=11)
    assert "职务“书记”无法识别" in response.content.decode()


@pytest.mark.parametrize("user_fixture", ["liaison_a", "supervisor"])
def test_only_office_staff_import(client, request, village_a, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert post(client, village_a, roster_file([("王书记", SECRETARY_ID, "书记")])).status_code == 403
