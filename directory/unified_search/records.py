"""The database side of unified search: keyword ranks, the visibility re-check and the
bulk load of one page of records.

The keyword part is the directory's own (services/search.py): the same visibility
clauses, the same folded `search_text` LIKE and the same title-first score, so /directory
and the search box agree on what a word finds. A result must pass both rule sets: the
directory's listing rules and matching's (published, visible, consenting to matching:
search ranks people automatically, which a person may refuse).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..matching import visibility
from ..matching.store import MODELS
from ..services import search as keyword_search
from .fusion import Key

PER_KIND = 100  # keyword candidates kept per kind before fusion


def _allowed(kind: str, viewer: Any) -> Any:
    """SQL filter: what both the directory and matching may show this viewer of a kind."""
    # The directory's listing rules with no search terms; matching's re-check beside them.
    listed = keyword_search._base_clauses(kind, viewer, [])
    return and_(*listed, visibility._shown_to(kind, viewer))


def keyword_ranked(query: str, kinds: Sequence[str], viewer: Any) -> list[Key]:
    """Records whose text holds every word of the query, best first (title words count
    most, then newer first), at most PER_KIND of each kind."""
    terms = keyword_search.query_terms(query)
    if not terms:
        return []
    ranked: list[tuple[tuple[Any, ...], Key]] = []
    for order, kind in enumerate(kinds):
        where = keyword_search._base_clauses(kind, viewer, terms)
        rows = keyword_search._candidates(kind, where, with_text=True)
        scored = []
        for row in rows:
            points = keyword_search.score(terms, row.title, row.text, row.subtitle)
            scored.append(((-points, -row.when.timestamp(), order, -row.id), (kind, row.id)))
        scored.sort(key=lambda item: item[0])
        ranked.extend(scored[:PER_KIND])
    ranked.sort(key=lambda item: item[0])
    return [key for _, key in ranked]


def _by_kind(keys: Iterable[Key]) -> dict[str, list[int]]:
    ids: dict[str, list[int]] = {}
    for kind, record_id in keys:
        ids.setdefault(kind, []).append(record_id)
    return ids


def allowed_keys(keys: Iterable[Key], viewer: Any) -> set[Key]:
    """Which (kind, id) pairs the viewer may be shown: one id-only query per kind."""
    allowed: set[Key] = set()
    for kind, ids in _by_kind(keys).items():
        model = MODELS[kind]
        stmt = select(model.id).where(model.id.in_(ids), _allowed(kind, viewer))
        allowed.update((kind, record_id) for record_id in db.session.scalars(stmt))
    return allowed


def _options(kind: str) -> list[Any]:
    """Eager loads for a card: skills (the "Skill:" reason) and the posting organisation."""
    model = MODELS[kind]
    options: list[Any] = []
    if hasattr(model, "skills"):
        options.append(selectinload(model.skills))
    if kind in ("opening", "challenge"):
        options.append(joinedload(model.organization))
    return options


def load(keys: Sequence[Key], viewer: Any) -> dict[Key, Any]:
    """Load one page's records in bulk (one query per kind, plus its eager loads),
    re-checking each against the database: a record hidden a moment ago is left out."""
    loaded: dict[Key, Any] = {}
    for kind, ids in _by_kind(keys).items():
        model = MODELS[kind]
        stmt = (
            select(model).where(model.id.in_(ids), _allowed(kind, viewer)).options(*_options(kind))
        )
        for record in db.session.scalars(stmt).unique():
            loaded[kind, record.id] = record
    return loaded
