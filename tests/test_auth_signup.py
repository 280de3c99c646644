"""Sign-up: validation errors in the chosen language, and a working account afterwards."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import AuditEvent, User

from .conftest import PASSWORD
from .helpers import translated

SPANISH_AND_ENGLISH = ["es", "en"]


def _signup(client, email: str, password: str, confirm: str | None = None):
    return client.post(
        "/signup",
        data={"email": email, "password": password, "confirm": confirm or password},
    )


def _user_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def test_signup_creates_account_and_logs_in(app, client):
    response = _signup(client, "Ana.Lopez@Example.org", PASSWORD)
    assert response.status_code == 302
    page = client.get("/account").get_data(as_text=True)
    # Addresses are stored normalised, so log-in ignores case later.
    assert "ana.lopez@example.org" in page
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.role == "member"
        assert user.password_hash.startswith("scrypt:")
        assert PASSWORD not in user.password_hash
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert "account.signup" in actions


@pytest.mark.parametrize("locale", SPANISH_AND_ENGLISH)
def test_duplicate_email_refused_in_chosen_language(app, client, make_user, locale):
    make_user("ana@example.org")
    client.set_cookie("lang", locale)
    response = _signup(client, "ANA@example.org", PASSWORD)
    assert response.status_code == 200
    message = translated(app, "An account with this email already exists.", locale)
    assert message in response.get_data(as_text=True)
    if locale == "es":
        assert "An account with this email already exists." not in response.get_data(as_text=True)
    assert _user_count(app) == 1


@pytest.mark.parametrize("locale", SPANISH_AND_ENGLISH)
@pytest.mark.parametrize(
    ("password", "msgid", "params"),
    [
        ("short1", "Use at least %(n)d characters.", {"n": 8}),
        ("password123", "This password is too common; choose another.", {}),
        ("qwertyuiop", "This password is too common; choose another.", {}),
        ("x" * 129, "Use at most %(n)d characters.", {"n": 128}),
    ],
)
def test_weak_password_refused(app, client, locale, password, msgid, params):
    client.set_cookie("lang", locale)
    response = _signup(client, "ana@example.org", password)
    assert response.status_code == 200
    assert translated(app, msgid, locale, **params) in response.get_data(as_text=True)
    assert _user_count(app) == 0


@pytest.mark.parametrize("locale", SPANISH_AND_ENGLISH)
@pytest.mark.parametrize("email", ["not-an-email", "ana@", "@example.org", "ana@@example.org"])
def test_bad_email_refused(app, client, locale, email):
    client.set_cookie("lang", locale)
    response = _signup(client, email, PASSWORD)
    assert response.status_code == 200
    assert translated(app, "Enter a valid email address.", locale) in response.get_data(
        as_text=True
    )
    assert _user_count(app) == 0


def test_mismatched_confirmation_refused(app, client):
    response = _signup(client, "ana@example.org", PASSWORD, confirm=PASSWORD + "x")
    assert translated(app, "The passwords do not match.", "es") in response.get_data(as_text=True)
    assert _user_count(app) == 0


def test_long_unicode_password_accepted(app, client, auth):
    password = "contraseña-ñandú-🦎-" * 3 + "x" * 7  # 64 characters with non-ASCII
    assert len(password) == 64
    assert _signup(client, "ana@example.org", password).status_code == 302
    auth.logout()
    assert auth.login("ana@example.org", password).status_code == 302


def test_signed_in_user_is_sent_away_from_signup(client, make_user, auth):
    make_user()
    auth.login()
    assert client.get("/signup").status_code == 302
