"""Re-confirmation: published records nobody has confirmed for a year are listed for the
curators, who ask their owners (by mail) to confirm them; owners confirm with one button.

Profiles share the rule of services/profiles.py (CONFIRM_EVERY); when an owner was asked
is read back from the audit log, so no extra column is needed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from ..extensions import db
from ..mail import send_mail
from ..models import AuditEvent, Membership, Organization, OrgRole, Profile, Status, User, utcnow
from . import audit
from .paging import Page, paginate
from .profiles import CONFIRM_EVERY, PRIVATE

KINDS = ("organization", "profile")
PER_PAGE = 50
MAX_BULK = 200
# A second request within a week would only nag: it is skipped (and counted as such).
ASK_AGAIN_AFTER = timedelta(days=7)
ASKED = {kind: f"{kind}.reconfirmation_requested" for kind in KINDS}

Record = Organization | Profile


@dataclass
class AskResult:
    """What a request to confirm did: records asked, skipped as asked recently, without
    anyone to ask, or not due."""

    asked: int = 0
    recent: int = 0
    nobody: int = 0
    not_due: int = 0


def _cutoff(now: datetime | None = None) -> datetime:
    return (now or utcnow()) - CONFIRM_EVERY


def organization_due(org: Organization, now: datetime | None = None) -> bool:
    """Whether a published organisation was last confirmed more than a year ago."""
    return org.status == Status.PUBLISHED and org.confirmed_at < _cutoff(now)


def _profile_due(profile: Profile, now: datetime | None = None) -> bool:
    return (
        profile.visibility != PRIVATE
        and profile.user.active
        and profile.confirmed_at < _cutoff(now)
    )


def due_query(kind: str) -> Select[Any]:
    """Records of a kind that are due for re-confirmation, the longest unconfirmed first."""
    if kind == "organization":
        return (
            select(Organization)
            .where(
                Organization.status == Status.PUBLISHED,
                Organization.merged_into_id.is_(None),
                Organization.confirmed_at < _cutoff(),
            )
            .order_by(Organization.confirmed_at, Organization.id)
        )
    return (
        select(Profile)
        .where(
            Profile.visibility != PRIVATE,
            Profile.user.has(User.active.is_(True)),
            Profile.confirmed_at < _cutoff(),
        )
        .order_by(Profile.confirmed_at, Profile.id)
    )


def due_page(kind: str, page: int) -> Page[Any]:
    """One page of the records of a kind that are due."""
    return paginate(due_query(kind), page, PER_PAGE)


def due_count(kind: str) -> int:
    """How many records of a kind are due."""
    query = due_query(kind).order_by(None).subquery()
    return db.session.scalar(select(func.count()).select_from(query)) or 0


def asked_on(kind: str, records: Iterable[Record]) -> dict[int, datetime]:
    """When each record's owners were last asked, if after its last confirmation."""
    confirmed = {record.id: record.confirmed_at for record in records}
    if not confirmed:
        return {}
    rows = db.session.execute(
        select(AuditEvent.target_id, func.max(AuditEvent.created_at))
        .where(
            AuditEvent.action == ASKED[kind],
            AuditEvent.target_kind == kind,
            AuditEvent.target_id.in_(confirmed),
        )
        .group_by(AuditEvent.target_id)
    )
    asked: dict[int, datetime] = {}
    for target_id, when in rows:
        # An answer after the request closes it: only a request since then still waits.
        if when is not None and when > confirmed[target_id]:
            asked[target_id] = when
    return asked


def _owners(kind: str, record: Record) -> list[User]:
    if kind == "profile":
        return [record.user] if record.user.active else []
    return [m.user for m in record.memberships if m.role == OrgRole.OWNER and m.user.active]


def _mail(kind: str, record: Record, owner: User, link: str) -> None:
    locale = owner.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        if kind == "organization":
            subject = _("Are the details of %(name)s still current?", name=record.name)
            body = _(
                "The chamber keeps Directorio IA trustworthy by asking, once a year, that each "
                "organisation confirm its details. The page of %(name)s was last confirmed on "
                "%(date)s.\n\nPlease review it, correct what changed and press “Confirm the "
                "details are current”:\n\n%(link)s",
                name=record.name,
                date=format_date(record.confirmed_at, "long"),
                link=link,
            )
        else:
            subject = _("Is your profile on Directorio IA still current?")
            body = _(
                "The chamber keeps Directorio IA trustworthy by asking, once a year, that each "
                "published profile be confirmed. Yours was last confirmed on %(date)s.\n\n"
                "Please review it, correct what changed and confirm it:\n\n%(link)s",
                date=format_date(record.confirmed_at, "long"),
                link=link,
            )
    send_mail(owner.email, subject, body)


def load(kind: str, ids: Iterable[int]) -> list[Record]:
    """The records of a kind with these ids (unknown ids are left out)."""
    model = Organization if kind == "organization" else Profile
    wanted = sorted(set(ids))[:MAX_BULK]
    if not wanted:
        return []
    return list(db.session.scalars(select(model).where(model.id.in_(wanted)).order_by(model.id)))


def ask_to_confirm(
    kind: str,
    records: Iterable[Record],
    *,
    actor: User,
    link_for: Callable[[Record], str],
    ip: str = "",
) -> AskResult:
    """Mail the owners of each due record a link to confirm it, and audit each request."""
    records = list(records)
    result = AskResult()
    now = utcnow()
    asked = asked_on(kind, records)
    for record in records:
        due = organization_due(record, now) if kind == "organization" else _profile_due(record, now)
        if not due:
            result.not_due += 1
            continue
        if record.id in asked and asked[record.id] > now - ASK_AGAIN_AFTER:
            result.recent += 1
            continue
        owners = _owners(kind, record)
        if not owners:
            result.nobody += 1
            continue
        link = link_for(record)
        for owner in owners:
            _mail(kind, record, owner, link)
        audit.record(
            ASKED[kind],
            actor=actor,
            target_kind=kind,
            target_id=record.id,
            ip=ip,
            recipients=[owner.id for owner in owners],
        )
        result.asked += 1
    db.session.flush()
    return result


def confirm_organization(org: Organization, *, actor: User, ip: str = "") -> None:
    """Record that an owner or editor says the organisation's details are current."""
    org.confirmed_at = utcnow()
    db.session.flush()
    audit.record(
        "organization.confirmed", actor=actor, target_kind="organization", target_id=org.id, ip=ip
    )


def owners_of(org_ids: Iterable[int]) -> dict[int, int]:
    """How many active owners each organisation has (an organisation without one
    cannot be asked)."""
    ids = list(org_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Membership.organization_id, func.count())
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.organization_id.in_(ids),
            Membership.role == OrgRole.OWNER,
            User.active.is_(True),
        )
        .group_by(Membership.organization_id)
    )
    return {org_id: n for org_id, n in rows}
