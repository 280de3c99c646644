"""The character n-gram index: accents, inflections and empty input."""

from __future__ import annotations

import pytest

from directory.matching.lexical import CharNgramIndex

TEXTS = {
    1: "Visión por computadora para la industria",
    2: "Procesamiento de lenguaje natural",
    3: "Ingeniera de aprendizaje automático",
    4: "Robótica y control",
}


@pytest.fixture
def index() -> CharNgramIndex:
    return CharNgramIndex(list(TEXTS), list(TEXTS.values()))


def test_accents_are_ignored(index: CharNgramIndex) -> None:
    assert index.search("vision", 1)[0][0] == 1
    assert index.search("VISIÓN", 1)[0][0] == 1
    assert index.search("automatico", 1)[0][0] == 3
    assert index.search("robotica", 1)[0][0] == 4


def test_inflections_and_typos_still_match(index: CharNgramIndex) -> None:
    assert index.search("ingeniero", 1)[0][0] == 3
    assert index.search("lenguajes naturales", 1)[0][0] == 2
    assert index.search("computadoras", 1)[0][0] == 1


def test_scores_cover_every_record_in_id_order(index: CharNgramIndex) -> None:
    scores = index.scores("visión")
    assert scores.shape == (4,)
    assert len(index) == 4
    assert index.ids.tolist() == [1, 2, 3, 4]
    assert float(scores.max()) == pytest.approx(float(scores[0]))
    assert all(0.0 <= float(s) <= 1.0 + 1e-6 for s in scores)


def test_search_is_best_first_skips_zero_scores_and_respects_k(index: CharNgramIndex) -> None:
    hits = index.search("visión por computadora", 10)
    assert hits[0][0] == 1
    assert [score for _, score in hits] == sorted((score for _, score in hits), reverse=True)
    assert all(score > 0 for _, score in hits)
    assert len(index.search("visión", 2)) <= 2
    assert index.search("visión", 0) == []
    assert index.search("zzqqxxjj", 10) == []


def test_ties_are_broken_by_id() -> None:
    same = CharNgramIndex([9, 3, 5], ["datos", "datos", "datos"])
    assert [i for i, _ in same.search("datos", 3)] == [3, 5, 9]


def test_empty_inputs() -> None:
    empty = CharNgramIndex([], [])
    assert len(empty) == 0
    assert empty.scores("visión").shape == (0,)
    assert empty.search("visión", 5) == []
    assert CharNgramIndex([1], ["visión"]).search("   ", 5) == []
    # Only empty texts: nothing to fit, nothing found, no error.
    blank = CharNgramIndex([1, 2], ["", " "])
    assert blank.scores("visión").tolist() == [0.0, 0.0]
    assert blank.search("visión", 5) == []


def test_scores_for_some_records_equal_the_full_scores() -> None:
    index = CharNgramIndex([5, 7, 9], ["Ingeniera de datos", "Data engineer", "Cocinero"])
    full = dict(zip(index.ids.tolist(), index.scores("ingeniero de datos").tolist(), strict=True))
    some = index.scores_for("ingeniero de datos", [9, 5, 42])
    assert set(some) == {5, 9}  # an id the index does not hold is left out
    for record_id, score in some.items():
        assert abs(score - full[record_id]) < 1e-6
    assert index.scores_for("", [5]) == {}
