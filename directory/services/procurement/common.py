"""Shared pieces of the procurement services: text checks and who a challenge belongs to."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...extensions import db
from ...models import Challenge, Organization, OrgRole, Proposal, Status, User
from ..orgs import InvalidInput

# Control characters (NUL above all: PostgreSQL refuses it) never belong in stored text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str | None) -> str:
    """Submitted text without control characters or surrounding blanks."""
    return _CONTROL.sub("", text or "").strip()


def checked_text(field: str, text: str | None, limit: int, *, required: bool = True) -> str:
    """Cleaned text, or a refusal naming the field when it is empty or too long."""
    value = clean(text)
    if required and not value:
        raise InvalidInput(field, _l("This field is required."))
    if len(value) > limit:
        raise InvalidInput(field, _l("Use at most %(max)d characters.", max=limit))
    return value


def is_listed(challenge: Challenge) -> bool:
    """Published or closed (archived) by a published organisation: public to everyone."""
    return (
        challenge.status in (Status.PUBLISHED, Status.ARCHIVED)
        and challenge.organization.status == Status.PUBLISHED
    )


def team(org: Organization) -> list[User]:
    """The organisation's owners and editors: who answer and manage its challenges."""
    return [m.user for m in org.memberships if m.role in OrgRole.ALL]


def team_ids(org: Organization) -> set[int]:
    """The ids of the organisation's owners and editors."""
    return {m.user_id for m in org.memberships if m.role in OrgRole.ALL}


def takes_responses(challenge: Challenge, today: date | None = None) -> bool:
    """Published by a published organisation and before its proposal deadline."""
    today = today or date.today()
    return (
        challenge.status == Status.PUBLISHED
        and challenge.organization.status == Status.PUBLISHED
        and (challenge.closes_on is None or challenge.closes_on >= today)
    )


def proposer_ids(challenge: Challenge) -> set[int]:
    """The people who sent a proposal to the challenge."""
    return set(
        db.session.scalars(select(Proposal.user_id).where(Proposal.challenge_id == challenge.id))
    )
