"""Saved searches: a member's directory or semantic search, kept to re-run later.

A saved search is what alerts and digests are built on: `frequency` and `paused` say
whether and how often its new results are sent, `last_run_at` when that last happened,
and a private Atom feed (a bearer token, stored only as its SHA-256) serves its current
results to the owner's feed reader.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from .users import User


class SearchKind:
    """Which search a saved search re-runs."""

    DIRECTORY = "directory"  # /directory: keyword and facets (services/search.py)
    SEMANTIC = "semantic"  # /search: free text and kinds (matching/search.py)
    ALL = (DIRECTORY, SEMANTIC)


class Frequency:
    """How often new results are sent; NEVER keeps the search (and its feed) without alerts."""

    INSTANT = "instant"
    DAILY = "daily"
    WEEKLY = "weekly"
    NEVER = "never"
    ALL = (INSTANT, DAILY, WEEKLY, NEVER)


class SavedSearch(db.Model):
    """One member's saved search with its alert settings and private feed."""

    __tablename__ = "saved_searches"
    # The digest picks its work by frequency among searches that are not paused.
    __table_args__ = (Index("ix_saved_searches_frequency_paused", "frequency", "paused"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default=SearchKind.DIRECTORY)
    # The query-string values that rebuild the search, already checked and canonical:
    # directory: q, the facets and sort; semantic: q and kind ("opening,challenge").
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    frequency: Mapped[str] = mapped_column(String(10), default=Frequency.WEEKLY)
    paused: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # When the alert engine last ran this search (None: never); results newer than this
    # are the ones still to send.
    last_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # SHA-256 (hex) of the private feed's token; None while the search has no feed.
    feed_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    feed_token_created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # A backref, so User gains `saved_searches` without models/users.py knowing alerts:
    # deleting an account deletes its searches through the ORM, whatever the database's
    # foreign-key enforcement (services/account_deletion.py deletes the user row).
    user: Mapped[User] = relationship(
        backref=backref("saved_searches", cascade="all, delete-orphan", passive_deletes=True)
    )

    @property
    def has_feed(self) -> bool:
        """Whether a private feed token is live for this search."""
        return self.feed_token_hash is not None

    @property
    def is_active(self) -> bool:
        """Whether alerts go out for this search (not paused, and a frequency other than never)."""
        return not self.paused and self.frequency != Frequency.NEVER

    def __repr__(self) -> str:
        return f"<SavedSearch {self.id}>"
