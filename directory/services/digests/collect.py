"""Who gets what in a digest run: saved searches' new results (reverse.py finds what
matching brings: new matches, ways back and candidates)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from ...extensions import db
from ...models.alerts import SavedSearch
from ...models.deliveries import AlertSettings
from ..alerts import due_searches, result_time, run_saved_search

# Asks like a signed-in member who is nobody in particular: every person who published
# their profile (to members or to all) and consented to matching, and nobody else.
MATCHING_VIEWER = SimpleNamespace(is_authenticated=True, id=0, is_curator=False, active=True)


@dataclass(frozen=True)
class Item:
    """One thing to tell one person: which alert found which record, and how well."""

    alert: str  # "search:<id>", "matches", "waysback" or "candidates:<kind>:<id>"
    kind: str
    record_id: int
    score: int | None = None

    def as_json(self) -> dict[str, Any]:
        """How a digest stores it."""
        return {"alert": self.alert, "kind": self.kind, "id": self.record_id, "score": self.score}


def post_of(alert: str) -> tuple[str, int] | None:
    """The post a "candidates:<kind>:<id>" alert is about."""
    parts = alert.split(":")
    if len(parts) == 3 and parts[1] in ("opening", "challenge") and parts[2].isdigit():
        return parts[1], int(parts[2])
    return None


def settings_of(user_ids: list[int]) -> dict[int, AlertSettings]:
    """Stored settings by user (people without a row take the defaults)."""
    if not user_ids:
        return {}
    rows = db.session.scalars(select(AlertSettings).where(AlertSettings.user_id.in_(user_ids)))
    return {row.user_id: row for row in rows}


def search_items(frequency: str) -> tuple[dict[int, list[Item]], dict[int, list[int]]]:
    """New results of every due saved search, by owner, and the searches run, by owner.

    Nothing is marked here: a search counts as run only in the transaction that writes its
    owner's digest (run.py), so a run killed before reaching someone still finds, on the
    next attempt, what that person has not been sent.
    """
    out: dict[int, list[Item]] = defaultdict(list)
    ran: dict[int, list[int]] = defaultdict(list)
    searches = list(db.session.scalars(due_searches(frequency)))
    off = {uid for uid, s in settings_of([s.user_id for s in searches]).items() if s.all_off}
    # Many people save the same search: run each distinct one once. Every owner is a
    # signed-in member, so all see the same results (but their own profile, left out below);
    # the digest re-checks each item for its recipient when it is sent.
    results: dict[str, list[tuple[str, Any]]] = {}
    for saved in searches:
        if saved.user_id in off:
            continue
        key = saved.kind + json.dumps(saved.params, sort_keys=True)
        if key not in results:
            results[key] = run_saved_search(saved)
        since = saved.last_run_at or saved.created_at
        for kind, record in results[key]:
            mine = kind == "profile" and record.user_id == saved.user_id
            if result_time(record) > since and not mine:
                out[saved.user_id].append(Item(f"search:{saved.id}", kind, record.id))
        ran[saved.user_id].append(saved.id)
    return out, ran


def searches_exist(frequency: str) -> bool:
    """Whether any saved search is due at this frequency (a cheap check for instant runs)."""
    stmt = select(SavedSearch.id).where(SavedSearch.frequency == frequency).limit(1)
    return db.session.scalar(stmt) is not None
