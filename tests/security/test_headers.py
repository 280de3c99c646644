"""SECURITY.md rows 9, 20, 21 and 22: security headers, cookie flags, no-store on private
pages, a CSP that needs no inline script (every template is read to keep it so) and a
413 page for oversized requests.

Row 22 partly: the app takes no uploads yet, so the guard that applies is
MAX_CONTENT_LENGTH (2 MB by default).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

import directory
from directory.extensions import db
from directory.models import Role, User
from directory.services import alerts

from ..conftest import PASSWORD, AuthActions
from .conftest import production_config

TEMPLATES = Path(directory.__file__).parent / "templates"


def _csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )


def test_pages_carry_a_strict_csp_and_the_usual_headers(client: FlaskClient) -> None:
    response = client.get("/")
    csp = _csp(response)
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'none'"
    assert csp["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    # Development serves plain HTTP: no HSTS there.
    assert "Strict-Transport-Security" not in response.headers


def test_error_pages_and_json_carry_the_headers_too(client: FlaskClient) -> None:
    for url in ("/no-such-page", "/api/v1/search"):
        response = client.get(url)
        assert response.status_code in (400, 404)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"


# Inline code the CSP would block (and that would tempt someone to loosen it).
INLINE = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "event handler": re.compile(r"<[^>]*\son[a-z]+\s*=", re.I),
    "style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.I),
    "<style> block": re.compile(r"<style[\s>]", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def test_no_template_needs_unsafe_inline() -> None:
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) > 10
    found = [
        f"{path.relative_to(TEMPLATES)}: {what}"
        for path in templates
        for what, pattern in INLINE.items()
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_template_check_catches_what_it_should() -> None:
    samples = [
        "<script>alert(1)</script>",
        '<button onclick="go()">',
        '<div style="color:red">',
        "<style>p{}</style>",
        '<a href="javascript:void(0)">',
    ]
    for sample, pattern in zip(samples, INLINE.values(), strict=True):
        assert pattern.search(sample), sample
    assert not INLINE["inline <script>"].search('<script src="/static/js/x.js" defer></script>')


PRIVATE_PAGES = [
    "/account",
    "/account/password",
    "/me/profile",
    "/me/contacts",
    "/me/alerts",
    "/me/notifications",
    "/me/notifications/settings",
    "/manage/organizations",
]


@pytest.mark.parametrize("url", PRIVATE_PAGES)
def test_private_pages_are_never_cached(
    client: FlaskClient, auth: AuthActions, make_user, url: str
) -> None:
    make_user()
    auth.login()
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["Cache-Control"] == "no-store"


def test_private_feeds_are_never_cached(app: Flask, client: FlaskClient, make_user) -> None:
    """A saved search's feed is read by a feed reader without a session: still private."""
    make_user()
    with app.app_context():
        user = db.session.scalar(db.select(User))
        saved = alerts.save_search(user, kind="directory", name="x", frequency="never", args={})
        token = alerts.issue_feed_token(saved)
        db.session.commit()
    response = client.get(f"/alerts/feed/{token}.atom")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


def test_curation_and_api_answers_for_logged_in_people_are_not_cached(
    client: FlaskClient, auth: AuthActions, make_user
) -> None:
    make_user(role=Role.CURATOR)
    auth.login()
    for url in ("/curation/", "/api/v1/search", "/api/v1/matches/profile/1"):
        response = client.get(url)
        assert response.status_code < 500, url
        assert response.headers["Cache-Control"] == "no-store", url


def test_any_page_seen_logged_in_is_not_cached(
    client: FlaskClient, auth: AuthActions, make_user
) -> None:
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    make_user()
    auth.login()
    assert client.get("/").headers["Cache-Control"] == "no-store"
    assert client.get("/login").headers["Cache-Control"] == "no-store"


def test_static_files_stay_cacheable(client: FlaskClient, auth: AuthActions, make_user) -> None:
    make_user()
    auth.login()
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()


def test_development_cookies_are_httponly_and_lax(
    client: FlaskClient, auth: AuthActions, make_user
) -> None:
    make_user()
    response = auth.login(remember=True)
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies
    for cookie in cookies:
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie


def test_production_adds_hsts_and_secure_cookies(make_app, make_user) -> None:
    make_user()
    app = make_app(**production_config())
    client = app.test_client()
    home = client.get("/", base_url="https://directorio.example.mx")
    assert home.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    response = client.post(
        "/login",
        data={"email": "ana@example.org", "password": PASSWORD, "remember": "y"},
        base_url="https://directorio.example.mx",
    )
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    names = {c.split("=", 1)[0] for c in cookies}
    assert {"session", "remember_token"} <= names
    for cookie in cookies:
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # The remember-me cookie is bounded (SECURITY.md row 9): 30 days.
    remember = next(c for c in cookies if c.startswith("remember_token="))
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", remember).group(1))
    assert expires - datetime.now(UTC) <= timedelta(days=31)


def test_oversized_requests_get_a_friendly_413(client: FlaskClient, app: Flask) -> None:
    assert app.config["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024
    body = {"email": "a@example.org", "password": "x" * (3 * 1024 * 1024)}
    response = client.post("/login", data=body)
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert 'data-test="error-code">413<' in html
    assert "Traceback" not in html
