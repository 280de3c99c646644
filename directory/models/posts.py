"""What organisations publish: openings and challenges."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Status, UTCDateTime, utcnow
from .skills import challenge_skills, opening_skills

if TYPE_CHECKING:
    from .orgs import Organization
    from .procurement import InnovationUnit
    from .skills import Skill


class Opening(db.Model):
    """A job, internship, fellowship or research position."""

    __tablename__ = "openings"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(30), default="job")
    seniority: Mapped[str] = mapped_column(String(20), default="mid")
    state_code: Mapped[str | None] = mapped_column(String(4), index=True)
    city: Mapped[str] = mapped_column(String(120), default="")
    remote_policy: Mapped[str] = mapped_column(String(10), default="onsite", index=True)
    relocation_support: Mapped[bool] = mapped_column(Boolean, default=False)
    salary_min: Mapped[int | None] = mapped_column(Integer)
    salary_max: Mapped[int | None] = mapped_column(Integer)
    salary_currency: Mapped[str] = mapped_column(String(3), default="MXN")
    closes_on: Mapped[date | None] = mapped_column(Date)
    # Skills outside the vocabulary, kept as typed (matched by meaning, matching/skillspace.py).
    free_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Hard requirements: a person who does not meet one is not suggested (feasibility.py).
    min_degree: Mapped[str | None] = mapped_column(String(20))  # vocab DEGREES
    residence: Mapped[str] = mapped_column(String(10), default="any", server_default="any")
    required_languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    sponsors_work_permit: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    status: Mapped[str] = mapped_column(String(20), default=Status.PENDING, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    search_text: Mapped[str] = mapped_column(Text, default="")  # folded, see search_text.py
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The curator's last decision: the note is shown to the submitter on a rejection.
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    moderation_note: Mapped[str] = mapped_column(Text, default="")

    organization: Mapped[Organization] = relationship(back_populates="openings")
    skills: Mapped[list[Skill]] = relationship(secondary=opening_skills, order_by="Skill.slug")

    def __repr__(self) -> str:
        return f"<Opening {self.id}>"


class Challenge(db.Model):
    """A problem a government agency or company wants solved with AI (smart procurement)."""

    __tablename__ = "challenges"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    problem: Mapped[str] = mapped_column(Text, default="")
    desired_outcome: Mapped[str] = mapped_column(Text, default="")
    data_available: Mapped[str] = mapped_column(Text, default="")
    sector: Mapped[str] = mapped_column(String(40), default="", index=True)
    stage: Mapped[str] = mapped_column(String(20), default="discovery", index=True)
    eligibility: Mapped[list[str]] = mapped_column(JSON, default=list)
    budget_min: Mapped[int | None] = mapped_column(Integer)
    budget_max: Mapped[int | None] = mapped_column(Integer)
    budget_currency: Mapped[str] = mapped_column(String(3), default="MXN")
    state_code: Mapped[str | None] = mapped_column(String(4), index=True)
    closes_on: Mapped[date | None] = mapped_column(Date)  # the proposal deadline
    # Procurement (models/procurement.py): the unit that posts it, the last day for
    # questions, and whether the solution would take or support decisions about people.
    unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("innovation_units.id", ondelete="SET NULL"), index=True
    )
    clarification_deadline: Mapped[date | None] = mapped_column(Date)
    decides_about_people: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    free_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default=Status.PENDING, index=True)
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("challenges.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    search_text: Mapped[str] = mapped_column(Text, default="")  # folded, see search_text.py
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The curator's last decision: the note is shown to the submitter on a rejection.
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    moderation_note: Mapped[str] = mapped_column(Text, default="")

    organization: Mapped[Organization] = relationship(back_populates="challenges")
    skills: Mapped[list[Skill]] = relationship(secondary=challenge_skills, order_by="Skill.slug")
    unit: Mapped[InnovationUnit | None] = relationship()

    def __repr__(self) -> str:
        return f"<Challenge {self.id}>"
