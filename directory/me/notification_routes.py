"""My notifications (/me/notifications): the list, marking read, and which channel each
kind of event uses (/me/notifications/settings); plus the bell's unread count in the header.

Every change is a POST with a CSRF token. Someone else's notification is a 404, never a
403: whether it exists is not theirs to learn. Pages carry ``Cache-Control: no-store``
like every page of this blueprint (routes.py).
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response
from wtforms import RadioField

from ..extensions import db
from ..forms_common import choices
from ..models import User
from ..services import notifications
from ..services.paging import page_number
from . import bp
from .forms import ActionForm


def _me() -> User:
    return current_user._get_current_object()


def _unread() -> int | None:
    """The bell's count for the logged-in person; None when it cannot be read right now."""
    if not current_user.is_authenticated:
        return 0
    try:
        return notifications.unread_count(_me())
    except SQLAlchemyError:  # an error page after a failed transaction still renders
        current_app.logger.warning("Could not count unread notifications", exc_info=True)
        return None


@bp.app_context_processor
def _bell() -> dict[str, Any]:
    """Templates call unread_notifications() in the header: only pages that show it query."""
    return {"unread_notifications": _unread}


def settings_form(current: dict[str, str]) -> FlaskForm:
    """One choice of channel per kind, each offering only the channels the kind allows."""

    class NotificationSettingsForm(FlaskForm):
        pass

    for code, spec in notifications.KINDS.items():
        field = RadioField(
            spec.label,
            choices=choices([(c, notifications.CHANNEL_LABELS[c]) for c in spec.channels]),
            default=current[code],
            description=spec.help or "",
        )
        setattr(NotificationSettingsForm, code, field)
    return NotificationSettingsForm()


def _back(page: Any) -> Response:
    return redirect(url_for("me.notifications", page=page_number(page)))


# Endpoint "me.notifications"; the function has another name so it does not shadow the
# service package.
@bp.route("/me/notifications", endpoint="notifications")
@login_required
def notifications_page() -> str:
    """My notifications, newest first, 20 a page; unread ones marked."""
    user = _me()
    page = notifications.page_of(user, page_number(request.args.get("page")))
    return render_template(
        "me/notifications.html",
        page=page,
        items=[notifications.present(row, user) for row in page.items],
        unread=notifications.unread_count(user),
        action_form=ActionForm(),
    )


@bp.post("/me/notifications/<int:notification_id>/read")
@login_required
def mark_notification_read(notification_id: int) -> Response:
    """Mark one of my notifications read."""
    user = _me()
    if not notifications.mark_read(user, notification_id):
        abort(404)  # someone else's, or none: its existence is not theirs to learn
    if not ActionForm().validate_on_submit():
        abort(400)
    db.session.commit()
    return _back(request.form.get("page"))


@bp.post("/me/notifications/read-all")
@login_required
def mark_all_notifications_read() -> Response:
    """Mark every notification of mine read."""
    if not ActionForm().validate_on_submit():
        abort(400)
    notifications.mark_all_read(_me())
    db.session.commit()
    flash(_("All your notifications are marked as read."), "success")
    return _back(request.form.get("page"))


@bp.route("/me/notifications/settings", methods=["GET", "POST"])
@login_required
def notification_settings() -> str | Response:
    """Per kind of event: in the app, by email, both, or not at all."""
    user = _me()
    form = settings_form(notifications.preferences(user))
    if form.validate_on_submit():
        notifications.set_preferences(user, {code: form[code].data for code in notifications.KINDS})
        db.session.commit()
        flash(_("Your notification settings are saved."), "success")
        return redirect(url_for("me.notification_settings"))
    return render_template(
        "me/notifications_settings.html",
        form=form,
        kinds=notifications.KINDS,
    )
