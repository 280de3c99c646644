"""Pairs of records whose stored embeddings are nearly the same vector (duplicate detection).

Only vectors the matching layer already stored are read: no model is loaded here. Each
process keeps the vectors and the pairs it found per kind, and on the next question
compares only the records whose stored vector changed since (changed × all, in chunks), so
the first visit pays one pass over the vectors and later visits pay almost nothing.
A pair among unchanged records is still valid; a pair touching a changed or removed
record is dropped and, for changed records, found again.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlalchemy import func, select

from ..extensions import db
from ..models import Embedding

if TYPE_CHECKING:
    import numpy as np

THRESHOLD = 0.9  # cosine above which two descriptions read as the same record
PER_RECORD = 5  # nearest neighbours kept per record (a cluster of copies stays bounded)
CHUNK = 1024  # rows compared at once: CHUNK × n floats in memory
ID_CHUNK = 900  # ids per IN (...) query


@dataclass
class _State:
    stamps: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    vectors: dict[int, Any] = field(default_factory=dict)
    pairs: dict[tuple[int, int], float] = field(default_factory=dict)


_STATES: dict[tuple[str, str, str], _State] = {}
_LOCK = threading.Lock()


def model_for(kind: str) -> str | None:
    """The embedding model to compare with: DUPLICATES_MODEL, else the one with most vectors."""
    rows = db.session.execute(
        select(Embedding.model_name, func.count())
        .where(Embedding.kind == kind)
        .group_by(Embedding.model_name)
    ).all()
    counts = {name: count for name, count in rows}
    wanted = current_app.config.get("DUPLICATES_MODEL")
    if wanted in counts:
        return str(wanted)
    if not counts:
        return None
    # Ties go to the alphabetically first name, so every worker picks the same model.
    return sorted(counts, key=lambda name: (-counts[name], name))[0]


def _load(kind: str, model: str, ids: list[int]) -> dict[int, np.ndarray]:
    import numpy as np

    out: dict[int, np.ndarray] = {}
    for start in range(0, len(ids), ID_CHUNK):
        rows = db.session.execute(
            select(Embedding.record_id, Embedding.vector).where(
                Embedding.kind == kind,
                Embedding.model_name == model,
                Embedding.record_id.in_(ids[start : start + ID_CHUNK]),
            )
        )
        for record_id, blob in rows:
            vector = np.frombuffer(blob, dtype=np.float32)
            norm = float(np.linalg.norm(vector))
            if norm > 0:
                out[record_id] = vector / norm
    return out


def _compare(state: _State, changed: list[int]) -> None:
    """Add the pairs of each changed record with its nearest neighbours above THRESHOLD."""
    import numpy as np

    if not changed or len(state.vectors) < 2:
        return
    # Vectors of another dimension (a model swapped under the same name) are skipped.
    dims = [v.shape[0] for v in state.vectors.values()]
    dim = max(set(dims), key=dims.count)
    ids = np.array(sorted(i for i, v in state.vectors.items() if v.shape[0] == dim))
    matrix = np.stack([state.vectors[int(i)] for i in ids])
    position = {int(record_id): n for n, record_id in enumerate(ids)}
    rows = sorted(position[i] for i in changed if i in position)
    # On a full pass each pair is met twice; comparing every row with the rows after it
    # (the upper triangle) halves the work.
    everything = len(rows) == len(ids)
    for start in range(0, len(rows), CHUNK):
        chunk = np.array(rows[start : start + CHUNK])
        first = int(chunk[0]) if everything else 0
        sims = matrix[chunk] @ matrix[first:].T
        hit_rows, hit_cols = np.nonzero(sims >= THRESHOLD)  # few: most pairs are far apart
        hits: dict[int, list[tuple[float, int]]] = {}
        for n, col in zip(hit_rows.tolist(), hit_cols.tolist(), strict=True):
            other = col + first
            if other != chunk[n] and (not everything or other > chunk[n]):
                hits.setdefault(int(chunk[n]), []).append((float(sims[n, col]), other))
        for row, found in hits.items():
            # A cluster of near-identical records yields at most PER_RECORD pairs per record.
            for score, other in sorted(found, reverse=True)[:PER_RECORD]:
                a, b = sorted((int(ids[row]), int(ids[other])))
                state.pairs[(a, b)] = max(score, state.pairs.get((a, b), 0.0))


def similar_pairs(kind: str) -> dict[tuple[int, int], float]:
    """Pairs (lower id, higher id) of records of a kind whose stored vectors are near-equal."""
    model = model_for(kind)
    if model is None:
        return {}
    # A vector is a function of the model and the text: the text's hash stamps it.
    stamps = {
        record_id: (text_hash, dim)
        for record_id, text_hash, dim in db.session.execute(
            select(Embedding.record_id, Embedding.text_hash, Embedding.dim).where(
                Embedding.kind == kind, Embedding.model_name == model
            )
        )
    }
    key = (str(db.engine.url), kind, model)
    with _LOCK:
        state = _STATES.setdefault(key, _State())
        changed = sorted(i for i, stamp in stamps.items() if state.stamps.get(i) != stamp)
        gone = set(state.stamps) - set(stamps)
        if changed or gone:
            stale = gone | set(changed)
            state.pairs = {
                pair: score
                for pair, score in state.pairs.items()
                if pair[0] not in stale and pair[1] not in stale
            }
            for record_id in stale:
                state.vectors.pop(record_id, None)
            state.vectors.update(_load(kind, model, changed))
            _compare(state, changed)
            state.stamps = stamps
        return dict(state.pairs)
