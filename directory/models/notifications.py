"""In-app notifications and how each person wants to hear about each kind of event.

A notification stores codes and parameters, never finished sentences: the text is written
in the reader's language when it is shown (services/notifications/texts.py), and the title
of the record it is about is read from the record itself at that moment, so a record
hidden or deleted since never shows its title (SECURITY.md row 42).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class Channel:
    """Where a kind of notification reaches its person."""

    IN_APP = "in_app"
    EMAIL = "email"
    BOTH = "both"
    NONE = "none"
    ALL = (IN_APP, EMAIL, BOTH, NONE)


class Notification(db.Model):
    """One event told to one person: unread until they mark it read."""

    __tablename__ = "notifications"
    # The bell counts unread rows of one person on every page: (user_id, read_at) answers it
    # from the index alone.
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    # The record it is about, by the kind names services/notifications/records.py knows.
    record_kind: Mapped[str | None] = mapped_column(String(20))
    record_id: Mapped[int | None] = mapped_column(Integer)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link: Mapped[str] = mapped_column(String(500), default="")  # a path on this site
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind}>"


class NotificationPreference(db.Model):
    """A person's choice of channel for one kind; without a row the kind's default holds."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(10))

    def __repr__(self) -> str:
        return f"<NotificationPreference {self.user_id} {self.kind}={self.channel}>"
