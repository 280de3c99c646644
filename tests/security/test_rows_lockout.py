"""SECURITY.md row 49: failures from one client never lock the owner out on another, and
a guesser is still slowed to the limit (directory/auth/throttle.py).

Limits are lowered through config: 3 failures per account and client, 6 per account
across clients that never logged in to it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from directory.auth.throttle import DEVICE_COOKIE

from ..conftest import PASSWORD

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"


@pytest.fixture(autouse=True)
def _low_limits(limits: Callable[..., None]) -> None:
    limits(
        RATELIMIT_LOGIN_ACCOUNT_CLIENT="3 per 15 minutes",
        RATELIMIT_LOGIN_ACCOUNT="6 per 15 minutes",
    )


def _login(client: FlaskClient, password: str, ip: str, email: str = "ana@example.org") -> int:
    response = client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": ip},
    )
    return response.status_code


def test_an_attackers_failures_never_stop_the_owner_on_another_client(
    app: Flask, make_user
) -> None:
    make_user("ana@example.org")
    attacker = app.test_client()
    statuses = [_login(attacker, "guess " + str(i), ATTACKER) for i in range(6)]
    assert statuses == [200, 200, 200, 429, 429, 429]
    # A new browser of the owner's, never used for this account before: still gets in.
    assert _login(app.test_client(), PASSWORD, OWNER) == 302


def test_a_guesser_is_slowed_to_the_limit_even_with_the_right_password(
    app: Flask, make_user
) -> None:
    make_user("ana@example.org")
    attacker = app.test_client()
    assert [_login(attacker, "guess", ATTACKER) for _ in range(3)] == [200, 200, 200]
    # The throttle must not confirm a guess: the right password waits too.
    refused = attacker.post(
        "/login",
        data={"email": "ana@example.org", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": ATTACKER},
    )
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_rotating_addresses_stop_strangers_but_not_the_owners_browser(
    app: Flask, make_user
) -> None:
    make_user("ana@example.org")
    owner = app.test_client()
    assert _login(owner, PASSWORD, OWNER) == 302  # this browser now holds a device cookie
    owner.post("/logout")
    # A guesser with many addresses spends the account-wide budget (6 failures).
    for i in range(6):
        assert _login(app.test_client(), "guess", f"203.0.113.{i}") == 200
    # Now unknown clients wait, whatever the password...
    assert _login(app.test_client(), PASSWORD, "192.0.2.1") == 429
    # ...but the owner's browser gets in, even from the guesser's own address.
    assert _login(owner, PASSWORD, "203.0.113.0") == 302


def test_a_successful_login_clears_the_count(app: Flask, make_user) -> None:
    make_user("ana@example.org")
    client = app.test_client()
    assert [_login(client, "typo", OWNER) for _ in range(2)] == [200, 200]
    assert _login(client, PASSWORD, OWNER) == 302
    client.post("/logout")
    assert [_login(client, "typo", OWNER) for _ in range(2)] == [200, 200]
    assert _login(client, PASSWORD, OWNER) == 302


def test_a_forged_device_cookie_buys_nothing(app: Flask, make_user) -> None:
    make_user("ana@example.org")
    attacker = app.test_client()
    attacker.set_cookie(DEVICE_COOKIE, "eyJpZCI6ImZha2UifQ.forged")
    assert [_login(attacker, "guess", ATTACKER) for _ in range(4)] == [200, 200, 200, 429]


def test_a_device_cookie_for_one_account_does_not_trust_another(app: Flask, make_user) -> None:
    make_user("ana@example.org")
    make_user("eve@example.org")
    eve = app.test_client()
    assert _login(eve, PASSWORD, ATTACKER, email="eve@example.org") == 302
    eve.post("/logout")
    assert [_login(eve, "guess", ATTACKER) for _ in range(4)] == [200, 200, 200, 429]


def test_the_device_cookie_is_httponly_lax_and_signed(app: Flask, make_user) -> None:
    make_user("ana@example.org")
    client = app.test_client()
    response = client.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    header = next(h for h in response.headers.getlist("Set-Cookie") if DEVICE_COOKIE in h)
    assert "HttpOnly" in header and "SameSite=Lax" in header
    assert "ana@example.org" not in header
