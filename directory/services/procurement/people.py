"""Picking people and organisations from the directory (unit members, awardees).

A picker only ever offers what the person picking may find in the directory's own
listings: published organisations, and profiles published to them (public, or members-only
for a logged-in member) of active accounts. Nothing private is offered, and a profile
that is hidden later disappears from the pages that show it (see `visible_profile`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ... import permissions
from ...extensions import db
from ...models import Organization, Profile, Status, User
from ...text import fold

MAX_QUERY = 100
PICK_LIMIT = 20


def _like(query: str) -> str | None:
    text = fold(query)[:MAX_QUERY]
    if len(text) < 2:
        return None
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def find_people(query: str, viewer: Any, *, exclude: set[int] | None = None) -> list[Profile]:
    """Profiles the viewer may find in listings whose text holds the query (by name first)."""
    pattern = _like(query)
    if pattern is None:
        return []
    rows = db.session.scalars(
        select(Profile)
        .where(
            permissions.visible_profiles_clause(viewer),
            Profile.search_text.like(pattern, escape="\\"),
            Profile.user_id.not_in(exclude or {-1}),
        )
        .order_by(Profile.full_name, Profile.id)
        .limit(PICK_LIMIT)
    )
    return list(rows)


def find_organizations(query: str, *, exclude: set[int] | None = None) -> list[Organization]:
    """Published organisations (not merged away) whose text holds the query."""
    pattern = _like(query)
    if pattern is None:
        return []
    rows = db.session.scalars(
        select(Organization)
        .where(
            permissions.visible_orgs_clause(None),
            Organization.merged_into_id.is_(None),
            Organization.search_text.like(pattern, escape="\\"),
            Organization.id.not_in(exclude or {-1}),
        )
        .order_by(Organization.name, Organization.id)
        .limit(PICK_LIMIT)
    )
    return list(rows)


def listable_profile(profile: Profile | None, viewer: Any) -> bool:
    """Whether the viewer could find this profile in the directory's listings."""
    if profile is None or not profile.user.active:
        return False
    if profile.visibility == "public":
        return True
    return profile.visibility == "members" and bool(getattr(viewer, "is_authenticated", False))


def visible_profile(user: User, viewer: Any) -> Profile | None:
    """A person's profile when the viewer may see it listed, else None (never a private one)."""
    profile = user.profile
    return profile if listable_profile(profile, viewer) else None


def listable_org(org: Organization | None) -> bool:
    """Whether an organisation is public (published and not merged away)."""
    return org is not None and org.status == Status.PUBLISHED and org.merged_into_id is None
