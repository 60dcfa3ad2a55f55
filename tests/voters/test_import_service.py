"""The import service (voters/services/imports.py): upload → preview → confirm against the database."""

from __future__ import annotations

import gzip
import io
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.db.models import F
from django.utils import timezone

from tests.voters import workbooks as wb
from villages.models import AuditEntry
from voters import registrations
from voters.models import ImportJob, Status, Voter
from voters.services import imports as service
from voters.workbook_writer import ERROR_FILL


def upload(path):
    return ContentFile(path.read_bytes(), name=path.name)


def preview(tmp_path, election, by, people, *, name="名单.xlsx", background=False) -> ImportJob:
    path = wb.voters_workbook(tmp_path / name, people)
    return service.start_import(by=by, election=election, upload=upload(path), filename=name, background=background)


def imported(tmp_path, election, by, people, **kwargs) -> ImportJob:
    job = preview(tmp_path, election, by, people, **kwargs)
    assert job.state == ImportJob.State.PREVIEW, job.issues
    return service.confirm_import(by=by, job=job)


def error_codes(job: ImportJob) -> list[str]:
    return [issue["code"] for issue in job.issues if issue["level"] == "error"]


def test_preview_writes_nothing_and_confirm_registers_every_voter(tmp_path, election_a, clerk):
    job = preview(tmp_path, election_a, clerk, [wb.person(1), wb.person(2), wb.person(3, 备注="低保户")])
    assert (job.state, job.counts["new"], job.counts["rows"], job.counts["errors"]) == ("preview", 3, 3, 0)
    assert Voter.objects.count() == 0

    job = service.confirm_import(by=clerk, job=job)

    assert job.state == ImportJob.State.CONFIRMED
    assert job.counts["written"] == {"created": 3, "updated": 0, "unchanged": 0}
    voter = Voter.objects.select_related("group").get(id_number=wb.person(3)["公民身份号码"])
    assert (voter.name, voter.sex, voter.birth_date, voter.group.name) == ("村民3", "M", date(1963, 4, 4), "第2组")
    assert (voter.category, voter.status, voter.remarks, voter.version) == (
        "HUJI_RESIDENT", Status.REGISTERED, "低保户", 1)
    assert (voter.campaign_id, voter.election_id, voter.has_political_rights, voter.lives_in_village) == (
        election_a.campaign_id, election_a.pk, True, True)
    assert voter.created_at is not None and abs(voter.created_at - timezone.now()).total_seconds() < 60
    entry = AuditEntry.objects.get(action="voters.import.confirmed")
    assert entry.changes["counts"] == {"created": 3, "updated": 0, "unchanged": 0}
    assert (entry.actor, entry.village_id) == (clerk, election_a.village_id)


def test_nothing_is_written_while_any_row_has_an_error(tmp_path, election_a, clerk):
    job = preview(tmp_path, election_a, clerk, [wb.person(1), wb.person(2, 村民小组="第9组"), wb.person(3)])
    assert job.state == ImportJob.State.REJECTED
    assert (job.counts["new"], job.counts["error"], error_codes(job)) == (2, 1, ["group_unknown"])
    with pytest.raises(ValidationError) as caught:
        service.confirm_import(by=clerk, job=job)
    assert caught.value.code == "job_not_pending"
    assert Voter.objects.count() == 0


def test_reimporting_the_same_file_changes_and_duplicates_nothing(tmp_path, election_a, clerk):
    people = [wb.person(n) for n in range(1, 6)]
    imported(tmp_path, election_a, clerk, people)
    again = preview(tmp_path, election_a, clerk, people, name="again.xlsx")
    assert (again.state, again.counts["unchanged"], again.counts["new"]) == ("preview", 5, 0)
    service.confirm_import(by=clerk, job=again)
    assert Voter.objects.count() == 5
    assert set(Voter.objects.values_list("version", flat=True)) == {1}


