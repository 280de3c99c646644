"""Connection settings and the reference data shipped with the package."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import func, select, text

from directory import geo
from directory.extensions import db
from directory.models import Skill
from directory.services.skills import shipped_vocabulary

ON_SQLITE = not os.environ.get("DATABASE_URL")


@pytest.mark.skipif(not ON_SQLITE, reason="SQLite pragmas")
def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(app_ctx):
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_vocabulary_is_bilingual_and_large(app_ctx):
    entries = shipped_vocabulary()
    assert len(entries) >= 150
    assert db.session.scalar(select(func.count()).select_from(Skill)) == len(entries)
    for entry in entries:
        assert entry["label_es"] and entry["label_en"], entry["slug"]
    ml = db.session.scalar(select(Skill).where(Skill.slug == "machine-learning"))
    assert ml.label_es == "Aprendizaje automático"
    assert ml.label_en == "Machine learning"
    assert "ML" in ml.synonyms


def test_synonyms_do_not_collide():
    seen: dict[str, str] = {}
    for entry in shipped_vocabulary():
        for word in entry["synonyms"]:
            key = word.casefold()
            assert key not in seen, f"{word!r} in {entry['slug']} and {seen[key]}"
            seen[key] = entry["slug"]


def test_load_skills_is_idempotent(runner, app_ctx):
    result = runner.invoke(args=["load-skills"])
    assert result.exit_code == 0
    assert "0 added" in result.output
    assert db.session.scalar(select(func.count()).select_from(Skill)) == len(shipped_vocabulary())


def test_thirty_two_states():
    assert len(geo.MEXICAN_STATES) == 32
    assert len(geo.STATE_NAMES) == 32
    assert geo.state_name("CMX") == "Ciudad de México"
    assert geo.state_name("XX") == ""


def test_country_names_follow_the_locale():
    assert geo.country_name("US", "es") == "Estados Unidos"
    assert geo.country_name("US", "en") == "United States"
    assert ("DE", "Alemania") in geo.countries("es")


def test_reindex_search_restores_stale_search_text(runner, app_ctx):
    from tests import factories

    org = factories.org(name="Visión Artificial del Bajío")
    db.session.execute(text("UPDATE organizations SET search_text = ''"))
    db.session.commit()
    result = runner.invoke(args=["reindex-search"])
    assert result.exit_code == 0 and "1 records" in result.output
    db.session.refresh(org)
    assert "vision artificial del bajio" in org.search_text
