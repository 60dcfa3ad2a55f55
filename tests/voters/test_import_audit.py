"""An import logs each voter's change with its before and after, so every voter it touched has a history page."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.voters import workbooks as wb
from tests.voters.test_import_service import imported
from villages.models import AuditEntry, VillagerGroup
from voters.models import Voter

COUNT = 20


def _history(client, voter):
    return client.get(reverse("villages:object-history", kwargs={"model": "voters.voter", "pk": voter.pk}))


@pytest.fixture
def first_import(tmp_path, election_a, clerk):
    imported(tmp_path, election_a, clerk, [wb.person(n) for n in range(1, COUNT + 1)])
    return election_a


def test_import_logs_each_created_voter(first_import, clerk):
    voters = list(Voter.objects.filter(election=first_import))
    entries = AuditEntry.objects.filter(action="voters.import.voter_created")
    assert sorted(int(e.object_id) for e in entries) == sorted(v.pk for v in voters)
    voter = Voter.objects.get(name="村民3")
    entry = AuditEntry.objects.for_object(voter).get()
    assert (entry.actor, entry.village_id, entry.object_repr) == (clerk, first_import.village_id, str(voter))
    assert entry.changes["name"] == [None, "村民3"]
    assert entry.changes["group_id"] == [None, voter.group_id]
    assert entry.changes["id_number"] == [None, voter.id_number]
    assert entry.changes["birth_date"] == [None, voter.birth_date.isoformat()]


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
