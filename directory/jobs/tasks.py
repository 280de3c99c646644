"""The jobs the directory runs itself: embedding after a save, and the periodic chores.

Mail delivery is ``directory.mail.deliver_mail``. Alerts and digests add their own jobs
(``@job``) and schedules (``schedule.periodic``) in their own modules.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from flask import url_for
from huey import crontab

from ..extensions import db
from ..models import Organization, Profile
from .registry import job
from .schedule import periodic

# A failure or dead letter stays on the curators' page this long after it was resolved.
KEEP_RESOLVED = timedelta(days=30)


@job(retries=3, retry_delay=60)
def embed_changed(kinds: Sequence[str]) -> None:
    """Embed the changed records of these kinds and store their vectors for every worker.

    The engine's own ``sync_if_due`` would skip a change made by another process within
    MATCHING_SYNC_INTERVAL of its last look; a job exists because something changed, so
    it syncs each kind outright (records whose vectors are stored are not embedded again).
    """
    from ..matching import service
    from ..matching.documents import KINDS

    engine = service.engine()
    for kind in kinds:
        if kind in KINDS:
            engine.sync(kind)


# Hourly rather than once a night: a post is archived the day after its closing date in
# the server's time zone, whatever that zone is, and the update is one indexed statement.
@periodic(crontab(minute="7"), retries=2, retry_delay=60)
def archive_expired_posts() -> None:
    """Archive published or pending posts whose closing date has passed."""
    from ..services import posts

    posts.archive_expired()


def _confirm_link(kind: str, record: Any) -> str:
    """Where an owner confirms: the organisation's manage page, or their profile."""
    if kind == "organization":
        return url_for("orgs.manage", org_id=record.id, _external=True)
    return url_for("me.profile", _external=True)


# Mondays 15:00 UTC (09:00 in Mexico City).
@periodic(crontab(day_of_week="1", hour="15", minute="0"), retries=2, retry_delay=300)
def remind_reconfirmation() -> None:
    """Ask the owners of records unconfirmed for a year to confirm them (weekly).

    Batches commit one by one: after a crash the retry skips owners asked already (a
    request within a week is never repeated), so nobody is asked twice or left out.
    """
    from ..services import reconfirmation

    for kind in reconfirmation.KINDS:
        model: Any = Organization if kind == "organization" else Profile
        after = 0
        while True:
            query = reconfirmation.due_query(kind).where(model.id > after)
            query = query.order_by(None).order_by(model.id).limit(reconfirmation.MAX_BULK)
            batch = list(db.session.scalars(query))
            if not batch:
                break
            reconfirmation.ask_to_confirm(
                kind,
                batch,
                actor=None,  # type: ignore[arg-type]  (the system: no one pressed a button)
                link_for=lambda record, kind=kind: _confirm_link(kind, record),
            )
            db.session.commit()
            after = batch[-1].id


# Nightly, 08:20 UTC (02:20 in Mexico City): the open-data files, swapped in atomically.
@periodic(crontab(minute="20", hour="8"), retries=2, retry_delay=600)
def export_open_data() -> None:
    """Write the open-data files (CSV and JSON Lines) of every published record."""
    from flask import current_app

    from ..services import opendata

    opendata.export_for(current_app)
    db.session.commit()  # the audit event


@periodic(crontab(minute="30", hour="9"), retries=1, retry_delay=600)
def purge_resolved_failures() -> None:
    """Delete failed-job rows resolved more than 30 days ago (they name recipients)."""
    from . import deadletter

    deadletter.purge(KEEP_RESOLVED)
