"""One engine in step with the database: what it indexes, embeds and forgets."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
import pytest

from directory.extensions import db
from directory.matching import store
from directory.matching.documents import document_text, text_hash
from directory.models import Status
from tests import factories

from .conftest import FAKE_DIM, FAKE_MODEL, FakeEmbedder, indexed, make_engine, stored


def test_first_sync_embeds_every_indexable_record_and_stores_it(
    records: dict[str, Any], fake_embedder: FakeEmbedder
) -> None:
    engine = make_engine(fake_embedder)
    assert engine.sync("opening") == 2
    assert engine.sync("profile") == 2
    opening_ids = {o.id for o in records["openings"]}
    profile_ids = {p.id for p in records["profiles"]}
    assert indexed(engine, "opening") == opening_ids
    assert indexed(engine, "profile") == profile_ids
    assert len(fake_embedder.embedded) == 4
    rows = stored("opening")
    assert set(rows) == opening_ids
    for opening in records["openings"]:
        row = rows[opening.id]
        text = document_text("opening", opening)
        assert row.model_name == FAKE_MODEL and row.dim == FAKE_DIM
        assert row.text_hash == text_hash(text)
        vector = np.frombuffer(row.vector, dtype=np.float32)
        np.testing.assert_allclose(vector, fake_embedder.vector(text), atol=1e-6)
        # Indexed as float16 (index.py): within 2⁻¹¹ of the stored float32 vector.
        indexed_vector = engine.stored_vector("opening", FAKE_MODEL, opening.id)
        np.testing.assert_allclose(indexed_vector, vector, atol=5e-4)
    assert set(stored("profile")) == profile_ids
    assert records["draft"].id not in rows
    assert records["private"].id not in stored("profile")


def test_second_sync_without_changes_embeds_nothing(
    records: dict[str, Any], fake_embedder: FakeEmbedder
) -> None:
    engine = make_engine(fake_embedder)
    engine.sync("opening")
    calls = fake_embedder.calls
    assert engine.sync("opening") == 0
    assert engine.sync("opening") == 0
    assert fake_embedder.calls == calls


def test_editing_one_record_reembeds_only_that_one(
    records: dict[str, Any], fake_embedder: FakeEmbedder
) -> None:
    engine = make_engine(fake_embedder)
    engine.sync("opening")
    first, second = records["openings"]
    before = engine.stored_vector("opening", FAKE_MODEL, second.id)
    fake_embedder.embedded.clear()
    first.title = "Ingeniería de visión por computadora"
    db.session.commit()
    assert engine.sync("opening") == 1
    assert fake_embedder.embedded == [document_text("opening", first)]
    assert indexed(engine, "opening") == {first.id, second.id}
    assert engine.kinds["opening"].names[first.id].startswith("Ingeniería de visión por")
    assert engine.indexed_text_is("opening", first.id, document_text("opening", first))
    np.testing.assert_allclose(engine.stored_vector("opening", FAKE_MODEL, second.id), before)
    row = stored("opening")[first.id]
    assert row.text_hash == text_hash(document_text("opening", first))


def test_edit_that_leaves_the_text_unchanged_embeds_nothing(
    records: dict[str, Any], fake_embedder: FakeEmbedder
) -> None:
    engine = make_engine(fake_embedder)
    engine.sync("opening")
    fake_embedder.embedded.clear()
    records["openings"][0].city = "San Pedro Garza García"  # not part of the text
    db.session.commit()
    engine.sync("opening")
    assert fake_embedder.embedded == []


def test_changing_only_skills_reembeds_the_record(
    records: dict[str, Any], fake_embedder: FakeEmbedder
) -> None:
    """Skills live in a link table: changing only them must still reach the index."""
    engine = make_engine(fake_embedder)
    engine.sync("opening")
    fake_embedder.embedded.clear()
    first = records["openings"][0]
    first.skills = factories.skills("computer-vision")
    db.session.commit()
    engine.sync("opening")
    assert fake_embedder.embedded == [document_text("opening", first)]
    assert engine.indexed_text_is("opening", first.id, document_text("opening", first))
    assert "Visión por computadora" in document_text("opening", first)


@pytest.mark.parametrize(
    "hide",
    [
        pytest.param(lambda r: setattr(r["openings"][0], "status", Status.ARCHIVED), id="archived"),
        pytest.param(lambda r: setattr(r["openings"][0], "status", Status.PENDING), id="pending"),
        pytest.param(
            lambda r: setattr(r["openings"][0], "closes_on", r["openings"][0].closes_on
                              - timedelta(days=60)), id="closed"),
        pytest.param(lambda r: setattr(r["org"], "status", Status.ARCHIVED), id="org-hidden"),
    ],
)  # fmt: skip
def test_a_post_that_stops_being_published_leaves_the_index(
    records: dict[str, Any], fake_embedder: FakeEmbedder, hide: Any
) -> None:
    engine = make_engine(fake_embedder)
    engine.sync("opening")
    hide(records)
    db.session.commit()
    engine.sync("opening")
    remaining = indexed(engine, "opening")
    assert records["openings"][0].id not in remaining
    assert engine.stored_vector("opening", FAKE_MODEL, records["openings"][0].id) is None
    assert records["openings"][0].id not in engine.dense_scores(
        "opening", FAKE_MODEL, fake_embedder.vector("visión")
    )


@pytest.mark.parametrize(
    "hide",
    [
        pytest.param(lambda p: setattr(p, "visibility", "private"), id="private"),
        pytest.param(lambda p: setattr(p, "matching_consent", False), id="no-consent"),
        pytest.param(lambda p: setattr(p.user, "active", False), id="deactivated"),
        pytest.param(lambda p: db.session.delete(p), id="profile-deleted"),
        pytest.param(lambda p: db.session.delete(p.user), id="account-deleted"),
    ],
)
def test_a_hidden_profile_leaves_the_index(
    records: dict[str, Any], fake_embedder: FakeEmbedder, hide: Any
) -> None:
    engine = make_engine(fake_embedder)
    engine.sync("profile")
    person, other = records["profiles"]
    person_id = person.id
    hide(person)
    db.session.commit()
    engine.sync("profile")
    assert indexed(engine, "profile") == {other.id}
    hits = engine.neighbours("profile", FAKE_MODEL, fake_embedder.vector("datos"), 10)
    assert [record_id for record_id, _ in hits] == [other.id]
    assert person_id not in stored("profile")


def test_a_record_published_again_comes_back(
    records: dict[str, Any], fake_embedder: FakeEmbedder
) -> None:
    engine = make_engine(fake_embedder)
    engine.sync("profile")
    person = records["profiles"][0]
    person.visibility = "private"
    db.session.commit()
    engine.sync("profile")
    person.visibility = "members"
    db.session.commit()
    engine.sync("profile")
    assert person.id in indexed(engine, "profile")
    assert person.id in stored("profile")
    records["private"].visibility = "public"
    db.session.commit()
    engine.sync("profile")
    assert records["private"].id in indexed(engine, "profile")


def test_records_with_empty_text_do_not_break_the_sync(
    app_ctx: Any, fake_embedder: FakeEmbedder
) -> None:
    """A consenting profile with only a name has no matching text at all."""
    person = factories.profile(headline="", bio="", skill_slugs=())
    engine = make_engine(fake_embedder)
    assert engine.sync("profile") == 1
    assert indexed(engine, "profile") == {person.id}
    assert engine.kinds["profile"].lexical is not None
    assert engine.kinds["profile"].lexical.scores("datos").tolist() == [0.0]


def test_empty_kinds_sync_to_empty_indexes(app_ctx: Any, fake_embedder: FakeEmbedder) -> None:
    engine = make_engine(fake_embedder)
    for kind in engine.kinds:
        assert engine.sync(kind) == 0
        assert indexed(engine, kind) == set()
        assert engine.dense_scores(kind, FAKE_MODEL, fake_embedder.vector("x")) == {}
        assert engine.neighbours(kind, FAKE_MODEL, fake_embedder.vector("x"), 5) == []
        assert engine.stored_vector(kind, FAKE_MODEL, 1) is None
    assert fake_embedder.calls == 0
    # The first record of a kind arrives later.
    story = factories.story()
    engine.sync("story")
    assert indexed(engine, "story") == {story.id}


def test_scores_cover_every_indexed_record_and_rank_the_closest_first(
    records: dict[str, Any], fake_embedder: FakeEmbedder
) -> None:
    engine = make_engine(fake_embedder)
    engine.sync("opening")
    first, second = records["openings"]
    query = fake_embedder.vector(document_text("opening", second))
    scores = engine.dense_scores("opening", FAKE_MODEL, query)
    assert set(scores) == {first.id, second.id}
    assert scores[second.id] == pytest.approx(1.0, abs=5e-4)  # float16 storage
    assert scores[second.id] > scores[first.id]
    assert engine.neighbours("opening", FAKE_MODEL, query, 1)[0][0] == second.id
    assert engine.dense_scores("opening", "unknown-model", query) == {}


def test_many_records_are_embedded_in_batches_with_progress(
    app_ctx: Any, fake_embedder: FakeEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from directory.matching import engine as engine_module

    monkeypatch.setattr(engine_module, "EMBED_BATCH", 4)
    stories = [factories.story() for _ in range(10)]
    done: list[int] = []
    engine = make_engine(fake_embedder)
    assert engine.sync("story", progress=done.append) == 10
    assert done == [4, 4, 2]
    assert fake_embedder.calls == 3
    assert indexed(engine, "story") == {s.id for s in stories}
    assert len(stored("story")) == 10


def test_facts_share_their_small_values_between_records(records: dict[str, Any]) -> None:
    """Kept for every indexed record: equal codes and empty sets are one object each."""
    first, second = (store.facts_of(opening) for opening in records["openings"])
    assert first.free_skills is second.free_skills
    assert first.member_org_ids is second.member_org_ids
    assert first.residence is second.residence
    assert isinstance(first.skill_ids, tuple) and list(first.skill_ids) == sorted(first.skill_ids)
    assert set(first.skill_ids) == {skill.id for skill in records["openings"][0].skills}
