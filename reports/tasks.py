"""Background work of the reports app, run by the task worker (django-tasks; ENVIRONMENT.md).

A county report (hundreds of villages, a PDF of many pages) is built here rather than during the
request. Tests use the immediate backend, which runs the task as it is enqueued. Tasks take ids.
"""

from django.utils import timezone
from django_tasks import task


@task()
def build_report_export_task(export_id: int) -> None:
    from .services import run_report_export  # the service enqueues this task

    run_report_export(export_id=export_id, now=timezone.now())
