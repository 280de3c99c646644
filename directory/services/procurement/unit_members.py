"""Who is in a unit: people in the directory invited by the agency's owners, who accept.

An owner picks a person from the directory (only profiles the owner may find in listings);
the person hears of it in the app (and by mail, as they chose) and accepts or declines at
/me/units. Owners remove members; members leave. The unit page shows a member only while
their profile is visible to the reader (people.visible_profile).
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import Profile, User, utcnow
from ...models.procurement import InnovationUnit, UnitMember, UnitMemberStatus
from .. import audit, notifications
from ..notifications import kinds
from ..orgs import InvalidInput
from .people import listable_profile, visible_profile
from .units import can_manage_units

MAX_MEMBERS = 100


def _check_owner(unit: InnovationUnit, actor: User) -> None:
    if not can_manage_units(actor, unit.organization):
        raise InvalidInput("profile_id", _l("Only the organisation's owners manage its units."))


def invite(
    unit: InnovationUnit, profile: Profile | None, *, actor: User, ip: str = ""
) -> UnitMember:
    """Invite the person behind a profile the owner can find; they accept at /me/units."""
    _check_owner(unit, actor)
    if profile is None or not listable_profile(profile, actor):
        raise InvalidInput("profile_id", _l("Choose a person from the directory."))
    if any(m.user_id == profile.user_id for m in unit.members):
        raise InvalidInput("profile_id", _l("This person is already in the unit or invited."))
    if len(unit.members) >= MAX_MEMBERS:
        raise InvalidInput(
            "profile_id", _l("A unit can have at most %(max)d members.", max=MAX_MEMBERS)
        )
    member = UnitMember(unit=unit, user_id=profile.user_id, invited_by_id=actor.id)
    db.session.add(member)
    try:
        db.session.flush()
    except IntegrityError as exc:  # two owners inviting the same person at once
        db.session.rollback()
        raise InvalidInput(
            "profile_id", _l("This person is already in the unit or invited.")
        ) from exc
    audit.record("unit.member_invited", actor=actor, target_kind="unit", target_id=unit.id,
                 ip=ip, user_id=profile.user_id)  # fmt: skip
    notifications.notify(
        profile.user,
        kinds.UNIT_INVITATION,
        record=member,
        link=url_for("procurement.my_units"),
    )
    return member


def accept(member: UnitMember, user: User, *, ip: str = "") -> None:
    """The invited person joins the unit."""
    if member.user_id != user.id or member.status != UnitMemberStatus.INVITED:
        raise InvalidInput("unit", _l("This invitation is no longer open."))
    member.status = UnitMemberStatus.ACTIVE
    member.accepted_at = utcnow()
    db.session.flush()
    audit.record("unit.member_joined", actor=user, target_kind="unit", target_id=member.unit_id,
                 ip=ip)  # fmt: skip


def leave(member: UnitMember, user: User, *, ip: str = "") -> None:
    """Decline an invitation, or leave a unit one belongs to."""
    if member.user_id != user.id:
        raise InvalidInput("unit", _l("This invitation is no longer open."))
    unit_id, was = member.unit_id, member.status
    db.session.delete(member)
    db.session.flush()
    action = "unit.member_declined" if was == UnitMemberStatus.INVITED else "unit.member_left"
    audit.record(action, actor=user, target_kind="unit", target_id=unit_id, ip=ip)


def remove(member: UnitMember, *, actor: User, ip: str = "") -> None:
    """An owner takes a member (or an open invitation) out of the unit."""
    unit = member.unit
    _check_owner(unit, actor)
    user_id = member.user_id
    unit.members.remove(member)
    db.session.flush()
    audit.record("unit.member_removed", actor=actor, target_kind="unit", target_id=unit.id,
                 ip=ip, user_id=user_id)  # fmt: skip


def my_units(user: User) -> list[UnitMember]:
    """The user's unit invitations (first) and memberships."""
    rows = db.session.scalars(
        select(UnitMember).where(UnitMember.user_id == user.id).order_by(UnitMember.id)
    )
    return sorted(rows, key=lambda m: (m.status != UnitMemberStatus.INVITED, m.id))


def visible_members(unit: InnovationUnit, viewer: Any) -> list[Profile]:
    """The unit's members whose profiles the viewer may see listed, by name."""
    shown = []
    for member in unit.members:
        if member.status != UnitMemberStatus.ACTIVE:
            continue
        profile = visible_profile(member.user, viewer)
        if profile is not None:
            shown.append(profile)
    return sorted(shown, key=lambda p: (p.full_name.casefold(), p.id))


def member_user_ids(unit: InnovationUnit) -> set[int]:
    """Everyone in the unit or invited to it (excluded from the invitation picker)."""
    return {m.user_id for m in unit.members}


def display(member: UnitMember, viewer: Any) -> str:
    """A member's name for the unit's owners: the profile name if they may see it."""
    profile = visible_profile(member.user, viewer)
    return profile.full_name if profile is not None else str(_l("A member of Directorio IA"))
