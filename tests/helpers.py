"""Small helpers shared by test modules."""

from __future__ import annotations

from flask import Flask
from flask_babel import force_locale, gettext
from markupsafe import escape


def translated(app: Flask, msgid: str, locale: str, **params: object) -> str:
    """The message as the catalogue renders it in `locale`, HTML-escaped like a page."""
    with app.test_request_context(), force_locale(locale):
        return str(escape(gettext(msgid, **params)))
