"""ARCO access: every record the directory keeps about one person, as one JSON document.

Only the person's own data goes in. Where a record involves someone else (a contact
request, an organisation), the other side appears by the name the person already sees
on their pages, never by email, phone or account id. Secrets never go in: no password
hash, no session token (only when each session started and was last seen).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import has_request_context, url_for
from sqlalchemy import and_, or_, select

from ..extensions import db
from ..models import (
    Application,
    AuditEvent,
    Claim,
    ContactRequest,
    Invitation,
    LoginSession,
    Membership,
    PendingRevision,
    Proposal,
    Report,
    SuccessStory,
    User,
    utcnow,
)
from ..models.proposals import ProposalMember
from ..models.story_submissions import StoryNaming
from . import match_feedback, notifications, privacy, uploads
from .coalition import privacy as coalition_privacy
from .contacts import display_name
from .digests.export import export as alert_export
from .procurement import account as procurement_account

FORMAT = "directorio-ia/my-data/1"
# Derived or internal columns: not data about the person, or a secret.
PROFILE_SKIP = frozenset({"id", "user_id", "search_text"})


def _plain(value: Any) -> Any:
    """A JSON-ready value: dates as ISO 8601 (UTC for times), lists copied."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _columns(record: Any, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Every column of a row (minus `skip`), JSON-ready."""
    return {
        column.key: _plain(getattr(record, column.key))
        for column in record.__table__.columns
        if column.key not in skip
    }


def _account(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "locale": user.locale,
        "role": user.role,
        "active": user.active,
        "created_at": _plain(user.created_at),
        "last_login_at": _plain(user.last_login_at),
        "password_changed_at": _plain(user.password_changed_at),
    }


def _profile(user: User) -> dict[str, Any] | None:
    profile = user.profile
    if profile is None:
        return None
    out = _columns(profile, PROFILE_SKIP)
    out["skills"] = [
        {"slug": skill.slug, "label_es": skill.label_es, "label_en": skill.label_en}
        for skill in profile.skills
    ]
    out["photo_url"] = _photo_url(profile)
    return out


def _photo_url(profile: Any) -> str | None:
    """Where the person's photo can be downloaded (by them, logged in), if they have one."""
    if not uploads.is_stored_name(profile.photo_name) or not has_request_context():
        return None
    return url_for("me.photo", profile_id=profile.id, photo_name=profile.photo_name,
                   _external=True)  # fmt: skip


def _consents(user: User) -> dict[str, Any]:
    profile = user.profile
    current = {
        state.name: {"granted": state.granted, "changed_at": _plain(state.changed_at)}
        for state in privacy.consents(profile)
    }
    history = [
        {
            "consent": event.action.removeprefix("consent."),
            "granted": bool((event.details or {}).get("granted")),
            "at": _plain(event.created_at),
        }
        for event in (privacy.consent_events(profile) if profile is not None else [])
    ]
    return {"current": current, "history": history}


def _applications(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Application).where(Application.user_id == user.id).order_by(Application.id)
    )
    return [
        {
            "opening": row.opening.title,
            "organization": row.opening.organization.name,
            **_columns(row, frozenset({"user_id"})),
        }
        for row in rows
    ]


def _proposals(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Proposal).where(Proposal.user_id == user.id).order_by(Proposal.id)
    )
    return [
        {
            "challenge": row.challenge.title,
            "challenge_organization": row.challenge.organization.name,
            "on_behalf_of": row.organization.name if row.organization else None,
            **_columns(row, frozenset({"user_id"})),
        }
        for row in rows
    ]


def _contacts(user: User) -> dict[str, list[dict[str, Any]]]:
    """Requests sent and received; the other side only by the name shown on my page."""
    out: dict[str, list[dict[str, Any]]] = {"sent": [], "received": []}
    rows = db.session.scalars(
        select(ContactRequest)
        .where(or_(ContactRequest.sender_id == user.id, ContactRequest.recipient_id == user.id))
        .order_by(ContactRequest.id)
    )
    for row in rows:
        mine = row.sender_id == user.id
        other = row.recipient if mine else row.sender
        out["sent" if mine else "received"].append(
            {
                "id": row.id,
                "other_party": display_name(other),
                "message": row.message,
                "status": row.status,
                "created_at": _plain(row.created_at),
                "decided_at": _plain(row.decided_at),
            }
        )
    return out


