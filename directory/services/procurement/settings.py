"""A challenge's procurement settings from its form: the unit that posts it, the last day
for questions, and whether the solution would take or support decisions about people.

None of them is text the organisation writes (a unit of its own, a date, a yes/no), so
they apply at once, like the other choices and dates of an edit (revisions/fields.py);
each change is audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from ...extensions import db
from ...models import Challenge, Organization, User
from .. import audit
from ..orgs import InvalidInput
from .units import may_have_units, unit_of_org

FIELDS = ("unit", "clarification_deadline", "decides_about_people")


def clean(
    org: Organization, data: Mapping[str, Any], challenge: Challenge | None = None
) -> dict[str, Any]:
    """Checked values: the organisation's own unit, a deadline not after the proposal one."""
    unit = unit_of_org(org, data.get("unit")) if may_have_units(org) else None
    deadline = data.get("clarification_deadline")
    if deadline is not None and not isinstance(deadline, date):
        raise InvalidInput("clarification_deadline", _l("Not a valid date."))
    was = challenge.clarification_deadline if challenge is not None else None
    # An edit may keep a deadline that has passed; a new or changed one must be ahead.
    if deadline is not None and deadline < date.today() and deadline != was:
        raise InvalidInput("clarification_deadline", _l("The date cannot be in the past."))
    closes_on = data.get("closes_on")
    if deadline is not None and isinstance(closes_on, date) and deadline > closes_on:
        raise InvalidInput(
            "clarification_deadline",
            _l("The clarification deadline cannot be after the proposal deadline."),
        )
    return {
        "unit_id": unit.id if unit is not None else None,
        "clarification_deadline": deadline,
        "decides_about_people": bool(data.get("decides_about_people")),
    }


def initial(challenge: Challenge) -> dict[str, Any]:
    """The form's values for an existing challenge."""
    return {
        "unit": str(challenge.unit_id) if challenge.unit_id else "",
        "clarification_deadline": challenge.clarification_deadline,
        "decides_about_people": challenge.decides_about_people,
    }


def apply(
    challenge: Challenge, values: Mapping[str, Any], *, actor: User, ip: str = ""
) -> list[str]:
    """Save cleaned values on the challenge; return (and audit) the ones that changed."""
    changed = [name for name, value in values.items() if getattr(challenge, name) != value]
    for name in changed:
        setattr(challenge, name, values[name])
    db.session.flush()
    if changed:
        audit.record("challenge.procurement_settings", actor=actor, target_kind="challenge",
                     target_id=challenge.id, ip=ip, changed=changed,
                     unit_id=challenge.unit_id)  # fmt: skip
    return changed
