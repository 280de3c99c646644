"""Shared column types, status names and helpers for every model."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, TypeDecorator


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Store naive UTC, return aware UTC.

    SQLite keeps no time zone and PostgreSQL converts to the session zone; storing naive
    UTC on both and re-attaching UTC on load makes comparisons behave the same everywhere.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Status:
    """Lifecycle of every moderated record: draft → pending → published/rejected → archived."""

    DRAFT = "draft"
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    ARCHIVED = "archived"
    ALL = (DRAFT, PENDING, PUBLISHED, REJECTED, ARCHIVED)


class Role:
    """Account-level roles; organisation roles live on Membership."""

    MEMBER = "member"
    CURATOR = "curator"
    ALL = (MEMBER, CURATOR)
