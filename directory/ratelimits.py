"""Rate limits: one Flask-Limiter per app, the limited endpoints in one table.

Limits live in config (``RATELIMIT_*`` keys below) so a deployment or a test can change
them; storage is ``RATELIMIT_STORAGE_URI`` (Redis in production, so every gunicorn worker
counts against the same budget; ``memory://`` in development and tests).

Why a Limiter per app and not a module-level one with decorators: Flask-Limiter keeps its
storage on the extension object, so a second ``create_app`` (tests build several) would
silently move the first app's counters to the second app's storage.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_login import current_user
from limits.storage import MemoryStorage

from .web import client_ip

log = logging.getLogger(__name__)

EXTENSION = "directory_limiter"

# Defaults: generous for a person, tight for a script. Each key is a config setting.
DEFAULT_LIMITS = {
    "RATELIMIT_LOGIN_CLIENT": "20 per minute;100 per hour",
    # Failed log-ins (directory/auth/throttle.py): per account and client, and per account
    # across clients that never logged in to it (larger, so one client cannot spend it).
    "RATELIMIT_LOGIN_ACCOUNT_CLIENT": "10 per 15 minutes",
    "RATELIMIT_LOGIN_ACCOUNT": "30 per 15 minutes",
    "RATELIMIT_SIGNUP": "10 per hour;50 per day",
    "RATELIMIT_PASSWORD_RESET": "10 per hour",
    "RATELIMIT_CONTACT": "10 per hour;30 per day",
    "RATELIMIT_SEARCH": "60 per minute",
    "RATELIMIT_SEMANTIC_SEARCH": "30 per minute",
    "RATELIMIT_MATCHING": "30 per minute",
    # Proposals: each may ask up to 20 people or organisations of the directory to confirm.
    "RATELIMIT_PROPOSAL": "20 per hour;60 per day",
    # Submitted success stories (each one asks the people it names to confirm).
    "RATELIMIT_STORY": "10 per hour;30 per day",
    # Profile photos and organisation logos: each upload is decoded and re-encoded (CPU).
    "RATELIMIT_UPLOAD": "20 per hour;60 per day",
    # Invitations to propose: each notifies a person or an organisation's owners.
    "RATELIMIT_INVITE": "30 per hour;100 per day",
    # New public user text (SECURITY.md row 44): questions about challenges.
    "RATELIMIT_QUESTION": "10 per hour;30 per day",
    # The coalition's user text (row 44): consultation answers, requests to join groups
    # and the coalition (services/coalition/); per account, generous for a person.
    "RATELIMIT_COALITION": "30 per hour;100 per day",
    # The listing API (directory/listing_api/): per account or address without a token,
    # per token with one (a token's own, larger budget: README "Listing API").
    "RATELIMIT_API": "60 per minute",
    "RATELIMIT_API_TOKEN": "600 per minute",
}


def client_key() -> str:
    """The client address (after ProxyFix): who is knocking, logged in or not."""
    return "ip:" + client_ip()


def viewer_key() -> str:
    """The account when logged in (people behind one campus NAT do not share), else the IP."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return client_key()


def _has_api_token() -> bool:
    # Imported here: the listing API imports the models, which this module must not.
    from .listing_api.tokens import request_token_id

    return request_token_id() is not None


def api_token_key() -> str:
    """The live API token a request carries (its own budget), else the viewer."""
    from .listing_api.tokens import request_token_id

    token_id = request_token_id()
    return f"token:{token_id}" if token_id is not None else viewer_key()


@dataclass(frozen=True)
class Rule:
    """A limit on one endpoint: which setting, counted by whom, on which methods."""

    setting: str
    key: Callable[[], str]
    methods: tuple[str, ...] | None = None
    exempt_when: Callable[[], bool] | None = None  # e.g. the anonymous budget, given a token


POST = ("POST",)
LOGIN = Rule("RATELIMIT_LOGIN_CLIENT", client_key, POST)
RESET = Rule("RATELIMIT_PASSWORD_RESET", client_key, POST)
SEARCH = Rule("RATELIMIT_SEARCH", viewer_key)
SEMANTIC = Rule("RATELIMIT_SEMANTIC_SEARCH", viewer_key)
MATCHING = Rule("RATELIMIT_MATCHING", viewer_key)
# Without a live token (or with a wrong one, refused under this budget), and with one.
API = Rule("RATELIMIT_API", viewer_key, exempt_when=_has_api_token)
API_TOKEN = Rule("RATELIMIT_API_TOKEN", api_token_key, exempt_when=lambda: not _has_api_token())

# Endpoint → its limits. A test walks this table; create_app fails on an unknown endpoint.
ENDPOINT_LIMITS: dict[str, tuple[Rule, ...]] = {
    "auth.login": (LOGIN,),
    "auth.signup": (Rule("RATELIMIT_SIGNUP", client_key, POST),),
    "auth.forgot_password": (RESET,),
    "auth.reset_password": (RESET,),
    "auth.confirm_account": (RESET,),
    "me.contact_request": (Rule("RATELIMIT_CONTACT", viewer_key, POST),),
    "public.browse": (SEARCH,),
    # Feeds run the directory's search (and a saved semantic search, the model) per read.
    "public.openings_feed": (SEARCH,),
    "public.challenges_feed": (SEARCH,),
    "public.alert_feed": (SEMANTIC,),
    "matches.search": (SEMANTIC,),
    "api.search": (SEMANTIC,),
    "matches.mine": (MATCHING,),
    "matches.opening_candidates": (MATCHING,),
    "matches.challenge_solvers": (MATCHING,),
    "matches.similar": (MATCHING,),
    "api.matches": (MATCHING,),
    "public.propose": (Rule("RATELIMIT_PROPOSAL", viewer_key, POST),),
    # The public portfolio computes coverage over every listed challenge on each view.
    "proposals.portfolio": (SEARCH,),
    "showcase.submit": (Rule("RATELIMIT_STORY", viewer_key, POST),),
    "showcase.edit": (Rule("RATELIMIT_STORY", viewer_key, POST),),
    "me.upload_photo": (Rule("RATELIMIT_UPLOAD", viewer_key, POST),),
    "orgs.upload_logo": (Rule("RATELIMIT_UPLOAD", viewer_key, POST),),
    "matches.invite": (Rule("RATELIMIT_INVITE", viewer_key, POST),),
    # The public numbers page runs the dashboard's queries on each view.
    "showcase.ecosystem": (SEARCH,),
    "procurement.ask": (Rule("RATELIMIT_QUESTION", viewer_key, POST),),
    "coalition.consultation": (Rule("RATELIMIT_COALITION", viewer_key, POST),),
    "coalition.join_group": (Rule("RATELIMIT_COALITION", viewer_key, POST),),
    "coalition.join": (Rule("RATELIMIT_COALITION", viewer_key, POST),),
    **{
        f"listing_api.{name}": (API, API_TOKEN)
        for name in ("organizations", "openings", "challenges", "stories", "people")
    },
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
    # Where failed log-ins are counted while Redis is unreachable (auth/throttle.py).
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
                exempt_when=rule.exempt_when,
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
