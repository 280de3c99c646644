"""Curation views: the moderation queue (publish, reject, bulk) and reported profiles.

Claims and reports have their own queues in moderation_claims.py. Every view follows the
same pipeline: load → service decides (or refuses with a message, changing nothing) →
notify the people concerned → commit → redirect back to the queue with a flash.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from ..extensions import db
from ..i18n import current_locale
from ..models import Profile
from ..services import moderation, moderation_queue
from ..services import moderation_notify as notify
from ..services.moderation import ModerationError
from ..web import client_ip
from . import bp, moderation_claims, nav_item

__all__ = ["moderation_claims"]  # its routes attach to bp when this module is imported

nav_item(10, "curation.queue", _l("Moderation queue"))

KIND_LABELS = {
    "organization": _l("Organisations"),
    "opening": _l("Openings"),
    "challenge": _l("Challenges"),
    "story": _l("Success stories"),
    "profile": _l("Reported profiles"),
}
# One record's kind, for the queue's rows (the filters above name groups).
KIND_SINGULAR = {
    "organization": _l("Organisation"),
    "opening": _l("Opening"),
    "challenge": _l("Challenge"),
    "story": _l("Success story"),
    "profile": _l("Profile"),
}


def actor() -> Any:
    """The curator acting, as a model instance the services can store."""
    return current_user._get_current_object()


def kind_filter(value: str | None, allowed: Any = moderation.QUEUE_KINDS) -> str | None:
    """A kind from the query string or a form, or None when it is not one we know."""
    return value if value in allowed else None


def _back() -> Response:
    return redirect(url_for("curation.queue", kind=kind_filter(request.form.get("kind_filter"))))


def _title(kind: str, record: Any) -> str:
    return moderation.title_of(kind, record, current_locale())


Outcome = tuple[list[moderation.Decision], str]


def _decide(work: Callable[[], Outcome]) -> Response:
    """Run a decision; on refusal roll back and say why, else notify, commit and confirm."""
    try:
        decisions, done = work()
    except ModerationError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _back()
    notify.notify_decisions(decisions)  # part of the decisions' transaction
    db.session.commit()
    flash(done, "success")
    return _back()


@bp.get("/queue")
def queue() -> str:
    """Everything waiting for a decision, oldest first, filterable by kind."""
    kind = kind_filter(request.args.get("kind"))
    page = request.args.get("page", 1, type=int)
    return render_template(
        "curation/moderation_queue.html",
        queue=moderation_queue.pending_queue(kind, page),
        kind=kind,
        kinds=KIND_LABELS,
        kind_names=KIND_SINGULAR,
        title_of=_title,
    )


@bp.post("/queue/<kind>/<int:record_id>/publish")
def publish(kind: str, record_id: int) -> Response:
    """Publish one pending record."""

    def work() -> Outcome:
        record = moderation.load(kind, record_id)
        decision = moderation.publish(kind, record, actor=actor(), ip=client_ip())
        return [decision], _("“%(title)s” is published.", title=_title(kind, record))

    return _decide(work)


@bp.post("/queue/<kind>/<int:record_id>/reject")
def reject(kind: str, record_id: int) -> Response:
    """Reject one pending record with a reason its submitter will read."""

    def work() -> Outcome:
        record = moderation.load(kind, record_id)
        reason = request.form.get("reason")
        decision = moderation.reject(kind, record, reason, actor=actor(), ip=client_ip())
        title = _title(kind, record)
        return [decision], _("“%(title)s” was rejected; the submitter was told why.", title=title)

    return _decide(work)


@bp.post("/queue/bulk")
def bulk() -> Response:
    """Publish or reject every selected record (one reason for all rejections)."""
    try:
        result = moderation.bulk_decide(
            request.form.get("action", ""),
            request.form.getlist("ids"),
            request.form.get("reason"),
            actor=actor(),
            ip=client_ip(),
        )
    except ModerationError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _back()
    notify.notify_decisions(result.decisions)
    db.session.commit()
    if result.decisions:
        count = len(result.decisions)
        flash(ngettext("%(num)d record decided.", "%(num)d records decided.", count), "success")
    for title, message in result.refused:
        flash(_("“%(title)s” was not changed: %(why)s", title=title, why=message), "error")
    return _back()


@bp.post("/queue/profile/<int:profile_id>/hide")
def hide_profile(profile_id: int) -> Response:
    """Make a reported profile private; its owner is told why."""

    def work() -> Outcome:
        profile = moderation.load(moderation.PROFILE, profile_id)
        reason = request.form.get("reason")
        decision = moderation.hide_profile(profile, reason, actor=actor(), ip=client_ip())
        return [decision], _("The profile is hidden; its owner was told why.")

    return _decide(work)


@bp.post("/queue/profile/<int:profile_id>/dismiss")
def dismiss_profile_reports(profile_id: int) -> Response:
    """Dismiss the open reports on a profile, which stays as it is."""

    def work() -> Outcome:
        profile: Profile = moderation.load(moderation.PROFILE, profile_id)
        resolution = request.form.get("reason")
        moderation.dismiss_profile_reports(profile, resolution, actor=actor(), ip=client_ip())
        return [], _("The reports were dismissed; the profile stays as it is.")

    return _decide(work)
