"""My profile: see it as others would, edit it, publish or hide it, re-confirm it."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..extensions import db
from ..i18n import current_locale
from ..models import Profile, User
from ..services import profiles
from ..services.skills import all_skills
from ..web import client_ip
from . import bp
from .forms import ActionForm, ProfileForm, PublishForm


def _me() -> User:
    return current_user._get_current_object()


def _my_profile_or_redirect() -> Profile | Response:
    """My profile, or a redirect to create one (a button on a stale page may get here)."""
    profile = _me().profile
    if profile is None:
        flash(_("Create your profile first."), "info")
        return redirect(url_for("me.edit_profile"))
    return profile


@bp.route("/me/profile")
@login_required
def profile() -> str:
    """My profile as others would see it, its visibility, freshness and what is missing."""
    mine = _me().profile
    return render_template(
        "me/profile.html",
        profile=mine,
        hints=profiles.completeness_hints(mine) if mine else [],
        completeness=profiles.completeness(mine) if mine else 0,
        needs_reconfirmation=bool(mine and profiles.needs_reconfirmation(mine)),
        areas=profiles.area_skills(mine) if mine else [],
        skills=profiles.other_skills(mine) if mine else [],
        # Offer the level it is not at yet: "public" when private or members-only.
        publish_form=PublishForm(
            visibility="members" if mine and mine.visibility == "public" else "public"
        ),
        action_form=ActionForm(),
    )


@bp.route("/me/profile/edit", methods=["GET", "POST"])
@login_required
def edit_profile() -> str | Response:
    """Create or edit my profile; a new one starts private."""
    user = _me()
    mine = user.profile
    saved_date = mine.available_from if mine else None
    # Saved values fill the form on GET only; a POST is judged on what was sent.
    initial = None if request.method == "POST" else profiles.form_data(mine, current_locale())
    form = ProfileForm(data=initial, saved_available_from=saved_date)
    if form.validate_on_submit():
        try:
            profiles.save_profile(user, form.to_input(), ip=client_ip())
        except profiles.ProfileError as exc:
            db.session.rollback()
            getattr(form, exc.field).errors.append(str(exc.message))
        else:
            db.session.commit()
            if mine is None:
                flash(_("Your profile was created. It is private until you publish it."), "success")
            else:
                flash(_("Your profile was saved."), "success")
            return redirect(url_for("me.profile"))
    return render_template("me/edit_profile.html", form=form, profile=mine, skills=all_skills())


@bp.route("/me/profile/publish", methods=["POST"])
@login_required
def publish_profile() -> Response:
    """Show my profile to members or to everyone."""
    mine = _my_profile_or_redirect()
    if isinstance(mine, Response):
        return mine
    form = PublishForm()
    if not form.validate_on_submit():
        flash(_("Choose who may see your profile."), "error")
        return redirect(url_for("me.profile"))
    profiles.publish_profile(mine, form.visibility.data or "", actor=_me(), ip=client_ip())
    db.session.commit()
    if mine.visibility == "public":
        flash(_("Your profile is now public."), "success")
    else:
        flash(_("Your profile is now visible to members of the directory."), "success")
    return redirect(url_for("me.profile"))


@bp.route("/me/profile/unpublish", methods=["POST"])
@login_required
def unpublish_profile() -> Response:
    """Make my profile private again."""
    mine = _my_profile_or_redirect()
    if isinstance(mine, Response):
        return mine
    if ActionForm().validate_on_submit():
        profiles.unpublish_profile(mine, actor=_me(), ip=client_ip())
        db.session.commit()
        flash(_("Your profile is private again: only you can see it."), "success")
    return redirect(url_for("me.profile"))


@bp.route("/me/profile/confirm", methods=["POST"])
@login_required
def confirm_profile() -> Response:
    """Say that my published profile is still current."""
    mine = _my_profile_or_redirect()
    if isinstance(mine, Response):
        return mine
    if ActionForm().validate_on_submit():
        profiles.confirm_profile(mine, actor=_me(), ip=client_ip())
        db.session.commit()
        flash(_("Thank you: your profile is confirmed as current."), "success")
    return redirect(url_for("me.profile"))
