"""Curation views: the chamber's curators, granting and revoking the role."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import User
from ..services import curators as curator_service
from ..web import client_ip
from . import bp, nav_item
from .trust import load_or_404
from .trust_forms import ButtonForm, GrantCuratorForm

nav_item(23, "curation.curators", _l("Curators"))


def _page(form: GrantCuratorForm) -> str:
    people = curator_service.curators()
    return render_template(
        "curation/trust_curators.html",
        curators=people,
        granted=curator_service.granted_on(people),
        active_count=sum(1 for user in people if user.active),
        grant_form=form,
        form=ButtonForm(),
    )


@bp.get("/curators")
def curators() -> str:
    """Every curator, with a form to add one."""
    return _page(GrantCuratorForm())


@bp.post("/curators")
def grant_curator() -> str | Response:
    """Give the curator role to an existing account, found by email."""
    form = GrantCuratorForm()
    if form.validate_on_submit():
        try:
            user = curator_service.grant(form.email.data or "", actor=current_user, ip=client_ip())
        except curator_service.CuratorError as exc:
            db.session.rollback()
            form.email.errors = [*form.email.errors, exc.message]
        else:
            db.session.commit()
            flash(_("%(email)s is now a curator.", email=user.email), "success")
            return redirect(url_for("curation.curators"))
    return _page(form)


@bp.post("/curators/<int:user_id>/revoke")
def revoke_curator(user_id: int) -> Response:
    """Take the curator role back; never from the last active curator."""
    user = load_or_404(User, user_id)
    if not ButtonForm().validate_on_submit():
        flash(_("The form expired. Please send it again."), "error")
        return redirect(url_for("curation.curators"))
    own = user.id == current_user.id
    try:
        curator_service.revoke(user, actor=current_user, ip=client_ip())
    except curator_service.CuratorError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return redirect(url_for("curation.curators"))
    db.session.commit()
    if own:
        # The curation pages are closed to this account from now on.
        flash(_("You are no longer a curator."), "success")
        return redirect(url_for("public.index"))
    flash(_("%(email)s is no longer a curator.", email=user.email), "success")
    return redirect(url_for("curation.curators"))
