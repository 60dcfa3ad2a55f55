"""Writes of the reports app: importing rosters; building report exports (each one logged)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from villages import worker_jobs
from villages.audit import log_action
from villages.models import Township, User, Village
from voters.workbook import WorkbookRejected

from . import aggregates
from .models import ReportExport, Roster, RosterMember
from .rosters import parse_roster


class RosterProblems(ValidationError):
    """The workbook has row problems; ``rows`` lists (row, column, message) for the error table."""

    def __init__(self, rows):
        self.rows = rows
        super().__init__(f"名册中有{len(rows)}处问题，未导入任何数据。请按下表修改后重新上传。", code="roster_rows")


def import_roster(
    *, by: User, village: Village, kind: str, term_number: int, source, filename: str, today: date
) -> Roster:
    """Import (or replace) one roster; every row is checked before one short write."""
    parsed = _parse(source, filename=filename, kind=kind, today=today)
    with transaction.atomic():
        return _replace_roster(by=by, village=village, kind=kind, term_number=term_number, filename=filename,
                               members=parsed.members)


def import_township_roster(
    *, by: User, township: Township, kind: str, term_number: int, source, filename: str, today: date
) -> list[Roster]:
    """Import (or replace) the rosters of every village named in a township-wide workbook, whose rows
    carry a 村（社区） column (village name or 12-digit code). All or nothing: one bad row anywhere and
    no village's roster is written. Villages the file does not name keep their rosters."""
    villages = list(township.villages.order_by("code"))
    keys = {v.name: v.pk for v in villages} | {v.code: v.pk for v in villages}
    parsed = _parse(source, filename=filename, kind=kind, today=today, villages=keys)
    by_village: dict[int, list] = {}
    for member in parsed.members:
        by_village.setdefault(member.village, []).append(member)
    with transaction.atomic():
        return [
            _replace_roster(by=by, village=village, kind=kind, term_number=term_number, filename=filename,
                            members=by_village[village.pk])
            for village in villages
            if village.pk in by_village
        ]


def roster_template(*, township: Township, kind: str) -> bytes:
    """The blank township-wide roster for ``kind``, with the township's villages in a drop-down."""
    from voters import codes, imports

    from .roster_workbook import build_roster_template

    villages = list(township.villages.order_by("code").values_list("name", flat=True))
    choices = {
        "sex": ["男", "女"],
        "ethnicity": list(codes.ETHNIC_GROUPS.values()),
        "education": list(imports.EDUCATION_CHOICES),
        "political_status": list(imports.POLITICAL_STATUS_CHOICES),
    }
    return build_roster_template(branch=kind == Roster.Kind.PARTY_BRANCH, villages=villages, choices=choices)


def _parse(source, *, filename: str, kind: str, today: date, villages: dict[str, int] | None = None):
    try:
        parsed = parse_roster(source, filename=filename, branch=kind == Roster.Kind.PARTY_BRANCH, today=today,
                              villages=villages)
    except WorkbookRejected as exc:
        raise ValidationError(exc.message, code=exc.code) from exc
    if parsed.problems:
        raise RosterProblems(parsed.problems)
    return parsed


def _replace_roster(*, by: User, village: Village, kind: str, term_number: int, filename: str, members) -> Roster:
    roster, created = Roster.objects.select_for_update().get_or_create(
        village=village, kind=kind, term_number=term_number, defaults={"imported_by": by, "source_filename": filename}
    )
    replaced = 0 if created else roster.members.all().delete()[0]
    roster.imported_by, roster.source_filename = by, filename
    roster.save(update_fields=["imported_by", "source_filename"])
    fields = ("name", "id_number", "sex", "birth_date", "ethnicity", "education", "political_status", "post")
    RosterMember.objects.bulk_create(
        RosterMember(roster=roster, **{f: getattr(m, f) for f in fields}) for m in members
    )
    log_action(
        by=by,
        action="reports.roster.imported",
        obj=roster,
        changes={"members": [replaced or None, len(members)]},
    )
    aggregates.villages_changed([village.pk])  # 连选连任, 交叉任职 and 一肩挑 read the rosters
    return roster


