"""The arithmetic of the lexical index (lexical.py), kept per word instead of per text.

Character n-grams "inside word boundaries" never cross a word: a text's n-gram counts are
the sum of its words' counts. So a text is stored as its word counts (`docs`, ~30 per
text) and every distinct word once as its n-gram counts (`grams`), instead of one row of
~450 n-grams per text: at 100k records 35 MB instead of 386 MB. Scores are the same as
scikit-learn's TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
fitted on the texts: each text's n-gram counts are rebuilt (docs @ grams) for the rows and
n-grams a question needs.

The norm of a row, Σ_g ((1 + ln tf) · idf_g)², depends on every n-gram's document count.
With idf_g = a - b_g (a = 1 + ln(1 + N), b_g = ln(1 + df_g)) it is a²·S0 - 2a·S1 + S2,
where S0 = Σ u, S1 = Σ u·b, S2 = Σ u·b² and u = (1 + ln tf)²: an update re-counts S1 and
S2 only over the n-grams whose document count changed, and a new N only moves `a`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

CHUNK = 4096  # texts whose n-gram counts are rebuilt at once (bounds the temporary rows)


def word_grams(word: str) -> list[str]:
    """scikit-learn's char_wb n-grams (2-5) of one word, in its order and with repeats."""
    padded = f" {word} "
    length, out = len(padded), []
    for n in range(2, 6):
        offset = 0
        out.append(padded[offset : offset + n])
        while offset + n < length:
            offset += 1
            out.append(padded[offset : offset + n])
        if offset == 0:  # a word shorter than n is counted once, as scikit-learn does
            break
    return out


@dataclass
class Lexicon:
    """Words and n-grams seen by an index and all its updates: append-only, shared.

    A version of the index only reads the ids below its own sizes, so an update that
    appends never changes what an older version (still read by another thread) answers.
    N-grams are kept as sorted 64-bit hashes with their columns (12 bytes each, where a
    dict of strings takes ~110: a national directory's free texts hold about a million).
    """

    words: dict[str, int] = field(default_factory=dict)
    spelled: list[str] = field(default_factory=list)  # word id → word
    # (sorted hashes, their columns): replaced whole, so a reader sees one or the other.
    _grams: tuple[np.ndarray, np.ndarray] | None = None
    gram_count: int = 0

    def word_ids(self, words: Iterable[str]) -> list[int]:
        """Ids of these words, new ones appended."""
        out = []
        for word in words:
            known = self.words.get(word)
            if known is None:
                known = self.words[word] = len(self.spelled)
                self.spelled.append(word)
            out.append(known)
        return out

    def gram_columns(self, grams: Sequence[str]) -> np.ndarray:
        """The column of each n-gram, -1 for one never seen."""
        import numpy as np

        keys = np.fromiter((hash(gram) for gram in grams), np.int64, len(grams))
        if self._grams is None or not len(keys):
            return np.full(len(keys), -1, dtype=np.int64)
        known, columns = self._grams
        at = np.minimum(np.searchsorted(known, keys), len(known) - 1)
        return np.where(known[at] == keys, columns[at], -1)

    def _add_grams(self, grams: Sequence[str]) -> np.ndarray:
        """Columns of these distinct n-grams, new ones appended in their order."""
        import numpy as np

        columns = self.gram_columns(grams)
        new = np.flatnonzero(columns < 0)
        if len(new):
            columns[new] = self.gram_count + np.arange(len(new))
            self.gram_count += len(new)
            keys = np.fromiter((hash(grams[i]) for i in new), np.int64, len(new))
            known, old = self._grams or (np.zeros(0, np.int64), np.zeros(0, np.int64))
            keys, values = np.concatenate([known, keys]), np.concatenate([old, columns[new]])
            order = np.argsort(keys, kind="stable")
            self._grams = (keys[order], values[order])
        return columns

    def gram_rows(self, first: int, last: int) -> Any:
        """CSR n-gram counts of words first..last-1 (new n-grams get new columns)."""
        import numpy as np
        import scipy.sparse as sp

        seen: dict[str, int] = {}  # this call's distinct n-grams → their place in `found`
        data: list[int] = []
        places: list[int] = []
        indptr = [0]
        for word in self.spelled[first:last]:
            for gram, count in Counter(word_grams(word)).items():
                places.append(seen.setdefault(gram, len(seen)))
                data.append(count)
            indptr.append(len(places))
        found = self._add_grams(list(seen))
        indices = found[np.asarray(places, dtype=np.int64)] if places else np.zeros(0, np.int64)
        return sp.csr_matrix(
            (np.array(data, np.float32), indices.astype(np.int32), np.array(indptr)),
            shape=(last - first, self.gram_count),
        )


