"""Pages that do not match never load the model: heavy libraries are imported lazily."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest

HEAVY = ("torch", "sentence_transformers", "faiss", "sklearn")

SCRIPT = textwrap.dedent(
    """
    import sys, tempfile, os
    import directory
    from directory import create_app
    from directory.extensions import db

    tmp = tempfile.mkdtemp()
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "lazy-import-test-secret-key-0123456789abcdef",
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(tmp, "lazy.sqlite3"),
    })
    with app.app_context():
        db.create_all()
    client = app.test_client()
    for url in ("/", "/directory", "/login", "/stories"):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    # Importing the matching package and its pure modules must stay light too.
    import directory.matching.service, directory.matching.engine, directory.matching.ranking
    heavy = [name for name in %r if name in sys.modules]
    print("HEAVY=" + ",".join(heavy))
    """
)


def test_pages_do_not_import_the_model_or_faiss(tmp_path: Path) -> None:
    """A fresh process that creates the app and renders pages imports none of them."""
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT % (HEAVY,)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "HEAVY=\n" in result.stdout + "\n", result.stdout


class CountingModel:
    """Stands in for SentenceTransformer and counts how often a model is built."""

    built = 0
    lock = threading.Lock()

    def __init__(self, path: str, device: str = "cpu") -> None:
        with CountingModel.lock:
            CountingModel.built += 1

    def get_embedding_dimension(self) -> int:
        return 8


def test_model_is_loaded_at_most_once_per_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many threads asking for the embedder of one model share one loaded model."""
    import sentence_transformers

    from directory.matching import embedder as embedder_module

    monkeypatch.setattr(sentence_transformers, "SentenceTransformer", CountingModel)
    # A slow constructor widens the window in which two threads could both miss the cache.
    original_init = embedder_module.SentenceTransformerEmbedder.__init__

    def slow_init(self: Any, *args: Any, **kwargs: Any) -> None:
        time.sleep(0.05)
        original_init(self, *args, **kwargs)

    monkeypatch.setattr(embedder_module.SentenceTransformerEmbedder, "__init__", slow_init)
    CountingModel.built = 0
    model_dir = str(tmp_path)  # resolve_model_path accepts a directory
    embedder_module.get_embedder.cache_clear()
    try:
        seen: list[Any] = []
        barrier = threading.Barrier(8)

        def ask() -> None:
            barrier.wait()
            embedder = embedder_module.get_embedder(model_dir)
            seen.append((embedder, embedder._load(), embedder.dim))

        threads = [threading.Thread(target=ask) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(seen) == 8
        assert len({id(embedder) for embedder, _, _ in seen}) == 1
        assert len({id(model) for _, model, _ in seen}) == 1
        assert CountingModel.built == 1
        # Asking again later reuses the same loaded model.
        assert embedder_module.get_embedder(model_dir)._load() is seen[0][1]
        assert CountingModel.built == 1
    finally:
        embedder_module.get_embedder.cache_clear()


def test_service_builds_one_engine_per_app(app: Any) -> None:
    """The service keeps its engine (and so its embedders) for the life of the app."""
    from directory.matching import service

    saved = app.extensions.pop("matching", None)
    try:
        with app.app_context():
            first = service.engine()
            second = service.engine()
        assert first is second
        # Its embedders are the process-wide ones: one model per process, not per app.
        from directory.matching.embedder import get_embedder

        for name, embedder in first.embedders.items():
            assert embedder is get_embedder(name)
    finally:
        app.extensions.pop("matching", None)
        if saved is not None:
            app.extensions["matching"] = saved
