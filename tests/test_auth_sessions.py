"""Log-in, log-out, remember-me and session revocation."""

from __future__ import annotations

from sqlalchemy import select

from directory.extensions import db
from directory.models import LoginSession, User
from directory.services import accounts

from .conftest import PASSWORD
from .helpers import translated


def _logged_in(client) -> bool:
    return client.get("/account").status_code == 200


def test_login_and_logout(client, make_user, auth):
    make_user()
    assert not _logged_in(client)
    response = auth.login()
    assert response.status_code == 302
    assert _logged_in(client)
    auth.logout()
    assert not _logged_in(client)


def test_login_ignores_email_case(client, make_user, auth):
    make_user("ana@example.org")
    auth.login("  ANA@Example.ORG ")
    assert _logged_in(client)


def test_wrong_password_and_unknown_email_answer_the_same(app, client, make_user, auth):
    make_user()
    wrong = auth.login("ana@example.org", "not the password")
    unknown = auth.login("nadie@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 200
    message = translated(app, "Wrong email or password.", "es")
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    assert not _logged_in(client)


def test_inactive_account_cannot_log_in_and_live_session_stops(app, client, make_user, auth):
    user = make_user()
    auth.login()
    assert _logged_in(client)
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    assert not _logged_in(client)
    assert auth.login().status_code == 200
    assert not _logged_in(client)


def _session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def test_saved_session_cookie_replayed_after_logout_is_anonymous(app, make_user):
    make_user()
    first = app.test_client()
    first.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    saved = _session_cookie(first)
    first.post("/logout")
    replay = app.test_client()
    replay.set_cookie("session", saved)
    assert replay.get("/account").status_code == 302


def test_remember_me_survives_a_closed_browser_but_not_logout(app, make_user):
    make_user()
    browser = app.test_client()
    browser.post("/login", data={"email": "ana@example.org", "password": PASSWORD, "remember": "y"})
    remember = browser.get_cookie("remember_token")
    assert remember is not None
    assert remember.http_only
    # A browser restart: the session cookie is gone, the remember cookie logs back in.
    reopened = app.test_client()
    reopened.set_cookie("remember_token", remember.value)
    assert reopened.get("/account").status_code == 200
    reopened.post("/logout")
    replay = app.test_client()
    replay.set_cookie("remember_token", remember.value)
    assert replay.get("/account").status_code == 302


def test_without_remember_me_no_remember_cookie(client, make_user, auth):
    make_user()
    auth.login()
    assert client.get_cookie("remember_token") is None


def test_password_change_logs_out_other_browsers(app, make_user):
    make_user()
    laptop, phone = app.test_client(), app.test_client()
    for browser in (laptop, phone):
        browser.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
        assert _logged_in(browser)
    new_password = "a brand new passphrase"
    response = laptop.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": new_password, "confirm": new_password},
    )
    assert response.status_code == 302
    assert _logged_in(laptop)
    assert not _logged_in(phone)
    assert (
        phone.post("/login", data={"email": "ana@example.org", "password": PASSWORD}).status_code
        == 200
    )
    assert not _logged_in(phone)
    phone.post("/login", data={"email": "ana@example.org", "password": new_password})
    assert _logged_in(phone)


def test_password_change_needs_the_current_password(app, client, make_user, auth):
    make_user()
    auth.login()
    response = client.post(
        "/account/password",
        data={
            "current_password": "wrong one!",
            "password": "another good one",
            "confirm": "another good one",
        },
    )
    assert response.status_code == 200
    assert translated(app, "Your current password is not correct.", "es") in response.get_data(
        as_text=True
    )
    auth.logout()
    assert auth.login().status_code == 302


def test_session_cookie_changes_at_login_and_drops_pre_login_keys(app, client, make_user):
    make_user()
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    before = _session_cookie(client)
    client.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    assert _session_cookie(client) != before
    with client.session_transaction() as session:
        assert "planted" not in session


def test_logout_removes_only_this_browsers_session(app, make_user):
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    for browser in (laptop, phone):
        browser.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    laptop.post("/logout")
    assert not _logged_in(laptop)
    assert _logged_in(phone)
    with app.app_context():
        rows = db.session.scalars(select(LoginSession).where(LoginSession.user_id == user.id))
        assert len(rows.all()) == 1


def test_logout_needs_post(client, make_user, auth):
    make_user()
    auth.login()
    assert client.get("/logout").status_code == 405
    assert _logged_in(client)


def test_old_hash_parameters_are_rehashed_on_login(
    app, client, make_user, auth, production_hashing
):
    from werkzeug.security import generate_password_hash

    user = make_user()
    with app.app_context():
        row = db.session.get(User, user.id)
        row.password_hash = generate_password_hash(PASSWORD, method="scrypt:16384:8:1")
        db.session.commit()
    auth.login()
    with app.app_context():
        assert db.session.get(User, user.id).password_hash.startswith("scrypt:32768:8:1$")


def test_malformed_session_ids_load_nobody(app_ctx):
    for value in ("", "abc", "1", "1:", ":token", "1:unknown-token"):
        assert accounts.load_session(value) is None


def test_cookie_flags(client, make_user, auth):
    make_user()
    response = auth.login(remember=True)
    headers = response.headers.getlist("Set-Cookie")
    session_header = next(h for h in headers if h.startswith("session="))
    remember_header = next(h for h in headers if h.startswith("remember_token="))
    for header in (session_header, remember_header):
        assert "HttpOnly" in header
        assert "SameSite=Lax" in header