def test_corrected_file_updates_the_registered_voters(tmp_path, election_a, clerk):
    imported(tmp_path, election_a, clerk, [wb.person(1), wb.person(2)])
    corrected = [wb.person(1, 联系电话="13911112222", 村民小组="第1组"), wb.person(2), wb.person(3)]
    job = preview(tmp_path, election_a, clerk, corrected, name="corrected.xlsx")
    assert (job.counts["new"], job.counts["updated"], job.counts["unchanged"]) == (1, 1, 1)
    assert [i["message"] for i in job.issues if i["code"] == "row_updated"] == ["将更新：村民小组、联系电话。"]

    job = service.confirm_import(by=clerk, job=job)

    assert job.counts["written"] == {"created": 1, "updated": 1, "unchanged": 1}
    voter = Voter.objects.select_related("group").get(name="村民1")
    assert (voter.phone, voter.group.name, voter.version) == ("13911112222", "第1组", 2)
    assert Voter.objects.count() == 3


def test_person_registered_in_another_village_of_the_round_is_an_error_naming_no_village(
    tmp_path, election_a, election_b, clerk
):
    """The findings are shown to the village's liaison officers too: whom to call, not where."""
    imported(tmp_path, election_a, clerk, [wb.person(1)])
    job = preview(tmp_path, election_b, clerk, [wb.person(1), wb.person(2)], name="b.xlsx")
    assert (job.state, error_codes(job)) == ("rejected", ["registered_elsewhere"])
    assert "东山村" not in job.issues[0]["message"] and "村民1" not in job.issues[0]["message"]
    assert "其他村登记" in job.issues[0]["message"] and "乡镇选举办公室" in job.issues[0]["message"]
    assert Voter.objects.filter(election=election_b).count() == 0


def test_duplicate_rows_in_the_file_show_both_row_numbers(tmp_path, election_a, clerk):
    job = preview(tmp_path, election_a, clerk, [wb.person(1), wb.person(2), wb.person(1, 姓名="重复")])
    assert job.state == ImportJob.State.REJECTED
    found = sorted((i["row"], i["message"]) for i in job.issues if i["code"] == "duplicate_in_file")
    assert [row for row, _ in found] == [2, 4]
    assert "4" in found[0][1] and "2" in found[1][1]


@pytest.mark.parametrize("content,filename,code", [
    (wb.xls_bytes(), "名单.xls", "xls_not_supported"),
    (wb.xls_bytes(), "名单.xlsx", "xls_not_supported"),
    (wb.csv_bytes(), "名单.csv", "csv_not_supported"),
    (wb.png_bytes(), "照片.xlsx", "not_excel"),
    (wb.encrypted_xlsx_bytes(), "名单.xlsx", "encrypted_workbook"),
    (b"", "名单.xlsx", "empty_file"),
])
def test_files_that_are_not_xlsx_are_refused_saying_what_to_do(election_a, clerk, content, filename, code):
    with pytest.raises(ValidationError) as caught:
        service.start_import(by=clerk, election=election_a, upload=ContentFile(content), filename=filename)
    assert caught.value.code == code
    assert "xlsx" in caught.value.messages[0] or code == "empty_file"
    assert ImportJob.objects.get().state == ImportJob.State.FAILED
    assert Voter.objects.count() == 0


def test_workbook_without_required_columns_is_refused(tmp_path, election_a, clerk):
    path = wb.missing_columns_workbook(tmp_path / "a.xlsx")
    with pytest.raises(ValidationError) as caught:
        service.start_import(by=clerk, election=election_a, upload=upload(path), filename="a.xlsx")
    assert caught.value.code == "missing_columns"


def test_confirm_rechecks_an_id_number_registered_elsewhere_meanwhile(tmp_path, election_a, election_b, clerk):
    job = preview(tmp_path, election_a, clerk, [wb.person(1), wb.person(2)])
    imported(tmp_path, election_b, clerk, [wb.person(2)], name="b.xlsx")

    with pytest.raises(ValidationError) as caught:
        service.confirm_import(by=clerk, job=job)

    assert caught.value.code == "conflict"
    job.refresh_from_db()
    assert job.state == ImportJob.State.REJECTED
    assert [(i["row"], i["code"]) for i in job.issues if i["level"] == "error"] == [(3, "taken_meanwhile")]
    assert "西岭村" not in job.issues[0]["message"] and "乡镇选举办公室" in job.issues[0]["message"]
    assert Voter.objects.filter(election=election_a).count() == 0
    assert not AuditEntry.objects.filter(action="voters.import.confirmed", village=election_a.village).exists()


