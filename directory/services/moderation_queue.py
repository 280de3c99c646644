"""The moderation queue: everything waiting for a curator, oldest first, by kind.

Each row carries what a curator needs to decide without opening the record: its kind,
website, place, a one-line summary, possible duplicates (the names and websites of
records already in the directory, scored as on the duplicates page) and how long it has
waited. A page costs the same number of queries whatever its number of rows.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import format_timedelta
from sqlalchemy import String, func, literal_column, select, union_all
from sqlalchemy.orm import load_only, selectinload

from ..extensions import db
from ..models import Challenge, Opening, Profile, Report, Status, SuccessStory, utcnow
from ..text import is_http_url
from . import duplicates
from .moderation import (
    LISTED_VISIBILITIES,
    MODELS,
    PROFILE,
    QUEUE_KINDS,
    REPORT_OPEN,
)
from .stories import naming as story_naming

PER_PAGE = 50
SUMMARY_LENGTH = 160
MAX_DUPLICATES = 3  # per row: the best ones; the duplicates page lists them all
# Markdown marks that say nothing in a one-line summary: headings, emphasis, quotes, code.
_MARKS = re.compile(r"(^|\s)[#>*+-]+\s|[*`~]+|(?<!\w)_+|_+(?!\w)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


@dataclass
class Duplicate:
    """A record already in the directory that a queued one may repeat."""

    record: Any
    score: float
    reasons: list[Any]


@dataclass
class QueueItem:
    """One row of the moderation queue."""

    kind: str
    record: Any
    submitted_at: Any
    reports: list[Report] = field(default_factory=list)
    # A submitted story: how many of the parties it names confirmed, wait or declined.
    names: story_naming.Standing | None = None
    duplicates: list[Duplicate] = field(default_factory=list)

    @property
    def website(self) -> str:
        """The record's website when it is an http(s) address (shown as text, never run)."""
        url = (getattr(self.record, "website", "") or "").strip()
        return url if is_http_url(url) else ""

    def summary(self, locale: str) -> str:
        """The record's text on one line, without Markdown marks, cut at a word."""
        record = self.record
        if self.kind == "story":
            text = record.summary(locale) or record.body(locale)
        elif self.kind == "challenge":
            text = record.problem
        elif self.kind == PROFILE:
            text = record.headline
        else:
            text = record.description
        return one_line(text or "")

    def waited(self) -> str:
        """How long the record has waited, in the reader's language ("3 days")."""
        since = self.submitted_at
        if not isinstance(since, datetime):
            return ""
        if since.tzinfo is None:  # SQLite hands back naive UTC from a UNION
            since = since.replace(tzinfo=UTC)
        return format_timedelta(max(utcnow() - since, timedelta(0)), threshold=1.0)


