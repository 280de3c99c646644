"""Password reset by a signed, expiring, single-use link sent by mail."""

from __future__ import annotations

import re

import pytest
from itsdangerous import URLSafeTimedSerializer

from directory.extensions import db
from directory.models import User
from directory.services import accounts

from .conftest import PASSWORD
from .helpers import translated

NEW_PASSWORD = "a fresh passphrase 42"


def _request_reset(client, email: str = "ana@example.org"):
    return client.post("/password/forgot", data={"email": email})


def _link_from_outbox(app) -> str:
    outbox = app.extensions.get("outbox", [])
    assert outbox, "no mail was sent"
    body = outbox[-1].get_content()
    match = re.search(r"http://localhost(/password/reset/\S+)", body)
    assert match, body
    return match.group(1)


def test_reset_flow_changes_password_and_link_works_once(app, client, make_user, auth):
    make_user()
    response = _request_reset(client)
    assert response.status_code == 302
    link = _link_from_outbox(app)
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.location.endswith("/login")
    assert auth.login(password=NEW_PASSWORD).status_code == 302
    auth.logout()
    # Second use of the same link: refused and the password stays the new one.
    response = client.post(
        link, data={"password": "yet another passphrase", "confirm": "yet another passphrase"}
    )
    assert response.status_code == 302 and "/password/forgot" in response.location
    assert auth.login(password=NEW_PASSWORD).status_code == 302


def test_unknown_email_gets_the_same_answer_and_no_mail(app, client, make_user):
    make_user()
    known = _request_reset(client, "ana@example.org")
    unknown = _request_reset(client, "nadie@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known.location == unknown.location
    assert len(app.extensions["outbox"]) == 1


@pytest.mark.parametrize("locale", ["es", "en"])
def test_reset_mail_is_in_the_users_language(app, client, make_user, locale):
    make_user()
    client.set_cookie("lang", locale)
    _request_reset(client)
    subject = app.extensions["outbox"][-1]["Subject"]
    with app.test_request_context():
        from flask_babel import force_locale, gettext

        with force_locale(locale):
            assert subject == gettext("Reset your Directorio IA password")


def test_expired_link_is_refused(app, client, make_user, auth, monkeypatch):
    user = make_user()
    with app.app_context():
        token = accounts.make_reset_token(db.session.get(User, user.id), app.config["SECRET_KEY"])
    # Pretend the token was signed two hours ago.
    real_loads = URLSafeTimedSerializer.loads

    def loads_later(self, s, max_age=None, **kwargs):
        return real_loads(self, s, max_age=-1 if max_age else None, **kwargs)

    monkeypatch.setattr(URLSafeTimedSerializer, "loads", loads_later)
    response = client.post(
        f"/password/reset/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    monkeypatch.undo()
    assert response.status_code == 302 and "/password/forgot" in response.location
    assert auth.login(password=PASSWORD).status_code == 302


def test_expiry_uses_configured_age(app, make_user):
    user = make_user()
    with app.app_context():
        row = db.session.get(User, user.id)
        token = accounts.make_reset_token(row, app.config["SECRET_KEY"])
        assert accounts.user_for_reset_token(token, app.config["SECRET_KEY"], 3600) == row
        assert accounts.user_for_reset_token(token, app.config["SECRET_KEY"], -1) is None
        assert accounts.user_for_reset_token(token + "x", app.config["SECRET_KEY"], 3600) is None
        assert accounts.user_for_reset_token(token, "another-secret", 3600) is None


def test_reset_logs_out_every_session(app, make_user):
    make_user()
    browser = app.test_client()
    browser.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    other = app.test_client()
    other.post("/password/forgot", data={"email": "ana@example.org"})
    link = _link_from_outbox(app)
    other.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert browser.get("/account").status_code == 302


def test_weak_new_password_is_refused_and_link_stays_valid(app, client, make_user):
    make_user()
    _request_reset(client)
    link = _link_from_outbox(app)
    response = client.post(link, data={"password": "12345678", "confirm": "12345678"})
    assert response.status_code == 200
    assert translated(app, "This password is too common; choose another.", "es") in (
        response.get_data(as_text=True)
    )
    assert client.get(link).status_code == 200
