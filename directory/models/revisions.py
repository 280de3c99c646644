"""Edits of published records that wait for a curator before they go live."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from .users import User


class RevisionStatus:
    """Life of a held edit: pending → accepted / rejected, or superseded by a newer edit."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"
    ALL = (PENDING, ACCEPTED, REJECTED, SUPERSEDED)


class PendingRevision(db.Model):
    """The values an editor submitted for a published record, held until a curator decides.

    `values` holds the whole cleaned submission (dates as ISO text, skills as slugs), so
    accepting it replays one complete edit through the normal service validation.
    """

    __tablename__ = "pending_revisions"
    __table_args__ = (Index("ix_pending_revisions_record", "kind", "record_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # organization, opening, challenge
    record_id: Mapped[int] = mapped_column(Integer)
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default=RevisionStatus.PENDING, index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")

    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    def __repr__(self) -> str:
        return f"<PendingRevision {self.kind}:{self.record_id} {self.status}>"