def test_confirm_rechecks_a_voter_changed_meanwhile(tmp_path, election_a, clerk):
    imported(tmp_path, election_a, clerk, [wb.person(1)])
    job = preview(tmp_path, election_a, clerk, [wb.person(1, 联系电话="13911112222")], name="fix.xlsx")
    Voter.objects.update(version=F("version") + 1, phone="13700000000")

    with pytest.raises(ValidationError):
        service.confirm_import(by=clerk, job=job)

    job.refresh_from_db()
    assert [i["code"] for i in job.issues][:1] == ["changed_meanwhile"]
    assert Voter.objects.get().phone == "13700000000"


def test_confirm_rechecks_a_voter_added_to_the_village_meanwhile(tmp_path, election_a, clerk):
    job = preview(tmp_path, election_a, clerk, [wb.person(1)])
    imported(tmp_path, election_a, clerk, [wb.person(1)], name="other.xlsx")
    with pytest.raises(ValidationError):
        service.confirm_import(by=clerk, job=job)
    job.refresh_from_db()
    assert job.issues[0]["code"] == "added_meanwhile"
    assert Voter.objects.count() == 1


def test_registration_racing_the_insert_is_refused_whole(tmp_path, election_a, election_b, clerk, monkeypatch):
    job = preview(tmp_path, election_a, clerk, [wb.person(1), wb.person(2)])
    imported(tmp_path, election_b, clerk, [wb.person(2)], name="b.xlsx")
    monkeypatch.setattr(service, "_conflict", lambda *args: None)  # as if the other insert came after the re-check

    with pytest.raises(ValidationError) as caught:
        service.confirm_import(by=clerk, job=job)

    assert caught.value.code == "conflict"
    job.refresh_from_db()
    assert (job.state, job.issues[0]["code"]) == ("rejected", "race")
    assert Voter.objects.filter(election=election_a).count() == 0


def test_a_conflict_in_a_later_chunk_writes_nothing_and_every_conflict_is_listed(
    tmp_path, election_a, election_b, clerk, monkeypatch
):
    """The rows are checked and written in one pass, a chunk at a time: the chunks written before the
    first conflict are rolled back, and the rows after it are still checked."""
    monkeypatch.setattr(service, "WRITE_CHUNK", 2)
    people = [wb.person(n) for n in range(1, 8)]
    job = preview(tmp_path, election_a, clerk, people)
    imported(tmp_path, election_b, clerk, [people[4], people[6]], name="b.xlsx")

    with pytest.raises(ValidationError):
        service.confirm_import(by=clerk, job=job)

    job.refresh_from_db()
    assert [(i["row"], i["code"]) for i in job.issues if i["level"] == "error"] == [
        (6, "taken_meanwhile"), (8, "taken_meanwhile")]
    assert not Voter.objects.filter(election=election_a).exists()
    assert not AuditEntry.objects.filter(village=election_a.village, action="voters.import.voters_created").exists()


def test_a_registration_racing_a_chunk_gives_way_to_a_conflict_found_after_it(
    tmp_path, election_a, election_b, clerk, monkeypatch
):
    """As when every row was re-checked before anything was written: a conflict the re-check finds
    is told, not the race."""
    monkeypatch.setattr(service, "WRITE_CHUNK", 2)
    people = [wb.person(n) for n in range(1, 8)]
    job = preview(tmp_path, election_a, clerk, people)
    imported(tmp_path, election_b, clerk, [people[2], people[5]], name="b.xlsx")
    conflict = service._conflict
    monkeypatch.setattr(service, "_conflict", lambda row, *args: None if row == 4 else conflict(row, *args))

    with pytest.raises(ValidationError):
        service.confirm_import(by=clerk, job=job)

    job.refresh_from_db()
    assert [(i["row"], i["code"]) for i in job.issues if i["level"] == "error"] == [(7, "taken_meanwhile")]
    assert not Voter.objects.filter(election=election_a).exists()


