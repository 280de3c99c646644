"""Which channel each person chose for each kind; no row means the kind's default.

Only choices that differ from the default are stored, so a person who never opened the
settings page follows the defaults even when they change.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from ...extensions import db
from ...models import NotificationPreference, User
from .kinds import KINDS, kind


def channel_for(user: User, code: str) -> str:
    """The channel that reaches this user for this kind of notification."""
    spec = kind(code)
    stored = db.session.scalar(
        select(NotificationPreference.channel).where(
            NotificationPreference.user_id == user.id, NotificationPreference.kind == code
        )
    )
    return stored if stored in spec.channels else spec.default


def preferences(user: User) -> dict[str, str]:
    """Every kind with the channel that reaches this user, in the settings page's order."""
    stored = dict(
        db.session.execute(
            select(NotificationPreference.kind, NotificationPreference.channel).where(
                NotificationPreference.user_id == user.id
            )
        ).all()
    )
    return {
        code: stored[code] if stored.get(code) in spec.channels else spec.default
        for code, spec in KINDS.items()
    }


def set_preferences(user: User, choices: Mapping[str, str]) -> dict[str, str]:
    """Save the user's choices (kinds left out keep theirs); return the kinds that changed.

    A channel a kind does not offer is refused with ValueError before anything changes.
    """
    for code, channel in choices.items():
        if channel not in kind(code).channels:
            raise ValueError(f"{code!r} cannot be sent by {channel!r}")
    before = preferences(user)
    rows = {
        row.kind: row
        for row in db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user.id)
        )
    }
    for code, channel in choices.items():
        row = rows.get(code)
        if channel == KINDS[code].default:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            db.session.add(NotificationPreference(user_id=user.id, kind=code, channel=channel))
        else:
            row.channel = channel
    db.session.flush()
    return {code: channel for code, channel in choices.items() if before[code] != channel}
