"""CharNgramIndex.updated(): the same answers as a refit, without refitting."""

from __future__ import annotations

import random

import numpy as np
import pytest

from directory.matching.lexical import CharNgramIndex

ROLES = [
    ("Ingeniera de aprendizaje automático", "Machine learning engineer"),
    ("Científico de datos", "Data scientist"),
    ("Investigadora en visión por computadora", "Computer vision researcher"),
    ("Ingeniero de MLOps", "MLOps engineer"),
    ("Especialista en lenguaje natural", "Natural language specialist"),
    ("Analista de datos", "Data analyst"),
    ("Arquitecta de datos", "Data architect"),
    ("Gerente de producto de IA", "AI product manager"),
]
DOMAINS = [
    ("salud", "health"), ("agricultura", "agriculture"), ("finanzas", "finance"),
    ("gobierno", "government"), ("educación", "education"), ("energía", "energy"),
    ("manufactura", "manufacturing"), ("movilidad", "mobility"),
]  # fmt: skip
CITIES = ["Monterrey", "Guadalajara", "Mérida", "Puebla", "Querétaro", "Tijuana"]
QUERIES = [
    "ingeniero de datos",
    "machine learning",
    "vision por computadora salud",
    "energia",
    "product manager finance",
    "Mérida",
    "lenguaje natural",
]


def titles(n: int, seed: int = 3) -> dict[int, str]:
    """n bilingual job titles under spread-out ids, as the engine's records have."""
    rng = random.Random(seed)
    out = {}
    for k in range(n):
        (es, en), (area_es, area_en) = rng.choice(ROLES), rng.choice(DOMAINS)
        city = rng.choice(CITIES)
        text = f"{es} para {area_es} en {city}" if k % 2 else f"{en} for {area_en}, {city}"
        out[10 + 7 * k] = text
    return out


def fitted(texts: dict[int, str]) -> CharNgramIndex:
    """A fresh fit, as the engine builds one: ids ascending."""
    ids = sorted(texts)
    return CharNgramIndex(ids, [texts[i] for i in ids])


def assert_same_as_refit(index: CharNgramIndex, texts: dict[int, str]) -> None:
    """Same ids, scores (to float32 rounding) and top 10 as a refit of `texts`."""
    refit = fitted(texts)
    assert index.ids.tolist() == refit.ids.tolist()
    assert len(index) == len(refit)
    for query in QUERIES:
        scores = index.scores(query)
        assert scores.dtype == np.float32 and scores.shape == (len(refit),)
        np.testing.assert_allclose(scores, refit.scores(query), atol=1e-5)
        # The same ranking, except that records tied in the refit (identical texts) may
        # come in another order: their scores here differ by float32 rounding.
        truth = dict(zip(refit.ids.tolist(), refit.scores(query).tolist(), strict=True))
        best, top = refit.search(query, 10), index.search(query, 10)
        assert len(top) == len(best)
        for (record_id, _), (_, score) in zip(top, best, strict=True):
            assert truth[record_id] == pytest.approx(score, abs=1e-5)
        some = sorted(texts)[::9] + [99_999]  # and one id the index does not hold
        expected = refit.scores_for(query, some)
        got = index.scores_for(query, some)
        assert got.keys() == expected.keys()
        for record_id, score in expected.items():
            assert got[record_id] == pytest.approx(score, abs=1e-5)


def test_changed_added_and_removed_records_score_as_after_a_refit() -> None:
    texts = titles(300)
    index = fitted(texts)
    ids = sorted(texts)
    changed = {ids[3]: "Científica de datos para salud en Mérida", ids[40]: "Robótica agrícola"}
    added = {5: "Ingeniero de datos para energía", 99_000: "Data engineer for finance"}
    gone = [ids[0], ids[100], ids[299], 123_456]  # the last is no record: ignored
    updated = index.updated({**changed, **added}, gone)
    texts = {i: t for i, t in texts.items() if i not in gone} | changed | added
    assert_same_as_refit(updated, texts)


def test_a_series_of_updates_still_scores_as_a_refit() -> None:
    texts = titles(300)
    index, rng = fitted(texts), random.Random(5)
    pool = list(titles(120, seed=11).values())
    for step in range(30):
        alive = sorted(texts)
        changed = {rng.choice(alive): rng.choice(pool) for _ in range(rng.randint(0, 3))}
        changed |= {50_000 + step: rng.choice(pool)} if step % 3 == 0 else {}
        gone = [i for i in rng.sample(alive, rng.randint(0, 2)) if i not in changed]
        index = index.updated(changed, gone)
        texts = {i: t for i, t in texts.items() if i not in gone} | changed
        if step % 6 == 5:  # a refit per step would make this the slowest test here
            assert_same_as_refit(index, texts)


def test_a_removed_record_never_appears() -> None:
    texts = titles(300)
    index = fitted(texts)
    best = index.search("MLOps", 1)[0][0]
    after = index.updated({}, [best])
    assert best not in after.ids.tolist()
    assert best not in [i for i, _ in after.search("MLOps", len(after))]
    assert after.scores_for("MLOps", [best]) == {}
    assert len(after) == len(index) - 1


