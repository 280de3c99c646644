"""Search reads the query in the singular: grammar rules, never names or acronyms."""

from __future__ import annotations

from typing import Any

import pytest
from flask_login import AnonymousUserMixin

from directory.matching import service
from directory.matching.plural import singular_query
from tests import factories


@pytest.mark.parametrize(
    ("query", "language", "expected"),
    [
        ("ingenieros de datos", "es", "ingeniero de dato"),
        ("Desarrolladoras web", "es", "Desarrolladora web"),
        ("técnicos en comunicaciones", "es", "técnico en comunicación"),
        ("actrices", "es", "actriz"),
        ("gerentes de análisis", "es", "gerente de análisis"),  # -is stays
        ("profesor de inglés", "es", "profesor de inglés"),  # accented -és stays
        ("especialistas en virus", "es", "especialista en virus"),
        ("data scientists", "en", "data scientist"),
        ("nannies and babysitters", "en", "nanny and babysitter"),
        ("business analysts", "en", "business analyst"),
        ("coaches", "en", "coach"),
        ("MLOps engineers for GANs", "en", "MLOps engineer for GANs"),  # inner capitals stay
        ("GPT4s", "en", "GPT4s"),
        ("AWS engineers", "en", "AWS engineer"),
        # A title typed in capitals is plain words, not acronyms.
        ("DIRECTORES DE DEPARTAMENTO DE DISEÑO", "es", "director de departamento de diseño"),
        ("CHIEF EXECUTIVES", "en", "chief executive"),
    ],
)
def test_plural_words_become_singular(query: str, language: str, expected: str) -> None:
    assert singular_query(query, language) == expected


def test_search_asks_the_models_in_the_singular_and_keeps_the_typed_name(
    app: Any, fake_service: Any, fake_embedder: Any
) -> None:
    asked: list[str] = []
    original = fake_embedder.embed_query
    fake_embedder.embed_query = lambda text: asked.append(text) or original(text)
    with app.test_request_context():
        org = factories.org(name="Ingenieros Unidos")
        factories.opening(org, title="Ingeniera de datos")
        hits = service.search("Ingenieros Unidos", AnonymousUserMixin())
        assert asked == ["Ingeniero Unido"]
        # The keyword promise reads the query as typed: the exact name comes first.
        assert hits[0].kind == "organization" and hits[0].record.name == "Ingenieros Unidos"
        app.config["MATCHING_SINGULAR_QUERIES"] = False
        try:
            service.search("ingenieras de datos", AnonymousUserMixin())
        finally:
            app.config["MATCHING_SINGULAR_QUERIES"] = True
        assert asked[-1] == "ingenieras de datos"
