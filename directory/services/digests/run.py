"""A digest run: per person, write what is new (at most once) and queue one mail.

Each person is one transaction: their deliveries (unique per person, alert and record) and
their digest (unique per person and run) are committed together, then the mail is queued.
A run killed half-way (SIGKILL, a deploy) is simply run again: people already done have a
digest for this run and are skipped, and nothing they were sent is sent twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import url_for
from sqlalchemy import select, update

from ...extensions import db
from ...models import User, utcnow
from ...models.alerts import SavedSearch
from ...models.deliveries import AlertDelivery, Digest, DigestStatus
from .collect import Item, match_items, search_items

STALE_AFTER = timedelta(minutes=15)
PERIODS = {"instant": timedelta(minutes=10), "daily": timedelta(days=1),
           "weekly": timedelta(days=7)}  # fmt: skip


def run_key(period: str, now: datetime) -> str:
    """The run a moment belongs to: one digest per person per key."""
    if period == "weekly":
        year, week, _day = now.isocalendar()
        return f"weekly:{year}-W{week:02d}"
    if period == "daily":
        return f"daily:{now.date().isoformat()}"
    return f"instant:{now:%Y-%m-%dT%H}:{now.minute // 10}"


def _already_delivered(user_id: int, items: list[Item]) -> set[tuple[str, str, int]]:
    """Which of these items this person has had (only their records are read, not the
    person's whole history, which grows with every run)."""
    columns = (AlertDelivery.alert, AlertDelivery.record_kind, AlertDelivery.record_id)
    rows = db.session.execute(
        select(*columns).where(
            AlertDelivery.user_id == user_id,
            AlertDelivery.record_id.in_({item.record_id for item in items}),
        )
    )
    return {(alert, kind, record_id) for alert, kind, record_id in rows}


def _one_person(user_id: int, items: list[Item], key: str) -> int | None:
    """Write one person's digest and deliveries; return the digest id (None: nothing new)."""
    if db.session.scalar(select(Digest.id).where(Digest.user_id == user_id, Digest.run_key == key)):
        return None  # built by an earlier attempt of this run
    seen = _already_delivered(user_id, items)
    fresh: list[Item] = []
    for item in items:
        triple = (item.alert, item.kind, item.record_id)
        if triple not in seen:
            seen.add(triple)
            fresh.append(item)
    if not fresh:
        return None
    digest = Digest(user_id=user_id, run_key=key, items=[item.as_json() for item in fresh])
    db.session.add(digest)
    db.session.flush()
    for item in fresh:
        db.session.add(
            AlertDelivery(
                user_id=user_id,
                alert=item.alert,
                record_kind=item.kind,
                record_id=item.record_id,
                digest_id=digest.id,
            )
        )
    _bell(user_id, [item for item in fresh if item.alert == "matches"])
    return digest.id


def _bell(user_id: int, matches: list[Item]) -> None:
    """New matches also reach the bell, in the same transaction (its own rules apply:
    the person's channel choice, and nothing they may not see)."""
    from ...matching.store import MODELS
    from ..notifications import notify

    user = db.session.get(User, user_id)
    for item in matches:
        record = db.session.get(MODELS[item.kind], item.record_id)
        if record is not None:
            link = url_for(
                f"public.{item.kind}", _external=False, **{f"{item.kind}_id": item.record_id}
            )
            notify(user, "new_match", record=record, link=link)


def run_digests(
    period: str,
    now: datetime | None = None,
    *,
    after_each: Callable[[int], None] | None = None,
) -> int:
    """Build this period's digests and queue their mails; return how many were built."""
    from ...jobs import enqueue
    from .send import send_digest

    now = now or utcnow()
    # A digest built but never sent (its worker died between commit and queueing): again.
    stale = select(Digest.id).where(
        Digest.status == DigestStatus.PENDING, Digest.created_at < now - STALE_AFTER
    )
    for digest_id in db.session.scalars(stale).all():
        enqueue(send_digest, digest_id)
    key = run_key(period, now)
    # Two periods back: a run missed once is caught up; deliveries keep it from repeating.
    since = now - 2 * PERIODS[period]
    by_user: dict[int, list[Item]] = defaultdict(list)
    found, ran = search_items(period)
    for source in (found, match_items(period, since)):
        for user_id, items in source.items():
            by_user[user_id].extend(items)
    built = 0
    for user_id in sorted(set(by_user) | set(ran)):
        digest_id = _one_person(user_id, by_user[user_id], key)
        # Searches count as run with the digest they fed, in the same transaction.
        db.session.execute(
            update(SavedSearch)
            .where(SavedSearch.id.in_(ran.get(user_id, [])))
            .values(last_run_at=now)
        )
        db.session.commit()
        if digest_id is not None:
            built += 1
            enqueue(send_digest, digest_id)
        if after_each is not None:
            after_each(built)
    return built
