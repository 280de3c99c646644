"""Rate limits: one Flask-Limiter per app, the limited endpoints in one table.

Limits live in config (``RATELIMIT_*`` keys below) so a deployment or a test can change
them; storage is ``RATELIMIT_STORAGE_URI`` (Redis in production, so every gunicorn worker
counts against the same budget; ``memory://`` in development and tests).

Why a Limiter per app and not a module-level one with decorators: Flask-Limiter keeps its
storage on the extension object, so a second ``create_app`` (tests build several) would
silently move the first app's counters to the second app's storage.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_login import current_user
from limits import parse_many
from limits.storage import MemoryStorage, Storage
from limits.strategies import MovingWindowRateLimiter

from .web import client_ip

log = logging.getLogger(__name__)

EXTENSION = "directory_limiter"

# Defaults: generous for a person, tight for a script. Each key is a config setting.
DEFAULT_LIMITS = {
    "RATELIMIT_LOGIN_CLIENT": "20 per minute;100 per hour",
    "RATELIMIT_LOGIN_ACCOUNT": "10 per 15 minutes",
    "RATELIMIT_SIGNUP": "10 per hour;50 per day",
    "RATELIMIT_PASSWORD_RESET": "10 per hour",
    "RATELIMIT_CONTACT": "10 per hour;30 per day",
    "RATELIMIT_SEARCH": "60 per minute",
    "RATELIMIT_SEMANTIC_SEARCH": "30 per minute",
    "RATELIMIT_MATCHING": "30 per minute",
}


def client_key() -> str:
    """The client address (after ProxyFix): who is knocking, logged in or not."""
    return "ip:" + client_ip()


def viewer_key() -> str:
    """The account when logged in (people behind one campus NAT do not share), else the IP."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return client_key()


@dataclass(frozen=True)
class Rule:
    """A limit on one endpoint: which setting, counted by whom, on which methods."""

    setting: str
    key: Callable[[], str]
    methods: tuple[str, ...] | None = None


POST = ("POST",)
LOGIN = Rule("RATELIMIT_LOGIN_CLIENT", client_key, POST)
RESET = Rule("RATELIMIT_PASSWORD_RESET", client_key, POST)
SEARCH = Rule("RATELIMIT_SEARCH", viewer_key)
SEMANTIC = Rule("RATELIMIT_SEMANTIC_SEARCH", viewer_key)
MATCHING = Rule("RATELIMIT_MATCHING", viewer_key)

# Endpoint → its limits. A test walks this table; create_app fails on an unknown endpoint.
ENDPOINT_LIMITS: dict[str, tuple[Rule, ...]] = {
    "auth.login": (LOGIN,),
    "auth.signup": (Rule("RATELIMIT_SIGNUP", client_key, POST),),
    "auth.forgot_password": (RESET,),
    "auth.reset_password": (RESET,),
    "me.contact_request": (Rule("RATELIMIT_CONTACT", viewer_key, POST),),
    "public.browse": (SEARCH,),
    "matches.search": (SEMANTIC,),
    "api.search": (SEMANTIC,),
    "matches.mine": (MATCHING,),
    "matches.opening_candidates": (MATCHING,),
    "matches.challenge_solvers": (MATCHING,),
    "matches.similar": (MATCHING,),
    "api.matches": (MATCHING,),
}


def _setting(name: str) -> str:
    return str(current_app.config[name])


def init_app(app: Flask) -> Limiter:
    """Create this app's limiter and wrap every endpoint of ENDPOINT_LIMITS."""
    for name, value in DEFAULT_LIMITS.items():
        app.config.setdefault(name, value)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)  # Retry-After on a 429
    app.config.setdefault("RATELIMIT_STRATEGY", "moving-window")
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "directory")
    # Redis down: count per process rather than fail every request or stop limiting.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    limiter = Limiter(client_key)
    limiter.init_app(app)
    app.extensions[EXTENSION] = limiter
    app.extensions["directory_login_fallback"] = MemoryStorage()
    for endpoint, rules in ENDPOINT_LIMITS.items():
        if endpoint not in app.view_functions:
            raise RuntimeError(f"rate limit for unknown endpoint {endpoint!r}")
        view = app.view_functions[endpoint]
        for rule in rules:
            view = limiter.limit(
                partial(_setting, rule.setting),
                key_func=rule.key,
                methods=list(rule.methods) if rule.methods else None,
            )(view)
        app.view_functions[endpoint] = view
    return limiter


def limiter_of(app: Flask) -> Limiter:
    """The app's limiter."""
    return app.extensions[EXTENSION]


def reset(app: Flask) -> None:
    """Forget every count (tests start each from zero)."""
    limiter_of(app).reset()
    app.extensions["directory_login_fallback"].reset()


# Failed log-ins per account. Counted by account, not by client, so rotating IPs or a
# forged X-Forwarded-For does not buy more guesses (SECURITY.md row 3). The price is that
# someone who knows an address can make its owner wait; we keep that bounded:
# - a moving window, not a lock: the account opens again as soon as the oldest counted
#   failure is older than the window (15 minutes by default), never "until a curator acts";
# - only failures count, so the owner's own successful log-ins never use the budget;
# - a completed password reset (proof of the mailbox) clears the count, so the owner can log
#   in at once with the new password;
# - the per-client limit bounds how fast any one client can keep an account throttled.


def _account_key(email: str) -> tuple[str, str, str]:
    # A keyed hash: Redis never holds the address itself.
    secret = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(secret, email.strip().lower().encode(), hashlib.sha256).hexdigest()
    return (current_app.config["RATELIMIT_KEY_PREFIX"], "login-account", digest)


def _account_strategy() -> tuple[MovingWindowRateLimiter, MovingWindowRateLimiter]:
    limiter = limiter_of(current_app)
    fallback: Storage = current_app.extensions["directory_login_fallback"]
    return MovingWindowRateLimiter(limiter.storage), MovingWindowRateLimiter(fallback)


def _with_storage(action: Callable[[MovingWindowRateLimiter], int | bool]) -> int | bool:
    primary, fallback = _account_strategy()
    try:
        return action(primary)
    except Exception:  # storage unreachable: count in this process rather than not at all
        log.warning("rate-limit storage unreachable; counting failed log-ins per process")
        return action(fallback)


def login_retry_after(email: str) -> int | None:
    """Seconds to wait before this account may try again, or None when it may try now."""
    key = _account_key(email)

    def check(strategy: MovingWindowRateLimiter) -> int:
        waits = []
        for item in parse_many(_setting("RATELIMIT_LOGIN_ACCOUNT")):
            if not strategy.test(item, *key):
                reset_at, _remaining = strategy.get_window_stats(item, *key)
                waits.append(max(1, int(reset_at - time.time()) + 1))
        return max(waits, default=0)

    wait = int(_with_storage(check))
    return wait or None


def record_failed_login(email: str) -> None:
    """Count one failed log-in against an account."""
    key = _account_key(email)

    def hit(strategy: MovingWindowRateLimiter) -> bool:
        for item in parse_many(_setting("RATELIMIT_LOGIN_ACCOUNT")):
            strategy.hit(item, *key)
        return True

    _with_storage(hit)


def clear_failed_logins(email: str) -> None:
    """Forget an account's failed log-ins (after its owner proved the mailbox)."""
    key = _account_key(email)

    def clear(strategy: MovingWindowRateLimiter) -> bool:
        for item in parse_many(_setting("RATELIMIT_LOGIN_ACCOUNT")):
            strategy.clear(item, *key)
        return True

    _with_storage(clear)
