"""`flask matching rebuild` and `flask matching status` with the real models, on a few records."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.matching import service
from directory.models import Embedding, Opening

from . import factories


@pytest.fixture
def models(app) -> list[str]:
    """The models this installation embeds with (each record gets one vector per model)."""
    with app.app_context():
        return list(service.engine().embedders)


def status_of(output: str, kind: str, model: str) -> dict[str, int]:
    """The counts the status command printed for a kind and a model."""
    block = output.split(f"\n{kind}: ", 1)[1]
    indexable = int(block.split(" ", 1)[0])
    line = next(row for row in block.splitlines() if row.strip().startswith(model + ":"))
    counts = {name: int(n) for n, name in re.findall(r"(\d+) ([a-z ]+?)(?:,|$)", line)}
    return {"indexable": indexable, **counts}


def counts(indexable: int, stored: int, fresh: int, stale: int, missing: int, orphaned: int):
    return {"indexable": indexable, "stored": stored, "up to date": fresh, "stale": stale,
            "missing": missing, "orphaned": orphaned}  # fmt: skip


def seed() -> None:
    startup = factories.org()
    factories.opening(startup)
    factories.opening(startup, title="Científica de datos para salud")
    factories.opening(startup, status="draft")  # never indexed
    factories.profile()
    factories.profile(visibility="private")  # never indexed


def test_status_counts_missing_vectors_and_names_the_models(app, runner, models):
    with app.app_context():
        seed()
    result = runner.invoke(args=["matching", "status"])
    assert result.exit_code == 0, result.output
    configured = result.output.splitlines()[0]
    assert configured.startswith("Configured models: ")
    for name, weight in app.config["MATCHING_WEIGHTS"].items():
        assert f"{name} (weight {weight:g}" in configured
    for model in models:
        assert status_of(result.output, "opening", model) == counts(2, 0, 0, 0, 2, 0)
        assert status_of(result.output, "profile", model)["missing"] == 1
        assert status_of(result.output, "story", model)["indexable"] == 0


def test_rebuild_embeds_what_is_missing_then_only_what_changed(app, runner, models):
    n = len(models)
    with app.app_context():
        seed()
    result = runner.invoke(args=["matching", "rebuild"])
    assert result.exit_code == 0, result.output
    assert f"opening: indexed 2, embedded {2 * n}" in result.output
    assert f"profile: indexed 1, embedded {n}" in result.output
    assert f"organization: indexed 1, embedded {n}" in result.output
    assert re.search(r"Rebuilt 5 kinds in \d+\.\d s\.", result.output)
    status = runner.invoke(args=["matching", "status"]).output
    for model in models:
        assert status_of(status, "opening", model) == counts(2, 2, 2, 0, 0, 0)

    with app.app_context():
        opening = db.session.scalar(select(Opening).where(Opening.status == "published"))
        opening.title = "Ingeniería de visión por computadora"
        db.session.add(Embedding(kind="opening", record_id=99_999, model_name=models[0],
                                 text_hash="0" * 64, dim=1, vector=b"\0\0\0\0"))  # fmt: skip
        db.session.commit()
    status = runner.invoke(args=["matching", "status"]).output
    assert status_of(status, "opening", models[0]) == counts(2, 3, 1, 1, 0, 1)

    again = runner.invoke(args=["matching", "rebuild", "--kind", "opening"])
    assert again.exit_code == 0, again.output
    assert f"opening: indexed 2, embedded {n}" in again.output
    assert "profile:" not in again.output
    with app.app_context():
        # 4 records × models, and the orphan (rebuild leaves rows it does not own alone).
        assert db.session.scalar(select(func.count()).select_from(Embedding)) == 4 * n + 1


def test_status_lists_vectors_of_models_no_longer_configured(app, runner):
    with app.app_context():
        opening = factories.opening()
        db.session.add(Embedding(kind="opening", record_id=opening.id, model_name="old-model",
                                 text_hash="0" * 64, dim=1, vector=b"\0\0\0\0"))  # fmt: skip
        db.session.commit()
    result = runner.invoke(args=["matching", "status"])
    assert "old-model (not configured): 1 stored, 0 up to date, 1 stale" in result.output
