"""Mediated contact: ask to reach a person, and answer the requests I receive."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from .. import permissions
from ..extensions import db
from ..models import Profile, User
from ..services import contacts
from ..web import client_ip
from . import bp
from .forms import ActionForm, ContactRequestForm


def _me() -> User:
    return current_user._get_current_object()


@bp.route("/people/<int:profile_id>/contact", methods=["GET", "POST"])
@login_required
def contact_request(profile_id: int) -> str | Response:
    """Ask to contact a person who accepts contact requests."""
    profile = db.session.get(Profile, profile_id)
    user = _me()
    # Whether a hidden profile exists is itself private: 404, not 403.
    if profile is None or not permissions.can_view_profile(user, profile):
        abort(404)
    if not permissions.can_contact(user, profile):
        abort(403)
    previous = contacts.existing_request(user, profile)
    form = ContactRequestForm()
    if form.validate_on_submit():
        try:
            contact = contacts.send_request(user, profile, form.message.data or "", ip=client_ip())
        except contacts.ContactError as exc:
            db.session.rollback()
            form.message.errors.append(str(exc.message))
        else:
            # In the request's transaction: nobody is told about a request that was not
            # saved (the mail itself leaves once the transaction has committed).
            contacts.notify_recipient(contact, url_for("me.contacts", _external=True))
            db.session.commit()
            flash(
                _("Your request was sent. You will see their email here if they accept."), "success"
            )
            return redirect(url_for("me.contacts"))
    return render_template(
        "me/contact_request.html",
        form=form,
        profile=profile,
        previous=previous,
        refusal=contacts.REFUSALS.get(previous.status, "") if previous else "",
    )


# Endpoint "me.contacts"; the function has another name so it does not shadow the service.
@bp.route("/me/contacts", endpoint="contacts")
@login_required
def contacts_page() -> str:
    """Requests I received (to accept or decline) and requests I sent."""
    user = _me()
    return render_template(
        "me/contacts.html",
        received=contacts.received(user),
        sent=contacts.sent(user),
        is_closed=contacts.is_closed,
        shows_emails=contacts.shows_emails,
        display_name=contacts.display_name,
        can_view_profile=lambda profile: permissions.can_view_profile(user, profile),
        action_form=ActionForm(),
    )


# One rule per decision rather than an any() converter: same URLs, and every rule can be
# filled in by tests that walk the URL map.
@bp.route("/me/contacts/<int:request_id>/accept", methods=["POST"], defaults={"decision": "accept"})
@bp.route(
    "/me/contacts/<int:request_id>/decline", methods=["POST"], defaults={"decision": "decline"}
)
@login_required
def decide_contact(request_id: int, decision: str) -> Response:
    """The recipient accepts or declines a request, once."""
    user = _me()
    contact = contacts.involving(request_id, user)
    if contact is None:
        abort(404)  # someone else's request: its existence is not theirs to learn
    if contact.recipient_id != user.id:
        abort(403)  # the sender cannot answer their own request
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        contacts.decide(contact, user, decision, ip=client_ip())
    except contacts.ContactError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return redirect(url_for("me.contacts"))
    if decision == "accept":
        contacts.notify_sender(contact, url_for("me.contacts", _external=True))
    db.session.commit()
    if decision == "accept":
        flash(_("You accepted. You can now see each other's email."), "success")
    else:
        flash(_("You declined. They will not see your email."), "info")
    return redirect(url_for("me.contacts"))
