"""Filing an election's records into the archive: generated PDFs with their retention, new versions that
supersede, scans, destruction only after the period, the index, and the download log (issue 6)."""

import io
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from archive import filing
from archive.models import ArchiveDocument, FilingRun, HandoverItem, RetentionProtected
from archive.services import certify_results
from tests.archive.conftest import DAY
from villages.models import AuditEntry
from voters.models import AmendmentBatch, AmendmentItem, Appeal, Proxy, Publication

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _text(document: ArchiveDocument) -> str:
    with document.file.open("rb") as handle:
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)


@pytest.fixture
def records(announced, clerk):
    """The announced election with a published list, an amendment batch, an appeal and a proxy."""
    election, voters = announced, list(announced.voters.order_by("pk"))
    election.voters.update(listed_from=date(2026, 12, 20))
    Publication.objects.create(election=election, published_on=date(2026, 12, 20), registered_count=len(voters),
                               published_by=clerk)
    batch = AmendmentBatch.objects.create(election=election, number=1, effective_on=date(2026, 12, 24),
                                          reason="申诉成立", created_by=clerk)
    AmendmentItem.objects.create(batch=batch, voter=voters[19], change="add", note="漏登")
    Appeal.objects.create(election=election, filer_name="王申诉", voter=voters[19], kind="omitted", reason="本人漏登",
                          received_on=date(2026, 12, 22), decision="upheld", decision_text="补登",
                          decided_on=date(2026, 12, 23), batch=batch)
    Proxy.objects.create(election=election, principal=voters[10], holder=voters[11], relation="spouse",
                         authorized_on=date(2027, 1, 10), status="approved", approved_on=date(2027, 1, 11))
    return election


