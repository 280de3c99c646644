"""Working groups: the public list and pages, asking to join, the coordinators' page."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..extensions import db
from ..i18n import current_locale
from ..models.coalition import GroupMeeting, GroupMember, GroupOutput, WorkingGroup
from ..orgs.forms import ActionForm
from ..services.coalition import activity, group_members, groups
from ..services.orgs import InvalidInput
from ..web import client_ip
from . import bp
from .common import Page, field_error, flash_form_errors, load_or_404
from .forms import JoinGroupForm, MeetingForm, OutputForm


def _group(group_id: int) -> WorkingGroup:
    group = load_or_404(WorkingGroup, group_id)
    if not groups.can_view_group(current_user, group):
        abort(404)
    return group


def _group_to_coordinate(group_id: int) -> WorkingGroup:
    group = _group(group_id)
    if not groups.can_coordinate(current_user, group):
        abort(403)
    return group


def _join_form(group: WorkingGroup) -> JoinGroupForm:
    form = JoinGroupForm()
    form.join_as.choices = group_members.join_choices(current_user, group)
    return form


@bp.get("/grupos")
def groups_list() -> str:
    """The working groups, with what each is about."""
    return render_template(
        "coalition/groups.html",
        groups=groups.listed_groups(),
        coordinating=groups.coordinated_by(current_user),
        locale=current_locale(),
    )


@bp.get("/grupos/<int:group_id>")
def group(group_id: int) -> str:
    """A group's page: members, coordinators, meetings and documents."""
    record = _group(group_id)
    orgs, people = group_members.visible_members(record, current_user)
    upcoming, past = activity.meetings(record)
    return render_template(
        "coalition/group.html",
        group=record,
        locale=current_locale(),
        orgs=orgs,
        people=people,
        coordinators=group_members.visible_coordinators(record, current_user),
        upcoming=upcoming,
        past=past,
        outputs=activity.outputs(record),
        # Anonymous visitors get no form: no CSRF token, so no session cookie for them.
        form=_join_form(record) if current_user.is_authenticated else None,
        can_coordinate=groups.can_coordinate(current_user, record),
        takes_members=groups.takes_members(record),
        my_requests=[r for r in record.members
                     if current_user.is_authenticated
                     and any(u.id == current_user.id for u in group_members.requesters(r))],
    )  # fmt: skip


@bp.post("/grupos/<int:group_id>/unirse")
@login_required
def join_group(group_id: int) -> Response:
    """Ask to join, as oneself or for an organisation one owns."""
    record = _group(group_id)
    form = _join_form(record)
    if form.validate_on_submit():
        try:
            group_members.request_join(record, actor=current_user, join_as=form.join_as.data,
                                       message=form.message.data, ip=client_ip())  # fmt: skip
        except InvalidInput as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("Your request was sent to the group's coordinators."), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("coalition.group", group_id=record.id, _anchor="join"))


@bp.get("/grupos/<int:group_id>/coordinar")
@login_required
def coordinate(group_id: int) -> str:
    """The coordinators' page: requests to decide, a meeting or a document to add."""
    record = _group_to_coordinate(group_id)
    return _coordinate_page(record, MeetingForm(prefix="meeting"), OutputForm(prefix="output"))


def _requester_name(row: GroupMember) -> str:
    """The organisation, or the person while their profile is listed to the coordinator."""
    if row.organization is not None:
        return row.organization.name
    profile = group_members.listed_profile(row.user, current_user)
    return profile.full_name if profile is not None else _("A member whose profile is not public")


def _coordinate_page(record: WorkingGroup, meeting_form: MeetingForm,
                     output_form: OutputForm) -> str:  # fmt: skip
    upcoming, past = activity.meetings(record)
    return render_template(
        "coalition/coordinate.html",
        group=record,
        locale=current_locale(),
        waiting=[(r, _requester_name(r)) for r in group_members.waiting(record)],
        upcoming=upcoming,
        past=past,
        outputs=activity.outputs(record),
        meeting_form=meeting_form,
        output_form=output_form,
        action_form=ActionForm(),
    )


