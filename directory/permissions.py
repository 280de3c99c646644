"""Who may see and change what: named predicates used by every view and service.

Views never decide visibility themselves; they ask these functions (and the query
filters below), so the rules of SECURITY.md rows 12–19 and 29–32 live in one place.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_

from .models import (
    Challenge,
    Opening,
    Organization,
    OrgRole,
    Profile,
    Status,
    SuccessStory,
    User,
)

Viewer = User | Any  # current_user may be an AnonymousUserMixin


def _authenticated(viewer: Viewer | None) -> bool:
    return bool(viewer is not None and getattr(viewer, "is_authenticated", False))


def is_curator(viewer: Viewer | None) -> bool:
    """Whether the viewer is a logged-in curator."""
    return _authenticated(viewer) and bool(getattr(viewer, "is_curator", False))


def org_role(viewer: Viewer | None, org: Organization) -> str | None:
    """The viewer's role (owner/editor) in the organisation, or None."""
    return org.role_of(viewer) if _authenticated(viewer) else None


# --- profiles -------------------------------------------------------------------------


def owns_profile(viewer: Viewer | None, profile: Profile) -> bool:
    """Whether the viewer is the profile's owner."""
    return _authenticated(viewer) and profile.user_id == viewer.id


def can_view_profile(viewer: Viewer | None, profile: Profile) -> bool:
    """Public to all, members-only to logged-in users, private to its owner (and curators)."""
    if owns_profile(viewer, profile) or is_curator(viewer):
        return True
    if not profile.user.active:
        return False
    if profile.visibility == "public":
        return True
    return profile.visibility == "members" and _authenticated(viewer)


def visible_profiles_clause(viewer: Viewer | None) -> ColumnElement[bool]:
    """SQL filter for profiles a viewer may find in listings and search."""
    levels = ["public", "members"] if _authenticated(viewer) else ["public"]
    return and_(Profile.visibility.in_(levels), Profile.user.has(User.active.is_(True)))


def can_contact(viewer: Viewer | None, profile: Profile) -> bool:
    """Logged-in people may ask to contact someone who accepts contact and whom they can see."""
    # A curator may read a private profile to moderate it, but not use it to reach the
    # person: contact follows what the profile's owner chose to show members.
    return (
        _authenticated(viewer)
        and not owns_profile(viewer, profile)
        and profile.contact_consent
        and profile.user.active
        and profile.visibility in ("public", "members")
    )


# --- organisations ----------------------------------------------------------------------


def can_view_org(viewer: Viewer | None, org: Organization) -> bool:
    """Published organisations are public; others only to their members and curators."""
    if org.status == Status.PUBLISHED:
        return True
    return org_role(viewer, org) is not None or is_curator(viewer)


def can_edit_org(viewer: Viewer | None, org: Organization) -> bool:
    """Owners and editors edit an organisation and post for it."""
    return org_role(viewer, org) in OrgRole.ALL


def can_manage_members(viewer: Viewer | None, org: Organization) -> bool:
    """Only owners invite and remove editors."""
    return org_role(viewer, org) == OrgRole.OWNER


def visible_orgs_clause(viewer: Viewer | None) -> ColumnElement[bool]:
    """SQL filter for organisations shown in listings (published only, for everyone)."""
    return Organization.status == Status.PUBLISHED


# --- openings and challenges ------------------------------------------------------------


Post = Opening | Challenge


def can_view_post(viewer: Viewer | None, post: Post) -> bool:
    """Published (and archived, shown as closed) posts are public; drafts only to their org."""
    if post.status in (Status.PUBLISHED, Status.ARCHIVED) and (
        post.organization.status == Status.PUBLISHED
    ):
        return True
    return can_edit_org(viewer, post.organization) or is_curator(viewer)


def can_edit_post(viewer: Viewer | None, post: Post) -> bool:
    """The posting organisation's owners and editors edit a post and read its responses."""
    return can_edit_org(viewer, post.organization)


def listed_posts_clause(model: type[Opening] | type[Challenge]) -> ColumnElement[bool]:
    """SQL filter for posts shown in listings: published, by a published organisation."""
    return and_(
        model.status == Status.PUBLISHED,
        model.organization.has(Organization.status == Status.PUBLISHED),
    )


# --- success stories --------------------------------------------------------------------


def can_view_story(viewer: Viewer | None, story: SuccessStory) -> bool:
    """Published stories are public; others only to their author and curators."""
    if story.status == Status.PUBLISHED:
        return True
    return is_curator(viewer) or (_authenticated(viewer) and story.created_by_id == viewer.id)


def listed_stories_clause() -> ColumnElement[bool]:
    """SQL filter for stories in the showcase."""
    return SuccessStory.status == Status.PUBLISHED


__all__ = [
    "can_contact",
    "can_edit_org",
    "can_edit_post",
    "can_manage_members",
    "can_view_org",
    "can_view_post",
    "can_view_profile",
    "can_view_story",
    "is_curator",
    "listed_posts_clause",
    "listed_stories_clause",
    "org_role",
    "owns_profile",
    "visible_orgs_clause",
    "visible_profiles_clause",
]
