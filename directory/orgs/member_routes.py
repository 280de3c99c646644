"""Members: owners invite editors by email and remove members; invitees accept."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from ..extensions import db
from ..i18n import current_locale
from ..mail import send_mail
from ..models import Invitation, Membership
from ..services import members, notifications
from ..services.accounts import find_user
from ..services.orgs import InvalidInput
from ..web import client_ip
from . import bp
from .forms import ActionForm, InviteForm
from .routes import load_or_404, org_for_members, refuse


def _mail_invitation(invitation: Invitation, token: str) -> None:
    """Send the link in the invitee's language when they have an account, else in ours."""
    invitee = find_user(invitation.email)
    locale = (invitee.locale if invitee else None) or current_locale()
    link = url_for("orgs.accept_invitation", token=token, _external=True)
    with force_locale(locale):
        subject = _("Invitation to edit %(org)s on Directorio IA", org=invitation.organization.name)
        body = _(
            "You have been invited to edit the page of %(org)s on Directorio IA, with its "
            "openings and challenges. To accept, log in with this email address and open:\n\n"
            "%(link)s\n\nThe link works once and for %(days)d days. If you did not expect it, "
            "ignore this message.",
            org=invitation.organization.name,
            link=link,
            days=members.INVITATION_MAX_AGE.days,
        )
    send_mail(invitation.email, subject, body)


def _notify_invitee(invitation: Invitation) -> None:
    """Put the invitation in the invitee's notifications too, when they have an account.

    The mail above always goes: it carries the single-use link, which is never stored.
    """
    invitee = find_user(invitation.email)
    if invitee is not None:
        notifications.notify(invitee, notifications.INVITATION, record=invitation)


@bp.route("/manage/organizations/<int:org_id>/invitations", methods=["POST"])
@login_required
def invite(org_id: int) -> Response:
    """Invite someone (by email) to become an editor."""
    org = org_for_members(org_id)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invitation, token = members.invite_editor(
                org, form.email.data or "", actor=current_user, ip=client_ip()
            )
        except InvalidInput as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            _notify_invitee(invitation)
            db.session.commit()
            _mail_invitation(invitation, token)
            flash(_("We sent an invitation to %(email)s.", email=invitation.email), "success")
    else:
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
    return redirect(url_for("orgs.manage", org_id=org.id, _anchor="members"))


@bp.route("/manage/organizations/<int:org_id>/members/<int:membership_id>/remove",
          methods=["POST"])  # fmt: skip
@login_required
def remove_member(org_id: int, membership_id: int) -> Response:
    """Remove a member (never the last owner)."""
    org = org_for_members(org_id)
    membership = load_or_404(Membership, membership_id)
    if membership.organization_id != org.id:
        abort(404)
    if ActionForm().validate_on_submit():
        try:
            members.remove_member(membership, actor=current_user, ip=client_ip())
        except InvalidInput as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("The member was removed."), "success")
    if org.role_of(current_user) is None:
        return redirect(url_for("orgs.mine"))  # an owner who removed themselves
    return redirect(url_for("orgs.manage", org_id=org.id, _anchor="members"))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@login_required
def accept_invitation(token: str) -> str | Response | tuple[str, int]:
    """Accept an invitation with the account its email was sent to."""
    invitation = members.find_invitation(token)
    if invitation is None:
        return refuse(
            _("This invitation link is invalid, expired or already used. Ask for a new one."), 404
        )
    if not members.invitation_is_for(invitation, current_user):
        return refuse(
            _("This invitation was sent to another email address. Log in with the account that "
              "uses that address to accept it.")
        )  # fmt: skip
    form = ActionForm()
    if form.validate_on_submit():
        org = invitation.organization
        membership = members.accept_invitation(invitation, current_user, ip=client_ip())
        db.session.commit()
        if membership is None:
            flash(_("You already belong to %(org)s.", org=org.name), "info")
        else:
            flash(_("You are now an editor of %(org)s.", org=org.name), "success")
        return redirect(url_for("orgs.manage", org_id=org.id))
    return render_template("orgs/invitation.html", invitation=invitation, form=form)
