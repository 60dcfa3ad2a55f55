"""``manage.py import_voters``: the same service as the browser, from the command line."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from tests.voters import workbooks as wb
from villages.models import AuditEntry
from voters.models import ImportJob, Voter


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_voters", *map(str, args), stdout=out)
    return out.getvalue()


def test_imports_a_clean_list_and_prints_counts(tmp_path, election_a, clerk):
    path = wb.voters_workbook(tmp_path / "a.xlsx", [wb.person(1), wb.person(2)])
    output = run(election_a.pk, path, "--user", "clerk")
    assert "共2行：新登记2" in output and "新登记2人" in output
    assert Voter.objects.filter(election=election_a).count() == 2
    assert AuditEntry.objects.get(action="voters.import.confirmed").actor == clerk


def test_running_twice_is_idempotent(tmp_path, election_a, clerk):
    path = wb.voters_workbook(tmp_path / "a.xlsx", [wb.person(1), wb.person(2)])
    run(election_a.pk, path, "--user", "clerk")
    output = run(election_a.pk, path, "--user", "clerk")
    assert "无变化2" in output
    assert Voter.objects.count() == 2


def test_dry_run_checks_and_writes_nothing(tmp_path, election_a, admin_user):
    path = wb.voters_workbook(tmp_path / "a.xlsx", [wb.person(1)])
    output = run(election_a.pk, path, "--dry-run")
    assert "--dry-run" in output
    assert Voter.objects.count() == 0
    # The checked job cannot be confirmed afterwards, in the browser or elsewhere.
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.CHECKED_ONLY
    from django.core.exceptions import ValidationError

    from voters.services.imports import confirm_import

    with pytest.raises(ValidationError) as refused:
        confirm_import(by=admin_user, job=job)
    assert refused.value.code == "job_not_pending" and Voter.objects.count() == 0


def test_errors_are_listed_and_exit_non_zero(tmp_path, election_a, admin_user, capsys):
    path = wb.voters_workbook(tmp_path / "a.xlsx", [wb.person(1), wb.person(2, 村民小组="第9组")])
    with pytest.raises(CommandError, match="1处错误"):
        call_command("import_voters", str(election_a.pk), str(path))
    assert "第3行 村民小组 [错误 group_unknown]" in capsys.readouterr().out
    assert Voter.objects.count() == 0


def test_xls_file_is_refused_with_the_readers_message(tmp_path, election_a, admin_user):
    path = tmp_path / "old.xls"
    path.write_bytes(wb.xls_bytes())
    with pytest.raises(CommandError, match="另存为 .xlsx"):
        run(election_a.pk, path)


def test_unknown_election_or_file_is_an_error(tmp_path, election_a, admin_user):
    with pytest.raises(CommandError, match="没有编号为999999"):
        run(999999, tmp_path / "a.xlsx")
    with pytest.raises(CommandError, match="找不到文件"):
        run(election_a.pk, tmp_path / "missing.xlsx")


def test_certified_between_check_and_write_is_refused_with_the_lock_message(tmp_path, election_a, clerk, monkeypatch):
    from django.utils import timezone

    from villages.access import CERTIFIED
    from villages.models import Election
    from voters.services import imports as service

    start = service.start_import

    def start_then_certify(**kwargs):
        job = start(**kwargs)
        Election.objects.filter(pk=election_a.pk).update(certified_at=timezone.now())
        return job

    monkeypatch.setattr(service, "start_import", start_then_certify)
    path = wb.voters_workbook(tmp_path / "a.xlsx", [wb.person(1)])
    with pytest.raises(CommandError, match=CERTIFIED):
        run(election_a.pk, path, "--user", "clerk")
    assert Voter.objects.count() == 0


@pytest.mark.parametrize("username,refusal", [
    ("supervisor", "不能修改"),  # read-only role
    ("liaison_b", "不能查看"),  # another village's liaison officer
])
def test_user_goes_through_the_same_access_rules_as_the_pages(tmp_path, election_a, supervisor, liaison_b,
                                                             username, refusal):
    path = wb.voters_workbook(tmp_path / "a.xlsx", [wb.person(1)])
    with pytest.raises(CommandError, match=refusal):
        run(election_a.pk, path, "--user", username)
    assert not ImportJob.objects.exists() and Voter.objects.count() == 0


def test_liaison_of_the_village_may_import(tmp_path, election_a, liaison_a):
    path = wb.voters_workbook(tmp_path / "a.xlsx", [wb.person(1)])
    run(election_a.pk, path, "--user", "liaison_a")
    assert Voter.objects.count() == 1
