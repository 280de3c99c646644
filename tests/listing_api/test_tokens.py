"""Personal API tokens (SECURITY.md row 41): made at /me/api-tokens, shown once, stored as a
hash, read-only, revocable, last use recorded; a wrong or revoked one gets the API's JSON
401; a token never logs anyone in nor reaches curation; each token has its own limit."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from directory.extensions import db
from directory.models import AuditEvent, User, utcnow
from directory.models.api_tokens import ApiToken
from directory.services import api_tokens
from directory.services.account_deletion import delete_account

from .. import factories as f
from ..conftest import PASSWORD, csrf_token_from
from ..helpers import translated
from .conftest import MARKER, World

SECRET = re.compile(r"dia_[A-Za-z0-9_-]{43}")
WRONG_MSGID = "The API token is not valid: it is wrong, revoked, or its account is closed."


def _login(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def _make(app: Flask, email: str, name: str = "Script") -> tuple[int, str]:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email)) or f.user(email)
        token, secret = api_tokens.create_token(user, name)
        db.session.commit()
        return token.id, secret


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def limits(app: Flask) -> Iterator[Callable[..., None]]:
    """Lower the API's limits for one test."""
    saved: dict[str, object] = {}

    def _set(**settings: str) -> None:
        for key, value in settings.items():
            saved.setdefault(key, app.config[key])
            app.config[key] = value

    yield _set
    app.config.update(saved)


# --- making, seeing once, storing a hash -------------------------------------------------


@pytest.mark.parametrize("locale", ["es", "en"])
def test_a_member_makes_a_token_and_sees_it_only_once(app: Flask, locale: str) -> None:
    with app.app_context():
        f.user("ana@example.org", locale=locale)
    client = _login(app, "ana@example.org")
    page = client.get("/me/profile").get_data(as_text=True)
    assert 'data-test="me-nav-api-tokens"' in page and "/me/api-tokens" in page
    assert 'data-test="no-tokens"' in client.get("/me/api-tokens").get_data(as_text=True)

    response = client.post("/me/api-tokens", data={"name": "Informe mensual"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    [secret] = set(SECRET.findall(html))
    assert translated(app, "Copy this token now: we keep only a fingerprint of it and cannot "
                      "show it again.", locale) in html  # fmt: skip
    with app.app_context():
        token = db.session.scalar(select(ApiToken))
        assert token.token_hash == api_tokens.token_hash(secret) and token.scope == "read"
        assert token.hint == secret[4:8] and token.name == "Informe mensual"
        stored = " ".join(str(getattr(token, c.key)) for c in ApiToken.__table__.columns)
        events = db.session.scalars(select(AuditEvent)).all()
        assert [e.action for e in events if e.action.startswith("api_token")] == [
            "api_token.created"
        ]
    assert secret not in stored and all(secret not in str(e.details) for e in events)
    later = client.get("/me/api-tokens").get_data(as_text=True)
    assert secret not in later and "Informe mensual" in later and f"dia_{secret[4:8]}" in later
    assert 'data-test="never-used"' in later
    assert client.get("/api/v1/people", headers=_bearer(secret)).status_code == 200


@pytest.mark.parametrize(
    ("name", "msgid"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("\x00\x01", "Give the token a name, such as the script that will use it."),
        ("x" * 81, "Use at most %(max)d characters."),
    ],
)
def test_a_bad_name_is_refused_with_a_message_and_makes_nothing(
    app: Flask, name: str, msgid: str
) -> None:
    with app.app_context():
        f.user("ana@example.org", locale="en")
    client = _login(app, "ana@example.org")
    response = client.post("/me/api-tokens", data={"name": name})
    assert response.status_code == 400
    assert translated(app, msgid, "en", max=80) in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ApiToken)) is None


def test_a_name_with_markup_is_shown_as_text(app: Flask) -> None:
    with app.app_context():
        f.user("ana@example.org")
    client = _login(app, "ana@example.org")
    client.post("/me/api-tokens", data={"name": "<script>alert(1)</script>"})
    html = client.get("/me/api-tokens").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_at_most_ten_live_tokens(app: Flask) -> None:
    with app.app_context():
        f.user("ana@example.org", locale="en")
    client = _login(app, "ana@example.org")
    for n in range(api_tokens.MAX_ACTIVE):
        assert client.post("/me/api-tokens", data={"name": f"t{n}"}).status_code == 200
    response = client.post("/me/api-tokens", data={"name": "one too many"})
    assert response.status_code == 400
    assert "You already have 10 tokens" in response.get_data(as_text=True)
    with app.app_context():
        first = db.session.scalar(select(ApiToken).order_by(ApiToken.id))
    client.post(f"/me/api-tokens/{first.id}/revoke")
    assert client.post("/me/api-tokens", data={"name": "now it fits"}).status_code == 200


def test_making_a_token_needs_the_csrf_token(app: Flask, csrf_on) -> None:
    with app.app_context():
        f.user("ana@example.org")
    client = app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"email": "ana@example.org", "password": PASSWORD,
                                "csrf_token": csrf_token_from(login_page)})  # fmt: skip
    assert client.post("/me/api-tokens", data={"name": "Sin CSRF"}).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(ApiToken)) is None
    token = csrf_token_from(client.get("/me/api-tokens").get_data(as_text=True))
    response = client.post("/me/api-tokens", data={"name": "Con CSRF", "csrf_token": token})
    assert response.status_code == 200 and SECRET.search(response.get_data(as_text=True))


# --- using, refusing, revoking ------------------------------------------------------------


