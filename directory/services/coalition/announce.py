"""Telling many people of one event, each at most once, in a background job.

A new meeting or document reaches everyone in its working group; a consultation reaches
every member when it opens (at once when it is published on or after its opening date,
else from the hourly check below). A row in coalition_notices, written in the same
transaction as the notification (and the mail, which leaves only after the commit), makes
a retried or re-run job skip whoever was already told.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import url_for
from huey import crontab
from sqlalchemy import select

from ...extensions import db
from ...jobs import enqueue, job
from ...jobs.schedule import periodic
from ...models import User, utcnow
from ...models.coalition import (
    CoalitionNotice,
    Consultation,
    GroupMeeting,
    GroupOutput,
    GroupStatus,
)
from .. import notifications
from ..notifications import kinds
from .common import is_open, today
from .group_members import recipients

BATCH = 200


def _everyone() -> list[int]:
    """Every account that can hear of a consultation: active and confirmed."""
    rows = db.session.scalars(
        select(User.id)
        .where(User.active.is_(True), User.awaiting_confirmation.is_(False))
        .order_by(User.id)
    )
    return list(rows)


def _audience(event: str, record: Any, actor_id: int | None) -> tuple[list[int], str, str, dict]:
    """Who hears of the event, the notification kind, its link and its parameters."""
    if event == "consultation":
        if not is_open(record):
            return [], "", "", {}
        link = url_for("coalition.consultation", consultation_id=record.id, _external=False)
        return _everyone(), kinds.CONSULTATION_OPENED, link, {}
    group = record.group
    if group.status == GroupStatus.DRAFT:
        return [], "", "", {}
    ids = [i for i in recipients(group) if i != actor_id]
    link = url_for("coalition.group", group_id=group.id, _external=False)
    return ids, kinds.GROUP_NEWS, link, {"what": event}


MODELS: dict[str, type[Any]] = {
    "meeting": GroupMeeting,
    "output": GroupOutput,
    "consultation": Consultation,
}


@job(retries=5, retry_delay=60)
def tell(event: str, record_id: int, actor_id: int | None = None) -> None:
    """Notify the audience of one event, skipping whoever an earlier run already told."""
    model = MODELS.get(event)
    record = db.session.get(model, record_id) if model is not None else None
    if record is None:
        return
    ids, kind, link, params = _audience(event, record, actor_id)
    told = set(
        db.session.scalars(
            select(CoalitionNotice.user_id).where(
                CoalitionNotice.event == event, CoalitionNotice.record_id == record_id
            )
        )
    )
    pending = [i for i in ids if i not in told]
    for start in range(0, len(pending), BATCH):
        _tell_batch(pending[start : start + BATCH], event, record, kind, link, params)
        db.session.commit()


def _tell_batch(
    ids: Sequence[int], event: str, record: Any, kind: str, link: str, params: dict
) -> None:
    for user in db.session.scalars(select(User).where(User.id.in_(ids))):
        db.session.add(CoalitionNotice(event=event, record_id=record.id, user_id=user.id))
        notifications.notify(user, kind, record=record, link=link, params=params)


def announce(consultation: Consultation) -> bool:
    """Mark an open consultation as announced and queue the job; False if not due."""
    if consultation.announced_at is not None or not is_open(consultation):
        return False
    consultation.announced_at = utcnow()
    db.session.flush()
    enqueue(tell, "consultation", consultation.id)
    return True


@periodic(crontab(minute="17"), retries=2, retry_delay=60)
def announce_due() -> None:
    """Announce the published consultations whose opening date has come (hourly)."""
    due = db.session.scalars(
        select(Consultation).where(
            Consultation.status == GroupStatus.PUBLISHED,
            Consultation.announced_at.is_(None),
            Consultation.opens_on <= today(),
            Consultation.closes_on >= today(),
        )
    )
    for consultation in due:
        announce(consultation)
    db.session.commit()
