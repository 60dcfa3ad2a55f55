"""Filing an election's records into the archive (选举档案归档), uploading scans, destroying records
whose period has ended, and the retention table.

Generated records are the PDFs the other stages print (the same functions their download views use),
rendered as the election stands: after certification, that is the certified record. A run files a new
version of a document only when its bytes changed; the earlier version is kept and marked superseded.
Runs are queued for the task worker (a village's voter list can take tens of seconds to lay out).
Every write is logged in the transaction that makes it (STYLE.md §8–§9).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from villages import media, worker_jobs
from villages.audit import diff, log_action, snapshot
from villages.models import Election, Role, User
from villages.versioning import save_versioned

from . import records
from .models import ArchiveDocument, DocumentKind, FilingRun, RetentionRule
from .services import is_office

ERRORS = {
    "office_only": "只有乡镇选举办工作人员可以生成归档文件。",
    "run_pending": "{unit}已有正在生成的归档任务，请稍后刷新查看。",
    "admin_only": "只有系统管理员可以调整保管期限表或登记销毁。",
    "not_expired": "该文件保管期限未满（{until}），不得销毁。",
    "permanent": "永久保管的档案不得销毁。",
    "already_destroyed": "该文件已登记销毁。",
    "failed": "生成归档文件时出错：{error}。已生成的文件未归档，请联系系统管理员查看日志后重试。",
}
SCAN_PREFIX = "archive"


def _error(code: str, **params) -> ValidationError:
    return ValidationError(ERRORS[code].format(**params), code=code)


# --- The retention table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionRow:
    kind: str
    label: str
    retention: str
    retention_label: str
    basis: str
    adjusted: bool
    rule: RetentionRule | None


def retention_table() -> list[RetentionRow]:
    """Every kind of record with the period in force: the office's row if it set one, else LAW.md §6."""
    rules = {r.kind: r for r in RetentionRule.objects.all()}
    rows = []
    for kind in DocumentKind:
        rule = rules.get(kind.value)
        retention, basis = (rule.retention, rule.basis) if rule else records.DEFAULT_RETENTION[kind]
        rows.append(RetentionRow(kind.value, kind.label, retention, records.R(retention).label, basis,
                                 rule is not None, rule))
    return rows


def retention_for(kind: str) -> str:
    rule = RetentionRule.objects.filter(kind=kind).first()
    return rule.retention if rule else records.DEFAULT_RETENTION[kind][0]


@transaction.atomic
def save_retention_rule(*, by: User, kind: str, retention: str, basis: str, expected_version: int | None) -> RetentionRule:
    """Set the period of one kind of record (admin only). Records already filed keep theirs."""
    if by.role != Role.ADMIN:
        raise _error("admin_only")
    rule = RetentionRule.objects.select_for_update().filter(kind=kind).first()
    if rule is None:
        rule = RetentionRule.objects.create(kind=kind, retention=retention, basis=basis)
        log_action(by=by, action="archive.retention.created", obj=rule, changes=snapshot(rule))
        return rule
    before = snapshot(rule)
    rule.retention, rule.basis = retention, basis
    save_versioned(rule, fields=["retention", "basis"], expected_version=expected_version)
    log_action(by=by, action="archive.retention.updated", obj=rule, changes=diff(before, snapshot(rule)))
    return rule


# --- Generated records -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Generated:
    kind: str
    title: str
    filename: str
    render: Callable[[], bytes]


