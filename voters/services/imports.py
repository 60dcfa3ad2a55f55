"""The Excel import of a village's voter list (STYLE.md §17; issue 3 "Import").

Upload → preview → confirm, with nothing written to the register until the file has no errors and
the user confirms:

1. ``start_import`` stores the upload as an ``ImportJob``. Small files are checked at once, in the
   request; larger ones are queued for the task worker (``voters.tasks``) and the page polls the
   job's ``rows_done`` / ``rows_total``.
2. ``check_import`` reads the workbook once (``voters.workbook``), gathers the register with a
   constant number of queries and checks every row (``voters.imports``). It keeps the checked,
   normalised rows in a gzipped JSON-lines file next to the upload, and every issue in a second
   one (for the annotated workbook); the job holds the counts and the first issues for the page.
3. ``confirm_import`` never parses the workbook again: inside one transaction it locks the job and
   reads the saved rows once, re-checking each chunk against the database only (ID numbers
   registered meanwhile, voters changed or removed meanwhile) before writing it (``COPY`` or one
   prepared INSERT, ``bulk_update``, audit entries with each voter's values); a conflict
   rolls back whatever was written. A second confirmation of the same job finds it confirmed and
   does nothing.

Re-importing the same or a corrected list updates the voters already registered (matched on the
round and the ID number) and never duplicates them; the database constraint
``voter_one_registration_per_round`` backs this up.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import gzip
import io
import json
import logging
import operator
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from villages import media, stages
from villages.access import lock_election_for_write
from villages.audit import diff, log_action, log_created_together, log_each
from villages.models import Election, User, VillagerGroup

from .. import codes, eligibility, imports, registrations, workbook
from ..imports import FIELDS, ExistingVoter, ImportContext, Issue
from ..idnumber import mask_id_number
from ..models import ImportJob, Status, Voter
from ..workbook_writer import PARTY_LAYOUT, annotate_workbook, build_template_workbook

logger = logging.getLogger(__name__)

# The unit another registration of the round is in: its village, or its 选区.
UNIT_NAME = Coalesce("election__village__name", "election__district__name")

MESSAGES = {
    "no_register_here": "本选区的村民小组都属于同日选举的乡级选区：县乡两级选举共用一份选民登记，请在乡级选区导入选民名单。",
    "list_published": "本村选民名单已经公布，公布后的增减请通过“选民名单变更”办理，不能再导入整张名单。",
    "job_not_pending": "这次导入的状态是“{state}”，不能确认导入。",
    "has_errors": "文件中还有{count}处错误，没有导入任何数据。请下载标注了错误的工作簿，改正后重新上传。",
    "no_rows": "文件中没有可以导入的选民。",
    "nothing_to_do": "文件中的选民与名单完全一致，没有需要导入的内容。",
    "taken_meanwhile": "预览之后，此公民身份号码已在本届换届选举的其他村登记，不能再在本村登记。请与乡镇选举办公室联系核实。",
    "added_meanwhile": "预览之后，此人已被他人登记到本村。请重新上传文件核对。",
    "changed_meanwhile": "预览之后，此选民的信息已被他人修改。请重新上传文件核对。",
    "removed_meanwhile": "预览之后，此选民已从本村名单中删除。请重新上传文件核对。",
    "conflict": "确认导入时发现{count}处在预览之后发生的变化，没有写入任何数据。请重新上传文件，核对后再确认。",
    "race": "确认导入时，有人同时登记了文件中的公民身份号码，没有写入任何数据。请重新上传文件核对。",
    "rows_missing": "这次导入的预览结果已经丢失，请重新上传文件。",
    "unexpected": "检查文件时发生意外错误，没有导入任何数据。请重新上传；如果仍然出错，请联系系统管理员。",
    "annotation_unavailable": "这次导入没有读到选民数据，没有可以标注的工作簿。",
    "resumed": "上一次检查时处理进程意外中断，系统已自动重新排队检查（第{attempt}次）。检查完成前不会写入任何数据。",
    "worker_lost": (
        "检查这个文件时处理进程{attempts}次意外中断，系统已停止检查，没有导入任何数据。"
        "请核对文件（可只保留选民名单工作表，另存为新的 .xlsx 文件）后重新上传；如果仍然出现，请联系系统管理员。"
    ),
    "unlisted": "另有{count}条问题未列出",
}

# Files up to this size (about 10,000 rows) are checked in the request; larger ones by the worker.
INLINE_MAX_BYTES = 1_000_000
# How many issues of each kind the job keeps for the page; all of them stay in the issues file.
SHOWN_ISSUES = 1000
SHOWN_UPDATES = 200
PROGRESS_EVERY = 2000
ROWS_PER_LINE = 500  # checked rows per line of the rows file (one JSON array of rows)
ANNOTATE_MAX_ROWS = 50_000
WRITE_CHUNK = 2000
# A job still queued after this long has no worker running: the page stops polling and says so.
STALLED_AFTER = timedelta(minutes=30)
# A check reports (``heartbeat_at``) at each step and every ``PROGRESS_EVERY`` rows; one silent for
# ``VOTER_IMPORT_STALLED_SECONDS`` has lost its process (killed, out of memory, a restart) and is
# queued again, up to ``MAX_ATTEMPTS`` checks in all, then failed (``recover_stalled``).
MAX_ATTEMPTS = 2
# The copy of the user's own workbook is marked with openpyxl, which makes an object of every cell
# from A1 to the last one of each sheet (about 0.5 KB each: 330 MB for 50,000 rows of 14 columns);
# past this many the download is the list of issues instead (``counts["grid_cells"]``, from the
# package inspection).
ANNOTATE_MAX_CELLS = 750_000
_DATE_FIELDS = tuple(i for i, name in enumerate(FIELDS) if name in (
    "birth_date", "statement_date", "residence_since", "application_date", "approval_date"))
_OPEN_STATES = (ImportJob.State.QUEUED, ImportJob.State.PARSING)


# --- Upload ---------------------------------------------------------------------------------------

# Notices of the reader that the user must see among the warnings, not only as notes: a column that
# looks like a known one but could not be placed means that column's checks silently did not run.
WARNING_NOTICES = frozenset({"similar_column"})


def start_import(*, by: User, election: Election, upload: File, filename: str,
                 background: bool | None = None) -> ImportJob:
    """Store ``upload`` as an import job of ``election`` and check it.

    ``background`` None decides by size (``INLINE_MAX_BYTES``); True queues the check for the task
    worker, False checks now. A file checked now that is not a usable workbook (.xls, CSV, no
    header…) raises ``ValidationError`` with the reader's code, so the form can show it.
    """
    _check_list_open(election)
    if not imports.is_party_register(election.rules) and not registrations.register_groups(election):
        raise ValidationError(MESSAGES["no_register_here"], code="no_register_here")
    with transaction.atomic():
        lock_election_for_write(election)
        job = ImportJob(election=election, uploaded_by=by, filename=os.path.basename(filename)[:200])
        job.source.save(media.unique_name(os.path.basename(filename)), upload, save=False)
        job.save()
        log_action(by=by, action="voters.import.uploaded", obj=job, changes={"filename": job.filename})
    if background is None:
        background = (upload.size or 0) > INLINE_MAX_BYTES
    if background:
        from .. import tasks  # tasks.py calls back into this module

        tasks.check_import_task.enqueue(job.pk)
        return job
    job = check_import(job_id=job.pk)
    if job.state == ImportJob.State.FAILED:
        raise ValidationError(job.message, code=job.counts.get("code", "unexpected"))
    return job


# --- Preview --------------------------------------------------------------------------------------

def check_import(*, job_id: int) -> ImportJob:
    """Read and check a queued job's workbook and store the preview; return the job.

    Runs once per job: the move from 排队中 to 正在检查 is a conditional update, so a task that is
    delivered twice finds the job taken. Writes nothing but the job and its two side files.
    """
    taken = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED).update(
        state=ImportJob.State.PARSING, rows_done=0, heartbeat_at=timezone.now(), attempts=F("attempts") + 1)
    job = ImportJob.objects.select_related("election__village", "election__campaign").get(pk=job_id)
    if not taken:
        return job
    try:
        # calamine reads the file by path: from a file object it first copies it all into memory.
        with media.local_path(job.source.storage, job.source.name) as path:
            parsed = workbook.read_voter_workbook(
                path, filename=job.filename, required=imports.required_columns(job.election.rules))
            _beat(job)
            _preview(job, parsed)
    except _Superseded:
        job.refresh_from_db()
    except workbook.WorkbookRejected as exc:
        _finish(job, state=ImportJob.State.FAILED, message=exc.message, counts={"code": exc.code})
    except Exception:
        # A job left in 正在检查 would keep its page polling forever: record the failure, then let
        # the error reach the log (inline) or the task result (worker).
        _finish(job, state=ImportJob.State.FAILED, message=MESSAGES["unexpected"], counts={"code": "unexpected"})
        raise
    return job


def gather_context(election: Election, *, today: date, columns: Iterable[str] | None = None) -> ImportContext:
    """The register as plain data for ``voters.imports``: three queries whatever the size.

    This election's voters come as ``imports.Fingerprints`` of the fields a sheet with ``columns``
    (column keys; default all) supplies, about 160 bytes a voter (a re-import over 200,000 voters
    used to keep their stored values: 660 bytes each, 132 MB). The context's ``fetch`` reads the
    stored values of the rows whose fingerprint differs, ``imports.FETCH_BATCH`` at a time.
    """
    group_names, group_numbers = registrations.import_group_lookups(election)
    columns = workbook.COLUMN_LABELS if columns is None else columns
    supplied = imports.supplied_fields(imports.kind_columns(dict.fromkeys(columns, ""), election.rules))
    existing = imports.Fingerprints(supplied)
    for voter_id, version, *values in (
        Voter.objects.filter(election=election).values_list("id", "version", *FIELDS).iterator(chunk_size=5000)
    ):
        existing.add(voter_id, version, values)
    elsewhere = {
        number: sys.intern(village)
        for number, village in Voter.objects.filter(campaign_id=election.campaign_id)
        .exclude(election=election)
        .values_list("id_number", UNIT_NAME)
        .iterator(chunk_size=5000)
    }
    return ImportContext(
        election_day=election.election_day,
        today=today,
        params=election.rules,
        groups=group_names,
        group_numbers=group_numbers,
        unit=election.unit_here,
        committee=election.committee_label,
        categories=imports.DISTRICT_CATEGORY_CHOICES if election.is_district else imports.CATEGORY_CHOICES,
        existing=existing,
        elsewhere=elsewhere,
        fetch=functools.partial(_stored_voters, election.pk),
    )


def _stored_voters(election_id: int, numbers: list[str]) -> dict[str, ExistingVoter]:
    """This election's voters with these ID numbers, with their values (one query)."""
    id_at = imports.FIELD_INDEX["id_number"]
    return {values[id_at]: ExistingVoter(voter_id, version, tuple(values)) for voter_id, version, *values in (
        Voter.objects.filter(election_id=election_id, id_number__in=numbers).values_list("id", "version", *FIELDS))}


