"""Queue fixtures: apps on a real SQLite or Redis queue, and worker subprocesses."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from directory.extensions import db

from ..security.conftest import make_app, redis_url  # noqa: F401  (fixtures)
from .tasks import EFFECTS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sqlite_app(make_app: Callable[..., Flask], tmp_path: Path) -> Flask:  # noqa: F811
    """An app whose jobs go to a SQLite queue file (nobody consumes it unless told)."""
    return make_app(JOBS_BACKEND="sqlite", JOBS_SQLITE_PATH=str(tmp_path / "jobs.sqlite3"))


@pytest.fixture
def clean_redis(redis_url: str) -> str:  # noqa: F811
    """The throwaway Redis, emptied."""
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    client.close()
    return redis_url


@pytest.fixture
def redis_app(make_app: Callable[..., Flask], clean_redis: str) -> Flask:  # noqa: F811
    """An app whose jobs go to the throwaway Redis."""
    return make_app(JOBS_BACKEND="redis", JOBS_REDIS_URL=clean_redis, JOBS_LEASE_SECONDS=2)


@pytest.fixture
def effects_table(app: Flask) -> Iterator[None]:
    """The unique-key table the test jobs guard their effect with."""
    with app.app_context():
        EFFECTS.create(db.engine, checkfirst=True)
    yield
    with app.app_context():
        db.session.remove()
        EFFECTS.drop(db.engine, checkfirst=True)


class Workers:
    """`flask jobs worker` subprocesses on the test database and a queue."""

    def __init__(self, app: Flask, tmp_path: Path, **settings: str) -> None:
        self.tmp_path = tmp_path
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("DIRECTORY_")}
        self.env.update(
            {
                "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                "DIRECTORY_SECRET_KEY": app.config["SECRET_KEY"],
                "DIRECTORY_PUBLIC_URL": "http://localhost",
                "DIRECTORY_JOBS_IMPORTS": '["tests.jobs.tasks"]',
                "DIRECTORY_JOBS_LEASE_SECONDS": "2",
                "DIRECTORY_LOG_JSON": "false",
                "HF_HUB_OFFLINE": "1",
                "TRANSFORMERS_OFFLINE": "1",
                **{f"DIRECTORY_{key}": value for key, value in settings.items()},
            }
        )
        self.procs: list[tuple[subprocess.Popen[bytes], Path]] = []

    def start(self, *args: str, **env: str) -> subprocess.Popen[bytes]:
        """Start one worker; its output goes to a log file beside the test's files."""
        log = self.tmp_path / f"worker-{len(self.procs)}.log"
        command = [sys.executable, "-m", "flask", "--app", "directory", "jobs", "worker", *args]
        with log.open("wb") as out:
            proc = subprocess.Popen(
                command, cwd=ROOT, env={**self.env, **env}, stdout=out, stderr=subprocess.STDOUT
            )
        self.procs.append((proc, log))
        return proc

    def log(self, index: int = 0) -> str:
        """What a worker wrote so far."""
        return self.procs[index][1].read_text(errors="replace")

    def stop(self) -> None:
        """Stop every worker still running (SIGTERM, then SIGKILL)."""
        for proc, _log in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc, _log in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def workers(app: Flask, tmp_path: Path, clean_redis: str) -> Iterator[Workers]:
    """Worker subprocesses on the throwaway Redis (started by the test)."""
    pool = Workers(app, tmp_path, JOBS_BACKEND="redis", JOBS_REDIS_URL=clean_redis)
    yield pool
    pool.stop()


def wait_for(check: Callable[[], object], timeout: float = 20.0, what: str = "") -> object:
    """Poll until ``check()`` is truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what or check}")
