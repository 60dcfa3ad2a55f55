"""Jobs run by the task worker: taken once, alive while they report, picked up again when their
process died (issue 15 "Workers on any node").

The list prints (``voters.ListPrint``), report exports (``reports.ReportExport``) and archive
filings (``archive.FilingRun``) share one life: 排队中 → 正在生成 → 已完成 / 失败, with the columns
``state``, ``attempts``, ``heartbeat_at``, ``message`` and ``finished_at``. The database task
backend hands a task to one worker (``SELECT … FOR UPDATE SKIP LOCKED``), but a worker killed in
the middle (out of memory, a node lost, a restart) leaves its task 正在生成 for ever. So:

- ``claim`` moves a job from 排队中 to 正在生成 once (a conditional update: a task delivered twice
  finds the job taken) and counts the attempt;
- ``beat`` says the job is still alive at each step; no step of these jobs lasts minutes;
- ``recover`` (called where the job is looked at: its page, or a new request for the same work)
  queues a job silent for ``TASK_STALLED_SECONDS`` again, once, and fails it the second time, with
  a message saying which;
- ``still_ours`` lets the end of a job check, under the row's lock, that it was not given up
  meanwhile, so a process thought dead that wakes up never finishes a job twice.

Voter imports have the same mechanism with their own states (``voters.services.imports``,
``VOTER_IMPORT_STALLED_SECONDS``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 2
MESSAGES = {
    "resumed": "上一次生成时处理进程意外中断，系统已自动重新排队（第{attempt}次）。",
    "worker_lost": "生成时处理进程{attempts}次意外中断，系统已停止生成。请稍后重新提交；如果仍然出现，请联系系统管理员。",
}


def claim(model: type[models.Model], pk: int, **fields) -> bool:
    """排队中 → 正在生成, once; True when this call took the job."""
    return bool(model.objects.filter(pk=pk, state=model.State.QUEUED).update(
        state=model.State.RUNNING, attempts=models.F("attempts") + 1, heartbeat_at=timezone.now(), **fields))


def beat(job: models.Model, **fields) -> None:
    """Report that ``job`` (as claimed: its ``attempts``) is alive, with any progress ``fields``."""
    type(job).objects.filter(pk=job.pk, state=job.State.RUNNING, attempts=job.attempts).update(
        heartbeat_at=timezone.now(), **fields)


def still_ours(job: models.Model) -> bool:
    """Inside the transaction that finishes ``job``: lock its row and tell whether it is still this
    attempt's (not queued again or failed by ``recover`` meanwhile)."""
    return type(job).objects.select_for_update().filter(
        pk=job.pk, state=job.State.RUNNING, attempts=job.attempts).exists()


def is_stalled(job: models.Model, *, now=None) -> bool:
    if job.state != job.State.RUNNING:
        return False
    if job.heartbeat_at is None:  # not taken through ``claim`` (the migration dated the older ones)
        return False
    return (now or timezone.now()) - job.heartbeat_at >= timedelta(seconds=settings.TASK_STALLED_SECONDS)


def recover(job: models.Model, *, enqueue: Callable[[int], object]) -> models.Model:
    """Queue again, or fail, a job whose process died; return the job as it now is.

    A job 正在生成 that has not reported for ``TASK_STALLED_SECONDS`` has lost its process. It is
    queued again (``enqueue(pk)`` after the commit) while it has had fewer than ``MAX_ATTEMPTS``
    runs, and failed otherwise. The move is a conditional update on the silent row as it was read,
    so two pages (or two nodes) recovering at once act once.
    """
    if not is_stalled(job):
        return job
    model = type(job)
    same = model.objects.filter(pk=job.pk, state=model.State.RUNNING, attempts=job.attempts,
                                heartbeat_at=job.heartbeat_at)
    if job.attempts < MAX_ATTEMPTS:
        message = MESSAGES["resumed"].format(attempt=max(job.attempts, 1) + 1)
        if same.update(state=model.State.QUEUED, message=message, heartbeat_at=timezone.now()):
            logger.warning("%s %s: run %s lost its process, queued again", model.__name__, job.pk, job.attempts)
            transaction.on_commit(lambda: enqueue(job.pk))
    else:
        message = MESSAGES["worker_lost"].format(attempts=job.attempts)
        if same.update(state=model.State.FAILED, message=message, finished_at=timezone.now()):
            logger.error("%s %s: lost its process %s times, failed", model.__name__, job.pk, job.attempts)
    job.refresh_from_db()
    return job
