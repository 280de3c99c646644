"""Skills compared by meaning, across languages: "pronóstico de demanda" meets "Demand
forecasting" although neither is in the vocabulary.

Half the skills people and posts write are outside the vocabulary. Each skill phrase (a
free-text skill as written, or a vocabulary skill's Spanish and English labels) is embedded
once per process with the multilingual model; a wanted skill is *covered* by an offered one
when their vocabulary ids are equal or, where either is free text, when their phrases are
close (cosine ≥ THRESHOLD).

THRESHOLD was read off a hand-made set of 26 phrase pairs in both languages (translations
and near-synonyms against related-but-different skills: Python/Java, SQL/PostgreSQL,
"imágenes satelitales"/"Geospatial AI", speech recognition/synthesis): with
multilingual-e5-small, true pairs score 0.91–0.97 and different skills 0.81–0.88.
tests/matching/test_skillspace.py keeps a part of that set as a test on the real model.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from .embedder import EmbedderUnavailable
from .ranking import SkillKey

if TYPE_CHECKING:
    import numpy as np

    from .embedder import Embedder

THRESHOLD = 0.895
MAX_CACHE = 200_000  # phrases kept per process (a few hundred bytes each)


def free_key(phrase: str) -> str:
    """How a free-text skill is keyed: trimmed, single-spaced, as written otherwise."""
    return " ".join(phrase.split())


class SkillSpace:
    """Phrase vectors of skills, embedded lazily and kept for the life of the process."""

    def __init__(self, embedder: Embedder, labels: Callable[[], Mapping[int, tuple[str, ...]]]):
        self.embedder = embedder
        self._labels = labels  # vocabulary id → its labels, read when an id is unknown
        self._known: Mapping[int, tuple[str, ...]] = {}
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def _phrases(self, key: SkillKey) -> tuple[str, ...]:
        if isinstance(key, str):
            return (key.casefold(),)
        if key not in self._known:
            self._known = self._labels()
        return tuple(label.casefold() for label in self._known.get(key, ()))

    def prepare(self, keys: Iterable[SkillKey]) -> None:
        """Embed every phrase of these skills that is not embedded yet (one batch)."""
        import numpy as np

        todo = sorted({p for key in set(keys) for p in self._phrases(key)} - set(self._vectors))
        if not todo:
            return
        vectors = self.embedder.embed_documents(todo)
        with self._lock:
            if len(self._vectors) + len(todo) > MAX_CACHE:
                self._vectors.clear()
            for phrase, vector in zip(todo, vectors, strict=True):
                self._vectors[phrase] = np.asarray(vector, dtype=np.float32)

    def _matrix(self, keys: Iterable[SkillKey]) -> tuple[list[SkillKey], np.ndarray | None]:
        import numpy as np

        owners: list[SkillKey] = []
        rows = []
        for key in keys:
            for phrase in self._phrases(key):
                vector = self._vectors.get(phrase)
                if vector is not None:
                    owners.append(key)
                    rows.append(vector)
        return owners, (np.stack(rows) if rows else None)

    def covered(
        self, wanted: frozenset[SkillKey], offered: frozenset[SkillKey]
    ) -> frozenset[SkillKey]:
        """The wanted skills that some offered skill matches, by id or by meaning.

        Meaning is asked only where a free-text skill is involved: two different
        vocabulary skills were curated apart on purpose (and comparing them would embed
        the whole vocabulary on the first questions).
        """
        same = wanted & offered
        rest = wanted - same
        free_offered = frozenset(key for key in offered if isinstance(key, str))
        covered = same
        for asked, against in (
            (frozenset(k for k in rest if isinstance(k, str)), offered),  # free vs all
            (frozenset(k for k in rest if not isinstance(k, str)), free_offered),  # id vs free
        ):
            if asked and against:
                covered = covered | self._close(asked, against)
        return covered

    def _close(
        self, asked: frozenset[SkillKey], against: frozenset[SkillKey]
    ) -> frozenset[SkillKey]:
        # With the embedding service down, phrases already embedded still count; the others
        # match by vocabulary id only until it is back.
        with contextlib.suppress(EmbedderUnavailable):
            self.prepare(asked | against)
        asked_keys, asked_matrix = self._matrix(asked)
        _, against_matrix = self._matrix(against)
        if asked_matrix is None or against_matrix is None:
            return frozenset()
        best = (asked_matrix @ against_matrix.T).max(axis=1)
        pairs = zip(asked_keys, best.tolist(), strict=True)
        return frozenset(key for key, score in pairs if score >= THRESHOLD)