def generated_records(election: Election) -> Iterator[Generated]:
    """The PDFs this election has grounds for, in filing order (nothing for a stage not reached)."""
    from ballots import documents as ballot_documents
    from candidates import documents as candidate_documents
    from candidates.models import CandidateListPublication
    from candidates.overview import candidate_board
    from voters import documents as voter_documents
    from voters.models import AmendmentBatch, Proxy, Publication

    village = election.unit_name  # the village, or the 选区 (第1选区（东山村）)
    if election.is_party_branch:
        yield from _party_records(election)
        return
    if election.is_party_congress_unit:
        yield from _congress_unit_records(election)
        return
    if Publication.objects.filter(election=election).exists():
        day = election.election_day
        yield Generated(DocumentKind.VOTER_LIST, f"{village}选民名单（截至{day.year}年{day.month}月{day.day}日）", f"{village}选民名单.pdf",
                        lambda: voter_documents.render_published_list_pdf(election, as_of=day))
    for batch in AmendmentBatch.objects.filter(election=election).order_by("number"):
        yield Generated(DocumentKind.AMENDMENTS, f"{village}选民增减名单（第{batch.number}批）",
                        f"{village}选民增减名单第{batch.number}批.pdf",
                        lambda batch=batch: voter_documents.amendments_pdf(election, batch=batch))
    if election.appeals.exists():
        yield Generated(DocumentKind.APPEALS, f"{village}选民资格申诉及处理决定", f"{village}选民资格申诉及处理决定.pdf",
                        lambda: voter_documents.appeals_pdf(election))
    if Proxy.objects.filter(election=election, status=Proxy.Status.APPROVED).exists():
        yield Generated(DocumentKind.PROXY_LIST, f"{village}委托投票名单", f"{village}委托投票名单.pdf",
                        lambda: voter_documents.proxy_list_pdf(election))
    publication = CandidateListPublication.objects.filter(election=election).first()
    if publication is not None and election.is_district:
        from candidates.deputy_overview import deputy_board

        yield Generated(DocumentKind.CANDIDATE_LIST, f"{village}正式代表候选人名单", f"{village}正式代表候选人名单.pdf",
                        lambda: candidate_documents.deputy_list_pdf(deputy_board(election)))
    elif publication is not None:
        yield Generated(DocumentKind.CANDIDATE_LIST, f"{village}正式候选人名单", f"{village}正式候选人名单.pdf",
                        lambda: candidate_documents.candidate_list_pdf(
                            candidate_board(election, today=publication.published_on)))
    yield from _tally_sheets(election, f"{village}计票结果报告单", by_station=True)
    if election.results_announced_on is not None:
        yield Generated(DocumentKind.RESULTS_REPORT, f"{village}选举结果报告单", f"{village}选举结果报告单.pdf",
                        lambda: ballot_documents.results_report_pdf(election, printed_on=election.results_announced_on))
    if election.handover_items.exists():
        from .documents import handover_pdf

        yield Generated(DocumentKind.HANDOVER, f"{village}工作移交清单", f"{village}工作移交清单.pdf",
                        lambda: handover_pdf(election))


def _party_records(election: Election) -> Iterator[Generated]:
    """A village Party organisation's records: its register is never posted (no voter list, amendments, appeals
    or proxies); the formal candidates, each 党员大会 round's tally sheet, the results report, the report to the
    township Party committee and the 工作移交清单."""
    from ballots import documents as ballot_documents
    from candidates import party_documents
    from candidates.models import CandidateListPublication
    from candidates.party_overview import party_board

    unit = election.village.name
    if CandidateListPublication.objects.filter(election=election).exists():
        yield Generated(DocumentKind.CANDIDATE_LIST, f"{unit}党组织正式候选人名单", f"{unit}党组织正式候选人名单.pdf",
                        lambda: party_documents.party_list_pdf(party_board(election)))
    yield from _tally_sheets(election, f"{unit}党员大会计票统计表")
    announced = election.results_announced_on
    if announced is not None:
        yield Generated(DocumentKind.RESULTS_REPORT, f"{unit}党组织换届选举结果报告单", f"{unit}党组织换届选举结果报告单.pdf",
                        lambda: ballot_documents.results_report_pdf(election, printed_on=announced))
        yield Generated(DocumentKind.UPPER_REPORT, f"{unit}党组织换届选举结果的报告", f"{unit}党组织换届选举结果的报告.pdf",
                        lambda: ballot_documents.party_upper_report_pdf(election, printed_on=announced))
    if election.handover_items.exists():
        from .documents import handover_pdf

        yield Generated(DocumentKind.HANDOVER, f"{unit}党组织工作移交清单", f"{unit}党组织工作移交清单.pdf",
                        lambda: handover_pdf(election))


def _congress_unit_records(election: Election) -> Iterator[Generated]:
    """A township Party congress's 选举单位: each 党员大会 round's tally sheet and the results report, the papers its
    own pages print. Its candidates are one list entered at once (no printed list); it hands nothing over; the
    代表资格审查 is the congress's, over every unit (``candidates.congress_credentials``), not one unit's record."""
    from ballots import documents as ballot_documents

    unit = election.party_unit.name
    yield from _tally_sheets(election, f"{unit}党员大会计票结果报告单")
    announced = election.results_announced_on
    if announced is not None:
        yield Generated(DocumentKind.RESULTS_REPORT, f"{unit}党代表大会代表选举结果报告单",
                        f"{unit}党代表大会代表选举结果报告单.pdf",
                        lambda: ballot_documents.results_report_pdf(election, printed_on=announced))


