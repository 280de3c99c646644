"""A FAISS index of one kind of record, keyed by database id, saved atomically."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

FORMAT_VERSION = 1


class IndexMismatch(Exception):
    """A saved index that must not be trusted (corrupt, foreign model, other format)."""


def _faiss() -> Any:
    import faiss

    # One query at a time: more threads only add overhead (measured in TOOLING.md).
    faiss.omp_set_num_threads(1)
    return faiss


class VectorIndex:
    """Exact inner-product search over normalised vectors (= cosine) with database ids.

    Exact search answers in a few ms up to ~200k vectors per kind, far beyond this
    directory's size, and unlike HNSW it supports removing ids in place.
    """

    def __init__(self, dim: int) -> None:
        faiss = _faiss()
        self.dim = dim
        self._index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))

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
        self._index.remove_ids(id_array)
        self._index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), id_array)

    def remove(self, ids: Sequence[int]) -> int:
        """Remove ids (in one batch: each removal compacts the whole index)."""
        import numpy as np

        if len(ids) == 0:
            return 0
        return int(self._index.remove_ids(np.asarray(ids, dtype=np.int64)))

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The k nearest ids with their cosine similarity, best first."""
        import numpy as np

        if len(self) == 0 or k <= 0:
            return []
        query = np.ascontiguousarray(vector.reshape(1, -1), dtype=np.float32)
        scores, ids = self._index.search(query, min(k, len(self)))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i != -1]

    def matrix(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) as zero-copy views of the index, for scoring every record."""
        import faiss
        import numpy as np

        n = len(self)
        if n == 0:
            return np.zeros(0, dtype=np.int64), np.zeros((0, self.dim), dtype=np.float32)
        flat = faiss.downcast_index(self._index.index)
        vectors = faiss.rev_swig_ptr(flat.get_xb(), n * self.dim).reshape(n, self.dim)
        return faiss.vector_to_array(self._index.id_map), vectors

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
        _atomic_write(directory / data_name, data)
        _atomic_write(directory / f"{name}.json", json.dumps(manifest).encode())
        # Older data files are garbage now; keep whatever the manifest on disk names, in
        # case another process saved in between.
        keep = {data_name, _manifest_file(directory, name)}
        for old in directory.glob(f"{name}.*.faiss"):
            if old.name not in keep and _is_data_name(name, old.name):
                old.unlink(missing_ok=True)

    @classmethod
    def load(cls, directory: Path, name: str, model_name: str, dim: int) -> VectorIndex:
        """Load a saved index, refusing anything that does not match exactly."""
        return cls.load_with_meta(directory, name, model_name, dim)[0]

    @classmethod
    def load_with_meta(
        cls, directory: Path, name: str, model_name: str, dim: int
    ) -> tuple[VectorIndex, dict[str, Any]]:
        """Load a saved index and the metadata saved in its manifest (see save)."""
        import numpy as np

        faiss = _faiss()
        try:
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


def _manifest_file(directory: Path, name: str) -> str:
    """The data file the manifest on disk names ("" when unreadable)."""
    try:
        manifest = json.loads((directory / f"{name}.json").read_text())
    except (OSError, ValueError):
        return ""
    return str(manifest.get("file", "")) if isinstance(manifest, dict) else ""


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
