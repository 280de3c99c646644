"""The directory's own jobs: embedding after a save, archiving, re-confirmation reminders,
periodic claims, poison messages, lease recovery and the production check."""

from __future__ import annotations

import time
from datetime import date, timedelta

from flask import Flask
from sqlalchemy import func, select

from directory.extensions import db
from directory.jobs import settings
from directory.jobs.schedule import PERIODIC
from directory.jobs.tasks import (
    archive_expired_posts,
    embed_changed,
    remind_reconfirmation,
)
from directory.models import AuditEvent, Embedding, FailedJob, Opening, utcnow
from directory.orgs import routes as org_routes
from directory.production import config_problems

from .. import factories as f
from ..conftest import PASSWORD
from ..matching.conftest import fake_matching
from ..security.conftest import production_config
from .tasks import record_effect, tick


def _queued(app: Flask) -> list[tuple[str, tuple]]:
    return [(type(t).__name__, tuple(t.args)) for t in app.extensions["jobs"].pending()]


# --- embedding off the request path ---------------------------------------------------------


def test_a_saved_record_queues_one_embedding_job_per_transaction(sqlite_app: Flask) -> None:
    with sqlite_app.app_context():
        owner = f.user("owner@example.org")  # a user row alone needs no vectors
        assert _queued(sqlite_app) == []
        f.org(owner)  # organisation, membership (one commit)
    assert _queued(sqlite_app) == [("embed_changed", (["challenge", "opening", "organization"],))]


def test_a_rolled_back_save_queues_no_embedding(sqlite_app: Flask) -> None:
    with sqlite_app.app_context():
        org = f.org()
        sqlite_app.extensions["jobs"].flush()
        org.description = "Otra descripción"
        db.session.flush()
        db.session.rollback()
    assert _queued(sqlite_app) == []


def test_logging_in_queues_no_embedding(sqlite_app: Flask) -> None:
    with sqlite_app.app_context():
        f.user("ana@example.org")
        sqlite_app.extensions["jobs"].flush()
    client = sqlite_app.test_client()
    client.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    assert _queued(sqlite_app) == []


def test_the_worker_embeds_and_stores_the_vectors(sqlite_app: Flask) -> None:
    with fake_matching(sqlite_app), sqlite_app.app_context():
        profile = f.profile(f.user("ana@example.org"))
        assert ("embed_changed", (["profile"],)) in _queued(sqlite_app)
        sqlite_app.extensions["jobs"].drain()
        stored = db.session.scalar(
            select(func.count()).where(
                Embedding.kind == "profile", Embedding.record_id == profile.id
            )
        )
    assert stored == 1


def test_the_embedding_job_ignores_unknown_kinds(app: Flask) -> None:
    with fake_matching(app), app.app_context():
        embed_changed(["no-such-kind"])


# --- archiving ------------------------------------------------------------------------------


def test_the_archive_job_closes_expired_posts(sqlite_app: Flask) -> None:
    with sqlite_app.app_context():
        post = f.opening(closes_on=date.today() - timedelta(days=1))
        sqlite_app.extensions["jobs"].flush()
        sqlite_app.extensions["jobs"].push(archive_expired_posts, (), {})
        sqlite_app.extensions["jobs"].drain()
        assert db.session.get(Opening, post.id).status == "archived"


def test_requests_archive_only_without_a_worker(sqlite_app: Flask, app: Flask, monkeypatch) -> None:
    with app.app_context():
        post_id = f.opening(closes_on=date.today() - timedelta(days=1)).id
    monkeypatch.setattr(org_routes, "_last_archive_run", 0.0)
    sqlite_app.test_client().get("/")
    with app.app_context():
        assert db.session.get(Opening, post_id).status == "published"  # the worker's job
    monkeypatch.setattr(org_routes, "_last_archive_run", 0.0)
    app.test_client().get("/")
    with app.app_context():
        assert db.session.get(Opening, post_id).status == "archived"  # immediate: fallback


# --- re-confirmation reminders ---------------------------------------------------------------


def test_reminders_ask_each_owner_once_a_week(sqlite_app: Flask) -> None:
    queue = sqlite_app.extensions["jobs"]
    with sqlite_app.app_context():
        owner = f.user("owner@example.org")
        org = f.org(owner, name="Vieja")
        org.confirmed_at = utcnow() - timedelta(days=400)
        f.org(f.user("fresh@example.org"), name="Reciente")
        db.session.commit()
        queue.flush()
        for _ in range(2):  # the second run, the same week, asks nobody again
            queue.push(remind_reconfirmation, (), {})
            queue.drain()
        mails = [m for m in sqlite_app.extensions["outbox"] if "Vieja" in m["Subject"]]
        asked = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "organization.reconfirmation_requested")
        ).all()
    assert [m["To"] for m in mails] == ["owner@example.org"]
    assert len(asked) == 1 and asked[0].actor_id is None
    assert "/manage/organizations/" in mails[0].get_content()


