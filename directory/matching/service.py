"""The questions the product asks of matching — the only matching module that knows Flask.

Every answer is re-checked against the database for the viewer before it is returned:
unpublished, hidden, deleted or non-consenting records never appear, whatever the index
still holds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import and_, select

from .. import permissions
from ..extensions import db
from ..models import Challenge, Opening, Organization, Profile, SuccessStory
from ..text import fold
from . import evidence, store
from .documents import KINDS, document_text
from .engine import Engine
from .language import guess_language
from .ranking import Match, Team, best_team, rank
from .recipe import Recipe, fuse

if TYPE_CHECKING:
    import numpy as np

CANDIDATES = 200  # nearest neighbours considered per question before re-checking
SEARCH_KINDS = ("opening", "challenge", "organization", "profile")


def recipe() -> Recipe:
    """The fusion weights from the app config."""
    config = current_app.config
    return Recipe(
        dense=dict(config["MATCHING_WEIGHTS"]),
        lexical_same_language=config["MATCHING_LEXICAL_SAME_LANGUAGE"],
        lexical_cross_language=config["MATCHING_LEXICAL_CROSS_LANGUAGE"],
    )


def engine() -> Engine:
    """This process's engine, built on first use (the models load lazily after that)."""
    existing = current_app.extensions.get("matching")
    if existing is None:
        from .embedder import get_embedder

        models = [name for name, weight in recipe().dense.items() if weight]
        existing = Engine({name: get_embedder(name) for name in models})
        current_app.extensions["matching"] = existing
    return existing


def sync(kinds: Sequence[str] = KINDS, progress: Callable[[int], None] | None = None) -> int:
    """Bring the indexes of these kinds in step with the database."""
    return sum(engine().sync(kind, progress) for kind in kinds)


# --- visibility re-check -------------------------------------------------------------


def _visible(kind: str, ids: Sequence[int], viewer: Any) -> dict[int, Any]:
    """Load the records among ids that this viewer may be shown as a match or hit."""
    if not ids:
        return {}
    model = store.MODELS[kind]
    clause = store.indexable_clause(kind)
    if kind == "profile":
        clause = and_(clause, permissions.visible_profiles_clause(viewer))
        if getattr(viewer, "is_authenticated", False):
            clause = and_(clause, Profile.user_id != viewer.id)
    rows = db.session.scalars(select(model).where(model.id.in_(list(ids)), clause))
    return {row.id: row for row in rows}


# --- scoring helpers -----------------------------------------------------------------


def _query_vectors(text: str) -> dict[str, np.ndarray]:
    return {name: emb.embed_query(text) for name, emb in engine().embedders.items()}


def _record_vectors(kind: str, record: Any) -> dict[str, np.ndarray]:
    """The record's indexed vectors while its text is unchanged, else fresh ones.

    A record edited since the last sync (or a draft that is not indexed) is embedded on
    the spot, so a match never uses a vector of text that no longer exists.
    """
    eng = engine()
    text = document_text(kind, record)
    indexed_text_current = eng.kinds[kind].texts.get(record.id) == text
    out: dict[str, np.ndarray] = {}
    for name, embedder in eng.embedders.items():
        vector = eng.stored_vector(kind, name, record.id) if indexed_text_current else None
        out[name] = vector if vector is not None else embedder.embed_query(text)
    return out


def _semantic(kind: str, vectors: dict[str, np.ndarray]) -> dict[int, float]:
    """Weighted mean cosine of the dense scorers over every record of a kind."""
    weights = {name: w for name, w in recipe().dense.items() if w and name in vectors}
    total = sum(weights.values()) or 1.0
    combined: dict[int, float] = {}
    for name, weight in weights.items():
        for record_id, score in engine().dense_scores(kind, name, vectors[name]).items():
            combined[record_id] = combined.get(record_id, 0.0) + weight * score / total
    return combined


def _top(scores: dict[int, float], k: int = CANDIDATES) -> list[int]:
    return [i for i, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]


# --- questions -----------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """A search result: which record, how relevant (0–100)."""

    kind: str
    record: Any
    score: int


