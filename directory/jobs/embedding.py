"""After a commit that saved records matching embeds, queue one ``embed_changed`` job.

So a web request never waits for a model after a save: the worker embeds and stores the
vectors, and the web workers' engines pick them up from the database. A flush notes the
kinds it touched (cheap: a type lookup per flushed object); the commit queues one job per
transaction for all of them. With the immediate backend nothing is queued: matching
embeds lazily, when it is next asked, as it always has.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from ..models import Challenge, Opening, Organization, Profile, SuccessStory

log = logging.getLogger(__name__)
KINDS = "directory.jobs.embed_kinds"  # session.info: kinds flushed in this transaction

# Which kinds may need new vectors when a record of each model is saved. (A user's own row
# only hides a profile; its vectors are purged in the same flush by matching/store.py.)
NEEDS: dict[type, tuple[str, ...]] = {
    Opening: ("opening",),
    Challenge: ("challenge",),
    Organization: ("organization", "opening", "challenge"),  # publishing opens its posts
    Profile: ("profile",),
    SuccessStory: ("story",),
}


@event.listens_for(Session, "after_flush")
def _note_kinds(session: Session, _context: Any) -> None:
    records = (*session.new, *session.dirty)
    found = {kind for record in records for kind in NEEDS.get(type(record), ())}
    if found:
        session.info.setdefault(KINDS, set()).update(found)


@event.listens_for(Session, "after_commit")
def _queue_embedding(session: Session) -> None:
    kinds = session.info.pop(KINDS, None)
    if not kinds or not has_app_context():
        return
    queue = current_app.extensions.get("jobs")
    if queue is None or queue.immediate:
        return
    from .tasks import embed_changed

    try:
        queue.push(embed_changed, (sorted(kinds),), {})
    except Exception:
        log.exception("could not queue the embedding of %s", sorted(kinds))


@event.listens_for(Session, "after_transaction_end")
def _forget_kinds(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # rolled back or closed without a commit
        session.info.pop(KINDS, None)
