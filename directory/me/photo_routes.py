"""My profile photo: upload, replace or remove it; and the route that serves it to whoever
may see the profile (never for a private profile, except to its owner and curators)."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from .. import permissions
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
    """The photo upload accepts a larger body (still bounded, SECURITY row 22); it runs
    before any before_request hook, so the CSRF check that reads the form sees it."""
    if endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = int(current_app.config["UPLOAD_REQUEST_MAX_BYTES"])


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
    sent = request.files.get("photo")
    if not isinstance(sent, FileStorage) or not sent.filename:
        flash(_("Choose an image to upload."), "error")
        return _back()
    try:
        name = media.save_square(sent.stream, media.PHOTOS)
    except uploads.UploadError as exc:
        flash(exc.message, "error")
        return _back()
    try:
        media.set_photo(mine, name, actor=_me(), ip=client_ip())
        db.session.commit()
    except Exception:
        db.session.rollback()
        uploads.delete(media.PHOTOS, name)  # nothing points at it
        raise
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
    # Shared caches may keep only what anyone may see, and must ask again each time: a
    # person who hides their profile hides their photo at once.
    public = permissions.can_view_profile(None, profile) and not current_user.is_authenticated
    response = uploads.image_response(media.PHOTOS, photo_name, public=public)
    if response is None:
        abort(404)
    g.photo_cache_control = "public, no-cache" if public else "private, no-store"
    return response


@bp.after_app_request
def _photo_cache_control(response: Response) -> Response:
    """Give the photo the Cache-Control its route decided.

    The me blueprint and security_headers mark every response here no-store; a public photo
    seen by an anonymous visitor may be kept (and revalidated). An app-wide hook added by a
    blueprint runs after those (tests/test_photos_logos.py checks the headers).
    """
    control = g.get("photo_cache_control")
    if control and request.endpoint == SERVE_ENDPOINT:
        response.headers["Cache-Control"] = control
    return response


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
