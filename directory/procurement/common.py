"""Shared pieces of the procurement views: loaders, refusals and the no-store hook."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import abort, request
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ..extensions import db
from ..services.orgs import InvalidInput
from . import bp

T = TypeVar("T")
Page = str | Response | tuple[str, int]
# Public pages anyone may cache; everything else here is a member's or an editor's view.
CACHEABLE = {"procurement.unit"}


def load_or_404(model: type[T], record_id: int) -> T:
    """The record with this id, or a 404."""
    record = db.session.get(model, record_id)
    if record is None:
        abort(404)
    return record


def refuse_hidden(visible: bool) -> None:
    """403 for a record the viewer may see but not change; 404 for one hidden from them."""
    abort(403 if visible else 404)


def first_error(form: FlaskForm, error: InvalidInput) -> None:
    """Put a service's refusal next to its field (or the form's first field)."""
    db.session.rollback()
    field: Any = getattr(form, error.field, None)
    if field is None:
        field = next(iter(f for f in form if f.name != "csrf_token"))
    field.errors = [*field.errors, error.message]


@bp.after_request
def _no_store(response: Response) -> Response:
    """Management pages, my invitations and forms with my words are never cached."""
    if request.endpoint not in CACHEABLE:
        response.headers["Cache-Control"] = "no-store"
    return response
