"""The approximate index: the switch by size, recall against exact search, removals that
stay removed, replacement, persistence and the raw vectors (no model: random clusters)."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
from flask import Flask

from directory.matching import ann
from directory.matching.engine import Engine
from directory.matching.index import VectorIndex

# Vectors are stored as float16: a unit vector's cosines move by at most 2⁻¹¹ (index.py).
HALF = 5e-4

DIM = 32
THRESHOLD = 1000


def clustered(n: int, seed: int = 0, centres: int = 40) -> np.ndarray:
    """n normalised vectors around random centres: neighbours mean something, as in real
    embeddings (on uniform noise any approximate index looks useless)."""
    rng = np.random.default_rng(seed)
    middle = np.random.default_rng(99).normal(size=(centres, DIM)).astype(np.float32)
    vectors = middle[rng.integers(0, centres, n)] + 0.35 * rng.normal(size=(n, DIM))
    vectors = vectors.astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def built(n: int, threshold: int = THRESHOLD, seed: int = 0) -> tuple[VectorIndex, np.ndarray]:
    """An index of ids 1..n over clustered vectors, approximate from `threshold`."""
    vectors = clustered(n, seed)
    index = VectorIndex(DIM, ann_min_vectors=threshold, label="index test/fake")
    index.upsert(list(range(1, n + 1)), vectors)
    return index, vectors


def exact_top(vectors: np.ndarray, ids: np.ndarray, query: np.ndarray, k: int) -> list[int]:
    """The exact k nearest ids by inner product."""
    return [int(ids[i]) for i in np.argsort(-(vectors @ query), kind="stable")[:k]]


def test_the_switch_happens_at_the_threshold_and_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="directory.matching.index")
    vectors = clustered(THRESHOLD)
    index = VectorIndex(DIM, ann_min_vectors=THRESHOLD, label="index opening/fake")
    index.upsert(list(range(1, THRESHOLD)), vectors[:-1])
    assert not index.approximate
    assert "index opening/fake: 999 vectors, exact (approximate from 1,000)" in caplog.messages
    index.upsert([THRESHOLD], vectors[-1:])
    assert index.approximate
    built_lines = [m for m in caplog.messages if "vectors, IVF" in m]
    assert len(built_lines) == 1  # once per build, not per upsert
    assert built_lines[0].startswith("index opening/fake: 1,000 vectors, IVF")
    assert "nprobe=" in built_lines[0] and "(exact below 1,000)" in built_lines[0]
    index.upsert([5], vectors[4:5])  # an ordinary change: no new build, no new line
    assert len([m for m in caplog.messages if "vectors, IVF" in m]) == 1


def test_it_turns_exact_again_below_half_the_threshold(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="directory.matching.index")
    index, _ = built(THRESHOLD)
    index.remove(list(range(1, 300)))  # 701 left: above half, stays approximate
    assert index.approximate
    index.remove(list(range(300, 600)))
    assert not index.approximate
    assert "index test/fake: 401 vectors, exact (approximate from 1,000)" in caplog.messages


def test_recall_at_10_against_exact_search() -> None:
    index, vectors = built(4000)
    assert index.approximate
    ids = np.arange(1, 4001)
    queries = clustered(200, seed=1)  # not stored: like a profile asking for openings
    hits = 0
    for query in queries:
        found = [record_id for record_id, _ in index.search(query, 10)]
        hits += len(set(found) & set(exact_top(vectors, ids, query, 10)))
    assert hits / (10 * len(queries)) >= 0.97


def test_scores_are_exact_cosines_best_first() -> None:
    index, vectors = built(2000)
    query = clustered(1, seed=3)[0]
    results = index.search(query, 20)
    assert len(results) == 20
    scores = [score for _, score in results]
    assert scores == sorted(scores, reverse=True)
    for record_id, score in results:
        assert score == pytest.approx(float(vectors[record_id - 1] @ query), abs=HALF)


def test_removed_ids_never_come_back() -> None:
    index, vectors = built(3000)
    removed = list(range(1, 3001, 7))
    index.remove(removed)
    assert index.approximate
    gone = set(removed)
    for query in list(vectors[np.asarray(removed[:50]) - 1]) + list(clustered(50, seed=5)):
        found = {record_id for record_id, _ in index.search(query, 200)}
        assert not found & gone
    # Upserts after the removals (the router's cells change) do not revive them either.
    index.upsert([5000, 5001], clustered(2, seed=6))
    for record_id in removed[:20]:
        assert record_id not in dict(index.search(vectors[record_id - 1], 50))
        with pytest.raises(KeyError):
            index.vector(record_id)


def test_upsert_of_an_existing_id_replaces_its_vector() -> None:
    index, vectors = built(2000)
    new = clustered(1, seed=8, centres=3)[0]
    index.upsert([42], new[None])
    assert len(index) == 2000
    np.testing.assert_allclose(index.vector(42), new, atol=HALF)
    assert index.search(new, 1)[0][0] == 42
    assert index.search(new, 1)[0][1] == pytest.approx(1.0, abs=HALF)
    # Searched with its old vector, 42 scores as its new vector does.
    old_hits = dict(index.search(vectors[41], 200))
    if 42 in old_hits:
        assert old_hits[42] == pytest.approx(float(new @ vectors[41]), abs=HALF)


def test_matrix_and_vector_still_read_the_stored_vectors() -> None:
    index, vectors = built(1500)
    assert index.approximate
    ids, matrix = index.matrix()
    assert len(ids) == len(matrix) == 1500
    np.testing.assert_allclose(matrix[np.argsort(ids)], vectors, atol=HALF)
    np.testing.assert_allclose(index.vector(77), vectors[76], atol=HALF)
    scores = index.scores_for([3, 9], vectors[0])
    assert scores[3] == pytest.approx(float(vectors[2] @ vectors[0]), abs=HALF)


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    index, vectors = built(2500)
    index.remove([10, 11, 12])
    index.save(tmp_path, "opening.fake", "fake", {"hashes": {}})
    loaded = VectorIndex.load(tmp_path, "opening.fake", "fake", DIM, ann_min_vectors=THRESHOLD)
    assert len(loaded) == len(index) == 2497
    # The router is rebuilt from the saved vectors on first search, as calibrated as before.
    query = clustered(1, seed=9)[0]
    first = loaded.search(query, 10)
    assert loaded.approximate
    ids = np.arange(1, 2501)
    keep = ~np.isin(ids, [10, 11, 12])
    expected = exact_top(vectors[keep], ids[keep], query, 10)
    assert len({i for i, _ in first} & set(expected)) >= 9
    assert not {10, 11, 12} & {i for i, _ in loaded.search(vectors[10], 100)}
    np.testing.assert_allclose(loaded.vector(99), vectors[98], atol=HALF)


def test_cells_keep_enough_vectors_for_k_means() -> None:
    assert ann.cells_for(1_000_000) == 1024
    assert ann.cells_for(200_000) == 512
    assert ann.cells_for(4000) == 64
    assert ann.cells_for(10) == 1


def test_the_engine_reads_the_threshold_from_the_config(app: Flask) -> None:
    with app.app_context():
        assert Engine({})._ann_min_vectors() == app.config["MATCHING_ANN_MIN_VECTORS"]
        app.config["MATCHING_ANN_MIN_VECTORS"] = 1234
        try:
            assert Engine({})._ann_min_vectors() == 1234
            assert Engine({}, ann_min_vectors=5)._ann_min_vectors() == 5
        finally:
            app.config["MATCHING_ANN_MIN_VECTORS"] = 200_000
    assert Engine({})._ann_min_vectors() is None  # outside an app: ann.py's default


def test_the_engine_switches_by_size_and_forgets_what_leaves(
    app_ctx: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    from directory.extensions import db
    from directory.models import Status
    from tests import factories
    from tests.matching.conftest import FAKE_MODEL, FakeEmbedder

    caplog.set_level(logging.INFO, logger="directory.matching.index")
    org = factories.org()
    openings = [factories.opening(org, title=f"Ingeniería de datos {i}") for i in range(50)]
    embedder = FakeEmbedder()
    engine = Engine({FAKE_MODEL: embedder}, ann_min_vectors=40)
    engine.sync("opening")
    assert engine.kinds["opening"].dense[FAKE_MODEL].approximate
    assert any(
        m.startswith(f"index opening/{FAKE_MODEL}: 50 vectors, IVF") for m in caplog.messages
    )
    gone = openings[3]
    gone.status = Status.ARCHIVED
    db.session.commit()
    engine.sync("opening")
    query = embedder.vector("Ingeniería de datos 3")
    hits = engine.neighbours("opening", FAKE_MODEL, query, 200)
    # The cells probed hold most records, never the archived one.
    assert len(hits) >= 10 and gone.id not in dict(hits)
