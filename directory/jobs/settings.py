"""Which queue backend an app uses, and what production demands of it (no Huey imports)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from sqlalchemy.engine import make_url

BACKENDS = ("redis", "sqlite", "immediate")


def backend(config: Mapping[str, Any]) -> str:
    """JOBS_BACKEND, or by default: immediate under tests, redis in production, else sqlite."""
    chosen = config.get("JOBS_BACKEND")
    if chosen:
        return str(chosen).strip().lower()
    if config.get("TESTING"):
        return "immediate"
    if str(config.get("ENV", "")).lower() == "production":
        return "redis"
    return "sqlite"


def redis_url(config: Mapping[str, Any]) -> str | None:
    """JOBS_REDIS_URL, or else the rate limits' Redis."""
    if config.get("JOBS_REDIS_URL"):
        return str(config["JOBS_REDIS_URL"])
    limits = str(config.get("RATELIMIT_STORAGE_URI") or "")
    return limits if limits.startswith(("redis://", "rediss://", "unix://")) else None


def sqlite_path(config: Mapping[str, Any], instance_path: str) -> str:
    """JOBS_SQLITE_PATH, or jobs.sqlite3 beside the SQLite database (else in instance/).

    A queue belongs to one database: its jobs name that database's rows. Beside
    instance/directory.sqlite3 it is instance/jobs.sqlite3, the file `make run` uses.
    """
    if config.get("JOBS_SQLITE_PATH"):
        return str(config["JOBS_SQLITE_PATH"])
    url = make_url(str(config.get("SQLALCHEMY_DATABASE_URI") or "sqlite://"))
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return os.path.join(os.path.dirname(os.path.abspath(url.database)), "jobs.sqlite3")
    return os.path.join(instance_path, "jobs.sqlite3")


def embedded_worker(config: Mapping[str, Any]) -> bool:
    """Whether the development server consumes the queue itself (a thread; see worker.py)."""
    chosen = config.get("JOBS_EMBEDDED_WORKER")
    if chosen is not None:
        return bool(chosen)
    production = str(config.get("ENV", "")).lower() == "production"
    return backend(config) == "sqlite" and not config.get("TESTING") and not production


def production_problems(config: Mapping[str, Any]) -> list[str]:
    """What makes the queue unfit for production (directory/production.py lists these)."""
    # Production needs Redis. "immediate" would send mail and embed records inside web
    # requests, with no retry and no dead letter; "sqlite" is a file on one machine that
    # app servers elsewhere cannot share, and production already runs Redis for its rate
    # limits (with AOF, README "Deploying", the queue survives a Redis restart too).
    chosen = backend(config)
    if chosen not in BACKENDS:
        return [f"JOBS_BACKEND is {chosen!r}: choose redis, sqlite or immediate"]
    if chosen != "redis":
        return [
            f"JOBS_BACKEND is {chosen}: production runs background jobs on Redis with a "
            "worker process (set DIRECTORY_JOBS_BACKEND=redis, see README 'Deploying')"
        ]
    if redis_url(config) is None:
        return [
            "the job queue has no Redis: set DIRECTORY_JOBS_REDIS_URL=redis://HOST:6379/1 "
            "or a redis:// DIRECTORY_RATELIMIT_STORAGE_URI"
        ]
    return []
