"""What "download my data" holds of a person's alerts: saved searches (never a feed token's
hash), alert settings, and which records alerts have sent them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ...extensions import db
from ...models import AlertDelivery, AlertSettings, SavedSearch, User


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export(user: User) -> dict[str, Any]:
    """The person's alerts, JSON-ready."""
    searches = db.session.scalars(select(SavedSearch).where(SavedSearch.user_id == user.id))
    settings = db.session.get(AlertSettings, user.id)
    deliveries = db.session.scalars(
        select(AlertDelivery).where(AlertDelivery.user_id == user.id).order_by(AlertDelivery.id)
    )
    return {
        "saved_searches": [
            {
                "name": s.name,
                "kind": s.kind,
                "params": s.params,
                "frequency": s.frequency,
                "paused": s.paused,
                "has_private_feed": s.has_feed,
                "created_at": _when(s.created_at),
                "last_run_at": _when(s.last_run_at),
            }
            for s in searches
        ],  # fmt: skip
        "alert_settings": None
        if settings is None
        else {
            "match_frequency": settings.match_frequency,
            "match_threshold": settings.match_threshold,
            "candidate_frequency": settings.candidate_frequency,
            "all_off": settings.all_off,
        },
        "alert_deliveries": [
            {
                "alert": d.alert,
                "kind": d.record_kind,
                "id": d.record_id,
                "sent_at": _when(d.created_at),
            }
            for d in deliveries
        ],  # fmt: skip
    }
