"""Owners hand their organisation to another member, or delete one that never went public.

Both are confirmed first: a transfer shows who becomes owner and what the owner becomes
before it happens; a deletion needs the organisation's name typed again. Owners only.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..extensions import db
from ..models import Membership, Organization, OrgRole, User
from ..services import members, notifications, org_deletion
from ..services.orgs import InvalidInput
from ..web import client_ip
from . import bp
from .forms import DeleteOrgForm, TransferForm
from .routes import org_for_members


def person_name(user: User) -> str:
    """How co-members see a member: the profile's name, else the e-mail address."""
    profile = user.profile
    return profile.full_name if profile is not None and profile.full_name.strip() else user.email


def _notify_new_owner(org: Organization, membership: Membership) -> None:
    """Tell the new owner, in their language (in the app, and by mail as they chose)."""
    link = url_for("orgs.manage", org_id=org.id)
    by = person_name(current_user)

    def mail(locale: str) -> tuple[str, str]:
        with force_locale(locale):
            subject = _("You are now an owner of %(org)s on Directorio IA", org=org.name)
            body = _(
                "%(name)s made you an owner of %(org)s on Directorio IA. Owners manage its "
                "members, and can hand the organisation over or delete it. Its page:\n\n%(link)s",
                name=by,
                org=org.name,
                link=url_for("orgs.manage", org_id=org.id, _external=True),
            )
        return subject, body

    # The "you now manage it" notice of an approved claim says exactly this.
    notifications.notify(
        membership.user,
        notifications.CLAIM_DECIDED,
        record=org,
        params={"approved": True},
        link=link,
        email=mail,
    )


def _back(org: Organization) -> Response:
    return redirect(url_for("orgs.manage", org_id=org.id, _anchor="members"))


@bp.route("/manage/organizations/<int:org_id>/transfer", methods=["GET", "POST"])
@login_required
def transfer_ownership(org_id: int) -> str | Response:
    """Choose a member to make owner, confirm, and hand over (owners only)."""
    org = org_for_members(org_id)
    candidates = members.transfer_candidates(org, current_user)
    form = TransferForm()
    form.member.choices = [(m.id, person_name(m.user)) for m in candidates]
    if not form.validate_on_submit():
        return render_template("orgs/transfer.html", org=org, form=form, candidates=candidates)
    chosen = next(m for m in candidates if m.id == form.member.data)
    if form.confirmed.data != "yes":
        # The confirmation step: the same choices, sent again with confirmed=yes.
        form.confirmed.data = "yes"
        return render_template(
            "orgs/transfer.html", org=org, form=form, candidates=candidates, chosen=chosen,
            new_owner=person_name(chosen.user),
        )  # fmt: skip
    try:
        mine = members.transfer_ownership(
            org, chosen, actor=current_user, stay_owner=bool(form.stay_owner.data), ip=client_ip()
        )
    except InvalidInput as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return _back(org)
    _notify_new_owner(org, chosen)
    db.session.commit()
    name = person_name(chosen.user)
    if mine.role == OrgRole.OWNER:
        flash(_("%(name)s is now an owner of %(org)s, with you.", name=name, org=org.name),
              "success")  # fmt: skip
    else:
        flash(_("%(name)s is now the owner of %(org)s; you are an editor.", name=name,
                org=org.name), "success")  # fmt: skip
    return _back(org)


@bp.route("/manage/organizations/<int:org_id>/delete", methods=["GET", "POST"])
@login_required
def delete_organization(org_id: int) -> str | Response | tuple[str, int]:
    """Delete an organisation that never went public, once its name is typed (owners only)."""
    org = org_for_members(org_id)
    refusal = org_deletion.deletion_refusal(org)
    form = DeleteOrgForm()
    if refusal is None and form.validate_on_submit():
        if _same_name(form.name.data or "", org.name):
            name = org.name
            try:
                org_deletion.delete_organization(org, actor=current_user, ip=client_ip())
            except InvalidInput as exc:
                db.session.rollback()
                form.name.errors = [str(exc.message)]
            else:
                db.session.commit()
                flash(_("%(org)s was deleted.", org=name), "success")
                return redirect(url_for("orgs.mine"))
        else:
            form.name.errors = [_("The name does not match; nothing was deleted.")]
    page = render_template(
        "orgs/delete.html",
        org=org,
        form=form,
        refusal=refusal,
        counts={"openings": len(org.openings), "challenges": len(org.challenges),
                "members": len(org.memberships)},
    )  # fmt: skip
    return (page, 409) if refusal is not None and form.is_submitted() else page


def _same_name(typed: str, name: str) -> bool:
    """The typed name matches, whatever the case and the spaces."""
    return " ".join(typed.split()).casefold() == " ".join(name.split()).casefold()


@bp.app_template_global()
def organizations_deleted_with_account() -> list[Organization]:
    """For the delete-account page: the organisations that go with the viewer's account."""
    from ..services import account_deletion  # it imports much of the services

    if not current_user.is_authenticated:
        return []
    return account_deletion.organizations_deleted_with(current_user)
