"""A task for tests/villages/test_task_workers.py, run by real ``db_worker`` processes (which import
it by its path, so it lives in a module of its own)."""

import os
import time
from pathlib import Path

from django_tasks import task

GATE_SECONDS = 60


@task()
def record_run(number: int, log: str, gate: str) -> None:
    """Wait until the test opens the gate (so both workers hold a task at once), then write one line
    saying that this task ran in this process. O_APPEND writes of one short line do not interleave."""
    deadline = time.monotonic() + GATE_SECONDS
    while not Path(gate).exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, f"{number} {os.getpid()}\n".encode())
    finally:
        os.close(fd)
    time.sleep(0.005)  # long enough for the other worker to come for the next task meanwhile
