"""A disk memo of raw model outputs for the benchmarks: the same text is encoded once.

MELO's two English corpora share most of their 33k names, and a re-run of the benchmark
(or of one configuration) would encode everything again. Only the model call is
memoised: import, storage, indexing and search still run the product's code, so the
figures are those of the product. The memo lives in bench/.cache/ (not committed).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

CACHE = Path(__file__).resolve().parent / ".cache"


class CachedEmbedder:
    """Wraps an embedder; texts already encoded by this model come from the memo."""

    def __init__(self, inner: Any, read_only: bool = False) -> None:
        self._inner = inner
        self._read_only = read_only
        self.model_name = inner.model_name
        self._path = CACHE / f"vectors-{inner.model_name}.npz"
        self._memo: dict[str, np.ndarray] = {}
        self._dirty = 0
        if self._path.exists():
            with np.load(self._path) as data:
                self._memo = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))

    @property
    def dim(self) -> int:
        """The wrapped model's vector size."""
        return self._inner.dim

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha256(text.encode()).hexdigest()[:24]

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Memoised encode; new texts go to the model in one batch."""
        keys = [self._key(text) for text in texts]
        todo = sorted({i for i, key in enumerate(keys) if key not in self._memo})
        if todo:
            fresh = self._inner.embed_documents([texts[i] for i in todo])
            for i, vector in zip(todo, fresh, strict=True):
                self._memo[keys[i]] = vector
            self._dirty += len(todo)
            if self._dirty >= 2000 and not self._read_only:
                self.save()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._memo[key] for key in keys])

    def embed_query(self, text: str) -> np.ndarray:
        """Memoised single encode."""
        return self.embed_documents([text])[0]

    def save(self) -> None:
        """Write the memo (atomically enough for a benchmark: temp file, then rename)."""
        if not self._dirty:
            return
        CACHE.mkdir(exist_ok=True)
        keys = np.array(list(self._memo))
        vectors = np.stack(list(self._memo.values())).astype(np.float32)
        tmp = self._path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=keys, vectors=vectors)
        tmp.replace(self._path)
        self._dirty = 0


def install(read_only: bool = False) -> Callable[[], None]:
    """Make the product's get_embedder hand out memoised embedders; returns save_all().

    read_only: use the memo but never write it (for a run beside another that writes).
    """
    from directory.matching import embedder as module

    real = module.get_embedder
    made: dict[str, CachedEmbedder] = {}

    def cached(model: str = module.DEFAULT_MODEL) -> CachedEmbedder:
        if model not in made:
            made[model] = CachedEmbedder(real(model), read_only)
        return made[model]

    def save_all() -> None:
        for embedder in made.values():
            if not read_only:
                embedder.save()

    module.get_embedder = cached  # type: ignore[assignment]
    return save_all