def test_rows_saved_one_to_a_line_before_are_confirmed(tmp_path, election_a, clerk):
    """A preview made before the rows file held several rows to a line is still confirmed."""
    job = preview(tmp_path, election_a, clerk, [wb.person(1), wb.person(2)])
    saved = list(service._saved_rows(job))
    with job.source.storage.open(service._rows_name(job), "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb") as out:
        for row, outcome, voter_id, version, changed, values in saved:
            out.write(service._line([row, outcome, voter_id, version, changed, *values]))

    service.confirm_import(by=clerk, job=job)

    assert sorted(Voter.objects.values_list("birth_date", flat=True)) == [date(1961, 2, 2), date(1962, 3, 3)]


def test_a_first_import_asks_the_empty_register_for_the_same_person_once(election_a, django_assert_num_queries):
    with django_assert_num_queries(1):
        check = registrations.SamePersonCheck(election_a)
    with django_assert_num_queries(0):
        found = [check.add(row=n, id_number=str(n), name="王建国", sex="M", birth_date=date(1970, 5, 1))
                 for n in range(2, 2 + registrations.CHUNK + 1)]
        assert found == [[]] * (registrations.CHUNK + 1) and check.flush() == []


def test_second_confirm_of_the_same_job_does_nothing(tmp_path, election_a, clerk):
    job = imported(tmp_path, election_a, clerk, [wb.person(1), wb.person(2)])
    with pytest.raises(ValidationError) as caught:
        service.confirm_import(by=clerk, job=job)
    assert caught.value.code == "job_not_pending"
    assert Voter.objects.count() == 2
    assert AuditEntry.objects.filter(action="voters.import.confirmed").count() == 1


def test_confirm_does_not_read_the_workbook_again(tmp_path, election_a, clerk, monkeypatch):
    job = preview(tmp_path, election_a, clerk, [wb.person(1)])

    def fail(*args, **kwargs):
        raise AssertionError("the workbook was parsed again")

    monkeypatch.setattr(service.workbook, "read_voter_workbook", fail)
    service.confirm_import(by=clerk, job=job)
    assert Voter.objects.count() == 1


def test_person_marked_not_registered_is_stored_with_the_reason(tmp_path, election_a, clerk):
    born = date(2010, 5, 1)
    minor = wb.person(1, 出生日期=born, 公民身份号码=wb.valid_id_number(born, 101), 备注="不予登记：未满十八周岁")
    imported(tmp_path, election_a, clerk, [minor])
    voter = Voter.objects.get()
    assert (voter.status, voter.not_registered_reason) == (Status.NOT_REGISTERED, "未满十八周岁")


def test_large_file_is_checked_by_the_task_worker_with_progress(tmp_path, election_a, clerk):
    job = preview(tmp_path, election_a, clerk, [wb.person(n) for n in range(1, 4)], background=True)
    job.refresh_from_db()
    assert (job.state, job.rows_done, job.rows_total, job.counts["new"]) == ("preview", 3, 3, 3)


def test_check_runs_once_per_job(tmp_path, election_a, clerk):
    job = preview(tmp_path, election_a, clerk, [wb.person(1)])
    again = service.check_import(job_id=job.pk)
    assert (again.state, again.counts) == (job.state, job.counts)


def test_import_is_refused_once_the_list_is_published(tmp_path, election_a, clerk):
    election_a.voter_list_published_on = date(2026, 12, 20)
    election_a.save(update_fields=["voter_list_published_on"])
    with pytest.raises(ValidationError) as caught:
        preview(tmp_path, election_a, clerk, [wb.person(1)])
    assert caught.value.code == "list_published"


