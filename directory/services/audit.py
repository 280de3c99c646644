"""The append-only audit trail."""

from __future__ import annotations

from typing import Any

from ..extensions import db
from ..models import AuditEvent, User


def record(
    action: str,
    *,
    actor: User | None = None,
    target_kind: str = "",
    target_id: int | None = None,
    ip: str = "",
    **details: Any,
) -> AuditEvent:
    """Add an audit event to the session; the caller's commit makes it durable."""
    actor_id = actor.id if actor is not None and getattr(actor, "id", None) else None
    event = AuditEvent(
        actor_id=actor_id,
        action=action,
        target_kind=target_kind,
        target_id=target_id,
        ip=ip[:64],
        details=details,
    )
    db.session.add(event)
    return event
