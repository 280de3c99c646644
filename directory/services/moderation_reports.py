"""Curators' decisions on claims of organisations and on scam or error reports.

Same contract as moderation.py: a decided claim or report is refused a second decision,
every decision is flushed with one audit event, and the view commits and then mails.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Claim, Membership, OrgRole, Profile, Report, Status, User, utcnow
from . import audit
from .moderation import (
    HIDDEN_VISIBILITY,
    LISTED_VISIBILITIES,
    MODELS,
    PROFILE,
    REPORT_DISMISSED,
    REPORT_OPEN,
    REPORT_RESOLVED,
    Decision,
    ModerationError,
    clean_reason,
    close_reports,
    open_reports_on,
)

CLAIM_OPEN = "open"  # services/orgs.py files claims with this status
CLAIM_APPROVED = "approved"
CLAIM_DISMISSED = "dismissed"


@dataclass
class ReportItem:
    """An open report with the record it is about (None when that record was deleted)."""

    report: Report
    target: Any


# --- claims --------------------------------------------------------------------------------


def open_claims() -> list[Claim]:
    """Claims waiting for a decision, oldest first."""
    return list(
        db.session.scalars(
            select(Claim)
            .where(Claim.status == CLAIM_OPEN)
            .options(selectinload(Claim.organization), selectinload(Claim.user))
            .order_by(Claim.created_at, Claim.id)
        )
    )


def _check_open_claim(claim: Claim) -> None:
    if claim.status != CLAIM_OPEN:
        raise ModerationError(_l("This claim was already decided; nothing was changed."))


def _decide_claim(claim: Claim, status: str, resolution: str, actor: User) -> None:
    claim.status = status
    claim.decided_at = utcnow()
    claim.decided_by_id = actor.id
    claim.resolution = resolution


def approve_claim(claim: Claim, resolution: str | None, *, actor: User, ip: str = "") -> Membership:
    """Make the claimant an owner of the organisation; return their membership."""
    text = clean_reason(resolution, required=False)
    _check_open_claim(claim)
    if not claim.user.active:
        raise ModerationError(_l("The claimant's account is deactivated; dismiss the claim."))
    membership = db.session.scalar(
        select(Membership).where(
            Membership.user_id == claim.user_id,
            Membership.organization_id == claim.organization_id,
        )
    )
    was = membership.role if membership is not None else None
    if membership is None:
        membership = Membership(user=claim.user, organization=claim.organization)
        db.session.add(membership)
    membership.role = OrgRole.OWNER  # an editor who claims the organisation is promoted
    _decide_claim(claim, CLAIM_APPROVED, text, actor)
    db.session.flush()
    audit.record(
        "claim.approved",
        actor=actor,
        target_kind="organization",
        target_id=claim.organization_id,
        ip=ip,
        claim_id=claim.id,
        user_id=claim.user_id,
        was=was,
        reason=text,
    )
    return membership


def dismiss_claim(claim: Claim, resolution: str | None, *, actor: User, ip: str = "") -> None:
    """Turn a claim down with a resolution the claimant will read."""
    text = clean_reason(resolution, required=True)
    _check_open_claim(claim)
    _decide_claim(claim, CLAIM_DISMISSED, text, actor)
    db.session.flush()
    audit.record(
        "claim.dismissed",
        actor=actor,
        target_kind="organization",
        target_id=claim.organization_id,
        ip=ip,
        claim_id=claim.id,
        user_id=claim.user_id,
        reason=text,
    )


# --- reports -------------------------------------------------------------------------------


def report_target(report: Report) -> Any:
    """The reported record, or None when it is gone or of a kind no longer known."""
    model = Profile if report.target_kind == PROFILE else MODELS.get(report.target_kind)
    return db.session.get(model, report.target_id) if model is not None else None


def open_report_items(kind: str | None = None) -> list[ReportItem]:
    """Open reports, oldest first, optionally about one kind of record."""
    query = select(Report).where(Report.status == REPORT_OPEN)
    if kind:
        query = query.where(Report.target_kind == kind)
    reports = db.session.scalars(query.order_by(Report.created_at, Report.id))
    return [ReportItem(report, report_target(report)) for report in reports]


def is_listed(kind: str, target: Any) -> bool:
    """Whether the reported record is still shown to others (and so can be hidden)."""
    if target is None:
        return False
    if kind == PROFILE:
        return target.visibility in LISTED_VISIBILITIES
    return target.status == Status.PUBLISHED


def _check_open_report(report: Report) -> None:
    if report.status != REPORT_OPEN:
        raise ModerationError(_l("This report was already decided; nothing was changed."))


def resolve_report(
    report: Report, resolution: str | None, *, actor: User, ip: str = ""
) -> Decision | None:
    """Uphold a report: hide the record it is about and close every open report on it.

    A profile becomes private; an organisation, opening, challenge or story is archived
    with the resolution as its moderation note. Returns the decision to mail its owner, or
    None when the record was already hidden or gone (the reports are closed all the same).
    """
    text = clean_reason(resolution, required=True)
    _check_open_report(report)
    kind, target = report.target_kind, report_target(report)
    decision = None
    if is_listed(kind, target):
        if kind == PROFILE:
            target.visibility = HIDDEN_VISIBILITY
            decision = Decision(kind, target, "hidden", text)
        else:
            target.status = Status.ARCHIVED
            target.moderated_at = utcnow()
            target.moderation_note = text
            decision = Decision(kind, target, "archived", text)
    reports = open_reports_on(kind, report.target_id) if target is not None else [report]
    report_ids = close_reports(reports, REPORT_RESOLVED, text, actor=actor)
    db.session.flush()
    audit.record(
        "report.resolved",
        actor=actor,
        target_kind=kind,
        target_id=report.target_id,
        ip=ip,
        report_ids=report_ids,
        hidden=decision is not None,
        reason=text,
    )
    return decision


def dismiss_report(report: Report, resolution: str | None, *, actor: User, ip: str = "") -> None:
    """Close a report without touching the record it is about."""
    text = clean_reason(resolution, required=False)
    _check_open_report(report)
    close_reports([report], REPORT_DISMISSED, text, actor=actor)
    db.session.flush()
    audit.record(
        "report.dismissed",
        actor=actor,
        target_kind=report.target_kind,
        target_id=report.target_id,
        ip=ip,
        report_ids=[report.id],
        reason=text,
    )
