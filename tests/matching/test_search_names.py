"""The exact-name promise of semantic search: every name containing the query is found."""

from __future__ import annotations

import numpy as np

from directory.matching.search import _Names


def _names(*names: str) -> _Names:
    lengths = np.array([len(n) + 1 for n in names])
    return _Names("\n".join(names), np.concatenate(([0], np.cumsum(lengths)[:-1])))


def test_every_name_containing_the_query_as_words_is_found_once() -> None:
    names = _names("vision mx", "datos abiertos", "vision vision", "", "supervision")
    assert names.containing("vision").tolist() == [0, 2]
    assert names.containing("datos abiertos").tolist() == [1]
    assert names.containing("ausente").tolist() == []


def test_a_short_query_does_not_boost_words_that_merely_contain_it() -> None:
    names = _names("agencia digital", "ciencia de datos", "laboratorio de ia", "ia-lab")
    assert names.containing("ia").tolist() == [2, 3]
