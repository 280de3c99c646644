"""The app's queue: Huey with leases, exactly-once periodic jobs and dead letters.

One ``Queue`` per app (``app.extensions["jobs"]``). It runs each job inside an app context
of that app and commits what the job leaves in the session (rolls back if it raises), like
a request. Failures are recorded for curators through ``deadletter`` (a retrying job is
visible too; a job whose retries ran out is a dead letter with its payload kept for a
retry). See storage.py for how a job survives the death of its worker.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from huey import Huey, signals
from huey.api import PeriodicTask, Task, TaskWrapper

from ..extensions import db
from . import deadletter
from .registry import JOBS, Job, Permanent
from .schedule import PERIODIC
from .serializer import split

if TYPE_CHECKING:
    from flask import Flask

log = logging.getLogger(__name__)
CLAIM_TTL = 2 * 24 * 3600  # a periodic minute stays claimed for two days


class Queue(Huey):
    """A Huey instance bound to one Flask app."""

    def __init__(self, app: Flask, name: str, *, storage: type, **options: Any) -> None:
        self.app = app
        self.lease = float(app.config.get("JOBS_LEASE_SECONDS") or 60)
        self.max_recoveries = int(app.config.get("JOBS_MAX_RECOVERIES") or 3)
        self.dead_ttl = int(app.config.get("JOBS_DEAD_LETTER_TTL") or 7 * 24 * 3600)
        self.wrappers: dict[str, TaskWrapper] = {}
        self._running: dict[bytes, int] = {}
        self._running_lock = threading.Lock()
        self._heartbeat_pid = 0
        super().__init__(name, results=False, storage_class=storage, **options)
        self._signal.connect(self._on_error, signals.SIGNAL_ERROR, signals.SIGNAL_TIMEOUT)
        self._signal.connect(self._on_complete, signals.SIGNAL_COMPLETE)
        self._signal.connect(self._on_interrupted, signals.SIGNAL_INTERRUPTED)

    # --- registering jobs -------------------------------------------------------------

    def _runner(self, job: Job) -> Callable[..., None]:
        app = self.app

        def run(*args: Any, **kwargs: Any) -> None:
            with app.app_context():
                try:
                    job.func(*args, **kwargs)
                    db.session.commit()
                except BaseException:
                    db.session.rollback()
                    raise

        run.__module__, run.__name__ = job.func.__module__, job.func.__qualname__
        run.__qualname__ = job.func.__qualname__
        return run

    def wrapper(self, job: Job) -> TaskWrapper:
        """The Huey task of a job on this queue, registered on first use."""
        found = self.wrappers.get(job.name)
        if found is None:
            options: dict[str, Any] = {
                "retries": job.retries,
                "retry_delay": job.retry_delay,
                "retry_backoff": job.backoff,
                "timeout": job.timeout,
                "name": job.func.__qualname__,
            }
            entry = next((p for p in PERIODIC if p.job is job), None)
            if entry is None:
                found = self.task(**options)(self._runner(job))
            else:
                found = self.periodic_task(entry.when, **options)(self._runner(job))
            self.wrappers[job.name] = found
        return found

    def register_all(self) -> None:
        """Register every job defined so far (a worker must know each one it may read)."""
        for job in list(JOBS.values()):
            self.wrapper(job)

    def job_of(self, task: Task) -> Job | None:
        """The Job behind a Huey task."""
        return JOBS.get(self._registry.task_to_string(type(task)))

    # --- putting work on the queue ----------------------------------------------------

    def push(self, job: Job, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        """Put a job on the queue now (``enqueue`` waits for the commit, then calls this)."""
        self.enqueue(self.wrapper(job).s(*args, **kwargs))

    def enqueue(self, task: Any) -> Any:
        """Queue a task; in immediate mode run it here, once, as the worker would."""
        if self.immediate and isinstance(task, Task):
            # The same JSON round trip a worker's message makes, so a job that would not
            # survive the queue fails in the tests too; one failure is final (no consumer
            # would ever run a delayed retry).
            task = self.deserialize_task(self.serialize_task(task))
            task.retries = 0
        return super().enqueue(task)

    def retry_dead(self, task_id: str) -> bool:
        """Queue a dead letter again with fresh retries; False if its payload expired."""
        raw = self.storage.fetch(f"dead:{task_id}")
        if raw is None:
            return False
        self.register_all()
        task = self.deserialize_task(raw)
        default = type(task)
        task.retries, task.retry_delay = default.default_retries, default.default_retry_delay
        task.eta = None
        self.enqueue(task)
        self.storage.forget(f"dead:{task_id}")
        return True

    def forget_dead(self, task_id: str) -> None:
        """Drop a dead letter's payload (dismissed: its arguments may hold a secret)."""
        self.storage.forget(f"dead:{task_id}")

    # --- taking work off the queue ----------------------------------------------------

    def dequeue(self) -> Task | None:
        """Lease the next message; dead-letter it when it cannot or must not run."""
        raw = self.storage.dequeue()
        if raw is None:
            return None
        raw = bytes(raw)
        recoveries, _ = split(raw)
        try:
            self.register_all()
            task = self.deserialize_task(raw)
        except Exception as exc:  # a message this code cannot read: never retried
            self._poison(raw, None, exc)
            return None
        if recoveries > self.max_recoveries:
            error = RuntimeError(f"its worker stopped {recoveries} times while running it")
            self._poison(raw, task, error)
            return None
        task._directory_raw = raw
        self._hold(raw)
        return task

    def execute(self, task: Task, timestamp: datetime | None = None) -> Any:
        """Run a task; drop its lease once it is done or rescheduled, never before."""
        raw = getattr(task, "_directory_raw", None)
        try:
            return super().execute(task, timestamp)
        finally:
            if raw is not None:
                self._drop(raw)
                if getattr(task, "_directory_interrupted", False):
                    self.storage.release(raw)
                else:
                    self.storage.ack(raw)

    def read_schedule(self, timestamp: datetime | None = None) -> list[Task]:
        """Each scheduler tick: recover dead workers' leases, move due retries."""
        try:
            if self.storage.recover():
                log.warning("recovered jobs whose worker died")
        except Exception:
            log.exception("recovering leased jobs failed")
        return super().read_schedule(timestamp)

    def read_periodic(self, timestamp: datetime | None) -> list[Task]:
        """Periodic tasks due now that no other scheduler has claimed for this minute."""
        when = timestamp or self._get_timestamp()
        minute = when.strftime("%Y%m%d%H%M")
        due = []
        for task in super().read_periodic(timestamp):
            name = self._registry.task_to_string(type(task))
            if self.storage.claim(f"periodic:{name}:{minute}", CLAIM_TTL):
                due.append(task)
            else:
                log.info("periodic %s: another scheduler took minute %s", name, minute)
        return due

    def drain(self, limit: int = 1000) -> int:
        """Run every queued and scheduled job here, ignoring delays (tests, `jobs drain`)."""
        future = self._get_timestamp() + timedelta(days=365)
        done = 0
        while done < limit:
            self.read_schedule(future)
            task = self.dequeue()
            if task is None:
                if not self.storage.queue_size():
                    return done
                continue
            self.execute(task, future)
            done += 1
        return done

    # --- leases of the jobs this process runs -----------------------------------------

    def _hold(self, raw: bytes) -> None:
        with self._running_lock:
            self._running[raw] = self._running.get(raw, 0) + 1
            if self._heartbeat_pid != os.getpid():  # first job here (or in a forked child)
                self._heartbeat_pid = os.getpid()
                threading.Thread(target=self._heartbeat, name="jobs-lease", daemon=True).start()

    def _drop(self, raw: bytes) -> None:
        with self._running_lock:
            left = self._running.pop(raw, 1) - 1
            if left > 0:
                self._running[raw] = left

    def _heartbeat(self) -> None:
        """Extend this process's leases while it lives (a third of the lease apart); stop
        after three idle beats (the next job taken starts it again)."""
        idle, event = 0, threading.Event()
        while True:
            event.wait(self.lease / 3)
            with self._running_lock:
                held = list(self._running)
                idle = 0 if held else idle + 1
                if idle >= 3:
                    self._heartbeat_pid = 0
                    return
            try:
                self.storage.extend(held)
            except Exception:
                log.exception("extending job leases failed")

    # --- failures ---------------------------------------------------------------------

    def _on_error(self, signal: str, task: Task, exc: BaseException | None = None) -> None:
        if isinstance(exc, Permanent):
            task.retries = 0  # Huey reads this right after the signal: no more retries
        final = not task.retries
        if final:  # first: a failing database must not cost the payload a retry needs
            self.storage.keep(f"dead:{task.id}", self.serialize_task(task), self.dead_ttl)
        with self.app.app_context():
            deadletter.record(task, self.job_of(task), exc, final=final)

    def _on_complete(self, signal: str, task: Task) -> None:
        if isinstance(task, PeriodicTask):
            return
        # Only a run that follows a failure can have a row to close.
        if task.retries != type(task).default_retries:
            with self.app.app_context():
                deadletter.succeeded(task.id)

    def _on_interrupted(self, signal: str, task: Task) -> None:
        task._directory_interrupted = True

    def _poison(self, raw: bytes, task: Task | None, exc: BaseException) -> None:
        """A message that must not run: a dead letter at once, its lease dropped."""
        log.error("dead letter without running: %s", exc)
        with self.app.app_context():
            deadletter.record_poison(task, self.job_of(task) if task else None, exc)
        if task is not None:
            self.storage.keep(f"dead:{task.id}", self.serialize_task(task), self.dead_ttl)
        self.storage.ack(raw)