@bp.post("/grupos/<int:group_id>/solicitudes/<int:group_member_id>/aceptar")
@login_required
def accept_request(group_id: int, group_member_id: int) -> Response:
    """A coordinator accepts a request to join."""
    return _decide(group_id, group_member_id, accept=True)


@bp.post("/grupos/<int:group_id>/solicitudes/<int:group_member_id>/rechazar")
@login_required
def decline_request(group_id: int, group_member_id: int) -> Response:
    """A coordinator declines a request to join."""
    return _decide(group_id, group_member_id, accept=False)


def _decide(group_id: int, group_member_id: int, *, accept: bool) -> Response:
    record = _group_to_coordinate(group_id)
    row = load_or_404(GroupMember, group_member_id)
    if row.group_id != record.id:
        abort(404)
    if ActionForm().validate_on_submit():
        try:
            group_members.decide(row, actor=current_user, accept=accept, ip=client_ip())
        except InvalidInput as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("The request was accepted.") if accept else _("The request was declined."),
                  "success")  # fmt: skip
    return redirect(url_for("coalition.coordinate", group_id=record.id))


def _mexico_time(value: datetime | None) -> datetime | None:
    """A time typed in the form, read as Mexico City time (the product's default zone)."""
    if value is None:
        return None
    return value.replace(tzinfo=ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))


@bp.post("/grupos/<int:group_id>/reuniones")
@login_required
def add_meeting(group_id: int) -> Page:
    """A coordinator adds a meeting; the group is told."""
    record = _group_to_coordinate(group_id)
    form = MeetingForm(prefix="meeting")
    if form.validate_on_submit():
        data = {**form.data, "starts_at": _mexico_time(form.starts_at.data)}
        try:
            activity.add_meeting(record, data, actor=current_user, ip=client_ip())
        except InvalidInput as exc:
            field_error(form, exc)
        else:
            db.session.commit()
            flash(_("The meeting was added and the group was told."), "success")
            return redirect(url_for("coalition.coordinate", group_id=record.id))
    return _coordinate_page(record, form, OutputForm(prefix="output")), 400


@bp.post("/grupos/<int:group_id>/documentos")
@login_required
def add_output(group_id: int) -> Page:
    """A coordinator publishes a document of the group; the group is told."""
    record = _group_to_coordinate(group_id)
    form = OutputForm(prefix="output")
    if form.validate_on_submit():
        try:
            activity.add_output(record, form.data, actor=current_user, ip=client_ip())
        except InvalidInput as exc:
            field_error(form, exc)
        else:
            db.session.commit()
            flash(_("The document was published and the group was told."), "success")
            return redirect(url_for("coalition.coordinate", group_id=record.id))
    return _coordinate_page(record, MeetingForm(prefix="meeting"), form), 400


@bp.post("/grupos/<int:group_id>/reuniones/<int:meeting_id>/borrar")
@login_required
def remove_meeting(group_id: int, meeting_id: int) -> Response:
    """A coordinator deletes a meeting."""
    return _remove(group_id, GroupMeeting, meeting_id)


@bp.post("/grupos/<int:group_id>/documentos/<int:output_id>/borrar")
@login_required
def remove_output(group_id: int, output_id: int) -> Response:
    """A coordinator deletes a document."""
    return _remove(group_id, GroupOutput, output_id)


def _remove(
    group_id: int, model: type[GroupMeeting] | type[GroupOutput], record_id: int
) -> Response:
    record = _group_to_coordinate(group_id)
    item = load_or_404(model, record_id)
    if item.group_id != record.id:
        abort(404)
    if ActionForm().validate_on_submit():
        activity.remove(item, actor=current_user, ip=client_ip())
        db.session.commit()
        flash(_("Deleted."), "success")
    return redirect(url_for("coalition.coordinate", group_id=record.id))
