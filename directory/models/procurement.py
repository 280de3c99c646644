"""Procurement: innovation units, questions and answers, followers, stages and outcomes."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from .orgs import Organization
    from .posts import Challenge
    from .stories import SuccessStory
    from .users import Profile, User


class UnitMemberStatus:
    """A person invited to a unit by the agency's owners, until they accept."""

    INVITED = "invited"
    ACTIVE = "active"
    ALL = (INVITED, ACTIVE)


class OutcomeKind:
    """How a challenge ended."""

    AWARDED = "awarded"
    NOT_AWARDED = "not_awarded"
    CANCELLED = "cancelled"
    ALL = (AWARDED, NOT_AWARDED, CANCELLED)


class InnovationUnit(db.Model):
    """A government agency's team that engages the AI sector before buying (an ETI team)."""

    __tablename__ = "innovation_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    mandate: Mapped[str] = mapped_column(Text, default="")
    # An e-mail address or an http(s) address, checked by services/procurement/units.py.
    contact: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship()
    members: Mapped[list[UnitMember]] = relationship(
        back_populates="unit", cascade="all, delete-orphan", order_by="UnitMember.id"
    )

    def __repr__(self) -> str:
        return f"<InnovationUnit {self.id}>"


class UnitMember(db.Model):
    """A person in a unit: invited by an owner of the agency, a member once they accept."""

    __tablename__ = "unit_members"
    __table_args__ = (UniqueConstraint("unit_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("innovation_units.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=UnitMemberStatus.INVITED)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    unit: Mapped[InnovationUnit] = relationship(back_populates="members")
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class ChallengeQuestion(db.Model):
    """A member's question about a challenge and the posting organisation's answer."""

    __tablename__ = "challenge_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), index=True
    )
    asker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    # Public questions (and their answers) are shown on the challenge page once answered;
    # private ones only to their asker and the organisation's editors.
    public: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Hidden as abusive by a curator or the organisation: gone from every page.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str] = mapped_column(Text, default="")

    challenge: Mapped[Challenge] = relationship()
    asker: Mapped[User] = relationship(foreign_keys=[asker_id])

    def __repr__(self) -> str:
        return f"<ChallengeQuestion {self.id}>"


class ChallengeFollower(db.Model):
    """A member who follows a challenge to hear of its answers, stages and outcome."""

    __tablename__ = "challenge_followers"
    __table_args__ = (UniqueConstraint("challenge_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    challenge: Mapped[Challenge] = relationship()


class StageChange(db.Model):
    """One move of a challenge through discovery → prototype → pilot → scale, with a note."""

    __tablename__ = "challenge_stage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), index=True
    )
    from_stage: Mapped[str] = mapped_column(String(20))
    to_stage: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ChallengeOutcome(db.Model):
    """How a closed challenge ended: awarded (to whom), not awarded or cancelled."""

    __tablename__ = "challenge_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), unique=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    story_id: Mapped[int | None] = mapped_column(
        ForeignKey("success_stories.id", ondelete="SET NULL")
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    challenge: Mapped[Challenge] = relationship()
    story: Mapped[SuccessStory | None] = relationship()
    awardees: Mapped[list[OutcomeAwardee]] = relationship(
        back_populates="outcome", cascade="all, delete-orphan", order_by="OutcomeAwardee.id"
    )


class OutcomeAwardee(db.Model):
    """An organisation or a person in the directory that a challenge was awarded to."""

    __tablename__ = "challenge_outcome_awardees"

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(
        ForeignKey("challenge_outcomes.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE")
    )
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))

    outcome: Mapped[ChallengeOutcome] = relationship(back_populates="awardees")
    organization: Mapped[Organization | None] = relationship()
    profile: Mapped[Profile | None] = relationship()
