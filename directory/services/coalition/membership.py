"""Coalition membership: an owner asks, a curator approves or declines, tiers and ends.

Every decision is audited and told to the organisation's owners (in the app and by mail,
as each chose). Only published organisations may ask, and only their owners speak for them.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from ...extensions import db
from ...models import Organization, OrgRole, Status, User, utcnow
from ...models.coalition import CoalitionMember, CoalitionStatus, CoalitionTier
from .. import audit, notifications
from ..notifications import kinds
from .common import MAX_MESSAGE, MAX_NOTE, InvalidInput, checked_text, is_owner, is_public_org
from .common import today as _today

# What an owner may ask for; founding member is the curators' call.
REQUESTABLE_TIERS = (CoalitionTier.MEMBER, CoalitionTier.OBSERVER)


def membership_of(org: Organization) -> CoalitionMember | None:
    """The organisation's coalition row (any status), or None."""
    return db.session.scalar(
        select(CoalitionMember).where(CoalitionMember.organization_id == org.id)
    )


def may_request(user: Any, org: Organization) -> bool:
    """Whether the user could ask now: an owner of a published organisation not in or asking."""
    row = membership_of(org)
    waiting = row is not None and row.status in (CoalitionStatus.REQUESTED, CoalitionStatus.ACTIVE)
    return is_owner(user, org) and is_public_org(org) and not waiting


def request_to_join(
    org: Organization, *, actor: User, tier: Any, message: Any, ip: str = ""
) -> CoalitionMember:
    """An owner asks for the organisation to join the coalition; curators decide."""
    if not is_owner(actor, org):
        raise InvalidInput("tier", _l("Only the organisation's owners can ask to join."))
    if not is_public_org(org):
        raise InvalidInput(
            "tier", _l("The organisation must be published before it can join the coalition.")
        )
    if tier not in REQUESTABLE_TIERS:
        raise InvalidInput("tier", _l("Choose how the organisation wants to take part."))
    text = checked_text("message", message, MAX_MESSAGE, required=False)
    row = membership_of(org)
    if row is not None and row.status == CoalitionStatus.ACTIVE:
        raise InvalidInput("tier", _l("This organisation is already a member of the coalition."))
    if row is not None and row.status == CoalitionStatus.REQUESTED:
        raise InvalidInput(
            "tier", _l("This organisation has already asked; a curator will answer.")
        )
    if row is None:
        row = CoalitionMember(organization=org)
        db.session.add(row)
    row.status, row.tier, row.message = CoalitionStatus.REQUESTED, tier, text
    row.requested_by_id, row.requested_at = actor.id, utcnow()
    row.decided_by_id, row.decided_at, row.note = None, None, ""
    row.joined_on, row.ended_on = None, None
    db.session.flush()
    audit.record("coalition.requested", actor=actor, target_kind="organization",
                 target_id=org.id, ip=ip, tier=tier)  # fmt: skip
    return row


def _notify_owners(row: CoalitionMember, action: str) -> None:
    owners = [m.user for m in row.organization.memberships if m.role == OrgRole.OWNER]
    link = url_for("coalition.join", org_id=row.organization_id, _external=False)
    for owner in owners:
        notifications.notify(owner, kinds.COALITION_DECIDED, record=row, link=link,
                             params={"action": action, "tier": row.tier})  # fmt: skip


def _decided(row: CoalitionMember, actor: User) -> None:
    row.decided_by_id, row.decided_at = actor.id, utcnow()


def _check_tier(tier: Any) -> str:
    if tier not in CoalitionTier.ALL:
        raise InvalidInput("tier", _l("Choose a tier."))
    return str(tier)


def approve(row: CoalitionMember, *, actor: User, tier: Any, note: Any = "", ip: str = "") -> None:
    """A curator accepts a request: the organisation is a member from today, in a tier."""
    if row.status != CoalitionStatus.REQUESTED:
        raise InvalidInput("tier", _l("This request was already decided."))
    if not is_public_org(row.organization):
        raise InvalidInput("tier", _l("The organisation is no longer published."))
    row.tier = _check_tier(tier)
    row.note = checked_text("note", note, MAX_NOTE, required=False)
    row.status, row.joined_on, row.ended_on = CoalitionStatus.ACTIVE, _today(), None
    _decided(row, actor)
    db.session.flush()
    audit.record("coalition.approved", actor=actor, target_kind="organization",
                 target_id=row.organization_id, ip=ip, tier=row.tier)  # fmt: skip
    _notify_owners(row, "approved")


