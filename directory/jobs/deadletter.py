"""Failed jobs, as curators see them: recorded by the queue, retried or dismissed by hand."""

from __future__ import annotations

import json
import logging
import traceback
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, cast, func, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..models import FailedJob, User, utcnow
from ..services import audit
from ..services.paging import Page, paginate
from .transaction import on_commit

if TYPE_CHECKING:
    from huey.api import Task

    from .queue import Queue
    from .registry import Job

log = logging.getLogger(__name__)
PER_PAGE = 50
MAX_BULK = 200
ERROR_CHARS = 4000
SHOWS = ("open", "resolved")


def _error_text(exc: BaseException | None) -> str:
    """The exception and the end of its traceback (code lines, never local values)."""
    if exc is None:
        return "timed out"
    lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
    text = "".join(lines[-6:])
    return text[-ERROR_CHARS:]


def _json_safe(value: dict[str, Any]) -> dict[str, Any]:
    """A summary the JSON column can hold, whatever the redactor returned."""
    return json.loads(json.dumps(value, default=str))


def _save() -> None:
    try:
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("could not record a failed job")


def record(task: Task, job: Job | None, exc: BaseException | None, *, final: bool) -> None:
    """Note one failed run of a task: retrying, or a dead letter when ``final``."""
    row = db.session.scalar(select(FailedJob).where(FailedJob.task_id == task.id))
    now = utcnow()
    if row is None:
        summary = job.summary(tuple(task.args), dict(task.kwargs)) if job else {}
        row = FailedJob(
            task_id=task.id,
            task_name=job.name if job else type(task).__name__,
            arguments=_json_safe(summary),
            attempts=0,
            first_failed_at=now,
        )
        db.session.add(row)
    row.attempts += 1
    row.error = _error_text(exc)
    row.last_failed_at = now
    row.exhausted = final
    row.next_attempt_at = None if final else now + timedelta(seconds=task.retry_delay or 0)
    row.resolved, row.resolution, row.resolved_at, row.resolved_by_id = False, "", None, None
    _save()


def record_poison(task: Task | None, job: Job | None, exc: BaseException) -> None:
    """Note a message that was never run (unreadable, or it kept killing its worker)."""
    if task is not None:
        record(task, job, exc, final=True)
        return
    db.session.add(
        FailedJob(
            task_id=uuid.uuid4().hex,
            task_name="(unreadable message)",
            arguments={},
            error=_error_text(exc),
            exhausted=True,
        )
    )
    _save()


def succeeded(task_id: str) -> None:
    """Close the row of a job that worked on a later attempt."""
    db.session.execute(
        update(FailedJob)
        .where(FailedJob.task_id == task_id, FailedJob.resolved.is_(False))
        .values(resolved=True, resolution="succeeded", resolved_at=utcnow(), next_attempt_at=None)
    )
    _save()


# --- the curators' page ------------------------------------------------------------------


def failed_page(show: str, page: int) -> Page[FailedJob]:
    """Open failures (dead letters first) or resolved ones (latest first)."""
    if show == "resolved":
        query = select(FailedJob).where(FailedJob.resolved.is_(True))
        query = query.order_by(FailedJob.resolved_at.desc(), FailedJob.id.desc())
    else:
        query = select(FailedJob).where(FailedJob.resolved.is_(False))
        query = query.order_by(
            FailedJob.exhausted.desc(), FailedJob.last_failed_at.desc(), FailedJob.id.desc()
        )
    return paginate(query, page, PER_PAGE)


def counts() -> dict[str, int]:
    """Dead letters, jobs still retrying, and resolved rows."""
    rows = db.session.execute(
        select(FailedJob.resolved, FailedJob.exhausted, func.count()).group_by(
            FailedJob.resolved, FailedJob.exhausted
        )
    )
    out = {"dead": 0, "retrying": 0, "resolved": 0}
    for resolved, exhausted, n in rows:
        key = "resolved" if resolved else ("dead" if exhausted else "retrying")
        out[key] += n
    return out


def load(ids: Iterable[int]) -> list[FailedJob]:
    """The failed jobs with these ids (unknown ids are left out)."""
    wanted = sorted(set(ids))[:MAX_BULK]
    if not wanted:
        return []
    return list(db.session.scalars(select(FailedJob).where(FailedJob.id.in_(wanted))))


@dataclass
class Outcome:
    """What a curator's retry or dismissal did."""

    done: int = 0
    expired: int = 0  # dead letters whose payload is gone: they can only be dismissed
    skipped: int = 0  # not dead letters (still retrying, or resolved already)


def _resolve(row: FailedJob, how: str, actor: User, ip: str) -> None:
    row.resolved, row.resolution = True, how
    row.resolved_at, row.resolved_by_id = utcnow(), actor.id
    row.next_attempt_at = None
    audit.record(
        f"job.{how}", actor=actor, target_kind="failed_job", target_id=row.id, ip=ip,
        task=row.short_name,
    )  # fmt: skip


def retry(rows: Iterable[FailedJob], *, queue: Queue, actor: User, ip: str = "") -> Outcome:
    """Queue dead letters again, with fresh retries, once this transaction commits."""
    outcome = Outcome()
    for row in rows:
        if row.resolved or not row.exhausted:
            outcome.skipped += 1
        elif queue.storage.fetch(f"dead:{row.task_id}") is None:
            outcome.expired += 1
        else:
            _resolve(row, "retried", actor, ip)
            on_commit(lambda task_id=row.task_id: queue.retry_dead(task_id))
            outcome.done += 1
    db.session.flush()
    return outcome


def dismiss(rows: Iterable[FailedJob], *, queue: Queue, actor: User, ip: str = "") -> Outcome:
    """Close dead letters for good (their payload is deleted with them)."""
    outcome = Outcome()
    for row in rows:
        if row.resolved or not row.exhausted:
            outcome.skipped += 1
            continue
        _resolve(row, "dismissed", actor, ip)
        on_commit(lambda task_id=row.task_id: queue.forget_dead(task_id))
        outcome.done += 1
    db.session.flush()
    return outcome


def forget_address(email: str) -> int:
    """Delete every failed job that names this address (its recipient, or the error text
    quoting it) and, once committed, its payload and any retry still waiting; caller
    commits. Used when an account is deleted: a curator's list must not keep its address,
    and a retry must not mail it later."""
    from .transaction import current_queue

    needle = f"%{email.lower()}%"
    named = or_(
        func.lower(cast(FailedJob.arguments, String)).like(needle),
        func.lower(FailedJob.error).like(needle),
    )
    rows = list(db.session.scalars(select(FailedJob).where(named)))
    queue = current_queue()
    for row in rows:
        on_commit(lambda task_id=row.task_id: _drop_everywhere(queue, task_id))
        db.session.delete(row)
    return len(rows)


def _drop_everywhere(queue: Queue, task_id: str) -> None:
    queue.forget_dead(task_id)
    queue.revoke_by_id(task_id, revoke_once=True)  # a waiting retry is skipped, once


def purge(older_than: timedelta) -> int:
    """Delete rows resolved longer ago than ``older_than`` (they name recipients)."""
    result = db.session.execute(
        FailedJob.__table__.delete().where(
            FailedJob.resolved.is_(True), FailedJob.resolved_at < utcnow() - older_than
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
