"""villages/worker_jobs.py: a list print, report export or archive filing is taken once, and a job
whose worker died is queued again once, then failed; a process given up for dead cannot finish it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from archive import filing
from archive.models import FilingRun
from reports.models import ReportExport
from tests.builders import make_voters
from villages import worker_jobs
from voters.models import ListPrint


def list_print(election, by):
    return ListPrint.objects.create(election=election, paper="a4", as_of=date(2027, 1, 16), filename="名单.pdf",
                                    requested_by=by)


def report_export(election, by):
    county = election.village.township.county
    return ReportExport.objects.create(kind="county", code=county.code, label=county.name, county=county, format="xlsx",
                                       requested_by=by)


def filing_run(election, by):
    return FilingRun.objects.create(election=election, requested_by=by)


MAKERS = [list_print, report_export, filing_run]


def silent(job, *, attempts: int, seconds: int):
    """``job`` as a worker left it: 正在生成, its ``attempts``-th run, silent for ``seconds``."""
    type(job).objects.filter(pk=job.pk).update(state="running", attempts=attempts,
                                               heartbeat_at=timezone.now() - timedelta(seconds=seconds))
    job.refresh_from_db()
    return job


@pytest.mark.parametrize("make", MAKERS)
def test_a_job_is_taken_once(make, election_a, clerk):
    job = make(election_a, clerk)
    assert worker_jobs.claim(type(job), job.pk) and not worker_jobs.claim(type(job), job.pk)
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("running", 1) and job.heartbeat_at is not None


@pytest.mark.parametrize("make", MAKERS)
def test_a_job_that_reports_is_left_alone(make, election_a, clerk, settings, django_capture_on_commit_callbacks):
    settings.TASK_STALLED_SECONDS = 600
    job = silent(make(election_a, clerk), attempts=1, seconds=599)
    queued = []
    with django_capture_on_commit_callbacks(execute=True):
        job = worker_jobs.recover(job, enqueue=queued.append)
    assert job.state == "running" and queued == []


@pytest.mark.parametrize("make", MAKERS)
def test_a_silent_job_is_queued_again_once_then_failed(make, election_a, clerk, settings,
                                                       django_capture_on_commit_callbacks):
    settings.TASK_STALLED_SECONDS = 600
    job = silent(make(election_a, clerk), attempts=1, seconds=600)
    stale_copy = type(job).objects.get(pk=job.pk)
    queued = []
    with django_capture_on_commit_callbacks(execute=True):
        job = worker_jobs.recover(job, enqueue=queued.append)
        worker_jobs.recover(stale_copy, enqueue=queued.append)  # another page (or node) at the same moment
    assert (job.state, queued) == ("queued", [job.pk])
    assert job.message == "上一次生成时处理进程意外中断，系统已自动重新排队（第2次）。"

    job = silent(job, attempts=2, seconds=600)  # the second run died too
    with django_capture_on_commit_callbacks(execute=True):
        job = worker_jobs.recover(job, enqueue=queued.append)
    assert (job.state, queued) == ("failed", [job.pk]) and job.finished_at is not None
    assert job.message.startswith("生成时处理进程2次意外中断")


@pytest.mark.parametrize("make", MAKERS)
def test_a_process_given_up_for_dead_cannot_finish_the_job(make, election_a, clerk, settings):
    settings.TASK_STALLED_SECONDS = 600
    job = make(election_a, clerk)
    worker_jobs.claim(type(job), job.pk)
    job.refresh_from_db()
    assert worker_jobs.still_ours(job)
    type(job).objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    worker_jobs.recover(type(job).objects.get(pk=job.pk), enqueue=lambda pk: None)
    assert not worker_jobs.still_ours(job)  # the first process wakes up: not its job any more
    worker_jobs.beat(job)
    assert type(job).objects.get(pk=job.pk).state == "queued"  # its heartbeat does not revive it


def test_a_print_whose_worker_died_is_printed_when_its_page_is_opened(client, election_a, clerk, settings,
                                                                         django_capture_on_commit_callbacks):
    """The immediate task backend of the tests runs the queued task at once: the page that found the
    dead print shows it done."""
    settings.TASK_STALLED_SECONDS = 600
    make_voters(election=election_a, count=3, listed_from=date(2026, 12, 20))
    job = silent(list_print(election_a, clerk), attempts=1, seconds=3600)
    client.force_login(clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("voters:list-print", kwargs={"pk": election_a.pk, "print_pk": job.pk}))
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("done", 2) and job.file


def test_a_dead_filing_run_does_not_block_filing(election_a, clerk, settings, django_capture_on_commit_callbacks,
                                                monkeypatch):
    settings.TASK_STALLED_SECONDS = 600
    monkeypatch.setattr(filing, "generated_records", lambda election: iter(()))  # nothing to render
    run = silent(filing_run(election_a, clerk), attempts=1, seconds=3600)
    with django_capture_on_commit_callbacks(execute=True):
        again = filing.request_filing(by=clerk, election=election_a, if_idle=True)
    run.refresh_from_db()
    assert again is None  # the dead run was queued again, and that run is the filing asked for
    assert (run.state, run.attempts) == ("done", 2)


def test_the_export_page_says_a_dead_export_was_queued_again(client, election_a, county_office, settings):
    settings.TASK_STALLED_SECONDS = 600
    export = silent(report_export(election_a, county_office), attempts=1, seconds=3600)
    client.force_login(county_office)
    page = client.get(reverse("reports:export-progress", kwargs={"pk": export.pk})).content.decode()
    assert "系统已自动重新排队（第2次）" in page
