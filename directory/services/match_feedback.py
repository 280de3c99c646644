"""Saved and hidden matches, and invitations to propose sent from a challenge's solvers.

A person's marks are theirs alone: every function takes the acting user and touches only
that user's rows. Invitations notify through services/notifications with a kind of their
own, registered here (an invitation is made only by the matching pages).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update

from ..extensions import db
from ..models import Challenge, Membership, Organization, OrgRole, Profile, User
from ..models.match_feedback import MatchFeedback, ProposalInvitation
from . import audit, notifications
from .notifications import kinds as notification_kinds
from .notifications import texts as notification_texts

FEEDBACK_KINDS = ("opening", "challenge")
FLAGS = ("saved", "hidden")
INVITE_TO_PROPOSE = "invite_to_propose"


# --- saved and hidden -----------------------------------------------------------------------


def marks_of(user: User) -> dict[tuple[str, int], MatchFeedback]:
    """The person's marks by (kind, record id)."""
    rows = db.session.scalars(select(MatchFeedback).where(MatchFeedback.user_id == user.id))
    return {(row.kind, row.record_id): row for row in rows}


def mark(user: User, kind: str, record_id: int, flag: str, value: bool) -> MatchFeedback | None:
    """Set or clear "saved" or "hidden" on one match of the person; caller commits.

    A row left with neither flag is deleted, so an undo leaves nothing behind.
    """
    if kind not in FEEDBACK_KINDS or flag not in FLAGS:
        raise ValueError(f"unknown match mark {kind}/{flag}")
    row = db.session.scalar(
        select(MatchFeedback).where(
            MatchFeedback.user_id == user.id,
            MatchFeedback.kind == kind,
            MatchFeedback.record_id == record_id,
        )
    )
    if row is None:
        if not value:
            return None
        row = MatchFeedback(user_id=user.id, kind=kind, record_id=record_id)
        db.session.add(row)
    setattr(row, flag, value)
    if not row.saved and not row.hidden:
        db.session.delete(row)
        db.session.flush()
        return None
    db.session.flush()
    return row


def export(user: User) -> dict[str, Any]:
    """The person's saved and hidden matches and the invitations they sent (ARCO access)."""
    marks = db.session.scalars(
        select(MatchFeedback).where(MatchFeedback.user_id == user.id).order_by(MatchFeedback.id)
    )
    sent = db.session.scalars(
        select(ProposalInvitation)
        .where(ProposalInvitation.invited_by_id == user.id)
        .order_by(ProposalInvitation.id)
    )
    return {
        "match_feedback": [
            {
                "kind": row.kind,
                "record_id": row.record_id,
                "saved": row.saved,
                "hidden": row.hidden,
                "created_at": row.created_at.isoformat(),
                "updated_at": row.updated_at.isoformat(),
            }
            for row in marks
        ],
        "proposal_invitations_sent": [
            {
                "challenge_id": row.challenge_id,
                "invitee_kind": row.invitee_kind,
                "invitee_id": row.invitee_id,
                "created_at": row.created_at.isoformat(),
            }
            for row in sent
        ],
    }


def delete_for(user_id: int, profile_id: int | None) -> None:
    """ARCO cancellation: the person's marks and invitations to their profile go; the
    invitations they sent stay (the challenge's record) without them."""
    db.session.execute(delete(MatchFeedback).where(MatchFeedback.user_id == user_id))
    if profile_id is not None:
        db.session.execute(
            delete(ProposalInvitation).where(
                ProposalInvitation.invitee_kind == "profile",
                ProposalInvitation.invitee_id == profile_id,
            )
        )
    db.session.execute(
        update(ProposalInvitation)
        .where(ProposalInvitation.invited_by_id == user_id)
        .values(invited_by_id=None)
        .execution_options(synchronize_session=False)
    )


# --- invitations to propose -----------------------------------------------------------------


def _invite_text(params: dict[str, Any], title: str | None, record: Any) -> tuple[str, str]:
    if title is None:
        return _("An invitation to propose for a challenge you can no longer see"), ""
    org = record.organization.name if record is not None else ""
    if params.get("invitee") == "organization":
        headline = _(
            "%(org)s invites your organisation %(invitee)s to propose for “%(title)s”",
            org=org,
            invitee=str(params.get("invitee_name") or ""),
            title=title,
        )
    else:
        headline = _("%(org)s invites you to propose for “%(title)s”", org=org, title=title)
    return headline, _("Read the challenge and send a proposal before it closes.")


def _register_kind() -> None:
    """Teach notifications this kind (its settings label, default channel and sentence)."""
    notification_kinds.KINDS.setdefault(
        INVITE_TO_PROPOSE,
        notification_kinds.Kind(
            INVITE_TO_PROPOSE,
            _l("Invitations to propose for a challenge"),
            needs_visible_record=False,
        ),
    )
    notification_texts.WRITERS.setdefault(INVITE_TO_PROPOSE, _invite_text)


_register_kind()


def invited(challenge: Challenge) -> set[tuple[str, int]]:
    """The (kind, id) of everyone already invited to propose for a challenge."""
    rows = db.session.execute(
        select(ProposalInvitation.invitee_kind, ProposalInvitation.invitee_id).where(
            ProposalInvitation.challenge_id == challenge.id
        )
    )
    return {(kind, invitee_id) for kind, invitee_id in rows}


def _owners(org: Organization) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.organization_id == org.id, Membership.role == OrgRole.OWNER)
            .order_by(User.id)
        )
    )


def invite(
    challenge: Challenge, invitee: Organization | Profile, *, actor: User, link: str
) -> bool:
    """Invite an organisation (its owners) or a person to propose, once; caller commits.

    Returns False when this invitee was already invited for this challenge (nobody is told
    twice).
    """
    kind = "organization" if isinstance(invitee, Organization) else "profile"
    already = db.session.scalar(
        select(func.count())
        .select_from(ProposalInvitation)
        .where(
            ProposalInvitation.challenge_id == challenge.id,
            ProposalInvitation.invitee_kind == kind,
            ProposalInvitation.invitee_id == invitee.id,
        )
    )
    if already:
        return False
    db.session.add(
        ProposalInvitation(
            challenge_id=challenge.id,
            invitee_kind=kind,
            invitee_id=invitee.id,
            invited_by_id=actor.id,
        )  # fmt: skip
    )
    db.session.flush()
    if isinstance(invitee, Organization):
        params = {"invitee": "organization", "invitee_name": invitee.name}
        people = _owners(invitee)
    else:
        params = {"invitee": "profile"}
        people = [invitee.user] if invitee.user is not None else []
    for person in people:
        notifications.notify(person, INVITE_TO_PROPOSE, record=challenge, params=params, link=link)
    audit.record(
        "challenge.invited_to_propose",
        actor=actor,
        target_kind="challenge",
        target_id=challenge.id,
        invitee_kind=kind,
        invitee_id=invitee.id,
    )
    return True
