"""The database side of matching: which records may be matched, and their stored vectors.

A record is *indexable* only while it may appear in a match at all: published (by a
published organisation, not closed) or, for people, a published profile of an active
account that consented to matching. Vectors of records that stop being indexable are
deleted in the same transaction that hides them, so derived data never outlives consent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, event, or_, select
from sqlalchemy.orm import Session, selectinload

from ..extensions import db
from ..models import (
    Challenge,
    Embedding,
    Membership,
    Opening,
    Organization,
    Profile,
    Status,
    SuccessStory,
    User,
)
from .skillspace import free_key

MODELS: dict[str, Any] = {
    "opening": Opening,
    "challenge": Challenge,
    "organization": Organization,
    "profile": Profile,
    "story": SuccessStory,
}
KIND_OF = {model: kind for kind, model in MODELS.items()}
# Which kinds' matching text or visibility a change of each model may alter.
_TOUCHES: dict[Any, tuple[str, ...]] = {
    Opening: ("opening",),
    Challenge: ("challenge",),
    Organization: ("organization", "opening", "challenge"),
    Profile: ("profile",),
    User: ("profile",),
    SuccessStory: ("story",),
}
# Bumped by every flush in this process that touches a kind: the engine re-checks the
# database at once after a local change, and on a timer for other workers' changes.
_generations: dict[str, int] = dict.fromkeys(MODELS, 0)


@dataclass(frozen=True, slots=True)
class Facts:
    """What ranking reads of a record, kept in memory per indexed record.

    Ranking a pool of candidates from these avoids loading each candidate (and its
    skills) from the database on every question; only the shown results are loaded.
    """

    id: int
    # Sorted, as a tuple of the process's shared ints: a third of a frozenset's memory,
    # and evidence.skill_keys reads any collection.
    skill_ids: tuple[int, ...] | frozenset[int]
    state_code: str | None
    country_code: str | None
    open_to: tuple[str, ...]
    diaspora_status: str | None
    seniority: str | None
    remote_policy: str | None
    relocation_support: bool
    published_at: datetime | None
    updated_at: datetime | None
    # Skills outside the vocabulary (as written) and feasibility (matching/feasibility.py).
    free_skills: frozenset[str] = frozenset()
    kind: str | None = None  # a profile's, opening's or organisation's own kind
    languages: frozenset[str] = frozenset()
    work_modes: frozenset[str] = frozenset()
    relocate: bool | None = None
    degree: str | None = None
    needs_work_permit: bool = False
    available_from: date | None = None
    min_degree: str | None = None
    residence: str = "any"
    required_languages: frozenset[str] = frozenset()
    sponsors_work_permit: bool = False
    # A person's published organisations: their kinds (eligibility) and ids (nobody is
    # suggested to solve their own organisation's challenge).
    member_org_kinds: frozenset[str] = frozenset()
    member_org_ids: frozenset[int] = frozenset()


def member_orgs(record: Any) -> list[Any]:
    """A person's published organisations (eligibility reads their kinds and ids)."""
    if not isinstance(record, Profile) or record.user is None:
        return []
    return [
        m.organization
        for m in record.user.memberships
        if m.organization is not None and m.organization.status == Status.PUBLISHED
    ]


def _strings(record: Any, name: str) -> frozenset[str]:
    value = getattr(record, name, None)
    if callable(value):  # a method of that name (SuccessStory.languages()), not a column
        return _EMPTY
    return _shared(frozenset(value or ()))


# Facts are kept for every indexed record (100k in a national directory): their codes,
# kinds and small sets take a few distinct values, so each is stored once per process
# (an empty frozenset alone is 216 bytes, and a Facts held six). Unbounded values (skill
# ids, dates) are not shared.
_EMPTY: frozenset[Any] = frozenset()
_SHARED: dict[Any, Any] = {}
_SHARED_MAX = 10_000  # a bound, should some field ever take unbounded values


def _shared(value: Any) -> Any:
    """The process's one copy of an equal small value (a code, a kind, a small set)."""
    if value is None or isinstance(value, bool) or (isinstance(value, int) and -5 <= value < 257):
        return value  # already one object per process
    if isinstance(value, (frozenset, tuple)) and not value:
        return _EMPTY if isinstance(value, frozenset) else ()
    known = _SHARED.get(value)
    if known is not None:
        return known
    if len(_SHARED) < _SHARED_MAX:
        _SHARED[value] = value
    return value


def facts_of(record: Any) -> Facts:
    """The ranking facts of a record loaded with its skills."""
    orgs = member_orgs(record)
    free = frozenset(free_key(str(term)) for term in getattr(record, "free_skills", None) or ())
    return Facts(
        id=record.id,
        skill_ids=tuple(
            sorted(_shared(skill.id) for skill in getattr(record, "skills", None) or [])
        ),
        free_skills=free or _EMPTY,
        kind=_shared(getattr(record, "kind", None)),
        languages=_strings(record, "languages"),
        work_modes=_strings(record, "work_modes"),
        relocate=getattr(record, "relocate", None),
        degree=_shared(getattr(record, "degree", None)),
        needs_work_permit=bool(getattr(record, "needs_work_permit", False)),
        available_from=getattr(record, "available_from", None),
        min_degree=_shared(getattr(record, "min_degree", None)),
        residence=_shared(getattr(record, "residence", None) or "any"),
        required_languages=_strings(record, "required_languages"),
        sponsors_work_permit=bool(getattr(record, "sponsors_work_permit", False)),
        member_org_kinds=_shared(frozenset(org.kind for org in orgs)),
        member_org_ids=frozenset(org.id for org in orgs) or _EMPTY,
        state_code=_shared(getattr(record, "state_code", None)),
        country_code=_shared(getattr(record, "country_code", None)),
        open_to=_shared(tuple(getattr(record, "open_to", None) or ())),
        diaspora_status=_shared(getattr(record, "diaspora_status", None)),
        seniority=_shared(getattr(record, "seniority", None)),
        remote_policy=_shared(getattr(record, "remote_policy", None)),
        relocation_support=bool(getattr(record, "relocation_support", False)),
        published_at=getattr(record, "published_at", None),
        updated_at=getattr(record, "updated_at", None),
    )


