"""Curators' page of the coalition: requests to decide, members' tiers and ends (audited).

Attached to the curation blueprint, so its guard (curators only) and its navigation hold
these pages like any other curation page.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from .. import vocab
from ..curation import bp as curation_bp
from ..curation import nav_item
from ..extensions import db
from ..models.coalition import CoalitionMember
from ..services.coalition import membership
from ..services.orgs import InvalidInput
from ..web import client_ip
from .common import flash_form_errors, load_or_404
from .forms import ApproveForm, ReasonForm, TierForm

nav_item(40, "curation.coalition_members", _l("Coalition"))


@curation_bp.get("/coalition")
def coalition_members() -> str:
    """Requests to join (oldest first) and current members, with their tiers."""
    return render_template(
        "coalition/curation_members.html",
        waiting=membership.waiting_requests(),
        members=membership.current_members(),
        tiers=vocab.pairs("coalition_tiers"),
    )


def _act(
    coalition_member_id: int, form: FlaskForm, work: Callable[[CoalitionMember], str]
) -> Response:
    row = load_or_404(CoalitionMember, coalition_member_id)
    if form.validate_on_submit():
        try:
            done = work(row)
        except InvalidInput as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(done, "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("curation.coalition_members"))


@curation_bp.post("/coalition/<int:coalition_member_id>/approve")
def approve_member(coalition_member_id: int) -> Response:
    """Approve a request in a tier; the owners are told."""
    form = ApproveForm()

    def work(row: CoalitionMember) -> str:
        membership.approve(row, actor=current_user, tier=form.tier.data, note=form.note.data,
                           ip=client_ip())  # fmt: skip
        return _("“%(org)s” joined the coalition.", org=row.organization.name)

    return _act(coalition_member_id, form, work)


@curation_bp.post("/coalition/<int:coalition_member_id>/decline")
def decline_member(coalition_member_id: int) -> Response:
    """Decline a request with a reason the owners read."""
    form = ReasonForm()

    def work(row: CoalitionMember) -> str:
        membership.decline(row, actor=current_user, note=form.note.data, ip=client_ip())
        return _("The request was declined; the owners were told why.")

    return _act(coalition_member_id, form, work)


@curation_bp.post("/coalition/<int:coalition_member_id>/tier")
def change_member_tier(coalition_member_id: int) -> Response:
    """Move a member to another tier."""
    form = TierForm()

    def work(row: CoalitionMember) -> str:
        changed = membership.change_tier(row, actor=current_user, tier=form.tier.data,
                                         ip=client_ip())  # fmt: skip
        return _("The tier was changed.") if changed else _("The tier is unchanged.")

    return _act(coalition_member_id, form, work)


@curation_bp.post("/coalition/<int:coalition_member_id>/end")
def end_member(coalition_member_id: int) -> Response:
    """End a membership with a reason the owners read."""
    form = ReasonForm()

    def work(row: CoalitionMember) -> str:
        membership.end(row, actor=current_user, note=form.note.data, ip=client_ip())
        return _("The membership of “%(org)s” ended.", org=row.organization.name)

    return _act(coalition_member_id, form, work)
