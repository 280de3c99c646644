"""Structured proposals: consortium members, the risk questionnaire and assessments."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, select
from sqlalchemy.orm import Mapped, backref, column_property, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .posts import Challenge

if TYPE_CHECKING:
    from .engagement import Proposal
    from .orgs import Organization
    from .users import User


class MemberRole:
    """How a named record takes part in a proposal."""

    PARTNER = "partner"  # a member of the consortium that proposes
    TEAM = "team"  # works on it, without being a party to the proposal
    ALL = (PARTNER, TEAM)


class MemberStatus:
    """A named person or organisation confirms before the proposal shows their name."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    ALL = (PENDING, CONFIRMED, DECLINED)


class RiskLevel:
    """Where a risk self-assessment lands; each level calls for its safeguards."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    ALL = (LOW, MEDIUM, HIGH)


class ProposalMember(db.Model):
    """A person or organisation of the directory named in a proposal (partner or team).

    Exactly one of `user_id` and `organization_id` is set. A person confirms for
    themselves; an organisation through any of its owners or editors.
    """

    __tablename__ = "proposal_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(10), default=MemberRole.PARTNER)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(12), default=MemberStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    proposal: Mapped[Proposal] = relationship(back_populates="members")
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    organization: Mapped[Organization | None] = relationship()

    def __repr__(self) -> str:
        return f"<ProposalMember {self.id}>"


class RiskQuestionnaire(db.Model):
    """One version of the risk questionnaire: questions, points, thresholds, safeguards.

    The newest version is in force. Curators add versions (the old ones stay, so an
    assessment can always say which text it answered); the first comes from
    directory/data/risk_questionnaire.json.
    """

    __tablename__ = "risk_questionnaires"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class RiskAssessment(db.Model):
    """A posting organisation's risk self-assessment of one challenge, and its level."""

    __tablename__ = "risk_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), unique=True
    )
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    answers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # question → option
    score: Mapped[int] = mapped_column(Integer, default=0)
    level: Mapped[str] = mapped_column(String(10), index=True)
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    # The backref gives every challenge `challenge.risk_assessment` (None until assessed).
    challenge: Mapped[Challenge] = relationship(
        backref=backref("risk_assessment", uselist=False, passive_deletes=True)
    )


# `Challenge.risk_level`: the level as a value of the challenge ("low", "medium", "high",
# or None before an assessment), usable in Python and in SQL (a /directory facet, a filter:
# `select(Challenge).where(Challenge.risk_level == "high")`). Deferred: loaded on access,
# so listings that never read it pay nothing.
Challenge.__mapper__.add_property(
    "risk_level",
    column_property(
        select(RiskAssessment.level)
        .where(RiskAssessment.challenge_id == Challenge.id)
        .correlate_except(RiskAssessment)
        .scalar_subquery(),
        deferred=True,
    ),
)