def test_context_is_gathered_with_three_queries_whatever_the_register_size(
    tmp_path, election_a, election_b, clerk, django_assert_num_queries
):
    imported(tmp_path, election_a, clerk, [wb.person(n) for n in range(1, 9)])
    imported(tmp_path, election_b, clerk, [wb.person(n) for n in range(20, 24)], name="b.xlsx")
    with django_assert_num_queries(3):
        context = service.gather_context(election_a, today=date(2026, 11, 21))
    assert (len(context.existing), len(context.elsewhere), len(context.groups)) == (8, 4, 2)
    assert set(context.elsewhere.values()) == {"西岭村"}


def test_register_is_kept_as_fingerprints_and_only_changed_voters_are_fetched(tmp_path, election_a, clerk):
    """Issue 14 "Bounded memory": a re-import keeps a fingerprint per registered voter, not its
    values, and reads the stored values of those whose row differs, in one query per batch."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from voters import imports

    people = [wb.person(n) for n in range(1, 7)]
    imported(tmp_path, election_a, clerk, people)
    context = service.gather_context(election_a, today=date(2026, 11, 21))
    assert isinstance(context.existing, imports.Fingerprints) and len(context.existing) == 6
    assert {context.existing[p["公民身份号码"]].values for p in people} == {None}
    people[1] = wb.person(2, 联系电话="13999999999")
    people[4] = wb.person(5, 村民小组="第1组" if people[4]["村民小组"] == "第2组" else "第2组")
    with CaptureQueriesContext(connection) as queries:
        job = preview(tmp_path, election_a, clerk, people, name="again.xlsx")
    assert (job.counts["updated"], job.counts["unchanged"], job.counts["new"]) == (2, 4, 0)
    fetches = [q["sql"] for q in queries.captured_queries if '"id_number" IN' in q["sql"]]
    assert len(fetches) == 1
    assert all((p["公民身份号码"] in fetches[0]) == (n in (1, 4)) for n, p in enumerate(people))
    service.confirm_import(by=clerk, job=job)
    assert Voter.objects.get(id_number=people[1]["公民身份号码"]).phone == "13999999999"


def test_annotated_workbook_marks_the_bad_cells_and_explains_each_row(tmp_path, election_a, clerk):
    job = preview(tmp_path, election_a, clerk, [wb.person(1), wb.person(2, 村民小组="第9组", 性别=None)])
    sheet = openpyxl.load_workbook(io.BytesIO(service.annotated_workbook(job))).active
    header = [cell.value for cell in sheet[1]]
    note = header.index("错误说明") + 1
    assert sheet.cell(2, note).value is None
    assert "本村没有“第9组”" in sheet.cell(3, note).value and "提示：" in sheet.cell(3, note).value
    group = header.index("村民小组") + 1
    assert sheet.cell(3, group).fill.fgColor.rgb == ERROR_FILL.fgColor.rgb
    assert sheet.cell(2, group).fill.fgColor.rgb != ERROR_FILL.fgColor.rgb


def test_template_offers_the_village_groups_and_formats_id_as_text(election_a):
    book = openpyxl.load_workbook(io.BytesIO(service.template_workbook(election_a)))
    sheet = book.worksheets[0]
    formulas = [str(v.formula1) for v in sheet.data_validations.dataValidation]
    assert any("第1组" in f and "第2组" in f for f in formulas)
    header_row = [cell.value for cell in sheet[3]]
    id_letter = openpyxl.utils.get_column_letter(header_row.index("公民身份号码") + 1)
    assert sheet.column_dimensions[id_letter].number_format == "@"


def test_template_filled_in_imports_cleanly(tmp_path, election_a, clerk):
    """Every drop-down value of the template must be understood by the import."""
    book = openpyxl.load_workbook(io.BytesIO(service.template_workbook(election_a)))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[3]]
    values = {"姓名": "王五", "性别": "女", "民族": "回族", "出生日期": date(1990, 5, 6),
              "公民身份号码": wb.valid_id_number(date(1990, 5, 6), 222), "文化程度": "大学专科", "政治面貌": "中共预备党员",
              "村民小组": "第2组", "居住情况": "不在本村居住", "登记类别": "户籍在本村、不在本村居住、本人表示参加选举",
              "外出": "是", "本人表示参加日期": date(2026, 10, 1)}
    for column, label in enumerate(header, start=1):
        sheet.cell(4, column, values.get(label))
    path = tmp_path / "filled.xlsx"
    book.save(path)
    job = service.start_import(by=clerk, election=election_a, upload=upload(path), filename="filled.xlsx")
    assert (job.state, job.counts["new"], job.counts["warnings"]) == ("preview", 1, 0), job.issues


def test_very_large_file_gets_a_list_of_issues_instead_of_a_marked_copy(tmp_path, election_a, clerk, monkeypatch):
    monkeypatch.setattr(service, "ANNOTATE_MAX_ROWS", 1)
    job = preview(tmp_path, election_a, clerk, [wb.person(1, 村民小组="第9组"), wb.person(2)])
    sheet = openpyxl.load_workbook(io.BytesIO(service.annotated_workbook(job))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("行", "列", "类型", "代码", "说明")
    assert rows[1][:4] == (2, "村民小组", "错误", "group_unknown")
    assert service.annotated_filename(job) == "名单_错误清单.xlsx"


def test_same_name_sex_and_birth_under_another_id_number_is_a_warning(tmp_path, election_a, clerk):
    """Issue 13: a row that matches a registered person by name, sex and birth date under a different ID
    number (a mistyped number would register one person twice) is a warning naming the other number masked."""
    from datetime import date

    from tests.builders import make_id_number, make_voter
    from tests.voters import workbooks as wb
    from django.core.files import File

    from voters.services.imports import start_import

    registered = make_voter(election=election_a, name="王建国", sex="M", birth_date=date(1970, 5, 1), serial=1)
    other_number = make_id_number(birth_date=date(1970, 5, 1), sex="M", serial=7)
    row = dict(wb.person(1), 姓名="王建国", 性别="男", 出生日期="1970-05-01", 公民身份号码=other_number)
    path = wb.voters_workbook(tmp_path / "a.xlsx", [row])
    with open(path, "rb") as fh:
        job = start_import(by=clerk, election=election_a, upload=File(fh), filename="a.xlsx", background=False)
    [issue] = [i for i in job.issues if i["code"] == "same_person_other_id"]
    assert issue["level"] == "warning" and issue["row"] == 2
    masked = registered.id_number[:6] + "********" + registered.id_number[-4:]
    assert masked in issue["message"] and registered.id_number not in issue["message"]
    assert job.state == "preview"  # a warning: the clerk checks, then may confirm


def test_check_gives_calamine_the_stored_file_by_path(tmp_path, election_a, clerk, monkeypatch):
    """From a file object python-calamine first copies the whole file into memory (issue 14)."""
    from voters import workbook

    given, read = [], workbook.read_voter_workbook

    def recording(source, **kwargs):
        given.append(source)
        return read(source, **kwargs)

    monkeypatch.setattr(workbook, "read_voter_workbook", recording)
    job = preview(tmp_path, election_a, clerk, [wb.person(1)])
    assert job.state == ImportJob.State.PREVIEW
    assert given == [job.source.path]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's page cache")
def test_the_confirmation_writes_with_a_larger_sqlite_page_cache_and_puts_the_connections_back(
        tmp_path, election_a, clerk, monkeypatch):
    def cache_size():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return cursor.fetchone()[0]

    job = preview(tmp_path, election_a, clerk, [wb.person(1), wb.person(2)])
    before, during = cache_size(), []
    write = service._write
    monkeypatch.setattr(service, "_write", lambda *a, **k: (during.append(cache_size()), write(*a, **k))[1])

    service.confirm_import(by=clerk, job=job)

    assert during == [-service.SQLITE_WRITE_CACHE_KIB] and before != during[0]
    assert cache_size() == before
    assert Voter.objects.filter(election=election_a).count() == 2
