"""Matching fixtures: a deterministic fake embedder for unit tests, the real one for a few.

The fake hashes character trigrams of the lower-cased text into 64 dimensions: texts that
share words land close together, it needs no model, and it counts what it embeds so tests
can prove that unchanged text is never embedded twice.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from flask import Flask
from sqlalchemy import func, select

from directory.extensions import db
from directory.matching import embed_service
from directory.matching.engine import Engine
from directory.models import Embedding, Status
from tests import factories

FAKE_MODEL = "fake-hash"
FAKE_DIM = 64


class FakeEmbedder:
    """Character-trigram hashing into 64 L2-normalised dimensions; counts its calls."""

    model_name = FAKE_MODEL
    dim = FAKE_DIM

    def __init__(self) -> None:
        self.calls = 0  # embed_documents calls
        self.embedded: list[str] = []  # every document text embedded, in order

    def vector(self, text: str) -> np.ndarray:
        """The vector of one text (no bookkeeping)."""
        out = np.zeros(FAKE_DIM, dtype=np.float32)
        padded = f"  {text.lower()}  "
        for i in range(len(padded) - 2):
            out[zlib.crc32(padded[i : i + 3].encode()) % FAKE_DIM] += 1.0
        norm = float(np.linalg.norm(out))
        return out / norm if norm else out

    def embed_documents(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts, remembering them."""
        self.calls += 1
        self.embedded.extend(texts)
        if not texts:
            return np.zeros((0, FAKE_DIM), dtype=np.float32)
        return np.stack([self.vector(text) for text in texts])

    def embed_query(self, text: str) -> np.ndarray:
        """Embed a query (not counted as a document)."""
        return self.vector(text)


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    """A fresh fake embedder."""
    return FakeEmbedder()


@contextmanager
def fake_matching(app: Flask, embedder: FakeEmbedder | None = None) -> Iterator[Engine]:
    """Point the app's matching at an Engine on the fake embedder (no model load), then
    restore the app as it was."""
    saved_weights = app.config["MATCHING_WEIGHTS"]
    saved_engine = app.extensions.pop("matching", None)
    engine = Engine({FAKE_MODEL: embedder or FakeEmbedder()})
    app.config["MATCHING_WEIGHTS"] = {FAKE_MODEL: 1.0}
    app.extensions["matching"] = engine
    try:
        yield engine
    finally:
        app.config["MATCHING_WEIGHTS"] = saved_weights
        app.extensions.pop("matching", None)
        if saved_engine is not None:
            app.extensions["matching"] = saved_engine


@pytest.fixture
def fake_service(app: Flask, fake_embedder: FakeEmbedder) -> Iterator[Any]:
    """Point matching.service at an Engine on the fake embedder, restoring the app after."""
    with fake_matching(app, fake_embedder) as engine:
        yield engine


@pytest.fixture(scope="session")
def real_embedder() -> Any:
    """The production embedder (all-MiniLM-L6-v2), loaded once for the session."""
    from directory.matching.embedder import get_embedder

    embedder = get_embedder()
    embedder.embed_query("warm up")
    return embedder


@contextmanager
def running(
    embedders: Mapping[str, Any], path: str | None = None, *, lazy: bool = True
) -> Iterator[str]:
    """An embedding service (embed_service.py) on these embedders in a thread; yields its
    socket path. Not lazy: it answers pings as not ready until `.load()` is called on the
    service, found in SERVICES[path]."""
    directory = None
    if path is None:
        # A short private directory: socket paths are limited to ~100 bytes.
        directory = tempfile.mkdtemp(prefix="emb-")
        path = str(Path(directory) / "embed.sock")
    service = embed_service.EmbedService(embedders, lazy=lazy)
    server = embed_service.bind(path, service)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    SERVICES[path] = service
    try:
        yield path
    finally:
        SERVICES.pop(path, None)
        server.shutdown()
        server.close_connections()  # as when the process ends
        server.server_close()
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)


SERVICES: dict[str, embed_service.EmbedService] = {}


# --- engine helpers -------------------------------------------------------------------


def make_engine(embedder: FakeEmbedder | None = None) -> Engine:
    """An engine on the fake embedder only."""
    return Engine({FAKE_MODEL: embedder or FakeEmbedder()})


def indexed(engine: Engine, kind: str) -> set[int]:
    """Ids the engine can match, checking that dense, text and lexical state agree."""
    state = engine.kinds[kind]
    index = state.dense.get(FAKE_MODEL)
    dense = index.ids() if index is not None else set()
    assert dense == set(state.hashes) == set(state.names) == set(state.languages)
    if state.lexical is not None:
        assert set(state.lexical.ids.tolist()) == dense
    return dense


def stored(kind: str) -> dict[int, Embedding]:
    """Stored vectors of a kind, by record id."""
    rows = db.session.scalars(select(Embedding).where(Embedding.kind == kind))
    return {row.record_id: row for row in rows}


def embedding_count() -> int:
    """Rows in the embeddings table."""
    return db.session.scalar(select(func.count(Embedding.id))) or 0


@pytest.fixture
def records(app_ctx: Any) -> dict[str, Any]:
    """Two published openings, a draft one, two public profiles and a private one."""
    org = factories.org()
    return {
        "org": org,
        "openings": [
            factories.opening(org, title="Ingeniería de visión"),
            factories.opening(org, title="Data engineer", skill_slugs=("python",)),
        ],
        "draft": factories.opening(org, status=Status.DRAFT, title="Borrador"),
        "profiles": [factories.profile(), factories.profile(headline="Científica de datos")],
        "private": factories.profile(visibility="private"),
    }
