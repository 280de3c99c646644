"""Editing a record: live, or held for a curator when a non-verified organisation changes
the text of something already published (SECURITY.md row 52, no bait-and-switch)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, or_, select, update

from ...extensions import db
from ...models import (
    Challenge,
    Opening,
    Organization,
    PendingRevision,
    RevisionStatus,
    Skill,
    Status,
    User,
    utcnow,
)
from ...permissions import Viewer, is_curator
from .. import audit
from ..orgs import clean_org_edit, update_organization
from ..posts import clean_edit, update_challenge, update_opening
from .fields import (
    MODELS,
    TEXT_FIELDS,
    Record,
    changed_fields,
    form_data,
    kind_of,
    organization_of,
    stored,
)

CLEANERS: dict[str, Callable[[Any, Mapping[str, Any]], dict[str, Any]]] = {
    "organization": lambda _org, data: clean_org_edit(data),
    "opening": clean_edit,
    "challenge": clean_edit,
}
APPLIERS: dict[str, Callable[..., list[str]]] = {
    "organization": update_organization,
    "opening": update_opening,
    "challenge": update_challenge,
}


@dataclass
class EditOutcome:
    """What became of an edit: applied now, or held as a revision for a curator."""

    held: bool
    changed: list[str] = field(default_factory=list)
    revision: PendingRevision | None = None


def live_reason(record: Record, actor: Viewer | None) -> str | None:
    """Why a text edit of this record may go live at once, or None when it must wait."""
    if is_curator(actor):
        return "curator"
    if record.status != Status.PUBLISHED:
        return "not_published"  # nobody sees it yet; publishing is the review
    if organization_of(record).verified_at is not None:
        return "verified"  # the chamber vouches for the organisation: live, and logged
    return None


def needs_review(record: Record, actor: Viewer | None) -> bool:
    """Whether this person's text edits of this record wait for a curator."""
    return live_reason(record, actor) is None


def pending_revision(record: Record) -> PendingRevision | None:
    """The edit of a record that waits for a curator, if any (the newest)."""
    return db.session.scalar(
        select(PendingRevision)
        .where(
            PendingRevision.kind == kind_of(record),
            PendingRevision.record_id == record.id,
            PendingRevision.status == RevisionStatus.PENDING,
        )
        .order_by(PendingRevision.id.desc())
        .limit(1)
    )


def _supersede(kind: str, record_id: int) -> list[int]:
    """Retire the edits still waiting for this record: the newest submission is what counts."""
    ids = list(
        db.session.scalars(
            select(PendingRevision.id).where(
                PendingRevision.kind == kind,
                PendingRevision.record_id == record_id,
                PendingRevision.status == RevisionStatus.PENDING,
            )
        )
    )
    if ids:
        db.session.execute(
            update(PendingRevision)
            .where(PendingRevision.id.in_(ids), PendingRevision.status == RevisionStatus.PENDING)
            .values(status=RevisionStatus.SUPERSEDED, decided_at=utcnow())
        )
    return ids


def submit_edit(
    record: Record, data: Mapping[str, Any], *, actor: User, ip: str = ""
) -> EditOutcome:
    """Save an edit: live, or held as a pending revision; raise InvalidInput when invalid."""
    kind = kind_of(record)
    # The same checks as a live edit, first: an invalid edit is refused, never held.
    values = stored(kind, CLEANERS[kind](record, data))
    changed = changed_fields(kind, record, values)
    replaced = _supersede(kind, record.id)
    reason = live_reason(record, actor)
    # A change of text holds the WHOLE edit, its non-text fields too: applying part of it now
    # would show a mix nobody approved (a raised salary beside the old title, a new closing
    # date for a problem not yet rewritten), and the editor could no longer see, in one
    # form, what they submitted. Edits of non-text fields alone go live as before.
    if reason is None and any(name in TEXT_FIELDS[kind] for name in changed):
        revision = PendingRevision(
            kind=kind, record_id=record.id, values=values, submitted_by_id=actor.id
        )
        db.session.add(revision)
        if isinstance(record, Organization):
            # As with a live edit, saving means someone just looked at every field: the
            # organisation is maintained (re-confirmation), whatever the curator decides.
            record.confirmed_at = utcnow()
        db.session.flush()
        audit.record(f"{kind}.revision_submitted", actor=actor, target_kind=kind,
                     target_id=record.id, ip=ip, revision_id=revision.id, changed=changed,
                     replaces=replaced)  # fmt: skip
        return EditOutcome(held=True, changed=changed, revision=revision)
    details: dict[str, Any] = {"review": reason or "no_text_change"}
    if replaced:
        details["withdrew_revisions"] = replaced
    applied = APPLIERS[kind](record, data, actor=actor, ip=ip, **details)
    return EditOutcome(held=False, changed=applied)


def initial_form_data(record: Record, locale: str) -> dict[str, Any] | None:
    """The values a pending edit holds, for the edit form (None when nothing waits)."""
    revision = pending_revision(record)
    if revision is None:
        return None
    slugs = revision.values.get("skills") or []
    skills = list(db.session.scalars(select(Skill).where(Skill.slug.in_(slugs)))) if slugs else []
    skills.sort(key=lambda skill: slugs.index(skill.slug))
    return form_data(revision.values, skills, locale)


def waiting_for_org(org: Organization) -> list[tuple[PendingRevision, Record]]:
    """Held edits of an organisation and of its posts, oldest first, with their records."""
    openings = select(Opening.id).where(Opening.organization_id == org.id)
    challenges = select(Challenge.id).where(Challenge.organization_id == org.id)
    rows = db.session.scalars(
        select(PendingRevision)
        .where(PendingRevision.status == RevisionStatus.PENDING)
        .where(
            or_(
                and_(PendingRevision.kind == "organization", PendingRevision.record_id == org.id),
                and_(PendingRevision.kind == "opening", PendingRevision.record_id.in_(openings)),
                and_(
                    PendingRevision.kind == "challenge",
                    PendingRevision.record_id.in_(challenges),
                ),
            )
        )
        .order_by(PendingRevision.submitted_at, PendingRevision.id)
    )
    found = []
    for revision in rows:
        record = db.session.get(MODELS[revision.kind], revision.record_id)
        if record is not None:
            found.append((revision, record))
    return found
