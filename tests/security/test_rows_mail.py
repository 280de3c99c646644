"""SECURITY.md row 51: sent mail is kept in memory only in tests and development.

Anonymous visitors can make the app send mail, and a reset link is a secret: a production
process must not accumulate what it sent.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from directory.mail import DEVELOPMENT_OUTBOX, send_mail

from .. import factories as f
from .conftest import production_config
from .test_rows_audit import _FakeSMTP


def test_production_keeps_no_copy_of_what_it_sends(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch, redis_url: str
) -> None:
    sent: list[object] = []
    monkeypatch.setattr("smtplib.SMTP", lambda *a, **k: _FakeSMTP(sent))
    # Production queues mail on Redis (a throwaway server: no job is left in anyone's).
    app = make_app(**production_config(JOBS_REDIS_URL=redis_url))
    with app.app_context():
        f.user("ana@example.org")
    client = app.test_client()
    for _ in range(3):
        assert client.post("/password/forgot", data={"email": "ana@example.org"}).status_code == 302
    assert sent == [] and not app.extensions.get("outbox")  # queued, not kept
    with app.app_context():
        assert app.extensions["jobs"].drain() == 3  # what `flask jobs worker` does
    assert len(sent) == 3  # really sent...
    assert not app.extensions.get("outbox")  # ...and not kept


def test_development_keeps_only_the_last_messages(make_app: Callable[..., Flask]) -> None:
    app = make_app(TESTING=False)
    with app.app_context():
        for n in range(DEVELOPMENT_OUTBOX + 20):
            send_mail("ana@example.org", f"Asunto {n}", "Cuerpo")
    outbox = app.extensions["outbox"]
    assert len(outbox) == DEVELOPMENT_OUTBOX
    assert outbox[-1]["Subject"] == f"Asunto {DEVELOPMENT_OUTBOX + 19}"


def test_tests_keep_every_message(app: Flask) -> None:
    with app.app_context():
        for n in range(DEVELOPMENT_OUTBOX + 5):
            send_mail("ana@example.org", f"Asunto {n}", "Cuerpo")
    assert len(app.extensions["outbox"]) == DEVELOPMENT_OUTBOX + 5
