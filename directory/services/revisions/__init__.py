"""Held edits of published records (SECURITY.md row 52, no bait-and-switch).

An organisation that the chamber has not verified cannot change the text of a published
record behind the curators' back: the edit is stored as a PendingRevision and the approved
version stays public until a curator accepts it. submit.py decides (live or held),
decide.py holds the curators' accept and reject, diff.py shows them what changes, and
notify.py mails the submitter the decision.
"""

from .decide import RevisionDecision, accept, count_waiting, load, record_of, reject, waiting
from .diff import FieldDiff, revision_diffs
from .fields import TEXT_FIELDS, kind_of, organization_of
from .notify import notify_revision
from .submit import (
    EditOutcome,
    initial_form_data,
    live_reason,
    needs_review,
    pending_revision,
    submit_edit,
    waiting_for_org,
)

__all__ = [
    "TEXT_FIELDS",
    "EditOutcome",
    "FieldDiff",
    "RevisionDecision",
    "accept",
    "count_waiting",
    "initial_form_data",
    "kind_of",
    "live_reason",
    "load",
    "needs_review",
    "notify_revision",
    "organization_of",
    "pending_revision",
    "record_of",
    "reject",
    "revision_diffs",
    "submit_edit",
    "waiting",
    "waiting_for_org",
]
