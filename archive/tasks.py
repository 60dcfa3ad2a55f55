"""Background work of the archive: generating an election's records (django-tasks; ENVIRONMENT.md)."""

from django.utils import timezone
from django_tasks import task


@task()
def file_records_task(run_id: int) -> None:
    from .filing import run_filing  # the service enqueues this task

    run_filing(run_id=run_id, today=timezone.localdate(), now=timezone.now())
