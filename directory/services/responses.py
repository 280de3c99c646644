"""Applications and proposals as the posting organisation sees them, and how it answers."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import select

from .. import vocab
from ..extensions import db
from ..models import Application, Challenge, Opening, Proposal, ResponseStatus, User
from . import audit, notifications
from .orgs import InvalidInput

Response = Application | Proposal

# received → shortlisted → accepted/declined; accepted and declined are final.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    ResponseStatus.RECEIVED: (
        ResponseStatus.SHORTLISTED,
        ResponseStatus.ACCEPTED,
        ResponseStatus.DECLINED,
    ),
    ResponseStatus.SHORTLISTED: (ResponseStatus.ACCEPTED, ResponseStatus.DECLINED),
}
MESSAGE_MAX = 2000


def next_statuses(status: str) -> tuple[str, ...]:
    """The statuses a response may move to from `status` (none once final)."""
    return TRANSITIONS.get(status, ())


def applications_for(opening: Opening) -> list[Application]:
    """An opening's applications, newest first."""
    return list(
        db.session.scalars(
            select(Application)
            .where(Application.opening_id == opening.id)
            .order_by(Application.created_at.desc(), Application.id.desc())
        )
    )


def proposals_for(challenge: Challenge) -> list[Proposal]:
    """A challenge's proposals, newest first."""
    return list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.challenge_id == challenge.id)
            .order_by(Proposal.created_at.desc(), Proposal.id.desc())
        )
    )


def applicant_name(user: User) -> str:
    """The name the applicant gave in their profile; never their email."""
    if user.profile is not None and user.profile.full_name:
        return user.profile.full_name
    return _("Applicant without a profile (#%(id)d)", id=user.id)


def respond(record: Response, status: str, message: str, *, actor: User, ip: str = "") -> None:
    """Move an application or proposal to its next status, with an optional message."""
    allowed = next_statuses(record.status)
    current = vocab.RESPONSE_STATUS[record.status]  # lazy: rendered in the viewer's language
    if not allowed:
        raise InvalidInput("status", _l("This answer is final (%(status)s).", status=current))
    if status not in allowed:
        names = LazyString(lambda: ", ".join(str(vocab.RESPONSE_STATUS[s]) for s in allowed))
        raise InvalidInput(
            "status",
            _l("From “%(current)s” it can only move to: %(allowed)s.", current=current,
               allowed=names),
        )  # fmt: skip
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise InvalidInput("message", _l("Use at most %(max)d characters.", max=MESSAGE_MAX))
    previous = record.status
    record.status = status
    # The message belongs to this answer: a later answer without one clears the old text.
    record.response_message = message
    db.session.flush()
    kind = "application" if isinstance(record, Application) else "proposal"
    audit.record(
        f"{kind}.answered",
        actor=actor,
        target_kind=kind,
        target_id=record.id,
        ip=ip,
        was=previous,
        now=status,
    )


def notify_applicant(record: Response, *, link: str) -> None:
    """Tell the applicant the new status (in the app and/or by mail, as they chose).

    Call before the commit: the in-app notification belongs to the answer's transaction.
    The mail is in the applicant's language and links to the public post (`link`).
    """
    is_application = isinstance(record, Application)
    post = record.opening if is_application else record.challenge

    def mail(locale: str) -> tuple[str, str]:
        title, org = post.title, post.organization.name
        if is_application:
            subject = _("Your application to “%(title)s” has news", title=title)
        else:
            subject = _("Your proposal for “%(title)s” has news", title=title)
        body = _(
            "%(org)s has updated your response to “%(title)s”.\n\nNew status: %(status)s\n\n"
            "%(message)s\n\nSee it here: %(link)s",
            org=org,
            title=title,
            status=vocab.label("response_status", record.status),
            message=record.response_message or "",
            link=link,
        )
        return subject, body

    notifications.notify(
        record.user,
        notifications.APPLICATION_STATUS if is_application else notifications.PROPOSAL_STATUS,
        record=record,
        params={"status": record.status},
        link=url_for("me.activity"),
        email=mail,
    )
