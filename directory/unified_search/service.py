"""One search box: keyword and semantic hits fused into one ranked, re-checked list.

The keyword list (the directory's rules) and the semantic list (matching's engine) are
ranked apart, fused by reciprocal rank (fusion.py), re-checked against the database as
ids, counted per kind for the filter tabs, cut into pages, and only the page shown is
loaded, in one query per kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from ..matching import search as semantic
from ..matching.embedder import EmbedderUnavailable
from ..matching.language import guess_language
from ..matching.search import MIN_SEMANTIC
from . import records
from .cards import Card, Evidence, card
from .fusion import Fused, count_by_kind, fuse, page_of
from .snippets import highlight_terms

PER_PAGE = 10
SEMANTIC_POOL = 200  # semantic hits fused (re-checked, across kinds)
MAX_RESULTS = 300  # beyond this a visitor refines with the directory's filters
KINDS = ("opening", "challenge", "organization", "profile", "story")


@dataclass(frozen=True)
class Results:
    """One page of the fused list, its counts per kind and whether meaning took part."""

    query: str
    kinds: tuple[str, ...]
    cards: list[Card] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0  # every kind
    matching: int = 0  # the kinds asked for
    page: int = 1
    pages: int = 1
    semantic_available: bool = True


def clean_query(raw: str | None) -> str:
    """The query with control characters (NUL above all) as spaces, spaces collapsed."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(raw or ""))
    return " ".join(text.split())


def _semantic(query: str, viewer: Any) -> tuple[list[semantic.Scored], bool]:
    """Semantic hits (re-checked ids), or none and False when no model can answer."""
    try:
        found = semantic.find(query, viewer, KINDS, SEMANTIC_POOL)
    except (EmbedderUnavailable, OSError, ImportError, MemoryError) as error:
        # The model could not load or the embedding service is gone: keyword results
        # still answer, and the page says that meaning did not take part.
        current_app.logger.warning("semantic search unavailable: %s", error)
        return [], False
    return found.hits, found.available


def run(
    query: str, viewer: Any, kinds: Sequence[str] = KINDS, page: int = 1, locale: str = "es"
) -> Results:
    """Search every kind for the query; return the requested kinds' page of cards."""
    query = clean_query(query)
    kinds = tuple(kinds)
    if not query:
        return Results(query, kinds)
    keyword = records.keyword_ranked(query, KINDS, viewer)
    meaning, available = _semantic(query, viewer)
    scored = {(hit.kind, hit.id): hit for hit in meaning}
    fused = fuse(keyword, [(hit.kind, hit.id) for hit in meaning])
    # Keyword hits still have to pass matching's rules, semantic hits the directory's.
    allowed = records.allowed_keys([hit.key for hit in fused], viewer)
    fused = [hit for hit in fused if hit.key in allowed][:MAX_RESULTS]
    counts = count_by_kind(fused)
    wanted = [hit for hit in fused if hit.kind in kinds]
    shown, page, pages = page_of(wanted, page, PER_PAGE)
    cards = _cards(shown, scored, query, viewer, locale)
    return Results(
        query,
        kinds,
        cards,
        counts,
        len(fused),
        len(wanted),
        page,
        pages,
        available,
    )


def _cards(
    shown: list[Fused],
    scored: dict[tuple[str, int], semantic.Scored],
    query: str,
    viewer: Any,
    locale: str,
) -> list[Card]:
    """Load the page's records in bulk (re-checked once more) and build their cards."""
    loaded = records.load([hit.key for hit in shown], viewer)
    terms = highlight_terms(query)
    language = guess_language(query)
    out = []
    for hit in shown:
        record = loaded.get(hit.key)
        if record is None:  # hidden between the id check and the load
            continue
        info = scored.get(hit.key)
        similarity = info.similarity if info and info.similarity >= MIN_SEMANTIC else None
        evidence = Evidence(similarity, info.language if info else None)
        out.append(
            card(
                hit.kind,
                record,
                query=query,
                terms=terms,
                evidence=evidence,
                query_language=language,
                locale=locale,
            )
        )
    return out
