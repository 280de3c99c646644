"""An organisation's logo: its owners and editors upload, replace or remove it; the route
that serves it answers only where the organisation itself may be seen."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from .. import image_routes, permissions
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
    image_routes.allow_upload_body(endpoint, UPLOAD_ENDPOINTS)


def _back(org: Organization) -> Response:
    return redirect(url_for("orgs.edit", org_id=org.id) + "#logo")


@bp.post("/manage/organizations/<int:org_id>/logo")
@login_required
def upload_logo(org_id: int) -> Response:
    """Put a logo on the organisation (or replace it); an unfit file changes nothing."""
    org = org_for_editing(org_id)
    if not ActionForm().validate_on_submit():
        return _back(org)
    name = image_routes.stored_upload("logo", media.LOGOS, pad=True)
    if name is None:
        return _back(org)
    image_routes.attach(
        media.LOGOS, name, lambda: media.set_logo(org, name, actor=current_user, ip=client_ip())
    )
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
    public = permissions.can_view_org(None, org) and not current_user.is_authenticated
    return image_routes.serve(media.LOGOS, logo_name, public=public)


@bp.app_template_global("org_logo_url")
def org_logo_url(org: Organization | None, external: bool = False) -> str | None:
    """The URL of an organisation's logo, if it has one (the route checks who may see it)."""
    if org is None or not uploads.is_stored_name(org.logo_name):
        return None
    return url_for(SERVE_ENDPOINT, org_id=org.id, logo_name=org.logo_name, _external=external)