def _certify(election, clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        certify_results(by=clerk, election=election, today=DAY)
    election.refresh_from_db()
    return election


def test_certifying_files_every_record_with_its_retention(records, clerk, django_capture_on_commit_callbacks):
    election = _certify(records, clerk, django_capture_on_commit_callbacks)
    run = FilingRun.objects.get(election=election)
    documents = {d.kind: d for d in ArchiveDocument.objects.filter(election=election)}
    tallies = ArchiveDocument.objects.filter(election=election, kind="tally_sheet")
    assert run.state == FilingRun.State.DONE and run.filed == ArchiveDocument.objects.count() == 7
    assert set(documents) == {"voter_list", "amendments", "appeals", "proxy_list", "tally_sheet", "results_report"}
    assert tallies.count() == 2  # one sheet per station of the first ballot
    today = timezone.localdate()
    assert documents["voter_list"].retention == "permanent" and documents["voter_list"].retain_until is None
    assert documents["appeals"].retention == "30y"
    assert documents["appeals"].retain_until == date(today.year + 30, 12, 31)
    village = election.village.name
    assert documents["voter_list"].title == f"{village}选民名单（截至2027年1月16日）"
    assert "王申诉" in _text(documents["appeals"]) and "补登" in _text(documents["appeals"])
    voters = list(election.voters.order_by("pk"))
    assert voters[10].name in _text(documents["proxy_list"])
    assert voters[0].id_number not in _text(documents["voter_list"])  # published lists mask ID numbers
    assert voters[0].masked_id_number in _text(documents["voter_list"])
    assert f"{village}第12届村民委员会选举" in _text(documents["results_report"])
    for document in ArchiveDocument.objects.all():
        assert document.filed_by == clerk and document.source == "generated"
        assert document.pages >= 1 and document.size == document.file.size and len(document.sha256) == 64
    assert AuditEntry.objects.filter(action="archive.document.filed").count() == 7


def test_filing_again_files_only_what_changed(records, clerk, django_capture_on_commit_callbacks):
    election = _certify(records, clerk, django_capture_on_commit_callbacks)
    old_appeals = ArchiveDocument.objects.get(kind="appeals")
    Appeal.objects.filter(election=election).update(decision_text="经核实，补登入第1组")
    HandoverItem.objects.create(election=election, kind="seal", description="村委会印章1枚", handed_over_by="张三",
                                received_by="李四", handed_on=date(2027, 1, 20))
    with django_capture_on_commit_callbacks(execute=True):
        run = filing.request_filing(by=clerk, election=election)
    run.refresh_from_db()
    assert (run.filed, run.unchanged) == (2, 6)  # the appeals (changed) and the new handover list
    old_appeals.refresh_from_db()
    new_appeals = ArchiveDocument.objects.current().get(kind="appeals")
    assert old_appeals.superseded_at is not None and old_appeals.file  # the old version is kept
    assert "经核实" in _text(new_appeals) and "经核实" not in _text(old_appeals)
    assert ArchiveDocument.objects.current().get(kind="handover").retention == "permanent"


def test_a_second_run_is_refused_while_one_is_queued(announced, clerk):
    FilingRun.objects.create(election=announced, requested_by=clerk)
    with pytest.raises(ValidationError, match="已有正在生成的归档任务"):
        filing.request_filing(by=clerk, election=announced)


def test_only_office_staff_file_records(announced, liaison_a):
    with pytest.raises(ValidationError, match="只有乡镇选举办工作人员"):
        filing.request_filing(by=liaison_a, election=announced)


def test_a_failed_run_files_nothing_and_leaves_no_file(records, clerk, monkeypatch, django_capture_on_commit_callbacks):
    from ballots import documents

    def broken(*args, **kwargs):
        raise RuntimeError("font missing")

    monkeypatch.setattr(documents, "results_report_pdf", broken)
    files_before = _stored_files()
    with django_capture_on_commit_callbacks(execute=True):  # the worker records the task's error
        filing.request_filing(by=clerk, election=records)
    run = FilingRun.objects.get()
    assert run.state == FilingRun.State.FAILED and "RuntimeError" in run.message
    assert ArchiveDocument.objects.count() == 0 and _stored_files() == files_before


def _stored_files() -> set[str]:
    def walk(path):
        if not default_storage.exists(path or "."):
            return set()
        dirs, files = default_storage.listdir(path or ".")
        return {f"{path}/{f}" for f in files} | {x for d in dirs for x in walk(f"{path}/{d}" if path else d)}

    return walk("archive")


# --- No deletion before the period ------------------------------------------------------------------


def _document(election, by, **fields) -> ArchiveDocument:
    values = dict(kind="ballots", title="选票封存记录", source="scanned", filename="ballots.pdf", content_type="application/pdf",
                  size=len(PDF_BYTES), sha256="0" * 64, retention="10y", filed_on=date(2027, 1, 20),
                  retain_until=date(2037, 12, 31), filed_by=by)
    values.update(fields)
    document = ArchiveDocument(election=election, **values)
    document.file.save("ballots.pdf", SimpleUploadedFile("ballots.pdf", PDF_BYTES), save=False)
    document.save()
    return document


def test_archived_records_cannot_be_deleted_through_the_orm(certified, clerk):
    document = _document(certified, clerk)
    with pytest.raises(RetentionProtected):
        document.delete()
    with pytest.raises(RetentionProtected):
        ArchiveDocument.objects.filter(election=certified).delete()
    assert ArchiveDocument.objects.filter(pk=document.pk).exists() and default_storage.exists(document.file.name)


def test_destruction_waits_for_the_end_of_the_period(certified, clerk, admin_user):
    document = _document(certified, clerk)
    with pytest.raises(ValidationError, match="只有系统管理员"):
        filing.destroy_document(by=clerk, document=document, reason="鉴定", today=date(2038, 1, 1))
    with pytest.raises(ValidationError, match="保管期限未满（保管至2037年12月31日）"):
        filing.destroy_document(by=admin_user, document=document, reason="鉴定", today=date(2037, 12, 31))
    permanent = _document(certified, clerk, kind="results_report", retention="permanent", retain_until=None)
    with pytest.raises(ValidationError, match="永久保管的档案不得销毁"):
        filing.destroy_document(by=admin_user, document=permanent, reason="鉴定", today=date(2999, 1, 1))


def test_destroying_after_the_period_removes_the_file_and_keeps_the_record(certified, clerk, admin_user,
                                                                           django_capture_on_commit_callbacks):
    document = _document(certified, clerk)
    name = document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        filing.destroy_document(by=admin_user, document=document, reason="经鉴定小组鉴定，镇政府批准（青政〔2038〕1号）",
                                today=date(2038, 1, 1))
    document.refresh_from_db()
    assert document.destroyed_by == admin_user and "青政〔2038〕1号" in document.destruction_reason
    assert not document.file and not default_storage.exists(name)
    entry = AuditEntry.objects.get(action="archive.document.destroyed")
    assert entry.changes["file"] == [name, None]


# --- Scans --------------------------------------------------------------------------------------------


def _upload(client, election, name, content, kind="results_report", title="选举结果报告单（签字盖章扫描件）"):
    url = reverse("archive:document-upload", kwargs={"pk": election.pk})
    return client.post(url, {"kind": kind, "title": title, "note": "", "upload": SimpleUploadedFile(name, content)})


def test_liaison_uploads_a_signed_scan_after_certification(client, certified, liaison_a):
    client.force_login(liaison_a)
    response = _upload(client, certified, "结果报告单.pdf", PDF_BYTES)
    assert response.status_code == 302
    document = ArchiveDocument.objects.get()
    assert (document.source, document.retention, document.filed_by) == ("scanned", "permanent", liaison_a)
    assert document.content_type == "application/pdf" and document.size == len(PDF_BYTES)
    with document.file.open("rb") as handle:
        assert handle.read() == PDF_BYTES
    assert AuditEntry.objects.filter(action="archive.document.uploaded", object_id=str(document.pk)).exists()


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("名单.xlsx", b"PK\x03\x04rest", "只接受 PDF、JPEG、PNG、TIFF 格式的扫描件"),
        ("扫描.pdf", b"\xff\xd8\xff\xe0 jpeg", "文件内容是 JPEG"),
    ],
)
def test_a_refused_scan_is_explained_and_stores_nothing(client, certified, clerk, name, content, message):
    client.force_login(clerk)
    files_before = _stored_files()
    response = _upload(client, certified, name, content)
    assert response.status_code == 200 and message in response.content.decode()
    assert ArchiveDocument.objects.count() == 0 and _stored_files() == files_before


