"""Personal API tokens: a member's read-only keys to the listing API, stored hashed.

The open-data files are not rows: they live on disk with their manifest
(services/opendata/store.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from .users import User


class TokenScope:
    """What a token may do. Read-only is the only scope: no token ever changes anything."""

    READ = "read"
    ALL = (READ,)


class ApiToken(db.Model):
    """A named bearer token for the listing API; only its SHA-256 is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    # SHA-256 (hex) of the whole token: a copy of the database opens nothing.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters after the prefix, so the owner can tell tokens apart on their page.
    hint: Mapped[str] = mapped_column(String(12))
    scope: Mapped[str] = mapped_column(String(20), default=TokenScope.READ)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # A backref, so User gains `api_tokens` without models/users.py knowing them: deleting
    # an account deletes its tokens through the ORM, whatever the foreign-key enforcement.
    user: Mapped[User] = relationship(
        backref=backref("api_tokens", cascade="all, delete-orphan", passive_deletes=True)
    )

    @property
    def is_active(self) -> bool:
        """Whether the token still opens the API (not revoked)."""
        return self.revoked_at is None

    def __repr__(self) -> str:
        return f"<ApiToken {self.id}>"
