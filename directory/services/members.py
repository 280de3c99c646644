"""Organisation members: who belongs where, editor invitations by email, removals and
handing ownership to another member."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

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


def members_of(org: Organization) -> list[Membership]:
    """The organisation's members, owners first, with their accounts and profiles loaded.

    One query for all of them: the dashboard names every member (no query per row).
    """
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.organization_id == org.id)
            .options(selectinload(Membership.user).selectinload(User.profile))
            .order_by(Membership.role != OrgRole.OWNER, Membership.id)
        )
    )


def owner_count(org: Organization) -> int:
    """How many owners the organisation has now."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.organization_id == org.id, Membership.role == OrgRole.OWNER)
        )
        or 0
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
    if membership.role == OrgRole.OWNER and owner_count(org) <= 1:
        raise InvalidInput(
            "membership", _l("An organisation needs at least one owner; add another first.")
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


def transfer_candidates(org: Organization, actor: User) -> list[Membership]:
    """Members the owner may hand the organisation to: active editors other than themselves."""
    return [
        m
        for m in members_of(org)
        if m.role != OrgRole.OWNER and m.user_id != actor.id and m.user.active
    ]


def transfer_ownership(
    org: Organization, membership: Membership, *, actor: User, stay_owner: bool, ip: str = ""
) -> Membership:
    """Make a current member an owner; the owner acting becomes an editor unless they stay.

    The new owner is promoted before the old one steps down, so the organisation is never
    without an owner, even for a moment. Returns the acting owner's membership.
    """
    mine = next((m for m in org.memberships if m.user_id == actor.id), None)
    if mine is None or mine.role != OrgRole.OWNER:
        raise InvalidInput("member", _l("Only an owner can hand over the organisation."))
    if membership.organization_id != org.id or membership.user_id == actor.id:
        raise InvalidInput("member", _l("Choose another member of the organisation."))
    if membership.role == OrgRole.OWNER:
        raise InvalidInput("member", _l("This person is already an owner."))
    if not membership.user.active:
        raise InvalidInput("member", _l("This account is deactivated; choose another member."))
    membership.role = OrgRole.OWNER
    if not stay_owner:
        mine.role = OrgRole.EDITOR
    db.session.flush()
    if owner_count(org) < 1:  # cannot happen (promoted first); refuse rather than orphan
        raise InvalidInput("member", _l("An organisation needs at least one owner."))
    audit.record(
        "organization.ownership_transferred",
        actor=actor,
        target_kind="organization",
        target_id=org.id,
        ip=ip,
        user_id=membership.user_id,
        previous_owner_id=actor.id,
        previous_owner_role=mine.role,
    )
    return mine
