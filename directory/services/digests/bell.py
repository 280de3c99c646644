"""What a digest brings also reaches the bell, in the digest's own transaction.

The bell's own rules apply (the person's channel choice, and nothing they may not see),
and it stays short: one line per alert and digest, naming the best (or first) new record
and how many came with it: new matches, ways back, each saved search, each post with new
candidates. (A line per record cost more than the rest of a 10,000-person run.)
"""

from __future__ import annotations

from collections import defaultdict

from flask import url_for

from ...extensions import db
from ...matching.store import MODELS
from ...matching_views.present import url_of
from ...models import User
from ...models.alerts import SavedSearch
from ..notifications import notify
from .collect import Item, post_of


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
                # One result: its page; several: the saved search's page.
                link = url_of(group[0].kind, first)
                if len(group) > 1:
                    link = url_for("me.alert", search_id=saved.id, _external=False)
                notify(user, "search_result", record=first, params=params, link=link)
        elif alert.startswith("candidates:"):
            key = post_of(alert)
            post = db.session.get(MODELS[key[0]], key[1]) if key else None
            if key is not None and post is not None:
                kind = key[0]
                page = "opening_candidates" if kind == "opening" else "challenge_solvers"
                link = url_for(f"matches.{page}", _external=False, **{f"{kind}_id": post.id})
                notify(user, "new_candidates", record=post, params={"count": len(group)},
                       link=link)  # fmt: skip
        else:  # new matches, ways back: the best one, and how many more in the mail
            best = db.session.get(MODELS[group[0].kind], group[0].record_id)
            if best is not None:
                link = url_of(group[0].kind, best)
                if len(group) > 1:
                    link = url_for("matches.mine", _external=False)
                params = {"count": len(group), "alert": alert}
                notify(user, "new_match", record=best, params=params, link=link)
