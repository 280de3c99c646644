"""Periodic jobs: other modules append to PERIODIC (with ``@periodic``), the worker runs them.

Each entry runs once per matching minute across every worker process on the queue, however
many there are: the first scheduler to claim the minute in the shared storage enqueues it
(queue.Queue.read_periodic). Times are UTC.

    from huey import crontab
    from directory.jobs.schedule import periodic

    @periodic(crontab(minute="0", hour="13"), retries=2)
    def send_daily_digests() -> None: ...
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .registry import Job, job


@dataclass(frozen=True)
class Periodic:
    """A job and when it runs (a huey ``crontab``: a test of a UTC datetime)."""

    job: Job
    when: Callable[[datetime], bool]


PERIODIC: list[Periodic] = []


def periodic(when: Callable[[datetime], bool], **options: Any) -> Callable[..., Job]:
    """Register a job (``job`` options: retries, retry_delay, ...) that runs on a schedule."""

    def register(function: Callable[..., Any]) -> Job:
        task: Job = job(**options)(function)
        PERIODIC.append(Periodic(task, when))
        return task

    return register


def periodic_job(task: Job) -> Periodic | None:
    """The schedule of a job, if it has one."""
    return next((entry for entry in PERIODIC if entry.job is task), None)
