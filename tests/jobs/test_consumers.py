"""Real `flask jobs worker` processes on a real Redis (SECURITY.md row 43).

A worker delivers a queued mail; a worker killed with SIGKILL in the middle of a job loses
nothing and repeats no effect (the job runs again on another worker, and a unique row
guards its effect); two workers run a periodic job once.
"""

from __future__ import annotations

import signal
import time
from datetime import datetime
from pathlib import Path

import pytest
from flask import Flask

from directory.mail import send_mail

from .conftest import Workers, wait_for
from .tasks import record_effect

pytestmark = pytest.mark.slow  # worker subprocesses: about 15 s in all


def _lines(path: Path, text: str) -> int:
    return path.read_text().count(text) if path.exists() else 0


def _idle(app: Flask) -> bool:
    queue = app.extensions["jobs"]
    return queue.pending_count() == 0 and queue.storage.leased() == 0


def test_a_worker_on_redis_delivers_a_queued_mail(redis_app: Flask, workers: Workers) -> None:
    with redis_app.app_context():
        send_mail("ana@example.org", "Asunto en cola 81f3", "Hola desde la cola")
    assert redis_app.extensions["jobs"].pending_count() == 1
    workers.start("--workers", "2")
    wait_for(lambda: "Asunto en cola 81f3" in workers.log(), what="the mail in the worker's log")
    wait_for(lambda: _idle(redis_app), what="an empty queue")


def test_a_job_killed_mid_run_runs_again_and_its_effect_happens_once(
    redis_app: Flask, workers: Workers, effects_table: None, tmp_path: Path
) -> None:
    log = tmp_path / "effects.log"
    queue = redis_app.extensions["jobs"]
    # "before": killed before its effect; "after": killed after its effect, before the ack.
    queue.push(record_effect, ("before", str(log)), {"pause_before": 60})
    queue.push(record_effect, ("after", str(log)), {"pause_after": 60})
    first = workers.start("--workers", "2")
    wait_for(lambda: _lines(log, "started before") and _lines(log, "effect after"),
             what="both jobs under way")  # fmt: skip
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    assert queue.storage.leased() == 2  # held by the dead worker, not lost
    workers.start("--workers", "2")
    wait_for(lambda: _lines(log, "effect before") and _lines(log, "started after") == 2,
             timeout=30, what="the second worker re-running both")  # fmt: skip
    wait_for(lambda: _idle(redis_app), what="an empty queue")
    assert _lines(log, "started before") == 2 and _lines(log, "effect before") == 1
    assert _lines(log, "started after") == 2 and _lines(log, "effect after") == 1


def test_two_workers_run_a_periodic_job_once(
    redis_app: Flask, workers: Workers, tmp_path: Path
) -> None:
    if datetime.now().second > 45:  # noqa: DTZ005  (both must look within one minute)
        time.sleep(62 - datetime.now().second)  # noqa: DTZ005
    ticks = tmp_path / "ticks.log"
    workers.start("--workers", "1", JOBS_TEST_TICKS=str(ticks))
    workers.start("--workers", "1", JOBS_TEST_TICKS=str(ticks))
    # Each scheduler looks at the periodic jobs as it starts: one claims the minute and
    # queues the job, the other finds the minute taken.
    logs = lambda: workers.log(0) + workers.log(1)  # noqa: E731
    wait_for(lambda: "Enqueueing periodic task tests.jobs.tasks.tick" in logs(), what="a claim")
    wait_for(lambda: "periodic tests.jobs.tasks.tick: another scheduler took" in logs(),
             what="the second scheduler")  # fmt: skip
    wait_for(lambda: _idle(redis_app) and _lines(ticks, "tick"), what="the periodic job")
    assert _lines(ticks, "tick") == 1
    assert logs().count("Enqueueing periodic task tests.jobs.tasks.tick") == 1
