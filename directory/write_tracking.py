"""Notice every committed write that public pages may show, whoever made it.

Watching the engine (not the ORM session) catches ORM flushes, bulk `update()`/`delete()`,
Core statements, CLI commands and job workers alike. A write marks its pooled connection;
the commit confirms the mark; the callback runs when the connection goes back to the pool,
that is after the database has committed, so a reader that sees the new version also sees
the new rows. Rolled-back writes change nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db

# Tables no anonymous page reads: writing them must not throw away every cached page.
PRIVATE_TABLES = frozenset(
    {
        "alert_deliveries",
        "alert_settings",
        "api_tokens",
        "audit_events",
        "challenge_followers",
        "claims",
        "contact_requests",
        "digests",
        "embeddings",
        "failed_jobs",
        "invitations",
        "login_sessions",
        "match_feedback",
        "notification_preferences",
        "notifications",
        "pending_revisions",
        "privacy_requests",
        "proposal_invitations",
        "reports",
        "saved_searches",
    }
)
# Statements that never change data.
_READS = frozenset({"SELECT", "PRAGMA", "SAVEPOINT", "RELEASE", "BEGIN", "SHOW", "SET",
                    "EXPLAIN", "ROLLBACK", "COMMIT"})  # fmt: skip
_DML = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.I)
WRITES, COMMITTED = "directory_public_writes", "directory_public_committed"


def is_public_write(statement: str) -> bool:
    """Whether a SQL statement may change what a public page shows (DDL does, to be safe)."""
    head = statement.lstrip()[:10].split(None, 1)
    if not head or head[0].upper() in _READS:
        return False
    match = _DML.match(statement)
    return match is None or match.group(1).lower() not in PRIVATE_TABLES


def track(engine: Engine, on_commit: Callable[[], None]) -> None:
    """Call on_commit after each committed transaction that wrote a public table."""

    def before_execute(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not conn.info.get(WRITES) and is_public_write(statement):
            conn.info[WRITES] = True

    def commit(conn: Any) -> None:
        if conn.info.pop(WRITES, False):
            conn.info[COMMITTED] = True

    def rollback(conn: Any) -> None:
        conn.info.pop(WRITES, None)

    def checkin(_dbapi_connection: Any, record: Any) -> None:
        # The pool's reset-on-return rolls back without the engine's rollback event.
        record.info.pop(WRITES, None)
        if record.info.pop(COMMITTED, False):
            on_commit()

    event.listen(engine, "before_cursor_execute", before_execute)
    event.listen(engine, "commit", commit)
    event.listen(engine, "rollback", rollback)
    event.listen(engine.pool, "checkin", checkin)


def init_app(app: Flask, on_commit: Callable[[], None]) -> None:
    """Track the app's engine."""
    with app.app_context():
        track(db.engine, on_commit)
