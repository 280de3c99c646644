"""Shared fixtures: one app and schema per session, a clean database per test.

Set DATABASE_URL (postgresql+psycopg://...) to run the same suite on PostgreSQL.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from directory import create_app, ratelimits
from directory.extensions import db
from directory.models import Role, User
from directory.services import accounts, skills

PASSWORD = "correct horse battery"  # a valid test password (not in the common list)

# Tables whose rows survive between tests: the vocabulary is read-only reference data.
KEEP_TABLES = {"skills"}


def database_url(tmp_dir: str) -> str:
    """PostgreSQL when DATABASE_URL is set, else a SQLite file (threads share it)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        from directory.config import normalise_database_url

        return normalise_database_url(url)
    return "sqlite:///" + os.path.join(tmp_dir, "test.sqlite3")


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The application with a fresh schema and the skills vocabulary."""
    tmp_dir = str(tmp_path_factory.mktemp("db"))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
            "SQLALCHEMY_DATABASE_URI": database_url(tmp_dir),
            "WTF_CSRF_ENABLED": False,
            # The public origin of every absolute URL (directory/origin.py).
            "PUBLIC_URL": "http://localhost",
            # A cheaper scrypt (~1 ms instead of ~90 ms a hash): tests that check the real
            # parameters use the `production_hashing` fixture.
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
            # Background jobs run at once where they are enqueued (tests/jobs/ use real
            # queues on SQLite and Redis).
            "JOBS_BACKEND": "immediate",
            # Saved indexes go to the test's temporary directory, never to instance/.
            "MATCHING_INDEX_DIR": os.path.join(tmp_dir, "matching"),
            # Open-data files too (never the real instance/opendata).
            "OPENDATA_DIR": os.path.join(tmp_dir, "opendata"),
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        skills.load_vocabulary()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """Empty every table (but the vocabulary) after each test that used the app."""
    yield
    if "app" not in request.fixturenames:
        return
    flask_app: Flask = request.getfixturevalue("app")
    with flask_app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                if table.name not in KEEP_TABLES:
                    conn.execute(table.delete())
    flask_app.extensions.get("outbox", []).clear()
    ratelimits.reset(flask_app)  # each test starts with fresh rate-limit budgets


@pytest.fixture
def production_hashing(app: Flask) -> Iterator[None]:
    """Hash passwords with the production parameters for one test."""
    saved = app.config["PASSWORD_HASH_METHOD"]
    app.config["PASSWORD_HASH_METHOD"] = None
    yield
    app.config["PASSWORD_HASH_METHOD"] = saved


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A CLI runner for the app's flask commands."""
    return app.test_cli_runner()


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    """Run the test inside an application context."""
    with app.app_context():
        yield app


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    """Create an account: make_user("ana@example.org", role="curator")."""

    def _make(
        email: str = "ana@example.org",
        password: str = PASSWORD,
        role: str = Role.MEMBER,
        locale: str | None = None,
    ) -> User:
        with app.app_context():
            user = accounts.register(email, password, locale=locale)
            user.role = role
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return _make


class AuthActions:
    """Log in and out through the real forms, like flaskr's auth fixture."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(
        self, email: str = "ana@example.org", password: str = PASSWORD, remember: bool = False
    ) -> Any:
        data = {"email": email, "password": password}
        if remember:
            data["remember"] = "y"
        return self._client.post("/login", data=data)

    def logout(self) -> Any:
        return self._client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    """Log the test client in or out."""
    return AuthActions(client)


@pytest.fixture
def csrf_on(app: Flask) -> Iterator[None]:
    """Turn CSRF protection on for one test (it is off for the rest of the suite)."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def csrf_token_from(html: str) -> str:
    """Pull the CSRF token out of a rendered form."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)
