"""The Spanish/English guess that weighs lexical evidence."""

from __future__ import annotations

import pytest

from directory.matching.language import guess_language


@pytest.mark.parametrize(
    "text",
    [
        "Ingeniera de aprendizaje automático",
        "Científico de datos",
        "Desarrollador backend para la industria",
        "Detección de fugas de agua",
        "Investigadora en visión por computadora",
        "Gerente de producto",
        "DIRECTORA DE INNOVACION",
    ],
)
def test_spanish_titles(text: str) -> None:
    assert guess_language(text) == "es"


@pytest.mark.parametrize(
    "text",
    [
        "Machine learning engineer",
        "Data scientist",
        "Head of computer vision",
        "Backend developer for the energy industry",
        "Senior research engineer",
        "PRODUCT MANAGER",
    ],
)
def test_english_titles(text: str) -> None:
    assert guess_language(text) == "en"


@pytest.mark.parametrize("text", ["", "   ", "123 456", "¿?", "IA"])
def test_unsure_means_spanish(text: str) -> None:
    assert guess_language(text) == "es"


def test_accents_and_spanish_punctuation_decide() -> None:
    assert guess_language("Machine learning en México") == "es"
    assert guess_language("¿Buscas talento?") == "es"