class _Superseded(Exception):
    """This check was given up as dead and the job queued again or failed: stop quietly."""


def _beat(job: ImportJob, **fields) -> None:
    """Report that this check is alive (and how far it got); stop if it was given up meanwhile."""
    alive = ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.PARSING, attempts=job.attempts).update(
        heartbeat_at=timezone.now(), **fields)
    if not alive:
        raise _Superseded


def recover_stalled(job: ImportJob) -> ImportJob:
    """Queue again, or fail, a check whose process died; return the job as it now is.

    A check reports at each step (``_beat``). One silent for ``VOTER_IMPORT_STALLED_SECONDS`` has
    lost its process: the web process or the task worker was killed (out of memory, a restart), and
    nothing else would ever finish the job. It is queued for the task worker again, so long as it
    has had fewer than ``MAX_ATTEMPTS`` checks, and failed otherwise; the page says which
    (``job.message``). The move is a conditional update, so two pages polling at once act once.
    """
    if job.state != ImportJob.State.PARSING:
        return job
    silent_since = job.heartbeat_at or job.created_at
    if timezone.now() - silent_since < timedelta(seconds=settings.VOTER_IMPORT_STALLED_SECONDS):
        return job
    same = ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.PARSING, attempts=job.attempts,
                                    heartbeat_at=job.heartbeat_at)
    if job.attempts < MAX_ATTEMPTS:
        message = MESSAGES["resumed"].format(attempt=job.attempts + 1)
        if same.update(state=ImportJob.State.QUEUED, message=message, heartbeat_at=timezone.now()):
            logger.warning("Import job %s: check %s lost its process, queued again", job.pk, job.attempts)
            from .. import tasks

            transaction.on_commit(lambda: tasks.check_import_task.enqueue(job.pk))
    else:
        message = MESSAGES["worker_lost"].format(attempts=job.attempts)
        if same.update(state=ImportJob.State.FAILED, message=message[:300], counts={"code": "worker_lost"},
                       finished_at=timezone.now()):
            logger.error("Import job %s: check lost its process %s times, failed", job.pk, job.attempts)
    job.refresh_from_db()
    return job


