"""Character n-gram TF-IDF: the lexical half of search and matching.

Character n-grams (2–5, inside word boundaries, accents folded) catch what an
English-only embedding model misses in Spanish — inflections, compounds, typos — and
measured on MELO they beat all-MiniLM on Spanish titles (see bench/matching_quality.py).

An index is immutable: `updated()` returns a new one, so a thread still reading the old
one never sees half a change. Refitting costs ~0.4 ms per text (12–20 s for 45k profiles),
so past REFIT_BELOW texts an update analyses only the changed texts. It keeps the fitted
tf-idf rows, appends the changed rows as raw log-tf rows (new n-grams get new columns),
keeps every n-gram's document count current and scores every row with the IDF of the
current texts: the same cosines as a refit, up to float32 rounding (bench/after_change.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..text import fold
from .lexical_parts import Parts, document_counts

if TYPE_CHECKING:
    import numpy as np

# Under this many texts updated() refits: ≈0.2 s, and small directories (and the tests)
# keep exactly the scores they had before updates existed.
REFIT_BELOW = 300
# Rows analysed since the last merge beyond this share of the index are merged into one
# matrix (no re-analysis: ~0.2 s for 45k profiles), which bounds dead rows and the rows
# each update copies.
MERGE_FRACTION = 0.1


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
        self._parts: Parts | None = None  # set on an index made by updated()
        if len(texts):
            try:
                self._matrix = self._vectorizer.fit_transform(texts)
            except ValueError:
                # Every text empty (a profile with only a name): nothing to match lexically.
                self._matrix = None
        # A small (or unfitted) index refits on update, so it keeps its texts; a large one
        # keeps its document counts instead (what an update needs: ~50 ms to count later).
        small = len(self.ids) < REFIT_BELOW or self._matrix is None
        self._texts = dict(zip(self.ids.tolist(), texts, strict=True)) if small else None
        self._df = None if small else document_counts(self._matrix)

    def __len__(self) -> int:
        return int(len(self.ids))

    def scores(self, query: str) -> np.ndarray:
        """Cosine similarity of the query with every record (0 when nothing is indexed)."""
        import numpy as np

        if self._parts is not None:
            return self._parts.scores(query)
        if self._matrix is None or not fold(query):
            return np.zeros(len(self.ids), dtype=np.float32)
        vector = self._vectorizer.transform([query])
        return np.asarray((self._matrix @ vector.T).toarray()).ravel()

    def scores_for(self, query: str, ids: Sequence[int]) -> dict[int, float]:
        """Cosine similarity of the query with just these records (the indexed ones)."""
        if self._parts is not None:
            return self._parts.scores_for(query, ids)
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

    def updated(self, changed: Mapping[int, str], gone: Sequence[int]) -> CharNgramIndex:
        """A new index with these texts set (added or replaced) and these ids dropped.

        Ids come back in ascending order (the engine's). An id in both `changed` and
        `gone` is kept with its new text; unknown `gone` ids are ignored. Self is unchanged.
        """
        if not changed and not gone:
            return self
        if self._texts is not None:
            dropped = set(gone)
            texts = {i: t for i, t in self._texts.items() if i not in dropped}
            texts.update(changed)
            if len(texts) < REFIT_BELOW or self._matrix is None:
                ids = sorted(texts)
                return CharNgramIndex(ids, [texts[i] for i in ids])
        parts = (self._parts or self._fitted_parts()).apply(changed, gone)
        if parts.added.shape[0] > MERGE_FRACTION * len(parts.ids):
            parts = parts.merged()
        index = CharNgramIndex.__new__(CharNgramIndex)
        index.ids, index._parts = parts.ids, parts
        index._vectorizer = index._matrix = index._rows = index._texts = index._df = None
        return index

    def _fitted_parts(self) -> Parts:
        """This fitted index as the starting point of updates."""
        import numpy as np
        import scipy.sparse as sp

        order = np.argsort(self.ids, kind="stable")
        df = self._df if self._df is not None else document_counts(self._matrix)
        return Parts(
            analyzer=self._vectorizer.build_analyzer(),
            vocabulary=self._vectorizer.vocabulary_,
            extra={},
            base=self._matrix,
            base_idf=np.asarray(self._vectorizer.idf_, dtype=np.float64),
            added=sp.csr_matrix((0, self._matrix.shape[1]), dtype=np.float32),
            df=df,
            ids=self.ids[order],
            source=order.astype(np.int64),
        )
