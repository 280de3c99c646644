"""One page of a query's results, for the curation lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select

from ..extensions import db

T = TypeVar("T")


@dataclass
class Page(Generic[T]):
    """Rows of one page with where it sits among the others."""

    items: list[T]
    page: int
    pages: int
    total: int


def page_number(raw: Any) -> int:
    """A page number from a query string: anything that is not a positive number is 1."""
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= 100_000 else 1


def paginate(query: Select[Any], page: int, per_page: int, *, rows: bool = False) -> Page[Any]:
    """Run an ordered query for one page; a page past the end shows the last one.

    Items are the first column's objects, or whole result rows (tuples) with `rows`.
    """
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    total = total or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    window = query.limit(per_page).offset((page - 1) * per_page)
    if rows:
        items = [tuple(row) for row in db.session.execute(window)]
    else:
        items = list(db.session.scalars(window))
    return Page(items=items, page=page, pages=pages, total=total)
