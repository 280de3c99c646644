"""Success stories: deployed Mexican AI systems, told in both languages."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Status, UTCDateTime, utcnow

if TYPE_CHECKING:
    from .orgs import Organization

story_organizations = Table(
    "story_organizations",
    db.metadata,
    Column("story_id", ForeignKey("success_stories.id", ondelete="CASCADE"), primary_key=True),
    Column("organization_id", ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True),
)


class SuccessStory(db.Model):
    """A deployed AI system with its organisations, sector and impact figures."""

    __tablename__ = "success_stories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    title_es: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    summary_es: Mapped[str] = mapped_column(Text, default="")
    summary_en: Mapped[str] = mapped_column(Text, default="")
    body_es: Mapped[str] = mapped_column(Text, default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    sector: Mapped[str] = mapped_column(String(40), default="", index=True)
    state_code: Mapped[str | None] = mapped_column(String(4))
    # [{"label_es": ..., "label_en": ..., "value": "..."}]
    impact: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    url: Mapped[str] = mapped_column(String(300), default="")
    featured: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default=Status.PENDING, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    search_text: Mapped[str] = mapped_column(Text, default="")  # folded, see search_text.py
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The curator's last decision: the note is shown to the submitter on a rejection.
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    moderation_note: Mapped[str] = mapped_column(Text, default="")

    organizations: Mapped[list[Organization]] = relationship(secondary=story_organizations)

    def title(self, locale: str) -> str:
        """Return the title in the viewer's language."""
        return self.title_en if locale == "en" else self.title_es

    def summary(self, locale: str) -> str:
        """Return the summary in the viewer's language."""
        return self.summary_en if locale == "en" else self.summary_es