def widened(matrix: Any, width: int) -> Any:
    """The same CSR rows with `width` columns, the new ones empty."""
    import scipy.sparse as sp

    return sp.csr_matrix((matrix.data, matrix.indices, matrix.indptr), (matrix.shape[0], width))


def word_counts(texts: Sequence[str], lexicon: Lexicon) -> Any:
    """CSR word counts of folded texts (columns: the lexicon's word ids so far)."""
    import numpy as np
    import scipy.sparse as sp

    data: list[int] = []
    indices: list[int] = []
    indptr = [0]
    for text in texts:
        counts = Counter(text.split())
        indices.extend(lexicon.word_ids(counts))
        data.extend(counts.values())
        indptr.append(len(indices))
    matrix = sp.csr_matrix(
        (np.array(data, np.float32), np.array(indices, np.int32), np.array(indptr)),
        shape=(len(texts), len(lexicon.spelled)),
    )
    matrix.sort_indices()
    return matrix


def log_tf(docs: Any, grams: Any) -> Any:
    """(1 + ln tf) of these texts' n-grams: CSR, texts × the n-grams of `grams`."""
    import numpy as np

    tf = (docs @ grams).tocsr()
    np.log(tf.data, out=tf.data)
    tf.data += 1
    return tf


def document_frequency(docs: Any, grams: Any) -> np.ndarray:
    """How many of these texts hold each n-gram (float64, one per column of `grams`)."""
    import numpy as np

    total = np.zeros(grams.shape[1], dtype=np.float64)
    for start in range(0, docs.shape[0], CHUNK):
        tf = (docs[start : start + CHUNK] @ grams).tocsr()
        total += np.bincount(tf.indices, minlength=grams.shape[1])
    return total


def norm_sums(docs: Any, grams: Any, b: np.ndarray) -> np.ndarray:
    """S0, S1, S2 of each text (rows of a (3, n) float64 array), see the module doc."""
    import numpy as np

    out = np.zeros((3, docs.shape[0]), dtype=np.float64)
    for start in range(0, docs.shape[0], CHUNK):
        tf = log_tf(docs[start : start + CHUNK], grams)
        u = tf.data.astype(np.float64) ** 2
        bg = b[tf.indices]
        rows = np.repeat(np.arange(tf.shape[0]), np.diff(tf.indptr))
        stop = start + tf.shape[0]
        for k, values in enumerate((u, u * bg, u * bg * bg)):
            out[k, start:stop] = np.bincount(rows, weights=values, minlength=tf.shape[0])
    return out


def sums_shift(docs: Any, gram_columns: Any, old_b: np.ndarray, new_b: np.ndarray) -> Any:
    """What S1 and S2 of these texts gain when b moves from old_b to new_b on a few
    n-grams (`gram_columns`: the words' counts of just those n-grams)."""
    import numpy as np

    out = np.zeros((2, docs.shape[0]), dtype=np.float64)
    if gram_columns.shape[1] == 0:
        return out
    delta1, delta2 = new_b - old_b, new_b**2 - old_b**2
    for start in range(0, docs.shape[0], CHUNK):
        tf = log_tf(docs[start : start + CHUNK], gram_columns)
        u = tf.data.astype(np.float64) ** 2
        rows = np.repeat(np.arange(tf.shape[0]), np.diff(tf.indptr))
        stop = start + tf.shape[0]
        out[0, start:stop] = np.bincount(rows, u * delta1[tf.indices], minlength=tf.shape[0])
        out[1, start:stop] = np.bincount(rows, u * delta2[tf.indices], minlength=tf.shape[0])
    return out


def query_weights(
    query: str, lexicon: Lexicon, width: int, df: np.ndarray, idf: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """The folded query's unit tf-idf weights: (columns, weights), None when it holds no
    n-gram some indexed text holds."""
    import numpy as np

    weights: dict[int, float] = {}
    counts = Counter(gram for word in query.split() for gram in word_grams(word))
    found = lexicon.gram_columns(list(counts))
    for column, count in zip(found.tolist(), counts.values(), strict=True):
        if 0 <= column < width and df[column] > 0:
            weights[column] = (1 + math.log(count)) * idf[column]
    if not weights:
        return None
    columns = np.fromiter(weights, dtype=np.int64, count=len(weights))
    values = np.fromiter(weights.values(), dtype=np.float64, count=len(weights))
    return columns, values / np.linalg.norm(values)
