"""Fixtures for the security suite: a Redis for shared rate limits, an extra app builder."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from directory import create_app
from directory.extensions import db

STRONG_SECRET = "Zq8v3X1pL0tR7mK2wN9sB4yH6cJ5dF0gT1uE8aQ3"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A throwaway redis-server on a free port (nobody else's keys); skip without one."""
    binary = shutil.which("redis-server")
    if binary is None:
        if _answers(6379):  # no binary here, but a server (another host's, a container)
            yield "redis://127.0.0.1:6379/0"
            return
        pytest.skip("no redis-server binary: apt-get install -y redis-server")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not _answers(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def make_app(app: Flask) -> Iterator[Callable[..., Flask]]:
    """Build another app on the session's database (a second worker, a production app)."""
    yield from building_apps(app)


def building_apps(app: Flask, **defaults: Any) -> Iterator[Callable[..., Flask]]:
    """The body of a `make_app` fixture: a builder of apps on the session's database with
    `defaults` under each call's config, whose connections are closed afterwards."""
    built: list[Flask] = []

    def _make(**config: Any) -> Flask:
        settings = {
            "TESTING": True,
            "SECRET_KEY": app.config["SECRET_KEY"],
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "WTF_CSRF_ENABLED": False,
            # Each built app counts alone unless a test shares a storage on purpose.
            "RATELIMIT_KEY_PREFIX": "t" + uuid.uuid4().hex[:8],
            # Jobs run where they are queued unless a test asks for a queue: an app built
            # without TESTING would otherwise open a SQLite queue in instance/ (or, on
            # PostgreSQL runs, beside nothing) that outlives the test.
            "JOBS_BACKEND": "immediate",
            **defaults,
            **config,
        }
        built.append(create_app(settings))
        return built[-1]

    yield _make
    for extra in built:  # close its connections (PostgreSQL warns about open ones)
        with extra.app_context():
            db.session.remove()
            db.engine.dispose()


def production_config(**overrides: Any) -> dict[str, Any]:
    """A configuration that passes the production check."""
    return {
        "ENV": "production",
        "TESTING": False,
        "SECRET_KEY": STRONG_SECRET,
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
        "MAIL_SERVER": "smtp.example.org",
        "PASSWORD_HASH_METHOD": None,
        "PUBLIC_URL": "https://directorio.example.mx",
        "TRUSTED_HOSTS": ["directorio.example.mx"],
        "JOBS_BACKEND": "redis",  # on the rate limits' Redis (nothing connects until used)
        **overrides,
    }


@pytest.fixture
def limits(app: Flask) -> Iterator[Callable[..., None]]:
    """Lower limits for one test: limits(RATELIMIT_SEARCH="2 per minute")."""
    saved: dict[str, object] = {}

    def _set(**settings: str) -> None:
        for key, value in settings.items():
            saved.setdefault(key, app.config[key])
            app.config[key] = value

    yield _set
    app.config.update(saved)
