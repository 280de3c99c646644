"""A person's own notifications: the unread count, one page of them as text, marking read.

Every query is scoped to the person asking: someone else's notification is not found,
whatever its id (SECURITY.md row 12).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update

from ...extensions import db
from ...i18n import current_locale
from ...models import Notification, NotificationPreference, User, utcnow
from ..paging import Page, paginate
from . import records, texts
from .kinds import KINDS
from .preferences import preferences

PER_PAGE = 20


@dataclass(frozen=True)
class Shown:
    """One notification ready for the page: its sentences in the reader's language."""

    id: int
    kind: str
    headline: str
    detail: str
    link: str  # "" when the record is gone or no longer visible to the reader
    unread: bool
    created_at: datetime


def unread_count(user: User) -> int:
    """How many of the user's notifications are unread (the bell)."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        )
        or 0
    )


def page_of(user: User, page: int) -> Page[Notification]:
    """One page of the user's notifications, newest first."""
    query = (
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return paginate(query, page, PER_PAGE)


def present(row: Notification, viewer: User) -> Shown:
    """The notification as `viewer` may read it now: the record's title only if still visible."""
    record = records.load(row.record_kind, row.record_id)
    spec = KINDS.get(row.kind)
    as_match = spec is not None and spec.needs_visible_record
    visible = row.record_kind is None or records.can_see(
        viewer, row.record_kind, record, as_match=as_match
    )
    title = None
    if visible and record is not None and row.record_kind is not None:
        title = records.title(viewer, row.record_kind, record, current_locale())
    elif visible:
        title = ""  # an event about no record: the kind's text needs no title
    headline, detail = texts.write(row.kind, row.params or {}, title, record)
    return Shown(
        id=row.id,
        kind=row.kind,
        headline=headline,
        detail=detail,
        link=row.link if visible else "",
        unread=row.read_at is None,
        created_at=row.created_at,
    )


def mark_read(user: User, notification_id: int) -> bool:
    """Mark one of the user's notifications read; False when the user has none by that id."""
    row = db.session.scalar(
        select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user.id
        )
    )
    if row is None:
        return False
    if row.read_at is None:
        row.read_at = utcnow()
        db.session.flush()
    return True


def mark_all_read(user: User) -> int:
    """Mark every unread notification of the user read; return how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def delete_for(user_id: int) -> None:
    """Remove every notification and preference of an account (ARCO cancellation)."""
    db.session.execute(delete(Notification).where(Notification.user_id == user_id))
    db.session.execute(
        delete(NotificationPreference).where(NotificationPreference.user_id == user_id)
    )


def export(user: User) -> dict[str, Any]:
    """The user's notifications (codes and parameters, as stored) and channel choices."""
    rows = db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    )
    return {
        "notifications": [
            {
                "kind": row.kind,
                "record_kind": row.record_kind,
                "record_id": row.record_id,
                "params": dict(row.params or {}),
                "link": row.link,
                "created_at": row.created_at.isoformat(),
                "read_at": row.read_at.isoformat() if row.read_at else None,
            }
            for row in rows
        ],
        "notification_preferences": preferences(user),
    }