# --- Report exports ------------------------------------------------------------------------------

EXPORT_MESSAGES = {
    "failed": "生成报表时出错，请稍后重试；如仍失败，请联系系统管理员查看日志。",
}


def export_report(*, by: User | None, scope, fmt: str, now) -> tuple[bytes, str]:
    """Build the report of ``scope`` as ``fmt`` (xlsx or pdf) now and log the export; returns the
    file's bytes and name. ``by`` None: the command line."""
    from .documents import render_report, report_filename
    from .queries import build_report

    figures = build_report(scope, now=now)
    content = render_report(figures, fmt)
    filename = report_filename(figures, fmt)
    _log_export(by=by, scope=scope, fmt=fmt, figures=figures, filename=filename)
    return content, filename


def start_report_export(*, by: User, scope, fmt: str) -> ReportExport:
    """Queue the export of ``scope`` for the task worker and return the job the page polls."""
    from . import tasks

    export = ReportExport.objects.create(
        kind=scope.kind, code=scope.code, label=scope.label, county_id=scope.county_id,
        township_id=scope.township_id, village_id=scope.village_id, format=fmt, requested_by=by,
    )
    transaction.on_commit(lambda: tasks.build_report_export_task.enqueue(export.pk))
    return export


def run_report_export(*, export_id: int, now) -> ReportExport:
    """Build a queued export (the task worker's side). Runs once: the move from 排队中 to 正在生成 is a
    conditional update, so a task delivered twice finds the job taken. Progress is written as it goes,
    outside any transaction, so the polling page sees it."""
    from django.core.files.base import ContentFile

    from .documents import render_report, report_filename
    from .queries import build_report
    from .scopes import get_scope

    jobs = ReportExport.objects.filter(pk=export_id)
    if not worker_jobs.claim(ReportExport, export_id, progress=5, step="正在汇总数据"):
        return jobs.get()
    export = jobs.select_related("requested_by").get()
    try:
        scope = get_scope(export.kind, export.code)
        figures = build_report(scope, now=now)
        worker_jobs.beat(export, progress=40, step="正在绘制图表和排版" if export.format == "pdf" else "正在写入工作簿")
        content = render_report(figures, export.format)
        worker_jobs.beat(export, progress=90, step="正在保存文件")
        filename = report_filename(figures, export.format)
        with transaction.atomic():
            if not worker_jobs.still_ours(export):  # given up as dead meanwhile (recover_report_export)
                return jobs.get()
            export.file.save(f"report-{export.pk}.{export.format}", ContentFile(content), save=False)
            export.filename, export.state, export.progress, export.step = filename, ReportExport.State.DONE, 100, ""
            export.finished_at = timezone.now()
            export.save(update_fields=["file", "filename", "state", "progress", "step", "finished_at"])
            _log_export(by=export.requested_by, scope=scope, fmt=export.format, figures=figures, filename=filename)
    except Exception:
        # A job left in 正在生成 would keep its page polling forever: record the failure, then let the
        # error reach the task result and the log.
        jobs.filter(state=ReportExport.State.RUNNING, attempts=export.attempts).update(
            state=ReportExport.State.FAILED, message=EXPORT_MESSAGES["failed"], finished_at=timezone.now())
        raise
    return export


def recover_report_export(export: ReportExport) -> ReportExport:
    """Queue again (or fail) an export whose worker died (``villages.worker_jobs.recover``)."""
    from . import tasks

    return worker_jobs.recover(export, enqueue=tasks.build_report_export_task.enqueue)


def _log_export(*, by, scope, fmt, figures, filename) -> None:
    township_id, village_id = scope.audit_ids()
    log_action(
        by=by,
        action="reports.report.exported",
        township_id=township_id,
        village_id=village_id,
        changes={
            "scope": [None, scope.key],
            "format": [None, fmt],
            "filename": [None, filename],
            "certified": [None, figures.is_certified],
        },
    )