def _tally_sheets(election: Election, title: str, *, by_station: bool = False) -> Iterator[Generated]:
    """Each confirmed tally's sheet, round by round: ``title``（第1轮 正式选举）, the station's name after the round's
    where an election counts at several (``by_station``; a Party members' meeting counts at one)."""
    from ballots import documents as ballot_documents
    from ballots.models import Tally

    tallies = (Tally.objects.filter(round__election=election, status=Tally.Status.CONFIRMED)
               .select_related("round", "station", "entered_by").order_by("round__number", "station__pk"))
    for tally in tallies:
        label = f"{tally.round.label}·{tally.station.name}" if by_station else tally.round.label
        yield Generated(DocumentKind.TALLY_SHEET, f"{title}（{label}）", f"{title}{label}.pdf",
                        lambda tally=tally: ballot_documents.tally_sheet_pdf(election, tally.round, station=tally.station,
                                                                             tally=tally))


def request_filing(*, by: User, election: Election, if_idle: bool = False) -> FilingRun | None:
    """Queue the generation of ``election``'s records (office staff; also called on certification).
    With a run already queued: refused, or (``if_idle``) nothing is done and None returned."""
    from . import tasks

    if not is_office(by, election):
        raise _error("office_only")
    with transaction.atomic():
        Election.objects.select_for_update().get(pk=election.pk)
        for stalled in election.filing_runs.filter(state=FilingRun.State.RUNNING):
            recover_filing(stalled)  # a run whose worker died must not block filing for ever
        if election.filing_runs.filter(state__in=(FilingRun.State.QUEUED, FilingRun.State.RUNNING)).exists():
            if if_idle:
                return None
            raise _error("run_pending", unit=election.unit_that)
        run = FilingRun.objects.create(election=election, requested_by=by)
        log_action(by=by, action="archive.filing.requested", obj=run)
        transaction.on_commit(lambda: tasks.file_records_task.enqueue(run.pk))
    return run


def run_filing(*, run_id: int, today: date, now: datetime) -> FilingRun:
    """Generate and file (the task worker's side). Runs once: 排队中 → 正在生成 is a conditional update.

    Every PDF is rendered and written to storage first; the rows are created in one transaction at the
    end. If anything fails, the files written by this run are removed and the run says why.
    """
    runs = FilingRun.objects.filter(pk=run_id)
    if not worker_jobs.claim(FilingRun, run_id):
        return runs.get()
    run = runs.select_related("election__campaign", "requested_by").get()
    election = run.election
    written: list[str] = []
    try:
        pending: list[tuple[Generated, bytes, str, ArchiveDocument | None]] = []
        for item in generated_records(election):
            content = item.render()
            worker_jobs.beat(run)
            digest = hashlib.sha256(content).hexdigest()
            current = (ArchiveDocument.objects.current()
                       .filter(election=election, source=ArchiveDocument.Source.GENERATED, kind=item.kind, title=item.title)
                       .first())
            if current is not None and current.sha256 == digest:
                run.unchanged += 1
                continue
            pending.append((item, content, digest, current))
        with transaction.atomic():
            if not worker_jobs.still_ours(run):  # given up as dead meanwhile (recover_filing)
                return runs.get()
            for item, content, digest, current in pending:
                name = default_storage.save(_storage_name(election, item.filename, now), ContentFile(content))
                written.append(name)
                if current is not None:
                    ArchiveDocument.objects.filter(pk=current.pk).update(superseded_at=now)
                document = _create(election=election, kind=item.kind, title=item.title, name=name, filename=item.filename,
                                   content=content, digest=digest, content_type="application/pdf",
                                   source=ArchiveDocument.Source.GENERATED, by=run.requested_by, today=today)
                log_action(by=run.requested_by, action="archive.document.filed", obj=document,
                           changes={"title": [None, document.title], "retention": [None, document.retention],
                                    "replaces": [None, current.pk if current else None]})
            run.filed, run.state, run.finished_at = len(pending), FilingRun.State.DONE, timezone.now()
            run.save(update_fields=["filed", "unchanged", "state", "finished_at"])
    except Exception as exc:
        for name in written:
            default_storage.delete(name)
        runs.filter(state=FilingRun.State.RUNNING, attempts=run.attempts).update(
            state=FilingRun.State.FAILED, finished_at=timezone.now(),
            message=ERRORS["failed"].format(error=type(exc).__name__)[:200])
        raise
    return run


