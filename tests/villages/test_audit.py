"""The audit log: sign-ins, changes, filters, the Excel export, and who may read it."""

import io
import re

import pytest

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
    assert cells[1:6] == ["clerk", "乡镇选举办工作人员", "修改村", "东山村", "东山村"]
    assert cells[6] == "户数：0 → 120"


def test_audit_log_filters_by_action(client, clerk, village_a, village_b):
    services.save_village(by=clerk, village=village_a, expected_version=1)
    client.force_login(clerk)
    page = BeautifulSoup(client.get(reverse("villages:audit-log"), {"action": "voters."}).content.decode(), "html.parser")
    assert "没有符合条件的记录" in page.select_one("#audit-table").get_text()


def test_audit_export_is_a_workbook_and_is_itself_logged(client, supervisor, clerk, village_a):
    services.save_village(by=clerk, village=village_a, expected_version=1)
    client.force_login(supervisor)
    response = client.get(reverse("villages:audit-export"), {"action": "villages."})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]] == ["时间", "操作人", "角色", "操作", "对象", "村", "变更内容"]
    assert sheet.cell(row=3, column=4).value == "修改村"
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


def test_history_shows_actions_fields_and_coded_values_in_chinese(client, clerk, election_a):
    """Stage codes, field names and action codes all read as Chinese on the history page."""
    from villages.audit import log_action

    log_action(by=clerk, action="villages.election.stage_advanced", obj=election_a,
               changes={"stage": ["preparation", "registration"], "woman_seat_reserved": [False, True]})
    client.force_login(clerk)
    history = client.get(reverse("villages:object-history", args=["villages.election", election_a.pk]))
    text = BeautifulSoup(history.content.decode(), "html.parser").select_one("table").get_text(strip=True)
    assert "进入下一阶段" in text
    assert "阶段：准备 → 选民登记" in text
    assert "设妇女委员专职：否 → 是" in text
    assert "stage" not in text and "registration" not in text and "stage_advanced" not in text


def _action_codes_in_source() -> set[str]:
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    pattern = re.compile(r'"((?:villages|voters|candidates|ballots|archive|reports)\.[a-z_]+\.[a-z_]+|auth\.[a-z_]+)"')
    codes = set()
    for app in ("villages", "voters", "candidates", "ballots", "archive", "reports"):
        for path in (root / app).rglob("*.py"):
            codes.update(pattern.findall(path.read_text(encoding="utf-8")))
    # Names of extension points and signal receivers, not actions.
    return codes - {"ballots.result_statuses", "villages.audit.login", "villages.audit.login_failed",
                    "villages.audit.logout"}


def test_every_action_code_in_the_code_has_a_chinese_label():
    from villages.audit_labels import OTHER_ACTION, action_label

    codes = _action_codes_in_source()
    assert len(codes) > 80
    unlabelled = {code for code in codes if action_label(code) == OTHER_ACTION or re.search("[A-Za-z]", action_label(code))}
    assert not unlabelled


@pytest.mark.parametrize("code,label", [
    ("voters.voter.updated", "修改选民信息"),
    ("villages.seats.created", "新增代表名额"),  # composed from verb and object
    ("something.odd", "其他操作"),
])
def test_action_label(code, label):
    from villages.audit_labels import action_label

    assert action_label(code) == label


def test_changed_field_names_of_every_model_read_as_chinese():
    from django.apps import apps

    from villages.audit_labels import field_label

    for model in apps.get_models():
        if model._meta.app_label not in ("villages", "voters", "candidates", "ballots", "archive", "reports"):
            continue
        for field in model._meta.concrete_fields:
            label = field_label(model, field.name)
            assert not re.search("[A-Za-z]", label), (model, field.name, label)


def test_an_entry_for_many_created_objects_gives_each_its_own_changes(clerk, village_a):
    """``log_created_together`` writes one entry; each object's part reads as an entry of its own would
    (``[null, value]`` for every value entered), its text is the model's, and only that object's history has it."""
    from villages.audit import history_of, is_together, log_created_together, object_changes, together_parts
    from villages.models import Village

    other = Village.objects.create(township=village_a.township, name="南坡村", code="330102001999")
    fields = ("name", "code", "population", "is_multiethnic", "township_id")
    values = {
        village_a.pk: ['王"小\\明"\n=HYPERLINK()', "", 0, False, village_a.township_id],
        other.pk: ["南坡村", "330102001999", None, True, village_a.township_id],
    }
    written = log_created_together(by=clerk, action="villages.village.created", model=Village, text="两个村",
                                   fields=fields, objects=values, township_id=village_a.township_id)

    entry = AuditEntry.objects.get(action="villages.village.created")
    assert (written, entry.object_id, entry.object_repr, entry.actor, is_together(entry)) == (1, "", "两个村", clerk, True)
    assert object_changes(entry, village_a.pk) == {
        "name": [None, '王"小\\明"\n=HYPERLINK()'], "population": [None, 0], "is_multiethnic": [None, False],
        "township_id": [None, village_a.township_id]}
    assert list(object_changes(entry, other.pk)) == ["name", "code", "is_multiethnic", "township_id"]
    assert [(pk, text) for pk, text, _changes in together_parts(entry)] == [
        (str(village_a.pk), '王"小\\明"\n=HYPERLINK()'), (str(other.pk), "南坡村")]
    # Village.audit_scope() is its township and itself: the entry, written for the township, is in neither
    # village's scope; written for the village, it is in that village's history only.
    assert not history_of(village_a).exists()
    AuditEntry.objects.filter(pk=entry.pk).update(village=village_a)
    assert list(history_of(village_a)) == [entry]
    assert not history_of(other).exists()
    with pytest.raises(TypeError):
        log_created_together(by=clerk, action="x", model=Village, text="", fields=("population",),
                             objects={1: [1.5j]})


