"""Curators' decisions on held edits: accept (applied as a normal edit) or reject with a reason.

Like services/moderation.py, each decision refuses with a message when the revision no
longer waits (a second curator, a second click, a newer edit), flushes, and writes one
audit event; the view commits and then mails the submitter (notify.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from ...extensions import db
from ...models import PendingRevision, RevisionStatus, Status, User, utcnow
from .. import audit
from ..moderation import ModerationError, clean_reason
from ..orgs import InvalidInput
from ..paging import Page, paginate
from .fields import MODELS, Record, service_data
from .submit import APPLIERS

PER_PAGE = 20


@dataclass
class RevisionDecision:
    """A curator's decision on one held edit, for the mail to its submitter."""

    revision: PendingRevision
    record: Any
    action: str  # accepted, rejected


def load(revision_id: int) -> PendingRevision:
    """A revision by id, or a refusal fit to show the curator."""
    revision = db.session.get(PendingRevision, revision_id)
    if revision is None:
        raise ModerationError(_l("That change no longer exists."))
    return revision


def record_of(revision: PendingRevision) -> Record | None:
    """The record a revision would change (None once it was deleted)."""
    model = MODELS.get(revision.kind)
    return db.session.get(model, revision.record_id) if model is not None else None


def waiting(page: int = 1) -> Page[PendingRevision]:
    """Held edits waiting for a decision, oldest first."""
    query = (
        select(PendingRevision)
        .where(PendingRevision.status == RevisionStatus.PENDING)
        .order_by(PendingRevision.submitted_at, PendingRevision.id)
    )
    return paginate(query, page, PER_PAGE)


def count_waiting() -> int:
    """How many held edits wait for a decision."""
    return waiting(1).total


def _check_waiting(revision: PendingRevision) -> None:
    if revision.status == RevisionStatus.SUPERSEDED:
        raise ModerationError(
            _l("A newer edit replaced this change; decide on that one. Nothing was changed.")
        )
    if revision.status != RevisionStatus.PENDING:
        raise ModerationError(_l("This change was already decided; nothing was changed."))


def _claim(revision: PendingRevision, status: str, actor: User, reason: str = "") -> None:
    """Mark the revision decided only if it still waits: two curators cannot both decide."""
    result = db.session.execute(
        update(PendingRevision)
        .where(
            PendingRevision.id == revision.id,
            PendingRevision.status == RevisionStatus.PENDING,
        )
        .values(status=status, decided_by_id=actor.id, decided_at=utcnow(), reason=reason)
        .execution_options(synchronize_session="fetch")
    )
    if (result.rowcount or 0) != 1:  # type: ignore[attr-defined]
        raise ModerationError(_l("This change was already decided; nothing was changed."))


def accept(revision: PendingRevision, *, actor: User, ip: str = "") -> RevisionDecision:
    """Apply a held edit through the normal edit service (same checks, re-embedded as usual)."""
    _check_waiting(revision)
    record = record_of(revision)
    if record is None:
        raise ModerationError(_l("That record no longer exists."))
    if record.status == Status.ARCHIVED:
        raise ModerationError(
            _l("This record is closed: its changes can no longer be applied. Reject them.")
        )
    _claim(revision, RevisionStatus.ACCEPTED, actor)
    try:
        apply = APPLIERS[revision.kind]
        data = service_data(revision.values)
        details = {"review": "accepted", "revision_id": revision.id}
        changed = apply(record, data, actor=actor, ip=ip, **details)
    except InvalidInput as exc:
        raise ModerationError(
            _l(
                "This change no longer passes the checks (%(why)s). Reject it with a reason.",
                why=str(exc.message),
            )
        ) from exc
    audit.record(f"{revision.kind}.revision_accepted", actor=actor, target_kind=revision.kind,
                 target_id=revision.record_id, ip=ip, revision_id=revision.id,
                 submitted_by=revision.submitted_by_id, changed=changed)  # fmt: skip
    db.session.flush()
    return RevisionDecision(revision, record, "accepted")


def reject(
    revision: PendingRevision, reason: str | None, *, actor: User, ip: str = ""
) -> RevisionDecision:
    """Refuse a held edit with a reason its submitter reads; the approved version stays."""
    text = clean_reason(reason, required=True)
    _check_waiting(revision)
    _claim(revision, RevisionStatus.REJECTED, actor, text)
    audit.record(f"{revision.kind}.revision_rejected", actor=actor, target_kind=revision.kind,
                 target_id=revision.record_id, ip=ip, revision_id=revision.id,
                 submitted_by=revision.submitted_by_id, reason=text)  # fmt: skip
    db.session.flush()
    return RevisionDecision(revision, record_of(revision), "rejected")
