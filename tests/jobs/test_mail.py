"""Mail through the queue: delivered by the worker, retried with back-off, and a dead
letter that keeps only the recipient and subject (SECURITY.md rows 43 and 51)."""

from __future__ import annotations

import json
import smtplib
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from directory.extensions import db
from directory.mail import deliver_mail, send_mail
from directory.models import AuditEvent, FailedJob

from .. import factories as f
from ..security.conftest import production_config
from ..security.test_rows_audit import _FakeSMTP

SECRET = "reset-token-4f9a1c"  # stands for a reset link in a mail body


class _DownSMTP:
    def __init__(self, *args: object, **kwargs: object) -> None:
        raise OSError("connection refused by smtp.example.org")


def _every_stored_text(app: Flask) -> str:
    with app.app_context():
        rows = db.session.scalars(select(FailedJob)).all()
        events = db.session.scalars(select(AuditEvent)).all()
        return json.dumps(
            [[r.task_name, r.arguments, r.error] for r in rows]
            + [[e.action, e.details] for e in events],
            default=str,
        )


def test_the_suite_delivers_at_once_with_html_and_headers(app: Flask) -> None:
    with app.app_context():
        send_mail("ana@example.org", "Hola", "Texto", html="<p>Texto</p>",
                  headers={"List-Unsubscribe": "<https://x.example/u/1>"})  # fmt: skip
    message = app.extensions["outbox"][-1]
    assert message["List-Unsubscribe"] == "<https://x.example/u/1>"
    assert message.get_body(("html",)).get_content().strip() == "<p>Texto</p>"
    assert message.get_body(("plain",)).get_content().strip() == "Texto"
    assert message["Message-ID"]


def test_headers_cannot_inject_or_replace_the_envelope(app: Flask) -> None:
    with app.app_context():
        with pytest.raises(ValueError):
            send_mail("a@example.org", "Hola", "x", headers={"X-Evil": "a\r\nBcc: b@x.org"})
        with pytest.raises(ValueError, match="sets To"):
            send_mail("a@example.org", "Hola", "x", headers={"To": "b@example.org"})


