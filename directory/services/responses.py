"""Applications and proposals as the posting organisation sees them, and how it answers."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from .. import vocab
from ..extensions import db
from ..models import (
    Application,
    AuditEvent,
    Challenge,
    Opening,
    OrgRole,
    Profile,
    Proposal,
    ResponseStatus,
    User,
    utcnow,
)
from ..models.proposals import ProposalMember
from . import audit, notifications
from .engagement import EngagementError
from .notifications import kinds
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
# The sender may take a response back until the organisation decides (the proposals' rule,
# services/procurement/proposals.py OPEN).
WITHDRAWABLE = (ResponseStatus.RECEIVED, ResponseStatus.SHORTLISTED)
FILTERS = (*ResponseStatus.ALL, ResponseStatus.WITHDRAWN)  # the list's status filter
# The applicant's profile, skills and name in one query each, whatever the list's length.
_PERSON = selectinload(Application.user).selectinload(User.profile).selectinload(Profile.skills)


def next_statuses(status: str) -> tuple[str, ...]:
    """The statuses a response may move to from `status` (none once final)."""
    return TRANSITIONS.get(status, ())


def applications_for(opening: Opening, status: str | None = None) -> list[Application]:
    """An opening's applications (of one status, if given), newest first, with each
    applicant's profile and skills loaded in bulk."""
    stmt = select(Application).where(Application.opening_id == opening.id).options(_PERSON)
    if status:
        stmt = stmt.where(Application.status == status)
    order = (Application.created_at.desc(), Application.id.desc())
    return list(db.session.scalars(stmt.order_by(*order)))


def proposals_for(challenge: Challenge, status: str | None = None) -> list[Proposal]:
    """A challenge's proposals (of one status, if given), newest first, with the proposer's
    profile, the organisation and the named partners loaded in bulk."""
    member = selectinload(Proposal.members)
    stmt = (
        select(Proposal)
        .where(Proposal.challenge_id == challenge.id)
        .options(
            selectinload(Proposal.user).selectinload(User.profile).selectinload(Profile.skills),
            selectinload(Proposal.organization),
            member.selectinload(ProposalMember.organization),
            member.selectinload(ProposalMember.user).selectinload(User.profile),
        )
    )
    if status:
        stmt = stmt.where(Proposal.status == status)
    order = (Proposal.created_at.desc(), Proposal.id.desc())
    return list(db.session.scalars(stmt.order_by(*order)))


def status_counts(post: Opening | Challenge) -> dict[str, int]:
    """How many responses a post holds in each status (one query)."""
    model = Application if isinstance(post, Opening) else Proposal
    column = Application.opening_id if isinstance(post, Opening) else Proposal.challenge_id
    rows = db.session.execute(
        select(model.status, func.count()).where(column == post.id).group_by(model.status)
    )
    return {str(status): int(n) for status, n in rows}


def shared_profile(user: User) -> Profile | None:
    """The profile an organisation sees with a response: sending one shares it, whatever
    its visibility (the apply page and the privacy notice say so); a closed account's, never.
    Email and phone are never part of it (templates/orgs/responses.html)."""
    return user.profile if user.active else None


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


# --- the applicant's side: withdrawing and the history of what was sent ---------------------


def can_withdraw_application(application: Application, user: User) -> bool:
    """The applicant may take back an application the organisation has not decided on."""
    return application.user_id == getattr(user, "id", None) and application.status in WITHDRAWABLE


def withdraw_application(application: Application, user: User, *, ip: str = "") -> None:
    """Withdraw an application (audited); the opening's owners and editors are told.

    Final: one application per person and opening, so a withdrawn one cannot be sent again.
    """
    if application.user_id != user.id:
        raise EngagementError(_l("Only the person who sent an application may withdraw it."))
    if application.status not in WITHDRAWABLE:
        raise EngagementError(_l("This application has already been decided or withdrawn."))
    previous = application.status
    application.status = ResponseStatus.WITHDRAWN
    application.withdrawn_at = utcnow()
    db.session.flush()
    audit.record("application.withdrawn", actor=user, target_kind="application",
                 target_id=application.id, ip=ip, was=previous)  # fmt: skip
    link = url_for("orgs.responses_opening", opening_id=application.opening_id)
    for membership in application.opening.organization.memberships:
        if membership.role in OrgRole.ALL:
            notifications.notify(membership.user, kinds.APPLICATION_WITHDRAWN,
                                 record=application, link=link)  # fmt: skip


def history(record: Response) -> list[tuple[object, str]]:
    """(when, status) from sending to now, read from the audit trail (one query)."""
    kind = "application" if isinstance(record, Application) else "proposal"
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.target_kind == kind,
            AuditEvent.target_id == record.id,
            AuditEvent.action.in_((f"{kind}.answered", f"{kind}.withdrawn")),
        )
        .order_by(AuditEvent.created_at, AuditEvent.id)
    )
    steps: list[tuple[object, str]] = [(record.created_at, ResponseStatus.RECEIVED)]
    for event in events:
        withdrawn = event.action.endswith(".withdrawn")
        now = ResponseStatus.WITHDRAWN if withdrawn else (event.details or {}).get("now")
        if isinstance(now, str) and now in vocab.RESPONSE_STATUS:  # codes we can name, only
            steps.append((event.created_at, now))
    return steps
