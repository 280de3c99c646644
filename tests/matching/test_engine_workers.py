"""Several workers, one database: each keeps its own index and none embeds twice."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import insert, select

from directory.extensions import db
from directory.matching.documents import document_text, text_hash
from directory.models import Embedding, Status
from tests import factories

from .conftest import (
    FAKE_DIM,
    FAKE_MODEL,
    FakeEmbedder,
    embedding_count,
    indexed,
    make_engine,
)


def test_a_new_engine_on_the_same_database_reuses_stored_vectors(
    records: dict[str, Any], fake_embedder: FakeEmbedder
) -> None:
    """A second worker (or a restart) embeds nothing: the vectors are in the database."""
    first = make_engine(fake_embedder)
    first.sync("opening")
    first.sync("profile")
    other_embedder = FakeEmbedder()
    second = make_engine(other_embedder)
    assert second.sync("opening") == 2
    assert second.sync("profile") == 2
    assert other_embedder.calls == 0
    assert indexed(second, "opening") == indexed(first, "opening")
    for opening in records["openings"]:
        np.testing.assert_allclose(
            second.stored_vector("opening", FAKE_MODEL, opening.id),
            first.stored_vector("opening", FAKE_MODEL, opening.id),
        )
    # After reset the same engine rebuilds from the database, again without embedding.
    first.reset()
    calls = fake_embedder.calls
    first.sync("opening")
    assert fake_embedder.calls == calls
    assert indexed(first, "opening") == {o.id for o in records["openings"]}


def test_a_change_made_by_another_worker_is_picked_up_without_restart(
    records: dict[str, Any],
) -> None:
    mine, theirs = FakeEmbedder(), FakeEmbedder()
    worker_a, worker_b = make_engine(mine), make_engine(theirs)
    worker_a.sync("opening")
    worker_b.sync("opening")
    # Worker B handles an edit and a new opening, and is the one that embeds them.
    first = records["openings"][0]
    first.title = "Especialista en visión"
    added = factories.opening(records["org"], title="Investigación en lenguaje")
    records["draft"].status = Status.PUBLISHED
    db.session.commit()
    theirs.embedded.clear()
    worker_b.sync("opening")
    assert sorted(theirs.embedded) == sorted(
        document_text("opening", o) for o in (first, added, records["draft"])
    )
    # Worker A notices on its next question and reuses B's stored vectors.
    calls = mine.calls
    assert worker_a.sync("opening") == 3
    assert mine.calls == calls
    assert indexed(worker_a, "opening") == indexed(worker_b, "opening")
    assert worker_a.kinds["opening"].names[first.id].startswith("Especialista en visión")


def test_a_change_committed_after_a_sync_but_stamped_before_it_is_picked_up(
    records: dict[str, Any], fake_embedder: FakeEmbedder
) -> None:
    """A worker that flushed (stamping updated_at) before our sync but committed after.

    Neither the record's stamp being older than our last sync nor it being older than
    the newest stamp we saw may hide the change.
    """
    engine = make_engine(fake_embedder)
    first, second = records["openings"]
    assert first.updated_at < second.updated_at
    engine.sync("opening")
    midpoint = first.updated_at + (second.updated_at - first.updated_at) / 2
    first.title = "Visión artificial industrial"
    first.updated_at = midpoint
    db.session.commit()
    fake_embedder.embedded.clear()
    engine.sync("opening")
    assert fake_embedder.embedded == [document_text("opening", first)]
    assert engine.kinds["opening"].names[first.id].startswith("Visión artificial industrial")


def test_vectors_stored_meanwhile_by_another_worker_do_not_break_the_sync(
    records: dict[str, Any],
) -> None:
    """Two workers embedding the same new records at once both end up with an index."""

    class RacingEmbedder(FakeEmbedder):
        """Another worker stores these records' vectors while we are embedding them."""

        def embed_documents(self, texts: Any) -> np.ndarray:
            vectors = super().embed_documents(texts)
            if self.calls == 1:
                with db.engine.begin() as other_worker:
                    other_worker.execute(
                        insert(Embedding),
                        [
                            {
                                "kind": "opening",
                                "record_id": opening.id,
                                "model_name": FAKE_MODEL,
                                "text_hash": text_hash(document_text("opening", opening)),
                                "dim": FAKE_DIM,
                                "vector": self.vector(document_text("opening", opening))
                                .astype(np.float32)
                                .tobytes(),
                            }
                            for opening in records["openings"]
                        ],
                    )
            return vectors

    ids = {o.id for o in records["openings"]}
    engine = make_engine(RacingEmbedder())
    assert engine.sync("opening") == 2
    assert indexed(engine, "opening") == ids
    rows = db.session.scalars(select(Embedding).where(Embedding.kind == "opening")).all()
    assert sorted(row.record_id for row in rows) == sorted(ids)
    assert embedding_count() == 2
