"""Untrusted workbooks cannot exhaust the machine (issue 14): one test per finding.

Files that crashed or swelled the process before the fix are read in a forked child with a limited
address space (``voters.fuzz.in_child``), so that a regression fails the test instead of the run.
"""

from __future__ import annotations

import io
import random
from datetime import timedelta

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from tests.voters import workbooks as wb
from voters import fuzz, tasks, xlsx_guard
from voters.models import ImportJob, Voter
from voters.services import imports as service
from voters.workbook import WorkbookRejected, read_voter_workbook

ADDRESS_SPACE = 1024 * 1024 * 1024
NO_WORKER = type("NoWorker", (), {"enqueue": staticmethod(lambda job_id: None)})


def sheet_with(extra_rows: str, *, dimension: str | None = None, voters: int = 2) -> bytes:
    return fuzz.package(fuzz.worksheet(fuzz.clean_list(random.Random(1), voters) + extra_rows, dimension=dimension))


def refusal_in_child(data: bytes, **limits) -> tuple[str | None, dict]:
    """The reader's refusal code for ``data``, read in a child limited to ``ADDRESS_SPACE`` more."""
    def read():
        try:
            read_voter_workbook(data, filename="名单.xlsx",
                                limits=xlsx_guard.Limits(**limits) if limits else None)
        except WorkbookRejected as error:
            return error.code, error.message
        return None, ""

    result, child = fuzz.in_child(read, address_space=ADDRESS_SPACE)
    assert child["exitcode"] == 0 and result is not None, f"the reader's process died: {child}"
    return result, child


# --- The reader is bounded whatever the file claims -------------------------------------------------

