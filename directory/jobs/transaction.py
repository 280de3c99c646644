"""``enqueue``: a job waits for the transaction that asked for it to commit.

A job enqueued in the middle of a request that then fails would mail about, or embed, rows
that were never saved. So while the session's transaction has written something, jobs wait
in a per-session list and go to the queue from SQLAlchemy's ``after_commit``; a rollback,
or a session closed without a commit, drops them. Outside a writing transaction (nothing
written yet, or nothing at all) they go at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction

from ..extensions import db
from .registry import Job

if TYPE_CHECKING:
    from .queue import Queue

log = logging.getLogger(__name__)
PENDING = "directory.jobs.pending"  # session.info: callables to run after the commit
WROTE = "directory.jobs.wrote"  # session.info: this transaction has written


def current_queue() -> Queue:
    """The queue of the current app (directory.jobs.init_app made it)."""
    return current_app.extensions["jobs"]


def writing(session: Session) -> bool:
    """Whether the session holds writes that a commit has yet to make durable."""
    if not session.in_transaction():
        return False
    return bool(session.info.get(WROTE) or session.new or session.dirty or session.deleted)


def on_commit(callback: Callable[[], Any]) -> None:
    """Call ``callback`` once the current transaction commits (now, outside one)."""
    session = db.session()
    if writing(session):
        session.info.setdefault(PENDING, []).append(callback)
    else:
        callback()


def enqueue(task: Job, *args: Any, **kwargs: Any) -> None:
    """Schedule a job with JSON arguments after the current transaction commits.

    Never for a transaction that rolls back; at once when no transaction has written.
    """
    queue = current_queue()
    on_commit(lambda: queue.push(task, args, kwargs))


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    session.info[WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    # update()/delete()/insert() through session.execute bypass the flush.
    if not state.is_select:
        state.session.info[WROTE] = True


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    pending = session.info.pop(PENDING, None) or []
    session.info.pop(WROTE, None)
    for callback in pending:
        try:
            callback()
        except Exception:
            # The rows are committed; the request must not fail now. The log says what
            # was not queued (a Redis outage) so an operator can run it again.
            log.exception("a job could not be queued after the commit")


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return  # a savepoint: the outer transaction decides
    dropped = session.info.pop(PENDING, None)
    session.info.pop(WROTE, None)
    if dropped:
        log.info("%d job(s) dropped: their transaction did not commit", len(dropped))
