"""``enqueue``: a job waits for its transaction's commit, and never outlives a rollback."""

from __future__ import annotations

import pytest
from flask import Flask

from directory.extensions import db
from directory.jobs import enqueue, is_immediate
from directory.jobs.serializer import BadMessage, SignedJSONSerializer, split
from directory.models import AuditEvent

from .tasks import always_fails, record_effect


def _queued(app: Flask) -> int:
    return app.extensions["jobs"].pending_count()


def test_the_suite_runs_jobs_immediately(app: Flask) -> None:
    assert is_immediate(app)


def test_a_job_waits_for_the_commit(sqlite_app: Flask, tmp_path) -> None:
    with sqlite_app.app_context():
        db.session.add(AuditEvent(action="test.write"))
        db.session.flush()
        enqueue(record_effect, "k", str(tmp_path / "log"))
        assert _queued(sqlite_app) == 0  # the row is not durable yet
        db.session.commit()
        assert _queued(sqlite_app) == 1


def test_a_rolled_back_transaction_queues_nothing(sqlite_app: Flask, tmp_path) -> None:
    with sqlite_app.app_context():
        db.session.add(AuditEvent(action="test.write"))
        enqueue(record_effect, "k", str(tmp_path / "log"))  # unflushed changes count too
        db.session.rollback()
        db.session.commit()  # a later commit does not bring it back
        assert _queued(sqlite_app) == 0


def test_a_session_closed_without_commit_queues_nothing(sqlite_app: Flask, tmp_path) -> None:
    with sqlite_app.app_context():
        db.session.add(AuditEvent(action="test.write"))
        db.session.flush()
        enqueue(record_effect, "k", str(tmp_path / "log"))
    with sqlite_app.app_context():  # the first context's session was removed (closed)
        assert _queued(sqlite_app) == 0


def test_a_bulk_update_counts_as_a_write(sqlite_app: Flask, tmp_path) -> None:
    with sqlite_app.app_context():
        db.session.execute(db.update(AuditEvent).values(action="x"))
        enqueue(record_effect, "k", str(tmp_path / "log"))
        assert _queued(sqlite_app) == 0
        db.session.rollback()
        assert _queued(sqlite_app) == 0


def test_without_a_writing_transaction_a_job_goes_at_once(sqlite_app: Flask, tmp_path) -> None:
    with sqlite_app.app_context():
        enqueue(record_effect, "a", str(tmp_path / "log"))  # no transaction at all
        db.session.scalar(db.select(AuditEvent.id))  # a read-only transaction
        enqueue(record_effect, "b", str(tmp_path / "log"))
        assert _queued(sqlite_app) == 2
        db.session.rollback()
        assert _queued(sqlite_app) == 2


def test_arguments_must_be_json(sqlite_app: Flask) -> None:
    with sqlite_app.app_context(), pytest.raises(TypeError, match="JSON value"):
        enqueue(always_fails, object())


def test_immediate_jobs_make_the_same_json_round_trip(app: Flask) -> None:
    with app.app_context(), pytest.raises(TypeError, match="JSON value"):
        enqueue(always_fails, {1, 2})


def test_messages_are_signed_json() -> None:
    ours, theirs = SignedJSONSerializer("secret-1"), SignedJSONSerializer("secret-2")
    data = ours.serialize({"a": [1, "ñ"]})
    assert b"pickle" not in data and data.split(b".", 1)[1] == '{"a":[1,"ñ"]}'.encode()
    assert ours.deserialize(data) == {"a": [1, "ñ"]}
    assert ours.deserialize(b"r2:" + data) == {"a": [1, "ñ"]}
    assert split(b"r2:" + data) == (2, data)
    with pytest.raises(BadMessage):
        theirs.deserialize(data)
    with pytest.raises(BadMessage):
        ours.deserialize(data.replace(b"1", b"2"))
