"""Background jobs that failed: retrying, or dead letters a curator can retry or dismiss."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class FailedJob(db.Model):
    """One background job that failed at least once (retries of a job share its row).

    ``arguments`` holds only what the job's ``redact`` lets through (a mail: recipient and
    subject, never the body, which can carry a reset link); the payload a retry needs stays
    in the queue's storage for a limited time (JOBS_DEAD_LETTER_TTL).
    """

    __tablename__ = "failed_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[str] = mapped_column(String(64), unique=True)
    task_name: Mapped[str] = mapped_column(String(200), index=True)
    arguments: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    # True once no retry is left: a dead letter.
    exhausted: Mapped[bool] = mapped_column(Boolean, default=False)
    first_failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    # "succeeded" (a later retry worked), "retried" or "dismissed" (by a curator).
    resolution: Mapped[str] = mapped_column(String(20), default="")
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    @property
    def short_name(self) -> str:
        """The job's function name, without its module."""
        return self.task_name.rsplit(".", 1)[-1]