def test_a_scan_over_the_size_limit_is_refused(client, certified, clerk, settings):
    settings.ARCHIVE_UPLOAD_MAX_MB = 1
    client.force_login(clerk)
    response = _upload(client, certified, "大文件.pdf", b"%PDF-" + b"0" * (1024 * 1024))
    assert "超过上限 1 MB" in response.content.decode() and ArchiveDocument.objects.count() == 0


# --- The retention table ------------------------------------------------------------------------------


def test_a_changed_retention_applies_to_records_filed_afterwards(client, certified, clerk, admin_user):
    client.force_login(clerk)
    _upload(client, certified, "选票1.pdf", PDF_BYTES, kind="ballots", title="选票封存记录（一）")
    client.force_login(admin_user)
    response = client.post(reverse("archive:retention-edit", kwargs={"kind": "ballots"}),
                           {"retention": "30y", "basis": "县档案局〔2027〕3号"})
    assert response.status_code == 302
    client.force_login(clerk)
    _upload(client, certified, "选票2.pdf", PDF_BYTES, kind="ballots", title="选票封存记录（二）")
    first, second = ArchiveDocument.objects.order_by("pk")
    assert (first.retention, second.retention) == ("10y", "30y")
    page = client.get(reverse("archive:retention-list")).content.decode()
    assert "县档案局〔2027〕3号" in page and "已调整" in page
    assert AuditEntry.objects.filter(action="archive.retention.created", actor=admin_user).exists()


# --- Index and downloads ------------------------------------------------------------------------------


def test_village_and_township_index_list_the_records(client, records, clerk, supervisor,
                                                     django_capture_on_commit_callbacks):
    election = _certify(records, clerk, django_capture_on_commit_callbacks)
    client.force_login(supervisor)
    page = client.get(reverse("archive:village-index", kwargs={"pk": election.village_id})).content.decode()
    assert "在档 <strong>7</strong> 件：永久 5 件，30年 2 件，10年 0 件" in page
    assert f"{election.village.name}委托投票名单" in page
    response = client.get(reverse("archive:township-index", kwargs={"pk": election.village.township_id}) + "?format=pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert response["Content-Type"] == "application/pdf"
    assert "青山镇村民委员会选举档案目录" in text and f"{election.village.name}选举结果报告单" in text
    assert "合计：7 件（永久 5 件，30年 2 件，10年 0 件）" in text
    assert AuditEntry.objects.filter(action="archive.index.printed", actor=supervisor).exists()


def test_downloading_a_record_is_logged(client, certified, clerk, supervisor):
    document = _document(certified, clerk)
    client.force_login(supervisor)
    response = client.get(reverse("archive:document-download", kwargs={"pk": certified.pk, "document_pk": document.pk}))
    assert b"".join(response) == PDF_BYTES
    entry = AuditEntry.objects.get(action="archive.document.downloaded")
    assert entry.actor == supervisor and entry.changes["filename"] == [None, "ballots.pdf"]


def test_a_destroyed_record_cannot_be_downloaded(client, certified, clerk, admin_user):
    document = _document(certified, clerk, destroyed_at=timezone.make_aware(datetime(2038, 1, 2)), destroyed_by=admin_user,
                         destruction_reason="鉴定销毁")
    client.force_login(admin_user)
    url = reverse("archive:document-download", kwargs={"pk": certified.pk, "document_pk": document.pk})
    assert client.get(url).status_code == 404


def test_archive_page_offers_destruction_only_for_expired_records(client, certified, clerk, admin_user):
    expired = _document(certified, clerk, filed_on=date(2010, 1, 1), retain_until=date(2020, 12, 31), title="旧工作底稿",
                        kind="working_papers")
    kept = _document(certified, clerk)
    client.force_login(admin_user)
    page = client.get(reverse("archive:document-list", kwargs={"pk": certified.pk})).content.decode()
    assert reverse("archive:document-destroy", kwargs={"pk": certified.pk, "document_pk": expired.pk}) in page
    assert reverse("archive:document-destroy", kwargs={"pk": certified.pk, "document_pk": kept.pk}) not in page
    assert timedelta(0) < date.today() - expired.retain_until
