"""ARCO cancellation: delete an account and everything personal it left behind.

What goes: the user row, profile (and its skills links and vectors), login sessions,
memberships, applications, proposals, contact requests sent and received, claims,
invitations addressed to the email, and their notifications and notification settings.
What stays, without the person: the audit trail
(actor and IP cleared, the email scrubbed from details), reports they filed about a
listing (reporter cleared: they are about the listing), records they created for an
organisation (creator cleared), and their ARCO requests (email and message cleared: we
must be able to show that a request was answered, not who made it).

Organisations the person alone belongs to, as owner, that never went public (pending or
rejected, nothing of them published: org_deletion.py) are deleted with the account.

Two cases refuse, because deleting would leave the directory without a keeper:
- the last owner of any other organisation (one that was published, or that has other
  members: the owner hands it over first), unless a curator runs the deletion and accepts
  that the organisation stays listed without an owner (it can then be claimed again);
- the last curator.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, cast, delete, func, or_, select, update

from ..extensions import db
from ..matching import store
from ..models import (
    AlertDelivery,
    AlertSettings,
    Application,
    AuditEvent,
    Challenge,
    Claim,
    ContactRequest,
    Digest,
    Invitation,
    Membership,
    Opening,
    Organization,
    OrgRole,
    PendingRevision,
    PrivacyRequest,
    Proposal,
    Report,
    Role,
    SuccessStory,
    User,
    utcnow,
)
from ..models.proposals import ProposalMember
from ..models.story_submissions import StoryNaming
from . import audit, match_feedback, media, notifications, org_deletion
from .coalition import privacy as coalition_privacy
from .data_export import audit_clause
from .privacy import OPEN
from .procurement import account as procurement_account

SCRUBBED = "[deleted]"
# Columns naming the person on records that outlive the account (ON DELETE SET NULL, done
# here explicitly so the result never depends on the database enforcing foreign keys).
KEEP_WITHOUT_PERSON = (
    Organization.created_by_id,
    Organization.verified_by_id,
    Opening.created_by_id,
    Challenge.created_by_id,
    SuccessStory.created_by_id,
    Invitation.invited_by_id,
    Claim.decided_by_id,
    Report.reporter_id,
    Report.decided_by_id,
    PrivacyRequest.decided_by_id,
    PendingRevision.submitted_by_id,
    PendingRevision.decided_by_id,
)


class DeletionBlocked(Exception):
    """The account cannot be deleted yet; `organizations` lists what needs a new owner."""

    def __init__(self, reason: str, organizations: list[Organization] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason  # "last_owner" or "last_curator"
        self.organizations = organizations or []


def organizations_deleted_with(user: User) -> list[Organization]:
    """Organisations that go with the account: never public, and nobody else belongs."""
    return org_deletion.owned_alone_and_deletable(user)


def sole_owned_organizations(user: User) -> list[Organization]:
    """Organisations the user alone owns that outlive the account (and need a new owner).

    Those deleted with the account (organizations_deleted_with) are not among them.
    """
    deleted = {org.id for org in organizations_deleted_with(user)}
    owners = (
        select(Membership.organization_id, func.count().label("n"))
        .where(Membership.role == OrgRole.OWNER)
        .group_by(Membership.organization_id)
        .subquery()
    )
    owned = db.session.scalars(
        select(Organization)
        .join(Membership, Membership.organization_id == Organization.id)
        .join(owners, owners.c.organization_id == Organization.id)
        .where(
            Membership.user_id == user.id,
            Membership.role == OrgRole.OWNER,
            owners.c.n == 1,
        )
        .order_by(Organization.name, Organization.id)
    )
    return [org for org in owned if org.id not in deleted]


def is_last_curator(user: User) -> bool:
    """Whether the user is a curator and no other curator would remain."""
    if user.role != Role.CURATOR:
        return False
    others = db.session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.CURATOR, User.active.is_(True), User.id != user.id)
    )
    return not others


def check_deletable(user: User, *, orphan_organizations: bool = False) -> None:
    """Raise DeletionBlocked when deleting the account would leave something keeperless."""
    if is_last_curator(user):
        raise DeletionBlocked("last_curator")
    owned = sole_owned_organizations(user)
    if owned and not orphan_organizations:
        raise DeletionBlocked("last_owner", owned)


def _scrub(value: Any, needle: str) -> Any:
    """Replace any string holding `needle` (case-insensitive) inside a JSON value."""
    if isinstance(value, str):
        return SCRUBBED if needle in value.lower() else value
    if isinstance(value, list):
        return [_scrub(item, needle) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, needle) for key, item in value.items()}
    return value


def _anonymise_audit(user: User) -> None:
    """Keep the trail, lose the person: no actor, no IP, no email in any event."""
    email = user.email.lower()
    mine = list(db.session.scalars(select(AuditEvent).where(audit_clause(user))))
    # Events by others may still name the address in their details (an invitation, say).
    # JSON is text on SQLite and castable on PostgreSQL, so one LIKE finds them.
    escaped = email.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    mentioning = db.session.scalars(
        select(AuditEvent).where(
            func.lower(cast(AuditEvent.details, String)).like(f"%{escaped}%", escape="\\")
        )
    )
    for event in {e.id: e for e in [*mine, *mentioning]}.values():
        if event.actor_id == user.id:
            event.actor_id = None
            event.ip = ""
        event.details = _scrub(dict(event.details or {}), email)


def _close_privacy_requests(user: User) -> None:
    """Open requests of a deleted account are settled by the deletion; none keep contact data."""
    now = utcnow()
    for request in db.session.scalars(
        select(PrivacyRequest).where(PrivacyRequest.user_id == user.id)
    ):
        if request.status == OPEN:
            request.status = "answered"
            # Stored text, read by curators of either language.
            request.response = "Cuenta eliminada por su titular. / Account deleted by its owner."
            request.decided_at = now
        request.email = ""
        request.message = ""
        request.user_id = None


def delete_account(
    user: User, *, actor: User | None, ip: str = "", orphan_organizations: bool = False
) -> None:
    """Delete the account and its personal data (see the module docstring); caller commits.

    `actor` is None when people delete their own account (the event must not point at
    a row that no longer exists), or the curator who ran the deletion.
    """
    check_deletable(user, orphan_organizations=orphan_organizations)
    # Their never-published organisations first: the audit trail below is then anonymised
    # with the rest (the events keep the organisation's name, not the person).
    for org in organizations_deleted_with(user):
        org_deletion.delete_organization(org, actor=actor, ip=ip, reason="account_deleted")
    user_id = user.id
    email = user.email
    profile_id = user.profile.id if user.profile is not None else None
    _anonymise_audit(user)
    _close_privacy_requests(user)
    # Explicit deletes rather than trusting ON DELETE CASCADE alone: the outcome must not
    # depend on a pragma, and the ORM then never flushes stale rows back.
    # Procurement: their questions, follows and unit places; the namings in proposals of
    # them and in their own proposals (before the proposals themselves).
    procurement_account.delete_for(user_id)
    coalition_privacy.delete_for(user)  # answers to consultations, group places
    # Stories: where they are named (a naming is theirs to give), and whose naming they
    # answered for an organisation (kept, without them).
    db.session.execute(delete(StoryNaming).where(StoryNaming.user_id == user_id))
    db.session.execute(
        update(StoryNaming)
        .where(StoryNaming.decided_by_id == user_id)
        .values(decided_by_id=None)
        .execution_options(synchronize_session=False)
    )
    own_proposals = select(Proposal.id).where(Proposal.user_id == user_id)
    db.session.execute(
        delete(ProposalMember).where(
            or_(ProposalMember.user_id == user_id, ProposalMember.proposal_id.in_(own_proposals))
        )
    )
    db.session.execute(
        update(ProposalMember)
        .where(ProposalMember.decided_by_id == user_id)
        .values(decided_by_id=None)
        .execution_options(synchronize_session=False)
    )
    for model, column in (
        (Application, Application.user_id),
        (Proposal, Proposal.user_id),
        (Claim, Claim.user_id),
    ):
        db.session.execute(delete(model).where(column == user_id))
    db.session.execute(
        delete(ContactRequest).where(
            or_(ContactRequest.sender_id == user_id, ContactRequest.recipient_id == user_id)
        )
    )
    db.session.execute(delete(Invitation).where(func.lower(Invitation.email) == email.lower()))
    notifications.delete_for(user_id)  # their notifications and channel choices
    match_feedback.delete_for(user_id, profile_id)  # saved/hidden matches, invitations
    # Alerts: what was delivered, the digests, the settings (saved searches go with the
    # user row through the ORM backref).
    for model, column in (
        (AlertDelivery, AlertDelivery.user_id),
        (Digest, Digest.user_id),
        (AlertSettings, AlertSettings.user_id),
    ):
        db.session.execute(delete(model).where(column == user_id))
    # Failed mails to this address, their payloads and retries (SECURITY.md row 43).
    from ..jobs import deadletter  # the queue imports services: not at module load

    deadletter.forget_address(email)
    for column in KEEP_WITHOUT_PERSON:
        db.session.execute(
            update(column.class_).where(column == user_id).values({column.key: None})
        )
    if profile_id is not None:
        store.delete_vectors("profile", [profile_id])
        media.remove_photo(user.profile)  # its file is deleted once this commits
    # The ORM delete cascades to profile (and its skill links), memberships and sessions,
    # and the matching store's before_flush listener purges the profile's vectors again.
    db.session.delete(user)
    db.session.flush()
    audit.record(
        "account.deleted",
        actor=actor,
        target_kind="user",
        target_id=user_id,
        ip=ip if actor is not None else "",
        by_owner=actor is None,
    )
