"""Opaque, signed page cursors: "continue after record N of this listing".

Signed with the app's SECRET_KEY (salted for this use), so a client cannot make one up or
point one listing's cursor at another; a cursor from before a key change is refused and
the client starts again from the first page.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

SALT = "listing-api-cursor"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=SALT)


def make(dataset: str, after: int) -> str:
    """The cursor of the page that starts after record `after` of a listing."""
    return str(_serializer().dumps([dataset, after]))


def read(raw: str, dataset: str) -> int | None:
    """The id a cursor continues after, or None when it is not one of this listing's."""
    try:
        value: Any = _serializer().loads(raw)
    except (BadData, ValueError, UnicodeError):
        return None
    if not (isinstance(value, list) and len(value) == 2 and value[0] == dataset):
        return None
    after = value[1]
    if isinstance(after, bool) or not isinstance(after, int) or not 0 <= after < 2**31:
        return None
    return after
