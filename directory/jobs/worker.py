"""The worker: ``flask jobs worker`` (production, `make worker`) and the development thread.

``make run`` serves with the SQLite queue and consumes it in the same process: on the first
request a Huey worker thread and scheduler thread start beside the development server, so
mail reaches the log, embedding runs off the request thread and periodic jobs run, with no
second terminal and no Redis.
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from huey.consumer import Consumer
from sqlalchemy import func, select

from ..extensions import db
from ..models import FailedJob
from .queue import Queue

log = logging.getLogger(__name__)
# The consumer polls the queue (leases need a Lua script, which cannot block) at most this
# many seconds apart when it is idle; busy, it takes the next job at once.
POLL_MAX = 1.0


def queue_of(app: Flask) -> Queue:
    """The queue an app was built with."""
    return app.extensions["jobs"]


def import_job_modules(app: Flask) -> None:
    """Import JOBS_IMPORTS, so the jobs they define are known to this process."""
    for name in app.config.get("JOBS_IMPORTS") or ():
        importlib.import_module(name)


def consumer(queue: Queue, workers: int, worker_type: str, periodic: bool = True) -> Consumer:
    """A Huey consumer for the queue with every job registered."""
    queue.register_all()
    return queue.create_consumer(
        workers=workers,
        worker_type=worker_type,
        periodic=periodic,
        initial_delay=0.05,
        backoff=1.5,
        max_delay=POLL_MAX,
    )


def start_embedded(app: Flask) -> Consumer:
    """Consume the queue from threads of this process (development only)."""
    running = consumer(queue_of(app), workers=1, worker_type="thread")
    # Not Consumer.start(): it installs signal handlers, which only the main thread may.
    running.scheduler.start()
    for _worker, thread in running.worker_threads:
        thread.start()
    log.info("jobs: an embedded worker consumes the SQLite queue (development)")
    return running


def start_on_first_request(app: Flask) -> None:
    """Start the embedded worker when the app serves its first request."""
    lock, started = threading.Lock(), []

    def start() -> None:
        if started:
            return
        with lock:
            if not started:
                started.append(True)
                app.extensions["jobs_embedded"] = start_embedded(app)

    app.before_request(start)


@click.group("jobs")
def jobs_cli() -> None:
    """Background jobs: run the worker, look at the queue."""


@jobs_cli.command("worker")
@click.option("--workers", "-w", default=4, show_default=True, help="Jobs run at once.")
@click.option(
    "--worker-type",
    "-k",
    type=click.Choice(["thread", "process"]),
    default="thread",
    show_default=True,
    help="Threads share one loaded model; processes each load their own.",
)
@click.option("--no-periodic", is_flag=True, help="Leave periodic jobs to other workers.")
@with_appcontext
def worker_command(workers: int, worker_type: str, no_periodic: bool) -> None:
    """Run the job consumer until SIGINT (finishes running jobs) or SIGTERM (stops now)."""
    queue = queue_of(current_app)
    if queue.immediate:
        raise click.UsageError("JOBS_BACKEND is immediate: jobs run where they are enqueued.")
    import_job_modules(current_app)
    if not logging.getLogger().handlers:
        logging.basicConfig(stream=sys.stderr, level=logging.INFO,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")  # fmt: skip
    logging.getLogger("huey").setLevel(logging.INFO)
    db.session.remove()  # the workers open their own sessions
    consumer(queue, workers, worker_type, periodic=not no_periodic).run()


@jobs_cli.command("status")
@with_appcontext
def status_command() -> None:
    """Jobs queued, scheduled (retries waiting) and running, and failures for curators."""
    queue = queue_of(current_app)
    dead = db.session.scalar(
        select(func.count()).where(FailedJob.resolved.is_(False), FailedJob.exhausted.is_(True))
    )
    click.echo(f"backend: {type(queue.storage).__name__}")
    click.echo(f"queued: {queue.pending_count()}  scheduled: {queue.scheduled_count()}  "
               f"running: {queue.storage.leased()}  dead letters: {dead}")  # fmt: skip


@jobs_cli.command("drain")
@with_appcontext
def drain_command() -> None:
    """Run every queued and scheduled job in this process now, then exit."""
    queue = queue_of(current_app)
    import_job_modules(current_app)
    click.echo(f"{queue.drain()} job(s) run.")
