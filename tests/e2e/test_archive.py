"""The election archive in the browser: a certified village's records filed as PDFs, a scan refused and
then accepted, the township's archive index; another village's liaison officer gets a 404."""

import pytest
from playwright.sync_api import expect

from tests.archive.conftest import announced, counted  # noqa: F401  (fixtures)
from tests.archive.test_filing import records  # noqa: F401  (fixture)
from tests.ballots.conftest import counting  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e
PASSWORD = "Test#Pass2026"  # tests.builders.make_user
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _sign_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_certified_records_scans_and_index(page, live_server, records, clerk, liaison_b, shoot):  # noqa: F811
    from archive.services import certify_results
    from tests.archive.conftest import DAY

    certify_results(by=clerk, election=records, today=DAY)  # files the records (the worker runs at once here)
    _sign_in(page, live_server, "clerk")
    page.goto(f"{live_server.url}/elections/{records.pk}/")
    page.click("text=9 选举档案")
    table = page.locator("#archive-documents")
    expect(table.locator("tbody tr")).to_have_count(7)
    expect(table).to_contain_text("东山村选民名单（截至2027年1月16日）")
    expect(table).to_contain_text("东山村选民资格申诉及处理决定")
    expect(page.locator("#filing-runs")).to_contain_text("新归档 7 件")
    shoot("archive-01-records")

    page.click("text=上传扫描件")
    page.select_option("#id_kind", "results_report")
    page.fill("#id_title", "选举结果报告单（签字盖章扫描件）")
    page.set_input_files("#id_upload", {"name": "结果报告单.pdf", "mimeType": "application/pdf", "buffer": b"\xff\xd8\xff\xe0jpeg"})
    page.click("input[type=submit]")
    expect(page.locator("main form")).to_contain_text("文件内容是 JPEG，但文件名“结果报告单.pdf”的扩展名不符")
    shoot("archive-02-scan-refused")
    page.set_input_files("#id_upload", {"name": "结果报告单.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.click("input[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("扫描件已归档")
    expect(table.locator("tbody tr")).to_have_count(8)

    page.goto(f"{live_server.url}/townships/{records.village.township_id}/archive/")
    expect(page.locator("h1")).to_have_text("青山镇村民委员会选举档案目录")
    expect(page.locator("main")).to_contain_text("在档 8 件：永久 6 件，30年 2 件，10年 0 件")
    shoot("archive-03-township-index")

    _sign_in(page, live_server, liaison_b.username)
    response = page.goto(f"{live_server.url}/elections/{records.pk}/archive/")
    assert response.status == 404
