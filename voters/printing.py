"""Printing a long published voter list through the task worker.

Laying out the list takes about 3 ms a voter here (``bench_voter_pdf``): a 1,000-voter village prints
during the request, a 5,000-voter one would hold a web worker for half a minute. Above
``VOTER_LIST_INLINE_MAX`` voters to print (the listed voters, or before publication every registered
one on the draft) the download view queues a ``ListPrint`` instead, and the page polls
until the file is ready. The download itself is logged like every other print (``villages.downloads``).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from villages import worker_jobs
from villages.models import Election, User

from . import documents
from .models import ListPrint

FAILED = "生成选民名单时出错，请稍后重试；如仍失败，请联系系统管理员查看日志。"


def prints_in_background(voter_count: int) -> bool:
    return voter_count > settings.VOTER_LIST_INLINE_MAX


def start_list_print(*, by: User, election: Election, paper: documents.Paper, as_of: date) -> ListPrint:
    from . import tasks

    job = ListPrint.objects.create(election=election, paper=paper.code, as_of=as_of, requested_by=by,
                                   filename=f"{election.unit_name}选民名单（{paper.label}）.pdf")
    transaction.on_commit(lambda: tasks.print_list_task.enqueue(job.pk))
    return job


def run_list_print(*, print_id: int) -> ListPrint:
    """The worker's side; runs once (排队中 → 正在生成 is a conditional update), and again only if
    its process died (``recover_list_print``)."""
    jobs = ListPrint.objects.filter(pk=print_id)
    if not worker_jobs.claim(ListPrint, print_id):
        return jobs.get()
    job = jobs.select_related("election__village__township", "election__campaign").get()
    try:
        pdf = documents.render_published_list_pdf(job.election, as_of=job.as_of, paper=documents.PAPERS[job.paper])
        with transaction.atomic():
            if not worker_jobs.still_ours(job):
                return jobs.get()
            job.file.save(f"{job.election_id}-{job.pk}.pdf", ContentFile(pdf), save=False)
            job.state, job.finished_at = ListPrint.State.DONE, timezone.now()
            job.save(update_fields=["file", "state", "finished_at"])
    except Exception:
        jobs.filter(state=ListPrint.State.RUNNING, attempts=job.attempts).update(
            state=ListPrint.State.FAILED, message=FAILED, finished_at=timezone.now())
        raise
    return job


def recover_list_print(job: ListPrint) -> ListPrint:
    """Queue again (or fail) a print whose worker died (``villages.worker_jobs.recover``)."""
    from . import tasks

    return worker_jobs.recover(job, enqueue=tasks.print_list_task.enqueue)