def _preview(job: ImportJob, parsed: workbook.ParsedWorkbook) -> None:
    total = max(parsed.last_row - parsed.header_row, 0)
    _beat(job, rows_total=total)
    labels = {key: column.label for key, column in parsed.columns.items()}
    context = gather_context(job.election, today=timezone.localdate(), columns=labels)
    _beat(job)
    validator = imports.RowValidator(context, columns=labels)
    shown = _ShownIssues(labels, stored_max=settings.VOTER_IMPORT_MAX_ISSUES)
    tally = dict.fromkeys((imports.ERROR, imports.WARNING, imports.INFO), 0)
    storage = job.source.storage
    with storage.open(_rows_name(job), "wb") as rows_raw, storage.open(_issues_name(job), "wb") as issues_raw, \
            gzip.GzipFile(fileobj=rows_raw, mode="wb", compresslevel=1) as rows_out, \
            gzip.GzipFile(fileobj=issues_raw, mode="wb", compresslevel=1) as issues_out:
        issues_out.write(_line({"sheet_name": parsed.sheet_name, "header_row": parsed.header_row}))
        done = 0
        for issue in validator.file_issues():
            _record(issue, shown, tally, issues_out)
        new_rows: dict[str, int] = {}  # ID number → row, for the county-wide check below
        same_person = registrations.SamePersonCheck(job.election)
        at = imports.FIELD_INDEX
        batch: list[list] = []  # rows to write, ROWS_PER_LINE to a line of the rows file
        with _short_lived_objects():
            for result in validator.check_rows(parsed.rows()):
                for issue in result.issues:
                    _record(issue, shown, tally, issues_out)
                if result.outcome in (imports.NEW, imports.UPDATED):
                    batch.append([result.row, result.outcome, result.voter_id, result.version, result.changed,
                                  *result.values])
                    if len(batch) >= ROWS_PER_LINE:
                        rows_out.write(_line(batch))
                        batch = []
                if result.outcome == imports.NEW:
                    values = result.values
                    new_rows[values[at["id_number"]]] = result.row
                    for issue in same_person.add(row=result.row, id_number=values[at["id_number"]],
                                                 name=values[at["name"]], sex=values[at["sex"]],
                                                 birth_date=values[at["birth_date"]]):
                        _record(issue, shown, tally, issues_out)
                done += 1
                if done % PROGRESS_EVERY == 0:
                    _beat(job, rows_done=done)
        if batch:
            rows_out.write(_line(batch))
        for issue in validator.finish():
            _record(issue, shown, tally, issues_out)
        for issue in same_person.flush():
            _record(issue, shown, tally, issues_out)
        for issue in registrations.import_issues(job.election, new_rows):  # other townships' current rounds
            _record(issue, shown, tally, issues_out)
        for notice in parsed.notices:
            level = imports.WARNING if notice.code in WARNING_NOTICES else imports.INFO
            _record(Issue(notice.row_number, "", notice.code, notice.message, level), shown, tally, issues_out)
    counts = {**validator.counts, "rows": done, "errors": tally[imports.ERROR], "warnings": tally[imports.WARNING],
              "blank_rows": parsed.blank_rows, "sheet_name": parsed.sheet_name, "grid_cells": parsed.grid_cells,
              "stored_problems": shown.stored, "notices_dropped": parsed.notices_dropped}
    writable = counts[imports.NEW] + counts[imports.UPDATED] + counts[imports.UNCHANGED]
    ok = not tally[imports.ERROR] and writable
    if not done:
        shown.add(Issue(None, "", "no_rows", MESSAGES["no_rows"]))
        counts["errors"] += 1
    _finish(job, state=ImportJob.State.PREVIEW if ok else ImportJob.State.REJECTED,
            counts=counts, issues=shown.as_list(), rows=done)


