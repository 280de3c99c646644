"""SECURITY.md rows 1, 4 and 9: what the older auth tests leave implicit.

Row 1: the hash is salted scrypt with today's parameters (rehashing on login:
tests/test_auth_sessions.py). Row 4: a wrong password and an unknown address give the
same page and pay the same KDF run. Row 9: the remember-me cookie and the server-side
session it opens both expire within the configured bound.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from directory.extensions import db
from directory.models import LoginSession, User
from directory.services import passwords

from ..conftest import PASSWORD


def test_the_same_password_gets_two_different_salted_scrypt_hashes(
    app, make_user, production_hashing
):
    first, second = make_user("ana@example.org"), make_user("bea@example.org")
    with app.app_context():
        hashes = [db.session.get(User, u.id).password_hash for u in (first, second)]
    assert hashes[0] != hashes[1]
    for stored in hashes:
        method, salt, digest = stored.split("$")
        assert method == "scrypt:32768:8:1"  # N=2^15, r=8, p=1: OWASP's scrypt floor
        assert len(salt) >= 16 and len(digest) >= 64
        assert PASSWORD not in stored


def test_unknown_address_and_wrong_password_give_the_same_page(client, make_user):
    make_user()
    pages = []
    for email in ("ana@example.org", "nadie@example.org"):
        response = client.post("/login", data={"email": email, "password": "no es la clave"})
        assert response.status_code == 200
        page = response.get_data(as_text=True).replace(email, "EMAIL")
        # CSRF tokens carry a timestamp: they differ between any two pages.
        pages.append(re.sub(r'(name="csrf_token"[^>]*value=")[^"]+', r"\1TOKEN", page))
    assert pages[0] == pages[1]


def test_an_unknown_address_still_pays_one_kdf_run(app, make_user, monkeypatch, production_hashing):
    make_user()
    checked: list[str] = []
    real = passwords.check_password_hash

    def counting(stored: str, password: str) -> bool:
        checked.append(stored)
        return real(stored, password)

    monkeypatch.setattr(passwords, "check_password_hash", counting)
    client = app.test_client()
    client.post("/login", data={"email": "nadie@example.org", "password": "no es la clave"})
    client.post("/login", data={"email": "ana@example.org", "password": "no es la clave"})
    assert len(checked) == 2
    assert all(h.startswith(passwords.HASH_METHOD + "$") for h in checked)


def test_password_reset_answers_alike_for_known_and_unknown_addresses(app, make_user):
    make_user()
    answers = []
    for email in ("ana@example.org", "nadie@example.org"):
        client = app.test_client()
        response = client.post("/password/forgot", data={"email": email})
        with client.session_transaction() as session:
            flashes = session.get("_flashes")
        answers.append((response.status_code, response.location, flashes))
    assert answers[0][2] and answers[0] == answers[1]


def test_remember_me_lifetime_is_bounded(app, client, make_user, auth):
    user = make_user()
    bound = app.config["REMEMBER_COOKIE_DURATION"]
    assert timedelta(0) < bound <= timedelta(days=30)
    response = auth.login(remember=True)
    header = next(
        h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token=")
    )
    expires = next(p for p in header.split("; ") if p.startswith("Expires="))
    when = datetime.strptime(expires[8:], "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=UTC)
    assert when <= datetime.now(UTC) + bound + timedelta(minutes=1)
    with app.app_context():
        login = db.session.scalar(select(LoginSession).where(LoginSession.user_id == user.id))
        assert login.expires_at <= datetime.now(UTC) + bound + timedelta(minutes=1)


def test_a_session_past_its_server_side_expiry_is_anonymous(app, client, make_user, auth):
    user = make_user()
    auth.login(remember=True)
    assert client.get("/account").status_code == 200
    with app.app_context():
        login = db.session.scalar(select(LoginSession).where(LoginSession.user_id == user.id))
        login.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
    assert client.get("/account").status_code == 302
