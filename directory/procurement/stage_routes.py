"""Moving a challenge's stage with a note, and closing it with an outcome (editors only)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import permissions
from ..extensions import db
from ..forms_common import choices
from ..i18n import current_locale
from ..models import Challenge
from ..services.orgs import InvalidInput
from ..services.procurement import outcomes, stages
from ..services.procurement.common import is_listed
from ..services.procurement.people import find_organizations, find_people
from ..web import client_ip
from . import bp
from .common import Page, first_error, load_or_404, refuse_hidden
from .forms import OutcomeForm, StageForm


def _challenge_for_editing(challenge_id: int) -> Challenge:
    """A challenge the current user edits: 404 when hidden from them, else 403."""
    challenge = load_or_404(Challenge, challenge_id)
    if not permissions.can_edit_post(current_user, challenge):
        refuse_hidden(permissions.can_view_post(current_user, challenge))
    return challenge


def _not_public() -> tuple[str, int]:
    message = _("Only a published challenge has a stage history and an outcome.")
    return render_template("errors/error.html", code=409, title=message, message=message), 409


@bp.route("/manage/challenges/<int:challenge_id>/stage", methods=["GET", "POST"])
@login_required
def move_stage(challenge_id: int) -> Page:
    """Move a published challenge to another stage, with a note for its timeline."""
    challenge = _challenge_for_editing(challenge_id)
    if not is_listed(challenge):
        return _not_public()
    form = StageForm()
    if request.method == "GET":
        form.stage.data = challenge.stage
    if form.validate_on_submit():
        try:
            stages.move_stage(
                challenge, form.stage.data, form.note.data, actor=current_user, ip=client_ip()
            )
        except InvalidInput as exc:
            first_error(form, exc)
        else:
            db.session.commit()
            flash(_("The stage was changed and the timeline updated."), "success")
            return redirect(url_for("public.challenge", challenge_id=challenge.id,
                                    _anchor="timeline"))  # fmt: skip
    return render_template(
        "procurement/stage_form.html",
        form=form,
        post=challenge,
        timeline=stages.timeline(challenge),
    )


def _awardee_choices(challenge: Challenge, query: str, picked: list[str]) -> list[tuple[str, str]]:
    """Who may be named: those who proposed, those found by the search, those already named."""
    found = outcomes.proposer_candidates(challenge, current_user)
    exclude = {challenge.organization_id}
    found += [
        outcomes.Awardee("organization", o) for o in find_organizations(query, exclude=exclude)
    ]
    found += [outcomes.Awardee("profile", p) for p in find_people(query, current_user)]
    current = outcomes.outcome_of(challenge)
    if current is not None:
        found += outcomes.visible_awardees(current, current_user)
    pairs: dict[str, str] = {}
    for item in found:
        key = outcomes.awardee_key(item.record)
        if item.kind == "organization":
            pairs.setdefault(key, _("%(name)s (organisation)", name=item.record.name))
        else:
            pairs.setdefault(key, _("%(name)s (person)", name=item.record.full_name))
    for key in picked:  # ticked boxes survive a search; the service re-checks each one
        pairs.setdefault(key, key)
    return list(pairs.items())


@bp.route("/manage/challenges/<int:challenge_id>/outcome", methods=["GET", "POST"])
@login_required
def outcome(challenge_id: int) -> Page:
    """Close a challenge with its outcome (awarded, not awarded, cancelled), or correct it."""
    challenge = _challenge_for_editing(challenge_id)
    if not is_listed(challenge):
        return _not_public()
    current = outcomes.outcome_of(challenge)
    form = OutcomeForm()
    if request.method == "GET" and current is not None:
        form.kind.data = current.kind
        form.note.data = current.note
        form.story.data = str(current.story_id or "")
        form.awardees.data = [outcomes.row_key(row) for row in current.awardees]
    query = request.values.get("q", "")[:100].strip()
    picked = [str(v)[:40] for v in (form.awardees.data or [])][:50]
    form.awardees.choices = _awardee_choices(challenge, query, picked)
    locale = current_locale()
    form.story.choices = choices(
        [(str(s.id), s.title(locale)) for s in outcomes.published_stories(locale)],
        blank=_("No story"),
    )
    if request.method == "POST" and "search" not in request.form and form.validate_on_submit():
        try:
            outcomes.record_outcome(
                challenge,
                form.kind.data,
                form.note.data,
                picked,
                form.story.data,
                actor=current_user,
                ip=client_ip(),
            )
        except InvalidInput as exc:
            first_error(form, exc)
        else:
            db.session.commit()
            flash(_("The challenge is closed with its outcome."), "success")
            return redirect(url_for("public.challenge", challenge_id=challenge.id,
                                    _anchor="outcome"))  # fmt: skip
    return render_template(
        "procurement/outcome_form.html",
        form=form,
        post=challenge,
        current=current,
        query=query,
    )
