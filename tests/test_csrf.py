"""Every state-changing route refuses a request without a CSRF token (SECURITY.md row 11)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import User

from .conftest import PASSWORD, csrf_token_from


def _fill(rule: str) -> str:
    """Turn /password/reset/<token> into a concrete URL."""
    return re.sub(r"<(?:[^:>]+:)?[^>]+>", "1", rule)


def _state_changing_routes(app) -> list[tuple[str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"GET", "HEAD", "OPTIONS"}):
            routes.append((method, _fill(rule.rule)))
    return routes


def test_there_are_routes_to_check(app):
    routes = _state_changing_routes(app)
    assert ("POST", "/login") in routes
    assert ("POST", "/signup") in routes
    assert ("POST", "/language") in routes


def test_every_non_get_route_refuses_without_token(app, csrf_on, make_user):
    make_user()
    client = app.test_client()
    for method, url in _state_changing_routes(app):
        response = client.open(url, method=method, data={"email": "x@example.org"})
        assert response.status_code == 400, (method, url, response.status_code)


def test_signup_without_token_creates_nothing(app, csrf_on):
    client = app.test_client()
    response = client.post(
        "/signup", data={"email": "ana@example.org", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


@pytest.mark.parametrize("path", ["/login", "/signup"])
def test_forms_work_with_the_token(app, csrf_on, make_user, path):
    make_user()
    client = app.test_client()
    token = csrf_token_from(client.get(path).get_data(as_text=True))
    if path == "/login":
        data = {"email": "ana@example.org", "password": PASSWORD, "csrf_token": token}
    else:
        data = {
            "email": "bea@example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "csrf_token": token,
        }
    response = client.post(path, data=data)
    # Log-in redirects; sign-up answers "check your mail" and has sent the mail.
    assert response.status_code == (302 if path == "/login" else 200)
    assert path == "/login" or 'data-test="check-mail"' in response.get_data(as_text=True)


def test_csrf_failure_page_is_friendly_and_translated(app, csrf_on):
    client = app.test_client()
    client.set_cookie("lang", "en")
    response = client.post("/login", data={"email": "a@example.org", "password": "x"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The form expired or was sent from elsewhere" in page
    assert "Traceback" not in page