def test_an_added_record_is_found_by_a_fitted_word_and_by_a_new_one() -> None:
    index = fitted(titles(300))
    # "Querétaro" and "salud" are in the fitted vocabulary; "Zacatecas" in no fitted text.
    after = index.updated({7: "Especialista en salud para Querétaro", 8: "Oficina Zacatecas"}, [])
    assert after.search("especialista salud queretaro", 1)[0][0] == 7
    assert after.search("zacatecas", 1)[0][0] == 8


def test_the_new_index_is_a_new_object_and_the_old_one_is_unchanged() -> None:
    texts = titles(300)
    index = fitted(texts)
    before = {q: index.scores(q).copy() for q in QUERIES}
    ids, top = index.ids.copy(), index.search("datos", 10)
    first = index.updated({ids[1]: "Zacatecas", 77_777: "Oficina Zacatecas"}, [ids[2]])
    first_scores = {q: first.scores(q).copy() for q in QUERIES}
    second = first.updated({ids[3]: "Zacatecas y más"}, [ids[4], 77_777])
    assert first is not index and second is not first
    for query in QUERIES:  # neither the fitted index nor the first update moved
        assert np.array_equal(index.scores(query), before[query])
        assert np.array_equal(first.scores(query), first_scores[query])
    assert np.array_equal(index.ids, ids) and index.search("datos", 10) == top
    assert 77_777 in first.ids.tolist() and 77_777 not in second.ids.tolist()
    assert first.search("zacatecas", 5)[0][0] in (ids[1], 77_777)


def test_a_fit_scores_as_scikit_learns_tfidf_of_character_ngrams() -> None:
    """The index keeps words, not n-gram rows, yet scores as the vectorizer it replaced."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from directory.text import fold

    texts = titles(300) | {1: "", 2: "a", 3: "Ñandú   año\tdiseño  ágil", 4: "x y z x"}
    ids = sorted(texts)
    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, lowercase=False,
        preprocessor=fold, dtype=np.float32,
    )  # fmt: skip
    matrix = vectorizer.fit_transform([texts[i] for i in ids])
    index = fitted(texts)
    for query in [*QUERIES, "año diseño", "x", "zzz", ""]:
        expected = np.zeros(len(ids), dtype=np.float32)
        if fold(query):
            expected = (matrix @ vectorizer.transform([query]).T).toarray().ravel()
        np.testing.assert_allclose(index.scores(query), expected, atol=1e-5)


def test_scores_of_a_few_records_after_updates_need_no_full_scan() -> None:
    """A match scores its candidates right after a change with the current IDF (the full
    scan's norms are brought up to date only when a search asks for every record)."""
    texts = titles(300)
    index, original = fitted(texts), sorted(texts)
    for step in range(4):
        changed = {60_000 + step: "Ingeniera de datos en Zacatecas", original[step]: "Otra"}
        gone = original[-1 - step]
        index = index.updated(changed, [gone])
        texts = {i: t for i, t in texts.items() if i != gone} | changed
    refit, some = fitted(texts), sorted(texts)[::5]
    for query in QUERIES:
        expected = refit.scores_for(query, some)
        got = index.scores_for(query, some)
        assert got.keys() == expected.keys()
        for record_id, score in expected.items():
            assert got[record_id] == pytest.approx(score, abs=1e-5)
    assert_same_as_refit(index, texts)


def test_the_index_keeps_words_not_ngram_rows() -> None:
    """Its memory grows with the distinct words, not with every text's n-grams."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = list(titles(3000).values())
    matrix = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)).fit_transform(texts)
    index = CharNgramIndex(list(range(len(texts))), texts)
    rows = matrix.data.nbytes + matrix.indices.nbytes + matrix.indptr.nbytes
    assert index.nbytes() < rows / 4


def test_edge_cases_keep_the_contract() -> None:
    texts = titles(300)
    index = fitted(texts)
    assert index.updated({}, []) is index
    # An id both changed and gone keeps its new text; an empty text is a row that
    # matches nothing but still counts as a document, as in a refit.
    ids = sorted(texts)
    changed = {ids[0]: "Oficina Zacatecas", 1: "", 2: "datos", 3: "datos"}
    after = index.updated(changed, [ids[0]])
    assert_same_as_refit(after, texts | changed)
    assert after.scores_for("datos", [1]) == {1: 0.0}
    assert [i for i, _ in after.search("datos", 2)] == [2, 3]  # ties broken by id
    assert after.scores("   ").tolist() == [0.0] * len(after)
    assert after.scores_for("", [2]) == {} and after.search("xxjj", 5) == []
    empty = after.updated({}, after.ids.tolist())
    assert len(empty) == 0 and empty.scores("datos").shape == (0,)
    assert empty.search("datos", 5) == [] and empty.scores_for("datos", [2]) == {}
    again = empty.updated({4: "Ingeniera de datos"}, [])
    assert [i for i, _ in again.search("datos", 5)] == [4]
