"""A FAISS index of one kind of record, keyed by database id, saved atomically."""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .ann import ANN_MIN_VECTORS, FETCH_MIN, IvfRouter
from .halves import HalfMatrix, flat_index

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)
# 2: vectors stored as float16 (1 held float32 vectors: such a snapshot is ignored and
# rebuilt from the database's float32 vectors).
FORMAT_VERSION = 2


class IndexMismatch(Exception):
    """A saved index that must not be trusted (corrupt, foreign model, other format)."""


def _faiss() -> Any:
    import faiss

    # One query at a time: more threads only add overhead (measured in TOOLING.md).
    faiss.omp_set_num_threads(1)
    return faiss


class VectorIndex:
    """Inner-product search over normalised vectors (= cosine) with database ids.

    The vectors live in a flat FAISS index of float16 codes: exact search, removal in
    place, reconstruction and a zero-copy matrix. From `ann_min_vectors` vectors on,
    search asks an approximate router (ann.py) for candidates and re-scores them from that
    flat storage.
    """

    def __init__(self, dim: int, ann_min_vectors: int | None = None, label: str = "") -> None:
        _faiss()  # one thread per query
        self.dim = dim
        self._index = flat_index(dim)
        self._setup(ann_min_vectors, label)

    def _setup(self, ann_min_vectors: int | None, label: str) -> None:
        self.ann_min_vectors = ANN_MIN_VECTORS if ann_min_vectors is None else ann_min_vectors
        self.label = label or "index"
        self._router: IvfRouter | None = None
        self._announced = False  # whether this index logged its choice yet

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def ids(self) -> set[int]:
        """Every id in the index."""
        import faiss

        return set(faiss.vector_to_array(self._index.id_map).tolist())

    def upsert(self, ids: Sequence[int], vectors: np.ndarray) -> None:
        """Add vectors, replacing any already stored under the same ids."""
        import numpy as np

        if len(ids) == 0:
            return
        id_array = np.asarray(ids, dtype=np.int64)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self._index.remove_ids(id_array)
        self._index.add_with_ids(vectors, id_array)
        if self._router is not None:
            self._router.remove(id_array)
            self._router.add(id_array, vectors)
        self._choose()

    def remove(self, ids: Sequence[int]) -> int:
        """Remove ids (in one batch: each removal compacts the whole index)."""
        import numpy as np

        if len(ids) == 0:
            return 0
        id_array = np.asarray(ids, dtype=np.int64)
        if self._router is not None:
            self._router.remove(id_array)
        removed = int(self._index.remove_ids(id_array))
        self._choose()
        return removed

    @property
    def approximate(self) -> bool:
        """Whether search goes through the approximate router."""
        return self._router is not None

    def describe(self) -> str:
        """The search this index does now, for logs and benchmarks."""
        if self._router is not None:
            return self._router.report.describe()
        return "exact (float16 flat)"

    def nbytes(self) -> int:
        """Memory of the vectors, the id maps and the router (an estimate from sizes)."""
        # id_map and rev_map: 8 bytes per id plus ~40 per std::unordered_map entry.
        router = self._router.nbytes() if self._router is not None else 0
        return len(self) * (self.dim * 2 + 48) + router

    def _choose(self) -> None:
        """Build, rebuild or drop the approximate router as the size asks; log the choice."""
        count, router = len(self), self._router
        limit = f"{self.ann_min_vectors:,}"
        if count >= max(1, self.ann_min_vectors) and (
            router is None or count >= 2 * router.report.count
        ):
            # A router trained on half of today's vectors has lopsided cells: retrain it.
            ids, vectors = self.matrix()
            self._router = IvfRouter(self.dim, ids, vectors[:])  # float32 while it builds
            log.info("%s: %s vectors, %s (exact below %s)", self.label, f"{count:,}",
                     self._router.report.describe(), limit)  # fmt: skip
        elif router is not None and count < self.ann_min_vectors // 2:
            # Half the threshold, not the threshold: a kind hovering there does not rebuild
            # its router on every change.
            self._router = None
            log.info("%s: %s vectors, exact (approximate from %s)", self.label, f"{count:,}", limit)
        elif not self._announced and count and router is None:
            log.info("%s: %s vectors, exact (approximate from %s)", self.label, f"{count:,}", limit)
        self._announced = self._announced or count > 0

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The k nearest ids with their cosine similarity, best first."""
        import numpy as np

        if len(self) == 0 or k <= 0:
            return []
        query = np.ascontiguousarray(vector.reshape(1, -1), dtype=np.float32)
        if self._router is None and len(self) >= max(1, self.ann_min_vectors):
            self._choose()  # a loaded snapshot builds its router on first use
        if self._router is not None:
            # Candidates from the router, scored exactly from the flat storage; an id
            # removed from the storage is never scored, so it never comes back.
            found = self._router.candidates(query, max(k, FETCH_MIN))
            scores = self.scores_for(found.tolist(), query[0])
            return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        scores, ids = self._index.search(query, min(k, len(self)))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i != -1]

    def matrix(self) -> tuple[np.ndarray, HalfMatrix]:
        """(ids, vectors) as zero-copy views of the index, for scoring every record:
        `vectors @ query` gives every row's cosine, `vectors[rows]` float32 rows."""
        import faiss
        import numpy as np

        n = len(self)
        flat = faiss.downcast_index(self._index.index)
        if n == 0:
            halves = np.zeros((0, self.dim), dtype=np.float16)
            return np.zeros(0, dtype=np.int64), HalfMatrix(flat, halves)
        codes = faiss.rev_swig_ptr(flat.codes.data(), n * self.dim * 2)
        halves = codes.view(np.float16).reshape(n, self.dim)
        return faiss.vector_to_array(self._index.id_map), HalfMatrix(flat, halves)

    def scores_for(self, ids: Sequence[int], vector: np.ndarray) -> dict[int, float]:
        """Cosine of the vector with each of these ids that the index holds."""
        import numpy as np

        if not len(ids):
            return {}
        keys = np.asarray(ids, dtype=np.int64)
        try:
            rows = self._index.reconstruct_batch(keys)  # one C++ call when all are present
        except RuntimeError:
            # Some id is not indexed for this model (yet): score the others one by one.
            present = [int(i) for i in keys if self._has(int(i))]
            if not present:
                return {}
            keys = np.asarray(present, dtype=np.int64)
            rows = self._index.reconstruct_batch(keys)
        return dict(zip(keys.tolist(), (rows @ vector).tolist(), strict=True))

    def _has(self, record_id: int) -> bool:
        try:
            self._index.reconstruct(record_id)
        except RuntimeError:
            return False
        return True

    def vector(self, record_id: int) -> np.ndarray:
        """The stored vector of an id (KeyError when absent)."""
        try:
            return self._index.reconstruct(int(record_id))
        except RuntimeError as exc:
            raise KeyError(record_id) from exc

    # --- persistence ----------------------------------------------------------------

    def save(
        self, directory: Path, name: str, model_name: str, meta: dict[str, Any] | None = None
    ) -> None:
        """Write index and manifest atomically: temp file, fsync, os.replace.

        The data goes to a new file named by its SHA-256 and the manifest, replaced last,
        names it: until that replacement the old manifest still names the old, intact
        data, so a crash at any point leaves the previous index loadable.
        """
        faiss = _faiss()
        directory.mkdir(parents=True, exist_ok=True)
        data = faiss.serialize_index(self._index).tobytes()
        digest = hashlib.sha256(data).hexdigest()
        data_name = f"{name}.{digest[:16]}.faiss"
        manifest = {
            "format": FORMAT_VERSION,
            "model": model_name,
            "dim": self.dim,
            "count": len(self),
            "sha256": digest,
            "file": data_name,
            "meta": meta or {},
        }
        # Two writers (two `matching rebuild`s on a shared volume) each deleted the data
        # file the other was about to name; readers take the shared lock (load_with_meta).
        with _locked(directory, name, fcntl.LOCK_EX):
            _atomic_write(directory / data_name, data)
            _atomic_write(directory / f"{name}.json", json.dumps(manifest).encode())
            # Older data files are garbage now (the manifest names the new one).
            for old in directory.glob(f"{name}.*.faiss"):
                if old.name != data_name and _is_data_name(name, old.name):
                    old.unlink(missing_ok=True)

    @classmethod
    def load(
        cls,
        directory: Path,
        name: str,
        model_name: str,
        dim: int,
        ann_min_vectors: int | None = None,
    ) -> VectorIndex:
        """Load a saved index, refusing anything that does not match exactly."""
        return cls.load_with_meta(directory, name, model_name, dim, ann_min_vectors)[0]

    @classmethod
    def load_with_meta(
        cls,
        directory: Path,
        name: str,
        model_name: str,
        dim: int,
        ann_min_vectors: int | None = None,
    ) -> tuple[VectorIndex, dict[str, Any]]:
        """Load a saved index and the metadata saved in its manifest (see save)."""
        import numpy as np

        faiss = _faiss()
        try:
            with _locked(directory, name, fcntl.LOCK_SH):  # no writer between the two reads
                manifest = json.loads((directory / f"{name}.json").read_text())
                if not isinstance(manifest, dict):
                    raise ValueError("the manifest is not an object")
                data_name = manifest.get("file")
                if not isinstance(data_name, str) or not _is_data_name(name, data_name):
                    raise ValueError(f"the manifest names no data file of {name}")
                data = (directory / data_name).read_bytes()
        except (OSError, ValueError) as exc:
            raise IndexMismatch(f"unreadable index {name}: {exc}") from exc
        expected = {"format": FORMAT_VERSION, "model": model_name, "dim": dim}
        if any(manifest.get(key) != value for key, value in expected.items()):
            raise IndexMismatch(f"index {name} was built for {manifest}, not {expected}")
        if hashlib.sha256(data).hexdigest() != manifest.get("sha256"):
            raise IndexMismatch(f"index {name} does not match its manifest")
        index = cls.__new__(cls)
        index.dim = dim
        # Only the flat storage is saved: the router is rebuilt from it on first search
        # (seconds at 1M, README "Matching"), and the engine, which re-indexes a
        # snapshot's vectors into its own index, never pays for it twice.
        index._setup(ann_min_vectors, name)
        try:
            index._index = faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8))
        except RuntimeError as exc:
            raise IndexMismatch(f"index {name} is corrupt: {exc}") from exc
        if len(index) != manifest.get("count") or index._index.d != dim:
            raise IndexMismatch(f"index {name} count differs from its manifest")
        meta = manifest.get("meta", {})
        return index, meta if isinstance(meta, dict) else {}


def _is_data_name(name: str, data_name: str) -> bool:
    """A data file of this index, in the same directory (never a path)."""
    return re.fullmatch(re.escape(name) + r"\.[0-9a-f]{16}\.faiss", data_name) is not None


@contextmanager
def _locked(directory: Path, name: str, mode: int) -> Iterator[None]:
    """Hold a lock on one index's files (``<name>.lock`` beside them) across processes."""
    with open(directory / f"{name}.lock", "a+b") as handle:
        fcntl.flock(handle, mode)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _atomic_write(path: Path, data: bytes) -> None:
    """Write bytes so that readers see the old file or the new one, never a torn one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
