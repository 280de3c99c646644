"""Mediated contact: ask to reach a person; emails are revealed only once they accept.

Nobody's email leaves the database until the recipient says yes, and a recipient who
withdraws consent to be contacted can no longer accept what is still waiting
(SECURITY.md rows 16 and 32).
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import or_, select

from .. import permissions
from ..extensions import db
from ..models import ContactRequest, Profile, User, utcnow
from . import audit, notifications

PENDING = "pending"
ACCEPTED = "accepted"
DECLINED = "declined"
DECISIONS = {"accept": ACCEPTED, "decline": DECLINED}
MAX_MESSAGE = 2_000


class ContactError(ValueError):
    """A refusal with a message fit to show the user."""

    def __init__(self, message: str | LazyString) -> None:
        # Kept lazy so the message is translated where it is shown (a request, a CLI).
        super().__init__(message)
        self.message = message


def existing_request(sender: User, profile: Profile) -> ContactRequest | None:
    """The sender's latest request to the profile's owner, whatever its answer, if any."""
    return db.session.scalars(
        select(ContactRequest)
        .where(
            ContactRequest.sender_id == sender.id,
            ContactRequest.recipient_id == profile.user_id,
        )
        .order_by(ContactRequest.created_at.desc(), ContactRequest.id.desc())
        .limit(1)
    ).first()


# Why a new request is refused, by the status of the previous one. A "no" stays a no:
# asking again after a decline would turn mediated contact into a way to pester people.
REFUSALS = {
    PENDING: _l("You have already asked to contact this person. Wait for their answer."),
    ACCEPTED: _l("You are already in contact with this person: see your contacts page."),
    DECLINED: _l("This person declined your earlier request, so you cannot ask again."),
}


def send_request(sender: User, profile: Profile, message: str, *, ip: str = "") -> ContactRequest:
    """Ask to contact the profile's owner; refuses without consent, to oneself, or again."""
    if not permissions.can_contact(sender, profile):
        raise ContactError(_l("This person does not accept contact requests."))
    message = message.strip()
    if not message:
        raise ContactError(_l("This field is required."))
    if len(message) > MAX_MESSAGE:
        raise ContactError(_l("Use at most %(max)d characters.", max=MAX_MESSAGE))
    previous = existing_request(sender, profile)
    if previous is not None:
        raise ContactError(REFUSALS.get(previous.status, REFUSALS[PENDING]))
    contact = ContactRequest(sender=sender, recipient=profile.user, message=message)
    db.session.add(contact)
    db.session.flush()
    audit.record(
        "contact.requested",
        actor=sender,
        target_kind="contact_request",
        target_id=contact.id,
        ip=ip,
        recipient_id=profile.user_id,
    )
    return contact


def accepts_contact(user: User) -> bool:
    """Whether the user, today, agrees to be contacted."""
    return bool(user.active and user.profile is not None and user.profile.contact_consent)


def is_closed(contact: ContactRequest) -> bool:
    """A waiting request whose recipient has since withdrawn consent can no longer be accepted."""
    return contact.status == PENDING and not accepts_contact(contact.recipient)


def shows_emails(contact: ContactRequest) -> bool:
    """Only an accepted request reveals both emails, to both sides."""
    return contact.status == ACCEPTED


def decide(contact: ContactRequest, user: User, decision: str, *, ip: str = "") -> ContactRequest:
    """The recipient accepts or declines a waiting request, once."""
    if contact.recipient_id != user.id:
        raise ContactError(_l("Only the person asked can answer this request."))
    if decision not in DECISIONS:
        raise ContactError(_l("Choose one of the options."))
    if contact.status != PENDING:
        raise ContactError(_l("You have already answered this request."))
    if decision == "accept" and is_closed(contact):
        raise ContactError(_l("This request is closed: you no longer accept contact requests."))
    contact.status = DECISIONS[decision]
    contact.decided_at = utcnow()
    db.session.flush()
    audit.record(
        f"contact.{contact.status}",
        actor=user,
        target_kind="contact_request",
        target_id=contact.id,
        ip=ip,
        sender_id=contact.sender_id,
    )
    return contact


def received(user: User) -> list[ContactRequest]:
    """Requests the user received, newest first."""
    return list(
        db.session.scalars(
            select(ContactRequest)
            .where(ContactRequest.recipient_id == user.id)
            .order_by(ContactRequest.created_at.desc(), ContactRequest.id.desc())
        )
    )


def sent(user: User) -> list[ContactRequest]:
    """Requests the user sent, newest first."""
    return list(
        db.session.scalars(
            select(ContactRequest)
            .where(ContactRequest.sender_id == user.id)
            .order_by(ContactRequest.created_at.desc(), ContactRequest.id.desc())
        )
    )


def involving(request_id: int, user: User) -> ContactRequest | None:
    """The request if the user sent or received it; None otherwise (its existence is private)."""
    return db.session.scalars(
        select(ContactRequest).where(
            ContactRequest.id == request_id,
            or_(ContactRequest.sender_id == user.id, ContactRequest.recipient_id == user.id),
        )
    ).first()


def display_name(user: User) -> str:
    """A person's name from their profile, or a neutral stand-in (never their email)."""
    if user.profile is not None and user.profile.full_name:
        return user.profile.full_name
    return _("A member of Directorio IA")


def notify_recipient(contact: ContactRequest, link: str) -> None:
    """Tell the recipient, in their language, that someone asks to contact them.

    Call before the commit (the in-app notification is part of the request); `link` is the
    absolute address of the contacts page, for the mail.
    """

    def mail(locale: str) -> tuple[str, str]:
        name = display_name(contact.sender)
        return (
            _("%(name)s wants to contact you on Directorio IA", name=name),
            _(
                "%(name)s would like to contact you and wrote:\n\n%(message)s\n\n"
                "Your email stays hidden unless you accept. Answer here:\n%(link)s",
                name=name,
                message=contact.message,
                link=link,
            ),
        )

    notifications.notify(
        contact.recipient,
        notifications.CONTACT_REQUEST,
        record=contact,
        link=url_for("me.contacts"),
        email=mail,
    )


def notify_sender(contact: ContactRequest, link: str) -> None:
    """Tell the sender, in their language, that their request was accepted (before commit)."""

    def mail(locale: str) -> tuple[str, str]:
        name = display_name(contact.recipient)
        return (
            _("%(name)s accepted your contact request", name=name),
            _(
                "%(name)s accepted your request. You can now see each other's email "
                "on your contacts page:\n%(link)s",
                name=name,
                link=link,
            ),
        )

    notifications.notify(
        contact.sender,
        notifications.CONTACT_ANSWERED,
        record=contact,
        link=url_for("me.contacts"),
        email=mail,
    )
