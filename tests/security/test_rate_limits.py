"""SECURITY.md rows 3, 23 and 24: rate limits on log-in, sign-up, reset, contact, search
and matching; 429 with Retry-After, a page in the user's language or JSON for the API;
per-account log-in throttling that rotating client addresses cannot bypass, that lifts by
itself and that a password reset clears; a forged X-Forwarded-For buys nothing.

Limits are lowered through config here, as a deployment would change them.
"""

from __future__ import annotations

import time

import pytest
from flask import Flask
from flask.testing import FlaskClient

from directory import ratelimits
from directory.extensions import db
from directory.services import accounts

from .. import factories as f
from ..conftest import PASSWORD, AuthActions
from ..helpers import translated


def _error_code(response) -> str:
    html = response.get_data(as_text=True)
    assert 'data-test="error-page"' in html
    return html.split('data-test="error-code">', 1)[1].split("<", 1)[0]


def test_every_table_entry_names_a_real_endpoint(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(ratelimits.ENDPOINT_LIMITS) <= endpoints
    for setting in {r.setting for rules in ratelimits.ENDPOINT_LIMITS.values() for r in rules}:
        assert app.config[setting], setting


def test_health_probes_are_never_limited(make_app) -> None:
    """A load balancer probes every few seconds from one address: no limit may refuse it,
    not even a default or application-wide one a deployment adds (directory/health.py)."""
    limited = make_app(RATELIMIT_DEFAULT="1 per minute", RATELIMIT_APPLICATION="3 per minute")
    client = limited.test_client()
    for path in ("/healthz/live", "/healthz/ready"):
        assert [client.get(path).status_code for _ in range(5)] == [200] * 5, path
    # The same limits do refuse a page: the check above is not vacuous.
    assert [client.get("/stories").status_code for _ in range(2)] == [200, 429]


# (setting, method, url, form data or None) — each request counts; the second is refused.
ANONYMOUS_CASES = [
    ("RATELIMIT_SIGNUP", "post", "/signup", {"email": "x@example.org", "password": "a"}),
    ("RATELIMIT_PASSWORD_RESET", "post", "/password/forgot", {"email": "x@example.org"}),
    ("RATELIMIT_PASSWORD_RESET", "post", "/password/reset/not-a-token", {"password": "a"}),
    ("RATELIMIT_SEARCH", "get", "/directory?q=vision", None),
    ("RATELIMIT_SEMANTIC_SEARCH", "get", "/search", None),
    ("RATELIMIT_MATCHING", "get", "/similar/opening/999999", None),
]


@pytest.mark.parametrize(("setting", "method", "url", "data"), ANONYMOUS_CASES)
def test_limited_pages_answer_429_with_retry_after(
    client: FlaskClient, limits, setting: str, method: str, url: str, data
) -> None:
    limits(**{setting: "1 per minute"})
    first = getattr(client, method)(url, data=data)
    assert first.status_code != 429
    second = getattr(client, method)(url, data=data)
    assert second.status_code == 429
    assert 0 < int(second.headers["Retry-After"]) <= 60
    assert _error_code(second) == "429"


@pytest.mark.parametrize(
    ("setting", "url"),
    [
        ("RATELIMIT_SEMANTIC_SEARCH", "/api/v1/search"),  # 400 without q: still counted
        ("RATELIMIT_MATCHING", "/api/v1/matches/opening/999999"),
    ],
)
def test_api_answers_429_in_json(client: FlaskClient, limits, setting: str, url: str) -> None:
    limits(**{setting: "1 per minute"})
    assert client.get(url).status_code != 429
    response = client.get(url + "?lang=en")
    assert response.status_code == 429
    assert response.is_json
    assert response.get_json()["error"]["status"] == 429
    assert int(response.headers["Retry-After"]) > 0


def test_matching_pages_of_logged_in_people_are_limited(
    app: Flask, client: FlaskClient, auth: AuthActions, make_user, limits
) -> None:
    make_user("ana@example.org")
    auth.login()
    limits(RATELIMIT_MATCHING="2 per minute")
    assert [client.get("/me/matches").status_code for _ in range(3)][-1] == 429


def test_contact_requests_are_limited_per_sender(
    app: Flask, client: FlaskClient, auth: AuthActions, make_user, limits
) -> None:
    make_user("ana@example.org")
    with app.app_context():
        ids = [f.profile().id for _ in range(3)]
    auth.login()
    limits(RATELIMIT_CONTACT="2 per hour")
    statuses = [
        client.post(f"/people/{pid}/contact", data={"message": "Hola, me interesa tu trabajo."})
        for pid in ids
    ]
    assert [r.status_code for r in statuses[:2]] == [302, 302]
    assert statuses[2].status_code == 429
    with app.app_context():
        from directory.models import ContactRequest

        assert db.session.query(ContactRequest).count() == 2  # the refused one saved nothing


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_429_page_speaks_the_visitors_language(
    app: Flask, client: FlaskClient, limits, lang: str
) -> None:
    limits(RATELIMIT_SEARCH="1 per minute")
    client.set_cookie("lang", lang)
    client.get("/directory")
    response = client.get("/directory")
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}"' in html
    assert translated(app, "Too many requests", lang) in html


