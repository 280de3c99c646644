"""Acting on listings: applying to openings, reporting records, and the checks and notices
proposals share (the structured proposal itself: services/procurement/proposals.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import permissions, vocab
from ..extensions import db
from ..models import (
    Application,
    Challenge,
    Membership,
    Opening,
    Organization,
    OrgRole,
    Proposal,
    Report,
    Status,
    User,
)
from . import audit, notifications

MAX_MESSAGE = 5000
MAX_REPORT_MESSAGE = 2000
Post = Opening | Challenge


class EngagementError(ValueError):
    """A refusal with a message fit to show the user."""

    def __init__(self, message: Any, field: str = "message") -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field


def is_open(post: Post, today: date | None = None) -> bool:
    """Whether a post is listed (published, by a published org) and not past its closing date."""
    today = today or date.today()
    return (
        post.status == Status.PUBLISHED
        and post.organization.status == Status.PUBLISHED
        and (post.closes_on is None or post.closes_on >= today)
    )


def has_applied(opening: Opening, user: User) -> bool:
    """Whether the user has already applied to the opening."""
    return my_application(opening, user) is not None


def my_application(opening: Opening, user: User) -> Application | None:
    """The user's application to the opening (withdrawn ones included), if any."""
    return db.session.scalar(
        select(Application).where(
            Application.opening_id == opening.id, Application.user_id == user.id
        )
    )


def apply_refusal(opening: Opening, user: User) -> str | None:
    """Why the user may not apply to this opening, or None when they may."""
    if not is_open(opening):
        return str(_l("This opening is closed and no longer takes applications."))
    if permissions.org_role(user, opening.organization) is not None:
        return str(_l("You cannot apply to an opening of your own organisation."))
    if has_applied(opening, user):
        return str(_l("You have already applied to this opening."))
    return None


def apply(opening: Opening, user: User, message: str, *, ip: str = "") -> Application:
    """Record an application; refuse closed openings, own-org openings and repeats."""
    refusal = apply_refusal(opening, user)
    if refusal:
        raise EngagementError(refusal)
    _check_message(message, MAX_MESSAGE)
    application = Application(opening=opening, user=user, message=message.strip())
    db.session.add(application)
    try:
        db.session.flush()
    except IntegrityError as exc:
        # Two submissions racing past the check above: the unique constraint decides.
        db.session.rollback()
        raise EngagementError(_l("You have already applied to this opening.")) from exc
    audit.record(
        "application.created",
        actor=user,
        target_kind="opening",
        target_id=opening.id,
        ip=ip,
        application_id=application.id,
    )
    notify_team(opening, application)
    return application


def proposing_orgs(user: User) -> list[Organization]:
    """The organisations a user may propose on behalf of (owner or editor)."""
    return list(
        db.session.scalars(
            select(Organization)
            .join(Membership, Membership.organization_id == Organization.id)
            .where(
                Membership.user_id == user.id,
                Membership.role.in_(OrgRole.ALL),
                Organization.merged_into_id.is_(None),
            )
            .order_by(Organization.name, Organization.id)
        )
    )


def posting_refusal(challenge: Challenge, user: User) -> str | None:
    """Why nobody like this user may propose now: the challenge is closed, or it is their
    own organisation's; None otherwise."""
    if not is_open(challenge):
        return str(_l("This challenge is closed and no longer takes proposals."))
    if permissions.org_role(user, challenge.organization) is not None:
        return str(_l("You cannot send a proposal to your own organisation's challenge."))
    return None


def propose_refusal(challenge: Challenge, user: User) -> str | None:
    """Why the user may not propose for this challenge, or None when they may.

    Closed challenges, the posting organisation's own people, and anyone with no eligible
    way to propose (procurement/proposals.py) are refused before they type a word.
    """
    from .procurement.proposals import eligibility_refusal  # it builds on this module

    return posting_refusal(challenge, user) or eligibility_refusal(challenge, user)


def report(
    target_kind: str, target_id: int, reporter: User, reason: str, message: str, *, ip: str = ""
) -> Report:
    """File a report about a record the reporter can see; curators review it."""
    if target_kind not in vocab.RECORD_KINDS:
        raise EngagementError(_l("This kind of record cannot be reported."), "reason")
    if reason not in vocab.REPORT_REASONS:
        raise EngagementError(_l("Choose a reason."), "reason")
    _check_message(message, MAX_REPORT_MESSAGE, required=False)
    row = Report(
        reporter_id=reporter.id,
        target_kind=target_kind,
        target_id=target_id,
        reason=reason,
        message=message.strip(),
        status="open",
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        "report.created",
        actor=reporter,
        target_kind=target_kind,
        target_id=target_id,
        ip=ip,
        report_id=row.id,
        reason=reason,
    )
    return row


def _check_message(message: str, limit: int, *, required: bool = True) -> None:
    text = (message or "").strip()
    if required and not text:
        raise EngagementError(_l("Write a message."))
    if len(text) > limit:
        raise EngagementError(_l("Use at most %(max)d characters.", max=limit))


def _team(org: Organization) -> list[User]:
    """The organisation's owners and editors: the people who read and answer responses."""
    return [m.user for m in org.memberships if m.role in OrgRole.ALL]


def notify_team(post: Post, record: Application | Proposal) -> None:
    """Tell the posting organisation's owners and editors, in the response's transaction.

    Only the title and a link go out: the message itself is read after logging in, so no
    personal data travels by email.
    """
    is_opening = isinstance(post, Opening)
    what = "application" if is_opening else "proposal"
    if is_opening:
        public = url_for("public.opening", opening_id=post.id, _external=True)
        inbox = url_for("orgs.responses_opening", opening_id=post.id)
    else:
        public = url_for("public.challenge", challenge_id=post.id, _external=True)
        inbox = url_for("orgs.responses_challenge", challenge_id=post.id)

    def mail(locale: str) -> tuple[str, str]:
        if is_opening:
            subject = _("New application for “%(title)s”", title=post.title)
        else:
            subject = _("New proposal for “%(title)s”", title=post.title)
        body = _(
            "%(org)s received a new response to “%(title)s”.\n\n%(link)s\n\n"
            "Log in to Directorio IA to read it and answer.",
            org=post.organization.name,
            title=post.title,
            link=public,
        )
        return subject, body

    for person in _team(post.organization):
        notifications.notify(
            person,
            notifications.RESPONSE_RECEIVED,
            record=record,
            params={"what": what},
            link=inbox,
            email=mail,
        )
