"""SECURITY.md row 37: `flask backup` takes a consistent copy while the app writes, and the
copy restores to a working app (README, "Backups and restore")."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from directory import backup, create_app
from directory.extensions import db
from directory.models import AuditEvent

from .conftest import STRONG_SECRET

pytestmark = pytest.mark.slow


def sqlite_app(path: Path, *, create: bool = False) -> Flask:
    """An app on its own SQLite file, whatever database the rest of the suite uses."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": STRONG_SECRET,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_KEY_PREFIX": "b" + uuid.uuid4().hex[:8],
        }
    )
    if create:
        with app.app_context():
            db.create_all()
    return app


def _dispose(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Flask]:
    app = sqlite_app(tmp_path / "live.sqlite3", create=True)
    yield app
    _dispose(app)


class Writer(threading.Thread):
    """Commits one audit event after another through the app, like a busy worker."""

    def __init__(self, app: Flask) -> None:
        super().__init__(daemon=True)
        self.app = app
        self.stop = threading.Event()
        self.committed = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with self.app.app_context():
                while not self.stop.is_set():
                    db.session.add(AuditEvent(action="test.write", details={"n": self.committed}))
                    db.session.commit()
                    self.committed += 1
                db.session.remove()
        except BaseException as exc:  # reported by the test, not lost in the thread
            self.error = exc


def _wait_for(writer: Writer, count: int) -> None:
    deadline = time.monotonic() + 30
    while writer.committed < count:
        assert writer.error is None, writer.error
        assert time.monotonic() < deadline, "the writer made no progress"
        time.sleep(0.01)


def test_a_backup_taken_during_writes_is_consistent_and_restores(
    live: Flask, tmp_path: Path
) -> None:
    writer = Writer(live)
    writer.start()
    try:
        _wait_for(writer, 50)
        started_at = writer.committed
        target = tmp_path / "backup.sqlite3"
        result = live.test_cli_runner().invoke(args=["backup", str(target)])
        assert result.exit_code == 0, result.output
        _wait_for(writer, writer.committed + 20)  # writes carried on after the backup
    finally:
        writer.stop.set()
        writer.join(timeout=30)
    assert writer.error is None, writer.error
    assert "Backup written" in result.output

    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # One self-contained file: no WAL needed beside it.
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        ids = [row[0] for row in copy.execute("SELECT id FROM audit_events ORDER BY id")]
    finally:
        copy.close()
    # A single point in time: every row up to some moment, none missing in between.
    assert ids == list(range(1, len(ids) + 1))
    assert started_at <= len(ids) < writer.committed

    restored_path = tmp_path / "restored.sqlite3"
    shutil.copyfile(target, restored_path)
    restored = sqlite_app(restored_path)
    try:
        with restored.app_context():
            count = db.session.scalar(select(func.count(AuditEvent.id)))
            assert count == len(ids)
            db.session.add(AuditEvent(action="after.restore"))
            db.session.commit()  # the restored database takes writes again
        assert restored.test_client().get("/").status_code == 200
    finally:
        _dispose(restored)
    with live.app_context():
        backup_event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "data.backup")
        )
        assert backup_event is not None and backup_event.details["file"] == "backup.sqlite3"


def test_an_existing_file_is_not_overwritten_without_force(live: Flask, tmp_path: Path) -> None:
    target = tmp_path / "exists.sqlite3"
    target.write_bytes(b"keep me")
    runner = live.test_cli_runner()
    refused = runner.invoke(args=["backup", str(target)])
    assert refused.exit_code != 0
    assert "already exists" in refused.output
    assert target.read_bytes() == b"keep me"
    forced = runner.invoke(args=["backup", "--force", str(target)])
    assert forced.exit_code == 0, forced.output
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        copy.close()


def test_clear_errors_for_a_missing_folder_and_an_in_memory_database(tmp_path: Path) -> None:
    app = sqlite_app(tmp_path / "x.sqlite3", create=True)
    try:
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "no" / "b.db")])
        assert result.exit_code != 0 and "does not exist" in result.output
    finally:
        _dispose(app)
    with pytest.raises(backup.BackupError, match="in memory"):
        backup.backup_sqlite(":memory:", tmp_path / "m.db")
    assert not list(tmp_path.glob("*.part"))


def test_a_missing_pg_dump_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backup.shutil, "which", lambda _name: None)
    url = make_url("postgresql+psycopg://someone:secret@127.0.0.1:5432/directory")
    with pytest.raises(backup.BackupError, match="pg_dump was not found"):
        backup.backup_postgresql(url, tmp_path / "d.dump")


def test_the_password_goes_to_pg_dump_in_the_environment_not_the_arguments() -> None:
    url = make_url("postgresql+psycopg://someone:s3cret@db.example.org:5432/directory")
    target, env = backup._libpq_url(url)
    assert target == "postgresql://someone@db.example.org:5432/directory"
    assert env["PGPASSWORD"] == "s3cret"


POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


@pytest.mark.skipif(not POSTGRES, reason="the suite runs on SQLite (set DATABASE_URL)")
def test_postgresql_backup_restores_into_a_new_database(app: Flask, tmp_path: Path) -> None:
    import psycopg

    with app.app_context():
        for n in range(25):
            db.session.add(AuditEvent(action="pg.write", details={"n": n}))
        db.session.commit()
    target = tmp_path / "directory.dump"
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    plain, env = backup._libpq_url(url)
    scratch = f"restore_{uuid.uuid4().hex[:8]}"
    admin = url.set(drivername="postgresql", database="postgres")
    conninfo = admin.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{scratch}"')
    try:
        restored, _ = backup._libpq_url(url.set(database=scratch))
        subprocess.run(
            ["pg_restore", "--no-owner", "--dbname", restored, str(target)],
            env=env,
            check=True,
            capture_output=True,
        )
        with psycopg.connect(
            url.set(drivername="postgresql", database=scratch).render_as_string(hide_password=False)
        ) as conn:
            count = conn.execute(
                "SELECT count(*) FROM audit_events WHERE action = 'pg.write'"
            ).fetchone()[0]
        assert count == 25
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
    assert ":" not in plain.split("@")[0].removeprefix("postgresql://")  # no password in it