def decline(row: CoalitionMember, *, actor: User, note: Any, ip: str = "") -> None:
    """A curator declines a request, with a reason the owners read."""
    if row.status != CoalitionStatus.REQUESTED:
        raise InvalidInput("note", _l("This request was already decided."))
    row.note = checked_text("note", note, MAX_NOTE)
    row.status = CoalitionStatus.DECLINED
    _decided(row, actor)
    db.session.flush()
    audit.record("coalition.declined", actor=actor, target_kind="organization",
                 target_id=row.organization_id, ip=ip)  # fmt: skip
    _notify_owners(row, "declined")


def change_tier(row: CoalitionMember, *, actor: User, tier: Any, ip: str = "") -> bool:
    """A curator moves a member to another tier; False when it was already there."""
    if row.status != CoalitionStatus.ACTIVE:
        raise InvalidInput("tier", _l("Only current members have a tier to change."))
    new = _check_tier(tier)
    if new == row.tier:
        return False
    old, row.tier = row.tier, new
    _decided(row, actor)
    db.session.flush()
    audit.record("coalition.tier_changed", actor=actor, target_kind="organization",
                 target_id=row.organization_id, ip=ip, before=old, after=new)  # fmt: skip
    _notify_owners(row, "tier")
    return True


def end(row: CoalitionMember, *, actor: User, note: Any, ip: str = "") -> None:
    """A curator ends a membership (from today), with a reason the owners read."""
    if row.status != CoalitionStatus.ACTIVE:
        raise InvalidInput("note", _l("Only a current membership can end."))
    row.note = checked_text("note", note, MAX_NOTE)
    row.status, row.ended_on = CoalitionStatus.ENDED, _today()
    _decided(row, actor)
    db.session.flush()
    audit.record("coalition.ended", actor=actor, target_kind="organization",
                 target_id=row.organization_id, ip=ip)  # fmt: skip
    _notify_owners(row, "ended")


def waiting_requests() -> list[CoalitionMember]:
    """Requests waiting for a curator, oldest first."""
    rows = db.session.scalars(
        select(CoalitionMember)
        .where(CoalitionMember.status == CoalitionStatus.REQUESTED)
        .order_by(CoalitionMember.requested_at, CoalitionMember.id)
    )
    return list(rows)


def current_members(*, kind: str | None = None, state: str | None = None,
                    tier: str | None = None) -> list[CoalitionMember]:  # fmt: skip
    """Active members whose organisation is public, by name; optionally one kind/state/tier."""
    query = (
        select(CoalitionMember)
        .join(Organization, CoalitionMember.organization_id == Organization.id)
        .where(
            CoalitionMember.status == CoalitionStatus.ACTIVE,
            Organization.status == Status.PUBLISHED,
            Organization.merged_into_id.is_(None),
        )
        .options(contains_eager(CoalitionMember.organization))
        .order_by(Organization.name, Organization.id)
    )
    if kind:
        query = query.where(Organization.kind == kind)
    if state:
        query = query.where(Organization.state_code == state)
    if tier:
        query = query.where(CoalitionMember.tier == tier)
    return list(db.session.scalars(query))


def history_rows() -> list[CoalitionMember]:
    """Every membership that began (active or ended) of a public organisation: for counts."""
    rows = db.session.scalars(
        select(CoalitionMember)
        .join(Organization, CoalitionMember.organization_id == Organization.id)
        .where(
            CoalitionMember.status.in_((CoalitionStatus.ACTIVE, CoalitionStatus.ENDED)),
            CoalitionMember.joined_on.is_not(None),
            Organization.status == Status.PUBLISHED,
            Organization.merged_into_id.is_(None),
        )
        .options(contains_eager(CoalitionMember.organization))
    )
    return list(rows)
