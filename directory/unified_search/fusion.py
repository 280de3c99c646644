"""Reciprocal rank fusion of the keyword and semantic lists: pure, no Flask, no database.

Each list votes 1 / (K + rank) for its records; a record both lists found collects both
votes, so it rises above one that only one list liked. Ranks, not scores, are fused: a
keyword score and a cosine are on scales that cannot be added.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Key = tuple[str, int]  # (kind, record id)
K = 60  # the usual RRF constant: it flattens the difference between ranks 1 and 2


@dataclass(frozen=True)
class Fused:
    """One record of the merged list, with where each list had it (None: not found)."""

    kind: str
    id: int
    score: float
    keyword_rank: int | None
    semantic_rank: int | None

    @property
    def key(self) -> Key:
        """(kind, id)."""
        return (self.kind, self.id)


def _ranks(keys: Iterable[Key]) -> dict[Key, int]:
    """1-based rank of each key, first occurrence wins (a list may repeat a record)."""
    ranks: dict[Key, int] = {}
    for key in keys:
        if key not in ranks:
            ranks[key] = len(ranks) + 1
    return ranks


def fuse(keyword: Sequence[Key], semantic: Sequence[Key], k: int = K) -> list[Fused]:
    """The two ranked lists merged, deduplicated by record, best first.

    Ties (equal votes) keep the keyword list's order, then the semantic list's, so a page
    never shuffles between two identical requests.
    """
    by_keyword, by_meaning = _ranks(keyword), _ranks(semantic)
    merged: list[Fused] = []
    for key in {**by_keyword, **by_meaning}:
        kw, sem = by_keyword.get(key), by_meaning.get(key)
        score = (1.0 / (k + kw) if kw else 0.0) + (1.0 / (k + sem) if sem else 0.0)
        merged.append(Fused(key[0], key[1], score, kw, sem))
    merged.sort(
        key=lambda f: (
            -f.score,
            f.keyword_rank or len(by_keyword) + 1,
            f.semantic_rank or len(by_meaning) + 1,
        )
    )
    return merged


def count_by_kind(hits: Iterable[Fused]) -> dict[str, int]:
    """How many hits of each kind (for the filter tabs)."""
    counts: dict[str, int] = {}
    for hit in hits:
        counts[hit.kind] = counts.get(hit.kind, 0) + 1
    return counts


def page_of(hits: Sequence[Fused], page: int, per_page: int) -> tuple[list[Fused], int, int]:
    """One page of hits, the page actually shown (clamped) and the number of pages."""
    pages = max(1, -(-len(hits) // per_page))
    page = min(max(1, page), pages)
    return list(hits[(page - 1) * per_page : page * per_page]), page, pages