def recover_filing(run: FilingRun) -> FilingRun:
    """Queue again (or fail) a run whose worker died (``villages.worker_jobs.recover``)."""
    from . import tasks

    return worker_jobs.recover(run, enqueue=tasks.file_records_task.enqueue)


# --- Scans -----------------------------------------------------------------------------------------


@transaction.atomic
def upload_scan(*, by: User, election: Election, kind: str, title: str, upload, note: str, today: date) -> ArchiveDocument:
    """File a scanned document (PDF or image), checked by its bytes and size (``ARCHIVE_UPLOAD_MAX_MB``)."""
    head = upload.read(16)
    upload.seek(0)
    try:
        file_type = records.check_upload(upload.name, head, upload.size, max_bytes=settings.ARCHIVE_UPLOAD_MAX_MB * 1024 * 1024)
    except records.UploadRejected as exc:
        raise ValidationError({"upload": exc.message}, code="upload") from exc
    content = upload.read()
    name = default_storage.save(_storage_name(election, upload.name, timezone.now()), ContentFile(content))
    try:
        document = _create(election=election, kind=kind, title=title, name=name, filename=upload.name, content=content,
                           digest=hashlib.sha256(content).hexdigest(), content_type=file_type.content_type,
                           source=ArchiveDocument.Source.SCANNED, by=by, today=today, note=note)
        log_action(by=by, action="archive.document.uploaded", obj=document,
                   changes={"title": [None, title], "filename": [None, upload.name], "bytes": [None, len(content)]})
    except Exception:
        default_storage.delete(name)
        raise
    return document


# --- Destruction after the period ----------------------------------------------------------------


@transaction.atomic
def destroy_document(*, by: User, document: ArchiveDocument, reason: str, today: date, now: datetime | None = None) -> ArchiveDocument:
    """登记销毁 a record whose period has ended (admin, with the appraisal's reason): the file goes, the row stays."""
    if by.role != Role.ADMIN:
        raise _error("admin_only")
    document = ArchiveDocument.objects.select_for_update().get(pk=document.pk)
    if document.destroyed_at is not None:
        raise _error("already_destroyed")
    if document.retention == records.R.PERMANENT:
        raise _error("permanent")
    if not records.may_destroy(document.retention, document.retain_until, today):
        raise _error("not_expired", until=f"保管至{document.retain_until:%Y年%m月%d日}")
    name = document.file.name
    ArchiveDocument.objects.filter(pk=document.pk).update(
        destroyed_at=now or timezone.now(), destroyed_by=by, destruction_reason=reason, file="")
    document.refresh_from_db()
    log_action(by=by, action="archive.document.destroyed", obj=document,
               changes={"reason": [None, reason], "file": [name, None]})
    transaction.on_commit(lambda: default_storage.delete(name))
    return document


# --- Helpers ------------------------------------------------------------------------------------------


def _create(*, election, kind, title, name, filename, content, digest, content_type, source, by, today, note="") -> ArchiveDocument:
    retention = retention_for(kind)
    return ArchiveDocument.objects.create(
        election=election, kind=kind, title=title, source=source, file=name, filename=filename[:200],
        content_type=content_type, size=len(content), sha256=digest, pages=_page_count(content, content_type),
        retention=retention, filed_on=today, retain_until=records.retain_until(retention, today), filed_by=by, note=note,
    )


def _storage_name(election: Election, filename: str, now: datetime) -> str:
    """archive/<township code>/<village code, d + the 选区's id, or u + the 选举单位's id>/<election pk>/<token>-
    <timestamp>-<name>: readable in a listing, never clashing (``media.unique_name``: two scans of one name in the
    same second)."""
    if election.is_district:
        unit = f"d{election.district_id}"
    else:
        unit = f"u{election.party_unit_id}" if election.is_party_congress_unit else election.village.code
    safe = "".join(c for c in filename if c not in '/\\:*?"<>|')[-80:] or "document"
    return media.unique_name(f"{SCAN_PREFIX}/{election.township.code}/{unit}/{election.pk}/{now:%Y%m%d%H%M%S}-{safe}")


def _page_count(content: bytes, content_type: str) -> int | None:
    if content_type != "application/pdf":
        return 1
    from pypdf import PdfReader

    try:
        return len(PdfReader(io.BytesIO(content)).pages)
    except Exception:  # a damaged scan is still filed; its page count is unknown
        return None

