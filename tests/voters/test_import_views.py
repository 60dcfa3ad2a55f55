"""The import pages: upload, preview with its error table, progress, confirm and the downloads."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.voters import workbooks as wb
from villages.models import AuditEntry
from voters import tasks
from voters.models import ImportJob, Voter
from voters.services import imports as service


# A task backend with no worker running: the job stays queued.
NO_WORKER = type("NoWorker", (), {"enqueue": staticmethod(lambda job_id: None)})


def xlsx_upload(tmp_path, people, name="名单.xlsx"):
    path = wb.voters_workbook(tmp_path / name, people)
    return SimpleUploadedFile(name, path.read_bytes())


def upload_url(election):
    return reverse("voters:import-upload", kwargs={"pk": election.pk})


def job_url(name, job):
    return reverse(f"voters:{name}", kwargs={"pk": job.election_id, "job_pk": job.pk})


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def issue_rows(page: BeautifulSoup) -> list[list[str]]:
    """Each issue row as [row, column, level, code, message]; the code is the row's data-code (the page
    itself shows no internal codes)."""
    rows = []
    for tr in page.select("#import-issues tbody tr"):
        cells = [td.get_text(strip=True) for td in tr.find_all("td")]
        rows.append(cells[:3] + [tr["data-code"]] + cells[3:])
    return rows


def counts(page: BeautifulSoup) -> dict[str, str]:
    return {tag["data-count"]: tag.get_text(strip=True) for tag in page.select("#import-counts [data-count]")}


def test_liaison_uploads_own_village_list_and_sees_every_error(client, tmp_path, liaison_a, election_a):
    client.force_login(liaison_a)
    people = [wb.person(1), wb.person(2, 村民小组="第9组"), wb.person(3, 公民身份号码="3.30102196304041E+17")]
    response = client.post(upload_url(election_a), {"file": xlsx_upload(tmp_path, people)})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == job_url("import-detail", job)

    page = soup(client.get(response.url))

    assert issue_rows(page) == [
        ["3", "村民小组", "错误", "group_unknown", "本村没有“第9组”这个村民小组。本村的村民小组有：第1组、第2组。"],
        ["4", "公民身份号码", "错误", "id_excel_float", job.issues[1]["message"]],
    ]
    assert counts(page) == {"rows": "3", "new": "1", "updated": "0", "unchanged": "0", "error": "2", "errors": "2",
                            "warnings": "0"}
    assert "没有导入任何数据" in page.select_one("#import-outcome").get_text()
    assert page.find("a", href=job_url("import-annotated", job))
    assert not page.find("form", action=job_url("import-confirm", job))
    assert Voter.objects.count() == 0


def test_clean_list_previews_then_confirm_writes(client, tmp_path, liaison_a, election_a):
    client.force_login(liaison_a)
    client.post(upload_url(election_a), {"file": xlsx_upload(tmp_path, [wb.person(1), wb.person(2)])})
    job = ImportJob.objects.get()
    page = soup(client.get(job_url("import-detail", job)))
    assert page.find("form", action=job_url("import-confirm", job))
    assert Voter.objects.count() == 0

    response = client.post(job_url("import-confirm", job), follow=True)

    assert Voter.objects.filter(election=election_a).count() == 2
    alerts = [a.get_text(" ", strip=True) for a in soup(response).select(".alert")]
    assert any("新登记2人" in a for a in alerts)


def test_second_confirm_writes_nothing_and_says_so(client, tmp_path, clerk, election_a):
    client.force_login(clerk)
    client.post(upload_url(election_a), {"file": xlsx_upload(tmp_path, [wb.person(1)])})
    job = ImportJob.objects.get()
    client.post(job_url("import-confirm", job))
    response = client.post(job_url("import-confirm", job), follow=True)
    assert Voter.objects.count() == 1
    assert "不能确认导入" in soup(response).select_one(".alert-danger").get_text()


def test_annotated_workbook_downloads_with_error_column(client, tmp_path, liaison_a, election_a):
    client.force_login(liaison_a)
    client.post(upload_url(election_a), {"file": xlsx_upload(tmp_path, [wb.person(1, 民族="火星族")])})
    job = ImportJob.objects.get()

    response = client.get(job_url("import-annotated", job))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert "错误说明" in header
    assert "火星族" in sheet.cell(2, header.index("错误说明") + 1).value
    entry = AuditEntry.objects.get(action="voters.import_annotated.exported")  # full ID numbers: logged
    assert entry.actor == liaison_a and entry.village_id == election_a.village_id


def test_template_downloads_for_own_village(client, liaison_a, election_a):
    client.force_login(liaison_a)
    response = client.get(reverse("voters:import-template", kwargs={"pk": election_a.pk}))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert "选民名单" in book.sheetnames


@pytest.mark.parametrize("filename,content,text", [
    ("名单.xls", wb.xls_bytes(), "另存为 .xlsx"),
    ("名单.csv", wb.csv_bytes(), "CSV"),
    ("名单.xlsx", wb.xls_bytes(), "另存为 .xlsx"),  # an .xls renamed: judged by its bytes
    ("照片.png", wb.png_bytes(), "不是Excel工作簿"),
])
def test_non_xlsx_upload_shows_what_to_do_and_writes_nothing(client, clerk, election_a, filename, content, text):
    client.force_login(clerk)
    response = client.post(upload_url(election_a), {"file": SimpleUploadedFile(filename, content)})
    assert response.status_code == 200
    errors = soup(response).select(".invalid-feedback, .alert-danger, .alert-block")
    assert any(text in e.get_text() for e in errors)
    assert Voter.objects.count() == 0


def test_upload_page_lists_recent_imports(client, tmp_path, clerk, election_a):
    client.force_login(clerk)
    client.post(upload_url(election_a), {"file": xlsx_upload(tmp_path, [wb.person(1)], name="东山村名单.xlsx")})
    page = soup(client.get(upload_url(election_a)))
    cells = [td.get_text(strip=True) for td in page.select("#import-jobs tbody tr td")]
    assert "东山村名单.xlsx" in cells and "待确认" in cells
    assert page.find("a", href=reverse("voters:import-template", kwargs={"pk": election_a.pk}))


def test_supervisor_gets_403(client, tmp_path, supervisor, election_a):
    client.force_login(supervisor)
    assert client.get(upload_url(election_a)).status_code == 403
    response = client.post(upload_url(election_a), {"file": xlsx_upload(tmp_path, [wb.person(1)])})
    assert response.status_code == 403
    assert ImportJob.objects.count() == 0


def test_other_village_liaison_gets_404(client, tmp_path, liaison_b, clerk, election_a):
    job = service.start_import(by=clerk, election=election_a, filename="a.xlsx",
                               upload=ContentFile(wb.voters_workbook(tmp_path / "a.xlsx", [wb.person(1)]).read_bytes()))
    client.force_login(liaison_b)
    assert client.get(upload_url(election_a)).status_code == 404
    for name in ("import-detail", "import-progress", "import-annotated"):
        assert client.get(job_url(name, job)).status_code == 404
    assert client.post(job_url("import-confirm", job)).status_code == 404
    assert Voter.objects.count() == 0


def test_job_of_another_election_is_404_even_for_its_village(client, tmp_path, clerk, election_a, election_b):
    job = service.start_import(by=clerk, election=election_b, filename="b.xlsx",
                               upload=ContentFile(wb.voters_workbook(tmp_path / "b.xlsx", [wb.person(1)]).read_bytes()))
    client.force_login(clerk)
    url = reverse("voters:import-detail", kwargs={"pk": election_a.pk, "job_pk": job.pk})
    assert client.get(url).status_code == 404


def test_anonymous_user_is_sent_to_login(client, election_a):
    response = client.get(upload_url(election_a))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_queued_job_page_polls_progress_until_checked(client, tmp_path, clerk, election_a, monkeypatch):
    monkeypatch.setattr(tasks, "check_import_task", NO_WORKER)
    path = wb.voters_workbook(tmp_path / "big.xlsx", [wb.person(1), wb.person(2)])
    job = service.start_import(by=clerk, election=election_a, upload=ContentFile(path.read_bytes()),
                               filename="big.xlsx", background=True)
    client.force_login(clerk)

    page = soup(client.get(job_url("import-detail", job)))
    poller = page.select_one("#import-progress")
    assert poller["hx-get"] == job_url("import-progress", job) and poller["hx-trigger"] == "every 1s"
    partial = client.get(job_url("import-progress", job), HTTP_HX_REQUEST="true")
    assert "排队" in partial.content.decode() and "HX-Refresh" not in partial

    service.check_import(job_id=job.pk)
    done = client.get(job_url("import-progress", job), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    assert counts(soup(client.get(job_url("import-detail", job))))["new"] == "2"


def test_check_that_lost_its_worker_stops_polling_and_asks_for_the_file_again(
    client, tmp_path, clerk, election_a, monkeypatch
):
    monkeypatch.setattr(tasks, "check_import_task", NO_WORKER)
    path = wb.voters_workbook(tmp_path / "big.xlsx", [wb.person(1)])
    job = service.start_import(by=clerk, election=election_a, upload=ContentFile(path.read_bytes()),
                               filename="big.xlsx", background=True)
    ImportJob.objects.filter(pk=job.pk).update(created_at=job.created_at - service.STALLED_AFTER - timedelta(minutes=1))
    client.force_login(clerk)

    assert client.get(job_url("import-progress", job), HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"
    page = soup(client.get(job_url("import-detail", job)))
    assert not page.select_one("#import-progress")
    assert "重新上传" in page.select_one("#import-outcome").get_text()


@pytest.mark.parametrize("rows", [10, 30])
def test_preview_page_query_count_is_constant(client, tmp_path, clerk, election_a, django_assert_num_queries, rows):
    people = [wb.person(n, 村民小组="第9组" if n % 2 else "第1组") for n in range(1, rows + 1)]
    path = wb.voters_workbook(tmp_path / "a.xlsx", people)
    job = service.start_import(by=clerk, election=election_a, upload=ContentFile(path.read_bytes()), filename="a.xlsx")
    client.force_login(clerk)
    # session, user, election with its places, job with its uploader; the navbar's township; saving the session
    with django_assert_num_queries(8):
        response = client.get(job_url("import-detail", job))
    assert len(issue_rows(soup(response))) == rows // 2


@pytest.mark.parametrize("jobs", [2, 6])
def test_upload_page_query_count_is_constant(client, tmp_path, clerk, election_a, django_assert_num_queries, jobs):
    for n in range(1, jobs + 1):
        path = wb.voters_workbook(tmp_path / f"{n}.xlsx", [wb.person(n)])
        service.start_import(by=clerk, election=election_a, upload=ContentFile(path.read_bytes()), filename=f"{n}.xlsx")
    client.force_login(clerk)
    # session, user, election with its places, jobs with their uploaders; navbar township; session save
    with django_assert_num_queries(8):
        client.get(upload_url(election_a))


def test_preview_lists_the_people_about_to_be_registered(client, clerk, election_a, tmp_path):
    """Issue 13: the preview can list who is about to be registered, with masked ID numbers."""
    from tests.voters import workbooks as wb

    path = wb.voters_workbook(tmp_path / "a.xlsx", [wb.person(1), wb.person(2)])
    client.force_login(clerk)
    with open(path, "rb") as fh:
        response = client.post(reverse("voters:import-upload", args=[election_a.pk]), {"file": fh}, follow=True)
    page = BeautifulSoup(response.content.decode(), "html.parser")
    rows = page.select("#import-new-people tbody tr")
    assert len(rows) == 2
    number = wb.person(1)["公民身份号码"]
    assert number[:6] + "********" + number[-4:] in rows[0].get_text() and number not in page.get_text()


def test_refused_preview_does_not_call_its_clean_rows_registered(client, clerk, election_a, tmp_path):
    from tests.voters import workbooks as wb

    bad = dict(wb.person(2), 公民身份号码="330102198001011235")  # a wrong check character
    path = wb.voters_workbook(tmp_path / "a.xlsx", [wb.person(1), bad])
    client.force_login(clerk)
    with open(path, "rb") as fh:
        response = client.post(reverse("voters:import-upload", args=[election_a.pk]), {"file": fh}, follow=True)
    page = BeautifulSoup(response.content.decode(), "html.parser")
    label = page.select_one('#import-counts [data-count="new"]').find_previous_sibling("div").get_text()
    assert label == "无错误的新行（未导入）"
    counts = {div["data-count"]: int(div.get_text()) for div in page.select("#import-counts [data-count]")}
    assert counts["rows"] == counts["new"] + counts["updated"] + counts["unchanged"] + counts["error"]
    assert not page.select("#import-new-people")
