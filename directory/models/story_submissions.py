"""Stories submitted by members: who is named and whether they confirmed."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from .orgs import Organization
    from .stories import SuccessStory
    from .users import User


class NamingStatus:
    """A name appears on a story only once its bearer confirmed (SECURITY.md row 46)."""

    WAITING = "waiting"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    ALL = (WAITING, CONFIRMED, DECLINED)


class StoryNaming(db.Model):
    """An organisation or a person of the directory named in a submitted story.

    Exactly one of `organization_id` and `user_id` is set. A person answers for themselves;
    an organisation through any of its owners or editors. A confirmed organisation is also
    in the story's `organizations` (what every page, feed and search already shows); a
    declined naming stays here, so the submitter cannot name the same party again.
    """

    __tablename__ = "story_namings"
    __table_args__ = (
        UniqueConstraint("story_id", "organization_id", name="uq_story_namings_story_org"),
        UniqueConstraint("story_id", "user_id", name="uq_story_namings_story_user"),
        CheckConstraint("(organization_id IS NULL) <> (user_id IS NULL)", name="one_named_party"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(
        ForeignKey("success_stories.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(12), default=NamingStatus.WAITING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    story: Mapped[SuccessStory] = relationship(back_populates="namings")
    organization: Mapped[Organization | None] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<StoryNaming {self.id} {self.status}>"
