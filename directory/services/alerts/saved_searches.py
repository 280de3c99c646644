"""Saved searches: save, change and delete them, and re-run one for the person who owns it.

The stored parameters are the query-string values of `/directory` or `/search`, read by
the same parsers as those pages (`SearchFilters.from_args`, `matching_views.access`), so a
saved search finds exactly what its page finds, and a value that the page would ignore is
never stored. Callers commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import Select, func, select

from ...extensions import db
from ...matching import service as matching
from ...matching_views import access
from ...models import Frequency, SavedSearch, SearchKind, User, utcnow
from .. import search

MAX_NAME = 120
MAX_PER_USER = 50  # bounds what one account costs the digest
# The most results one run returns (a feed, a digest section).
MAX_RESULTS = 100

Result = tuple[str, Any]  # (kind, record): "opening", "challenge", "organization", ...


class AlertError(Exception):
    """A saved search cannot be saved or changed as asked; `message` says why."""

    def __init__(self, message: str | LazyString) -> None:
        super().__init__(str(message))
        self.message = message


def _printable(text: Any) -> str:
    """Text without control characters, runs of white space collapsed."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in str(text or "")).split())


def clean_name(raw: Any) -> str:
    """A saved search's name, or AlertError when none is left."""
    name = _printable(raw)
    if not name:
        raise AlertError(_l("Give the search a name."))
    if len(name) > MAX_NAME:
        raise AlertError(_l("Use at most %(max)d characters.", max=MAX_NAME))
    return name


def clean_frequency(raw: Any) -> str:
    """One of Frequency.ALL, or AlertError."""
    if raw not in Frequency.ALL:
        raise AlertError(_l("Choose how often you want to hear about new results."))
    return str(raw)


def directory_params(args: Mapping[str, Any]) -> dict[str, str]:
    """The directory's query and facets as /directory reads them (page left out)."""
    filters = replace(search.SearchFilters.from_args(args), page=1)
    return filters.params()


def semantic_params(args: Mapping[str, Any]) -> dict[str, str]:
    """A semantic search's text and kinds as /search reads them, or AlertError."""
    q = _printable(args.get("q"))
    error = access.query_error(q)
    if error:
        raise AlertError(error)
    kinds = access.parse_kinds(str(args.get("kind") or ""))
    if kinds is None:
        raise AlertError(access.kind_error())
    params = {"q": q}
    if kinds != access.QUERY_KINDS:
        params["kind"] = ",".join(kinds)
    return params


def params_for(kind: str, args: Mapping[str, Any]) -> dict[str, str]:
    """The parameters to store for a search of this kind."""
    if kind == SearchKind.DIRECTORY:
        return directory_params(args)
    if kind == SearchKind.SEMANTIC:
        return semantic_params(args)
    raise AlertError(_l("Unknown kind of search."))


def count_for(user: User) -> int:
    """How many searches the user has saved."""
    query = select(func.count()).select_from(SavedSearch).where(SavedSearch.user_id == user.id)
    return db.session.scalar(query) or 0


def save_search(
    user: User, *, kind: str, name: Any, frequency: Any, args: Mapping[str, Any]
) -> SavedSearch:
    """Save a search of the user's (flushed; the caller commits)."""
    if count_for(user) >= MAX_PER_USER:
        raise AlertError(
            _l("You can keep at most %(max)d saved searches. Delete one first.", max=MAX_PER_USER)
        )
    saved = SavedSearch(
        user=user,
        kind=kind,
        params=params_for(kind, args),
        name=clean_name(name),
        frequency=clean_frequency(frequency),
    )
    db.session.add(saved)
    db.session.flush()
    return saved


def update_search(saved: SavedSearch, *, name: Any, frequency: Any) -> None:
    """Rename a search and change how often it alerts."""
    saved.name = clean_name(name)
    saved.frequency = clean_frequency(frequency)


def set_paused(saved: SavedSearch, paused: bool) -> None:
    """Pause a search's alerts, or resume them (its feed keeps working either way)."""
    saved.paused = paused


def delete_search(saved: SavedSearch) -> None:
    """Delete a search; its feed token dies with it."""
    db.session.delete(saved)


def owned_search(user: User, search_id: int) -> SavedSearch | None:
    """The user's saved search with this id, or None (someone else's is None too)."""
    saved = db.session.get(SavedSearch, search_id)
    return saved if saved is not None and saved.user_id == user.id else None


def searches_of(user: User) -> list[SavedSearch]:
    """The user's saved searches, newest first."""
    return list(
        db.session.scalars(
            select(SavedSearch)
            .where(SavedSearch.user_id == user.id)
            .order_by(SavedSearch.created_at.desc(), SavedSearch.id.desc())
        )
    )


# --- running a search: what feeds, previews and the alert engine call ------------------


def newest_results(filters: search.SearchFilters, viewer: Any, limit: int = 20) -> list[Result]:
    """A directory search's first `limit` results, newest first (the public feeds too)."""
    filters = replace(filters, sort="date", page=1)
    found: list[Result] = []
    while len(found) < limit:
        result = search.search(filters, viewer)
        found.extend((hit.kind, hit.record) for hit in result.hits)
        if result.page >= result.pages:
            break
        filters = replace(filters, page=result.page + 1)
    return found[:limit]


def _semantic_results(saved: SavedSearch, viewer: Any, limit: int) -> list[Result]:
    kinds = access.parse_kinds(str(saved.params.get("kind") or ""))
    query = str(saved.params.get("q") or "")
    if kinds is None or access.query_error(query):
        return []  # stored before a rule changed: finds nothing rather than fail
    return [(hit.kind, hit.record) for hit in matching.search(query, viewer, kinds, limit)]


def run_saved_search(
    saved: SavedSearch, viewer: User | None = None, limit: int = 20
) -> list[Result]:
    """The search's current results as (kind, record) pairs, best first, for `viewer`
    (its owner by default): only records that person may see now.

    Directory searches come newest first; semantic searches most relevant first (through
    `matching.service.search`, which re-checks each hit against the database). An
    inactive account gets nothing.
    """
    viewer = viewer if viewer is not None else saved.user
    if viewer is None or not getattr(viewer, "active", False):
        return []
    limit = max(0, min(limit, MAX_RESULTS))
    if not limit:
        return []
    if saved.kind == SearchKind.SEMANTIC:
        return _semantic_results(saved, viewer, limit)
    # Newest first whatever order was saved: what is new is what an alert is about.
    return newest_results(search.SearchFilters.from_args(saved.params), viewer, limit)


def result_time(record: Any) -> datetime:
    """When a result became what it is: its publication, else its last change."""
    return getattr(record, "published_at", None) or record.updated_at


def due_searches(frequency: str) -> Select[tuple[SavedSearch]]:
    """Searches whose alerts go out at this frequency (not paused, owner active), ordered
    by owner so a digest can batch one mail per person; stream it with `yield_per`."""
    return (
        select(SavedSearch)
        .join(SavedSearch.user)
        .where(
            SavedSearch.frequency == frequency,
            SavedSearch.paused.is_(False),
            User.active.is_(True),
        )
        .order_by(SavedSearch.user_id, SavedSearch.id)
    )


def mark_run(saved: SavedSearch, when: datetime | None = None) -> None:
    """Record that the alert engine has sent this search's results up to `when` (now)."""
    saved.last_run_at = when or utcnow()
