"""What a digest brings also reaches the bell, in the digest's own transaction.

The bell's own rules apply (the person's channel choice, and nothing they may not see),
and it stays short: one line per new match or way back, one per saved search (its count
and its first new result), one per post with new candidates.
"""

from __future__ import annotations

from collections import defaultdict

from flask import url_for

from ...extensions import db
from ...matching.store import MODELS
from ...models import User
from ...models.alerts import SavedSearch
from ..notifications import notify
from .collect import Item


def _page(kind: str, record_id: int) -> str:
    return url_for(f"public.{kind}", _external=False, **{f"{kind}_id": record_id})


def ring(user_id: int, items: list[Item]) -> None:
    """Write the bell's lines for one person's new digest items (never commits)."""
    user = db.session.get(User, user_id)
    grouped: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        grouped[item.alert].append(item)
    for alert, group in grouped.items():
        if alert.startswith("search:"):
            saved = db.session.get(SavedSearch, int(alert[7:]))
            first = db.session.get(MODELS[group[0].kind], group[0].record_id)
            if saved is not None and first is not None:
                params = {"search": saved.name, "count": len(group)}
                link = (
                    _page(group[0].kind, group[0].record_id)
                    if len(group) == 1
                    else (url_for("me.alert", search_id=saved.id, _external=False))
                )
                notify(user, "search_result", record=first, params=params, link=link)
        elif alert.startswith("candidates:"):
            _prefix, kind, post_id = alert.split(":")
            post = db.session.get(MODELS[kind], int(post_id))
            if post is not None:
                page = "opening_candidates" if kind == "opening" else "challenge_solvers"
                link = url_for(f"matches.{page}", _external=False, **{f"{kind}_id": post.id})
                notify(user, "new_candidates", record=post, params={"count": len(group)},
                       link=link)  # fmt: skip
        else:  # new matches and ways back: one line each
            for item in group:
                record = db.session.get(MODELS[item.kind], item.record_id)
                if record is not None:
                    notify(user, "new_match", record=record, link=_page(item.kind, item.record_id))
