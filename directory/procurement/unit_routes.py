"""Innovation units: the public unit page, the owners' management pages, my invitations."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from .. import permissions
from ..extensions import db
from ..models import Organization, Profile
from ..models.procurement import InnovationUnit, UnitMember
from ..orgs.forms import ActionForm
from ..services.orgs import InvalidInput
from ..services.procurement import outcomes, unit_members, units
from ..services.procurement.people import find_people
from ..web import client_ip
from . import bp
from .common import Page, first_error, load_or_404, refuse_hidden
from .forms import InviteMemberForm, UnitForm


def _unit_for_owner(unit_id: int) -> InnovationUnit:
    """A unit whose agency the current user owns: 404 when hidden from them, else 403."""
    unit = load_or_404(InnovationUnit, unit_id)
    if not units.can_manage_units(current_user, unit.organization):
        refuse_hidden(units.can_view_unit(current_user, unit))
    return unit


@bp.get("/units/<int:unit_id>")
def unit(unit_id: int) -> str:
    """A unit's public page: mandate, contact, members, open and past challenges, outcomes."""
    record = load_or_404(InnovationUnit, unit_id)
    if not units.can_view_unit(current_user, record):
        abort(404)
    found = units.unit_challenges(record)
    return render_template(
        "procurement/unit.html",
        unit=record,
        org=record.organization,
        contact_href=units.contact_href(record),
        contact_is_email=units.is_email(record.contact or ""),
        members=unit_members.visible_members(record, current_user),
        challenges=found,
        awardees={o.id: outcomes.visible_awardees(o, current_user) for o in found.outcomes},
        can_manage=units.can_manage_units(current_user, record.organization),
    )


@bp.route("/manage/organizations/<int:org_id>/units/new", methods=["GET", "POST"])
@login_required
def new_unit(org_id: int) -> Page:
    """An owner of a government agency adds an innovation unit."""
    org = load_or_404(Organization, org_id)
    if not units.can_manage_units(current_user, org):
        refuse_hidden(permissions.can_view_org(current_user, org))
    form = UnitForm()
    if form.validate_on_submit():
        try:
            record = units.create_unit(org, form.data, actor=current_user, ip=client_ip())
        except InvalidInput as exc:
            first_error(form, exc)
        else:
            db.session.commit()
            flash(_("The unit %(name)s was created.", name=record.name), "success")
            return redirect(url_for("procurement.manage_unit", unit_id=record.id))
    return render_template("procurement/unit_form.html", form=form, org=org, unit=None)


@bp.route("/manage/units/<int:unit_id>/edit", methods=["GET", "POST"])
@login_required
def edit_unit(unit_id: int) -> Page:
    """Change a unit's name, mandate or contact point."""
    record = _unit_for_owner(unit_id)
    form = UnitForm(obj=record)
    if form.validate_on_submit():
        try:
            units.update_unit(record, form.data, actor=current_user, ip=client_ip())
        except InvalidInput as exc:
            first_error(form, exc)
        else:
            db.session.commit()
            flash(_("Your changes were saved."), "success")
            return redirect(url_for("procurement.manage_unit", unit_id=record.id))
    return render_template(
        "procurement/unit_form.html", form=form, org=record.organization, unit=record
    )


@bp.get("/manage/units/<int:unit_id>")
@login_required
def manage_unit(unit_id: int) -> str:
    """The owners' page of a unit: its members and invitations, and people to invite."""
    record = _unit_for_owner(unit_id)
    query = request.args.get("q", "")[:100].strip()
    found = find_people(query, current_user, exclude=unit_members.member_user_ids(record))
    return render_template(
        "procurement/unit_manage.html",
        unit=record,
        org=record.organization,
        members=[(m, unit_members.display(m, current_user)) for m in record.members],
        query=query,
        found=found,
        invite_form=InviteMemberForm(),
        action_form=ActionForm(),
    )


@bp.post("/manage/units/<int:unit_id>/delete")
@login_required
def delete_unit(unit_id: int) -> Response:
    """Delete a unit; its challenges stay, posted by the agency itself."""
    record = _unit_for_owner(unit_id)
    org_id = record.organization_id
    if ActionForm().validate_on_submit():
        units.delete_unit(record, actor=current_user, ip=client_ip())
        db.session.commit()
        flash(_("The unit was deleted."), "success")
        return redirect(url_for("orgs.manage", org_id=org_id, _anchor="units"))
    return redirect(url_for("procurement.manage_unit", unit_id=record.id))


@bp.post("/manage/units/<int:unit_id>/invite")
@login_required
def invite_member(unit_id: int) -> Response:
    """Invite a person found in the directory to the unit."""
    record = _unit_for_owner(unit_id)
    form = InviteMemberForm()
    if form.validate_on_submit():
        raw = str(form.profile_id.data or "")
        profile = db.session.get(Profile, int(raw)) if raw.isdigit() and len(raw) < 10 else None
        try:
            unit_members.invite(record, profile, actor=current_user, ip=client_ip())
        except InvalidInput as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("The invitation was sent. The person joins once they accept it."), "success")
    else:
        flash(_("Choose a person from the directory."), "error")
    return redirect(url_for("procurement.manage_unit", unit_id=record.id, _anchor="members"))


@bp.post("/manage/units/<int:unit_id>/members/<int:unit_member_id>/remove")
@login_required
def remove_member(unit_id: int, unit_member_id: int) -> Response:
    """Take a member (or an open invitation) out of the unit."""
    record = _unit_for_owner(unit_id)
    member = load_or_404(UnitMember, unit_member_id)
    if member.unit_id != record.id:
        abort(404)
    if ActionForm().validate_on_submit():
        unit_members.remove(member, actor=current_user, ip=client_ip())
        db.session.commit()
        flash(_("The person is no longer in the unit."), "success")
    return redirect(url_for("procurement.manage_unit", unit_id=record.id, _anchor="members"))


@bp.get("/me/units")
@login_required
def my_units() -> str:
    """My invitations to innovation units, and the units I belong to."""
    rows = [
        m for m in unit_members.my_units(current_user) if units.can_view_unit(current_user, m.unit)
    ]
    return render_template("procurement/my_units.html", rows=rows, action_form=ActionForm())


def _my_invitation(unit_member_id: int) -> UnitMember:
    member = load_or_404(UnitMember, unit_member_id)
    if member.user_id != current_user.id or not units.can_view_unit(current_user, member.unit):
        abort(404)  # someone else's invitation: not even its existence is told
    return member


@bp.post("/me/units/<int:unit_member_id>/accept")
@login_required
def accept_unit(unit_member_id: int) -> Response:
    """Accept an invitation to a unit."""
    member = _my_invitation(unit_member_id)
    if ActionForm().validate_on_submit():
        try:
            unit_members.accept(member, current_user, ip=client_ip())
        except InvalidInput as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("You joined the unit %(name)s.", name=member.unit.name), "success")
    return redirect(url_for("procurement.my_units"))


@bp.post("/me/units/<int:unit_member_id>/leave")
@login_required
def leave_unit(unit_member_id: int) -> Response:
    """Decline an invitation, or leave a unit."""
    member = _my_invitation(unit_member_id)
    if ActionForm().validate_on_submit():
        unit_members.leave(member, current_user, ip=client_ip())
        db.session.commit()
        flash(_("Done: you are not in that unit."), "success")
    return redirect(url_for("procurement.my_units"))