@contextlib.contextmanager
def _short_lived_objects():
    """Checking or writing rows makes millions of objects that live for one row. Python's full
    collections, which those set off, would walk every object of the process each time (Django's
    included, 0.1 s a time): those are frozen meanwhile, out of the collector's way (an object
    nothing refers to is still freed at once)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


# SQLite's page cache while a confirmation writes, in KiB (its default is 2 MiB). The voters' indexes
# outgrow 2 MiB past some 50,000 voters and every insert then reads and writes their pages through
# the WAL file again: at 200,000 new voters the insert took 4.2–4.5 s with 2 MiB and 3.2–3.4 s with
# 16 to 64 MiB (``bench_import``). The connection's own size is put back afterwards.
SQLITE_WRITE_CACHE_KIB = 32 * 1024


@contextlib.contextmanager
def _page_cache_for_writing():
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_WRITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _record(issue: Issue, shown: _ShownIssues, tally: dict[str, int], out) -> None:
    """Count ``issue``; keep it for the page if there is room, and errors and warnings for the
    annotated workbook up to ``VOTER_IMPORT_MAX_ISSUES`` (the rest are counted only)."""
    tally[issue.level] += 1
    shown.add(issue)
    if issue.level != imports.INFO and shown.stored < shown.stored_max:
        shown.stored += 1
        out.write(_line(issue.as_dict(shown.labels)))


class _ShownIssues:
    """The first issues of each kind, kept on the job for the preview page."""

    def __init__(self, labels, *, stored_max: int = 0):
        self.labels = labels
        self.problems: list[Issue] = []
        self.updates: list[Issue] = []
        self.notes: list[Issue] = []
        self.stored, self.stored_max = 0, stored_max

    def add(self, issue: Issue) -> None:
        if issue.level != imports.INFO:
            bucket, limit = self.problems, SHOWN_ISSUES
        elif issue.code == "row_updated":
            bucket, limit = self.updates, SHOWN_UPDATES
        else:
            bucket, limit = self.notes, SHOWN_ISSUES
        if len(bucket) < limit:
            bucket.append(issue)

    def as_list(self) -> list[dict]:
        ordered = sorted(self.problems, key=lambda i: (i.row or 0, i.level != imports.ERROR))
        return [i.as_dict(self.labels) for i in ordered + self.updates + self.notes]


# --- Confirm --------------------------------------------------------------------------------------

@transaction.atomic
def end_check_only(*, by: User, job: ImportJob) -> ImportJob:
    """A check-only import (``import_voters --dry-run``) ends here: the previewed job can no longer be
    confirmed, in the browser or anywhere, and its saved rows are removed."""
    job = ImportJob.objects.select_for_update(of=("self",)).get(pk=job.pk)
    if job.state == ImportJob.State.PREVIEW:
        job.state = ImportJob.State.CHECKED_ONLY
        job.save(update_fields=["state"])
        storage = job.source.storage
        if storage.exists(_rows_name(job)):
            storage.delete(_rows_name(job))
        log_action(by=by, action="voters.import.checked_only", obj=job, changes={"state": ["preview", job.state]})
    return job


def confirm_import(*, by: User, job: ImportJob) -> ImportJob:
    """Write a previewed import to the register, after re-checking it against the database.

    One transaction: the job row is locked (``select_for_update``) and must still be 待确认, so a
    second confirmation does nothing but say so. The saved rows are re-checked against the register
    as it is now; if anything changed meanwhile, nothing is written, the job turns 有错误 with the
    reasons, and ``ValidationError(code="conflict")`` is raised after the job is saved. Otherwise
    new voters are inserted, changed fields updated (each voter's ``version`` goes up), the rows file
    is removed and one ``voters.import.confirmed`` audit entry records the counts.
    """
    conflicts: list[Issue] = []
    with transaction.atomic():
        job = (ImportJob.objects.select_for_update(of=("self",))
               .select_related("election__village", "election__campaign").get(pk=job.pk))
        if job.state != ImportJob.State.PREVIEW:
            raise ValidationError(MESSAGES["job_not_pending"].format(state=job.get_state_display()),
                                  code="job_not_pending")
        election = job.election
        lock_election_for_write(election)
        _check_list_open(election)
        registrations.lock_county(election)
        storage = job.source.storage
        if not storage.exists(_rows_name(job)):
            raise ValidationError(MESSAGES["rows_missing"], code="rows_missing")
        current = {number: (pk, version) for number, pk, version in (
            Voter.objects.select_for_update(of=("self",)).filter(election=election).order_by()
            .values_list("id_number", "id", "version"))}
        elsewhere = dict(Voter.objects.filter(campaign_id=election.campaign_id).exclude(election=election)
                         .values_list("id_number", UNIT_NAME).iterator(chunk_size=5000))
        with _short_lived_objects(), _page_cache_for_writing():
            try:
                with transaction.atomic():  # a savepoint: whatever was written is undone on a conflict
                    written, conflicts = _write(job, by=by, current=current, elsewhere=elsewhere)
                    if conflicts:
                        raise _Refused
            except _Refused:
                pass
            except IntegrityError:
                conflicts = [Issue(None, "id_number", "race", MESSAGES["race"])]
        if conflicts:
            _reject_on_confirm(job, conflicts)
        else:
            job.state = ImportJob.State.CONFIRMED
            job.finished_at = timezone.now()
            job.counts = {**job.counts, "written": written}
            job.save(update_fields=["state", "finished_at", "counts"])
            log_action(by=by, action="voters.import.confirmed", obj=job,
                       changes={"filename": job.filename, "counts": written})
            transaction.on_commit(lambda: storage.delete(_rows_name(job)))
    if conflicts:
        raise ValidationError(MESSAGES["conflict"].format(count=len(conflicts)), code="conflict")
    return job


class _Refused(Exception):
    """The saved rows are in conflict with the register: roll back what was written."""


def _conflict(row: int, outcome: str, number: str, voter_id: int | None, version: int | None, current: dict,
              elsewhere: dict) -> Issue | None:
    """What changed in the register since the preview about a saved row, if anything."""
    code, values = None, {}
    if outcome == imports.NEW:
        if number in current:
            code = "added_meanwhile"
        elif number in elsewhere:
            code, values = "taken_meanwhile", {"village": elsewhere[number]}
    elif number not in current or current[number][0] != voter_id:
        code = "removed_meanwhile"
    elif current[number][1] != version:
        code = "changed_meanwhile"
    return Issue(row, "id_number", code, MESSAGES[code].format(**values)) if code else None


def _write(job: ImportJob, *, by: User, current: dict, elsewhere: dict) -> tuple[dict[str, int], list[Issue]]:
    """Re-check the saved rows against the register as it is now, and write them: insert and update
    the voters, and log each voter's change with its before and after (``voters.import.voters_created``,
    one entry for a chunk of new voters with each one's values, and ``voter_updated``), so each has its
    own history page. One pass over the saved rows, a chunk of
    new voters at a time: each chunk is checked, for conflicts here (``_conflict``) and in the
    county's other rounds, before it is written, and once a conflict is found nothing more is
    written (the caller rolls back the rest). Returns what was written and the conflicts, those of
    the other rounds after the others, as the rows' order; with none, a registration that raced the
    insert (the round's unique constraint) is the one conflict."""
    election = job.election
    audit = _VoterAudit(election, by=by, filename=job.filename)
    now = timezone.now()
    written = {"created": 0, "updated": 0, "unchanged": job.counts.get(imports.UNCHANGED, 0)}
    insert = _VoterInsert(election, now=now)
    id_at = imports.FIELD_INDEX["id_number"]
    conflicts: list[Issue] = []
    county: list[Issue] = []  # registered in another current round of the county
    new: list[list] = []
    new_rows: dict[str, int] = {}  # the chunk's numbers → rows
    updates: dict[tuple[str, ...], list[Voter]] = {}
    raced = False

    def write_new() -> None:
        nonlocal raced
        if not new:
            return
        county.extend(registrations.import_issues(election, new_rows, code="taken_meanwhile"))
        if not conflicts and not county and not raced:
            try:
                with transaction.atomic():  # a savepoint: a racing registration trips the constraint
                    audit.created(new, insert.run(new))
            except IntegrityError:
                raced = True  # the rows are still checked: a conflict found there is the one to tell
            else:
                written["created"] += len(new)
        new.clear()
        new_rows.clear()

    for row, outcome, voter_id, version, changed, values in _saved_rows(job):
        conflict = _conflict(row, outcome, values[id_at], voter_id, version, current, elsewhere)
        if conflict is not None:
            conflicts.append(conflict)
        if outcome == imports.NEW:
            new.append(values)
            new_rows[values[id_at]] = row
            if len(new) >= WRITE_CHUNK:
                write_new()
        elif not conflicts:
            changes = {name: values[imports.FIELD_INDEX[name]] for name in changed}
            updates.setdefault(tuple(changed), []).append(
                Voter(pk=voter_id, version=version + 1, updated_at=now, **changes))
    write_new()
    if conflicts or county:
        return written, conflicts + county
    if raced:
        return written, [Issue(None, "id_number", "race", MESSAGES["race"])]
    for changed, voters in updates.items():
        audit.updated(changed, voters)
        Voter.objects.bulk_update(voters, [*changed, "version", "updated_at"], batch_size=WRITE_CHUNK)
        written["updated"] += len(voters)
    return written, []


class _VoterAudit:
    """The audit entries of an import's voters: one for each chunk of new voters, with each voter's values
    (``villages.audit.log_created_together``), and one for each changed voter with its before and after,
    one INSERT per chunk (``villages.audit.log_each``)."""

    def __init__(self, election: Election, *, by: User, filename: str):
        self.election, self.by, self.filename = election, by, filename
        self.township_id, self.village_id = election.audit_scope()

    def created(self, rows: list[list], ids: list[int] | None) -> None:
        """Log the voters just inserted from ``rows``, with their ``ids`` in the rows' order if known."""
        if ids is None:
            at = imports.FIELD_INDEX["id_number"]
            pks = self._inserted([r[at] for r in rows])
            ids = [pks[r[at]] for r in rows]
        log_created_together(
            by=self.by, action="voters.import.voters_created", model=Voter,
            text=f"导入《{self.filename}》新增的{len(rows)}名选民", fields=FIELDS,
            objects=dict(zip(ids, rows)),
            township_id=self.township_id, village_id=self.village_id)

    def updated(self, changed: tuple[str, ...], voters: list[Voter]) -> None:
        for start in range(0, len(voters), WRITE_CHUNK):
            chunk = voters[start:start + WRITE_CHUNK]
            stored = {row[0]: row for row in Voter.objects.filter(pk__in=[v.pk for v in chunk])
                      .values_list("pk", "name", "id_number", *changed)}
            entries = ((v.pk, _voter_repr(v.name if "name" in changed else stored[v.pk][1], stored[v.pk][2]),
                        diff(dict(zip(changed, stored[v.pk][3:])), {name: getattr(v, name) for name in changed}))
                       for v in chunk)
            self._log("voters.import.voter_updated", entries)

    def _inserted(self, numbers: list[str]) -> dict[str, int]:
        """The ids of the voters just inserted with these numbers. They are looked up by the round
        and the number, the unique index of voter_one_registration_per_round (by the election the
        database would read all its voters for every chunk), in SQL: the ORM would spend longer
        preparing the numbers than the database finding them."""
        if not numbers:
            return {}
        meta, quote = Voter._meta, connection.ops.quote_name
        number, campaign = quote(meta.get_field("id_number").column), quote(meta.get_field("campaign").column)
        sql = (f"SELECT {number}, {quote(meta.pk.column)} FROM {quote(meta.db_table)} "
               f"WHERE {campaign} = %s AND {number} IN ({', '.join(['%s'] * len(numbers))})")
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.election.campaign_id, *numbers])
            return dict(cursor.fetchall())

    def _log(self, action: str, entries) -> None:
        log_each(by=self.by, action=action, model=Voter, entries=entries, township_id=self.township_id,
                 village_id=self.village_id, chunk=WRITE_CHUNK)


