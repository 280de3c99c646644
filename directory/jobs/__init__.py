"""Background jobs on a Huey queue (ARCHITECTURE.md "Background work on a job queue").

    from directory.jobs import enqueue, job

    @job(retries=5, retry_delay=60)          # retried with exponential back-off
    def send_digest(user_id: int) -> None: ...

    enqueue(send_digest, user.id)            # runs after the current transaction commits

Backends (JOBS_BACKEND): ``redis`` in production, ``sqlite`` for `make run` (consumed by a
thread of the development server), ``immediate`` in the tests (jobs run at once, in the
calling process). The worker is ``flask jobs worker`` (`make worker`).
"""

from __future__ import annotations

from flask import Flask, current_app

from .registry import JOBS, Job, Permanent, job
from .transaction import enqueue, on_commit

__all__ = ["JOBS", "Job", "Permanent", "enqueue", "init_app", "is_immediate", "job", "on_commit"]


def is_immediate(app: Flask | None = None) -> bool:
    """Whether jobs run where they are enqueued (the tests), not in a worker."""
    queue = (app or current_app).extensions.get("jobs")
    return queue is None or bool(queue.immediate)


def init_app(app: Flask) -> None:
    """Build the app's queue from its config, register the jobs and `flask jobs`."""
    from . import embedding, tasks, worker  # noqa: F401  (hooks and built-in jobs)
    from .backend import build_queue

    app.extensions["jobs"] = build_queue(app)
    worker.import_job_modules(app)
    app.cli.add_command(worker.jobs_cli)
    from .settings import embedded_worker

    if embedded_worker(app.config):
        worker.start_on_first_request(app)
