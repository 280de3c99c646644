"""Curator decisions that make listings trustworthy: chamber verification, chamber
membership and featured success stories. Each one is audited.

Re-confirmation of old records lives in reconfirmation.py; curators in curators.py.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import Select, and_, select

from ..extensions import db
from ..models import Organization, Status, SuccessStory, User, utcnow
from ..text import fold
from . import audit
from .paging import Page, paginate

PER_PAGE = 50
# The verification list shows what a curator may vouch for: listed or waiting records.
LISTED_STATUSES = (Status.PUBLISHED, Status.PENDING)
ORG_FILTERS = ("all", "verified", "unverified", "members", "non_members")


class TrustError(ValueError):
    """A refusal to show the curator as a flash message."""

    def __init__(self, message: str | LazyString) -> None:
        super().__init__(str(message))
        self.message = message


# --- organisations ----------------------------------------------------------------------


def _check_not_merged(org: Organization) -> None:
    if org.merged_into_id is not None:
        raise TrustError(_l("This organisation was merged into another one."))


def verify_organization(org: Organization, *, actor: User, ip: str = "") -> None:
    """Mark the organisation as verified by the chamber, today, by this curator."""
    _check_not_merged(org)
    if org.verified_at is not None:
        raise TrustError(_l("This organisation is already verified."))
    org.verified_at = utcnow()
    org.verified_by_id = actor.id
    db.session.flush()
    audit.record(
        "organization.verified", actor=actor, target_kind="organization", target_id=org.id, ip=ip
    )


def unverify_organization(org: Organization, *, actor: User, ip: str = "") -> None:
    """Withdraw the chamber's verification."""
    if org.verified_at is None:
        raise TrustError(_l("This organisation is not verified."))
    was = org.verified_at.isoformat()
    org.verified_at = None
    org.verified_by_id = None
    db.session.flush()
    audit.record(
        "organization.unverified",
        actor=actor,
        target_kind="organization",
        target_id=org.id,
        ip=ip,
        verified_at=was,
    )


def set_chamber_member(org: Organization, member: bool, *, actor: User, ip: str = "") -> None:
    """Turn the chamber membership flag on or off."""
    _check_not_merged(org)
    if org.chamber_member == member:
        raise TrustError(
            _l("This organisation is already a member of the chamber.")
            if member
            else _l("This organisation is not a member of the chamber.")
        )
    org.chamber_member = member
    db.session.flush()
    audit.record(
        "organization.chamber_member" if member else "organization.chamber_member_removed",
        actor=actor,
        target_kind="organization",
        target_id=org.id,
        ip=ip,
    )


def organizations_query(text: str = "", show: str = "all") -> Select[tuple[Organization]]:
    """Organisations a curator may verify, filtered by name and by verification state."""
    query = select(Organization).where(
        Organization.status.in_(LISTED_STATUSES), Organization.merged_into_id.is_(None)
    )
    printable = "".join(ch if ch.isprintable() else " " for ch in text)
    words = fold(printable).split()[:8]
    if words:
        query = query.where(
            and_(*[Organization.search_text.contains(w, autoescape=True) for w in words])
        )
    conditions = {
        "verified": Organization.verified_at.is_not(None),
        "unverified": Organization.verified_at.is_(None),
        "members": Organization.chamber_member.is_(True),
        "non_members": Organization.chamber_member.is_(False),
    }
    if show in conditions:
        query = query.where(conditions[show])
    return query.order_by(Organization.name, Organization.id)


def organizations_page(text: str, show: str, page: int) -> Page[Organization]:
    """One page of the verification list."""
    return paginate(organizations_query(text, show), page, PER_PAGE)


def emails_of(user_ids: set[int | None]) -> dict[int, str]:
    """Curators' emails by id, to say who verified what (curators only see this)."""
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.email).where(User.id.in_(ids)))
    return {row.id: row.email for row in rows}


# --- success stories --------------------------------------------------------------------


def set_featured(story: SuccessStory, featured: bool, *, actor: User, ip: str = "") -> None:
    """Feature a published story on the home page and the showcase, or stop featuring it."""
    if featured and story.status != Status.PUBLISHED:
        raise TrustError(_l("Only published stories can be featured."))
    if story.featured == featured:
        raise TrustError(
            _l("This story is already featured.") if featured else _l("This story is not featured.")
        )
    story.featured = featured
    db.session.flush()
    audit.record(
        "story.featured" if featured else "story.unfeatured",
        actor=actor,
        target_kind="story",
        target_id=story.id,
        ip=ip,
    )


def stories_page(page: int) -> Page[SuccessStory]:
    """Published stories for the curator, featured first, then newest."""
    query = (
        select(SuccessStory)
        .where(SuccessStory.status == Status.PUBLISHED)
        .order_by(
            SuccessStory.featured.desc(), SuccessStory.published_at.desc(), SuccessStory.id.desc()
        )
    )
    return paginate(query, page, PER_PAGE)
