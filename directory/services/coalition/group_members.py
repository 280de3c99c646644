"""Who is in a working group: organisations (asked by an owner) and people with a profile.

A request waits for the group's coordinators, who accept or decline it; the requester (a
person, or the organisation's owners) hears of the answer. The group page lists a person
only while their profile is listed to the reader (public, or members-only for members),
never a private one, and an organisation only while it is published.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import Organization, OrgRole, Profile, User, utcnow
from ...models.coalition import GroupMember, JoinStatus, WorkingGroup
from .. import audit, notifications
from ..notifications import kinds
from .common import MAX_MESSAGE, InvalidInput, checked_text, is_owner, is_public_org
from .groups import can_coordinate, takes_members

MAX_MEMBERS = 500
ME = "me"


def listed_profile(user: User | None, viewer: Any) -> Profile | None:
    """The person's profile when the reader may find it in listings, else None."""
    profile = user.profile if user is not None else None
    if profile is None or not profile.user.active:
        return None
    if profile.visibility == "public":
        return profile
    members_only = profile.visibility == "members"
    return profile if members_only and getattr(viewer, "is_authenticated", False) else None


def _row_for(group: WorkingGroup, *, user: User | None, org: Organization | None) -> Any:
    for row in group.members:
        if (org is not None and row.organization_id == org.id) or (
            org is None and user is not None and row.user_id == user.id
        ):
            return row
    return None


def join_choices(user: Any, group: WorkingGroup) -> list[tuple[str, str]]:
    """Who the user may ask to join as: themselves (with a profile) and organisations they own."""
    if not getattr(user, "is_authenticated", False) or not takes_members(group):
        return []
    out: list[tuple[str, str]] = []
    if user.profile is not None and _row_for(group, user=user, org=None) is None:
        out.append((ME, str(_l("Myself (%(name)s)", name=user.profile.full_name))))
    for membership in user.memberships:
        org = membership.organization
        owner = membership.role == OrgRole.OWNER and is_public_org(org)
        if owner and _row_for(group, user=None, org=org) is None:
            out.append((f"org-{org.id}", org.name))
    return out


def _organisation(choice: str, user: User) -> Organization | None:
    raw = choice.removeprefix("org-")
    if not raw.isdigit() or len(raw) > 9:
        raise InvalidInput("join_as", _l("Choose who asks to join."))
    org = db.session.get(Organization, int(raw))
    if org is None or not is_owner(user, org) or not is_public_org(org):
        raise InvalidInput("join_as", _l("Choose who asks to join."))
    return org


def request_join(
    group: WorkingGroup, *, actor: User, join_as: Any, message: Any, ip: str = ""
) -> GroupMember:
    """A person (with a profile) or an owner for their organisation asks to join."""
    if not takes_members(group):
        raise InvalidInput("join_as", _l("This group does not take new members."))
    choice = str(join_as or "")
    org = None if choice == ME else _organisation(choice, actor)
    if org is None and actor.profile is None:
        raise InvalidInput("join_as", _l("Create your profile first: people join with it."))
    text = checked_text("message", message, MAX_MESSAGE, required=False)
    row = _row_for(group, user=actor if org is None else None, org=org)
    if row is not None and row.status == JoinStatus.ACTIVE:
        raise InvalidInput("join_as", _l("Already a member of this group."))
    if row is not None and row.status == JoinStatus.REQUESTED:
        raise InvalidInput("join_as", _l("Already asked; the coordinators will answer."))
    if row is None:
        if len(group.members) >= MAX_MEMBERS:
            raise InvalidInput("join_as", _l("This group is full."))
        row = GroupMember(organization_id=org.id if org else None,
                          user_id=None if org else actor.id)  # fmt: skip
        group.members.append(row)
    row.status, row.message, row.requested_by_id = JoinStatus.REQUESTED, text, actor.id
    row.requested_at, row.decided_by_id, row.decided_at = utcnow(), None, None
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same request sent twice at once
        db.session.rollback()
        raise InvalidInput("join_as", _l("Already asked; the coordinators will answer.")) from exc
    audit.record("group.join_requested", actor=actor, target_kind="working_group",
                 target_id=group.id, ip=ip, organization_id=org.id if org else None)  # fmt: skip
    link = url_for("coalition.coordinate", group_id=group.id, _external=False)
    for coordinator in group.coordinators:
        notifications.notify(coordinator.user, kinds.GROUP_REQUEST, record=row, link=link)
    return row


