"""The shipped skills vocabulary: size, shape, no ambiguous terms, both languages resolve."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from flask import Flask

from directory.services.free_skills import CATEGORIES
from directory.services.skills import resolve_skills, shipped_vocabulary
from directory.text import fold

VOCABULARY = shipped_vocabulary()
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# Slugs that stored records, the demo seed (directory/seed/) and other tests point at: a
# vocabulary change must never drop them (the seed's full list is checked by test_seed.py).
KNOWN_SLUGS = (
    "artificial-intelligence", "machine-learning", "computer-vision",
    "natural-language-processing", "large-language-models", "generative-ai", "robotics",
    "geospatial-ai", "speech-synthesis", "data-science", "deep-learning", "embeddings",
    "statistical-modeling", "time-series-forecasting", "python", "r", "sql", "pytorch",
    "numpy", "postgresql", "dbt", "gis-tools", "ai-agriculture", "ai-health", "ai-finance",
    "ai-public-sector", "ai-indigenous-languages", "legal-ai", "fraud-detection", "mlops",
    "data-engineering", "ai-policy", "ai-governance", "responsible-ai-audits", "open-data",
)  # fmt: skip


def _terms(entry: dict) -> list[str]:
    """Everything the product's lookup accepts for a skill: slug, both labels, synonyms."""
    return [entry["slug"], entry["label_es"], entry["label_en"], *entry.get("synonyms", [])]


def test_the_vocabulary_is_large_enough() -> None:
    assert len(VOCABULARY) >= 600


def test_slugs_are_unique_and_well_formed() -> None:
    slugs = [entry["slug"] for entry in VOCABULARY]
    assert len(slugs) == len(set(slugs))
    for slug in slugs:
        assert SLUG.fullmatch(slug) and len(slug) <= 80, slug


def test_every_skill_has_both_labels_and_a_known_category() -> None:
    for entry in VOCABULARY:
        assert entry["label_es"].strip() and entry["label_en"].strip(), entry["slug"]
        assert max(len(entry["label_es"]), len(entry["label_en"])) <= 120, entry["slug"]
        assert entry["category"] in CATEGORIES, entry["slug"]
        assert isinstance(entry.get("synonyms", []), list), entry["slug"]
        assert all(s.strip() for s in entry.get("synonyms", [])), entry["slug"]


def test_every_ai_area_stays_an_area() -> None:
    # Facets and the dashboard group by category "area": keep it to AI areas.
    areas = [entry for entry in VOCABULARY if entry["category"] == "area"]
    assert 30 <= len(areas) <= 80


def test_no_term_names_two_skills() -> None:
    """After the product's folding (case, accents, spaces), a label or synonym belongs to
    exactly one skill, and no synonym is another skill's label or slug."""
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in VOCABULARY:
        for term in _terms(entry):
            owners[fold(term)].add(entry["slug"])
    shared = {term: sorted(slugs) for term, slugs in owners.items() if len(slugs) > 1}
    assert shared == {}


def test_no_synonym_repeats_a_label_or_another_synonym() -> None:
    """Matching folds case and accents, so "aprendizaje automatico" next to "Aprendizaje
    automático" adds nothing: each skill's synonyms are distinct after folding."""
    for entry in VOCABULARY:
        labels = {fold(entry["label_es"]), fold(entry["label_en"])}
        folded = [fold(s) for s in entry.get("synonyms", [])]
        assert len(folded) == len(set(folded)), entry["slug"]
        assert not labels & set(folded), entry["slug"]


def test_slugs_that_records_use_are_still_there() -> None:
    slugs = {entry["slug"] for entry in VOCABULARY}
    assert set(KNOWN_SLUGS) <= slugs


def _slugs(raw: str) -> list[str]:
    found, unknown = resolve_skills(raw)
    assert unknown == [], unknown
    return [skill.slug for skill in found]


@pytest.mark.parametrize(
    ("slug", "phrases"),
    [
        ("geospatial-analysis", ["geospatial analysis", "análisis geoespacial",
                                 "ANALISIS GEOESPACIAL", "spatial analysis", "análisis espacial"]),
        ("machine-learning", ["Machine learning", "aprendizaje automático",
                              "aprendizaje de maquina", "ML"]),
        ("natural-language-processing", ["natural language processing", "PLN", "NLP",
                                         "procesamiento del lenguaje natural"]),
        ("remote-sensing", ["remote sensing", "percepción remota", "teledetección"]),
        ("satellite-imagery-analysis", ["satellite imagery", "imágenes satelitales",
                                        "imagenes de satelite"]),
        ("public-procurement", ["public procurement", "contratación pública", "compras públicas",
                                "licitaciones públicas", "government procurement"]),
        ("credit-risk-modeling", ["credit scoring", "scoring crediticio", "riesgo de crédito",
                                  "credit risk"]),
        ("precision-agriculture", ["precision agriculture", "agricultura de precisión",
                                   "smart farming"]),
        ("anti-money-laundering", ["anti-money laundering", "AML", "PLD",
                                   "prevención de lavado de dinero"]),
        ("data-cleaning", ["data cleaning", "limpieza de datos", "data wrangling"]),
        ("speech-recognition", ["speech recognition", "reconocimiento de voz", "voz a texto",
                                "ASR"]),
        ("digital-twins", ["digital twin", "gemelos digitales", "gemelo digital"]),
        ("cybersecurity", ["cybersecurity", "ciberseguridad", "seguridad informática"]),
        ("time-series-analysis", ["time series", "series de tiempo", "series temporales"]),
        ("ai-ethics", ["AI ethics", "ética de la IA", "etica de la IA"]),
    ],
)  # fmt: skip
def test_both_languages_resolve_to_the_same_skill(
    app_ctx: Flask, slug: str, phrases: list[str]
) -> None:
    for phrase in phrases:
        assert _slugs(phrase) == [slug], phrase


@pytest.mark.parametrize(
    ("phrase", "slug", "not_slug"),
    [
        # A data source, a sector or a neighbouring field is not the AI skill itself.
        ("imágenes satelitales", "satellite-imagery-analysis", "geospatial-ai"),
        ("remote sensing", "remote-sensing", "geospatial-ai"),
        ("fintech", "fintech", "ai-finance"),
        ("agricultura de precisión", "precision-agriculture", "ai-agriculture"),
        ("ciberseguridad", "cybersecurity", "ai-cybersecurity"),
        ("retail", "retail", "ai-retail"),
        ("marketing", "marketing", "ai-marketing"),
        ("minería", "mining-industry", "ai-mining"),
        ("estadística", "statistics", "statistical-modeling"),
        ("edge computing", "edge-computing", "edge-ai"),
        ("lenguas indígenas", "indigenous-languages", "ai-indigenous-languages"),
        ("sector público", "public-administration", "ai-public-sector"),
        ("mantenimiento predictivo", "predictive-maintenance", "ai-manufacturing"),
        ("NoSQL", "nosql-databases", "mongodb"),
    ],
)
def test_broad_terms_name_their_own_skill(
    app_ctx: Flask, phrase: str, slug: str, not_slug: str
) -> None:
    assert _slugs(phrase) == [slug]
    assert not_slug != slug


def test_unknown_terms_stay_free_text(app_ctx: Flask) -> None:
    found, unknown = resolve_skills("Python, Cocina molecular, Geospatial analysis")
    assert [skill.slug for skill in found] == ["python", "geospatial-analysis"]
    assert unknown == ["Cocina molecular"]
