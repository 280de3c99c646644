"""Form fields and query parameters arrive without NUL characters.

No text the directory stores or searches may hold a NUL: PostgreSQL refuses it in text
columns (a 500 on any form that saves it), and it has no meaning in a name, a message or a
query. Dropping it where Werkzeug builds request.form and request.args covers every form
and API parameter at once; uploaded files are left as they are (the CSV import checks its
own content). Other control characters are each form's business (see services/privacy.py).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items


def _clean(value: Any) -> Any:
    return value.replace("\x00", "") if isinstance(value, str) else value


class NulFreeMultiDict(ImmutableMultiDict):  # type: ignore[type-arg]
    """An immutable multi-dict whose string keys and values hold no NUL."""

    def __init__(self, mapping: Any = None) -> None:
        if mapping is None:
            super().__init__()
        else:
            super().__init__((_clean(k), _clean(v)) for k, v in iter_multi_items(mapping))


class CleanRequest(Request):
    """The app's request: form and query parameters without NUL characters."""

    parameter_storage_class = NulFreeMultiDict


def init_app(app: Flask) -> None:
    """Use CleanRequest for every request of the app."""
    app.request_class = CleanRequest