def requesters(row: GroupMember) -> list[User]:
    """Who speaks for a membership: the person, or the organisation's owners."""
    if row.organization is not None:
        return [m.user for m in row.organization.memberships if m.role == OrgRole.OWNER]
    return [row.user] if row.user is not None else []


def decide(row: GroupMember, *, actor: User, accept: bool, ip: str = "") -> None:
    """A coordinator accepts or declines a request; the requester is told."""
    if not can_coordinate(actor, row.group):
        raise InvalidInput("decision", _l("Only the group's coordinators decide requests."))
    if row.status != JoinStatus.REQUESTED:
        raise InvalidInput("decision", _l("This request was already decided."))
    row.status = JoinStatus.ACTIVE if accept else JoinStatus.DECLINED
    row.decided_by_id, row.decided_at = actor.id, utcnow()
    db.session.flush()
    action = "group.join_accepted" if accept else "group.join_declined"
    audit.record(action, actor=actor, target_kind="working_group", target_id=row.group_id,
                 ip=ip, member_id=row.id)  # fmt: skip
    link = url_for("coalition.group", group_id=row.group_id, _external=False)
    for user in requesters(row):
        notifications.notify(user, kinds.GROUP_DECIDED, record=row, link=link,
                             params={"approved": accept})  # fmt: skip


def waiting(group: WorkingGroup) -> list[GroupMember]:
    """Requests waiting for the coordinators, oldest first."""
    rows = [r for r in group.members if r.status == JoinStatus.REQUESTED]
    return sorted(rows, key=lambda r: (r.requested_at, r.id))


def visible_members(group: WorkingGroup, viewer: Any) -> tuple[list[Organization], list[Profile]]:
    """Member organisations that are public, and people whose profiles the reader may list."""
    orgs, people = [], []
    for row in group.members:
        if row.status != JoinStatus.ACTIVE:
            continue
        if row.organization is not None:
            if is_public_org(row.organization):
                orgs.append(row.organization)
        elif (profile := listed_profile(row.user, viewer)) is not None:
            people.append(profile)
    orgs.sort(key=lambda o: (o.name.casefold(), o.id))
    people.sort(key=lambda p: (p.full_name.casefold(), p.id))
    return orgs, people


def visible_coordinators(group: WorkingGroup, viewer: Any) -> list[Profile]:
    """Coordinators whose profiles the reader may list."""
    shown = [listed_profile(c.user, viewer) for c in group.coordinators]
    return sorted((p for p in shown if p is not None), key=lambda p: (p.full_name.casefold(), p.id))


def recipients(group: WorkingGroup) -> list[int]:
    """Everyone told of the group's news: people in it, owners of member organisations,
    coordinators."""
    ids: set[int] = {c.user_id for c in group.coordinators}
    for row in group.members:
        if row.status != JoinStatus.ACTIVE:
            continue
        if row.organization is not None:
            if is_public_org(row.organization):
                ids.update(u.id for u in requesters(row))
        elif row.user_id is not None:
            ids.add(row.user_id)
    return sorted(ids)


def is_in_group(user: Any, group: WorkingGroup) -> bool:
    """Whether the user is in the group, themselves or as an owner of a member organisation."""
    return bool(getattr(user, "is_authenticated", False)) and user.id in recipients(group)


def mine(user: User) -> list[GroupMember]:
    """The user's own requests and memberships (as a person), newest first."""
    rows = db.session.scalars(
        select(GroupMember).where(GroupMember.user_id == user.id).order_by(GroupMember.id.desc())
    )
    return list(rows)
