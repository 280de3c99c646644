"""Failed log-ins: guessing is slowed to a limit, and nobody can lock an owner out.

Before (SECURITY.md row 49) ten failures for an address, from anyone, made that account
answer 429 to everybody, its owner included. Now failures are counted twice:

- per account **and client** (``RATELIMIT_LOGIN_ACCOUNT_CLIENT``): a client is a browser
  that has logged in to this account before (it holds a signed *device cookie* naming the
  account, OWASP's "device cookies"), else the client's address. One guesser is slowed to
  this limit, and its failures never reach the owner on another client;
- per account across clients **without** such a cookie (``RATELIMIT_LOGIN_ACCOUNT``): a
  larger budget that bounds a guesser rotating addresses. When it is spent, untrusted
  clients wait, but the owner's own browsers still get in.

Both are moving windows (the account opens again as the oldest failure ages out), only
failures count, and a successful log-in or a completed reset clears them. The counts live
in the limiter's storage (Redis in production, so every worker shares them), keyed by an
HMAC of the address so the storage never holds the address itself.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Callable
from typing import Any

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from limits import parse_many
from limits.storage import Storage
from limits.strategies import MovingWindowRateLimiter

from ..ratelimits import limiter_of
from ..web import client_ip

log = logging.getLogger(__name__)

DEVICE_COOKIE = "directorio_device"
DEVICE_MAX_AGE = 365 * 24 * 3600
MAX_ACCOUNTS_PER_DEVICE = 10  # a shared computer remembers the last ten accounts
FALLBACK = "directory_login_fallback"

Key = tuple[str, ...]


def _digest(email: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, email.strip().lower().encode(), hashlib.sha256).hexdigest()


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="login-device")


def _device() -> dict[str, Any]:
    """This browser's device cookie: an id and the accounts it has logged in to."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if raw:
        try:
            value = _serializer().loads(raw)
        except BadSignature:
            value = None
        if isinstance(value, dict) and isinstance(value.get("accounts"), list):
            return value
    return {"id": "", "accounts": []}


def _keys(email: str) -> tuple[Key, Key | None]:
    """The (account, client) key, and the account-wide key when this client is untrusted."""
    prefix = current_app.config["RATELIMIT_KEY_PREFIX"]
    account = _digest(email)
    device = _device()
    if device["id"] and account in device["accounts"]:
        # A browser that proved this account before: its own budget, not its address's,
        # so a guesser behind the same campus NAT does not slow the owner either.
        return (prefix, "login-device", account, device["id"]), None
    return (prefix, "login-client", account, client_ip()), (prefix, "login-account", account)


def _windows(key: Key | None) -> list[tuple[str, Key]]:
    if key is None:
        return []
    setting = (
        "RATELIMIT_LOGIN_ACCOUNT" if key[1] == "login-account" else "RATELIMIT_LOGIN_ACCOUNT_CLIENT"
    )
    return [(item, key) for item in parse_many(str(current_app.config[setting]))]  # type: ignore[misc]


def _with_storage(action: Callable[[MovingWindowRateLimiter], int]) -> int:
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        # Limits turned off (never in production: production.py refuses it): the limiter
        # has no storage then, and log-ins are not throttled either.
        return 0
    storage: Storage = limiter_of(current_app).storage
    try:
        return action(MovingWindowRateLimiter(storage))
    except Exception:  # storage unreachable: count in this process rather than not at all
        log.warning("rate-limit storage unreachable; counting failed log-ins per process")
        return action(MovingWindowRateLimiter(current_app.extensions[FALLBACK]))


def _all_windows(email: str) -> list[tuple[Any, Key]]:
    pair, account = _keys(email)
    return _windows(pair) + _windows(account)  # type: ignore[operator]


def retry_after(email: str) -> int | None:
    """Seconds this client must wait before trying this account again, or None."""
    windows = _all_windows(email)

    def check(strategy: MovingWindowRateLimiter) -> int:
        waits = [0]
        for item, key in windows:
            if not strategy.test(item, *key):
                reset_at, _remaining = strategy.get_window_stats(item, *key)
                waits.append(max(1, int(reset_at - time.time()) + 1))
        return max(waits)

    return _with_storage(check) or None


def record_failure(email: str) -> None:
    """Count one failed log-in for this account from this client."""
    windows = _all_windows(email)

    def hit(strategy: MovingWindowRateLimiter) -> int:
        for item, key in windows:
            strategy.hit(item, *key)
        return 0

    _with_storage(hit)


def clear(email: str) -> None:
    """Forget this account's failures from this client and its account-wide count."""
    prefix = current_app.config["RATELIMIT_KEY_PREFIX"]
    windows = _all_windows(email) + _windows((prefix, "login-account", _digest(email)))

    def forget(strategy: MovingWindowRateLimiter) -> int:
        for item, key in windows:
            strategy.clear(item, *key)
        return 0

    _with_storage(forget)


def remember_device(response: Response, email: str) -> None:
    """Mark this browser as one that has logged in to this account (a signed cookie)."""
    device = _device()
    account = _digest(email)
    accounts = [a for a in device["accounts"] if a != account][-(MAX_ACCOUNTS_PER_DEVICE - 1) :]
    value = {"id": device["id"] or secrets.token_urlsafe(16), "accounts": [*accounts, account]}
    response.set_cookie(
        DEVICE_COOKIE,
        _serializer().dumps(value),
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        samesite="Lax",
    )