def _voter_repr(name: str, id_number: str) -> str:
    return f"{name}（{mask_id_number(id_number)}）"  # str(voter), without building one


class _VoterInsert:
    """Insert new voters: ``COPY … FROM STDIN`` on PostgreSQL, one prepared INSERT run over the
    chunk (``executemany``) on SQLite.

    ``bulk_create`` spends about 100 µs a row sending each of the 34 values through the generic field
    machinery, twice the time of the whole preview (``bench_import``), and on PostgreSQL psycopg
    re-parses its multi-row statements for every batch. For this model that machinery amounts to
    adapting the date and datetime columns, which is all this does; the columns, defaults and
    adapters still come from ``Voter._meta``, so a new field with a default needs no change here.
    The database constraints apply as usual, and a violation is Django's ``IntegrityError``.
    """

    def __init__(self, election: Election, *, now):
        ops = connection.ops
        constant = {"campaign_id": election.campaign_id, "election_id": election.pk}
        # The columns the rows fill first, in the rows' order, then those with one value for all.
        fields, self.tail, tail_columns = [], [], []
        for model_field in Voter._meta.concrete_fields:
            if model_field.primary_key:
                continue
            name, column = model_field.attname, ops.quote_name(model_field.column)
            if name in imports.FIELD_INDEX:
                fields.append((imports.FIELD_INDEX[name], column))
            elif getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
                self.tail.append(ops.adapt_datetimefield_value(now))
                tail_columns.append(column)
            else:
                value = constant.get(name, model_field.get_default())
                self.tail.append(model_field.get_db_prep_save(value, connection))
                tail_columns.append(column)
        self.adapt_date = ops.adapt_datefield_value
        table = ops.quote_name(Voter._meta.db_table)
        self.copy = connection.vendor == "postgresql"
        if self.copy:
            self.values = operator.itemgetter(*(index for index, _column in fields))
            self.dates = [at for at, (index, _column) in enumerate(fields) if index in _DATE_FIELDS]
            names = ", ".join([column for _index, column in fields] + tail_columns)
            self.sql = f"COPY {table} ({names}) FROM STDIN"
        else:
            # SQLite binds each parameter of each row in Python (half the insert's time): the rows go as
            # they are, in their own order, and the values that are the same for all are in the statement.
            if len(fields) != len(FIELDS):
                raise ValueError("voter insert: every imported field must be a column of the voter")
            names = ", ".join([column for _index, column in sorted(fields)] + tail_columns)
            places = ", ".join(["%s"] * len(FIELDS) + [_sqlite_literal(value) for value in self.tail])
            self.sql = f"INSERT INTO {table} ({names}) VALUES ({places})"

    def run(self, rows: list[list]) -> list[int] | None:
        """Insert the rows (their date values are turned into the database's text on SQLite). Returns the
        new voters' ids in the rows' order where the database tells them at no cost: on SQLite, which
        gives the rows of one statement consecutive ids (the table's ``AUTOINCREMENT``, and no other
        writer while this transaction holds the database), ending at ``last_insert_rowid()``."""
        if not rows:
            return []
        adapt_date = self.adapt_date
        with connection.cursor() as cursor, connection.wrap_database_errors:
            if self.copy:
                values, tail, dates = self.values, self.tail, self.dates
                with cursor.cursor.copy(self.sql) as copy:
                    for row in rows:
                        record = [*values(row), *tail]
                        for at in dates:
                            if record[at] is not None:
                                record[at] = adapt_date(record[at])
                        copy.write_row(record)
                return None
            for row in rows:
                for at in _DATE_FIELDS:
                    if row[at] is not None:
                        row[at] = adapt_date(row[at])
            cursor.executemany(self.sql, rows)
            cursor.execute("SELECT last_insert_rowid()")
            last = cursor.fetchone()[0]
        return list(range(last - len(rows) + 1, last + 1))


