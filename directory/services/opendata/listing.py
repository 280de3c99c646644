"""What the listing API and the open-data files contain: published records, in id order.

The records are those the directory lists to an anonymous visitor, through the same SQL
filters as its search (services/search.py) and facets (services/facets.py): published
organisations; open, published openings and challenges of published organisations;
published stories; profiles their owners made public, of active accounts. Pages are read
by keyset (records after an id), so a client that follows them to the end sees each record
once, however many are added or removed meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import false, select
from sqlalchemy.orm import joinedload, selectinload

from ...extensions import db
from ...models import Challenge, Opening, Organization, Profile, Skill, SuccessStory
from ..facets import FACETS, facet_clause
from ..facets import clauses as facet_clauses
from ..search import MAX_QUERY_LENGTH, _base_clauses, query_terms
from .fields import DATASETS

DEFAULT_LIMIT, MAX_LIMIT = 20, 100
BATCH = 500  # records per query when a whole dataset is read (the nightly files)


def facets_of(dataset: str) -> tuple[str, ...]:
    """The directory's facets that apply to a dataset (its query parameters)."""
    kind = DATASETS[dataset][0]
    return tuple(name for name in FACETS if facet_clause(kind, name, "x") is not None)


_LOAD: dict[str, list[Any]] = {
    "organizations": [selectinload(Organization.skills)],
    "openings": [selectinload(Opening.skills), joinedload(Opening.organization)],
    "challenges": [selectinload(Challenge.skills), joinedload(Challenge.organization)],
    "stories": [selectinload(SuccessStory.organizations)],
    "people": [selectinload(Profile.skills)],
}


@dataclass(frozen=True)
class Page:
    """Records of one page and the id to continue after (None at the end)."""

    records: list[Any]
    next_after: int | None


def _is_area(slug: str) -> bool:
    category = db.session.scalar(select(Skill.category).where(Skill.slug == slug))
    return category == "area"


def where(dataset: str, filters: Mapping[str, str], q: str = "") -> list[Any]:
    """The SQL filters of a dataset for an anonymous visitor, with facets and keywords."""
    kind, model, _fields = DATASETS[dataset]
    allowed = facets_of(dataset)
    active = {name: value for name, value in filters.items() if name in allowed and value}
    terms = query_terms(q[:MAX_QUERY_LENGTH])
    clauses = facet_clauses(kind, active, _base_clauses(kind, None, terms))
    if clauses is None or ("area" in active and not _is_area(active["area"])):
        return [false()]  # a filter no record of this kind can meet
    if model is Challenge:
        clauses.append(Challenge.merged_into_id.is_(None))  # as in the sitemap
    return clauses


def page(
    dataset: str,
    filters: Mapping[str, str] | None = None,
    *,
    q: str = "",
    after: int = 0,
    limit: int = DEFAULT_LIMIT,
) -> Page:
    """Up to `limit` records with an id above `after`, and where the next page starts."""
    model = DATASETS[dataset][1]
    query = (
        select(model)
        .where(*where(dataset, filters or {}, q), model.id > after)
        .options(*_LOAD[dataset])
        .order_by(model.id)
        .limit(limit + 1)
    )
    records = list(db.session.scalars(query))
    if len(records) > limit:
        records = records[:limit]
        return Page(records, records[-1].id)
    return Page(records, None)


def every_record(dataset: str) -> Iterator[Any]:
    """Every record of a dataset, a batch at a time (the session's identity map is weak:
    records no longer referenced are freed, so memory stays flat)."""
    after = 0
    while True:
        batch = page(dataset, after=after, limit=BATCH)
        yield from batch.records
        if batch.next_after is None:
            return
        after = batch.next_after
