"""Semantic search: a free-text query fused with the lexical index; exact names win.

Split from service.py, which it uses for the engine, the recipe and the visibility
re-check; `service.search` stays the entry point callers use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import current_app

from ..text import fold
from .engine import Engine
from .language import guess_language
from .plural import singular_query
from .recipe import fuse

if TYPE_CHECKING:
    import numpy as np

SEARCH_KINDS = ("opening", "challenge", "organization", "profile")


@dataclass(frozen=True)
class _Names:
    """Every record's folded name, joined so one str.find pass finds the query in all."""

    joined: str
    starts: np.ndarray  # where each record's name begins in `joined`

    def containing(self, folded: str) -> np.ndarray:
        """Positions (in index order) of the names that contain `folded` as whole words.

        Whole words: "IA" names "Laboratorio de IA", not every "Agencia" or "Ciencia".
        """
        import numpy as np

        joined, end = self.joined, len(folded)
        found: list[int] = []
        at = joined.find(folded)
        while at != -1:
            before = joined[at - 1] if at else " "
            after = joined[at + end] if at + end < len(joined) else " "
            if not before.isalnum() and not after.isalnum():
                found.append(at)
            at = joined.find(folded, at + 1)
        return np.unique(np.searchsorted(self.starts, found, side="right") - 1)


# Per lexical index (i.e. per sync) caches of what every query of a kind needs.
_NAMES: dict[str, tuple[object, _Names, np.ndarray]] = {}
# Below both, a record shares neither meaning nor letters with the query: not a hit.
MIN_LEXICAL, MIN_SEMANTIC = 0.1, 0.3


def _names_and_languages(kind: str, state: Any) -> tuple[_Names, np.ndarray]:
    import numpy as np

    cached = _NAMES.get(kind)
    if cached is None or cached[0] is not state.lexical:
        ids = state.lexical.ids
        # A newline never occurs in a folded name nor in a query (spaces are collapsed).
        names = [fold(state.names[int(i)].split(". ")[0]).replace("\n", " ") for i in ids]
        lengths = np.fromiter((len(name) + 1 for name in names), np.int64, len(names))
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1])) if names else lengths
        languages = np.array([state.languages.get(int(i), "es") for i in ids])
        cached = _NAMES[kind] = (state.lexical, _Names("\n".join(names), starts), languages)
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


@dataclass(frozen=True)
class Scored:
    """One record's evidence for a query: the fused score and the parts a page explains."""

    fused: float
    kind: str
    id: int
    similarity: float  # best model's cosine on MiniLM's scale: absolute, not relative
    named: bool  # the query is a whole phrase of the record's name
    language: str  # the record's language ("es" or "en")


def _kind_hits(
    eng: Engine, kind: str, query: str, vectors: dict[str, np.ndarray], asked: str
) -> list[Scored]:
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
        lexical = state.lexical.scores(asked)
    same = languages == guess_language(query)
    fused = fuse(service.recipe(), dense, lexical, same)
    # The keyword search's promise: a record whose name contains the query wins.
    folded = fold(query)
    boost = np.zeros(len(ids), dtype=np.float32)
    if folded:
        boost[names.containing(folded)] = 3.0
    fused = fused + boost
    # Relevance reads every model's cosine on MiniLM's scale (e5 puts unrelated texts
    # near 0.8): otherwise any query would find every record "relevant".
    common = [service.on_common_scale(name, cosines) for name, cosines in dense.items()]
    semantic = np.maximum.reduce(common) if common else np.zeros(len(ids))
    relevant = (lexical >= MIN_LEXICAL) | (semantic >= MIN_SEMANTIC) | (boost > 0)
    order = np.argsort(-fused, kind="stable")
    order = order[relevant[order]][: service.CANDIDATES]
    return [
        Scored(
            float(fused[j]),
            kind,
            int(ids[j]),
            float(semantic[j]),
            bool(boost[j] > 0),
            str(languages[j]),
        )
        for j in order
    ]


@dataclass(frozen=True)
class Hit:
    """A search result: which record, how relevant (0–100)."""

    kind: str
    record: Any
    score: int


@dataclass(frozen=True)
class Found:
    """What semantic search found for a viewer, as ids only (the caller loads a page).

    `available` is False when no embedding model answered: the hits then rest on the
    records' letters alone, and a page says so.
    """

    hits: list[Scored]
    available: bool


def _ranked(query: str, kinds: Sequence[str]) -> tuple[list[Scored], bool]:
    """Every kind's relevant records for a query, best first, and whether a model answered."""
    query = " ".join(query.split())[:300]
    if not fold(query):
        return [], True
    service.sync(kinds)
    eng = service.engine()
    # The scorers read the query in the singular; the exact-name promise reads it as typed.
    asked = query
    if current_app.config.get("MATCHING_SINGULAR_QUERIES", True):
        asked = singular_query(query, guess_language(query))
    vectors = service.query_vectors(asked)
    hits: list[Scored] = []
    for kind in kinds:
        hits.extend(_kind_hits(eng, kind, query, vectors, asked))
    hits.sort(key=lambda h: (-h.fused, h.kind, h.id))
    return hits, bool(vectors)


def find(query: str, viewer: Any, kinds: Sequence[str] = SEARCH_KINDS, limit: int = 60) -> Found:
    """The best `limit` hits this viewer may be shown (re-checked, ids only), best first."""
    hits, available = _ranked(query, kinds)
    pool = hits[: limit * 4]
    allowed = visibility.visible_keys([(h.kind, h.id) for h in pool], viewer)
    return Found([h for h in pool if (h.kind, h.id) in allowed][:limit], available)


def search(
    query: str, viewer: Any, kinds: Sequence[str] = SEARCH_KINDS, limit: int = 20
) -> list[Hit]:
    """Free-text semantic search fused with lexical evidence; exact names win."""
    hits, _available = _ranked(query, kinds)
    # Which of the best hits the viewer may see (ids only), then load just those shown.
    pool = hits[: limit * 4]
    allowed = visibility.visible_keys([(h.kind, h.id) for h in pool], viewer)
    shown = [h for h in pool if (h.kind, h.id) in allowed][:limit]
    records = visibility.load_shown([(h.kind, h.id) for h in shown], viewer)
    top = hits[0].fused if hits else 1.0
    return [
        Hit(h.kind, records[h.kind, h.id], max(1, min(100, round(100 * h.fused / max(top, 1e-6)))))
        for h in shown
        if (h.kind, h.id) in records
    ]


# Imported last: service re-exports this module's names, so either may be imported first.
from . import service, visibility  # noqa: E402
