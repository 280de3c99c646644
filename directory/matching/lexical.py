"""Character n-gram TF-IDF: the lexical half of search and matching.

Character n-grams (2–5, inside word boundaries, accents folded) catch what an
English-only embedding model misses in Spanish — inflections, compounds, typos — and
measured on MELO they beat all-MiniLM on Spanish titles (see bench/matching_quality.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..text import fold

if TYPE_CHECKING:
    import numpy as np


class CharNgramIndex:
    """A TF-IDF index over record texts, fitted on the records themselves."""

    def __init__(self, ids: Sequence[int], texts: Sequence[str]) -> None:
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.ids = np.asarray(ids, dtype=np.int64)
        self._vectorizer: Any = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(2, 5),
            sublinear_tf=True,
            lowercase=False,
            preprocessor=fold,
            dtype=np.float32,
        )
        self._matrix: Any = None
        self._rows: dict[int, int] | None = None  # record id → matrix row, for scores_for
        if len(texts):
            try:
                self._matrix = self._vectorizer.fit_transform(texts)
            except ValueError:
                # Every text empty (a profile with only a name): nothing to match lexically.
                self._matrix = None

    def __len__(self) -> int:
        return int(len(self.ids))

    def scores(self, query: str) -> np.ndarray:
        """Cosine similarity of the query with every record (0 when nothing is indexed)."""
        import numpy as np

        if self._matrix is None or not fold(query):
            return np.zeros(len(self.ids), dtype=np.float32)
        vector = self._vectorizer.transform([query])
        return np.asarray((self._matrix @ vector.T).toarray()).ravel()

    def scores_for(self, query: str, ids: Sequence[int]) -> dict[int, float]:
        """Cosine similarity of the query with just these records (the indexed ones)."""
        if self._matrix is None or not fold(query):
            return {}
        if self._rows is None:  # built once per index, on the first question
            self._rows = {int(record_id): j for j, record_id in enumerate(self.ids)}
        present = [(i, self._rows[i]) for i in ids if i in self._rows]
        if not present:
            return {}
        vector = self._vectorizer.transform([query])
        rows = self._matrix[[j for _, j in present]]
        scores = (rows @ vector.T).toarray().ravel()
        return {i: float(score) for (i, _), score in zip(present, scores, strict=True)}

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        """The k best ids with their scores."""
        import numpy as np

        scores = self.scores(query)
        if not len(scores) or k <= 0:
            return []
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.lexsort((self.ids[top], -scores[top]))]
        return [(int(self.ids[i]), float(scores[i])) for i in top if scores[i] > 0]
