"""What a viewer may be shown of what matching found: every hit is re-checked here.

The index may still hold a record that was hidden a moment ago; these queries ask the
database, so unpublished, hidden, deleted or non-consenting records never appear.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import selectinload

from .. import permissions
from ..extensions import db
from ..models import Profile
from . import store


def _shown_to(kind: str, viewer: Any) -> ColumnElement[bool]:
    """SQL filter: indexable records of a kind that this viewer may be shown (never
    their own profile)."""
    clause = store.indexable_clause(kind)
    if kind == "profile":
        clause = and_(clause, permissions.visible_profiles_clause(viewer))
        if getattr(viewer, "is_authenticated", False):
            clause = and_(clause, Profile.user_id != viewer.id)
    return clause


def visible(
    kind: str, ids: Sequence[int], viewer: Any, *, with_skills: bool = True
) -> dict[int, Any]:
    """Load the records among ids that this viewer may be shown as a match or hit."""
    if not ids:
        return {}
    model = store.MODELS[kind]
    stmt = select(model).where(model.id.in_(list(ids)), _shown_to(kind, viewer))
    # Teams read every candidate's skills and the pages show the posts' organisation:
    # load them in one query each instead of one per record.
    if with_skills and hasattr(model, "skills"):
        stmt = stmt.options(selectinload(model.skills))
    if hasattr(model, "organization"):
        stmt = stmt.options(selectinload(model.organization))
    return {row.id: row for row in db.session.scalars(stmt)}


def visible_ids(kind: str, ids: Sequence[int], viewer: Any) -> list[int]:
    """Which of these ids the viewer may be shown, by one id-only query."""
    if not ids:
        return []
    model = store.MODELS[kind]
    stmt = select(model.id).where(model.id.in_(list(ids)), _shown_to(kind, viewer))
    return list(db.session.scalars(stmt))


def _by_kind(keys: Sequence[tuple[str, int]]) -> dict[str, list[int]]:
    ids: dict[str, list[int]] = {}
    for kind, record_id in keys:
        ids.setdefault(kind, []).append(record_id)
    return ids


def visible_keys(keys: Sequence[tuple[str, int]], viewer: Any) -> set[tuple[str, int]]:
    """Which (kind, id) pairs the viewer may be shown, by one id-only query per kind."""
    return {
        (kind, record_id)
        for kind, ids in _by_kind(keys).items()
        for record_id in visible_ids(kind, ids, viewer)
    }


def load_shown(
    keys: Sequence[tuple[str, int]], viewer: Any, *, with_skills: bool = True
) -> dict[tuple[str, int], Any]:
    """Load the records of these (kind, id) pairs that the viewer may be shown."""
    return {
        (kind, record_id): record
        for kind, ids in _by_kind(keys).items()
        for record_id, record in visible(kind, ids, viewer, with_skills=with_skills).items()
    }
