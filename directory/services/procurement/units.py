"""Innovation units: a government agency's teams that engage the AI sector before buying.

Only agencies (`government_agency`) have units; only the agency's owners create, edit and
delete them and manage their members (unit_members.py). A unit is public exactly when its
agency is: its page lists the unit's open and past challenges, its members (as each one's
profile visibility allows) and its outcomes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ... import permissions
from ...extensions import db
from ...models import Challenge, Organization, Status, User
from ...models.procurement import ChallengeOutcome, InnovationUnit
from ...text import is_http_url
from .. import audit
from ..orgs import InvalidInput
from .common import checked_text, clean

UNIT_ORG_KINDS = ("government_agency",)
MAX_NAME, MAX_MANDATE, MAX_CONTACT = 200, 5000, 300
MAX_UNITS = 50  # per agency: a list longer than this is a mistake, not a structure
_EMAIL = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+")


def may_have_units(org: Organization) -> bool:
    """Whether an organisation's kind lets it have innovation units."""
    return org.kind in UNIT_ORG_KINDS


def can_manage_units(viewer: Any, org: Organization) -> bool:
    """The agency's owners create, edit and delete units and choose their members."""
    return may_have_units(org) and permissions.can_manage_members(viewer, org)


def can_view_unit(viewer: Any, unit: InnovationUnit) -> bool:
    """A unit is as visible as its organisation."""
    return permissions.can_view_org(viewer, unit.organization)


def units_of(org: Organization) -> list[InnovationUnit]:
    """The organisation's units by name."""
    return list(
        db.session.scalars(
            select(InnovationUnit)
            .where(InnovationUnit.organization_id == org.id)
            .order_by(InnovationUnit.name, InnovationUnit.id)
        )
    )


def is_email(value: str) -> bool:
    """Whether a contact point is an e-mail address (otherwise it is a web address)."""
    return bool(_EMAIL.fullmatch(value))


def contact_href(unit: InnovationUnit) -> str:
    """The link a unit's contact point becomes: mailto:, or its http(s) address, or ""."""
    value = (unit.contact or "").strip()
    if is_email(value):
        return "mailto:" + value
    return value if is_http_url(value) else ""


def _clean(data: Mapping[str, Any]) -> dict[str, str]:
    contact = checked_text("contact", data.get("contact"), MAX_CONTACT, required=False)
    if contact and not (is_email(contact) or is_http_url(contact)):
        raise InvalidInput(
            "contact",
            _l("Enter an e-mail address or a web address starting with http:// or https://."),
        )
    return {
        "name": checked_text("name", data.get("name"), MAX_NAME),
        "mandate": checked_text("mandate", data.get("mandate"), MAX_MANDATE, required=False),
        "contact": contact,
    }


def create_unit(
    org: Organization, data: Mapping[str, Any], *, actor: User, ip: str = ""
) -> InnovationUnit:
    """Add a unit to an agency (owners only: the view checks, and so does this)."""
    if not may_have_units(org):
        raise InvalidInput("name", _l("Only government agencies have innovation units."))
    if not permissions.can_manage_members(actor, org):
        raise InvalidInput("name", _l("Only the organisation's owners manage its units."))
    if len(units_of(org)) >= MAX_UNITS:
        raise InvalidInput(
            "name", _l("An organisation can have at most %(max)d units.", max=MAX_UNITS)
        )
    values = _clean(data)
    unit = InnovationUnit(organization=org, created_by_id=actor.id, **values)
    db.session.add(unit)
    db.session.flush()
    audit.record("unit.created", actor=actor, target_kind="unit", target_id=unit.id, ip=ip,
                 organization_id=org.id)  # fmt: skip
    return unit


def update_unit(
    unit: InnovationUnit, data: Mapping[str, Any], *, actor: User, ip: str = ""
) -> list[str]:
    """Change a unit's name, mandate or contact point; return the fields that changed."""
    if not can_manage_units(actor, unit.organization):
        raise InvalidInput("name", _l("Only the organisation's owners manage its units."))
    values = _clean(data)
    changed = [name for name, value in values.items() if getattr(unit, name) != value]
    for name in changed:
        setattr(unit, name, values[name])
    db.session.flush()
    if changed:
        audit.record("unit.edited", actor=actor, target_kind="unit", target_id=unit.id, ip=ip,
                     changed=changed)  # fmt: skip
    return changed


def delete_unit(unit: InnovationUnit, *, actor: User, ip: str = "") -> None:
    """Delete a unit; its challenges stay, posted by the organisation itself."""
    if not can_manage_units(actor, unit.organization):
        raise InvalidInput("name", _l("Only the organisation's owners manage its units."))
    unit_id, org_id, name = unit.id, unit.organization_id, unit.name
    for challenge in db.session.scalars(select(Challenge).where(Challenge.unit_id == unit_id)):
        challenge.unit_id = None
    db.session.delete(unit)
    db.session.flush()
    audit.record("unit.deleted", actor=actor, target_kind="unit", target_id=unit_id, ip=ip,
                 organization_id=org_id, name=name)  # fmt: skip


def unit_of_org(org: Organization, raw: str | int | None) -> InnovationUnit | None:
    """The organisation's unit named by a form value; None for blank; refused otherwise."""
    text = clean(str(raw)) if raw is not None else ""
    if not text:
        return None
    unit = db.session.get(InnovationUnit, int(text)) if text.isdigit() and len(text) < 10 else None
    if unit is None or unit.organization_id != org.id:
        raise InvalidInput("unit", _l("Choose one of your organisation's units."))
    return unit


@dataclass
class UnitChallenges:
    """A unit's challenges as its public page lists them."""

    open: list[Challenge]
    past: list[Challenge]
    outcomes: list[ChallengeOutcome]


def unit_challenges(unit: InnovationUnit, today: date | None = None) -> UnitChallenges:
    """The unit's listed challenges, open (newest first) and past, and their outcomes."""
    today = today or date.today()
    listed = list(
        db.session.scalars(
            select(Challenge)
            .where(
                Challenge.unit_id == unit.id,
                Challenge.status.in_((Status.PUBLISHED, Status.ARCHIVED)),
                Challenge.organization.has(Organization.status == Status.PUBLISHED),
            )
            .order_by(Challenge.published_at.desc(), Challenge.id.desc())
        )
    )
    still_open = [
        c
        for c in listed
        if c.status == Status.PUBLISHED and (c.closes_on is None or c.closes_on >= today)
    ]
    past = [c for c in listed if c not in still_open]
    ids = [c.id for c in listed] or [-1]
    outcomes = list(
        db.session.scalars(
            select(ChallengeOutcome)
            .where(ChallengeOutcome.challenge_id.in_(ids))
            .order_by(ChallengeOutcome.decided_at.desc(), ChallengeOutcome.id.desc())
        )
    )
    return UnitChallenges(open=still_open, past=past, outcomes=outcomes)
