"""The coalition: members, working groups, meetings, outputs, consultations and answers."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from .orgs import Organization
    from .users import User


class CoalitionTier:
    """An organisation's place in the coalition (labels: vocab.COALITION_TIERS)."""

    FOUNDING = "founding"
    MEMBER = "member"
    OBSERVER = "observer"
    ALL = (FOUNDING, MEMBER, OBSERVER)


class CoalitionStatus:
    """Requested by an owner → active (approved) or declined; an active one may end."""

    REQUESTED = "requested"
    ACTIVE = "active"
    DECLINED = "declined"
    ENDED = "ended"
    ALL = (REQUESTED, ACTIVE, DECLINED, ENDED)


class GroupStatus:
    """A working group is prepared as a draft, published, and archived when it stops."""

    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"
    ALL = (DRAFT, PUBLISHED, ARCHIVED)


class JoinStatus:
    """A request to join a working group, decided by its coordinators."""

    REQUESTED = "requested"
    ACTIVE = "active"
    DECLINED = "declined"
    ALL = (REQUESTED, ACTIVE, DECLINED)


class QuestionKind:
    """The four kinds of consultation question (labels: vocab.QUESTION_KINDS)."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    SCALE = "scale"
    TEXT = "text"
    ALL = (SINGLE, MULTIPLE, SCALE, TEXT)
    WITH_OPTIONS = (SINGLE, MULTIPLE)


class CoalitionMember(db.Model):
    """One organisation's membership of the coalition: its request, the decision, its tier.

    One row per organisation: a new request after a decline or an end reuses it, so the
    public page never counts an organisation twice.
    """

    __tablename__ = "coalition_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(String(12), default=CoalitionStatus.REQUESTED, index=True)
    tier: Mapped[str] = mapped_column(String(12), default=CoalitionTier.MEMBER)
    message: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")  # the curator's words to the owners
    joined_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)

    organization: Mapped[Organization] = relationship()

    def __repr__(self) -> str:
        return f"<CoalitionMember {self.id} {self.status}>"


class WorkingGroup(db.Model):
    """A coalition working group (ethics, data, talent...), described in both languages."""

    __tablename__ = "working_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_es: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description_es: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default=GroupStatus.DRAFT, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    coordinators: Mapped[list[GroupCoordinator]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="GroupCoordinator.id"
    )
    members: Mapped[list[GroupMember]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="GroupMember.id"
    )

    def name(self, locale: str) -> str:
        """The name in the reader's language (the other one when it is missing)."""
        return (self.name_en if locale == "en" else self.name_es) or self.name_es or self.name_en

    def description(self, locale: str) -> str:
        """The description in the reader's language (the other one when it is missing)."""
        text = self.description_en if locale == "en" else self.description_es
        return text or self.description_es or self.description_en

    def __repr__(self) -> str:
        return f"<WorkingGroup {self.id}>"


class GroupCoordinator(db.Model):
    """A person a curator named to coordinate a working group."""

    __tablename__ = "working_group_coordinators"
    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    named_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    group: Mapped[WorkingGroup] = relationship(back_populates="coordinators")
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class GroupMember(db.Model):
    """An organisation (asked by an owner) or a person in a working group, or asking to be."""

    __tablename__ = "working_group_members"
    __table_args__ = (
        UniqueConstraint("group_id", "organization_id", name="uq_working_group_members_org"),
        UniqueConstraint("group_id", "user_id", name="uq_working_group_members_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), index=True
    )
    # Exactly one of the two: the organisation, or the person.
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(12), default=JoinStatus.REQUESTED, index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    group: Mapped[WorkingGroup] = relationship(back_populates="members")
    organization: Mapped[Organization | None] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])


class GroupMeeting(db.Model):
    """A meeting of a working group: when, where (a place or a link) and its agenda."""

    __tablename__ = "working_group_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    place: Mapped[str] = mapped_column(String(300), default="")
    link: Mapped[str] = mapped_column(String(300), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    group: Mapped[WorkingGroup] = relationship()


class GroupOutput(db.Model):
    """A document a working group published: title, link and date."""

    __tablename__ = "working_group_outputs"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    url: Mapped[str] = mapped_column(String(300))
    published_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    group: Mapped[WorkingGroup] = relationship()


class Consultation(db.Model):
    """A consultation curators open to members between two dates (inclusive)."""

    __tablename__ = "consultations"

    id: Mapped[int] = mapped_column(primary_key=True)
    title_es: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    context_es: Mapped[str] = mapped_column(Text, default="")
    context_en: Mapped[str] = mapped_column(Text, default="")
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    # draft (curators only, questions editable) or published (visible, questions fixed).
    status: Mapped[str] = mapped_column(String(12), default=GroupStatus.DRAFT, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When members were told it opened (the job that tells them sets it once).
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    questions: Mapped[list[ConsultationQuestion]] = relationship(
        back_populates="consultation",
        cascade="all, delete-orphan",
        order_by="(ConsultationQuestion.position, ConsultationQuestion.id)",
    )

    def title(self, locale: str) -> str:
        """The title in the reader's language (the other one when it is missing)."""
        return (self.title_en if locale == "en" else self.title_es) or self.title_es

    def context(self, locale: str) -> str:
        """The context in the reader's language (the other one when it is missing)."""
        text = self.context_en if locale == "en" else self.context_es
        return text or self.context_es or self.context_en

    def __repr__(self) -> str:
        return f"<Consultation {self.id}>"


class ConsultationQuestion(db.Model):
    """One question: its kind, bilingual text and, for choices, bilingual options."""

    __tablename__ = "consultation_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(10))
    text_es: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    # [{"es": "...", "en": "..."}]; answers store the index of the option.
    options: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    consultation: Mapped[Consultation] = relationship(back_populates="questions")

    def text(self, locale: str) -> str:
        """The question in the reader's language."""
        return (self.text_en if locale == "en" else self.text_es) or self.text_es

    def option_labels(self, locale: str) -> list[str]:
        """The options in the reader's language, in their order."""
        key = "en" if locale == "en" else "es"
        return [str(o.get(key) or o.get("es") or "") for o in self.options or []]


class ConsultationResponse(db.Model):
    """A member's answers to one consultation: one per member, changeable until it closes."""

    __tablename__ = "consultation_responses"
    __table_args__ = (UniqueConstraint("consultation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    answers: Mapped[list[ConsultationAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )


class ConsultationAnswer(db.Model):
    """The answer to one question: chosen option indexes, a 1–5 value or free text."""

    __tablename__ = "consultation_answers"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_responses.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_questions.id", ondelete="CASCADE"), index=True
    )
    choices: Mapped[list[int]] = mapped_column(JSON, default=list)
    scale: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    # A curator hid this free text as abusive: it leaves the curators' list and the export.
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    response: Mapped[ConsultationResponse] = relationship(back_populates="answers")


class CoalitionNotice(db.Model):
    """That one person was told of one event (a consultation opening): told at most once."""

    __tablename__ = "coalition_notices"
    __table_args__ = (UniqueConstraint("event", "record_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
