"""Saved indexes: a starting worker reuses what `matching rebuild` saved, and only that
which still matches the records' current text; a damaged or foreign snapshot is ignored."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import delete

from directory.extensions import db
from directory.matching import snapshot
from directory.matching.engine import Engine
from directory.models import Embedding

from .conftest import FAKE_MODEL, FakeEmbedder, indexed


def _engine(embedder: FakeEmbedder, directory: Path) -> Engine:
    return Engine({FAKE_MODEL: embedder}, snapshot_dir=directory)


def test_a_new_worker_starts_from_the_saved_index(
    records: dict[str, Any], fake_embedder: FakeEmbedder, tmp_path: Path
) -> None:
    first = _engine(fake_embedder, tmp_path)
    first.sync("opening")
    assert first.save() == 1
    # Without stored vectors, a worker could only get them by embedding again.
    db.session.execute(delete(Embedding))
    db.session.commit()
    calls = fake_embedder.calls
    second = _engine(fake_embedder, tmp_path)
    second.sync("opening")
    assert fake_embedder.calls == calls
    assert indexed(second, "opening") == {o.id for o in records["openings"]}
    for opening in records["openings"]:
        np.testing.assert_allclose(
            second.stored_vector("opening", FAKE_MODEL, opening.id),
            first.stored_vector("opening", FAKE_MODEL, opening.id),
        )


def test_a_record_edited_since_the_save_is_not_taken_from_it(
    records: dict[str, Any], fake_embedder: FakeEmbedder, tmp_path: Path
) -> None:
    first = _engine(fake_embedder, tmp_path)
    first.sync("opening")
    first.save()
    edited = records["openings"][0]
    edited.title = "Científica de datos para salud"
    db.session.commit()
    second = _engine(FakeEmbedder(), tmp_path)
    second.sync("opening")
    from directory.matching.documents import document_text

    expected = fake_embedder.vector(document_text("opening", edited))
    np.testing.assert_allclose(
        second.stored_vector("opening", FAKE_MODEL, edited.id), expected, atol=5e-4
    )


def _corrupt(directory: Path) -> None:
    for data in directory.glob("opening.*.faiss"):
        data.write_bytes(data.read_bytes()[:40])


def _foreign(directory: Path) -> None:
    manifest_path = directory / f"{snapshot.file_name('opening', FAKE_MODEL)}.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["model"] = "another-model"
    manifest_path.write_text(json.dumps(manifest))


@pytest.mark.parametrize("damage", [_corrupt, _foreign], ids=["corrupt", "foreign-model"])
def test_a_damaged_snapshot_is_ignored_and_rebuilt_from_the_database(
    records: dict[str, Any],
    fake_embedder: FakeEmbedder,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    damage: Any,
) -> None:
    first = _engine(fake_embedder, tmp_path)
    first.sync("opening")
    first.save()
    damage(tmp_path)
    second = _engine(fake_embedder, tmp_path)
    with caplog.at_level(logging.WARNING, logger="directory.matching.snapshot"):
        second.sync("opening")
    assert "Ignoring the saved index" in caplog.text
    assert indexed(second, "opening") == {o.id for o in records["openings"]}
    for opening in records["openings"]:
        np.testing.assert_allclose(
            second.stored_vector("opening", FAKE_MODEL, opening.id),
            first.stored_vector("opening", FAKE_MODEL, opening.id),
        )


def test_rebuild_saves_and_status_reports_the_saved_index(
    app: Any, records: dict[str, Any], fake_service: Any, tmp_path: Path
) -> None:
    saved_dir = app.config["MATCHING_INDEX_DIR"]
    app.config["MATCHING_INDEX_DIR"] = str(tmp_path)
    fake_service.snapshot_dir = tmp_path
    try:
        runner = app.test_cli_runner()
        before = runner.invoke(args=["matching", "status"])
        assert "no saved index" in before.output
        result = runner.invoke(args=["matching", "rebuild"])
        assert result.exit_code == 0, result.output
        assert "Saved the indexes" in result.output
        assert any(tmp_path.glob("opening.*.faiss"))
        after = runner.invoke(args=["matching", "status"])
        assert "saved index holds 2 of 2 current" in after.output
    finally:
        app.config["MATCHING_INDEX_DIR"] = saved_dir
