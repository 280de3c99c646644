"""Shared pieces of the coalition services: text checks, links and who may act."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from ... import permissions
from ...models import Organization, OrgRole, Status
from ...models.coalition import Consultation, GroupStatus
from ...text import is_http_url
from ..orgs import InvalidInput

# Control characters (NUL above all: PostgreSQL refuses it) never belong in stored text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_MESSAGE = 2_000
MAX_NOTE = 2_000
MAX_LINK = 300

__all__ = ["InvalidInput", "can_view_consultation", "checked_text", "checked_url", "clean",
           "is_open", "is_owner", "is_public_org", "phase", "today"]  # fmt: skip


def clean(text: Any) -> str:
    """Submitted text without control characters or surrounding blanks."""
    return _CONTROL.sub("", text if isinstance(text, str) else "").strip()


def checked_text(field: str, text: Any, limit: int, *, required: bool = True) -> str:
    """Cleaned text, or a refusal naming the field when it is empty or too long."""
    value = clean(text)
    if required and not value:
        raise InvalidInput(field, _l("This field is required."))
    if len(value) > limit:
        raise InvalidInput(field, _l("Use at most %(max)d characters.", max=limit))
    return value


def checked_url(field: str, text: Any, *, required: bool = True) -> str:
    """An absolute http(s) address, or a refusal naming the field."""
    value = checked_text(field, text, MAX_LINK, required=required)
    if value and not is_http_url(value):
        raise InvalidInput(field, _l("Enter a full web address starting with http:// or https://."))
    return value


def today() -> date:
    """Today's date (a function, so tests can move time)."""
    return date.today()


def is_owner(user: Any, org: Organization) -> bool:
    """Whether the user owns the organisation (owners speak for it in the coalition)."""
    return bool(getattr(user, "is_authenticated", False)) and org.role_of(user) == OrgRole.OWNER


def is_public_org(org: Organization | None) -> bool:
    """Published and not merged away: the only organisations the coalition pages show."""
    return org is not None and org.status == Status.PUBLISHED and org.merged_into_id is None


# --- consultations: who sees one and when it takes answers ------------------------------


def can_view_consultation(viewer: Any, consultation: Consultation) -> bool:
    """Published consultations are public; drafts are for curators."""
    return consultation.status == GroupStatus.PUBLISHED or permissions.is_curator(viewer)


def phase(consultation: Consultation, on: date | None = None) -> str:
    """draft, upcoming (published, before its opening date), open, or closed."""
    on = on or today()
    if consultation.status != GroupStatus.PUBLISHED:
        return "draft"
    if on < consultation.opens_on:
        return "upcoming"
    return "open" if on <= consultation.closes_on else "closed"


def is_open(consultation: Consultation, on: date | None = None) -> bool:
    """Whether the consultation takes answers today (from its opening to its closing date)."""
    return phase(consultation, on) == "open"
