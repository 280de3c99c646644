"""Approximate nearest-neighbour search for large kinds: IVF lists of 8-bit codes.

Above `ANN_MIN_VECTORS` vectors an exact scan costs more than the match budget (53 ms at
1M × 384, TOOLING.md), so `VectorIndex` adds an `IvfRouter`: k-means cells (IVF) whose
lists hold each vector as 8-bit codes. A query scans the `nprobe` nearest cells and
returns candidates; `VectorIndex` then re-scores them exactly from its flat storage, so
scores stay exact cosines and only recall is approximate.

Why IVF and not HNSW (measured at 100k × 384, README "Matching"): at equal recall@10
(0.99) IVF built 8× faster (4 s against 34 s), its 8-bit codes took 38 MB where HNSW's
copy of the vectors and graph took 172 MB, a top-200 cost 0.13 ms against 0.45 ms (HNSW
must explore at least k nodes), and IVF removes ids in place where HNSW cannot (it would
need tombstones and rebuilds). `nprobe` is not a guess: each build measures recall@10
against exact search on a sample of the stored vectors and keeps the smallest `nprobe`
that reaches `TARGET_RECALL`.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

# Below this many vectors exact search is fast enough (README "Matching": ~2.5 ms for a
# top-200 at 100k); above it the router is built. DefaultConfig.MATCHING_ANN_MIN_VECTORS.
ANN_MIN_VECTORS = 200_000
TARGET_RECALL = 0.98  # measured at build; the issue asks >= 0.97, the margin is for drift
SAMPLE_QUERIES = 200  # stored vectors used as queries to measure recall at build
FETCH_MIN = 100  # candidates re-scored exactly per query, at least (k when larger)
TRAIN_PER_CELL = 64  # k-means sample per cell (FAISS's cap is 256): training time grows with it
NPROBES = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512)


def cells_for(count: int) -> int:
    """IVF cells for a count: a power of two near √n, at most 4096, and few enough that
    k-means sees 39 vectors per cell (FAISS warns below that).

    At 1M, 4096 cells took 13× longer to build than 1024 (445 s against 33 s: k-means of
    4× the centroids on 4× the sample), while 1024 cells already reach recall@10 0.99
    scanning 12 of them (bench/matching_speed.py).
    """
    cells = min(4096, 2 ** round(math.log2(math.sqrt(max(count, 1)))))
    while cells > 1 and cells * 39 > count:
        cells //= 2
    return int(cells)


@dataclass
class BuildReport:
    """What one build chose and measured, for the log line and the benchmark."""

    cells: int
    nprobe: int
    recall: float
    seconds: float
    count: int

    def describe(self) -> str:
        """One line: the structure and its measured recall."""
        return (
            f"IVF{self.cells},SQ8 nprobe={self.nprobe} (recall@10 {self.recall:.3f} "
            f"on {SAMPLE_QUERIES} sampled vectors, built in {self.seconds:.1f} s)"
        )


def _build_threads() -> int:
    # Building is a one-off worth every core; per-query search stays on one (TOOLING.md).
    return max(1, os.cpu_count() or 1)


class IvfRouter:
    """IVF cells with 8-bit codes: the stored vectors worth re-scoring for a query."""

    def __init__(self, dim: int, ids: np.ndarray, vectors: np.ndarray, seed: int = 7) -> None:
        import faiss
        import numpy as np

        started = time.perf_counter()
        count = len(ids)
        cells = cells_for(count)
        quantizer = faiss.IndexFlatIP(dim)
        self._index: Any = faiss.IndexIVFScalarQuantizer(
            quantizer, dim, cells, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
        )
        self._quantizer = quantizer  # keeps the SWIG object alive with the index
        self._index.cp.seed = seed
        # 10 k-means rounds, not FAISS's 25: training time falls with them, and whatever
        # recall the cells give is measured by _calibrate and made up for with nprobe.
        self._index.cp.niter = 10
        rng = np.random.default_rng(seed)
        sample = rng.choice(count, min(count, TRAIN_PER_CELL * cells), replace=False)
        faiss.omp_set_num_threads(_build_threads())
        try:
            self._index.train(np.ascontiguousarray(vectors[np.sort(sample)]))
            self._index.add_with_ids(vectors, ids)
            nprobe, recall = self._calibrate(ids, vectors, rng)
        finally:
            faiss.omp_set_num_threads(1)
        self.nprobe = self._index.nprobe = nprobe
        self.report = BuildReport(cells, nprobe, recall, time.perf_counter() - started, count)

    def _calibrate(
        self, ids: np.ndarray, vectors: np.ndarray, rng: np.random.Generator
    ) -> tuple[int, float]:
        """The smallest nprobe whose candidates hold TARGET_RECALL of the exact top 10."""
        import faiss
        import numpy as np

        picks = rng.choice(len(ids), min(len(ids), SAMPLE_QUERIES), replace=False)
        queries = np.ascontiguousarray(vectors[picks])
        # Brute force over the caller's vectors, without copying them into another index.
        # 11 nearest minus the query itself: a stored vector always finds itself.
        _, rows = faiss.knn(queries, vectors, 11, metric=faiss.METRIC_INNER_PRODUCT)
        truth = [set(ids[r[r != p]][:10].tolist()) for r, p in zip(rows, picks, strict=True)]
        fetch = min(FETCH_MIN, len(ids))
        recall = 0.0
        for nprobe in [p for p in NPROBES if p < self._index.nlist] + [self._index.nlist]:
            self._index.nprobe = nprobe
            _, found = self._index.search(queries, fetch)
            hits = sum(len(t & set(f.tolist())) for t, f in zip(truth, found, strict=True))
            recall = hits / max(1, sum(len(t) for t in truth))
            if recall >= TARGET_RECALL:
                return nprobe, recall
        return int(self._index.nlist), recall

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors to their nearest cells (ids must not be present: remove first)."""
        self._index.add_with_ids(vectors, ids)

    def remove(self, ids: np.ndarray) -> None:
        """Remove ids from every cell."""
        self._index.remove_ids(ids)

    def candidates(self, vector: np.ndarray, fetch: int) -> np.ndarray:
        """Ids of up to `fetch` approximate nearest vectors (no -1 padding)."""
        _, found = self._index.search(vector.reshape(1, -1), fetch)
        return found[0][found[0] != -1]

    def nbytes(self) -> int:
        """Memory of the codes, ids and centroids (what the router adds to the index)."""
        lists = self._index.invlists
        entries = sum(lists.list_size(i) for i in range(self._index.nlist))
        return int(entries * (self._index.code_size + 8) + self._index.nlist * self._index.d * 4)
