"""An organisation's logo: its owners and editors upload, replace or remove it; the route
that serves it answers only where the organisation itself may be seen."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from .. import permissions
from ..extensions import db
from ..models import Organization
from ..services import media, uploads
from ..web import client_ip
from . import bp
from .forms import ActionForm
from .routes import org_for_editing

UPLOAD_ENDPOINTS = ("orgs.upload_logo",)
SERVE_ENDPOINT = "orgs.logo"


@bp.url_value_preprocessor
def _upload_size(endpoint: str | None, _values: dict[str, Any] | None) -> None:
    """The logo upload accepts a larger body (still bounded, SECURITY row 22); it runs
    before any before_request hook, so the CSRF check that reads the form sees it."""
    if endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = int(current_app.config["UPLOAD_REQUEST_MAX_BYTES"])


def _back(org: Organization) -> Response:
    return redirect(url_for("orgs.edit", org_id=org.id) + "#logo")


@bp.post("/manage/organizations/<int:org_id>/logo")
@login_required
def upload_logo(org_id: int) -> Response:
    """Put a logo on the organisation (or replace it); an unfit file changes nothing."""
    org = org_for_editing(org_id)
    if not ActionForm().validate_on_submit():
        return _back(org)
    sent = request.files.get("logo")
    if not isinstance(sent, FileStorage) or not sent.filename:
        flash(_("Choose an image to upload."), "error")
        return _back(org)
    try:
        name = media.save_square(sent.stream, media.LOGOS, pad=True)
    except uploads.UploadError as exc:
        flash(exc.message, "error")
        return _back(org)
    try:
        media.set_logo(org, name, actor=current_user, ip=client_ip())
        db.session.commit()
    except Exception:
        db.session.rollback()
        uploads.delete(media.LOGOS, name)  # nothing points at it
        raise
    flash(_("The logo was saved."), "success")
    return _back(org)


@bp.post("/manage/organizations/<int:org_id>/logo/remove")
@login_required
def remove_logo(org_id: int) -> Response:
    """Take the logo off the organisation; its file is deleted."""
    org = org_for_editing(org_id)
    if ActionForm().validate_on_submit() and media.remove_logo(
        org, actor=current_user, ip=client_ip()
    ):
        db.session.commit()
        flash(_("The logo was removed."), "success")
    return _back(org)


@bp.get("/organizations/<int:org_id>/logo/<logo_name>")
def logo(org_id: int, logo_name: str) -> Response:
    """An organisation's logo, where the organisation may be seen; 404 elsewhere."""
    org = db.session.get(Organization, org_id)
    if (
        org is None
        or not org.logo_name
        or logo_name != org.logo_name
        or not permissions.can_view_org(current_user, org)
    ):
        abort(404)
    # Shared caches keep only what anyone may see, and ask again each time: a logo goes
    # with its organisation when a curator withdraws it.
    public = permissions.can_view_org(None, org) and not current_user.is_authenticated
    response = uploads.image_response(media.LOGOS, logo_name, public=public)
    if response is None:
        abort(404)
    g.logo_cache_control = "public, no-cache" if public else "private, no-store"
    return response


@bp.after_app_request
def _logo_cache_control(response: Response) -> Response:
    """Give the logo the Cache-Control its route decided.

    The orgs blueprint and security_headers mark every response here no-store; a published
    organisation's logo seen by an anonymous visitor may be kept (and revalidated). An
    app-wide hook added by a blueprint runs after those (tests/test_photos_logos.py checks).
    """
    control = g.get("logo_cache_control")
    if control and request.endpoint == SERVE_ENDPOINT:
        response.headers["Cache-Control"] = control
    return response


@bp.app_template_global("org_logo_url")
def org_logo_url(org: Organization | None, external: bool = False) -> str | None:
    """The URL of an organisation's logo, if it has one (the route checks who may see it)."""
    if org is None or not uploads.is_stored_name(org.logo_name):
        return None
    return url_for(SERVE_ENDPOINT, org_id=org.id, logo_name=org.logo_name, _external=external)
