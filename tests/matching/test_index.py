"""The FAISS index: ids, replacement, removal, exactness and crash-safe persistence."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from directory.matching.index import IndexMismatch, VectorIndex

# Vectors are stored as float16: a unit vector's cosines move by at most 2⁻¹¹ (index.py).
HALF = 5e-4

DIM = 8
MODEL = "fake-hash"


def unit(*values: float) -> np.ndarray:
    """A normalised DIM-vector from its first components."""
    vector = np.zeros(DIM, dtype=np.float32)
    vector[: len(values)] = values
    return vector / np.linalg.norm(vector)


def random_unit(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    matrix = rng.normal(size=(n, DIM)).astype(np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def brute_force(ids: np.ndarray, matrix: np.ndarray, query: np.ndarray, k: int) -> list[int]:
    """Exact top-k by inner product, ties broken by id."""
    scores = matrix @ query
    order = np.lexsort((ids, -scores))[:k]
    return [int(ids[i]) for i in order]


def data_files(directory: Path, name: str) -> list[Path]:
    """The saved index data files (not temp files) of one index."""
    return [p for p in directory.glob(f"{name}*.faiss") if not p.name.startswith(".")]


def current_data_file(directory: Path, name: str) -> Path:
    manifest = json.loads((directory / f"{name}.json").read_text())
    return directory / manifest.get("file", f"{name}.faiss")


# --- in memory ------------------------------------------------------------------------


def test_empty_index_answers_nothing() -> None:
    index = VectorIndex(DIM)
    assert len(index) == 0
    assert index.ids() == set()
    assert index.search(unit(1), 10) == []
    ids, matrix = index.matrix()
    assert ids.shape == (0,) and matrix.shape == (0, DIM)
    with pytest.raises(KeyError):
        index.vector(1)
    assert index.remove([1, 2]) == 0
    index.upsert([], np.zeros((0, DIM), dtype=np.float32))
    assert len(index) == 0


def test_search_returns_best_first_and_at_most_size_when_k_is_larger() -> None:
    index = VectorIndex(DIM)
    index.upsert([10, 20, 30], np.stack([unit(1), unit(1, 1), unit(0, 1)]))
    hits = index.search(unit(1), 50)
    assert [record_id for record_id, _ in hits] == [10, 20, 30]
    assert hits[0][1] == pytest.approx(1.0, abs=HALF)
    assert hits[1][1] == pytest.approx(np.sqrt(0.5), abs=HALF)
    assert index.search(unit(1), 0) == []
    assert len(index.search(unit(1), 2)) == 2


def test_upsert_replaces_the_vector_under_the_same_id() -> None:
    index = VectorIndex(DIM)
    index.upsert([1, 2], np.stack([unit(1), unit(0, 1)]))
    index.upsert([1], unit(0, 0, 1).reshape(1, -1))
    assert len(index) == 2
    assert index.ids() == {1, 2}
    np.testing.assert_allclose(index.vector(1), unit(0, 0, 1))
    assert index.search(unit(0, 0, 1), 1)[0][0] == 1
    assert index.search(unit(1), 1)[0][1] < 0.5  # the old vector is gone


def test_remove_in_batch_ignores_unknown_ids() -> None:
    index = VectorIndex(DIM)
    vectors = random_unit(6)
    index.upsert([1, 2, 3, 4, 5, 6], vectors)
    assert index.remove([2, 4, 99]) == 2
    assert index.ids() == {1, 3, 5, 6}
    with pytest.raises(KeyError):
        index.vector(2)
    np.testing.assert_allclose(index.vector(5), vectors[4], atol=HALF)
    assert {record_id for record_id, _ in index.search(vectors[1], 10)} == {1, 3, 5, 6}


def test_matrix_stays_aligned_with_ids_after_removals_and_replacements() -> None:
    """dense_scores relies on matrix(): row i must be the vector of ids[i]."""
    index = VectorIndex(DIM)
    vectors = random_unit(20, seed=1)
    expected = {i + 100: vectors[i] for i in range(20)}
    index.upsert(list(expected), vectors)
    index.remove([100, 105, 119])
    for gone in (100, 105, 119):
        expected.pop(gone)
    replacement = random_unit(2, seed=2)
    index.upsert([103, 110], replacement)
    expected[103], expected[110] = replacement[0], replacement[1]
    ids, matrix = index.matrix()
    assert sorted(ids.tolist()) == sorted(expected)
    for row, record_id in enumerate(ids.tolist()):
        np.testing.assert_allclose(matrix[row], expected[record_id], atol=HALF)


def test_flat_index_equals_brute_force_on_real_embeddings(real_embedder: Any) -> None:
    """Recall@10 of the index against exact numpy search is 1.0 on ~400 real texts."""
    vocabulary = json.loads(
        (Path(__file__).resolve().parents[2] / "directory/data/skills.json").read_text()
    )
    texts = sorted({t for s in vocabulary for t in (s["label_es"], s["label_en"])})
    assert len(texts) >= 300
    texts = texts[:: max(1, len(texts) // 400)][:400]  # an even sample: the vocabulary grows
    vectors = real_embedder.embed_documents(texts)
    assert vectors.shape == (len(texts), real_embedder.dim)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    ids = np.arange(1000, 1000 + len(texts), dtype=np.int64)
    index = VectorIndex(real_embedder.dim)
    index.upsert(ids.tolist(), vectors)

    queries = ["visión por computadora", "machine learning engineer", "procesamiento de texto"]
    query_vectors = [real_embedder.embed_query(q) for q in queries] + list(vectors[::25])
    recalls = []
    for query in query_vectors:
        found = [record_id for record_id, _ in index.search(query, 10)]
        exact = brute_force(ids, vectors, query, 10)
        recalls.append(len(set(found) & set(exact)) / 10)
    assert recalls and min(recalls) == 1.0

    # Still exact after removing a third of the texts in one batch.
    doomed = ids[::3]
    index.remove(doomed.tolist())
    keep = ~np.isin(ids, doomed)
    for query in query_vectors[:5]:
        found = [record_id for record_id, _ in index.search(query, 10)]
        assert set(found) == set(brute_force(ids[keep], vectors[keep], query, 10))


# --- persistence ----------------------------------------------------------------------


@pytest.fixture
def saved(tmp_path: Path) -> tuple[Path, VectorIndex]:
    index = VectorIndex(DIM)
    index.upsert([7, 8, 9], random_unit(3, seed=3))
    index.save(tmp_path, "profile", MODEL)
    return tmp_path, index


def test_save_and_load_round_trip(saved: tuple[Path, VectorIndex]) -> None:
    directory, index = saved
    loaded = VectorIndex.load(directory, "profile", MODEL, DIM)
    assert loaded.ids() == {7, 8, 9}
    query = random_unit(1, seed=4)[0]
    assert loaded.search(query, 3) == index.search(query, 3)
    np.testing.assert_allclose(loaded.vector(8), index.vector(8))
    # What was loaded keeps working as an index.
    loaded.upsert([10], random_unit(1, seed=5))
    assert len(loaded) == 4
    # No temp files are left behind.
    assert not [p for p in directory.iterdir() if p.name.startswith(".")]


def test_missing_index_is_a_mismatch(tmp_path: Path) -> None:
    with pytest.raises(IndexMismatch):
        VectorIndex.load(tmp_path, "profile", MODEL, DIM)


@pytest.mark.parametrize(
    "manifest_text", ["{not json", "null", "[1, 2]", '"text"', "", '{"format": 1}']
)
def test_corrupt_manifest_is_a_mismatch(
    saved: tuple[Path, VectorIndex], manifest_text: str
) -> None:
    directory, _ = saved
    (directory / "profile.json").write_text(manifest_text)
    with pytest.raises(IndexMismatch):
        VectorIndex.load(directory, "profile", MODEL, DIM)


def _rewrite_data(directory: Path, data: bytes, *, fix_manifest: bool) -> None:
    """Replace the saved data bytes, optionally making the manifest's hash agree."""
    import hashlib

    path = current_data_file(directory, "profile")
    path.write_bytes(data)
    if fix_manifest:
        manifest = json.loads((directory / "profile.json").read_text())
        manifest["sha256"] = hashlib.sha256(data).hexdigest()
        (directory / "profile.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize("fix_manifest", [False, True])
def test_corrupt_index_file_is_a_mismatch(
    saved: tuple[Path, VectorIndex], fix_manifest: bool
) -> None:
    directory, _ = saved
    _rewrite_data(directory, b"this is not a faiss index" * 10, fix_manifest=fix_manifest)
    with pytest.raises(IndexMismatch):
        VectorIndex.load(directory, "profile", MODEL, DIM)


@pytest.mark.parametrize("fix_manifest", [False, True])
def test_truncated_index_file_is_a_mismatch(
    saved: tuple[Path, VectorIndex], fix_manifest: bool
) -> None:
    directory, _ = saved
    data = current_data_file(directory, "profile").read_bytes()
    _rewrite_data(directory, data[: len(data) // 2], fix_manifest=fix_manifest)
    with pytest.raises(IndexMismatch):
        VectorIndex.load(directory, "profile", MODEL, DIM)


def test_index_of_another_model_or_dimension_is_a_mismatch(
    saved: tuple[Path, VectorIndex],
) -> None:
    directory, _ = saved
    with pytest.raises(IndexMismatch):
        VectorIndex.load(directory, "profile", "another-model", DIM)
    with pytest.raises(IndexMismatch):
        VectorIndex.load(directory, "profile", MODEL, DIM * 2)
    manifest = json.loads((directory / "profile.json").read_text())
    for key, value in (("model", "another-model"), ("dim", DIM * 2), ("format", 99)):
        (directory / "profile.json").write_text(json.dumps(manifest | {key: value}))
        with pytest.raises(IndexMismatch):
            VectorIndex.load(directory, "profile", MODEL, DIM)


def test_manifest_whose_hash_does_not_match_is_a_mismatch(
    saved: tuple[Path, VectorIndex],
) -> None:
    """What a crash between writing the data and the manifest would look like."""
    directory, _ = saved
    manifest = json.loads((directory / "profile.json").read_text())
    manifest["sha256"] = "0" * 64
    (directory / "profile.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatch):
        VectorIndex.load(directory, "profile", MODEL, DIM)


def test_manifest_whose_count_does_not_match_is_a_mismatch(
    saved: tuple[Path, VectorIndex],
) -> None:
    directory, _ = saved
    manifest = json.loads((directory / "profile.json").read_text())
    (directory / "profile.json").write_text(json.dumps(manifest | {"count": 4}))
    with pytest.raises(IndexMismatch):
        VectorIndex.load(directory, "profile", MODEL, DIM)


def test_manifest_cannot_point_outside_its_directory(saved: tuple[Path, VectorIndex]) -> None:
    directory, _ = saved
    manifest = json.loads((directory / "profile.json").read_text())
    if "file" not in manifest:
        pytest.skip("the manifest names no data file")
    outside = directory.parent / "elsewhere.faiss"
    outside.write_bytes(current_data_file(directory, "profile").read_bytes())
    for bad in ("../elsewhere.faiss", str(outside), "sub/profile.faiss"):
        (directory / "profile.json").write_text(json.dumps(manifest | {"file": bad}))
        with pytest.raises(IndexMismatch):
            VectorIndex.load(directory, "profile", MODEL, DIM)


def _failing_replace(monkeypatch: pytest.MonkeyPatch, suffix: str) -> None:
    """Make os.replace raise, as a crash would, when it installs a file ending in suffix."""
    real_replace = os.replace

    def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if str(dst).endswith(suffix):
            raise OSError("simulated crash")
        real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.parametrize("crash_on", [".json", ".faiss"])
def test_crash_during_save_leaves_the_previous_index_loadable(
    saved: tuple[Path, VectorIndex], monkeypatch: pytest.MonkeyPatch, crash_on: str
) -> None:
    directory, old = saved
    new = VectorIndex(DIM)
    new.upsert([1, 2, 3, 4], random_unit(4, seed=6))
    _failing_replace(monkeypatch, crash_on)
    with pytest.raises(OSError, match="simulated crash"):
        new.save(directory, "profile", MODEL)
    monkeypatch.undo()
    loaded = VectorIndex.load(directory, "profile", MODEL, DIM)
    assert loaded.ids() == old.ids() == {7, 8, 9}
    assert not [p for p in directory.iterdir() if p.name.startswith(".")]
    # The next save succeeds and replaces it, leaving one data file.
    new.save(directory, "profile", MODEL)
    assert VectorIndex.load(directory, "profile", MODEL, DIM).ids() == {1, 2, 3, 4}
    assert len(data_files(directory, "profile")) == 1


def test_indexes_of_different_names_do_not_disturb_each_other(tmp_path: Path) -> None:
    first, second = VectorIndex(DIM), VectorIndex(DIM)
    first.upsert([1], random_unit(1, seed=7))
    second.upsert([2, 3], random_unit(2, seed=8))
    first.save(tmp_path, "opening", MODEL)
    second.save(tmp_path, "opening-2", MODEL)
    first.save(tmp_path, "opening", MODEL)
    assert VectorIndex.load(tmp_path, "opening", MODEL, DIM).ids() == {1}
    assert VectorIndex.load(tmp_path, "opening-2", MODEL, DIM).ids() == {2, 3}


def test_scores_for_gives_exact_cosines_and_skips_ids_not_indexed() -> None:
    index = VectorIndex(DIM)
    matrix = random_unit(20, seed=3)
    ids = np.arange(100, 120)
    index.upsert(ids.tolist(), matrix)
    query = random_unit(1, seed=4)[0]
    scores = index.scores_for([105, 999, 117], query)
    assert set(scores) == {105, 117}  # 999 is not indexed: no score, no error
    assert scores[105] == pytest.approx(float(matrix[5] @ query), abs=HALF)
    assert scores[117] == pytest.approx(float(matrix[17] @ query), abs=HALF)
    assert index.scores_for([], query) == {}
    assert index.scores_for([999], query) == {}


def test_matrix_scores_every_row_as_its_stored_vector_does() -> None:
    """Search's full scan (`matrix @ query`) runs on the float16 storage, row by row aligned
    with the ids, and equals each stored vector's cosine."""
    index = VectorIndex(DIM)
    vectors = random_unit(300, seed=11)
    index.upsert(list(range(1000, 1300)), vectors)
    index.remove([1000, 1150])
    ids, matrix = index.matrix()
    query = random_unit(1, seed=12)[0]
    scores = matrix @ query
    assert scores.dtype == np.float32 and scores.shape == (298,)
    for row, record_id in enumerate(ids.tolist()):
        assert scores[row] == pytest.approx(float(index.vector(record_id) @ query), abs=1e-5)
        assert scores[row] == pytest.approx(float(vectors[record_id - 1000] @ query), abs=HALF)
