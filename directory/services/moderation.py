"""Curators' decisions on what waits for review: publish, reject, hide a reported profile.

Each function checks that the record still waits for a decision (a second curator, or a
second click, gets a clear refusal and changes nothing), changes the record, flushes and
writes one audit event. The view commits and then mails the submitter (moderation_notify),
so no mail leaves for a decision that was rolled back. The queue itself: moderation_queue;
claims and reports: moderation_reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import select

from ..extensions import db
from ..models import (
    Challenge,
    Opening,
    Organization,
    Profile,
    Report,
    Status,
    SuccessStory,
    User,
    utcnow,
)
from . import audit

# Records that go through draft → pending → published/rejected, by the kind name the
# audit log, the reports and the matching layer already use.
MODELS: dict[str, Any] = {
    "organization": Organization,
    "opening": Opening,
    "challenge": Challenge,
    "story": SuccessStory,
}
POST_KINDS = ("opening", "challenge")
PROFILE = "profile"  # reported published profiles share the queue but not its actions
QUEUE_KINDS = (*MODELS, PROFILE)
HIDDEN_VISIBILITY = "private"
LISTED_VISIBILITIES = ("public", "members")
REPORT_OPEN = "open"
REPORT_RESOLVED = "resolved"
REPORT_DISMISSED = "dismissed"
MAX_REASON = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ModerationError(ValueError):
    """A refusal with a message fit to show the curator; nothing was changed."""

    def __init__(self, message: str | LazyString) -> None:
        super().__init__(str(message))
        self.message = str(message)


@dataclass
class Decision:
    """What a curator decided about one record: the view mails its submitter after commit."""

    kind: str
    record: Any
    action: str  # published, rejected, hidden, archived
    reason: str = ""


@dataclass
class BulkResult:
    """Which records a bulk action decided, and which it refused and why."""

    decisions: list[Decision] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (title, message)


# --- reading -------------------------------------------------------------------------------


def clean_reason(raw: str | None, *, required: bool) -> str:
    """The reason as stored: control characters dropped, trimmed, bounded, maybe required."""
    text = _CONTROL.sub("", raw or "").strip()
    if required and not text:
        raise ModerationError(_l("Write the reason: the submitter will read it."))
    if len(text) > MAX_REASON:
        raise ModerationError(_l("Use at most %(max)d characters.", max=MAX_REASON))
    return text


def load(kind: str, record_id: int) -> Any:
    """The record of a queue kind by id; a clear refusal for an unknown kind or id."""
    model = MODELS.get(kind) or (Profile if kind == PROFILE else None)
    if model is None:
        raise ModerationError(_l("This kind of record is not moderated here."))
    record = db.session.get(model, record_id)
    if record is None:
        raise ModerationError(_l("That record no longer exists."))
    return record


def title_of(kind: str, record: Any, locale: str = "es") -> str:
    """A record's name as a curator or submitter reads it."""
    if kind == "organization":
        return str(record.name)
    if kind == PROFILE:
        return str(record.full_name)
    if kind == "story":
        return str(record.title(locale))
    return str(record.title)


def open_reports_on(kind: str, record_id: int) -> list[Report]:
    """Open reports about one record, oldest first."""
    return list(
        db.session.scalars(
            select(Report)
            .where(
                Report.target_kind == kind,
                Report.target_id == record_id,
                Report.status == REPORT_OPEN,
            )
            .order_by(Report.created_at, Report.id)
        )
    )


# --- publish and reject --------------------------------------------------------------------


def _check_pending(kind: str, record: Any) -> None:
    if kind not in MODELS:
        raise ModerationError(_l("This kind of record is not moderated here."))
    if record.status == Status.PUBLISHED:
        raise ModerationError(_l("This record is already published; nothing was changed."))
    if record.status != Status.PENDING:
        raise ModerationError(_l("This record is not waiting for a decision any more."))


def publish(kind: str, record: Any, *, actor: User, ip: str = "") -> Decision:
    """Publish a pending record; a post only once its organisation is published."""
    _check_pending(kind, record)
    # A post under a hidden organisation would be listed nowhere and confuse its readers:
    # the organisation is decided first (bulk_decide orders a batch that way).
    if kind in POST_KINDS and record.organization.status != Status.PUBLISHED:
        raise ModerationError(
            _l(
                "Publish the organisation “%(org)s” first: a post cannot be public "
                "while its organisation is not.",
                org=record.organization.name,
            )
        )
    now = utcnow()
    record.status = Status.PUBLISHED
    record.published_at = now
    record.moderated_at = now
    record.moderation_note = ""
    db.session.flush()
    audit.record(f"{kind}.published", actor=actor, target_kind=kind, target_id=record.id, ip=ip)
    return Decision(kind, record, "published")