def _sqlite_literal(value) -> str:
    """A constant of the voter insert (a default or an id, never a user's text) as SQLite writes it."""
    if value is None:
        return "NULL"
    if type(value) is bool:
        return "1" if value else "0"
    if type(value) is int:
        return str(value)
    if type(value) is str:
        return "'" + value.replace("'", "''").replace("%", "%%") + "'"  # %% : Django's SQLite cursor reads %s
    raise TypeError(f"voter insert: no literal for a {type(value).__name__}")


def _reject_on_confirm(job: ImportJob, conflicts: list[Issue]) -> None:
    labels = {}
    job.state = ImportJob.State.REJECTED
    job.counts = {**job.counts, "errors": job.counts.get("errors", 0) + len(conflicts), "conflicts": len(conflicts)}
    job.issues = [issue.as_dict(labels) for issue in conflicts[:SHOWN_ISSUES]] + list(job.issues)
    job.save(update_fields=["state", "counts", "issues"])
    member = io.BytesIO()  # one more gzip member at the end of the issues file
    with gzip.GzipFile(fileobj=member, mode="wb") as out:
        for issue in conflicts:
            out.write(_line(issue.as_dict(labels)))
    media.append(job.source.storage, _issues_name(job), member.getvalue())


# --- The job page ----------------------------------------------------------------------------------

