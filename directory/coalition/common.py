"""Shared pieces of the coalition views: loaders, refusals and the no-store hook."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import abort, flash, request
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ..extensions import db
from ..services.orgs import InvalidInput
from . import bp

T = TypeVar("T")
Page = str | Response | tuple[str, int]
# Public pages anyone may cache; the rest are a member's, a coordinator's or a form.
CACHEABLE = {"coalition.coalition", "coalition.groups_list", "coalition.group",
             "coalition.consultations_list", "coalition.consultation",
             "coalition.results_page"}  # fmt: skip


def load_or_404(model: type[T], record_id: int) -> T:
    """The record with this id, or a 404."""
    record = db.session.get(model, record_id)
    if record is None:
        abort(404)
    return record


def field_error(form: FlaskForm, error: InvalidInput) -> None:
    """Put a service's refusal next to its field (or the form's first field)."""
    db.session.rollback()
    field: Any = getattr(form, error.field, None)
    if field is None:
        field = next(iter(f for f in form if f.name != "csrf_token"), None)
    if field is None:
        flash(str(error.message), "error")
        return
    field.errors = [*field.errors, error.message]


def flash_form_errors(form: FlaskForm) -> None:
    """Every error of a form posted from another page, as flashed messages."""
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "error")


@bp.after_request
def _no_store(response: Response) -> Response:
    """Forms, coordinators' pages and pages with my answers are never kept by a cache."""
    if request.endpoint not in CACHEABLE:
        response.headers["Cache-Control"] = "no-store"
    return response
