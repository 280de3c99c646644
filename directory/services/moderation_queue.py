"""The moderation queue: everything waiting for a curator, oldest first, by kind."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String, func, literal_column, select, union_all

from ..extensions import db
from ..models import Profile, Report, Status
from .moderation import (
    LISTED_VISIBILITIES,
    MODELS,
    PROFILE,
    QUEUE_KINDS,
    REPORT_OPEN,
    open_reports_on,
)
from .stories import naming as story_naming

PER_PAGE = 50


@dataclass
class QueueItem:
    """One row of the moderation queue."""

    kind: str
    record: Any
    submitted_at: Any
    reports: list[Report] = field(default_factory=list)
    # A submitted story: how many of the parties it names confirmed, wait or declined.
    names: story_naming.Standing | None = None


@dataclass
class QueuePage:
    """A page of the queue, oldest first, with the counts per kind for the filter."""

    items: list[QueueItem]
    page: int
    pages: int
    counts: dict[str, int]


def _waiting(kind: str) -> Any:
    """(kind, id, since) of every record of a kind that waits for a decision."""
    # The kind is one of our fixed names, never user input: a literal column keeps the
    # UNION typed on PostgreSQL, where an untyped bound parameter is refused.
    if kind not in QUEUE_KINDS:
        raise ValueError(kind)
    label = literal_column(f"'{kind}'", String(20)).label("kind")
    if kind == PROFILE:
        # A listed profile waits from its oldest open report on.
        return (
            select(label, Profile.id.label("id"), func.min(Report.created_at).label("since"))
            .join(Report, (Report.target_kind == PROFILE) & (Report.target_id == Profile.id))
            .where(Report.status == REPORT_OPEN, Profile.visibility.in_(LISTED_VISIBILITIES))
            .group_by(Profile.id)
        )
    model = MODELS[kind]
    return select(label, model.id.label("id"), model.created_at.label("since")).where(
        model.status == Status.PENDING
    )


def _count(kind: str) -> int:
    return db.session.scalar(select(func.count()).select_from(_waiting(kind).subquery())) or 0


def _load(keys: list[Any]) -> list[QueueItem]:
    by_kind: dict[str, list[int]] = {}
    for key in keys:
        by_kind.setdefault(key.kind, []).append(key.id)
    records: dict[tuple[str, int], Any] = {}
    for kind, ids in by_kind.items():
        model = Profile if kind == PROFILE else MODELS[kind]
        for record in db.session.scalars(select(model).where(model.id.in_(ids))):
            records[(kind, record.id)] = record
    items = [
        QueueItem(key.kind, records[(key.kind, key.id)], key.since)
        for key in keys
        if (key.kind, key.id) in records
    ]
    for item in items:
        if item.kind == PROFILE:
            item.reports = open_reports_on(PROFILE, item.record.id)
        elif item.kind == "story":
            item.names = story_naming.standing(item.record)
    return items


def pending_queue(kind: str | None = None, page: int = 1) -> QueuePage:
    """Everything waiting for a decision, oldest first, optionally of one kind only."""
    counts = {name: _count(name) for name in QUEUE_KINDS}
    kinds = [kind] if kind in QUEUE_KINDS else list(QUEUE_KINDS)
    total = sum(counts[name] for name in kinds)
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(page, 1), pages)
    waiting = union_all(*(_waiting(name) for name in kinds)).subquery()
    keys = db.session.execute(
        select(waiting.c.kind, waiting.c.id, waiting.c.since)
        .order_by(waiting.c.since, waiting.c.kind, waiting.c.id)
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
    ).all()
    return QueuePage(_load(list(keys)), page, pages, counts)
