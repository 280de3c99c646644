"""My organisations, creating and editing one, its dashboard, and claims."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..extensions import db
from ..i18n import current_locale
from ..models import Organization
from ..permissions import can_edit_org, can_manage_members, can_view_org, is_curator
from ..services import members, org_deletion, orgs, posts, reconfirmation, revisions
from ..services.orgs import InvalidInput
from ..services.procurement import questions, units
from ..web import client_ip
from . import bp
from .forms import ActionForm, ClaimForm, InviteForm, OrgForm
from .routes import (
    edit_message,
    load_or_404,
    org_for_editing,
    show_error,
    skills_text,
    vocabulary,
)


def _org_data(form: OrgForm) -> dict[str, Any]:
    return {name: form[name].data for name in (*orgs.ORG_FIELDS, "skills")}


@bp.route("/manage/organizations")
@login_required
def mine() -> str:
    """Organisations I belong to, and a search for ones I could claim."""
    query = request.args.get("q", "")[:200].strip()
    claimable = orgs.claimable_organizations(current_user, query) if query else []
    return render_template(
        "orgs/mine.html",
        memberships=members.memberships_of(current_user),
        query=query,
        claimable=claimable,
    )


@bp.route("/manage/organizations/new", methods=["GET", "POST"])
@login_required
def create() -> str | Response:
    """Add an organisation; it waits for a curator's review."""
    form = OrgForm()
    if form.validate_on_submit():
        try:
            org = orgs.create_organization(_org_data(form), actor=current_user, ip=client_ip())
        except InvalidInput as exc:
            show_error(form, exc)
        else:
            db.session.commit()
            flash(
                _("%(name)s was saved. A curator will review it before it is published.",
                  name=org.name),
                "success",
            )  # fmt: skip
            return redirect(url_for("orgs.manage", org_id=org.id))
    return render_template("orgs/org_form.html", form=form, org=None, vocabulary=vocabulary())


@bp.route("/manage/organizations/<int:org_id>")
@login_required
def manage(org_id: int) -> str:
    """The dashboard: status, members, openings and challenges with their responses."""
    org = load_or_404(Organization, org_id)
    if not (can_edit_org(current_user, org) or is_curator(current_user)):
        # A hidden organisation's id tells outsiders nothing, not even that it exists.
        abort(403 if can_view_org(current_user, org) else 404)
    openings, challenges = posts.org_posts(org)
    applications, proposals = posts.response_counts(org)
    can_manage = can_manage_members(current_user, org)
    return render_template(
        "orgs/manage.html",
        org=org,
        members=members.members_of(org),  # owners first, names loaded in one query
        invitations=members.pending_invitations(org) if can_manage else [],
        openings=openings,
        challenges=challenges,
        applications=applications,
        proposals=proposals,
        can_edit=can_edit_org(current_user, org),
        can_manage=can_manage,
        may_post_challenges=posts.may_post_challenges(org),
        reconfirm_due=reconfirmation.organization_due(org),
        pending_edits=revisions.waiting_for_org(org),
        units=units.units_of(org) if units.may_have_units(org) else [],
        can_manage_units=units.can_manage_units(current_user, org),
        unanswered=questions.unanswered_counts(org),
        # Only owners see the deletion card: whether it is offered, or why not.
        deletion_refusal=org_deletion.deletion_refusal(org) if can_manage else None,
        invite_form=InviteForm(),
        action_form=ActionForm(),
    )


@bp.route("/manage/organizations/<int:org_id>/confirm", methods=["POST"])
@login_required
def confirm(org_id: int) -> Response:
    """Say that the organisation's details are still current (the yearly re-confirmation)."""
    org = org_for_editing(org_id)
    if ActionForm().validate_on_submit():
        reconfirmation.confirm_organization(org, actor=current_user, ip=client_ip())
        db.session.commit()
        flash(_("Thank you: the details of %(name)s are confirmed as current.", name=org.name),
              "success")  # fmt: skip
    return redirect(url_for("orgs.manage", org_id=org.id))


@bp.route("/manage/organizations/<int:org_id>/edit", methods=["GET", "POST"])
@login_required
def edit(org_id: int) -> str | Response:
    """Edit an organisation; text edits of a published one may wait for review (revisions)."""
    org = org_for_editing(org_id)
    # A held edit fills the form, so the editor continues from what they submitted.
    pending = revisions.initial_form_data(org, current_locale())
    form = OrgForm(data=pending or {**{n: getattr(org, n) for n in orgs.ORG_FIELDS},
                                    "skills": skills_text(org, current_locale())})  # fmt: skip
    if form.validate_on_submit():
        try:
            outcome = revisions.submit_edit(
                org, _org_data(form), actor=current_user, ip=client_ip()
            )
        except InvalidInput as exc:
            show_error(form, exc)
        else:
            db.session.commit()
            flash(edit_message(outcome), "success")
            return redirect(url_for("orgs.manage", org_id=org.id))
    return render_template(
        "orgs/org_form.html",
        form=form,
        org=org,
        vocabulary=vocabulary(),
        pending=revisions.pending_revision(org),
        review_needed=revisions.needs_review(org, current_user),
    )


@bp.route("/manage/organizations/<int:org_id>/claim", methods=["GET", "POST"])
@login_required
def claim(org_id: int) -> str | Response:
    """Ask the curators to let me manage an organisation already in the directory."""
    org = load_or_404(Organization, org_id)
    if not can_view_org(current_user, org):
        abort(404)  # an unpublished organisation's existence is private
    if org.role_of(current_user) is not None:
        flash(_("You already belong to this organisation."), "info")
        return redirect(url_for("orgs.manage", org_id=org.id))
    form = ClaimForm()
    if form.validate_on_submit():
        try:
            orgs.request_claim(org, current_user, form.message.data or "", ip=client_ip())
        except InvalidInput as exc:
            show_error(form, exc)
        else:
            db.session.commit()
            flash(_("Thank you. A curator will review your request and write to you."), "success")
            return redirect(url_for("orgs.mine"))
    return render_template("orgs/claim.html", form=form, org=org)
