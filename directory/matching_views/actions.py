"""What a person does with a match: save it, say "not interested" (and undo), and — for a
challenge's organisation — invite a suggested solver to propose.

Each is one POST rule whose form names the match, so the URL map stays small and every
rule is reached by the CSRF and fuzz tests; marks are always the logged-in person's own.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from .. import permissions
from ..extensions import db
from ..matching import visibility
from ..models import Challenge, Organization, Profile
from ..services import engagement, match_feedback
from . import access, bp
from .filters import parse

ACTIONS = {
    "save": ("saved", True),
    "unsave": ("saved", False),
    "hide": ("hidden", True),
    "unhide": ("hidden", False),
}


class ActionForm(FlaskForm):
    """A POST button; its other fields are read and checked by the view."""


def _back(extra: dict[str, Any] | None = None) -> str:
    """My matches with the filters the form came from (rebuilt, never a raw URL)."""
    raw = request.form.get("back", "")[:500]
    filters, _error = parse(MultiDict(parse_qsl(raw)))
    return url_for("matches.mine", **filters.args(), **(extra or {}))


@bp.post("/me/matches/feedback")
@login_required
def feedback() -> Response:
    """Save or unsave a match, hide it ("not interested") or show it again."""
    if not ActionForm().validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    kind = request.form.get("kind", "")
    action = ACTIONS.get(request.form.get("action", ""))
    record_id = access.parse_id(request.form.get("record_id", ""))
    if kind not in match_feedback.FEEDBACK_KINDS or action is None or record_id is None:
        flash(_("That match could not be found."), "error")
        return redirect(_back())
    flag, value = action
    if value and not visibility.load_shown([(kind, record_id)], user, with_skills=False):
        # Only what the person may be offered can be marked (nobody learns a hidden id).
        flash(_("That match could not be found."), "error")
        return redirect(_back())
    match_feedback.mark(user, kind, record_id, flag, value)
    db.session.commit()
    if flag == "hidden" and value:
        return redirect(_back({"hid": f"{kind}-{record_id}"}))
    messages = {
        ("saved", True): _("Saved. You will find it under “Saved”."),
        ("saved", False): _("Removed from your saved matches."),
        ("hidden", False): _("It is back in your recommendations."),
    }
    flash(messages[(flag, value)], "success")
    return redirect(_back())


def _invitee(kind: str, invitee_id: int | None, viewer: Any) -> Organization | Profile | None:
    """A solver the viewer may be shown as a match (published, consenting), or None."""
    if invitee_id is None or kind not in ("organization", "profile"):
        return None
    shown = visibility.load_shown([(kind, invitee_id)], viewer, with_skills=False)
    return shown.get((kind, invitee_id))


@bp.post("/manage/challenges/<int:challenge_id>/invite")
@login_required
def invite(challenge_id: int) -> Response:
    """Invite a suggested organisation or person to propose, once (the challenge's editors)."""
    user = current_user._get_current_object()
    challenge = db.session.get(Challenge, challenge_id)
    if challenge is None or not permissions.can_view_post(user, challenge):
        abort(404)
    if not permissions.can_edit_post(user, challenge):
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    back = url_for("matches.challenge_solvers", challenge_id=challenge.id)
    kind = request.form.get("invitee_kind", "")
    invitee = _invitee(kind, access.parse_id(request.form.get("invitee_id", "")), user)
    if invitee is None or (kind == "organization" and invitee.id == challenge.organization_id):
        flash(_("That suggestion could not be found."), "error")
        return redirect(back)
    if not engagement.is_open(challenge):
        flash(_("This challenge does not take proposals now, so nobody can be invited."), "error")
        return redirect(back)
    link = url_for("public.propose", challenge_id=challenge.id)
    if match_feedback.invite(challenge, invitee, actor=user, link=link):
        db.session.commit()
        flash(_("Invitation sent. They will find it among their notifications."), "success")
    else:
        flash(_("They were already invited to propose for this challenge."), "info")
    return redirect(back)