def one_line(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """Plain text on one line: links keep their words, Markdown marks go, cut at a word."""
    plain = " ".join(_MARKS.sub(" ", _LINK.sub(r"\1", text)).split())
    if len(plain) <= limit:
        return plain
    return plain[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


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


# What each kind's rows read besides the record, loaded with it (no query per row).
_WITH: dict[str, Any] = {
    "opening": selectinload(Opening.organization),
    "challenge": selectinload(Challenge.organization),
    "story": selectinload(SuccessStory.namings),
}


def _load(keys: list[Any]) -> list[QueueItem]:
    by_kind: dict[str, list[int]] = {}
    for key in keys:
        by_kind.setdefault(key.kind, []).append(key.id)
    records: dict[tuple[str, int], Any] = {}
    for kind, ids in by_kind.items():
        model = Profile if kind == PROFILE else MODELS[kind]
        query = select(model).where(model.id.in_(ids))
        if kind in _WITH:
            query = query.options(_WITH[kind])
        for record in db.session.scalars(query):
            records[(kind, record.id)] = record
    items = [
        QueueItem(key.kind, records[(key.kind, key.id)], key.since)
        for key in keys
        if (key.kind, key.id) in records
    ]
    reports = _open_reports([item.record.id for item in items if item.kind == PROFILE])
    for item in items:
        if item.kind == PROFILE:
            item.reports = reports.get(item.record.id, [])
        elif item.kind == "story":
            item.names = story_naming.standing(item.record)
    for kind in duplicates.KINDS:
        _attach_duplicates(kind, [item for item in items if item.kind == kind])
    return items


def _open_reports(profile_ids: list[int]) -> dict[int, list[Report]]:
    """Open reports about these profiles, oldest first, in one query."""
    found: dict[int, list[Report]] = defaultdict(list)
    if profile_ids:
        for report in db.session.scalars(
            select(Report)
            .where(
                Report.target_kind == PROFILE,
                Report.target_id.in_(profile_ids),
                Report.status == REPORT_OPEN,
            )
            .order_by(Report.created_at, Report.id)
        ):
            found[report.target_id].append(report)
    return found


@dataclass
class _Index:
    """A kind's candidate names and websites, with its blocking keys (see duplicates.py)."""

    stamp: tuple[Any, ...]
    entries: dict[int, Any]
    blocks: dict[str, list[int]]


# Per process and database: rebuilt only when the kind's candidates change (their count,
# newest edit or ids differ), so a curator paging through the queue pays one cheap query.
_INDEXES: dict[tuple[str, str], _Index] = {}


def _index(kind: str) -> _Index:
    model = duplicates.MODELS[kind]
    where = (model.status.in_(duplicates.CANDIDATE_STATUSES), model.merged_into_id.is_(None))
    stamp = tuple(
        db.session.execute(
            select(func.count(), func.max(model.updated_at), func.max(model.id),
                   func.sum(model.id)).where(*where)
        ).one()
    )  # fmt: skip
    key = (str(db.engine.url), kind)
    cached = _INDEXES.get(key)
    if cached is not None and cached.stamp == stamp:
        return cached
    columns = (model.name, model.website) if kind == "organization" else (
        model.title, model.organization_id)  # fmt: skip
    entries: dict[int, Any] = {}
    blocks: dict[str, list[int]] = defaultdict(list)
    for record_id, name, other in db.session.execute(select(model.id, *columns).where(*where)):
        site = duplicates.website_domain(other) if kind == "organization" else None
        entry = duplicates._Entry(  # noqa: SLF001 - the duplicates page's own scoring
            record_id, duplicates.normalise_name(name), site,
            other if kind != "organization" else None,
        )  # fmt: skip
        entries[record_id] = entry
        for block in duplicates._keys(entry.name, entry.domain):  # noqa: SLF001
            blocks[block].append(record_id)
    _INDEXES[key] = built = _Index(stamp, entries, dict(blocks))
    return built


def _attach_duplicates(kind: str, items: list[QueueItem]) -> None:
    """Possible duplicates of the queued records of a kind, scored as duplicates.py does.

    Names and websites only (no vectors: the duplicates page compares those), found through
    the same blocking keys; then one query for the records shown. A fixed number of queries
    per kind, whatever the number of rows.
    """
    if not items:
        return
    index = _index(kind)
    dismissed = duplicates.dismissed_pairs(kind)
    found: dict[int, list[tuple[int, Any]]] = {}
    for item in items:
        entry = index.entries.get(item.record.id)
        if entry is None:
            continue
        others = {
            other
            for block in duplicates._keys(entry.name, entry.domain)  # noqa: SLF001
            # A common word shared by many records tells nothing (as on the duplicates page).
            if not (block[0] == "w" and len(index.blocks.get(block, ())) > duplicates.MAX_BLOCK)
            for other in index.blocks.get(block, ())
            if other != entry.id
        }
        scored = []
        for other in others:
            if tuple(sorted((entry.id, other))) in dismissed:
                continue
            pair = duplicates._score(kind, entry, index.entries[other], None)  # noqa: SLF001
            if pair.score >= duplicates.SHOW_FROM:
                scored.append((other, pair))
        scored.sort(key=lambda hit: (-hit[1].score, hit[0]))
        found[entry.id] = scored[:MAX_DUPLICATES]
    shown = {other for hits in found.values() for other, _pair in hits}
    model = duplicates.MODELS[kind]
    # Only what a row names and links to: the name (or title), slug and status.
    names = (model.name, model.slug) if kind == "organization" else (model.title,)
    query = select(model).where(model.id.in_(shown)).options(load_only(*names, model.status))
    records = {r.id: r for r in db.session.scalars(query)} if shown else {}
    for item in items:
        item.duplicates = [
            Duplicate(records[other], pair.score, pair.reasons)
            for other, pair in found.get(item.record.id, [])
            if other in records
        ]


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
