"""Shared pieces of the orgs views: loaders, permission guards and the closing-date hook."""

from __future__ import annotations

import threading
import time
from typing import Any, TypeVar

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response as WerkzeugResponse

from ..extensions import db
from ..jobs import is_immediate
from ..models import Challenge, Opening, Organization
from ..permissions import (
    can_edit_org,
    can_edit_post,
    can_manage_members,
    can_view_org,
    can_view_post,
)
from ..services import posts
from ..services.orgs import InvalidInput
from ..services.revisions import EditOutcome
from ..services.skills import all_skills
from . import bp

T = TypeVar("T")

ARCHIVE_INTERVAL = 60.0  # seconds between two automatic runs in one process
_last_archive_run = 0.0
_archive_lock = threading.Lock()


def load_or_404(model: type[T], record_id: int) -> T:
    """The record with this id, or a 404."""
    record = db.session.get(model, record_id)
    if record is None:
        abort(404)
    return record


def org_for_editing(org_id: int) -> Organization:
    """An organisation the current user may edit (owner or editor): 404, then 403."""
    org = load_or_404(Organization, org_id)
    if not can_edit_org(current_user, org):
        _refuse_hidden(can_view_org(current_user, org))
    return org


def _refuse_hidden(visible: bool) -> None:
    """403 for a record the viewer may see but not manage; 404 for one hidden from them,
    so that a guessed id does not even tell that an unpublished record exists."""
    abort(403 if visible else 404)


def org_for_members(org_id: int) -> Organization:
    """An organisation whose members the current user may manage (owners only)."""
    org = load_or_404(Organization, org_id)
    if not can_manage_members(current_user, org):
        _refuse_hidden(can_view_org(current_user, org))
    return org


def post_for_editing(model: type[Opening] | type[Challenge], post_id: int) -> Any:
    """An opening or challenge the current user may edit: 404, then 403."""
    post = load_or_404(model, post_id)
    if not can_edit_post(current_user, post):
        _refuse_hidden(can_view_post(current_user, post))
    return post


def refuse(message: str, code: int = 403) -> tuple[str, int]:
    """The error page with a sentence that says why."""
    titles = {403: _("You cannot see this page"), 404: _("Page not found")}
    return (
        render_template(
            "errors/error.html", code=code, title=titles.get(code, titles[403]), message=message
        ),
        code,
    )


def show_error(form: FlaskForm, error: InvalidInput) -> None:
    """Put a service's refusal next to its field (or on the form when no field matches)."""
    db.session.rollback()
    field = getattr(form, error.field, None)
    if field is None:
        field = next(iter(f for f in form if f.name != "csrf_token"))
    field.errors = [*field.errors, error.message]


def edit_message(outcome: EditOutcome) -> str:
    """The flash after an edit: saved, or waiting for a curator with the old version shown."""
    if outcome.held:
        return _(
            "Your changes were received. A curator will review them before they are "
            "published; until then the approved version stays public."
        )
    return _("Your changes were saved.")


def skills_text(record: Any, locale: str) -> str:
    """A record's skills as the comma-separated text the skills field edits (free ones last)."""
    labels = [skill.label(locale) for skill in record.skills]
    return ", ".join([*labels, *(getattr(record, "free_skills", None) or [])])


def vocabulary() -> list[Any]:
    """The skills vocabulary for the autocomplete list."""
    return all_skills()


@bp.before_app_request
def _archive_expired_posts() -> None:
    """Close posts past their date without a worker: at most once a minute per process.

    Only with the immediate job backend (the tests): elsewhere the worker's periodic
    ``archive_expired_posts`` job does it (directory/jobs/tasks.py).
    """
    global _last_archive_run
    if request.endpoint == "static" or not is_immediate():
        return
    now = time.monotonic()
    with _archive_lock:
        if _last_archive_run and now - _last_archive_run < ARCHIVE_INTERVAL:
            return
        _last_archive_run = now
    try:
        if posts.archive_expired():
            db.session.commit()
    except SQLAlchemyError:
        # Closing by date must never break the page someone asked for; the next run retries.
        db.session.rollback()
        current_app.logger.exception("Archiving expired posts failed")


@bp.after_request
def _no_store(response: WerkzeugResponse) -> WerkzeugResponse:
    """Management pages show unpublished records and applicants' messages: never cache them."""
    response.headers["Cache-Control"] = "no-store"
    return response


def reset_archive_clock() -> None:
    """Let the next request run the archiving again (tests use it)."""
    global _last_archive_run
    _last_archive_run = 0.0


# The owners' transfer and deletion views attach to bp from a module of their own; it uses
# the loaders above, so it is imported once they exist.
from . import ownership_routes  # noqa: E402,F401
