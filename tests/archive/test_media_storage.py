"""A round's files through the configured media storage, end to end (issue 15): the local folder
(the default) and an S3-compatible object store (moto's server on loopback, tests/s3.py).

Upload a voter workbook, import it, download the annotated errors (also after a conflict at the
confirmation, which appends to the stored issues), file the certified election's records and a
scan into the archive, download them, then back everything up and restore it. Then the files the
task worker makes: a long voter list and a county workbook.
"""

from __future__ import annotations

import io
import os
from datetime import date

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from archive.models import ArchiveDocument, FilingRun
from reports.models import ReportExport
from tests.builders import make_voters
from tests.voters import workbooks as wb
from villages import media
from voters.models import ImportJob, ListPrint, Voter

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(params=["local", "s3"])
def storage_kind(request, settings, tmp_path):
    if request.param == "local":
        settings.MEDIA_ROOT = tmp_path / "media"
    else:
        request.getfixturevalue("s3_media")
    return request.param


def stored_files() -> dict[str, bytes]:
    files = {}
    for name in media.walk(default_storage):
        with default_storage.open(name, "rb") as stored:
            files[name] = stored.read()
    return files


def upload(client, election, tmp_path, people, name):
    path = wb.voters_workbook(tmp_path / name, people)
    client.post(reverse("voters:import-upload", kwargs={"pk": election.pk}),
                {"file": SimpleUploadedFile(name, path.read_bytes())})
    return ImportJob.objects.filter(election=election).latest("pk")


def job_url(name, job):
    return reverse(f"voters:{name}", kwargs={"pk": job.election_id, "job_pk": job.pk})


def annotated_notes(client, job) -> list[str]:
    response = client.get(job_url("import-annotated", job))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    column = header.index("错误说明") + 1
    return [sheet.cell(row, column).value for row in range(2, sheet.max_row + 1)]


@pytest.mark.django_db(transaction=True)
def test_a_rounds_files_live_in_the_configured_storage_and_survive_backup_and_restore(
        storage_kind, certified, client, clerk, liaison_b, election_b, tmp_path, settings):
    # Certifying election_a (the fixture) queued the filing of its records; the task ran at the commit.
    assert FilingRun.objects.get(election=certified).state == FilingRun.State.DONE
    filed = ArchiveDocument.objects.filter(election=certified)
    assert filed.count() == 3 and all(default_storage.exists(d.file.name) for d in filed)  # 2 tally sheets, results

    # A workbook with an error: refused, and its annotated copy comes back from the storage.
    client.force_login(liaison_b)
    job = upload(client, election_b, tmp_path, [wb.person(1), wb.person(2, 民族="火星族")], "名单.xlsx")
    assert job.state == ImportJob.State.REJECTED
    assert job.source.name.startswith("imports/") and job.source.name.endswith("-名单.xlsx")
    assert annotated_notes(client, job)[1].count("火星族") == 1

    # A clean one: previewed from the stored file, confirmed, its rows file removed afterwards.
    job = upload(client, election_b, tmp_path, [wb.person(1), wb.person(2)], "改正.xlsx")
    assert job.state == ImportJob.State.PREVIEW
    rows_file = f"{job.source.name}.rows.jsonl.gz"
    assert default_storage.exists(rows_file)
    client.post(job_url("import-confirm", job))
    assert Voter.objects.filter(election=election_b).count() == 2 and not default_storage.exists(rows_file)

    # A preview overtaken before its confirmation: the conflict is added to the stored issues.
    job = upload(client, election_b, tmp_path, [wb.person(3), wb.person(4)], "补充.xlsx")
    Voter.objects.filter(election=election_b, id_number=wb.person(1)["公民身份号码"]).update(
        id_number=wb.person(4)["公民身份号码"])
    client.post(job_url("import-confirm", job))
    job.refresh_from_db()
    assert job.state == ImportJob.State.REJECTED and job.counts["conflicts"] == 1
    assert "已被他人登记到本村" in annotated_notes(client, job)[1]

    # A scan filed by the township office, and downloaded again.
    client.force_login(clerk)
    response = client.post(reverse("archive:document-upload", kwargs={"pk": certified.pk}),
                           {"kind": "ballots", "title": "选票封存记录", "note": "",
                            "upload": SimpleUploadedFile("封存.pdf", PDF_BYTES)})
    assert response.status_code == 302
    scan = ArchiveDocument.objects.get(source="scanned")
    response = client.get(reverse("archive:document-download", kwargs={"pk": certified.pk, "document_pk": scan.pk}))
    assert b"".join(response) == PDF_BYTES

    # Backup, damage, restore.
    before = stored_files()
    # 3 records and a scan; 3 workbooks with their issues files, and the rows files of the two not confirmed
    assert scan.file.name in before and len(before) == 3 + 1 + 3 + 3 + 2
    backup = tmp_path / "backups" / "election.backup"
    call_command("backup_db", "-o", str(backup), stdout=io.StringIO())
    default_storage.delete(scan.file.name)
    with default_storage.open(filed.first().file.name, "wb") as damaged:
        damaged.write(b"overwritten")
    default_storage.save("imports/written-after-the-backup.xlsx", io.BytesIO(b"stray"))
    assert stored_files() != before

    call_command("restore_db", str(backup), "--yes", stdout=io.StringIO())

    assert stored_files() == before
    assert ArchiveDocument.objects.filter(election=certified).count() == 4
    if storage_kind == "s3":
        assert not os.path.exists(settings.MEDIA_ROOT)  # nothing went to a local folder


def test_prints_and_report_exports_made_by_the_worker_are_stored_and_downloaded(
        storage_kind, client, campaign, election_a, county_office, settings, django_capture_on_commit_callbacks):
    settings.VOTER_LIST_INLINE_MAX = 2
    make_voters(election=election_a, count=3, listed_from=date(2026, 12, 20))
    client.force_login(county_office)
    with django_capture_on_commit_callbacks(execute=True):  # the tests' task backend runs the task at once
        client.get(reverse("voters:published-list-pdf", kwargs={"pk": election_a.pk}) + "?on=2027-01-16")
        client.post(reverse("reports:report-export", kwargs={"kind": "county", "code": campaign.township.county.code,
                                                             "fmt": "xlsx"}))
    job, export = ListPrint.objects.get(), ReportExport.objects.get()
    assert (job.state, export.state) == ("done", "done")
    assert set(media.walk(default_storage)) == {job.file.name, export.file.name}
    pdf = client.get(reverse("voters:list-print-download", kwargs={"pk": election_a.pk, "print_pk": job.pk}))
    assert pdf.content.startswith(b"%PDF")
    workbook = client.get(reverse("reports:export-download", kwargs={"pk": export.pk}))
    assert b"".join(workbook.streaming_content).startswith(b"PK\x03\x04")
