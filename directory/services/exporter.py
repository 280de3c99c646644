"""Export records as JSON Lines in the import format (see importer.py), for admins.

What leaves the directory is limited on purpose: private profiles and profiles of
deactivated accounts are never exported; a profile's phone never is; emails, account
languages and memberships only with `with_emails=True` (a full admin backup, needed to
import the profiles again). Every export writes a "data.exported" audit event.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..models import Challenge, Membership, Opening, Organization, Profile, User
from . import audit
from .import_format import SPECS, TYPES

BATCH = 1000
PUBLISHED_LEVELS = ("public", "members")
# Never written, whatever the options: the phone is private by promise.
NEVER = frozenset({"phone", "password_hash"})


def _value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _fields(kind: str, record: Any) -> dict[str, Any]:
    """The record's values for every plain field of the format, empty ones left out."""
    out: dict[str, Any] = {"type": kind}
    for key, spec in SPECS[kind].items():
        if spec.attr and spec.attr not in NEVER:
            value = _value(getattr(record, spec.attr))
            if value not in (None, "", [], {}):
                out[key] = value
    skills = sorted(skill.slug for skill in getattr(record, "skills", []))
    if skills:
        out["skills"] = skills
    return out


def _stream(stmt: Any) -> Iterable[Any]:
    """Rows in id order, loaded a batch at a time so 30,000 records stay cheap."""
    return db.session.scalars(stmt.execution_options(yield_per=BATCH))


def _organizations(_with_emails: bool) -> Iterator[dict[str, Any]]:
    stmt = select(Organization).options(selectinload(Organization.skills))
    for org in _stream(stmt.order_by(Organization.id)):
        yield {"type": "organization", "slug": org.slug, **_fields("organization", org)}


def _posts(kind: str, model: Any) -> Iterator[dict[str, Any]]:
    stmt = select(model).options(selectinload(model.skills), joinedload(model.organization))
    for post in _stream(stmt.order_by(model.id)):
        fields = _fields(kind, post)
        yield {"type": kind, "organization": post.organization.slug, **fields}


def _profiles(with_emails: bool) -> Iterator[dict[str, Any]]:
    stmt = (
        select(Profile)
        .join(Profile.user)
        .where(Profile.visibility.in_(PUBLISHED_LEVELS), User.active.is_(True))
        .options(
            selectinload(Profile.skills),
            joinedload(Profile.user)
            .selectinload(User.memberships)
            .joinedload(Membership.organization),
        )
        .order_by(Profile.id)
    )
    for profile in _stream(stmt):
        line = _fields("profile", profile)
        if with_emails:
            user = profile.user
            line["email"] = user.email
            if user.locale:
                line["locale"] = user.locale
            memberships = {m.organization.slug: m.role for m in user.memberships}
            if memberships:
                line["organizations"] = dict(sorted(memberships.items()))
        yield line


def _records(types: Sequence[str], with_emails: bool) -> Iterator[tuple[str, dict[str, Any]]]:
    sources = {
        "organization": lambda: _organizations(with_emails),
        "profile": lambda: _profiles(with_emails),
        "opening": lambda: _posts("opening", Opening),
        "challenge": lambda: _posts("challenge", Challenge),
    }
    for kind in TYPES:  # dependency order: organisations before what points at them
        if kind in types:
            for record in sources[kind]():
                yield kind, record


def export_lines(types: Sequence[str] = TYPES, *, with_emails: bool = False) -> Iterator[str]:
    """Yield one JSON line per exportable record of the given types."""
    for _kind, record in _records(types, with_emails):
        yield json.dumps(record, ensure_ascii=False)


def export_records(
    out: TextIO, types: Sequence[str] = TYPES, *, with_emails: bool = False
) -> dict[str, int]:
    """Write the export to `out`, add a "data.exported" audit event, return counts by type."""
    counts = dict.fromkeys((kind for kind in TYPES if kind in types), 0)
    for kind, record in _records(types, with_emails):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        counts[kind] += 1
    audit.record("data.exported", target_kind="export", with_emails=with_emails, **counts)
    return counts
