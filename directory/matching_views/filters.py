"""The filters and pages of "My matches", read from and written back to the query string.

Every value is checked against a closed list: an unknown one is dropped with a sentence
saying so (the page answers 400), never passed on to a query.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from ..geo import STATE_NAMES
from ..matching.ranking import FIT_BANDS, calibrated_fit
from ..services.paging import page_number

PER_PAGE = 10
KINDS = ("opening", "challenge")
VIEWS = ("saved", "hidden")
FITS = tuple(band for band, _lowest in FIT_BANDS)


@dataclass(frozen=True)
class MineFilters:
    """What the person asked to see: kind, place, minimum fit, the saved or hidden list."""

    kind: str = ""
    state: str = ""
    remote: bool = False
    fit: str = ""
    view: str = ""
    page: int = 1

    def args(self, **changes: Any) -> dict[str, Any]:
        """Query-string values of these filters with some changed (defaults left out)."""
        changed = replace(self, **changes)
        values = {
            "kind": changed.kind,
            "state": changed.state,
            "remote": "1" if changed.remote else "",
            "fit": changed.fit,
            "view": changed.view,
            "page": changed.page if changed.page > 1 else "",
        }
        return {key: value for key, value in values.items() if value}

    @property
    def active(self) -> bool:
        """Whether any filter narrows the list (the saved/hidden view aside)."""
        return bool(self.kind or self.state or self.remote or self.fit)


def parse(args: MultiDict[str, str]) -> tuple[MineFilters, str | None]:
    """Filters from a query string, and a sentence when some value was not understood."""
    wrong = False

    def pick(name: str, allowed: Any) -> str:
        nonlocal wrong
        value = (args.get(name) or "").strip()
        if value and value not in allowed:
            wrong = True
            return ""
        return value

    filters = MineFilters(
        kind=pick("kind", KINDS),
        state=pick("state", STATE_NAMES),
        remote=pick("remote", ("1",)) == "1",
        fit=pick("fit", FITS),
        view=pick("view", VIEWS),
        page=page_number(args.get("page", 1)),
    )
    error = _("Some filters were not understood and were left out.") if wrong else None
    return filters, error


def _place_fits(record: Any, filters: MineFilters) -> bool:
    if not filters.state and not filters.remote:
        return True
    remote = getattr(record, "remote_policy", None) == "remote"
    in_state = bool(filters.state) and record.state_code == filters.state
    # "Jalisco" and "remote" together: what I could take from Jalisco.
    return in_state or (filters.remote and remote)


def keep(match: Any, record: Any, filters: MineFilters, *, ignore_kind: bool = False) -> bool:
    """Whether a (match, record) pair passes the place, fit and (unless told) kind filters."""
    if not ignore_kind and filters.kind and match.kind != filters.kind:
        return False
    if filters.fit and calibrated_fit(match.score) < dict(FIT_BANDS)[filters.fit]:
        return False
    return _place_fits(record, filters)


@dataclass(frozen=True)
class Paged:
    """One page of a filtered list."""

    items: list[Any]
    page: int
    pages: int
    total: int


def page_of(items: list[Any], page: int) -> Paged:
    """The requested page of a list; past the end shows the last page."""
    pages = max(1, -(-len(items) // PER_PAGE))
    page = min(max(1, page), pages)
    start = (page - 1) * PER_PAGE
    return Paged(items[start : start + PER_PAGE], page, pages, len(items))