def generation(kind: str) -> int:
    """How many flushes in this process have touched records of this kind."""
    return _generations[kind]


def indexable_clause(kind: str, today: date | None = None) -> ColumnElement[bool]:
    """SQL filter for records of a kind that may be matched at all."""
    today = today or date.today()
    model = MODELS[kind]
    if kind in ("opening", "challenge"):
        return and_(
            model.status == Status.PUBLISHED,
            model.organization.has(Organization.status == Status.PUBLISHED),
            or_(model.closes_on.is_(None), model.closes_on >= today),
        )
    if kind == "profile":
        return and_(
            Profile.visibility.in_(("public", "members")),
            Profile.matching_consent.is_(True),
            Profile.user.has(User.active.is_(True)),
        )
    return model.status == Status.PUBLISHED


def is_indexable(kind: str, record: Any) -> bool:
    """Python twin of indexable_clause for a loaded record."""
    if kind in ("opening", "challenge"):
        closes = record.closes_on
        return (
            record.status == Status.PUBLISHED
            and record.organization is not None
            and record.organization.status == Status.PUBLISHED
            and (closes is None or closes >= date.today())
        )
    if kind == "profile":
        return (
            record.visibility in ("public", "members")
            and bool(record.matching_consent)
            and record.user is not None
            and record.user.active
        )
    return record.status == Status.PUBLISHED


def stamps(kind: str) -> dict[int, datetime | None]:
    """`updated_at` of every indexable record of a kind, by id."""
    model = MODELS[kind]
    rows = db.session.execute(select(model.id, model.updated_at).where(indexable_clause(kind)))
    return {record_id: stamp for record_id, stamp in rows}


def indexable_ids(kind: str) -> list[int]:
    """Ids of every indexable record of a kind."""
    model = MODELS[kind]
    return list(db.session.scalars(select(model.id).where(indexable_clause(kind))))


def load_records(kind: str, ids: Sequence[int]) -> list[Any]:
    """Load records with what their matching text needs, in id order."""
    if not ids:
        return []
    model = MODELS[kind]
    stmt = select(model).where(model.id.in_(list(ids))).order_by(model.id)
    if hasattr(model, "skills"):
        stmt = stmt.options(selectinload(model.skills))
    if model is Profile:  # eligibility: the organisations a person may propose through
        stmt = stmt.options(
            selectinload(Profile.user)
            .selectinload(User.memberships)
            .selectinload(Membership.organization)
        )
    return list(db.session.scalars(stmt))


def stored_vectors(kind: str, model_name: str, ids: Iterable[int] | None = None) -> dict[int, Any]:
    """Stored Embedding rows of a kind and model, by record id."""
    stmt = select(Embedding).where(Embedding.kind == kind, Embedding.model_name == model_name)
    if ids is not None:
        stmt = stmt.where(Embedding.record_id.in_(list(ids)))
    return {row.record_id: row for row in db.session.scalars(stmt)}


def delete_vectors(kind: str, ids: Sequence[int]) -> None:
    """Delete every model's vectors of these records."""
    if ids:
        db.session.execute(
            delete(Embedding).where(Embedding.kind == kind, Embedding.record_id.in_(list(ids)))
        )


@event.listens_for(Session, "before_flush")
def _purge_hidden_vectors(session: Session, _context: Any, _instances: Any) -> None:
    """Delete the vectors of records deleted or no longer indexable, in the same flush."""
    touched = {
        kind
        for record in (*session.new, *session.dirty, *session.deleted)
        for kind in _TOUCHES.get(type(record), ())
    }
    for kind in touched:
        _generations[kind] += 1
    doomed: list[tuple[str, int]] = []
    for record in session.deleted:
        kind = KIND_OF.get(type(record))
        if kind and record.id is not None:
            doomed.append((kind, record.id))
        if isinstance(record, User) and record.profile is not None:
            doomed.append(("profile", record.profile.id))
    for record in session.dirty:
        kind = KIND_OF.get(type(record))
        if kind and record.id is not None and not is_indexable(kind, record):
            doomed.append((kind, record.id))
        # A deactivated account hides its profile without touching the profile row.
        profile = record.profile if isinstance(record, User) and not record.active else None
        if profile is not None and profile.id is not None:
            doomed.append(("profile", profile.id))
    for kind, record_id in doomed:
        session.execute(
            delete(Embedding).where(Embedding.kind == kind, Embedding.record_id == record_id)
        )
