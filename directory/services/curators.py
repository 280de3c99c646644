"""The chamber's curators: who they are, granting the role and revoking it.

The last active curator can never lose the role, or nobody could manage the directory
(the command line could still make one, but the chamber should never need it).
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select

from ..extensions import db
from ..models import AuditEvent, Role, User
from . import audit
from .accounts import AccountError, find_user, normalise_email


class CuratorError(ValueError):
    """A refusal to show next to the form or as a flash message."""

    def __init__(self, message: str | LazyString) -> None:
        super().__init__(str(message))
        self.message = message


def curators() -> list[User]:
    """Every account holding the curator role, active ones first, then by email."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.CURATOR)
            .order_by(User.active.desc(), User.email, User.id)
        )
    )


def granted_on(users: list[User]) -> dict[int, datetime]:
    """When each account last received the curator role, from the audit log."""
    ids = [user.id for user in users]
    if not ids:
        return {}
    rows = db.session.execute(
        select(AuditEvent.target_id, func.max(AuditEvent.created_at))
        .where(
            AuditEvent.action == "curator.granted",
            AuditEvent.target_kind == "user",
            AuditEvent.target_id.in_(ids),
        )
        .group_by(AuditEvent.target_id)
    )
    return {target_id: when for target_id, when in rows}


def _active_curator_ids(*, lock: bool) -> list[int]:
    query = select(User.id).where(User.role == Role.CURATOR, User.active.is_(True))
    if lock:
        # On PostgreSQL two curators revoking each other at once queue here, so the
        # second one sees the first one's change and cannot remove the last curator.
        query = query.with_for_update()
    return list(db.session.scalars(query))


def grant(email: str, *, actor: User, ip: str = "") -> User:
    """Give the curator role to an existing, active account."""
    try:
        address = normalise_email(email)
    except AccountError as exc:
        raise CuratorError(exc.message) from exc
    user = find_user(address)
    if user is None:
        raise CuratorError(
            _l("No account uses this email. Ask the person to sign up first, then try again.")
        )
    if not user.active:
        raise CuratorError(_l("This account is deactivated."))
    if user.role == Role.CURATOR:
        raise CuratorError(_l("This account is already a curator."))
    user.role = Role.CURATOR
    db.session.flush()
    audit.record(
        "curator.granted",
        actor=actor,
        target_kind="user",
        target_id=user.id,
        ip=ip,
        granted_by=actor.id,
    )
    return user


def revoke(user: User, *, actor: User, ip: str = "") -> None:
    """Take the curator role back; refused when no other active curator would remain."""
    if user.role != Role.CURATOR:
        raise CuratorError(_l("This account is not a curator."))
    remaining = [uid for uid in _active_curator_ids(lock=True) if uid != user.id]
    if not remaining:
        raise CuratorError(
            _l("This is the last curator: grant the role to someone else before revoking it.")
        )
    user.role = Role.MEMBER
    db.session.flush()
    audit.record(
        "curator.revoked",
        actor=actor,
        target_kind="user",
        target_id=user.id,
        ip=ip,
        revoked_by=actor.id,
        own=user.id == actor.id,
    )