def _memberships(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Membership).where(Membership.user_id == user.id).order_by(Membership.id)
    )
    return [
        {
            "organization": row.organization.name,
            "organization_slug": row.organization.slug,
            "role": row.role,
            "since": _plain(row.created_at),
        }
        for row in rows
    ]


def _sessions(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(LoginSession).where(LoginSession.user_id == user.id).order_by(LoginSession.id)
    )
    return [_columns(row, frozenset({"id", "user_id", "token_hash"})) for row in rows]


def audit_clause(user: User) -> Any:
    """SQL filter for the audit events about a person: by them, or on their own records."""
    targets = [and_(AuditEvent.target_kind == "user", AuditEvent.target_id == user.id)]
    if user.profile is not None:
        targets.append(
            and_(AuditEvent.target_kind == "profile", AuditEvent.target_id == user.profile.id)
        )
    return or_(AuditEvent.actor_id == user.id, *targets)


def _audit(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(select(AuditEvent).where(audit_clause(user)).order_by(AuditEvent.id))
    # Who else acted (a curator, say) is their data, not mine: only whether it was me.
    return [
        {**_columns(row, frozenset({"id", "actor_id"})), "by_me": row.actor_id == user.id}
        for row in rows
    ]


def _privacy_requests(user: User) -> list[dict[str, Any]]:
    return [
        _columns(row, frozenset({"user_id", "decided_by_id"}))
        for row in reversed(privacy.requests_of(user))
    ]


def _claims(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(select(Claim).where(Claim.user_id == user.id).order_by(Claim.id))
    return [
        {
            "organization": row.organization.name,
            **_columns(row, frozenset({"user_id", "decided_by_id"})),
        }
        for row in rows
    ]


def _reports(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Report).where(Report.reporter_id == user.id).order_by(Report.id)
    )
    return [_columns(row, frozenset({"reporter_id", "decided_by_id"})) for row in rows]


def _invitations(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Invitation).where(Invitation.email == user.email).order_by(Invitation.id)
    )
    return [
        {
            "organization": row.organization.name,
            "role": row.role,
            "created_at": _plain(row.created_at),
            "accepted_at": _plain(row.accepted_at),
        }
        for row in rows
    ]


def _submitted_edits(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(PendingRevision)
        .where(PendingRevision.submitted_by_id == user.id)
        .order_by(PendingRevision.id)
    )
    return [_columns(row, frozenset({"submitted_by_id", "decided_by_id"})) for row in rows]


def _proposal_namings(user: User) -> list[dict[str, Any]]:
    """Where a proposal names the person as a partner or team member, and their answer."""
    rows = db.session.scalars(
        select(ProposalMember).where(ProposalMember.user_id == user.id).order_by(ProposalMember.id)
    )
    return [_columns(row) for row in rows]


def _stories(user: User) -> list[dict[str, Any]]:
    """The success stories the person submitted, whatever their state."""
    rows = db.session.scalars(
        select(SuccessStory).where(SuccessStory.created_by_id == user.id).order_by(SuccessStory.id)
    )
    return [_columns(row, skip=frozenset({"search_text"})) for row in rows]


def _story_namings(user: User) -> list[dict[str, Any]]:
    """Where a story names the person, and their answer."""
    rows = db.session.scalars(
        select(StoryNaming).where(StoryNaming.user_id == user.id).order_by(StoryNaming.id)
    )
    return [_columns(row) for row in rows]


def export_user_data(user: User) -> dict[str, Any]:
    """Every record of the person, JSON-ready (see the module docstring for what is left out)."""
    return {
        "format": FORMAT,
        "generated_at": _plain(utcnow()),
        "account": _account(user),
        "profile": _profile(user),
        "consents": _consents(user),
        "applications": _applications(user),
        "proposals": _proposals(user),
        "contact_requests": _contacts(user),
        "memberships": _memberships(user),
        "organization_claims": _claims(user),
        "reports": _reports(user),
        "submitted_edits": _submitted_edits(user),
        "invitations_to_me": _invitations(user),
        **notifications.export(user),
        **alert_export(user),
        **procurement_account.export(user),
        **coalition_privacy.export_for(user),
        **match_feedback.export(user),  # saved and hidden matches, invitations sent
        "proposal_namings": _proposal_namings(user),
        "stories_submitted": _stories(user),
        "story_namings": _story_namings(user),
        "login_sessions": _sessions(user),
        "privacy_requests": _privacy_requests(user),
        "audit_events": _audit(user),
    }