# --- periodic jobs, claims, poison and recovery --------------------------------------------------


def test_each_periodic_minute_is_claimed_once(sqlite_app: Flask, make_app, tmp_path) -> None:
    other = make_app(JOBS_BACKEND="sqlite", JOBS_SQLITE_PATH=str(tmp_path / "jobs.sqlite3"))
    first, second = sqlite_app.extensions["jobs"], other.extensions["jobs"]
    first.register_all(), second.register_all()
    minute = first._get_timestamp().replace(second=0, microsecond=0)
    names = lambda tasks: {type(t).__name__ for t in tasks}  # noqa: E731
    assert "tick" in names(first.read_periodic(minute))
    assert "tick" not in names(second.read_periodic(minute + timedelta(seconds=30)))
    assert "tick" in names(second.read_periodic(minute + timedelta(minutes=1)))
    assert tick.name in {entry.job.name for entry in PERIODIC}


def test_an_unreadable_message_is_a_dead_letter(sqlite_app: Flask) -> None:
    queue = sqlite_app.extensions["jobs"]
    queue.storage.enqueue(b"forged." + b'{"__message__": {}}')
    with sqlite_app.app_context():
        assert queue.drain() == 0
        row = db.session.scalar(select(FailedJob))
    assert row.exhausted and row.task_name == "(unreadable message)"
    assert "not signed" in row.error
    assert queue.pending_count() == 0 and queue.storage.leased() == 0


def test_a_dead_workers_job_comes_back_and_a_deadly_one_stops(
    make_app, app: Flask, tmp_path, effects_table
) -> None:
    fast = make_app(JOBS_BACKEND="sqlite", JOBS_SQLITE_PATH=str(tmp_path / "j.sqlite3"),
                    JOBS_LEASE_SECONDS=0.2, JOBS_MAX_RECOVERIES=2)  # fmt: skip
    queue, log = fast.extensions["jobs"], tmp_path / "log"
    with fast.app_context():
        queue.push(record_effect, ("k", str(log)), {})
        for _ in range(2):  # a worker takes it and dies twice: it comes back each time
            assert queue.dequeue() is not None and queue.storage.leased() == 1
            queue._running.clear()  # dead: nobody extends its lease any more
            time.sleep(0.25)
            queue.read_schedule()
            assert queue.storage.leased() == 0 and queue.pending_count() == 1
        assert queue.drain() == 1  # the third worker lives
        assert log.read_text().count("effect k") == 1
        queue.push(record_effect, ("deadly", str(log)), {})
        for _ in range(3):
            queue.dequeue()
            queue._running.clear()
            time.sleep(0.25)
            queue.read_schedule()
        assert queue.dequeue() is None  # recovered a third time: a dead letter
        row = db.session.scalar(select(FailedJob))
    assert (
        row.exhausted and "stopped 3 times" in row.error and "effect deadly" not in log.read_text()
    )


# --- production -----------------------------------------------------------------------------


def test_production_needs_the_redis_queue() -> None:
    assert config_problems(production_config()) == []
    for backend in ("immediate", "sqlite", "rabbit"):
        problems = config_problems(production_config(JOBS_BACKEND=backend))
        assert any("JOBS_BACKEND" in p for p in problems), backend
    no_redis = production_config(JOBS_BACKEND=None, RATELIMIT_STORAGE_URI="memcached://x")
    assert any("no Redis" in p for p in config_problems(no_redis))


def test_the_backend_defaults_to_redis_in_production_and_sqlite_for_make_run() -> None:
    assert settings.backend({"ENV": "production"}) == "redis"
    assert settings.backend({"TESTING": True}) == "immediate"
    assert settings.backend({}) == "sqlite"
    assert settings.backend({"JOBS_BACKEND": "Redis", "TESTING": True}) == "redis"
    assert settings.embedded_worker({}) is True
    assert settings.embedded_worker({"TESTING": True}) is False
    assert settings.embedded_worker({"ENV": "production", "JOBS_BACKEND": "sqlite"}) is False


def test_the_sqlite_queue_sits_beside_its_database(tmp_path) -> None:
    config = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/directory.sqlite3"}
    assert settings.sqlite_path(config, "/instance") == f"{tmp_path}/jobs.sqlite3"
    config = {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@h/d"}
    assert settings.sqlite_path(config, "/instance") == "/instance/jobs.sqlite3"
