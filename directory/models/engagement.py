"""How people act on listings: applications, proposals, contact requests and reports."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .orgs import Organization
from .posts import Challenge, Opening
from .users import User

if TYPE_CHECKING:
    from .proposals import ProposalMember


class ResponseStatus:
    """Where an application or proposal stands; the poster moves it."""

    RECEIVED = "received"
    SHORTLISTED = "shortlisted"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    # A proposer may take back a proposal the organisation has not decided on yet.
    WITHDRAWN = "withdrawn"
    ALL = (RECEIVED, SHORTLISTED, ACCEPTED, DECLINED)


class Application(db.Model):
    """A person applying to an opening; one per person and opening."""

    __tablename__ = "applications"
    __table_args__ = (UniqueConstraint("opening_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opening_id: Mapped[int] = mapped_column(
        ForeignKey("openings.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=ResponseStatus.RECEIVED)
    response_message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # taken back by its sender

    opening: Mapped[Opening] = relationship()
    user: Mapped[User] = relationship()


class Proposal(db.Model):
    """A person, optionally on behalf of an organisation, proposing to solve a challenge.

    `message` is the approach summary. Budget, timeline, links and the answers to the
    safeguards the challenge's risk level calls for make it comparable side by side; the
    consortium partners and team members it names are `members` (models/proposals.py).
    """

    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(
        ForeignKey("challenges.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL")
    )
    message: Mapped[str] = mapped_column(Text, default="")
    budget_amount: Mapped[int | None] = mapped_column(Integer)
    budget_currency: Mapped[str] = mapped_column(String(3), default="MXN", server_default="MXN")
    timeline_weeks: Mapped[int | None] = mapped_column(Integer)
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    safeguards: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)  # code → answer
    # Sent as a consortium: it counts as one once every partner it names has confirmed.
    consortium: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(20), default=ResponseStatus.RECEIVED)
    response_message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    challenge: Mapped[Challenge] = relationship()
    user: Mapped[User] = relationship()
    organization: Mapped[Organization | None] = relationship()
    members: Mapped[list[ProposalMember]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalMember.id"
    )


class ContactRequest(db.Model):
    """Mediated contact: emails are revealed to both sides only once the recipient accepts."""

    __tablename__ = "contact_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    sender: Mapped[User] = relationship(foreign_keys=[sender_id])
    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id])


class Report(db.Model):
    """A member flagging a listing as a scam or wrong; curators decide."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    target_kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column()
    reason: Mapped[str] = mapped_column(String(20), default="wrong")
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolution: Mapped[str] = mapped_column(Text, default="")
