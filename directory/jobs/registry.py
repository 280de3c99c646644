"""The jobs this code base defines: ``@job`` turns a function into a background task.

A job is a plain function of JSON values (ids, strings, lists): the worker loads whatever
it needs from the database when it runs, so a job never carries stale objects. Nothing
here knows the queue; each app's queue registers the jobs it runs (queue.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Redactor = Callable[..., dict[str, Any]]


class Permanent(Exception):  # noqa: N818  (reads as "raise Permanent(...)")
    """Raise inside a job for a failure no retry can fix: it becomes a dead letter at once."""


@dataclass(eq=False)
class Job:
    """A registered background task and how it is retried."""

    func: Callable[..., Any]
    name: str
    retries: int
    retry_delay: float
    backoff: float
    redact: Redactor | None
    timeout: int | None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run the job here and now, in the caller's context (tests, commands)."""
        return self.func(*args, **kwargs)

    def summary(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        """What a dead letter may keep of the arguments (secrets left out by `redact`)."""
        if self.redact is not None:
            return self.redact(*args, **kwargs)
        return {"args": list(args), "kwargs": dict(kwargs)}


# Every job by name ("module.function"): the worker registers them all on its queue.
JOBS: dict[str, Job] = {}


def job(
    func: Callable[..., Any] | None = None,
    /,
    *,
    retries: int = 3,
    retry_delay: float = 30.0,
    backoff: float = 2.0,
    redact: Redactor | None = None,
    timeout: int | None = None,
) -> Any:
    """Register a function as a job: ``@job`` or ``@job(retries=5, retry_delay=60)``.

    A failed run is retried ``retries`` times, the first after ``retry_delay`` seconds and
    each later one ``backoff`` times later than the one before (exponential back-off).
    ``redact(*args, **kwargs)`` says what a dead letter may store of the arguments; without
    it they are stored as they are, so give one to any job whose arguments hold a secret.
    """

    def register(function: Callable[..., Any]) -> Job:
        name = f"{function.__module__}.{function.__qualname__}"
        task = Job(function, name, retries, retry_delay, backoff, redact, timeout)
        task.__doc__ = function.__doc__
        JOBS[name] = task
        return task

    return register(func) if func is not None else register