def _fail_login(client: FlaskClient, email: str, n: int) -> list[int]:
    # A new client address and forged X-Forwarded-For each time: the account still counts.
    return [
        client.post(
            "/login",
            data={"email": email, "password": "not the password"},
            headers={"X-Forwarded-For": f"203.0.113.{i}"},
            environ_base={"REMOTE_ADDR": f"198.51.100.{i}"},
        ).status_code
        for i in range(n)
    ]


def test_failed_logins_on_one_account_are_throttled_whatever_the_client(
    client: FlaskClient, make_user, limits
) -> None:
    make_user("ana@example.org")
    limits(RATELIMIT_LOGIN_ACCOUNT="3 per 15 minutes")
    assert _fail_login(client, "ana@example.org", 4) == [200, 200, 200, 429]
    # Even the right password waits: otherwise the throttle would confirm guesses.
    refused = client.post("/login", data={"email": "ANA@example.org ", "password": PASSWORD})
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    # Another account is not affected.
    make_user("bea@example.org")
    assert (
        client.post("/login", data={"email": "bea@example.org", "password": PASSWORD}).status_code
        == 302
    )


def test_the_account_throttle_is_a_window_not_a_lock(
    client: FlaskClient, make_user, limits
) -> None:
    make_user("ana@example.org")
    limits(RATELIMIT_LOGIN_ACCOUNT="2 per 2 seconds")
    assert _fail_login(client, "ana@example.org", 3) == [200, 200, 429]
    time.sleep(2.2)
    ok = client.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    assert ok.status_code == 302


def test_successful_logins_do_not_use_the_account_budget(
    client: FlaskClient, auth: AuthActions, make_user, limits
) -> None:
    make_user("ana@example.org")
    limits(RATELIMIT_LOGIN_ACCOUNT="2 per 15 minutes")
    for _ in range(4):
        assert auth.login().status_code == 302
        auth.logout()


def test_a_password_reset_lets_the_owner_back_in(
    app: Flask, client: FlaskClient, make_user, limits
) -> None:
    user = make_user("ana@example.org")
    limits(RATELIMIT_LOGIN_ACCOUNT="2 per 15 minutes")
    _fail_login(client, "ana@example.org", 3)
    with app.app_context():
        token = accounts.make_reset_token(
            db.session.get(type(user), user.id), app.config["SECRET_KEY"]
        )
    new = "a brand new pass phrase"
    reset = client.post(f"/password/reset/{token}", data={"password": new, "confirm": new})
    assert reset.status_code == 302
    ok = client.post("/login", data={"email": "ana@example.org", "password": new})
    assert ok.status_code == 302


def test_login_is_limited_per_client_across_accounts(client: FlaskClient, limits) -> None:
    limits(RATELIMIT_LOGIN_CLIENT="3 per minute")
    statuses = [
        client.post("/login", data={"email": f"u{i}@example.org", "password": "x"}).status_code
        for i in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    # Looking at the form is free.
    assert client.get("/login").status_code == 200


def test_forged_forwarded_for_beyond_the_proxy_count_changes_nothing(make_app, caplog) -> None:
    """Behind one proxy the client is the last X-Forwarded-For entry; anything a client
    writes before it is ignored by the limiter key and by the request log."""
    app = make_app(PROXY_COUNT=1, RATELIMIT_SEARCH="2 per minute")
    caplog.set_level("INFO", logger="directory.request")
    client = app.test_client()
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    seen = []
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3"):
        response = client.get(
            "/directory",
            headers={"X-Forwarded-For": f"{forged}, 192.0.2.7"},
            environ_base=proxy,
        )
        seen.append(response.status_code)
    assert seen == [200, 200, 429]
    # A different real client (the entry the proxy appended) has its own budget.
    other = client.get("/directory", headers={"X-Forwarded-For": "192.0.2.8"}, environ_base=proxy)
    assert other.status_code == 200
    logged = [r.client_ip for r in caplog.records if r.name == "directory.request"]
    assert logged[:3] == ["192.0.2.7"] * 3


def test_without_a_proxy_count_forwarded_headers_are_ignored(client: FlaskClient, limits) -> None:
    limits(RATELIMIT_SEARCH="2 per minute")
    statuses = [
        client.get("/directory", headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code
        for i in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_log_in_works_with_rate_limits_turned_off(make_app, make_user) -> None:
    """Development may turn limits off: log-in (wrong and right) must still answer, not 500."""
    make_user(email="nolimits@example.org")
    app = make_app(RATELIMIT_ENABLED=False)
    client = app.test_client()
    wrong = client.post("/login", data={"email": "nolimits@example.org", "password": "nope-nope"})
    assert wrong.status_code == 200
    right = client.post("/login", data={"email": "nolimits@example.org", "password": PASSWORD})
    assert right.status_code == 302
