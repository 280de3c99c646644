"""The production path: hardened settings, a start-up check that fails closed, ProxyFix.

Production is chosen with ``DIRECTORY_ENV=production`` (config key ``ENV``); anything else
is development. In production the app refuses to start, with every problem listed at once,
rather than run with a guessable SECRET_KEY, the debugger, per-process rate limits, mail
written to the log (reset links are secrets) or background jobs anywhere but on Redis.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import origin
from .config import DEV_SECRET_KEY
from .services.passwords import HASH_METHOD

PRODUCTION = "production"
MIN_SECRET_LENGTH = 32
KNOWN_WEAK_SECRETS = {DEV_SECRET_KEY, "dev", "secret", "changeme", "change-me", "secret-key"}
ONE_YEAR = 365 * 24 * 3600


class ProductionConfigError(RuntimeError):
    """The configuration is not safe to serve the public with."""


def is_production(config: Mapping[str, Any]) -> bool:
    """Whether this app runs as the public deployment."""
    return str(config.get("ENV", "")).lower() == PRODUCTION


def config_problems(config: Mapping[str, Any]) -> list[str]:
    """Everything that makes a configuration unfit for production (empty when fit)."""
    problems = []
    secret = config.get("SECRET_KEY") or ""
    if not isinstance(secret, str | bytes) or not secret:
        problems.append("SECRET_KEY is missing: set DIRECTORY_SECRET_KEY")
    elif secret in KNOWN_WEAK_SECRETS or len(secret) < MIN_SECRET_LENGTH or len(set(secret)) < 10:
        problems.append(
            f"SECRET_KEY is weak or the development default: use at least {MIN_SECRET_LENGTH} "
            'random characters (python -c "import secrets; print(secrets.token_urlsafe(48))")'
        )
    if config.get("DEBUG"):
        problems.append("DEBUG is on: the debugger runs code for whoever reaches it")
    if config.get("TESTING"):
        problems.append("TESTING is on")
    storage = str(config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if storage.startswith("memory://"):
        problems.append(
            "rate limits are in memory (counted per worker, lost on restart): set "
            "DIRECTORY_RATELIMIT_STORAGE_URI=redis://HOST:6379/0"
        )
    if config.get("RATELIMIT_ENABLED") is False:
        problems.append("rate limits are turned off (RATELIMIT_ENABLED)")
    if not config.get("MAIL_SERVER"):
        problems.append("MAIL_SERVER is not set: password-reset links would be written to the log")
    problems.extend(origin.origin_problems(config))
    # Background jobs run on Redis with a worker process (the reasons: jobs/settings.py).
    from .jobs.settings import production_problems as job_problems

    problems.extend(job_problems(config))
    method = config.get("PASSWORD_HASH_METHOD")
    if method and method != HASH_METHOD:
        problems.append(
            f"PASSWORD_HASH_METHOD is {method}: production hashes with {HASH_METHOD} "
            "(only the test suite may lower it)"
        )
    return problems


def check(config: Mapping[str, Any]) -> None:
    """Raise ProductionConfigError listing every problem, when there is any."""
    problems = config_problems(config)
    if problems:
        listed = "\n".join(f"  - {problem}" for problem in problems)
        raise ProductionConfigError(f"refusing to start with DIRECTORY_ENV=production:\n{listed}")


def harden(app: Flask) -> None:
    """Production defaults that no deployment should loosen: HTTPS-only cookies, HSTS."""
    config = app.config
    config["SESSION_COOKIE_SECURE"] = True
    config["REMEMBER_COOKIE_SECURE"] = True
    config["SESSION_COOKIE_HTTPONLY"] = True
    config["REMEMBER_COOKIE_HTTPONLY"] = True
    config["PREFERRED_URL_SCHEME"] = "https"
    if not config.get("HSTS_SECONDS"):
        config["HSTS_SECONDS"] = ONE_YEAR


def apply_proxy_fix(app: Flask) -> None:
    """Trust exactly PROXY_COUNT proxies' X-Forwarded-For/-Proto (0: trust none).

    ProxyFix takes the address that many hops from the right, so whatever a client writes
    further left in X-Forwarded-For changes neither the rate-limit key nor the logged IP.
    """
    count = int(app.config.get("PROXY_COUNT") or 0)
    if count < 0:
        raise ProductionConfigError("PROXY_COUNT must be 0 or more")
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]


def init_app(app: Flask) -> None:
    """Harden and check a production app; pin its origin; put ProxyFix in front if asked."""
    if is_production(app.config):
        harden(app)
        check(app.config)
    # The origin's middleware sits inside ProxyFix, so it sees the client's real scheme and
    # address first and then overrides host and scheme with the public origin's.
    origin.init_app(app)
    apply_proxy_fix(app)
