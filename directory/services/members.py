"""Organisation members: who belongs where, editor invitations by email, removals."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..extensions import db
from ..models import Invitation, Membership, Organization, OrgRole, User, utcnow
from . import audit
from .accounts import AccountError, normalise_email
from .orgs import InvalidInput

INVITATION_MAX_AGE = timedelta(days=14)


def memberships_of(user: User) -> list[Membership]:
    """The user's memberships, by organisation name."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.organization)
            .where(Membership.user_id == user.id)
            .order_by(Organization.name, Organization.id)
        )
    )


def token_hash(token: str) -> str:
    """The stored form of an invitation token (the raw token only travels by mail)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invite_editor(
    org: Organization, email: str, *, actor: User, ip: str = ""
) -> tuple[Invitation, str]:
    """Create an editor invitation; return it with the raw token to mail."""
    try:
        address = normalise_email(email)
    except AccountError as exc:
        raise InvalidInput("email", exc.message) from exc
    if any(m.user.email.lower() == address for m in org.memberships):
        raise InvalidInput("email", _l("This person already belongs to the organisation."))
    # Only the newest link for an address works: older unused ones are withdrawn.
    for old in db.session.scalars(
        select(Invitation).where(
            Invitation.organization_id == org.id,
            Invitation.email == address,
            Invitation.accepted_at.is_(None),
        )
    ):
        db.session.delete(old)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organization=org, email=address, role=OrgRole.EDITOR, token_hash=token_hash(token)
    )
    invitation.invited_by_id = actor.id
    db.session.add(invitation)
    db.session.flush()
    audit.record(
        "organization.invited",
        actor=actor,
        target_kind="organization",
        target_id=org.id,
        ip=ip,
        invitation_id=invitation.id,
    )
    return invitation, token


def find_invitation(token: str) -> Invitation | None:
    """The unused, unexpired invitation a token opens, or None."""
    if not token or len(token) > 200:
        return None
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == token_hash(token))
    )
    if invitation is None or invitation.accepted_at is not None:
        return None
    if invitation.created_at < utcnow() - INVITATION_MAX_AGE:
        return None
    return invitation


def invitation_is_for(invitation: Invitation, user: User) -> bool:
    """Whether the logged-in account's email is the invited address."""
    return user.email.lower() == invitation.email.lower()


def accept_invitation(invitation: Invitation, user: User, *, ip: str = "") -> Membership | None:
    """Use an invitation (once): make the user an editor unless already a member."""
    if not invitation_is_for(invitation, user):
        raise InvalidInput("token", _l("This invitation was sent to another email address."))
    invitation.accepted_at = utcnow()
    org = invitation.organization
    membership = None
    if org.role_of(user) is None:
        membership = Membership(user=user, organization=org, role=invitation.role)
        db.session.add(membership)
    db.session.flush()
    audit.record(
        "organization.invitation_accepted",
        actor=user,
        target_kind="organization",
        target_id=org.id,
        ip=ip,
        invitation_id=invitation.id,
    )
    return membership


def pending_invitations(org: Organization) -> list[Invitation]:
    """Invitations not used yet, newest first."""
    return list(
        db.session.scalars(
            select(Invitation)
            .where(Invitation.organization_id == org.id, Invitation.accepted_at.is_(None))
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        )
    )


def remove_member(membership: Membership, *, actor: User, ip: str = "") -> None:
    """Remove a member; the last owner of an organisation cannot be removed."""
    org = membership.organization
    if membership.role == OrgRole.OWNER:
        owners = db.session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.organization_id == org.id, Membership.role == OrgRole.OWNER)
        )
        if (owners or 0) <= 1:
            raise InvalidInput(
                "membership",
                _l("An organisation needs at least one owner; add another first."),
            )
    removed_user_id = membership.user_id
    org.memberships.remove(membership)
    db.session.flush()
    audit.record(
        "organization.member_removed",
        actor=actor,
        target_kind="organization",
        target_id=org.id,
        ip=ip,
        user_id=removed_user_id,
        role=membership.role,
    )
