"""Matching on the deterministic fake embedder, for security tests that reach match pages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask

from directory.matching.engine import Engine

from ..matching.conftest import FAKE_MODEL, FakeEmbedder


@contextmanager
def fake_matching(app: Flask) -> Iterator[Engine]:
    """Point the app's matching at a fake-embedder engine (no model load), then restore it."""
    saved_weights = app.config["MATCHING_WEIGHTS"]
    saved_engine = app.extensions.pop("matching", None)
    engine = Engine({FAKE_MODEL: FakeEmbedder()})
    app.config["MATCHING_WEIGHTS"] = {FAKE_MODEL: 1.0}
    app.extensions["matching"] = engine
    try:
        yield engine
    finally:
        app.config["MATCHING_WEIGHTS"] = saved_weights
        app.extensions.pop("matching", None)
        if saved_engine is not None:
            app.extensions["matching"] = saved_engine
