"""SECURITY.md row 27: logins, denials, curator decisions, exports and deletions leave
audit events (UTC time, actor, target), and no secret reaches a log line or an event.

Other modules prove single events (tests/test_auth_signup.py for sign-up,
test_data_export.py for the download, test_account_deletion.py for deletion); this one
walks the whole list in one place and adds the denial events (directory/denials.py) and
the secrets check over every log record written during the flows.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from directory.extensions import db
from directory.models import AuditEvent, Organization, User, utcnow

from .. import factories as f
from ..conftest import PASSWORD

SECRET_PASSWORD = "una frase secreta y larga 4417"


class _FakeSMTP:
    def __init__(self, sent: list[object]) -> None:
        self.sent = sent

    def __enter__(self) -> _FakeSMTP:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def starttls(self) -> None:
        return None

    def login(self, *args: object) -> None:
        return None

    def send_message(self, message: object) -> None:
        self.sent.append(message)


def _events(app: Flask, action: str) -> list[AuditEvent]:
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


def _assert_fresh_utc(event: AuditEvent) -> None:
    assert event.created_at.utcoffset() == timedelta(0)
    assert abs(utcnow() - event.created_at) < timedelta(minutes=5)


def test_logins_failures_and_logouts_are_audited(app, client, make_user, auth):
    user = make_user()
    auth.login(password="not the password")
    auth.login()
    auth.logout()
    for action in ("account.login_failed", "account.login", "account.logout"):
        (event,) = _events(app, action)
        assert (event.actor_id, event.target_kind, event.target_id) == (user.id, "user", user.id)
        _assert_fresh_utc(event)
    # A failure on an unknown address is audited too, with no actor to name.
    auth.login("nadie@example.org", "whatever it is")
    unknown = _events(app, "account.login_failed")[-1]
    assert unknown.actor_id is None and unknown.target_id is None


@pytest.mark.parametrize(
    "path", ["/curation/", "/curation/audit", "/manage/organizations/{org}/edit"]
)
def test_a_refusal_is_audited_with_who_and_what(app, client, make_user, auth, path):
    member = make_user()
    with app.app_context():
        org = f.org(f.user("owner@example.org"))
        url = path.format(org=org.id)
    auth.login()
    assert client.get(url + "?q=private-query").status_code == 403
    (event,) = _events(app, "access.denied")
    assert event.actor_id == member.id
    assert event.details["path"] == url
    assert "private-query" not in str(event.details)  # the query string is never kept
    _assert_fresh_utc(event)


def test_a_refused_post_changes_nothing_and_is_audited(app, client, make_user, auth):
    make_user()
    with app.app_context():
        org = f.org(f.user("owner@example.org"), name="Original")
        org_id = org.id
    auth.login()
    response = client.post(f"/manage/organizations/{org_id}/edit", data={"name": "Tomada"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Organization, org_id).name == "Original"
    assert [e.details["method"] for e in _events(app, "access.denied")] == ["POST"]


def test_allowed_pages_write_no_denial(app, client, make_user, auth):
    make_user()
    auth.login()
    for url in ("/", "/account", "/me/profile", "/directory"):
        assert client.get(url).status_code == 200
    assert _events(app, "access.denied") == []


def test_curator_decisions_name_the_curator_and_the_record(app, client, make_user, auth):
    curator = make_user("cura@example.org", role="curator")
    with app.app_context():
        org = f.org(f.user("owner@example.org"), status="pending")
        org_id = org.id
    auth.login("cura@example.org")
    response = client.post(f"/curation/queue/organization/{org_id}/publish")
    assert response.status_code == 302
    (event,) = _events(app, "organization.published")
    assert (event.actor_id, event.target_kind, event.target_id) == (
        curator.id,
        "organization",
        org_id,
    )
    _assert_fresh_utc(event)


def test_exports_and_deletions_are_audited(app, client, make_user, auth, runner, tmp_path):
    user = make_user()
    auth.login()
    assert client.get("/me/privacy/my-data.json").status_code == 200
    (download,) = _events(app, "privacy.data_downloaded")
    assert (download.actor_id, download.target_id) == (user.id, user.id)
    result = runner.invoke(args=["export", "--output", str(tmp_path / "export.jsonl")])
    assert result.exit_code == 0, result.output
    (export,) = _events(app, "data.exported")
    _assert_fresh_utc(export)
    response = client.post("/me/privacy/delete", data={"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    (deleted,) = _events(app, "account.deleted")
    assert (deleted.target_kind, deleted.target_id) == ("user", user.id)
    _assert_fresh_utc(deleted)


def test_no_secret_reaches_a_log_line_or_an_audit_event(app, client, caplog, monkeypatch):
    """Passwords, reset tokens and session tokens stay out of logs and audit details.

    Mail goes to a fake SMTP server, as in production (which refuses to start without
    MAIL_SERVER): the development fallback prints mails to the log on purpose.
    """
    sent: list[object] = []
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    monkeypatch.setattr("smtplib.SMTP", lambda *a, **k: _FakeSMTP(sent))
    caplog.set_level(logging.DEBUG)
    client.post(
        "/signup",
        data={"email": "ana@example.org", "password": SECRET_PASSWORD, "confirm": SECRET_PASSWORD},
    )
    confirm_body = app.extensions["outbox"][-1].get_body(("plain",)).get_content()
    confirm_token = confirm_body.split("/signup/confirm/")[1].split()[0].strip()
    client.post(f"/signup/confirm/{confirm_token}", data={"password": SECRET_PASSWORD})
    client.post("/logout")
    client.post("/login", data={"email": "ana@example.org", "password": "wrong " + SECRET_PASSWORD})
    client.post("/login", data={"email": "ana@example.org", "password": SECRET_PASSWORD})
    session_cookie = client.get_cookie("session").value
    client.post("/logout")
    client.post("/password/forgot", data={"email": "ana@example.org"})
    mail = app.extensions["outbox"][-1]
    body = mail.get_body(("plain",)).get_content()
    token = body.split("/password/reset/")[1].split()[0].strip()
    new = "otra frase secreta 5521"
    client.post(f"/password/reset/{token}", data={"password": new, "confirm": new})
    with app.app_context():
        user = db.session.scalar(select(User))
        secrets = [SECRET_PASSWORD, new, token, confirm_token, session_cookie, user.password_hash]
        details = [str(e.details) for e in db.session.scalars(select(AuditEvent))]
    logged = [r.getMessage() + str(vars(r)) for r in caplog.records]
    assert len(details) >= 5 and sent
    for secret in secrets:
        assert not [d for d in details if secret in d], secret
        assert not [line for line in logged if secret in line], secret
