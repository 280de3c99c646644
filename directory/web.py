"""The web layer: login manager, blueprints, error pages and template helpers."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from . import geo, vocab
from .extensions import db, login_manager
from .models import User
from .services import accounts
from .text import render_markdown

ERROR_TITLES = {
    400: _l("Bad request"),
    403: _l("You cannot see this page"),
    404: _l("Page not found"),
    405: _l("Method not allowed"),
    413: _l("What you sent is too large"),
    429: _l("Too many requests"),
    500: _l("Something went wrong"),
}
ERROR_MESSAGES = {
    403: _l("Your account does not have access to this page."),
    404: _l("The page does not exist, or it is not public."),
    413: _l("What you sent is larger than this site accepts. Please send less at once."),
    429: _l("You have made too many requests in a short time. Please wait a moment."),
    500: _l("We have logged the problem. Please try again in a moment."),
}


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    return accounts.load_session(session_id)


def client_ip() -> str:
    """The client address as Werkzeug sees it (ProxyFix decides how far to trust proxies)."""
    return request.remote_addr or ""


def _render_error(code: int, message: str = "") -> tuple[str, int]:
    title = ERROR_TITLES.get(code, ERROR_TITLES[500])
    message = message or str(ERROR_MESSAGES.get(code, ""))
    return render_template("errors/error.html", code=code, title=title, message=message), code


def _retry_after(error: HTTPException) -> int | None:
    """Seconds to wait: werkzeug's retry_after, or the window of Flask-Limiter's limit."""
    retry = getattr(error, "retry_after", None)
    if isinstance(retry, datetime):
        return int(retry.timestamp() - time.time())
    if isinstance(retry, int):
        return retry
    limit = getattr(getattr(error, "limit", None), "limit", None)  # RateLimitExceeded
    return int(limit.get_expiry()) if limit is not None else None


def too_many_requests(retry_after: int | None) -> tuple[str, int, dict[str, str]]:
    """The 429 page, with the wait rounded up to whole minutes when we know it."""
    if not retry_after or retry_after < 1:
        return (*_render_error(429), {})
    minutes = max(1, -(-retry_after // 60))
    message = ngettext(
        "You have made too many requests in a short time. Please try again in %(num)d minute.",
        "You have made too many requests in a short time. Please try again in %(num)d minutes.",
        minutes,
    )
    return (*_render_error(429, message), {"Retry-After": str(retry_after)})


class DatabaseId(IntegerConverter):
    """`<int:...>` in every route: a whole number PostgreSQL's INTEGER can hold.

    A larger id can name no record; without this bound it reached the database and came
    back as a 500 on PostgreSQL (SQLite took it). Now such a URL simply does not match: 404.
    """

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002 (werkzeug's name)
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Register login handling, blueprints and error pages."""
    # Before any blueprint adds a rule: rules look their converter up when added.
    app.url_map.converters["int"] = DatabaseId
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    # "strong" would drop remember-me sessions on any IP change; server-side sessions
    # already give revocation, so basic protection is enough.
    login_manager.session_protection = "basic"

    from .auth import bp as auth_bp
    from .coalition import bp as coalition_bp
    from .curation import bp as curation_bp
    from .listing_api import bp as listing_api_bp
    from .matching_views import api_bp
    from .matching_views import bp as matches_bp
    from .me import bp as me_bp
    from .orgs import bp as orgs_bp
    from .procurement import bp as procurement_bp
    from .proposals import bp as proposals_bp
    from .public import bp as public_bp
    from .showcase import bp as showcase_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(me_bp)
    app.register_blueprint(orgs_bp)
    app.register_blueprint(matches_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(curation_bp)
    app.register_blueprint(procurement_bp)
    app.register_blueprint(proposals_bp)
    app.register_blueprint(listing_api_bp)
    app.register_blueprint(coalition_bp)
    app.register_blueprint(showcase_bp)

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError) -> tuple[str, int]:
        return _render_error(
            400, str(_l("The form expired or was sent from elsewhere. Please try again."))
        )

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Any:
        if error.code is None or error.code < 400:
            return error
        if error.code == 429:
            return too_many_requests(_retry_after(error))
        # Keep what the exception adds (Allow on a 405, for instance).
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        return (*_render_error(error.code), headers)

    @app.errorhandler(Exception)
    def _server_error(error: Exception) -> tuple[str, int]:
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return _render_error(500)

    # Globals, not a context processor, so imported macros see them without "with context".
    app.jinja_env.globals.update(
        state_name=geo.state_name,
        country_name=geo.country_name,
        site_name=app.config["SITE_NAME"],
        label=vocab.label,
        markdown=render_markdown,
    )

    # Security headers and no-store on private pages: directory/security_headers.py.
