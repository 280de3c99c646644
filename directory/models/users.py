"""Accounts, their server-side login sessions and their profiles."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, Date, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Role, UTCDateTime, utcnow
from .skills import profile_skills

if TYPE_CHECKING:
    from .orgs import Membership
    from .skills import Skill


class User(UserMixin, db.Model):
    """An account: email, password hash, role and preferred language."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(5))
    role: Mapped[str] = mapped_column(String(20), default=Role.MEMBER)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Signed up on the web and not yet confirmed from the mailbox: cannot log in (the
    # confirmation needs the link *and* the password, so a stranger's sign-up with someone
    # else's address never yields an account that either of them can use alone).
    awaiting_confirmation: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )

    profile: Mapped[Profile | None] = relationship(
        back_populates="user", uselist=False, cascade="all, delete-orphan"
    )
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    login_sessions: Mapped[list[LoginSession]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    # Set by the user loader: the server-side session this request was authenticated by.
    current_session = None  # type: LoginSession | None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def is_curator(self) -> bool:
        """Whether this account holds the chamber's curator role."""
        return self.role == Role.CURATOR

    # UserMixin compares by get_id(), which needs a login session; identity is what we mean.
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def get_id(self) -> str:
        """Identify the user *and* the login session, so both can be revoked."""
        if self.current_session is None:
            raise RuntimeError("get_id() needs a login session; use services.accounts.login")
        return f"{self.id}:{self.current_session.token}"

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class LoginSession(db.Model):
    """One signed-in browser. Logout deletes it; a password change deletes the others.

    A per-login row (rather than a single counter on the user) lets logout end just this
    browser while a password change or deactivation ends all of them.
    """

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship(back_populates="login_sessions")

    # The raw token exists only in memory right after login or after loading from a cookie.
    token = ""


class Profile(db.Model):
    """A person's public-facing profile: private until its owner publishes it."""

    __tablename__ = "profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    headline: Mapped[str] = mapped_column(String(200), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(30), default="engineer")
    seniority: Mapped[str] = mapped_column(String(20), default="mid")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    city: Mapped[str] = mapped_column(String(120), default="")
    state_code: Mapped[str | None] = mapped_column(String(4), index=True)
    country_code: Mapped[str] = mapped_column(String(2), default="MX", index=True)
    diaspora_status: Mapped[str] = mapped_column(String(20), default="local", index=True)
    open_to: Mapped[list[str]] = mapped_column(JSON, default=list)
    available_from: Mapped[date | None] = mapped_column(Date)
    # Feasibility (matching/feasibility.py): where and how the person can work. An empty
    # list or None means "not said", which never counts against anyone.
    work_modes: Mapped[list[str]] = mapped_column(JSON, default=list)  # remote_policies
    relocate: Mapped[bool | None] = mapped_column(Boolean)  # within Mexico
    degree: Mapped[str | None] = mapped_column(String(20))  # vocab DEGREES
    needs_work_permit: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    free_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    phone: Mapped[str] = mapped_column(String(40), default="")  # private, never shown
    photo_name: Mapped[str | None] = mapped_column(String(80))  # services/media.py
    visibility: Mapped[str] = mapped_column(String(10), default="private", index=True)
    contact_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    matching_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    search_text: Mapped[str] = mapped_column(Text, default="")  # folded, see search_text.py
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="profile")
    skills: Mapped[list[Skill]] = relationship(secondary=profile_skills, order_by="Skill.slug")

    @property
    def is_abroad(self) -> bool:
        """Whether the person lives outside Mexico."""
        return self.country_code != "MX"

    def __repr__(self) -> str:
        return f"<Profile {self.id}>"
