"""Background work of the voters app, run by the task worker (django-tasks; ENVIRONMENT.md).

With the database backend the worker is a second process next to the web server:
``python manage.py db_worker``. Tests use the immediate backend, which runs a task as it is
enqueued. Tasks take ids, not objects, because their arguments are stored as JSON.
"""

from django_tasks import task


@task()
def check_import_task(job_id: int) -> None:
    """Check an uploaded voter list too large to check during the upload (voters.services.imports)."""
    from .services.imports import check_import  # the service enqueues this task

    check_import(job_id=job_id)


@task()
def print_list_task(print_id: int) -> None:
    """Lay out a long published voter list (voters.printing)."""
    from .printing import run_list_print  # the service enqueues this task

    run_list_print(print_id=print_id)
