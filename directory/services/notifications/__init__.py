"""In-app notifications and their e-mail twins, as each person chose per kind of event.

- `notify(user, kind, *, record, params, link, email)` — called by the service or view that
  makes an event, inside its transaction (core.py);
- the kinds, their labels and default channels (kinds.py), the records a notification can
  be about and who may see them (records.py), the sentences (texts.py);
- a person's inbox and preferences (inbox.py, preferences.py).
"""

from __future__ import annotations

from .core import notify, reachable, safe_link
from .inbox import (
    PER_PAGE,
    Shown,
    delete_for,
    export,
    mark_all_read,
    mark_read,
    page_of,
    present,
    unread_count,
)
from .kinds import (
    APPLICATION_STATUS,
    CHANNEL_LABELS,
    CLAIM_DECIDED,
    CONTACT_ANSWERED,
    CONTACT_REQUEST,
    INVITATION,
    KINDS,
    MODERATION,
    NEW_MATCH,
    PROPOSAL_STATUS,
    QUESTION_REPLY,
    RESPONSE_RECEIVED,
    REVISION_DECIDED,
    Kind,
)
from .preferences import channel_for, preferences, set_preferences
from .records import register as register_record

__all__ = [
    "APPLICATION_STATUS",
    "CHANNEL_LABELS",
    "CLAIM_DECIDED",
    "CONTACT_ANSWERED",
    "CONTACT_REQUEST",
    "INVITATION",
    "KINDS",
    "MODERATION",
    "NEW_MATCH",
    "PER_PAGE",
    "PROPOSAL_STATUS",
    "QUESTION_REPLY",
    "RESPONSE_RECEIVED",
    "REVISION_DECIDED",
    "Kind",
    "Shown",
    "channel_for",
    "delete_for",
    "export",
    "mark_all_read",
    "mark_read",
    "notify",
    "page_of",
    "preferences",
    "present",
    "reachable",
    "register_record",
    "safe_link",
    "set_preferences",
    "unread_count",
]
