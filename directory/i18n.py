"""Language selection: the user's saved choice, then the lang cookie, then Spanish."""

from __future__ import annotations

from datetime import date, datetime

from babel import localedata
from flask import Flask, current_app, has_request_context, request
from flask_babel import format_date, format_datetime, format_time, get_locale
from flask_login import current_user

from .extensions import babel

LANG_COOKIE = "lang"


def select_locale() -> str:
    """Return the locale for this request."""
    if not has_request_context():  # CLI commands and services run outside a request
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in languages:
        return cookie
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_locale() -> str:
    """Return the active locale as a language code ("es" or "en")."""
    locale = get_locale()
    return locale.language if locale else "es"


def _fmt_date(value: date | datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if fmt in ("short", "medium", "long"):
            # Minutes are enough for people: "30 may 2026, 3:37 p.m.", not ":43" seconds.
            return f"{format_date(value, fmt)}, {format_time(value, 'short')}"
        return format_datetime(value, fmt)
    return format_date(value, fmt)


def use_mexican_spanish() -> None:
    """Format numbers, money and dates for "es" as Mexico does ("500,000", not "500.000").

    The catalogue stays "es" (one Spanish); only Babel's locale data for "es" is Mexico's.
    Babel keeps loaded locale data in a module-level cache keyed by name: "es" is filled
    with es_MX's data (its parents merged) before any request reads it.
    """
    cache = getattr(localedata, "_cache", None)
    lock = getattr(localedata, "_cache_lock", None)
    if not isinstance(cache, dict) or lock is None:  # a future Babel: keep its defaults
        return
    with lock:
        cache["es"] = localedata.load("es_MX")


def init_app(app: Flask) -> None:
    """Bind Flask-Babel and expose locale helpers to templates."""
    babel.init_app(app, locale_selector=select_locale)
    use_mexican_spanish()
    app.jinja_env.filters["date"] = _fmt_date
    app.jinja_env.globals["current_locale"] = current_locale
