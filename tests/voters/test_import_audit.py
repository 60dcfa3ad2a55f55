"""An import logs each voter's change with its before and after, so every voter it touched has a history page."""

from __future__ import annotations

import io
import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from openpyxl import load_workbook

from tests.voters import workbooks as wb
from tests.voters.test_import_service import imported
from villages.audit import history_of, object_changes, together_count, together_parts
from villages.models import AuditEntry, VillagerGroup
from voters.models import Voter
from voters.services import imports as service

COUNT = 20


def _history(client, voter):
    return client.get(reverse("villages:object-history", kwargs={"model": "voters.voter", "pk": voter.pk}))


@pytest.fixture
def first_import(tmp_path, election_a, clerk, monkeypatch):
    monkeypatch.setattr(service, "WRITE_CHUNK", 7)  # 20 new voters: chunks of 7, 7 and 6
    imported(tmp_path, election_a, clerk, [wb.person(n) for n in range(1, COUNT + 1)], name="名单.xlsx")
    return election_a


def test_import_logs_each_created_voter_with_its_values(first_import, clerk):
    """One entry for each chunk of new voters holds each one's values; each voter's history finds its part."""
    voters = list(Voter.objects.filter(election=first_import))
    entries = list(AuditEntry.objects.filter(action="voters.import.voters_created").order_by("id"))
    assert [together_count(e) for e in entries] == [7, 7, 6]
    assert [e.object_repr for e in entries] == [f"导入《名单.xlsx》新增的{n}名选民" for n in (7, 7, 6)]
    parts = {int(pk): (text, changes) for e in entries for pk, text, changes in together_parts(e)}
    assert sorted(parts) == sorted(v.pk for v in voters)
    for voter in voters:  # each voter's own values under its own id
        text, changes = parts[voter.pk]
        assert (text, changes["id_number"], changes["name"]) == (str(voter), [None, voter.id_number], [None, voter.name])
    for entry in entries:
        assert (entry.actor, entry.village_id, entry.object_id) == (clerk, first_import.village_id, "")

    voter = Voter.objects.get(name="村民3")
    entry = history_of(voter).get()
    changes = object_changes(entry, voter.pk)
    assert changes["name"] == [None, "村民3"]
    assert changes["group_id"] == [None, voter.group_id]
    assert changes["id_number"] == [None, voter.id_number]
    assert changes["birth_date"] == [None, voter.birth_date.isoformat()]
    assert changes["lives_in_village"] == [None, True]
    assert "remarks" not in changes  # nothing was entered: no change to record
    assert dict(((pk, text) for pk, text, _c in together_parts(entry)))[str(voter.pk)] == str(voter)


def test_each_created_voter_has_a_history_page_and_a_row_of_its_own_in_the_export(first_import, clerk, supervisor,
                                                                                  client):
    voter = Voter.objects.get(name="村民9")
    client.force_login(clerk)
    rows = BeautifulSoup(_history(client, voter).content, "html.parser").select("tbody tr")
    assert [row.select("td")[2].get_text(strip=True) for row in rows] == ["导入新增选民"]
    shown = [div.get_text() for div in rows[0].select("td")[3].select("div")]
    assert shown[:3] == ["姓名：（空） → 村民9", "性别：（空） → 男", "民族：（空） → 汉族"]
    assert "政治面貌：（空） → 群众" in shown
    assert f"村民小组：（空） → {voter.group.name}" in shown  # the group's name, not its id
    assert f"出生日期：（空） → {voter.birth_date.year}-**-**" in shown
    assert f"公民身份号码：（空） → {voter.masked_id_number}" in shown

    client.force_login(supervisor)
    screen = BeautifulSoup(client.get(reverse("villages:audit-log"), {"action": "voters."}).content, "html.parser")
    created = [row for row in screen.select("#audit-table tbody tr") if "导入新增选民" in row.get_text()]
    assert len(created) == 3  # one row per entry on the screen
    assert "等7条" in created[-1].get_text()
    confirmed = [row for row in screen.select("#audit-table tbody tr") if "确认导入选民名单" in row.get_text()]
    assert "统计：（空） → 新增：20，更新：0，未变：0" in confirmed[0].get_text()
    assert not re.search("[A-Za-z]", confirmed[0].select("td")[-1].get_text().replace("xlsx", ""))
    sheet = load_workbook(io.BytesIO(client.get(reverse("villages:audit-export"), {"action": "voters."}).content)).active
    exported = {row[4]: row[6] for row in sheet.iter_rows(min_row=3, values_only=True) if row[3] == "导入新增选民"}
    assert len(exported) == COUNT
    assert set(exported) == {str(v) for v in Voter.objects.filter(election=first_import)}
    text = exported[str(voter)]
    assert text.startswith("姓名：（空） → 村民9；性别：（空） → 男；")
    assert voter.id_number not in text and f"公民身份号码：（空） → {voter.masked_id_number}" in text
    assert f"出生日期：（空） → {voter.birth_date.year}-**-**" in text
    assert f"村民小组：（空） → {voter.group.name}；" in text


def test_import_that_renames_and_regroups_logs_each_voter_before_and_after(tmp_path, first_import, clerk, client):
    groups = dict(VillagerGroup.objects.filter(village=first_import.village).values_list("name", "pk"))
    before = {v.id_number: v for v in Voter.objects.filter(election=first_import)}
    renamed = [wb.person(n, 姓名=f"新名{n}", 村民小组=f"第{2 - n % 2}组") for n in range(1, COUNT + 1)]

    job = imported(tmp_path, first_import, clerk, renamed, name="更正.xlsx")

    assert job.counts["written"]["updated"] == COUNT
    entries = {int(e.object_id): e for e in AuditEntry.objects.filter(action="voters.import.voter_updated")}
    assert len(entries) == COUNT
    for n, person in enumerate(renamed, start=1):
        old = before[person["公民身份号码"]]
        changes = entries[old.pk].changes
        assert changes["name"] == [f"村民{n}", f"新名{n}"]
        assert changes["group_id"] == [old.group_id, groups[f"第{2 - n % 2}组"]]
        assert entries[old.pk].object_repr.startswith(f"新名{n}")
        assert set(changes) == {"name", "group_id"}

    client.force_login(clerk)
    voter = Voter.objects.get(name="新名5")
    response = _history(client, voter)
    assert response.status_code == 200
    rows = BeautifulSoup(response.content, "html.parser").select("tbody tr")
    assert [row.select("td")[2].get_text(strip=True) for row in rows] == ["导入修改选民信息", "导入新增选民"]
    assert "村民5 → 新名5" in rows[0].get_text()
