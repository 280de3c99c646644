"""Curation views: records nobody confirmed for a year, and asking their owners."""

from __future__ import annotations

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Organization, Profile
from ..services import reconfirmation
from ..services.paging import page_number
from ..web import client_ip
from . import bp, nav_item
from .tables import ticked_ids
from .trust import back_to
from .trust_forms import ButtonForm

nav_item(21, "curation.reconfirmation", _l("Re-confirmation"))


def _link(kind: str, record: Organization | Profile) -> str:
    """Where an owner confirms: the organisation's manage page, or my profile."""
    if kind == "organization":
        return url_for("orgs.manage", org_id=record.id, _external=True)
    return url_for("me.profile", _external=True)


@bp.get("/reconfirmation", endpoint="reconfirmation")
def reconfirmation_list() -> str:
    """Published organisations or profiles not confirmed for 12 months, oldest first."""
    kind = request.args.get("kind", "organization")
    if kind not in reconfirmation.KINDS:
        kind = "organization"
    page = reconfirmation.due_page(kind, page_number(request.args.get("page")))
    owners = reconfirmation.owners_of(r.id for r in page.items) if kind == "organization" else {}
    return render_template(
        "curation/trust_reconfirmation.html",
        kind=kind,
        page=page,
        counts={k: reconfirmation.due_count(k) for k in reconfirmation.KINDS},
        asked=reconfirmation.asked_on(kind, page.items),
        owners=owners,
        form=ButtonForm(),
    )


@bp.post("/reconfirmation/<kind>/ask")
def ask_to_confirm(kind: str) -> Response:
    """Mail the owners of the chosen records and ask them to confirm the details."""
    if kind not in reconfirmation.KINDS:
        abort(404)
    target = "curation.reconfirmation"
    ids = ticked_ids()
    if not ButtonForm().validate_on_submit():
        flash(_("The form expired. Please send it again."), "error")
        return back_to(target)
    if ids is None:
        flash(_("The selection is not valid. Please try again."), "error")
        return back_to(target)
    if not ids:
        flash(_("Tick at least one record first."), "error")
        return back_to(target)
    if len(ids) > reconfirmation.MAX_BULK:
        flash(_("Ask about at most %(n)d records at a time.", n=reconfirmation.MAX_BULK), "error")
        return back_to(target)
    records = reconfirmation.load(kind, ids)
    result = reconfirmation.ask_to_confirm(
        kind, records, actor=current_user, link_for=lambda r: _link(kind, r), ip=client_ip()
    )
    db.session.commit()
    if result.asked:
        message = ngettext(
            "Asked the owners of %(num)d record to confirm it.",
            "Asked the owners of %(num)d records to confirm them.",
            result.asked,
        )
        flash(message, "success")
    if result.recent:
        message = ngettext(
            "%(num)d record was skipped: its owners were asked less than a week ago.",
            "%(num)d records were skipped: their owners were asked less than a week ago.",
            result.recent,
        )
        flash(message, "info")
    if result.nobody:
        message = ngettext(
            "%(num)d organisation has no active owner to ask.",
            "%(num)d organisations have no active owner to ask.",
            result.nobody,
        )
        flash(message, "error")
    if result.not_due or len(records) < len(set(ids)):
        flash(_("Some records were not due for re-confirmation and were left alone."), "info")
    return back_to(target)
