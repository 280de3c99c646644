"""The public coalition page and an owner's request for their organisation to join."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import geo, permissions, vocab
from ..extensions import db
from ..models import Organization
from ..models.coalition import CoalitionTier
from ..services.coalition import membership
from ..services.coalition.common import is_owner
from ..services.orgs import InvalidInput
from ..web import client_ip
from . import bp, numbers
from .common import Page, field_error, load_or_404
from .forms import JoinCoalitionForm


def _choice(name: str, allowed: object) -> str | None:
    value = request.args.get(name, "")[:40]
    return value if value in allowed else None  # type: ignore[operator]


@bp.get("/coalicion")
def coalition() -> str:
    """The coalition's members by kind and state, and its counts over time."""
    kind = _choice("kind", vocab.ORG_KINDS)
    state = _choice("state", dict(geo.MEXICAN_STATES))
    tier = _choice("tier", CoalitionTier.ALL)
    current = membership.current_members()
    shown = membership.current_members(kind=kind, state=state, tier=tier)
    groups: dict[str, list] = {}
    for row in shown:
        groups.setdefault(row.organization.kind, []).append(row)
    tables = numbers.tables(current, membership.history_rows())
    return render_template(
        "coalition/coalition.html",
        total=len(current),
        groups=[(k, groups[k]) for k in vocab.ORG_KINDS if k in groups],
        shown=len(shown),
        kind=kind,
        state=state,
        tier=tier,
        tables=tables,
        charts=numbers.drawn(tables),
        states=geo.MEXICAN_STATES,
        kind_choices=vocab.pairs("org_kinds"),
        tier_choices=vocab.pairs("coalition_tiers"),
    )


@bp.route("/manage/organizations/<int:org_id>/coalicion", methods=["GET", "POST"])
@login_required
def join(org_id: int) -> Page:
    """An owner sees the organisation's place in the coalition and asks to join."""
    org = load_or_404(Organization, org_id)
    if not is_owner(current_user, org):
        # Editors see the manage page but do not speak for the organisation here.
        abort(403 if permissions.can_view_org(current_user, org) else 404)
    row = membership.membership_of(org)
    form = JoinCoalitionForm()
    if form.validate_on_submit():
        try:
            membership.request_to_join(org, actor=current_user, tier=form.tier.data,
                                       message=form.message.data, ip=client_ip())  # fmt: skip
        except InvalidInput as exc:
            field_error(form, exc)
        else:
            db.session.commit()
            flash(_("Your request was sent. A curator will review it and you will be told."),
                  "success")  # fmt: skip
            return redirect(url_for("coalition.join", org_id=org.id))
    return render_template(
        "coalition/join.html",
        org=org,
        row=row,
        form=form,
        may_request=membership.may_request(current_user, org),
    )
