"""Organisations: creation, editing and claims (members, invitations and ownership:
members.py; deleting one that never went public: org_deletion.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import and_, select

from .. import vocab
from ..extensions import db
from ..geo import MEXICAN_STATES
from ..models import (
    Claim,
    Membership,
    Organization,
    OrgRole,
    Skill,
    Status,
    User,
    utcnow,
)
from ..text import fold, slugify
from . import audit
from .skills import resolve_skills

ORG_FIELDS = ("name", "kind", "description", "website", "sectors", "state_code", "city", "size")
CLAIM_OPEN = "open"
_STATES = {code for code, _name in MEXICAN_STATES}


class InvalidInput(ValueError):
    """A refusal fit to show the user next to one form field."""

    def __init__(self, field: str, message: str | LazyString) -> None:
        super().__init__(field)
        self.field = field
        self.message = message


# --- shared checks (posts.py and responses.py use them too) ------------------------------


def known_skills(raw: str | None, field: str = "skills") -> list[Skill]:
    """Vocabulary skills for the typed terms; any unknown term is refused."""
    found, unknown = resolve_skills(raw or "")
    if unknown:
        raise InvalidInput(
            field,
            str(
                _l("Unknown skill: %(skills)s, pick one from the list.", skills=", ".join(unknown))
            ),
        )
    return found


def check_choice(field: str, value: str | None, group: str, *, blank: bool = False) -> None:
    """Refuse a value outside its controlled vocabulary (forms check too; the API will not)."""
    if blank and not value:
        return
    if value not in vocab.GROUPS[group]:
        raise InvalidInput(field, _l("Not a valid choice."))


def check_state(field: str, value: str | None, *, blank: bool = True) -> None:
    """Refuse a state code that is not one of Mexico's 32."""
    if (blank and not value) or value in _STATES:
        return
    raise InvalidInput(field, _l("Not a valid choice."))


def apply_fields(record: Any, data: Mapping[str, Any], fields: Iterable[str]) -> list[str]:
    """Copy the whitelisted fields onto a record; return the names that changed."""
    changed: list[str] = []
    for name in fields:
        if name not in data:
            continue
        value = data[name]
        if getattr(record, name) != value:
            setattr(record, name, value)
            changed.append(name)
    return changed


def set_skills(record: Any, skills: list[Skill]) -> bool:
    """Replace a record's skills; say whether they changed."""
    if {s.id for s in record.skills} == {s.id for s in skills}:
        return False
    record.skills = skills
    return True


# --- organisations -----------------------------------------------------------------------


def _clean_org_data(data: Mapping[str, Any]) -> dict[str, Any]:
    check_choice("kind", data.get("kind"), "org_kinds")
    check_choice("size", data.get("size"), "org_sizes", blank=True)
    check_state("state_code", data.get("state_code"))
    sectors = [s for s in data.get("sectors") or [] if s]
    for sector in sectors:
        check_choice("sectors", sector, "sectors")
    clean = {name: data.get(name) for name in ORG_FIELDS}
    clean.update(
        name=(data.get("name") or "").strip(),
        description=data.get("description") or "",
        website=(data.get("website") or "").strip(),
        city=(data.get("city") or "").strip(),
        size=data.get("size") or "",
        state_code=data.get("state_code") or None,
        sectors=sectors,
    )
    if not clean["name"]:
        raise InvalidInput("name", _l("This field is required."))
    return clean


def unique_slug(name: str) -> str:
    """A slug for the name, with -2, -3… appended until no organisation uses it."""
    base = slugify(name, max_length=120)
    taken = set(
        db.session.scalars(
            select(Organization.slug).where(
                (Organization.slug == base) | Organization.slug.like(base + "-%")
            )
        )
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_organization(data: Mapping[str, Any], *, actor: User, ip: str = "") -> Organization:
    """Add an organisation for review (pending) with its creator as owner."""
    clean = _clean_org_data(data)
    skills = known_skills(data.get("skills"))
    org = Organization(slug=unique_slug(clean["name"]), status=Status.PENDING, **clean)
    org.created_by_id = actor.id
    db.session.add(org)
    org.skills = skills
    db.session.add(Membership(user=actor, organization=org, role=OrgRole.OWNER))
    db.session.flush()
    audit.record(
        "organization.created", actor=actor, target_kind="organization", target_id=org.id, ip=ip
    )
    return org


def clean_org_edit(data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate an edit of an organisation without saving it: the cleaned values and skills."""
    clean = _clean_org_data(data)
    clean["skills"] = known_skills(data.get("skills"))
    return clean


def update_organization(
    org: Organization, data: Mapping[str, Any], *, actor: User, ip: str = "", **details: Any
) -> list[str]:
    """Apply an edit now (services/revisions decides when); return the changed fields."""
    clean = _clean_org_data(data)
    skills = known_skills(data.get("skills"))
    changed = apply_fields(org, clean, ORG_FIELDS)
    if set_skills(org, skills):
        changed.append("skills")
    if org.status == Status.REJECTED and changed:
        org.status = Status.PENDING  # a corrected organisation goes back for review
    # Saving means an owner or editor has just looked at every field: it is confirmed.
    org.confirmed_at = utcnow()
    db.session.flush()
    audit.record(
        "organization.edited",
        actor=actor,
        target_kind="organization",
        target_id=org.id,
        ip=ip,
        changed=changed,
        **details,
    )
    return changed


def claimable_organizations(user: User, query: str, limit: int = 20) -> list[Organization]:
    """Published organisations matching the query that the user does not belong to."""
    # Only printable text: NUL would end the pattern early on SQLite and fail on PostgreSQL.
    printable = "".join(ch if ch.isprintable() else " " for ch in query)
    words = fold(printable).split()[:8]
    if not words:
        return []
    mine = select(Membership.organization_id).where(Membership.user_id == user.id)
    conditions = [Organization.search_text.contains(word, autoescape=True) for word in words]
    return list(
        db.session.scalars(
            select(Organization)
            .where(Organization.status == Status.PUBLISHED, Organization.id.not_in(mine))
            .where(and_(*conditions))
            .order_by(Organization.name, Organization.id)
            .limit(limit)
        )
    )


def request_claim(org: Organization, user: User, message: str, *, ip: str = "") -> Claim:
    """Ask the curators to let a member manage an organisation already listed."""
    if org.status != Status.PUBLISHED:
        raise InvalidInput("message", _l("Only published organisations can be claimed."))
    if org.role_of(user) is not None:
        raise InvalidInput("message", _l("You already belong to this organisation."))
    open_claim = db.session.scalar(
        select(Claim.id).where(
            Claim.organization_id == org.id, Claim.user_id == user.id, Claim.status == CLAIM_OPEN
        )
    )
    if open_claim is not None:
        raise InvalidInput(
            "message",
            _l("You have already asked to manage this organisation; a curator will answer."),
        )
    claim = Claim(organization=org, user=user, message=message.strip(), status=CLAIM_OPEN)
    db.session.add(claim)
    db.session.flush()
    audit.record(
        "organization.claimed",
        actor=user,
        target_kind="organization",
        target_id=org.id,
        ip=ip,
        claim_id=claim.id,
    )
    return claim