def reject(kind: str, record: Any, reason: str | None, *, actor: User, ip: str = "") -> Decision:
    """Reject a pending record with a reason its submitter will read."""
    text = clean_reason(reason, required=True)
    _check_pending(kind, record)
    record.status = Status.REJECTED
    record.moderated_at = utcnow()
    record.moderation_note = text
    db.session.flush()
    audit.record(
        f"{kind}.rejected", actor=actor, target_kind=kind, target_id=record.id, ip=ip, reason=text
    )
    return Decision(kind, record, "rejected", text)


def parse_items(values: list[str]) -> list[tuple[str, int]]:
    """Checkbox values "kind:id" → pairs; malformed or unknown kinds are refused."""
    items: list[tuple[str, int]] = []
    for value in values:
        kind, _sep, raw_id = (value or "").partition(":")
        if kind not in MODELS or not raw_id.isdigit() or len(raw_id) > 12:
            raise ModerationError(_l("The selection holds a record that cannot be decided here."))
        if (kind, int(raw_id)) not in items:
            items.append((kind, int(raw_id)))
    if not items:
        raise ModerationError(_l("Select at least one record."))
    return items


def bulk_decide(
    action: str, values: list[str], reason: str | None, *, actor: User, ip: str = ""
) -> BulkResult:
    """Publish or reject many records with one reason.

    Bad input (unknown action, kind or id, a missing reason) refuses the whole batch before
    anything changes; a record that cannot be decided (already decided, organisation not
    published) is skipped and listed, and the others are decided.
    """
    if action not in ("publish", "reject"):
        raise ModerationError(_l("Choose publish or reject."))
    text = clean_reason(reason, required=action == "reject")
    records = [(kind, load(kind, record_id)) for kind, record_id in parse_items(values)]
    if action == "publish":
        # Organisations first, so their posts selected in the same batch can follow them.
        records.sort(key=lambda pair: pair[0] != "organization")
    result = BulkResult()
    for kind, record in records:
        try:
            if action == "publish":
                result.decisions.append(publish(kind, record, actor=actor, ip=ip))
            else:
                result.decisions.append(reject(kind, record, text, actor=actor, ip=ip))
        except ModerationError as exc:
            result.refused.append((title_of(kind, record), exc.message))
    return result


# --- reported profiles ---------------------------------------------------------------------


def close_reports(reports: list[Report], status: str, resolution: str, *, actor: User) -> list[int]:
    """Mark reports decided by the actor; return their ids."""
    now = utcnow()
    for row in reports:
        row.status = status
        row.decided_at = now
        row.decided_by_id = actor.id
        row.resolution = resolution
    return [row.id for row in reports]


def hide_profile(profile: Profile, reason: str | None, *, actor: User, ip: str = "") -> Decision:
    """Make a reported profile private and close its open reports; the owner is told why."""
    text = clean_reason(reason, required=True)
    if profile.visibility not in LISTED_VISIBILITIES:
        raise ModerationError(_l("This profile is already hidden; nothing was changed."))
    was = profile.visibility
    profile.visibility = HIDDEN_VISIBILITY
    report_ids = close_reports(
        open_reports_on(PROFILE, profile.id), REPORT_RESOLVED, text, actor=actor
    )
    db.session.flush()
    audit.record(
        "profile.hidden",
        actor=actor,
        target_kind=PROFILE,
        target_id=profile.id,
        ip=ip,
        reason=text,
        was=was,
        report_ids=report_ids,
    )
    return Decision(PROFILE, profile, "hidden", text)


def dismiss_profile_reports(
    profile: Profile, resolution: str | None, *, actor: User, ip: str = ""
) -> int:
    """Dismiss every open report on a profile, which stays as it is; return how many."""
    text = clean_reason(resolution, required=False)
    reports = open_reports_on(PROFILE, profile.id)
    if not reports:
        raise ModerationError(_l("This profile has no open report; nothing was changed."))
    report_ids = close_reports(reports, REPORT_DISMISSED, text, actor=actor)
    db.session.flush()
    audit.record(
        "report.dismissed",
        actor=actor,
        target_kind=PROFILE,
        target_id=profile.id,
        ip=ip,
        reason=text,
        report_ids=report_ids,
    )
    return len(report_ids)
