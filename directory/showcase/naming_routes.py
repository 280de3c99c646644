"""Stories that name me or my organisations: read one, then confirm or decline being named."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from .. import permissions
from ..extensions import db
from ..models.story_submissions import StoryNaming
from ..services.stories import StoryError, naming
from ..text import is_http_url
from ..web import client_ip
from . import bp
from .forms import AnswerForm


def _user() -> Any:
    return current_user._get_current_object()


def _naming_or_404(naming_id: int) -> StoryNaming:
    """A naming the viewer answers for, else 404 (no hint that the story exists)."""
    record = db.session.get(StoryNaming, naming_id)
    if record is None or not naming.can_view_naming(_user(), record):
        abort(404)
    return record


@bp.get("/me/stories/named")
@login_required
def namings() -> str:
    """Every story that names me or an organisation I edit, with my answer."""
    return render_template("showcase/namings.html", namings=naming.namings_for(_user()))


@bp.get("/me/stories/named/<int:naming_id>")
@login_required
def naming_page(naming_id: int) -> str:
    """The story as it would be published, with the buttons to confirm or decline."""
    record = _naming_or_404(naming_id)
    story = record.story
    return render_template(
        "showcase/naming.html",
        naming=record,
        story=story,
        party=naming.party_name(record),
        orgs=[org for org in story.organizations if permissions.can_view_org(_user(), org)],
        url=story.url if is_http_url(story.url or "") else "",
        form=AnswerForm(),
    )


def _answer(naming_id: int, accept: bool) -> Response:
    record = _naming_or_404(naming_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        changed = naming.decide(record, accept, actor=_user(), ip=client_ip())
    except StoryError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("showcase.naming_page", naming_id=naming_id))
    db.session.commit()
    if not changed:
        flash(_("Nothing changed: that was already your answer."), "info")
    elif accept:
        flash(_("Thank you: the name now appears on the story once it is published."), "success")
    else:
        flash(_("Done: the name does not appear on the story."), "success")
    return redirect(url_for("showcase.naming_page", naming_id=naming_id))


@bp.post("/me/stories/named/<int:naming_id>/confirm")
@login_required
def confirm_naming(naming_id: int) -> Response:
    """Agree to be named in the story."""
    return _answer(naming_id, True)


@bp.post("/me/stories/named/<int:naming_id>/decline")
@login_required
def decline_naming(naming_id: int) -> Response:
    """Refuse to be named (or take a name back): it no longer appears."""
    return _answer(naming_id, False)
