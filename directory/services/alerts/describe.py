"""What a saved search asks for, in words: its query and each filter with its label."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from ... import geo, vocab
from ...extensions import db
from ...models import SavedSearch, SearchKind, Skill
from ..facets import GROUPS
from ..search import SearchFilters


def _value_label(name: str, value: str, locale: str) -> str:
    if name == "state":
        return geo.state_name(value) or value
    if name in ("area", "skill"):
        skill = db.session.scalar(select(Skill).where(Skill.slug == value))
        return skill.label(locale) if skill is not None else value
    return vocab.label(GROUPS[name], value) if name in GROUPS else value


def describe(saved: SavedSearch, locale: str) -> list[tuple[str, str]]:
    """(part, label) pairs: "q" and the query, then each filter's facet name and value."""
    return describe_params(saved.kind, saved.params, locale)


def describe_params(kind: str, params: Mapping[str, Any], locale: str) -> list[tuple[str, str]]:
    """The same for a search not saved: its kind and query-string values."""
    if kind == SearchKind.SEMANTIC:
        parts = [("q", str(params.get("q") or ""))]
        kinds = [k for k in str(params.get("kind") or "").split(",") if k]
        parts += [("kind", vocab.label("record_kinds", kind)) for kind in kinds]
        return parts
    filters = SearchFilters.from_args(params)
    parts = [("q", filters.q)] if filters.q else []
    parts += [(name, _value_label(name, value, locale)) for name, value in filters.active().items()]
    return parts