@dataclass
class JobSummary:
    """What the job page shows, worked out once: the stored issues by kind, and what may be done."""

    problems: list[dict]  # errors and warnings, by row
    updates: list[dict]  # "将更新：…" per row
    notes: list[dict]  # skipped totals rows, ignored columns…
    errors: int
    warnings: int
    problems_cut: bool  # more problems than the job keeps for the page
    unlisted: int  # problems not on the page
    unlisted_everywhere: int  # problems in neither the page nor the annotated workbook
    updates_cut: bool
    to_write: int
    in_progress: bool
    stalled: bool
    can_confirm: bool
    can_annotate: bool
    marks_copy: bool  # the download is the user's own file marked up (else a list of the issues)
    progress_percent: int


def summarize(job: ImportJob) -> JobSummary:
    counts = job.counts or {}
    problems = [i for i in job.issues if i["level"] != imports.INFO]
    updates = [i for i in job.issues if i["level"] == imports.INFO and i["code"] == "row_updated"]
    notes = [i for i in job.issues if i["level"] == imports.INFO and i["code"] != "row_updated"]
    errors, warnings = counts.get("errors", 0), counts.get("warnings", 0)
    to_write = counts.get(imports.NEW, 0) + counts.get(imports.UPDATED, 0)
    stalled = job.state == ImportJob.State.QUEUED and timezone.now() - job.created_at > STALLED_AFTER
    in_progress = job.state in _OPEN_STATES and not stalled
    return JobSummary(
        problems=problems,
        updates=updates,
        notes=notes,
        errors=errors,
        warnings=warnings,
        problems_cut=errors + warnings > len(problems),
        unlisted=max(errors + warnings - len(problems), 0),
        unlisted_everywhere=_unlisted(job),
        updates_cut=counts.get(imports.UPDATED, 0) > len(updates),
        to_write=to_write,
        in_progress=in_progress,
        stalled=stalled,
        can_confirm=job.state == ImportJob.State.PREVIEW and to_write > 0,
        can_annotate=job.state not in (*_OPEN_STATES, ImportJob.State.FAILED),
        marks_copy=_marks_copy(job),
        progress_percent=min(100, job.rows_done * 100 // job.rows_total) if job.rows_total else 0,
    )


NEW_PEOPLE_SHOWN = 200


def new_people(job: ImportJob, *, limit: int = NEW_PEOPLE_SHOWN) -> list[dict]:
    """The people the preview would register (新登记), in file order, at most ``limit``: name, sex, year
    of birth, villager group, registered or refused, and the ID number masked."""
    if job.state != ImportJob.State.PREVIEW or not job.source.storage.exists(_rows_name(job)):
        return []
    at = imports.FIELD_INDEX
    groups = dict(job.election.group_choices())
    people = []
    for row, outcome, _voter, _version, _changed, values in _saved_rows(job):
        if outcome != imports.NEW:
            continue
        people.append({
            "row": row, "name": values[at["name"]], "sex": "男" if values[at["sex"]] == "M" else "女",
            "birth_year": values[at["birth_date"]].year if values[at["birth_date"]] else None,
            "group": groups.get(values[at["group_id"]], ""), "id_number": mask_id_number(values[at["id_number"]]),
            "registered": values[at["status"]] == Status.REGISTERED,
        })
        if len(people) >= limit:
            break
    return people


# --- Workbooks to download ------------------------------------------------------------------------

def template_workbook(election: Election) -> bytes:
    """The blank list for ``election``'s village, with drop-downs for its groups and the code lists."""
    names, _numbers = registrations.import_group_lookups(election)
    groups = [name for name in names if name]  # in the unit's order
    choices = {
        "sex": ["男", "女"],
        "ethnicity": list(codes.ETHNIC_GROUPS.values()),
        "education": list(imports.EDUCATION_CHOICES),
        "political_status": list(imports.POLITICAL_STATUS_CHOICES),
        "category": list((imports.DISTRICT_CATEGORY_CHOICES if election.is_district else imports.CATEGORY_CHOICES).values()),
        "residence": list(imports.DISTRICT_RESIDENCE_CHOICES if election.is_district else imports.RESIDENCE_CHOICES),
        "away": list(imports.AWAY_CHOICES),
        "approval_meeting": list(eligibility.APPROVAL_MEETINGS),
    }
    if imports.is_party_register(election.rules):
        from villages.kinds import party_members

        party_choices = {
            "sex": choices["sex"], "ethnicity": choices["ethnicity"], "education": choices["education"],
            "standing": list(party_members.STANDING_CHOICES), "restriction": list(party_members.RESTRICTION_CHOICES),
            "away": list(party_members.YES_NO_CHOICES), "ill": list(party_members.YES_NO_CHOICES),
        }
        return build_template_workbook(groups=groups, choices=party_choices, layout=PARTY_LAYOUT)
    return build_template_workbook(groups=groups, choices=choices)


def annotated_workbook(job: ImportJob) -> bytes:
    """The user's workbook with a 错误说明 column (errors, then warnings) and the bad cells filled.

    Marking a copy loads the whole workbook with openpyxl (``workbook_writer``), which for more than
    ``ANNOTATE_MAX_ROWS`` rows takes minutes and gigabytes; such a file gets a list of its issues
    instead (``issue_list_workbook``), written row by row.
    """
    storage = job.source.storage
    if job.state in _OPEN_STATES or not storage.exists(_issues_name(job)):
        raise ValidationError(MESSAGES["annotation_unavailable"], code="annotation_unavailable")
    header, issues = _read_issues(job)
    if not _marks_copy(job):
        return issue_list_workbook(issues, unlisted=_unlisted(job))
    by_row: dict[int, list[str]] = {}
    cells: list[tuple[int, str]] = []
    for issue in sorted(issues, key=lambda i: i["level"] != imports.ERROR):
        if issue["row"] is None or issue["level"] == imports.INFO:
            continue
        label, text = issue["label"], issue["message"]
        if label and not text.startswith(label):
            text = f"{label}：{text}"
        by_row.setdefault(issue["row"], []).append(text if issue["level"] == imports.ERROR else f"提示：{text}")
        if issue["level"] == imports.ERROR and issue["column"]:
            cells.append((issue["row"], issue["column"]))
    with job.source.open("rb") as source:
        original = source.read()
    try:
        return annotate_workbook(original, issues_by_row=by_row, cells=cells, sheet_name=header.get("sheet_name"))
    except Exception:  # a file calamine read but openpyxl cannot: the list says the same
        logger.warning("Import job %s: the upload could not be marked up, listing its issues", job.pk, exc_info=True)
        return issue_list_workbook(issues)


def annotated_filename(job: ImportJob) -> str:
    stem = os.path.splitext(job.filename)[0] or "选民名单"
    return f"{stem}_{'错误说明' if _marks_copy(job) else '错误清单'}.xlsx"


def _marks_copy(job: ImportJob) -> bool:
    """Whether the download is the user's own file marked up: every issue kept, and a file small
    enough for openpyxl (``ANNOTATE_MAX_ROWS`` rows, ``ANNOTATE_MAX_CELLS`` cells in all sheets)."""
    counts = job.counts or {}
    return (job.rows_total <= ANNOTATE_MAX_ROWS and counts.get("grid_cells", 0) <= ANNOTATE_MAX_CELLS
            and not _unlisted(job))


def _unlisted(job: ImportJob) -> int:
    """Errors and warnings counted but not kept in the issues file (past ``VOTER_IMPORT_MAX_ISSUES``)."""
    counts = job.counts or {}
    if "stored_problems" not in counts:
        return 0
    return max(counts.get("errors", 0) + counts.get("warnings", 0) - counts.get("conflicts", 0)
               - counts["stored_problems"], 0)


def issue_list_workbook(issues, *, unlisted: int = 0) -> bytes:
    """Every error and warning as one row of a new workbook: 行, 列, 类型, 代码, 说明; then, when
    issues were counted but not kept, a last row saying how many (“另有N条问题未列出”)."""
    from openpyxl import Workbook

    from villages.spreadsheets import row_values

    book = Workbook(write_only=True)
    sheet = book.create_sheet("错误清单")
    sheet.append(["行", "列", "类型", "代码", "说明"])
    for issue in issues:
        if issue["level"] != imports.INFO:
            kind = "错误" if issue["level"] == imports.ERROR else "提示"
            sheet.append(row_values([issue["row"] or "全表", issue["label"], kind, issue["code"], issue["message"]]))
    if unlisted:
        sheet.append(["", "", "", "", MESSAGES["unlisted"].format(count=unlisted) + "。"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- Helpers --------------------------------------------------------------------------------------

def is_list_open(election: Election) -> bool:
    """Whole-list imports are for the registration period: once the list is published, changes go
    through amendment batches (OL §14; DOMAIN.md "Changes since the last term")."""
    published = stages.stage_index(election.stage) >= stages.stage_index(stages.LIST_PUBLISHED)
    return election.voter_list_published_on is None and not published


def _check_list_open(election: Election) -> None:
    if not is_list_open(election):
        raise ValidationError(MESSAGES["list_published"], code="list_published")


def _finish(job: ImportJob, *, state: str, message: str = "", counts: dict | None = None,
            issues: list | None = None, rows: int | None = None) -> None:
    """End this check: unless it was given up meanwhile (``recover_stalled``), then it changes nothing."""
    fields = {"state": state, "message": message[:300], "counts": counts or {}, "issues": issues or [],
              "heartbeat_at": timezone.now()}
    if rows is not None:
        fields.update(rows_done=rows, rows_total=rows)
    ours = ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.PARSING, attempts=job.attempts)
    if ours.update(**fields):
        for name, value in fields.items():
            setattr(job, name, value)
    else:
        job.refresh_from_db()


def _rows_name(job: ImportJob) -> str:
    return f"{job.source.name}.rows.jsonl.gz"


def _issues_name(job: ImportJob) -> str:
    return f"{job.source.name}.issues.jsonl.gz"


def _line(value) -> bytes:
    return _ENCODER.encode(value).encode() + b"\n"


def _isoformat(value: date) -> str:
    return value.isoformat()  # json calls this only for what it cannot write itself: the dates


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_isoformat, check_circular=False)


def _saved_rows(job: ImportJob) -> Iterator[tuple]:
    """The checked rows of the preview: (row, outcome, voter id, version, changed fields, values).
    A line of the rows file holds a list of rows (``ROWS_PER_LINE``) or, written before, one row."""
    with job.source.storage.open(_rows_name(job), "rb") as raw, gzip.GzipFile(fileobj=raw) as lines:
        for line in io.TextIOWrapper(lines, encoding="utf-8"):
            record = json.loads(line)
            for row, outcome, voter_id, version, changed, *values in (
                record if record and type(record[0]) is list else (record,)
            ):
                for index in _DATE_FIELDS:
                    if values[index] is not None:
                        values[index] = date.fromisoformat(values[index])
                yield row, outcome, voter_id, version, changed, values


def _read_issues(job: ImportJob) -> tuple[dict, list[dict]]:
    with job.source.storage.open(_issues_name(job), "rb") as raw, gzip.GzipFile(fileobj=raw) as lines:
        records = [json.loads(line) for line in io.TextIOWrapper(lines, encoding="utf-8")]
    return records[0], records[1:]