def test_a_queued_mail_is_sent_by_the_worker_with_its_message_id(
    sqlite_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list = []
    monkeypatch.setattr("smtplib.SMTP", lambda *a, **k: _FakeSMTP(sent))
    sqlite_app.config["MAIL_SERVER"] = "smtp.example.org"
    with sqlite_app.app_context():
        send_mail("ana@example.org", "Restablece", f"Enlace: {SECRET}")
        kept = sqlite_app.extensions["outbox"][-1]  # the tests' copy, made at once
        assert sent == []
        assert sqlite_app.extensions["jobs"].drain() == 1
    assert len(sent) == 1
    assert sent[0]["Message-ID"] == kept["Message-ID"]
    assert SECRET in sent[0].get_content()


def test_smtp_failures_are_retried_with_back_off(
    sqlite_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("smtplib.SMTP", _DownSMTP)
    sqlite_app.config["MAIL_SERVER"] = "smtp.example.org"
    queue = sqlite_app.extensions["jobs"]
    with sqlite_app.app_context():
        send_mail("ana@example.org", "Hola", "Cuerpo")
        queue.execute(queue.dequeue())
        now = datetime.now(UTC).replace(tzinfo=None)  # Huey's etas are naive UTC
        (retry,) = queue.scheduled()
        assert retry.retries == deliver_mail.retries - 1
        assert retry.retry_delay == 2 * deliver_mail.retry_delay  # the next pause doubles
        wait = retry.eta - now
        assert timedelta(seconds=deliver_mail.retry_delay - 5) < wait <= timedelta(seconds=31)
        row = db.session.scalar(select(FailedJob))
        assert (row.attempts, row.exhausted, row.resolved) == (1, False, False)
        assert row.next_attempt_at is not None


def test_a_mail_that_keeps_failing_is_a_dead_letter_without_its_body(
    sqlite_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("smtplib.SMTP", _DownSMTP)
    sqlite_app.config["MAIL_SERVER"] = "smtp.example.org"
    with sqlite_app.app_context():
        send_mail("ana@example.org", "Restablece tu contraseña", f"Enlace: {SECRET}")
        assert sqlite_app.extensions["jobs"].drain() == deliver_mail.retries + 1
        row = db.session.scalar(select(FailedJob))
    assert row.task_name == "directory.mail.deliver_mail"
    assert row.arguments == {"to": "ana@example.org", "subject": "Restablece tu contraseña"}
    assert (row.attempts, row.exhausted, row.resolved) == (deliver_mail.retries + 1, True, False)
    assert "connection refused" in row.error
    assert row.first_failed_at <= row.last_failed_at
    assert SECRET not in _every_stored_text(sqlite_app)


def test_a_refused_recipient_is_not_retried(
    sqlite_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    class _Refusing(_FakeSMTP):
        def send_message(self, message: object) -> None:
            raise smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"no such user")})

    monkeypatch.setattr("smtplib.SMTP", lambda *a, **k: _Refusing([]))
    sqlite_app.config["MAIL_SERVER"] = "smtp.example.org"
    with sqlite_app.app_context():
        send_mail("x@example.org", "Hola", "Cuerpo")
        assert sqlite_app.extensions["jobs"].drain() == 1
        row = db.session.scalar(select(FailedJob))
    assert (row.attempts, row.exhausted) == (1, True)


def test_a_retry_that_works_closes_the_row(
    sqlite_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list = []
    sqlite_app.config["MAIL_SERVER"] = "smtp.example.org"
    queue = sqlite_app.extensions["jobs"]
    with sqlite_app.app_context():
        send_mail("ana@example.org", "Hola", "Cuerpo")
        monkeypatch.setattr("smtplib.SMTP", _DownSMTP)
        queue.execute(queue.dequeue())
        monkeypatch.setattr("smtplib.SMTP", lambda *a, **k: _FakeSMTP(sent))
        assert queue.drain() == 1
        row = db.session.scalar(select(FailedJob))
    assert len(sent) == 1
    assert (row.resolved, row.resolution, row.attempts) == (True, "succeeded", 1)


def test_production_queues_mail_and_neither_process_keeps_a_copy(
    make_app, clean_redis: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Row 51 through the queue: the web process queues, the worker sends, nobody keeps."""
    sent: list = []
    monkeypatch.setattr("smtplib.SMTP", lambda *a, **k: _FakeSMTP(sent))
    app = make_app(**production_config(JOBS_REDIS_URL=clean_redis))
    with app.app_context():
        f.user("ana@example.org")
    client = app.test_client()
    for _ in range(3):
        assert client.post("/password/forgot", data={"email": "ana@example.org"}).status_code == 302
    assert sent == [] and app.extensions["jobs"].pending_count() == 3
    with app.app_context():
        assert app.extensions["jobs"].drain() == 3  # what `flask jobs worker` does
    assert len(sent) == 3
    assert not app.extensions.get("outbox")


def test_deleting_an_account_forgets_its_failed_mails_and_their_retries(
    sqlite_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from directory.services.account_deletion import delete_account

    sent: list = []
    monkeypatch.setattr("smtplib.SMTP", _DownSMTP)
    sqlite_app.config["MAIL_SERVER"] = "smtp.example.org"
    queue = sqlite_app.extensions["jobs"]
    with sqlite_app.app_context():
        ana = f.user("Ana@Example.org")
        send_mail("ana@example.org", "Hola", "Cuerpo")
        send_mail("otra@example.org", "Hola", "Cuerpo")
        queue.execute(queue.dequeue())
        queue.execute(queue.dequeue())
        assert len(queue.scheduled()) == 2  # both wait for a retry
        delete_account(ana, actor=None)
        db.session.commit()
        left = [row.arguments["to"] for row in db.session.scalars(select(FailedJob))]
        assert left == ["otra@example.org"]
        monkeypatch.setattr("smtplib.SMTP", lambda *a, **k: _FakeSMTP(sent))
        queue.drain()  # the retries fall due
    assert [message["To"] for message in sent] == ["otra@example.org"]
    assert "ana@example.org" not in _every_stored_text(sqlite_app).lower()
