"""A digest run: per person, write what is new (at most once) and queue one mail.

Each batch of people is one transaction: their deliveries (unique per person, alert and
record) and digests (unique per person and run) are committed together, then the mails are
queued. A run killed half-way (SIGKILL, a deploy) is simply run again: people already done
have a digest for this run and are skipped, and nothing they were sent is sent twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select, update

from ...extensions import db
from ...models import utcnow
from ...models.alerts import SavedSearch
from ...models.deliveries import AlertDelivery, Digest, DigestStatus
from .bell import ring as _bell
from .collect import Item, search_items
from .reverse import candidate_items, match_and_way_back_items

STALE_AFTER = timedelta(minutes=15)
# People per transaction: a commit per person was a large part of a 10,000-person run.
BATCH = 200
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


def _delivered(user_ids: list[int], items: list[Item]) -> set[tuple[int, str, str, int]]:
    """Which of these items these people have had (only the records at hand are read, not
    the people's whole history, which grows with every run)."""
    columns = (AlertDelivery.user_id, AlertDelivery.alert, AlertDelivery.record_kind,
               AlertDelivery.record_id)  # fmt: skip
    rows = db.session.execute(
        select(*columns).where(
            AlertDelivery.user_id.in_(user_ids),
            AlertDelivery.record_id.in_({item.record_id for item in items}),
        )
    )
    return {(user_id, alert, kind, record_id) for user_id, alert, kind, record_id in rows}


def _batch(user_ids: list[int], by_user: dict[int, list[Item]], key: str) -> list[int]:
    """Write the digests and deliveries of a batch of people; return the new digests' ids.

    People with a digest for this run (an earlier attempt built it) are skipped, and so is
    what someone was already sent: a rerun never repeats anything.
    """
    done = set(db.session.scalars(
        select(Digest.user_id).where(Digest.run_key == key, Digest.user_id.in_(user_ids))
    ))  # fmt: skip
    todo = [uid for uid in user_ids if uid not in done and by_user.get(uid)]
    seen = _delivered(todo, [item for uid in todo for item in by_user[uid]]) if todo else set()
    built: list[tuple[int, Digest, list[Item]]] = []
    for user_id in todo:
        fresh: list[Item] = []
        for item in by_user[user_id]:
            quad = (user_id, item.alert, item.kind, item.record_id)
            if quad not in seen:
                seen.add(quad)
                fresh.append(item)
        if fresh:
            digest = Digest(user_id=user_id, run_key=key, items=[i.as_json() for i in fresh])
            db.session.add(digest)
            built.append((user_id, digest, fresh))
    db.session.flush()  # the digests' ids, for their deliveries
    for user_id, digest, fresh in built:
        db.session.add_all(
            AlertDelivery(
                user_id=user_id,
                alert=item.alert,
                record_kind=item.kind,
                record_id=item.record_id,
                digest_id=digest.id,
            )
            for item in fresh
        )
        _bell(user_id, fresh)
    return [digest.id for _uid, digest, _items in built]


def run_digests(
    period: str,
    now: datetime | None = None,
    *,
    after_each: Callable[[int], None] | None = None,
    batch: int = BATCH,
) -> int:
    """Build this period's digests and queue their mails; return how many were built.

    People are written `batch` at a time, each batch one transaction (all its digests,
    deliveries, bells and searches' run times, or none of them); `after_each` is called
    after each batch commits.
    """
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
    reverse = (match_and_way_back_items(period, since), candidate_items(period, since))
    for source in (found, *reverse):
        for user_id, items in source.items():
            by_user[user_id].extend(items)
    built = 0
    people = sorted(set(by_user) | set(ran))
    for start in range(0, len(people), batch):
        chunk = people[start : start + batch]
        digest_ids = _batch(chunk, by_user, key)
        # Searches count as run with the digests they fed, in the same transaction.
        ran_ids = [search_id for uid in chunk for search_id in ran.get(uid, [])]
        if ran_ids:
            db.session.execute(
                update(SavedSearch).where(SavedSearch.id.in_(ran_ids)).values(last_run_at=now)
            )
        db.session.commit()
        for digest_id in digest_ids:
            enqueue(send_digest, digest_id)
        built += len(digest_ids)
        if after_each is not None:
            after_each(built)
    return built