def test_each_use_records_the_last_use_at_most_once_a_minute(
    app: Flask, client: FlaskClient
) -> None:
    token_id, secret = _make(app, "ana@example.org")
    assert client.get("/api/v1/organizations", headers=_bearer(secret)).status_code == 200
    with app.app_context():
        first = db.session.get(ApiToken, token_id).last_used_at
    assert first is not None and utcnow() - first < timedelta(seconds=5)
    client.get("/api/v1/stories", headers=_bearer(secret))
    with app.app_context():
        token = db.session.get(ApiToken, token_id)
        assert token.last_used_at == first  # within the minute: no write
        token.last_used_at = first - timedelta(minutes=5)
        db.session.commit()
    client.get("/api/v1/stories", headers=_bearer(secret))
    with app.app_context():
        assert db.session.get(ApiToken, token_id).last_used_at > first
    page = _login(app, "ana@example.org").get("/me/api-tokens").get_data(as_text=True)
    assert 'data-test="last-used"' in page


@pytest.mark.parametrize("locale", ["es", "en"])
@pytest.mark.parametrize(
    "header",
    [
        "Bearer dia_" + "A" * 43,  # the right shape, no such token
        "Bearer not-a-token",
        "Bearer ",
        "Basic YW5hOnNlY3JldG8=",
        "dia_" + "A" * 43,  # no scheme
        "Bearer dia_" + "A" * 43 + "\x00",
    ],
)
def test_a_wrong_token_gets_the_apis_json_401(
    app: Flask, client: FlaskClient, locale: str, header: str
) -> None:
    response = client.get(f"/api/v1/organizations?lang={locale}",
                          headers={"Authorization": header})  # fmt: skip
    assert response.status_code == 401 and response.is_json
    assert response.get_json() == {
        "error": {"status": 401, "message": translated(app, WRONG_MSGID, locale)}
    }
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_stops_at_once(app: Flask, client: FlaskClient) -> None:
    token_id, secret = _make(app, "ana@example.org", "Para revocar")
    assert client.get("/api/v1/people", headers=_bearer(secret)).status_code == 200
    owner = _login(app, "ana@example.org")
    owner.set_cookie("lang", "en")
    response = owner.post(f"/me/api-tokens/{token_id}/revoke", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "The token “Para revocar” was revoked. It no longer works." in html
    assert 'data-state="revoked"' in html and 'data-test="revoke-token"' not in html
    assert client.get("/api/v1/people", headers=_bearer(secret)).status_code == 401
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is not None
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "api_token.revoked" in actions


def test_a_deactivated_or_deleted_account_takes_its_tokens_with_it(
    app: Flask, client: FlaskClient
) -> None:
    token_id, secret = _make(app, "ana@example.org")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ana@example.org"))
        user.active = False
        db.session.commit()
    assert client.get("/api/v1/people", headers=_bearer(secret)).status_code == 401
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ana@example.org"))
        delete_account(user, actor=None)
        db.session.commit()
        assert db.session.get(ApiToken, token_id) is None


def test_someone_elses_token_is_not_found_and_stays_live(app: Flask, client: FlaskClient) -> None:
    token_id, secret = _make(app, "ana@example.org")
    with app.app_context():
        f.user("bea@example.org")
    other = _login(app, "bea@example.org")
    assert other.post(f"/me/api-tokens/{token_id}/revoke").status_code == 404
    assert "Script" not in other.get("/me/api-tokens").get_data(as_text=True)
    assert client.get("/api/v1/people", headers=_bearer(secret)).status_code == 200
    assert app.test_client().post(f"/me/api-tokens/{token_id}/revoke").status_code == 302


def test_a_curators_token_logs_no_one_in_and_widens_nothing(
    app: Flask, client: FlaskClient, world: World
) -> None:
    with app.app_context():
        f.user("curator@example.org", role="curator")
    _token_id, secret = _make(app, "curator@example.org")
    headers = _bearer(secret)
    for url in ("/curation/", "/account", "/me/api-tokens"):
        response = client.get(url, headers=headers)
        assert response.status_code == 302 and "/login" in response.location, url
    assert client.get(f"/api/v1/matches/profile/{world.hidden['people'][1]}",
                      headers=headers).status_code == 401  # fmt: skip
    body = client.get("/api/v1/people?limit=100", headers=headers).get_data(as_text=True)
    assert MARKER not in body
    assert client.post("/me/api-tokens", data={"name": "x"}, headers=headers).status_code == 302


# --- rate limits per token ----------------------------------------------------------------


def test_each_token_has_its_own_limit_and_a_larger_one_than_anonymous(
    app: Flask, client: FlaskClient, limits
) -> None:
    limits(RATELIMIT_API_TOKEN="3 per minute", RATELIMIT_API="2 per minute")
    _a, first = _make(app, "ana@example.org", "A")
    _b, second = _make(app, "bea@example.org", "B")
    for _ in range(3):
        assert client.get("/api/v1/stories", headers=_bearer(first)).status_code == 200
    tripped = client.get("/api/v1/stories?lang=en", headers=_bearer(first))
    assert tripped.status_code == 429 and int(tripped.headers["Retry-After"]) > 0
    assert tripped.get_json()["error"]["message"].startswith("Too many requests")
    # Another token, and anonymous readers, have budgets of their own.
    assert client.get("/api/v1/stories", headers=_bearer(second)).status_code == 200
    assert client.get("/api/v1/stories").status_code == 200
    assert client.get("/api/v1/stories").status_code == 200
    assert client.get("/api/v1/stories").status_code == 429
    # Wrong tokens are refused under the anonymous budget: guessing is slowed too.
    bad = client.get("/api/v1/stories", headers={"Authorization": "Bearer dia_" + "B" * 43})
    assert bad.status_code == 429
    assert client.get("/api/v1/stories", headers=_bearer(second)).status_code == 200
