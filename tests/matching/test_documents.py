"""The text each record is matched by."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from directory.matching.documents import (
    KINDS,
    MAX_FREE_TEXT,
    MAX_TAIL,
    document_text,
    skill_phrase,
    text_hash,
)


def skill(es: str, en: str) -> SimpleNamespace:
    return SimpleNamespace(label_es=es, label_en=en)


ML = skill("Aprendizaje automático", "Machine learning")
PY = skill("Python", "Python")


def person(**fields: Any) -> SimpleNamespace:
    values: dict[str, Any] = {
        "headline": "Ingeniera de datos",
        "skills": [ML, PY],
        "free_skills": ["dbt"],
        "bio": "Construyo canales de datos.",
        "full_name": "Ana Secreta",
        "phone": "+52 55 5555 5555",
    }
    values.update(fields)
    return SimpleNamespace(**values)


def test_both_skill_labels_appear_once_when_equal() -> None:
    text = document_text("profile", person())
    assert "Aprendizaje automático / Machine learning" in text
    assert text.count("Python") == 1
    assert skill_phrase([ML, PY]) == "Aprendizaje automático / Machine learning; Python"
    assert skill_phrase([skill("IA", "ia")]) == "IA"


def test_profile_text_parts_and_no_private_fields() -> None:
    text = document_text("profile", person())
    for part in ("Ingeniera de datos", "dbt", "Construyo canales de datos."):
        assert part in text
    assert "+52" not in text and "5555" not in text


def test_long_free_text_is_cut() -> None:
    bio = "palabra " * 1000
    text = document_text("profile", person(bio=bio))
    assert len(text) < len(bio)
    assert len(text) <= MAX_FREE_TEXT + MAX_TAIL + 200
    # Title and skills survive, whatever the length of the free text.
    assert text.startswith("Ingeniera de datos")
    assert "Machine learning" in text
    # The end of a long text counts too: requirements often come last.
    ending = "palabra " * 300 + "Requisito final: vivir en Mérida."
    assert document_text("profile", person(bio=ending)).endswith("vivir en Mérida.")
    # White space is normalised before cutting.
    assert "  " not in document_text("profile", person(bio="uno\n\n  dos\t tres"))


def test_empty_parts_are_skipped() -> None:
    text = document_text("profile", person(headline="", skills=[], free_skills=[], bio="  "))
    assert text == ""
    assert document_text("profile", person(headline="", free_skills=None)).startswith("Aprendizaje")


def test_every_kind_has_a_text() -> None:
    records = {
        "profile": person(),
        "opening": SimpleNamespace(title="Científica de datos", skills=[ML], description="x"),
        "challenge": SimpleNamespace(
            title="Fugas de agua", skills=[ML], problem="Fugas.", desired_outcome="Un modelo."
        ),
        "organization": SimpleNamespace(name="Visión SA", skills=[ML], description="y"),
        "story": SimpleNamespace(
            title_es="Triaje", title_en="Triage", summary_es="Resumen", summary_en="Summary"
        ),
    }
    assert set(records) == set(KINDS)
    for kind, record in records.items():
        text = document_text(kind, record)
        assert text, kind
    assert "Triage" in document_text("story", records["story"])
    assert "Un modelo." in document_text("challenge", records["challenge"])
    with pytest.raises(KeyError):
        document_text("unknown", records["profile"])


def test_text_hash_is_stable_and_sensitive() -> None:
    text = document_text("profile", person())
    assert text_hash(text) == text_hash(document_text("profile", person()))
    assert len(text_hash(text)) == 64
    changed = {
        text_hash(document_text("profile", person(**change)))
        for change in (
            {"headline": "Ingeniero de datos"},
            {"skills": [ML]},
            {"free_skills": ["dbt", "airflow"]},
            {"bio": "Construyo canales de datos!"},
        )
    }
    assert text_hash(text) not in changed
    assert len(changed) == 4
    assert text_hash("Visión") != text_hash("Vision")


def test_records_from_the_database(app_ctx: Any) -> None:
    from tests import factories

    opening = factories.opening(title="Ingeniería de visión", description="Modelos. " * 200)
    text = document_text("opening", opening)
    assert text.startswith("Ingeniería de visión")
    assert "Aprendizaje automático / Machine learning" in text
    assert len(text) < 200 * len("Modelos. ")
