"""What alerts have delivered: each (person, alert, record) at most once, in batched digests.

`AlertDelivery`'s unique key is the promise "nothing sent twice": a digest run that is
killed and run again finds the deliveries it already wrote and skips them. `Digest` is one
mail to one person for one run (its `run_key`, e.g. "daily:2026-12-02", is unique per
person), so a rerun never builds a second digest for the same period either.
`AlertSettings` holds a person's match-alert choices (defaults apply without a row).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class DigestStatus:
    """Where a digest is: built (waiting to be sent), sent, or dropped at send time."""

    PENDING = "pending"
    SENT = "sent"
    DROPPED = "dropped"  # nothing left the person may see, or they unsubscribed meanwhile


class Digest(db.Model):
    """One batched mail to one person for one run of the alerts."""

    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("user_id", "run_key", name="uq_digests_user_run"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    run_key: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10), default=DigestStatus.PENDING, index=True)
    # [{"alert": "search:3", "kind": "opening", "id": 12, "score": 71}, ...]
    items: Mapped[list[dict]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AlertDelivery(db.Model):
    """A record that an alert has brought to a person (never twice)."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (
        UniqueConstraint(
            "user_id", "alert", "record_kind", "record_id", name="uq_alert_deliveries_once"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    alert: Mapped[str] = mapped_column(String(40))  # see digests/collect.py Item.alert
    record_kind: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[int] = mapped_column(Integer)
    digest_id: Mapped[int | None] = mapped_column(ForeignKey("digests.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AlertSettings(db.Model):
    """A person's match alerts: how often, from which score, and a switch for all mail."""

    __tablename__ = "alert_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    match_frequency: Mapped[str] = mapped_column(String(10), default="weekly")
    match_threshold: Mapped[int] = mapped_column(Integer, default=60)
    # For an opening's or challenge's editors: new people or solvers that fit.
    candidate_frequency: Mapped[str] = mapped_column(String(10), default="daily")
    # For people abroad open to return: openings that are a way home (reverse.py).
    ways_back_frequency: Mapped[str] = mapped_column(
        String(10), default="weekly", server_default="weekly"
    )
    all_off: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