def search(
    query: str, viewer: Any, kinds: Sequence[str] = SEARCH_KINDS, limit: int = 20
) -> list[Hit]:
    """Free-text semantic search fused with lexical evidence; exact names win."""
    import numpy as np

    query = " ".join(query.split())[:300]
    if not fold(query):
        return []
    sync(kinds)
    eng = engine()
    vectors = _query_vectors(query)
    query_language = guess_language(query)
    folded = fold(query)
    hits: list[tuple[float, str, int]] = []
    for kind in kinds:
        state = eng.kinds[kind]
        if state.lexical is None or not len(state.lexical):
            continue
        ids = state.lexical.ids
        dense = {}
        for name in vectors:
            scores = eng.dense_scores(kind, name, vectors[name])
            dense[name] = np.array([scores.get(int(i), 0.0) for i in ids], dtype=np.float32)
        same = np.array([state.languages.get(int(i)) == query_language for i in ids])
        fused = fuse(recipe(), dense, state.lexical.scores(query), same)
        # The keyword search's promise: a record whose name contains the query wins.
        names = [fold(state.texts[int(i)].split(". ")[0]) for i in ids]
        boost = np.array([3.0 if folded in name else 0.0 for name in names], dtype=np.float32)
        fused = fused + boost
        order = np.argsort(-fused, kind="stable")[:CANDIDATES]
        hits.extend((float(fused[j]), kind, int(ids[j])) for j in order)
    hits.sort(key=lambda h: (-h[0], h[1], h[2]))
    results: list[Hit] = []
    by_kind: dict[str, list[int]] = {}
    for _, kind, record_id in hits[: limit * 4]:
        by_kind.setdefault(kind, []).append(record_id)
    visible = {kind: _visible(kind, ids, viewer) for kind, ids in by_kind.items()}
    top = hits[0][0] if hits else 1.0
    for score, kind, record_id in hits[: limit * 4]:
        record = visible[kind].get(record_id)
        if record is not None:
            results.append(Hit(kind, record, max(1, min(100, round(100 * score / max(top, 1e-6))))))
        if len(results) == limit:
            break
    return results


def _ranked(
    kind: str,
    scores: dict[int, float],
    viewer: Any,
    build: Callable[[Any, float], Any],
    limit: int,
) -> list[tuple[Match, Any]]:
    candidates = _visible(kind, _top(scores), viewer)
    matches = rank(
        (build(record, scores[record_id]) for record_id, record in candidates.items()), limit
    )
    return [(match, candidates[match.record_id]) for match in matches]


def for_profile(profile: Profile, viewer: Any, limit: int = 20) -> list[tuple[Match, Any]]:
    """Openings and challenges that fit a person, best first."""
    sync(("opening", "challenge"))
    vectors = _record_vectors("profile", profile)
    results: list[tuple[Match, Any]] = []
    for kind in ("opening", "challenge"):
        scores = _semantic(kind, vectors)
        results += _ranked(
            kind, scores, viewer, lambda r, s, k=kind: evidence.for_post(profile, r, k, s), limit
        )
    results.sort(key=lambda pair: (-pair[0].score, pair[0].kind, pair[0].record_id))
    return results[:limit]


def for_opening(opening: Opening, viewer: Any, limit: int = 20) -> list[tuple[Match, Any]]:
    """People who published their profile, consented to matching and fit an opening."""
    sync(("profile",))
    scores = _semantic("profile", _record_vectors("opening", opening))
    return _ranked(
        "profile",
        scores,
        viewer,
        lambda person, s: evidence.for_post(person, opening, "profile", s),
        limit,
    )


@dataclass(frozen=True)
class Solvers:
    """Who could solve a challenge: organisations, people and the best team."""

    organizations: list[tuple[Match, Organization]]
    people: list[tuple[Match, Profile]]
    team: Team | None
    team_records: dict[tuple[str, int], Any]


def for_challenge(challenge: Challenge, viewer: Any, limit: int = 10) -> Solvers:
    """Organisations and people who could solve a challenge, and a team that covers it."""
    sync(("organization", "profile"))
    vectors = _record_vectors("challenge", challenge)
    orgs = [
        pair
        for pair in _ranked(
            "organization",
            _semantic("organization", vectors),
            viewer,
            lambda org, s: evidence.for_solver(challenge, org, "organization", s),
            limit + 1,
        )
        if pair[1].id != challenge.organization_id
    ][:limit]
    people = _ranked(
        "profile",
        _semantic("profile", vectors),
        viewer,
        lambda person, s: evidence.for_solver(challenge, person, "profile", s),
        limit,
    )
    wanted = frozenset(skill.id for skill in challenge.skills)
    team = best_team(
        wanted,
        [(org.id, frozenset(s.id for s in org.skills)) for _, org in orgs],
        [(p.id, frozenset(s.id for s in p.skills)) for _, p in people],
    )
    records = {("organization", o.id): o for _, o in orgs} | {
        ("profile", p.id): p for _, p in people
    }
    return Solvers(orgs, people, team, records)


def more_like_this(kind: str, record: Any, viewer: Any, limit: int = 6) -> list[tuple[Match, Any]]:
    """Records of the same kind most similar to this one."""
    sync((kind,))
    scores = _semantic(kind, _record_vectors(kind, record))
    scores.pop(record.id, None)
    return _ranked(
        kind, scores, viewer, lambda other, s: evidence.for_similar(record, other, kind, s), limit
    )


MODELS_BY_KIND = {
    "opening": Opening,
    "challenge": Challenge,
    "organization": Organization,
    "profile": Profile,
    "story": SuccessStory,
}
