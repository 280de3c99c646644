"""Sign-up: one answer for every address, a confirmation that needs link and password."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import AuditEvent, User

from .conftest import PASSWORD
from .helpers import mailed_link, translated

SPANISH_AND_ENGLISH = ["es", "en"]
CONFIRM = "/signup/confirm/"


def _signup(client, email: str, password: str, confirm: str | None = None):
    return client.post(
        "/signup",
        data={"email": email, "password": password, "confirm": confirm or password},
    )


def _user_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(User))


def _user(app, email: str) -> User:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        db.session.expunge(user)
        return user


def test_signup_mails_a_link_and_the_account_waits_for_it(app, client, auth):
    response = _signup(client, "Ana.Lopez@Example.org", PASSWORD)
    assert response.status_code == 200
    assert 'data-test="check-mail"' in response.get_data(as_text=True)
    user = _user(app, "ana.lopez@example.org")  # stored normalised
    assert user.awaiting_confirmation and user.password_hash.startswith("scrypt:")
    # Not usable before the mailbox answers: the log-in says what it says to strangers.
    refused = auth.login("ana.lopez@example.org", PASSWORD)
    assert refused.status_code == 200
    assert translated(app, "Wrong email or password.", "es") in refused.get_data(as_text=True)

    link = mailed_link(app, CONFIRM)
    assert client.get(link).status_code == 200
    wrong = client.post(link, data={"password": "not the one chosen"})
    assert wrong.status_code == 200
    assert _user(app, "ana.lopez@example.org").awaiting_confirmation
    done = client.post(link, data={"password": PASSWORD})
    assert done.status_code == 302 and done.location.endswith("/account")
    assert "ana.lopez@example.org" in client.get("/account").get_data(as_text=True)
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert {"account.signup", "account.confirmed"} <= set(actions)
    # The link works once.
    auth.logout()
    again = client.post(link, data={"password": PASSWORD})
    assert again.status_code == 302 and again.location.endswith("/login")


@pytest.mark.parametrize("locale", SPANISH_AND_ENGLISH)
def test_an_existing_address_gets_the_same_answer_and_its_owner_a_mail(
    app, client, make_user, auth, locale
):
    make_user("ana@example.org", locale="en" if locale == "es" else "es")
    client.set_cookie("lang", locale)
    known = _signup(client, "ANA@example.org", PASSWORD + " other")
    unknown = _signup(client, "bea@example.org", PASSWORD + " other")
    assert known.status_code == unknown.status_code == 200
    page = known.get_data(as_text=True).replace("ana@example.org", "X")
    assert page.count('data-test="check-mail"') == 1

    # The pages differ only by the address typed (and the request id in the footer, and the
    # CSRF token of the language form, which is signed with the time).
    def same_parts(html: str) -> list[str]:
        return [line for line in html.splitlines()
                if "request" not in line.lower() and "csrf_token" not in line]  # fmt: skip

    other = unknown.get_data(as_text=True).replace("bea@example.org", "X")
    assert same_parts(page) == same_parts(other)
    assert _user_count(app) == 2
    owner_mail = app.extensions["outbox"][0]
    assert owner_mail["To"] == "ana@example.org"
    # The owner reads it in the account's language, with a log-in and a reset link.
    owner_locale = "en" if locale == "es" else "es"
    assert owner_mail["Subject"] == translated(
        app, "You already have a Directorio IA account", owner_locale
    )
    assert mailed_link(app, "/login", index=0) and mailed_link(app, "/password/forgot", index=0)
    # Nothing changed in the existing account: its password still works.
    assert auth.login("ana@example.org", PASSWORD).status_code == 302


def test_signing_up_again_replaces_an_unconfirmed_password(app, client, auth):
    """A stranger's sign-up with my address never keeps me out of it."""
    _signup(client, "ana@example.org", "the stranger's pass phrase")
    strangers_link = mailed_link(app, CONFIRM)
    _signup(client, "ana@example.org", PASSWORD)
    my_link = mailed_link(app, CONFIRM)
    assert _user_count(app) == 1
    # The stranger's link died with the password it was made for.
    dead = client.post(strangers_link, data={"password": "the stranger's pass phrase"})
    assert dead.status_code == 302 and dead.location.endswith("/login")
    assert client.post(my_link, data={"password": PASSWORD}).status_code == 302
    auth.logout()
    assert auth.login("ana@example.org", "the stranger's pass phrase").status_code == 200
    assert auth.login("ana@example.org", PASSWORD).status_code == 302


def test_a_password_reset_confirms_the_address(app, client, auth):
    _signup(client, "ana@example.org", "forgotten pass phrase")
    client.post("/password/forgot", data={"email": "ana@example.org"})
    link = mailed_link(app, "/password/reset/")
    new = "a brand new pass phrase"
    assert client.post(link, data={"password": new, "confirm": new}).status_code == 302
    assert auth.login("ana@example.org", new).status_code == 302


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
    assert _user_count(app) == 0 and not app.extensions.get("outbox")


@pytest.mark.parametrize("locale", SPANISH_AND_ENGLISH)
def test_weak_password_refused_alike_for_an_existing_address(app, client, make_user, locale):
    make_user("ana@example.org")
    client.set_cookie("lang", locale)
    response = _signup(client, "ana@example.org", "short1")
    message = translated(app, "Use at least %(n)d characters.", locale, n=8)
    assert message in response.get_data(as_text=True)
    assert not app.extensions.get("outbox")


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


def test_a_bad_confirmation_link_is_refused_with_a_message(app, client):
    response = client.get(CONFIRM + "not-a-token", follow_redirects=True)
    assert translated(
        app,
        "This confirmation link is invalid, expired or already used. Log in, or sign up "
        "again to receive a new one.",
        "es",
    ) in response.get_data(as_text=True)


def test_long_unicode_password_accepted(app, client, auth):
    password = "contraseña-ñandú-🦎-" * 3 + "x" * 7  # 64 characters with non-ASCII
    assert len(password) == 64
    assert _signup(client, "ana@example.org", password).status_code == 200
    assert client.post(mailed_link(app, CONFIRM), data={"password": password}).status_code == 302
    auth.logout()
    assert auth.login("ana@example.org", password).status_code == 302


def test_signed_in_user_is_sent_away_from_signup(client, make_user, auth):
    make_user()
    auth.login()
    assert client.get("/signup").status_code == 302
