"""/curation/jobs: curators see failed jobs, retry and dismiss dead letters (audited)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import force_locale, ngettext
from markupsafe import escape
from sqlalchemy import select

from directory.extensions import db
from directory.jobs import enqueue
from directory.mail import send_mail
from directory.models import AuditEvent, FailedJob

from .. import factories as f
from ..conftest import PASSWORD
from ..security.test_rows_audit import _FakeSMTP
from .tasks import always_fails

SECRET = "confirm-token-77c2"


def _login(app: Flask, email: str, role: str = "member"):
    with app.app_context():
        f.user(email, role=role)
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def _dead_mail(app: Flask, monkeypatch: pytest.MonkeyPatch) -> FailedJob:
    """A confirmation mail whose SMTP server kept refusing: a dead letter."""

    class _Down:
        def __init__(self, *a: object, **k: object) -> None:
            raise OSError("smtp down")

    monkeypatch.setattr("smtplib.SMTP", _Down)
    app.config["MAIL_SERVER"] = "smtp.example.org"
    with app.app_context():
        send_mail("bea@example.org", "Confirma tu cuenta", f"Enlace: {SECRET}")
        app.extensions["jobs"].drain()
        row = db.session.scalar(select(FailedJob))
        db.session.expunge(row)
    return row


def _row(app: Flask, row_id: int) -> FailedJob:
    with app.app_context():
        row = db.session.get(FailedJob, row_id)
        db.session.expunge(row)
        return row


def _actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.action.like("job.%"))))  # fmt: skip


def test_curators_see_dead_letters_without_their_body(sqlite_app, monkeypatch) -> None:
    row = _dead_mail(sqlite_app, monkeypatch)
    client = _login(sqlite_app, "cura@example.org", role="curator")
    page = client.get("/curation/jobs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'data-id="{row.id}"' in html
    assert "bea@example.org" in html and "Confirma tu cuenta" in html
    assert SECRET not in html
    assert 'href="/curation/jobs"' in html  # in the curation menu
    assert "no-store" in page.headers["Cache-Control"]


def test_retry_queues_the_job_again_with_fresh_retries(sqlite_app, monkeypatch) -> None:
    row = _dead_mail(sqlite_app, monkeypatch)
    client = _login(sqlite_app, "cura@example.org", role="curator")
    response = client.post("/curation/jobs/retry", data={"only": str(row.id)})
    assert response.status_code == 302
    again = _row(sqlite_app, row.id)
    assert (again.resolved, again.resolution) == (True, "retried")
    assert _actions(sqlite_app) == ["job.retried"]
    queue = sqlite_app.extensions["jobs"]
    (task,) = queue.pending()
    assert task.id == row.task_id and task.retries == 6
    sent: list = []
    monkeypatch.setattr("smtplib.SMTP", lambda *a, **k: _FakeSMTP(sent))
    with sqlite_app.app_context():
        assert queue.drain() == 1
    assert len(sent) == 1 and SECRET in sent[0].get_content()
    # Retried once: nothing left to retry a second time.
    client.post("/curation/jobs/retry", data={"only": str(row.id)})
    assert queue.pending_count() == 0


def test_a_retry_that_fails_again_reopens_the_row(app: Flask) -> None:
    with app.app_context():
        enqueue(always_fails, "once")  # immediate: one failure is final
        row = db.session.scalar(select(FailedJob))
        assert (row.attempts, row.exhausted) == (1, True)
        row_id = row.id
    client = _login(app, "cura@example.org", role="curator")
    client.post("/curation/jobs/retry", data={"ids": [str(row_id)]})
    again = _row(app, row_id)
    assert (again.resolved, again.exhausted, again.attempts) == (False, True, 2)


def test_dismiss_closes_the_dead_letter_and_its_payload(sqlite_app, monkeypatch) -> None:
    row = _dead_mail(sqlite_app, monkeypatch)
    client = _login(sqlite_app, "cura@example.org", role="curator")
    client.post("/curation/jobs/dismiss", data={"ids": [str(row.id)]})
    again = _row(sqlite_app, row.id)
    assert (again.resolved, again.resolution) == (True, "dismissed")
    assert sqlite_app.extensions["jobs"].storage.fetch(f"dead:{row.task_id}") is None
    assert _actions(sqlite_app) == ["job.dismissed"]
    resolved = client.get("/curation/jobs?show=resolved").get_data(as_text=True)
    assert f'data-id="{row.id}"' in resolved


def test_an_expired_payload_cannot_be_retried(sqlite_app, monkeypatch) -> None:
    row = _dead_mail(sqlite_app, monkeypatch)
    sqlite_app.extensions["jobs"].storage.forget(f"dead:{row.task_id}")
    client = _login(sqlite_app, "cura@example.org", role="curator")
    page = client.post("/curation/jobs/retry", data={"only": str(row.id)}, follow_redirects=True)
    with sqlite_app.test_request_context(), force_locale("es"):
        expected = ngettext(
            "%(num)d job can no longer be retried: its data has expired. Dismiss it.",
            "%(num)d jobs can no longer be retried: their data has expired. Dismiss them.",
            1,
        )
    assert str(escape(expected)) in page.get_data(as_text=True)
    assert _row(sqlite_app, row.id).resolved is False


@pytest.mark.parametrize(
    "path", ["/curation/jobs", "/curation/jobs/retry", "/curation/jobs/dismiss"]
)
def test_members_are_refused(sqlite_app, monkeypatch, path: str) -> None:
    row = _dead_mail(sqlite_app, monkeypatch)
    client = _login(sqlite_app, "ana@example.org")
    method = client.get if path == "/curation/jobs" else client.post
    assert method(path, data={"only": str(row.id)}).status_code == 403
    assert sqlite_app.test_client().get(path).status_code in (302, 405)
    assert _row(sqlite_app, row.id).resolved is False


def test_buttons_need_the_csrf_token(sqlite_app, monkeypatch) -> None:
    row = _dead_mail(sqlite_app, monkeypatch)
    client = _login(sqlite_app, "cura@example.org", role="curator")
    sqlite_app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/curation/jobs/dismiss", data={"only": str(row.id)})
    finally:
        sqlite_app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert _row(sqlite_app, row.id).resolved is False
