"""Workers on several nodes (issue 15): two ``db_worker`` processes over one PostgreSQL database race
for the same queue, and every task runs exactly once. django-tasks-db claims a task with
``SELECT … FOR UPDATE SKIP LOCKED`` and marks it running in the same transaction
(``DBTaskResultQuerySet.get_locked``, ``Worker.run``), so a second worker skips the row it cannot
lock and, once the first commits, no longer finds it ready. SQLite has one writer at a time and is
not the database of several nodes: these tests run on PostgreSQL only."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from tests.villages import race_tasks

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="几个节点的任务进程共用 PostgreSQL；SQLite 不适用")
TASKS = 60
WAIT_SECONDS = 120


@pytest.fixture
def database_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_a_worker_claims_a_task_with_skip_locked(db, database_backend):
    with CaptureQueriesContext(connection) as queries:
        DBTaskResult.objects.ready().get_locked()
    assert "FOR UPDATE SKIP LOCKED" in queries.captured_queries[-1]["sql"]


def worker(name: str, log) -> subprocess.Popen:
    db = connection.settings_dict  # the test database, which the workers must share with the test
    login = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    url = f"postgres://{login}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "election_site.settings"}
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0",
         "--worker-id", name],
        cwd=django_settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)


@pytest.mark.django_db(transaction=True)  # the workers read what the test committed
def test_two_workers_racing_over_one_queue_run_each_task_once(database_backend, tmp_path):
    runs, gate = tmp_path / "runs.log", tmp_path / "gate"
    for number in range(TASKS):
        race_tasks.record_run.enqueue(number, str(runs), str(gate))
    with open(tmp_path / "workers.log", "wb") as log:
        workers = [worker("node-a", log), worker("node-b", log)]
        try:
            # Both workers hold a task before any may finish: from here on they race for every task.
            deadline = time.monotonic() + WAIT_SECONDS
            while DBTaskResult.objects.filter(status="RUNNING").count() < 2:
                assert time.monotonic() < deadline, (tmp_path / "workers.log").read_text(errors="replace")[-2000:]
                assert all(w.poll() is None for w in workers), (tmp_path / "workers.log").read_text(errors="replace")[-2000:]
                time.sleep(0.05)
            gate.touch()
            for w in workers:
                w.wait(timeout=WAIT_SECONDS)
        finally:
            for w in workers:
                if w.poll() is None:
                    w.send_signal(signal.SIGKILL)
                    w.wait()
    assert [w.returncode for w in workers] == [0, 0], (tmp_path / "workers.log").read_text(errors="replace")[-2000:]

    lines = [line.split() for line in runs.read_text().splitlines()]
    assert Counter(int(number) for number, _pid in lines) == Counter(range(TASKS))  # each task ran once
    assert {int(pid) for _number, pid in lines} == {w.pid for w in workers}  # both workers ran tasks
    results = list(DBTaskResult.objects.values_list("status", "worker_ids"))
    assert len(results) == TASKS and {status for status, _ids in results} == {"SUCCESSFUL"}
    assert {len(ids) for _status, ids in results} == {1}  # each claimed by one worker, once
    assert {ids[0] for _status, ids in results} == {"node-a", "node-b"}
