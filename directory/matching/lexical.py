"""Character n-gram TF-IDF: the lexical half of search and matching.

Character n-grams (2–5, inside word boundaries, accents folded) catch what an
English-only embedding model misses in Spanish — inflections, compounds, typos — and
measured on MELO they beat all-MiniLM on Spanish titles (see bench/matching_quality.py).

The scores are scikit-learn's TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5),
sublinear_tf=True) fitted on the records' texts, but the index keeps each text as its
word counts and each distinct word once as its n-gram counts (lexical_parts.py): a
question rebuilds the n-gram counts it needs. At 100k records that is 35 MB where one
n-gram row per text took 386 MB in every web worker (bench/worker_memory.py), and a fit
analyses each distinct word once instead of every text (4-8 s instead of 15-40 s for 45k
profiles).

An index is immutable: `updated()` returns a new one, so a thread still reading the old
one never sees half a change. An update analyses only the changed texts, keeps every
n-gram's document count current and scores every row with the IDF of the current texts:
the same cosines as a refit, up to float32 rounding.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..text import fold
from .lexical_parts import (
    Lexicon,
    document_frequency,
    log_tf,
    norm_sums,
    query_weights,
    sums_shift,
    widened,
    word_counts,
)

if TYPE_CHECKING:
    import numpy as np


class CharNgramIndex:
    """A TF-IDF index over record texts, fitted on the records themselves."""

    def __init__(self, ids: Sequence[int], texts: Sequence[str]) -> None:
        import numpy as np

        order = np.argsort(np.asarray(ids, dtype=np.int64), kind="stable")
        self.ids = np.asarray(ids, dtype=np.int64)[order]
        self._lexicon = Lexicon()
        folded = [fold(texts[i]) for i in order.tolist()]
        self._docs = word_counts(folded, self._lexicon)
        self._grams = self._lexicon.gram_rows(0, len(self._lexicon.spelled))
        self._docs = widened(self._docs, self._grams.shape[0])
        self._df = document_frequency(self._docs, self._grams)
        b = np.log1p(self._df)
        self._basis = (norm_sums(self._docs, self._grams, b), b)

    def __len__(self) -> int:
        return int(len(self.ids))

    def nbytes(self) -> int:
        """Memory of the arrays (the lexicon's strings not counted)."""
        arrays = (self._docs.data, self._docs.indices, self._docs.indptr, self._grams.data)
        extra = self._grams.indices.nbytes + self._grams.indptr.nbytes + self.ids.nbytes
        basis = self._basis[0].nbytes + self._basis[1].nbytes
        return int(sum(a.nbytes for a in arrays) + extra + self._df.nbytes + basis)

    # --- scoring ------------------------------------------------------------------------

    @cached_property
    def _idf(self) -> np.ndarray:
        """Smoothed IDF of the live texts, as scikit-learn computes it."""
        import numpy as np

        return np.log((1 + len(self.ids)) / (1 + self._df)) + 1

    @cached_property
    def _columns(self) -> Any:
        """The words' n-gram counts by column, to pick a question's n-grams fast."""
        return self._grams.tocsc()

    @cached_property
    def _norms(self) -> np.ndarray:
        """Each text's tf-idf norm under the current IDF (see lexical_parts).

        The sums were counted under the document counts of an earlier version (updates
        only carry them over): the n-grams whose count moved since are re-counted here,
        on the first full scan, not on every update (~0.7 s for a new text at 45k).
        """
        import numpy as np

        sums, b = self._basis
        now = np.log1p(self._df)
        moved = np.flatnonzero(b != now)
        if len(moved):
            sums = sums.copy()
            sums[1:] += sums_shift(self._docs, self._columns[:, moved], b[moved], now[moved])
            self._basis = (sums, now)  # one assignment: a reader sees the old or the new
        a = 1 + np.log1p(len(self.ids))
        squares = a * a * sums[0] - 2 * a * sums[1] + sums[2]
        return np.sqrt(np.maximum(squares, 0.0))

    def _row_norms(self, rows: np.ndarray) -> np.ndarray:
        """The norms of a few rows: from the full scan's when known, else counted anew."""
        import numpy as np

        if "_norms" in self.__dict__:
            return self._norms[rows]
        tf = log_tf(self._docs[rows], self._grams)
        squares = tf.multiply(tf).tocsr() @ (self._idf**2)
        return np.sqrt(squares)

    def _cosines(self, rows: Any, query: str) -> np.ndarray | None:
        """Cosine of the query with these rows of texts (None when it shares no n-gram)."""
        import numpy as np

        asked = query_weights(fold(query), self._lexicon, self._grams.shape[1], self._df, self._idf)
        if asked is None:
            return None
        columns, weights = asked
        tf = log_tf(self._docs if rows is None else self._docs[rows], self._columns[:, columns])
        dots = tf @ (self._idf[columns] * weights)
        norms = self._norms if rows is None else self._row_norms(rows)
        return np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0)

    def scores(self, query: str) -> np.ndarray:
        """Cosine similarity of the query with every record (0 when nothing is indexed)."""
        import numpy as np

        found = self._cosines(None, query) if len(self.ids) else None
        if found is None:
            return np.zeros(len(self.ids), dtype=np.float32)
        return found.astype(np.float32)

    def scores_for(self, query: str, ids: Sequence[int]) -> dict[int, float]:
        """Cosine similarity of the query with just these records (the indexed ones)."""
        import numpy as np

        wanted = np.asarray(list(ids), dtype=np.int64)
        rows = np.minimum(np.searchsorted(self.ids, wanted), max(len(self.ids) - 1, 0))
        present = self.ids[rows] == wanted if len(self.ids) else np.zeros(len(wanted), bool)
        wanted, rows = wanted[present], rows[present]
        if not len(wanted):
            return {}
        found = self._cosines(rows, query)
        if found is None:
            return {}
        return {int(i): float(s) for i, s in zip(wanted, found.astype(np.float32), strict=True)}

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

    # --- updates ------------------------------------------------------------------------

    def updated(self, changed: Mapping[int, str], gone: Sequence[int]) -> CharNgramIndex:
        """A new index with these texts set (added or replaced) and these ids dropped.

        Ids come back in ascending order (the engine's). An id in both `changed` and
        `gone` is kept with its new text; unknown `gone` ids are ignored. Self is unchanged.
        """
        import numpy as np
        import scipy.sparse as sp

        if not changed and not gone:
            return self
        lexicon = self._lexicon
        old = np.isin(self.ids, np.fromiter(set(gone) | set(changed), np.int64))
        keep = ~old
        new_ids = np.array(sorted(changed), dtype=np.int64)
        added = word_counts([fold(changed[int(i)]) for i in new_ids], lexicon)
        # Rows for the words this version has not analysed (new, or added by another
        # version of the same lineage); new n-grams get new columns.
        more = lexicon.gram_rows(self._grams.shape[0], len(lexicon.spelled))
        width = more.shape[1]
        grams = sp.vstack([widened(self._grams, width), more], format="csr")
        words = grams.shape[0]
        added = widened(added, words)
        kept = widened(self._docs[np.flatnonzero(keep)], words)
        df = np.concatenate([self._df, np.zeros(width - len(self._df))])
        if old.any():  # replaced and dropped texts no longer count
            df -= document_frequency(widened(self._docs[np.flatnonzero(old)], words), grams)
        df += document_frequency(added, grams)
        sums, b = self._basis
        # New texts' sums are counted under the same (older) counts as the kept ones:
        # _norms brings them all to the current counts at once, when a full scan asks.
        b = np.concatenate([b, np.log1p(df[len(b) :])])
        sums = np.concatenate([sums[:, keep], norm_sums(added, grams, b)], axis=1)
        ids = np.concatenate([self.ids[keep], new_ids])
        order = np.argsort(ids, kind="stable")
        index = CharNgramIndex.__new__(CharNgramIndex)
        index.ids, index._lexicon, index._grams, index._df = ids[order], lexicon, grams, df
        index._docs = sp.vstack([kept, added], format="csr")[order]
        index._basis = (sums[:, order], b)
        return index
