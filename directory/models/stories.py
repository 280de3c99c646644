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
    from .story_submissions import StoryNaming

LANGUAGES = ("es", "en")

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
    # Submitted stories (services/stories/): the organisation it was sent for, whose owners
    # and editors may edit it too, and its re-encoded image under UPLOAD_DIR/stories/.
    submitted_for_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL")
    )
    image_name: Mapped[str | None] = mapped_column(String(80))

    organizations: Mapped[list[Organization]] = relationship(secondary=story_organizations)
    submitted_for: Mapped[Organization | None] = relationship(foreign_keys=[submitted_for_id])
    namings: Mapped[list[StoryNaming]] = relationship(
        back_populates="story", cascade="all, delete-orphan", passive_deletes=True
    )

    def languages(self) -> tuple[str, ...]:
        """The languages the story is written in (a version exists when it has a title)."""
        found = tuple(lang for lang in LANGUAGES if (getattr(self, f"title_{lang}") or "").strip())
        return found or ("es",)

    def shown_language(self, locale: str) -> str:
        """The language a reader of `locale` is shown: theirs, else the one that exists."""
        languages = self.languages()
        return locale if locale in languages else languages[0]

    def title(self, locale: str) -> str:
        """Return the title in the viewer's language (or the version that exists)."""
        return str(getattr(self, f"title_{self.shown_language(locale)}") or "")

    def summary(self, locale: str) -> str:
        """Return the summary in the viewer's language (or the version that exists)."""
        return str(getattr(self, f"summary_{self.shown_language(locale)}") or "")

    def body(self, locale: str) -> str:
        """Return the body in the viewer's language (or the version that exists)."""
        return str(getattr(self, f"body_{self.shown_language(locale)}") or "")

    def impact_label(self, item: dict[str, Any], locale: str) -> str:
        """An impact figure's label in the viewer's language, else the other one."""
        other = "es" if locale == "en" else "en"
        return str(item.get(f"label_{locale}") or item.get(f"label_{other}") or "")
