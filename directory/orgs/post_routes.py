"""Openings and challenges: post, edit and close them (all under /manage/...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ..extensions import db
from ..forms_common import choices
from ..i18n import current_locale
from ..models import Challenge, Opening, Organization, Status
from ..services import posts, revisions
from ..services.orgs import InvalidInput
from ..services.procurement import settings as procurement
from ..services.procurement import stages, units
from ..web import client_ip
from . import bp
from .forms import ActionForm
from .post_forms import ChallengeForm, OpeningForm
from .routes import (
    edit_message,
    org_for_editing,
    post_for_editing,
    refuse,
    show_error,
    skills_text,
    vocabulary,
)

Page = str | Response | tuple[str, int]


def _data(form: FlaskForm, fields: tuple[str, ...]) -> dict[str, Any]:
    # Free-text skills come from the skills field, not a field of their own.
    return {name: form[name].data for name in (*fields, "skills") if name in form}


def _initial(post: Opening | Challenge, fields: tuple[str, ...]) -> dict[str, Any]:
    return {
        **{name: getattr(post, name) for name in fields if name != "free_skills"},
        "min_degree": getattr(post, "min_degree", None) or "",  # the select's blank choice
        "skills": skills_text(post, current_locale()),
    }


def _form_page(form: FlaskForm, kind: str, org: Any, post: Any = None) -> str:
    return render_template(
        "orgs/post_form.html", form=form, kind=kind, org=org, post=post, vocabulary=vocabulary()
    )


def _save(
    form: FlaskForm,
    save: Callable[[dict[str, Any]], Any],
    fields: tuple[str, ...],
    done: Callable[[Any], str],
    org_id: int,
    after: Callable[[], str | None] | None = None,
) -> Response | None:
    """The shared pipeline: valid form → service → commit → flash → back to the dashboard.

    Returns None when the form must be shown again (not sent, invalid, or refused).
    `done` gives the success message from the service's result, translated only once the
    save succeeded; `after`, when it gives a URL, is where to go instead of the dashboard.
    """
    if not form.validate_on_submit():
        return None
    try:
        result = save(_data(form, fields))
    except InvalidInput as exc:
        show_error(form, exc)
        return None
    db.session.commit()
    flash(done(result), "success")
    target = after() if after is not None else None
    return redirect(target or url_for("orgs.manage", org_id=org_id))


def _prepare_challenge_form(form: FlaskForm, org: Organization, post: Any = None) -> None:
    """The unit choices of the organisation (no field without units), and a pointer from
    a published challenge's stage to the move with a note (procurement.move_stage)."""
    org_units = units.units_of(org) if units.may_have_units(org) else []
    if org_units:
        form.unit.choices = choices([(str(u.id), u.name) for u in org_units],
                                    blank=_("The organisation itself"))  # fmt: skip
    else:
        del form.unit
    if post is not None and post.status in (Status.PUBLISHED, Status.ARCHIVED):
        form.stage.description = _(
            "To tell why the stage changed, move it from the challenge's page with a note."
        )


def _settings_data(form: FlaskForm) -> dict[str, Any]:
    return {
        "unit": form.unit.data if "unit" in form else None,
        "clarification_deadline": form.clarification_deadline.data,
        "decides_about_people": form.decides_about_people.data,
        "closes_on": form.closes_on.data,
    }


def _after_challenge(challenge: Challenge) -> str | None:
    """A challenge that decides about people goes on to its risk self-assessment."""
    if challenge.decides_about_people and "proposals.risk_assessment" in current_app.view_functions:
        return url_for("proposals.risk_assessment", challenge_id=challenge.id)
    return None


def _edit_form(
    form_class: type[FlaskForm], post: Opening | Challenge, fields: tuple[str, ...]
) -> Any:
    """The edit form, filled with the edit that waits for review when there is one."""
    pending = revisions.initial_form_data(post, current_locale())
    data = pending if pending is not None else _initial(post, fields)
    if isinstance(post, Challenge):
        # Held edits carry only the post's own fields; the procurement ones are live.
        data = {**data, **procurement.initial(post)}
    return form_class(data=data)


def _edit_page(form: FlaskForm, kind: str, post: Opening | Challenge) -> str:
    return render_template(
        "orgs/post_form.html",
        form=form,
        kind=kind,
        org=post.organization,
        post=post,
        vocabulary=vocabulary(),
        pending=revisions.pending_revision(post),
        review_needed=revisions.needs_review(post, current_user),
    )


def _challenge_refusal() -> tuple[str, int]:
    return refuse(_("Only government agencies and companies can post challenges."))


def _closed_refusal() -> tuple[str, int]:
    return refuse(_("This post is closed and can no longer be edited."))


@bp.route("/manage/organizations/<int:org_id>/openings/new", methods=["GET", "POST"])
@login_required
def new_opening(org_id: int) -> Page:
    """Post an opening; it waits for a curator's review."""
    org = org_for_editing(org_id)
    form = OpeningForm()
    saved = _save(
        form,
        lambda data: posts.create_opening(org, data, actor=current_user, ip=client_ip()),
        posts.OPENING_FIELDS,
        lambda _opening: _(
            "The opening was saved. A curator will review it before it is published."
        ),
        org.id,
    )
    if saved is not None:
        return saved
    return _form_page(form, "opening", org)


