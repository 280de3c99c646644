"""Curators' pages of the working groups: create and edit them, name their coordinators.

Attached to the curation blueprint (its guard: curators only; its navigation).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from ..curation import bp as curation_bp
from ..curation import nav_item
from ..extensions import db
from ..i18n import current_locale
from ..models.coalition import GroupCoordinator, WorkingGroup
from ..orgs.forms import ActionForm
from ..services.coalition import groups
from ..services.orgs import InvalidInput
from ..web import client_ip
from .common import Page, field_error, flash_form_errors, load_or_404
from .forms import CoordinatorForm, GroupForm

nav_item(41, "curation.working_groups", _l("Working groups"))


@curation_bp.get("/working-groups")
def working_groups() -> str:
    """Every working group with its status and coordinators."""
    return render_template(
        "coalition/curation_groups.html", groups=groups.all_groups(), locale=current_locale()
    )


@curation_bp.route("/working-groups/new", methods=["GET", "POST"])
def new_working_group() -> Page:
    """Create a working group."""
    form = GroupForm()
    if form.validate_on_submit():
        try:
            group = groups.create_group(form.data, actor=current_user, ip=client_ip())
        except InvalidInput as exc:
            field_error(form, exc)
        else:
            db.session.commit()
            flash(_("The working group was created."), "success")
            return redirect(url_for("curation.edit_working_group", group_id=group.id))
    return render_template("coalition/curation_group_form.html", form=form, group=None)


@curation_bp.route("/working-groups/<int:group_id>", methods=["GET", "POST"])
def edit_working_group(group_id: int) -> Page:
    """Edit a group's names, descriptions and status; name or remove its coordinators."""
    group = load_or_404(WorkingGroup, group_id)
    form = GroupForm(obj=group)
    if form.validate_on_submit():
        try:
            changed = groups.update_group(group, form.data, actor=current_user, ip=client_ip())
        except InvalidInput as exc:
            field_error(form, exc)
        else:
            db.session.commit()
            flash(_("Your changes were saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("curation.edit_working_group", group_id=group.id))
    return render_template(
        "coalition/curation_group_form.html",
        form=form,
        group=group,
        coordinator_form=CoordinatorForm(),
        action_form=ActionForm(),
    )


@curation_bp.post("/working-groups/<int:group_id>/coordinators")
def add_coordinator(group_id: int) -> Response:
    """Name a coordinator by the e-mail address of their account."""
    group = load_or_404(WorkingGroup, group_id)
    form = CoordinatorForm()
    if form.validate_on_submit():
        try:
            groups.name_coordinator(group, form.email.data, actor=current_user, ip=client_ip())
        except InvalidInput as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("The coordinator was named."), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("curation.edit_working_group", group_id=group.id,
                            _anchor="coordinators"))  # fmt: skip


@curation_bp.post("/working-groups/<int:group_id>/coordinators/<int:coordinator_id>/remove")
def remove_coordinator(group_id: int, coordinator_id: int) -> Response:
    """Take a coordinator off the group."""
    group = load_or_404(WorkingGroup, group_id)
    coordinator = load_or_404(GroupCoordinator, coordinator_id)
    if coordinator.group_id != group.id:
        abort(404)
    if ActionForm().validate_on_submit():
        groups.remove_coordinator(coordinator, actor=current_user, ip=client_ip())
        db.session.commit()
        flash(_("The coordinator was removed."), "success")
    return redirect(url_for("curation.edit_working_group", group_id=group.id,
                            _anchor="coordinators"))  # fmt: skip