def test_single_cell_at_xfd1048576_is_refused_before_calamine_allocates_the_range(db):
    data = sheet_with('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    assert len(data) < 3000
    (code, message), child = refusal_in_child(data)
    assert code == "too_many_rows" and "1048576" in message
    assert child["peak_rss_mb"] - child["start_rss_mb"] < 100


@pytest.mark.parametrize(("ref", "row"), [("XFD5", 5), ("ZZ4000", 4000), ("AAA20", 20)])
def test_filled_range_past_the_cell_limit_is_refused_naming_the_far_cell(db, ref, row):
    (code, message), _child = refusal_in_child(sheet_with(f'<row r="{row}"><c r="{ref}"><v>1</v></c></row>'),
                                               max_cells=5000)
    assert code == "range_too_large" and ref in message


def test_a_lying_dimension_is_ignored_and_the_cells_decide(db):
    data = sheet_with("", dimension="A1:XFD1048576")
    (code, _message), _child = refusal_in_child(data)
    assert code is None


def test_cells_without_references_are_placed_as_calamine_places_them(db):
    rows = '<row r="5000"><c r="A5000"><v>1</v></c></row>' + "<row/>" * 100 + "<row><c><v>1</v></c><c><v>2</v></c></row>"
    facts = xlsx_guard.inspect_package(io.BytesIO(sheet_with(rows)))
    sheet = facts.sheets[0]
    assert (sheet.last_row, sheet.last_column) == (5100, 7)  # 0-based: row 5101, the header's 8 columns


@pytest.mark.parametrize("hiding", ['<!-- <c r="XFD1048576"><v>1</v></c> -->', "<c foo='<' r='A9'><v>1</v></c>",
                                    '<c r="A9" r="XFD1048576"><v>1</v></c>'])
def test_markup_that_could_hide_a_cell_from_the_scan_is_refused(db, hiding):
    (code, _message), _child = refusal_in_child(sheet_with(f'<row r="9">{hiding}</row>'))
    assert code in ("xml_declarations", "xml_unreadable")


def test_huge_shared_string_is_refused(db):
    strings = (f'<sst xmlns="{fuzz._MAIN}"><si><t>姓名</t></si><si><t>{"字" * 300_000}</t></si></sst>')
    data = fuzz.package(fuzz.worksheet('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'),
                        strings=strings)
    (code, _message), child = refusal_in_child(data)
    assert code == "cell_too_large"


@pytest.mark.parametrize("padding", [3 << 20, 9 << 20])
def test_compression_bombs_are_refused_by_their_declared_sizes(db, padding):
    data = fuzz.package(fuzz.worksheet(fuzz.clean_list(random.Random(1), 2), after=f"<x>{' ' * padding}</x>"))
    (code, _message), _child = refusal_in_child(data, max_unpacked=8 << 20)
    assert code == ("compression_bomb" if padding < 8 << 20 else "unpacked_too_large")


def test_zip_sizes_that_lie_are_caught_while_unpacking():
    sample = fuzz._lying_zip_sizes(random.Random(3), 1)
    with pytest.raises(xlsx_guard.PackageRefused) as caught:
        xlsx_guard.inspect_package(io.BytesIO(sample.data))
    assert caught.value.code == "package_inconsistent"


def test_entity_declarations_are_refused(db):
    for seed in range(6):
        sample = fuzz._entity_bomb(random.Random(seed), 1)
        (code, _message), _child = refusal_in_child(sample.data)
        assert code == "xml_declarations"


def test_parts_of_another_format_beside_the_workbook_are_refused(db):
    data = fuzz.package(fuzz.worksheet(fuzz.clean_list(random.Random(1), 2)), extra={"content.xml": "<x/>"})
    (code, _message), _child = refusal_in_child(data)
    assert code == "mixed_formats"


@pytest.mark.parametrize("cell", ['<c r="C2" t="d"><v>99999-01-01</v></c>', '<c r="D2"><v>NaN</v></c>',
                                  '<c r="C2"><v>inf</v></c>'])
def test_cells_calamine_cannot_convert_end_in_a_message_not_a_crash(tmp_path, election_a, clerk, cell):
    values = fuzz.voter_values(random.Random(1), 1)
    filled = "".join(fuzz.text_cell(f"{fuzz.letter(c)}2", v) for c, v in enumerate(values) if v and c not in (2, 3))
    data = fuzz.package(fuzz.worksheet(fuzz.rows_xml([list(fuzz.HEADER)]) + f'<row r="2">{cell}{filled}</row>'))
    try:
        job = service.start_import(by=clerk, election=election_a, upload=ContentFile(data), filename="名单.xlsx")
    except ValidationError as error:
        assert error.code == "unreadable_values"
    else:
        assert job.state == ImportJob.State.REJECTED


def test_a_long_cell_is_quoted_short_in_its_message(tmp_path, election_a, clerk):
    path = wb.voters_workbook(tmp_path / "a.xlsx", [wb.person(1, 性别="男" * 30000)])
    job = service.start_import(by=clerk, election=election_a, upload=ContentFile(path.read_bytes()), filename="a.xlsx")
    sex = next(i for i in job.issues if i["code"] == "sex_unknown")
    assert len(sex["message"]) < 200


def test_the_limits_come_from_the_settings(tmp_path, election_a, clerk, settings):
    settings.VOTER_IMPORT_MAX_ROWS = 3
    path = wb.voters_workbook(tmp_path / "a.xlsx", [wb.person(n) for n in range(1, 6)])
    with pytest.raises(ValidationError) as caught:
        service.start_import(by=clerk, election=election_a, upload=ContentFile(path.read_bytes()), filename="a.xlsx")
    assert caught.value.code == "too_many_rows"
    assert "3行" in caught.value.messages[0]


def test_a_register_of_the_usual_kind_passes_the_inspection(tmp_path):
    path = wb.voters_workbook(tmp_path / "a.xlsx", [wb.person(n) for n in range(1, 200)], title_rows=[["选民登记表"]])
    facts = xlsx_guard.inspect_package(path.open("rb"))
    assert max(sheet.rows for sheet in facts.sheets) == 201


# --- Issues stored per job are capped and counted -------------------------------------------------

def bad_people(count):
    return [wb.person(n, 性别="不详", 民族="火星族") for n in range(1, count + 1)]


def test_issues_past_the_cap_are_counted_and_said_on_the_page_and_in_the_download(
    client, tmp_path, election_a, clerk, settings
):
    settings.VOTER_IMPORT_MAX_ISSUES = 15
    path = wb.voters_workbook(tmp_path / "a.xlsx", bad_people(40))  # 80 errors
    job = service.start_import(by=clerk, election=election_a, upload=ContentFile(path.read_bytes()), filename="a.xlsx")
    assert job.counts["errors"] == 80 and job.counts["stored_problems"] == 15

    client.force_login(clerk)
    url = reverse("voters:import-detail", kwargs={"pk": election_a.pk, "job_pk": job.pk})
    page = BeautifulSoup(client.get(url).content, "html.parser")
    assert page.select_one("#import-unlisted") is None  # all 80 are on the page (it shows 1,000)
    download = client.get(reverse("voters:import-annotated", kwargs={"pk": election_a.pk, "job_pk": job.pk}))
    sheet = openpyxl.load_workbook(io.BytesIO(download.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 15 + 1
    assert rows[-1][-1] == "另有65条问题未列出。"


def test_page_says_how_many_issues_it_does_not_list(client, tmp_path, election_a, clerk, monkeypatch):
    monkeypatch.setattr(service, "SHOWN_ISSUES", 10)
    path = wb.voters_workbook(tmp_path / "a.xlsx", bad_people(20))
    job = service.start_import(by=clerk, election=election_a, upload=ContentFile(path.read_bytes()), filename="a.xlsx")
    client.force_login(clerk)
    page = BeautifulSoup(client.get(reverse("voters:import-detail", kwargs={"pk": election_a.pk, "job_pk": job.pk})).content,
                         "html.parser")
    assert "另有 30 条问题未列出" in page.select_one("#import-unlisted").get_text()


def test_row_notices_kept_by_the_reader_are_capped(tmp_path, monkeypatch):
    from voters import workbook

    monkeypatch.setattr(workbook, "MAX_NOTICES", 5)
    rows = [wb.HEADER, *[["合计", None, None, None, None] for _ in range(30)], wb.voter_row()]
    parsed = read_voter_workbook(wb.write_workbook(tmp_path / "a.xlsx", rows), filename="a.xlsx")
    list(parsed.rows())
    assert len(parsed.notices) == 5 and parsed.notices_dropped == 25


# --- The error workbook download stays bounded -----------------------------------------------------

def test_a_file_with_too_many_cells_for_openpyxl_gets_the_issue_list(tmp_path, election_a, clerk, monkeypatch):
    monkeypatch.setattr(service, "ANNOTATE_MAX_CELLS", 20)
    path = wb.voters_workbook(tmp_path / "a.xlsx", bad_people(3))
    job = service.start_import(by=clerk, election=election_a, upload=ContentFile(path.read_bytes()), filename="名单.xlsx")
    assert job.counts["grid_cells"] > 20
    sheet = openpyxl.load_workbook(io.BytesIO(service.annotated_workbook(job))).active
    assert sheet.title == "错误清单"
    assert service.annotated_filename(job) == "名单_错误清单.xlsx"


def test_one_far_cell_makes_the_download_the_issue_list(tmp_path, election_a, clerk):
    values = fuzz.voter_values(random.Random(1), 1)
    values[1] = "不详"
    rows = fuzz.rows_xml([list(fuzz.HEADER), values]) + '<row r="100"><c r="XFD100"><v>1</v></c></row>'
    job = service.start_import(by=clerk, election=election_a, upload=ContentFile(fuzz.package(fuzz.worksheet(rows))),
                               filename="名单.xlsx")
    assert job.counts["grid_cells"] == 100 * 16384 and not service.summarize(job).marks_copy
    assert xlsx_guard.inspect_package(io.BytesIO(sheet_with(""))).grid_cells == 32 * 8
    assert openpyxl.load_workbook(io.BytesIO(service.annotated_workbook(job))).active.title == "错误清单"


def test_a_file_openpyxl_cannot_open_still_gets_its_issues(tmp_path, election_a, clerk):
    values = [fuzz.voter_values(random.Random(1), 1)]
    values[0][1] = "不详"
    data = fuzz.package(fuzz.worksheet(fuzz.rows_xml([list(fuzz.HEADER), *values])),
                        extra={"xl/styles.xml": f'<styleSheet xmlns="{fuzz._MAIN}"><fills count="1"><fill/></fills>'
                                                '<cellXfs count="1"><xf/></cellXfs></styleSheet>'})
    job = service.start_import(by=clerk, election=election_a, upload=ContentFile(data), filename="名单.xlsx")
    assert job.state == ImportJob.State.REJECTED
    sheet = openpyxl.load_workbook(io.BytesIO(service.annotated_workbook(job))).active
    assert "sex_unknown" in [row[3] for row in sheet.iter_rows(values_only=True)]


# --- A check whose process died is resumed, then failed ---------------------------------------------

def dead_check(tmp_path, election, by, monkeypatch, *, attempts=1):
    """A job that a check took and then never reported on again (its process was killed)."""
    monkeypatch.setattr(tasks, "check_import_task", NO_WORKER)
    path = wb.voters_workbook(tmp_path / "a.xlsx", [wb.person(1)])
    job = service.start_import(by=by, election=election, upload=ContentFile(path.read_bytes()), filename="a.xlsx",
                               background=True)
    long_ago = timezone.now() - timedelta(minutes=3)
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.PARSING, attempts=attempts, heartbeat_at=long_ago)
    monkeypatch.undo()
    job.refresh_from_db()
    return job


def test_check_whose_process_died_is_queued_again_and_the_page_says_so(
    client, tmp_path, election_a, clerk, monkeypatch, django_capture_on_commit_callbacks
):
    job = dead_check(tmp_path, election_a, clerk, monkeypatch)
    monkeypatch.setattr(tasks, "check_import_task", NO_WORKER)  # the worker has not picked it up yet
    client.force_login(clerk)
    url = reverse("voters:import-progress", kwargs={"pk": election_a.pk, "job_pk": job.pk})
    with django_capture_on_commit_callbacks(execute=True):
        page = BeautifulSoup(client.get(url, HTTP_HX_REQUEST="true").content, "html.parser")
    job.refresh_from_db()
    assert job.state == ImportJob.State.QUEUED
    assert "自动重新排队检查（第2次）" in page.select_one("#import-resumed").get_text()


def test_check_queued_again_runs_to_its_preview(tmp_path, election_a, clerk, monkeypatch,
                                                django_capture_on_commit_callbacks):
    job = dead_check(tmp_path, election_a, clerk, monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        job = service.recover_stalled(job)
    job.refresh_from_db()
    assert job.state == ImportJob.State.PREVIEW and job.attempts == 2


def test_check_that_died_twice_is_failed_and_the_page_says_why(client, tmp_path, election_a, clerk, monkeypatch):
    job = dead_check(tmp_path, election_a, clerk, monkeypatch, attempts=2)
    client.force_login(clerk)
    page = BeautifulSoup(client.get(reverse("voters:import-detail", kwargs={"pk": election_a.pk, "job_pk": job.pk})).content,
                         "html.parser")
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and job.counts["code"] == "worker_lost"
    assert "2次意外中断" in page.select_one("#import-outcome").get_text()
    upload = BeautifulSoup(client.get(reverse("voters:import-upload", kwargs={"pk": election_a.pk})).content,
                           "html.parser")
    assert "意外中断" in upload.select_one("#import-jobs").get_text()


def test_a_check_that_is_alive_is_left_alone(tmp_path, election_a, clerk, monkeypatch):
    job = dead_check(tmp_path, election_a, clerk, monkeypatch)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    job.refresh_from_db()
    assert service.recover_stalled(job).state == ImportJob.State.PARSING


def test_a_check_given_up_meanwhile_does_not_overwrite_the_outcome(tmp_path, election_a, clerk, monkeypatch):
    job = dead_check(tmp_path, election_a, clerk, monkeypatch)
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.QUEUED)
    # The old check wakes up and reports: it finds the job no longer its own and stops.
    with pytest.raises(service._Superseded):
        service._beat(job, rows_done=10)
    assert Voter.objects.count() == 0