@bp.route("/manage/openings/<int:opening_id>/edit", methods=["GET", "POST"])
@login_required
def edit_opening(opening_id: int) -> Page:
    """Edit an opening; text edits of a published one may wait for review (revisions)."""
    opening = post_for_editing(Opening, opening_id)
    if opening.status == Status.ARCHIVED:
        return _closed_refusal()
    form = _edit_form(OpeningForm, opening, posts.OPENING_FIELDS)
    saved = _save(
        form,
        lambda data: revisions.submit_edit(opening, data, actor=current_user, ip=client_ip()),
        posts.OPENING_FIELDS,
        edit_message,
        opening.organization_id,
    )
    if saved is not None:
        return saved
    return _edit_page(form, "opening", opening)


def _confirm_close(post: Opening | Challenge, kind: str) -> Page:
    """The confirmation page a Close link opens (no script needed); its button POSTs."""
    if post.status == Status.ARCHIVED:
        return _closed_refusal()
    return render_template("orgs/close_post.html", post=post, kind=kind, form=ActionForm())


@bp.route("/manage/openings/<int:opening_id>/close", methods=["GET", "POST"])
@login_required
def close_opening(opening_id: int) -> Page:
    """Ask to confirm (GET), then close an opening now (POST)."""
    opening = post_for_editing(Opening, opening_id)
    if request.method == "GET":
        return _confirm_close(opening, "opening")
    if ActionForm().validate_on_submit() and posts.close_post(
        opening, actor=current_user, ip=client_ip()
    ):
        db.session.commit()
        flash(_("The opening was closed."), "success")
    return redirect(url_for("orgs.manage", org_id=opening.organization_id))


@bp.route("/manage/organizations/<int:org_id>/challenges/new", methods=["GET", "POST"])
@login_required
def new_challenge(org_id: int) -> Page:
    """Post a challenge (agencies and companies only); it waits for review."""
    org = org_for_editing(org_id)
    if not posts.may_post_challenges(org):
        return _challenge_refusal()
    form = ChallengeForm()
    _prepare_challenge_form(form, org)
    created: list[Challenge] = []

    def save(data: dict[str, Any]) -> Challenge:
        values = procurement.clean(org, _settings_data(form))
        challenge = posts.create_challenge(org, data, actor=current_user, ip=client_ip())
        procurement.apply(challenge, values, actor=current_user, ip=client_ip())
        created.append(challenge)
        return challenge

    saved = _save(
        form,
        save,
        posts.CHALLENGE_FIELDS,
        lambda _challenge: _(
            "The challenge was saved. A curator will review it before it is published."
        ),
        org.id,
        after=lambda: _after_challenge(created[0]),
    )
    if saved is not None:
        return saved
    return _form_page(form, "challenge", org)


@bp.route("/manage/challenges/<int:challenge_id>/edit", methods=["GET", "POST"])
@login_required
def edit_challenge(challenge_id: int) -> Page:
    """Edit a challenge; text edits of a published one may wait for review (revisions)."""
    challenge = post_for_editing(Challenge, challenge_id)
    if challenge.status == Status.ARCHIVED:
        return _closed_refusal()
    form = _edit_form(ChallengeForm, challenge, posts.CHALLENGE_FIELDS)
    _prepare_challenge_form(form, challenge.organization, challenge)

    def save(data: dict[str, Any]) -> Any:
        values = procurement.clean(challenge.organization, _settings_data(form), challenge)
        stage_before = challenge.stage
        outcome = revisions.submit_edit(challenge, data, actor=current_user, ip=client_ip())
        procurement.apply(challenge, values, actor=current_user, ip=client_ip())
        # A stage changed in the form still joins the timeline (without a note).
        stages.record_edit(challenge, stage_before, actor=current_user, ip=client_ip())
        return outcome

    saved = _save(
        form,
        save,
        posts.CHALLENGE_FIELDS,
        edit_message,
        challenge.organization_id,
        after=lambda: _after_challenge(challenge),
    )
    if saved is not None:
        return saved
    return _edit_page(form, "challenge", challenge)


@bp.route("/manage/challenges/<int:challenge_id>/close", methods=["GET", "POST"])
@login_required
def close_challenge(challenge_id: int) -> Page:
    """Ask to confirm (GET), then close a challenge now (POST)."""
    challenge = post_for_editing(Challenge, challenge_id)
    if request.method == "GET":
        return _confirm_close(challenge, "challenge")
    if ActionForm().validate_on_submit() and posts.close_post(
        challenge, actor=current_user, ip=client_ip()
    ):
        db.session.commit()
        flash(_("The challenge was closed."), "success")
    return redirect(url_for("orgs.manage", org_id=challenge.organization_id))
