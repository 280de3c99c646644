"""Openings and challenges: post, edit and close them (all under /manage/...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ..extensions import db
from ..i18n import current_locale
from ..models import Challenge, Opening, Status
from ..services import posts, revisions
from ..services.orgs import InvalidInput
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
) -> Response | None:
    """The shared pipeline: valid form → service → commit → flash → back to the dashboard.

    Returns None when the form must be shown again (not sent, invalid, or refused).
    `done` gives the success message from the service's result, translated only once the
    save succeeded.
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
    return redirect(url_for("orgs.manage", org_id=org_id))


def _edit_form(
    form_class: type[FlaskForm], post: Opening | Challenge, fields: tuple[str, ...]
) -> Any:
    """The edit form, filled with the edit that waits for review when there is one."""
    pending = revisions.initial_form_data(post, current_locale())
    return form_class(data=pending if pending is not None else _initial(post, fields))


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


@bp.route("/manage/openings/<int:opening_id>/close", methods=["POST"])
@login_required
def close_opening(opening_id: int) -> Response:
    """Close an opening now."""
    opening = post_for_editing(Opening, opening_id)
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
    saved = _save(
        form,
        lambda data: posts.create_challenge(org, data, actor=current_user, ip=client_ip()),
        posts.CHALLENGE_FIELDS,
        lambda _challenge: _(
            "The challenge was saved. A curator will review it before it is published."
        ),
        org.id,
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
    saved = _save(
        form,
        lambda data: revisions.submit_edit(challenge, data, actor=current_user, ip=client_ip()),
        posts.CHALLENGE_FIELDS,
        edit_message,
        challenge.organization_id,
    )
    if saved is not None:
        return saved
    return _edit_page(form, "challenge", challenge)


@bp.route("/manage/challenges/<int:challenge_id>/close", methods=["POST"])
@login_required
def close_challenge(challenge_id: int) -> Response:
    """Close a challenge now."""
    challenge = post_for_editing(Challenge, challenge_id)
    if ActionForm().validate_on_submit() and posts.close_post(
        challenge, actor=current_user, ip=client_ip()
    ):
        db.session.commit()
        flash(_("The challenge was closed."), "success")
    return redirect(url_for("orgs.manage", org_id=challenge.organization_id))
