"""Deleting an organisation that never went public: the rule, and the deletion itself.

An owner may delete their organisation while nothing of it ever reached the public: it
was never approved (draft, pending review or rejected; an archived one was public once),
none of its openings or challenges is or was published, and no published success story
names it. Anything public has been found, linked and answered: a curator archives it.
Account deletion (account_deletion.py) removes such organisations its person alone
belongs to, instead of refusing to delete the account.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import ColumnElement, Table, delete, exists, select, update
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import (
    Challenge,
    Membership,
    Notification,
    Opening,
    Organization,
    OrgRole,
    PendingRevision,
    Report,
    Status,
    SuccessStory,
    User,
)
from ..models.stories import story_organizations
from . import audit, media
from .orgs import InvalidInput

DELETABLE_STATUSES = (Status.DRAFT, Status.PENDING, Status.REJECTED)
_PUBLIC_POST = (Status.PUBLISHED, Status.ARCHIVED)


def deletion_refusal(org: Organization) -> LazyString | None:
    """Why the organisation cannot be deleted, or None when it can."""
    if org.status not in DELETABLE_STATUSES:
        return _l(
            "An organisation that was published cannot be deleted: people may have found, "
            "linked or answered it. Ask the chamber's curators to archive it."
        )
    for model in (Opening, Challenge):
        public = select(model.id).where(
            model.organization_id == org.id, model.status.in_(_PUBLIC_POST)
        )
        if db.session.scalar(select(exists(public))):
            return _l("Some of its openings or challenges were published; they stay on record.")
    named = (
        select(story_organizations.c.story_id)
        .join(SuccessStory, SuccessStory.id == story_organizations.c.story_id)
        .where(
            story_organizations.c.organization_id == org.id,
            SuccessStory.status == Status.PUBLISHED,
        )
    )
    if db.session.scalar(select(exists(named))):
        return _l("A published success story names it.")
    return None


def _delete_rows(table: Table, where: ColumnElement[bool], depth: int = 0) -> None:
    """Delete rows and, first, what their foreign keys take with them or let go.

    Done here row by row of the schema rather than trusting ON DELETE alone, so the outcome
    does not depend on a database pragma: CASCADE children go too, SET NULL ones stay
    without the link (a key without a rule: nullable ones let go, others go).
    """
    if depth > 8:
        raise RuntimeError("foreign keys nest too deep to delete safely")
    for child in db.metadata.sorted_tables:
        for fk in child.foreign_keys:
            if fk.column.table is not table:
                continue
            linked = fk.parent.in_(select(fk.column).where(where))
            if fk.ondelete == "SET NULL" or (fk.ondelete is None and fk.parent.nullable):
                db.session.execute(update(child).where(linked).values({fk.parent.name: None}))
            else:
                _delete_rows(child, linked, depth + 1)
    db.session.execute(delete(table).where(where))


def delete_organization(
    org: Organization, *, actor: User | None, ip: str = "", reason: str = "owner"
) -> None:
    """Delete an organisation that never went public, with its posts and memberships.

    Refuses (InvalidInput) what deletion_refusal refuses. The audit event keeps the name;
    the caller commits. `reason` says why: "owner" (the owner asked) or "account_deleted".
    """
    refusal = deletion_refusal(org)
    if refusal is not None:
        raise InvalidInput("confirm", refusal)
    from ..matching import store  # matching imports services: not at module load

    org_id, name = org.id, org.name
    media.remove_logo(org)  # its file goes once this commits (none if it rolls back)
    posts = {
        kind: list(db.session.scalars(select(model.id).where(model.organization_id == org_id)))
        for kind, model in (("opening", Opening), ("challenge", Challenge))
    }
    db.session.flush()
    # Rows that name the records by kind and id, not by a foreign key.
    doomed = {"organization": [org_id], **posts}
    for kind, ids in doomed.items():
        if not ids:
            continue
        store.delete_vectors(kind, ids)
        for model, kind_col, id_col in (
            (PendingRevision, PendingRevision.kind, PendingRevision.record_id),
            (Report, Report.target_kind, Report.target_id),
            (Notification, Notification.record_kind, Notification.record_id),
        ):
            db.session.execute(delete(model).where(kind_col == kind, id_col.in_(ids)))
    _delete_rows(Organization.__table__, Organization.id == org_id)
    # The session still holds the deleted rows (the organisation, its memberships): forget
    # them, so nothing stale is flushed back or read afterwards.
    db.session.expire_all()
    audit.record(
        "organization.deleted",
        actor=actor,
        target_kind="organization",
        target_id=org_id,
        ip=ip,
        name=name,
        reason=reason,
        openings=len(posts["opening"]),
        challenges=len(posts["challenge"]),
    )


def owned_alone_and_deletable(user: User) -> list[Organization]:
    """Organisations the user alone belongs to (as owner) that deletion_refusal lets go."""
    other = aliased(Membership)  # the outer query joins Membership too
    others = (
        select(other.id)
        .where(other.organization_id == Organization.id, other.user_id != user.id)
        .exists()
    )
    candidates = db.session.scalars(
        select(Organization)
        .join(Membership, Membership.organization_id == Organization.id)
        .where(
            Membership.user_id == user.id,
            Membership.role == OrgRole.OWNER,
            Organization.status.in_(DELETABLE_STATUSES),
            ~others,
        )
        .order_by(Organization.name, Organization.id)
    )
    return [org for org in candidates if deletion_refusal(org) is None]
