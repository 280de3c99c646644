"""How the scorers are weighed: measured on MELO (bench/matching_quality.py), not guessed.

Each scorer gives every record a similarity; per query each score vector is z-normalised
(mean 0, deviation 1 over the records) so scorers on different scales can be added, then
summed with weights. Lexical evidence is weighed by whether the query and the record are in
the same language: character n-grams help within a language and mislead across languages,
and an equal-weight fusion of a strong and a weak scorer is worse than the strong one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Recipe:
    """Weights of each scorer in the fused score."""

    dense: Mapping[str, float]  # embedder name → weight
    lexical_same_language: float
    lexical_cross_language: float


def zscore(scores: np.ndarray) -> np.ndarray:
    """Standardise one query's scores over all records."""
    import numpy as np

    if scores.size == 0:
        return scores
    deviation = float(scores.std())
    if deviation < 1e-9:
        return np.zeros_like(scores)
    return (scores - float(scores.mean())) / deviation


def fuse(
    recipe: Recipe,
    dense: Mapping[str, np.ndarray],
    lexical: np.ndarray | None,
    same_language: np.ndarray | None,
) -> np.ndarray:
    """Weighted sum of z-normalised scores; `same_language` is a boolean per record."""
    import numpy as np

    total: np.ndarray | None = None
    for name, weight in recipe.dense.items():
        if weight and name in dense:
            part = weight * zscore(dense[name])
            total = part if total is None else total + part
    if lexical is not None:
        if same_language is None:
            weights = np.full(lexical.shape, recipe.lexical_same_language, dtype=np.float32)
        else:
            weights = np.where(
                same_language, recipe.lexical_same_language, recipe.lexical_cross_language
            ).astype(np.float32)
        if weights.any():
            part = weights * zscore(lexical)
            total = part if total is None else total + part
    if total is None:
        size = lexical.shape[0] if lexical is not None else 0
        return np.zeros(size, dtype=np.float32)
    return total
