"""Small helpers shared by test modules."""

from __future__ import annotations

from flask import Flask
from flask_babel import force_locale, gettext
from markupsafe import escape


def translated(app: Flask, msgid: str, locale: str, **params: object) -> str:
    """The message as the catalogue renders it in `locale`, HTML-escaped like a page."""
    with app.test_request_context(), force_locale(locale):
        return str(escape(gettext(msgid, **params)))


def mailed_link(app: Flask, path_prefix: str, *, index: int = -1) -> str:
    """The path of the first link under `path_prefix` in a sent mail (the last by default).

    Links must come from the public origin the tests configure (http://localhost).
    """
    import re

    outbox = app.extensions.get("outbox", [])
    assert outbox, "no mail was sent"
    body = outbox[index].get_content()
    match = re.search(r"http://localhost(" + re.escape(path_prefix) + r"\S*)", body)
    assert match, body
    return match.group(1)
