"""The audit log: sign-ins, changes, filters, the Excel export, and who may read it."""

import io

from bs4 import BeautifulSoup
from django.urls import reverse
from openpyxl import load_workbook

from villages import services
from villages.models import AuditEntry


def test_sign_in_and_failed_sign_in_are_logged(client, clerk):
    client.post(reverse("login"), {"username": "clerk", "password": "wrong"})
    client.post(reverse("login"), {"username": "clerk", "password": "Test#Pass2026"})
    failed = AuditEntry.objects.get(action="auth.login_failed")
    assert failed.changes["username"] == [None, "clerk"]
    assert AuditEntry.objects.get(action="auth.login").actor == clerk


def test_audit_log_lists_changes_with_before_and_after(client, clerk, village_a):
    village_a.households = 120
    services.save_village(by=clerk, village=village_a, expected_version=village_a.version)
    client.force_login(clerk)
    response = client.get(reverse("villages:audit-log"), {"action": "villages."})
    page = BeautifulSoup(response.content.decode(), "html.parser")
    [row] = page.select("#audit-table tbody tr")
    cells = [td.get_text(strip=True) for td in row.find_all("td")]
    assert cells[1:6] == ["clerk", "乡镇选举办工作人员", "villages.village.updated", "东山村", "东山村"]
    assert cells[6] == "households：0 → 120"


def test_audit_log_filters_by_action(client, clerk, village_a, village_b):
    services.save_village(by=clerk, village=village_a, expected_version=1)
    client.force_login(clerk)
    page = BeautifulSoup(client.get(reverse("villages:audit-log"), {"action": "voters."}).content.decode(), "html.parser")
    assert "没有符合条件的记录" in page.select_one("#audit-table").get_text()


def test_audit_export_is_a_workbook_and_is_itself_logged(client, supervisor, clerk, village_a):
    services.save_village(by=clerk, village=village_a, expected_version=1)
    client.force_login(supervisor)
    response = client.get(reverse("villages:audit-export"), {"action": "villages.village"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]] == ["时间", "操作人", "角色", "操作", "对象", "村", "变更内容"]
    assert sheet.cell(row=3, column=4).value == "villages.village.updated"
    assert sheet.freeze_panes == "A3"
    assert AuditEntry.objects.filter(action="villages.audit.exported", actor=supervisor).count() == 1


def test_other_townships_entries_are_not_shown(client, clerk, other_village):
    services.save_village(by=None, village=other_village, expected_version=1)
    client.force_login(clerk)
    page = client.get(reverse("villages:audit-log")).content.decode()
    assert "白水村" not in page


def test_id_numbers_are_masked_on_the_audit_screen_and_history(client, supervisor, clerk, village_a):
    from villages.audit import log_action

    log_action(by=clerk, action="voters.voter.updated", obj=village_a,
               changes={"id_number": ["11010519491231002X", "440524188001010014"]})
    client.force_login(supervisor)
    screen = client.get(reverse("villages:audit-log"), {"action": "voters."}).content.decode()
    history = client.get(reverse("villages:object-history", args=["villages.village", village_a.pk])).content.decode()
    for page in (screen, history):
        assert "11010519491231002X" not in page and "440524188001010014" not in page
        assert "110105********002X" in page
