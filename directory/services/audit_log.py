"""Reading the audit log: filters, one page at a time, and CSV export."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select

from ..extensions import db
from ..models import AuditEvent, User
from .paging import Page, paginate

PER_PAGE = 50
EXPORT_LIMIT = 100_000
CSV_HEADER = ("time_utc", "actor", "action", "target_kind", "target_id", "ip", "details")
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class AuditFilters:
    """What the curator asked for; empty values do not filter."""

    actor: str = ""
    action: str = ""
    target_kind: str = ""
    target_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def events_query(filters: AuditFilters) -> Select[tuple[AuditEvent, str | None]]:
    """Events with their actor's email, newest first, narrowed by the filters.

    The actor filter matches part of the email ("@example.org" finds a whole domain); an
    action matches itself and the actions under it ("curator" finds curator.granted).
    Dates are whole UTC days, both ends included.
    """
    query = select(AuditEvent, User.email).outerjoin(User, User.id == AuditEvent.actor_id)
    if filters.actor:
        query = query.where(func.lower(User.email).contains(filters.actor.lower(), autoescape=True))
    if filters.action:
        action = filters.action.rstrip(".")
        query = query.where(
            (AuditEvent.action == action)
            | AuditEvent.action.startswith(action + ".", autoescape=True)
        )
    if filters.target_kind:
        query = query.where(AuditEvent.target_kind == filters.target_kind)
    if filters.target_id is not None:
        query = query.where(AuditEvent.target_id == filters.target_id)
    if filters.date_from:
        query = query.where(AuditEvent.created_at >= _day_start(filters.date_from))
    if filters.date_to:
        end = _day_start(filters.date_to) + timedelta(days=1)
        query = query.where(AuditEvent.created_at < end)
    return query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())


def events_page(filters: AuditFilters, page: int) -> Page[Any]:
    """One page of (event, actor email) rows."""
    return paginate(events_query(filters), page, PER_PAGE, rows=True)


def known_values() -> tuple[list[str], list[str]]:
    """The actions and target kinds that appear in the log, for the filter's suggestions."""
    actions = db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    kinds = db.session.scalars(
        select(AuditEvent.target_kind)
        .distinct()
        .where(AuditEvent.target_kind != "")
        .order_by(AuditEvent.target_kind)
    )
    return list(actions), list(kinds)


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will show as text, never run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def details_text(details: dict[str, Any] | None) -> str:
    """An event's details as compact JSON (keys sorted, accents kept)."""
    if not details:
        return ""
    return json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)


def csv_lines(filters: AuditFilters) -> Iterator[str]:
    """The filtered events as CSV text, header first, a chunk per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    # The byte-order mark lets spreadsheet programs read the accents as UTF-8.
    writer.writerow(CSV_HEADER)
    yield "\ufeff" + flush()
    query = events_query(filters).limit(EXPORT_LIMIT).execution_options(yield_per=500)
    for event, email in db.session.execute(query):
        created = event.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        row = (
            created,
            email or "",
            event.action,
            event.target_kind,
            "" if event.target_id is None else event.target_id,
            event.ip,
            details_text(event.details),
        )
        writer.writerow([safe_cell(cell) for cell in row])
        yield flush()
