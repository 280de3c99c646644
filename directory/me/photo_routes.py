"""My profile photo: upload, replace or remove it; and the route that serves it to whoever
may see the profile (never for a private profile, except to its owner and curators)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from .. import image_routes, permissions
from ..extensions import db
from ..models import Profile, User
from ..services import media, uploads
from ..web import client_ip
from . import bp
from .forms import ActionForm

UPLOAD_ENDPOINTS = ("me.upload_photo",)
SERVE_ENDPOINT = "me.photo"


def _me() -> User:
    return current_user._get_current_object()


@bp.url_value_preprocessor
def _upload_size(endpoint: str | None, _values: dict[str, Any] | None) -> None:
    image_routes.allow_upload_body(endpoint, UPLOAD_ENDPOINTS)


def _back() -> Response:
    return redirect(url_for("me.edit_profile") + "#photo")


@bp.post("/me/profile/photo")
@login_required
def upload_photo() -> Response:
    """Put a photo on my profile (or replace it); an unfit file changes nothing."""
    mine = _me().profile
    if mine is None:
        flash(_("Create your profile first."), "info")
        return redirect(url_for("me.edit_profile"))
    if not ActionForm().validate_on_submit():
        return _back()
    name = image_routes.stored_upload("photo", media.PHOTOS)
    if name is None:
        return _back()
    image_routes.attach(
        media.PHOTOS, name, lambda: media.set_photo(mine, name, actor=_me(), ip=client_ip())
    )
    flash(_("Your photo was saved."), "success")
    return _back()


@bp.post("/me/profile/photo/remove")
@login_required
def remove_photo() -> Response:
    """Take my photo off my profile; its file is deleted."""
    mine = _me().profile
    if (
        mine is not None
        and ActionForm().validate_on_submit()
        and media.remove_photo(mine, actor=_me(), ip=client_ip())
    ):
        db.session.commit()
        flash(_("Your photo was removed."), "success")
    return _back()


@bp.get("/people/<int:profile_id>/photo/<photo_name>")
def photo(profile_id: int, photo_name: str) -> Response:
    """A profile's photo, to whoever may see the profile; 404 to everyone else."""
    profile = db.session.get(Profile, profile_id)
    if (
        profile is None
        or not profile.photo_name
        or photo_name != profile.photo_name
        or not permissions.can_view_profile(current_user, profile)
    ):
        abort(404)
    public = permissions.can_view_profile(None, profile) and not current_user.is_authenticated
    return image_routes.serve(media.PHOTOS, photo_name, public=public)


@bp.app_template_global("profile_photo_url")
def profile_photo_url(profile: Profile | None, external: bool = False) -> str | None:
    """The URL of a profile's photo, if it has one (the route checks who may see it)."""
    if profile is None or not uploads.is_stored_name(profile.photo_name):
        return None
    return url_for(
        SERVE_ENDPOINT, profile_id=profile.id, photo_name=profile.photo_name, _external=external
    )


@bp.app_template_global("media_limits")
def media_limits() -> dict[str, str]:
    """The upload limits the photo and logo forms write next to their field."""
    return media.limits_text()
