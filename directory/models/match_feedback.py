"""What a person did with a suggested match: saved it or said "not interested", and the
invitations to propose that a challenge's organisation sent to suggested solvers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class MatchFeedback(db.Model):
    """One person's mark on one suggested opening or challenge: saved and/or hidden.

    Both flags live on one row so "not interested" then "undo" gives back a saved match
    still saved; a row with neither flag is deleted.
    """

    __tablename__ = "match_feedback"
    __table_args__ = (UniqueConstraint("user_id", "kind", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # "opening" or "challenge"
    # No foreign key: the record may be withdrawn or deleted; the mark then simply matches
    # nothing (and goes with the account).
    record_id: Mapped[int] = mapped_column(Integer)
    saved: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<MatchFeedback {self.user_id} {self.kind}/{self.record_id}>"


class ProposalInvitation(db.Model):
    """A challenge's organisation invited a suggested solver to propose (at most once)."""

    __tablename__ = "proposal_invitations"
    __table_args__ = (
        UniqueConstraint("challenge_id", "invitee_kind", "invitee_id"),
        Index("ix_proposal_invitations_invitee", "invitee_kind", "invitee_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    invitee_kind: Mapped[str] = mapped_column(String(20))  # "organization" or "profile"
    invitee_id: Mapped[int] = mapped_column(Integer)
    # Who sent it; kept without them when their account is deleted.
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<ProposalInvitation {self.challenge_id} {self.invitee_kind}/{self.invitee_id}>"
