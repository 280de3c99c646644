"""Keyword search with facets over everything the directory lists, for one viewer.

Visibility and facets are SQL filters, so totals and counts are exact; relevance is
computed in Python over at most CANDIDATE_CAP candidates per kind, which keeps the SQL
portable (a LIKE over the folded `search_text` column, same on SQLite and PostgreSQL).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, literal, or_, select
from sqlalchemy.orm import joinedload, selectinload

from .. import geo, permissions, vocab
from ..extensions import db
from ..models import Challenge, Opening, Organization, Profile, Skill, SuccessStory
from ..text import fold
from .facets import FACETS, GROUPS, KINDS, MODELS, Facet, build_facets, clauses
from .facets import SKILL_FACET_SIZE as SKILL_FACET_SIZE  # re-exported, with FacetOption
from .facets import FacetOption as FacetOption

PER_PAGE = 20
CANDIDATE_CAP = 2000  # per kind: bounds the Python relevance pass
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
SORTS = ("relevance", "date")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_PUNCTUATION = "\"'.,;:!?¿¡()[]{}«»“”"

# The words a title match counts for: names and titles.
_TITLES: dict[str, tuple[Any, ...]] = {
    "organization": (Organization.name,), "profile": (Profile.full_name,),
    "opening": (Opening.title,), "challenge": (Challenge.title,),
    "story": (SuccessStory.title_es, SuccessStory.title_en),
}  # fmt: skip
_SUBTITLES: dict[str, Any] = {"profile": Profile.headline}
_ALLOWED: dict[str, Iterable[str]] = {
    "state": geo.STATE_NAMES,
    **{name: vocab.GROUPS[group] for name, group in GROUPS.items()},
}


@dataclass(frozen=True)
class SearchFilters:
    """What the visitor asked for; every value is already checked (unknown ones are None)."""

    q: str = ""
    kind: str | None = None
    state: str | None = None
    area: str | None = None
    skill: str | None = None
    sector: str | None = None
    org_kind: str | None = None
    diaspora: str | None = None
    remote: str | None = None
    stage: str | None = None
    risk: str | None = None
    sort: str = "relevance"
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> SearchFilters:
        """Read query-string values, ignoring anything unknown or malformed."""
        # Control characters (NUL above all: PostgreSQL refuses it) never belong in a query.
        q = "".join(ch if ch.isprintable() else " " for ch in str(args.get("q") or ""))
        values: dict[str, Any] = {"q": q.strip()[:MAX_QUERY_LENGTH]}
        for name in FACETS:
            raw = str(args.get(name) or "").strip()
            allowed = _ALLOWED.get(name)
            ok = raw in allowed if allowed is not None else bool(_SLUG.match(raw))
            values[name] = raw if ok else None
        sort = str(args.get("sort") or "")
        values["sort"] = sort if sort in SORTS else "relevance"
        page = str(args.get("page") or "")
        values["page"] = max(1, int(page)) if page.isdigit() and len(page) <= 6 else 1
        return cls(**values)

    def active(self) -> dict[str, str]:
        """The facets in use, by name."""
        return {name: getattr(self, name) for name in FACETS if getattr(self, name)}

    def params(self, **changes: str | int | None) -> dict[str, str]:
        """Query-string values for a link; a change resets the page unless it sets one."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        if changes and "page" not in changes:
            values["page"] = 1
        values.update(changes)
        defaults = {"sort": "relevance", "page": 1}
        return {
            key: str(value)
            for key, value in values.items()
            if value not in (None, "") and defaults.get(key) != value
        }


@dataclass(frozen=True)
class _Candidate:
    id: int
    when: datetime
    title: str
    subtitle: str
    text: str


@dataclass(frozen=True)
class Hit:
    """One result: its kind, the loaded record and its relevance score."""

    kind: str
    record: Any
    score: float


@dataclass(frozen=True)
class SearchResult:
    """A page of hits with totals, facets and the filters actually applied."""

    filters: SearchFilters
    hits: list[Hit]
    total: int
    page: int
    pages: int
    facets: list[Facet]


def query_terms(q: str) -> list[str]:
    """Fold a query and split it into distinct terms (accents and case ignored)."""
    terms: list[str] = []
    for word in fold(q).split():
        term = word.strip(_PUNCTUATION)[:60]
        if term and term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def _base_clauses(kind: str, viewer: permissions.Viewer | None, terms: list[str]) -> list[Any]:
    """What the viewer may see of a kind, and the keyword terms that must all appear."""
    model = MODELS[kind]
    today = date.today()
    visible: dict[str, list[Any]] = {
        "organization": [
            permissions.visible_orgs_clause(viewer),
            Organization.merged_into_id.is_(None),
        ],
        "profile": [permissions.visible_profiles_clause(viewer)],
        "opening": [
            permissions.listed_posts_clause(Opening),
            or_(Opening.closes_on.is_(None), Opening.closes_on >= today),
        ],
        "challenge": [
            permissions.listed_posts_clause(Challenge),
            or_(Challenge.closes_on.is_(None), Challenge.closes_on >= today),
        ],
        "story": [permissions.listed_stories_clause()],
    }
    return visible[kind] + [model.search_text.contains(t, autoescape=True) for t in terms]


def _count(kind: str, where: list[Any]) -> int:
    model = MODELS[kind]
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def listed_count(kind: str, viewer: permissions.Viewer | None = None) -> int:
    """How many records of a kind the directory lists to a viewer (anonymous by default)."""
    return _count(kind, _base_clauses(kind, viewer, []))


def _candidates(kind: str, where: list[Any], with_text: bool) -> list[_Candidate]:
    """The newest matching records of a kind, with what relevance scoring needs."""
    model = MODELS[kind]
    when = model.updated_at
    if hasattr(model, "published_at"):
        when = func.coalesce(model.published_at, model.updated_at, type_=model.updated_at.type)
    titles = _TITLES[kind]
    extra = [_SUBTITLES.get(kind, literal("")), model.search_text] if with_text else []
    rows = db.session.execute(
        select(model.id, when, *titles, *extra)
        .where(*where)
        .order_by(when.desc(), model.id.desc())
        .limit(CANDIDATE_CAP)
    ).all()
    n = len(titles)
    candidates = []
    for row in rows:
        title = fold(" ".join(t or "" for t in row[2 : 2 + n]))
        subtitle, text = (fold(row[2 + n] or ""), row[3 + n] or "") if with_text else ("", "")
        candidates.append(_Candidate(row[0], _aware(row[1]), title, subtitle, text))
    return candidates


def _aware(value: datetime | None) -> datetime:
    if value is None:
        return datetime.min.replace(tzinfo=UTC)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def score(terms: list[str], title: str, text: str, subtitle: str = "") -> float:
    """Relevance: a term in the title or name counts three or four times one found elsewhere
    (a whole word more than a part of one); a profile's headline counts twice."""
    if not terms:
        return 0.0
    title_words = set(re.findall(r"\w+", title))
    total = 0.0
    for term in terms:
        if term in title_words:
            total += 4
        elif term in title:
            total += 3
        elif term in subtitle:
            total += 2
        elif term in text:
            total += 1
    if len(terms) > 1 and " ".join(terms) in title:
        total += 2
    return total


def _resolve_skill_filters(filters: SearchFilters) -> SearchFilters:
    """Drop area and skill slugs that are not in the vocabulary (areas must be areas)."""
    changes: dict[str, str | None] = {}
    for name in ("area", "skill"):
        slug = getattr(filters, name)
        if slug:
            skill = db.session.scalar(select(Skill).where(Skill.slug == slug))
            if skill is None or (name == "area" and skill.category != "area"):
                changes[name] = None
    return replace(filters, **changes) if changes else filters


def _load(kind: str, ids: list[int]) -> dict[int, Any]:
    model = MODELS[kind]
    options = {
        "organization": [selectinload(Organization.skills)],
        # Many-to-one relations ride along in the same query; collections come by IN.
        "profile": [selectinload(Profile.skills), joinedload(Profile.user)],
        "opening": [selectinload(Opening.skills), joinedload(Opening.organization)],
        "challenge": [selectinload(Challenge.skills), joinedload(Challenge.organization)],
        "story": [selectinload(SuccessStory.organizations)],
    }[kind]
    records = db.session.scalars(select(model).where(model.id.in_(ids)).options(*options))
    return {record.id: record for record in records}


def search(
    filters: SearchFilters, viewer: permissions.Viewer | None, locale: str = "es"
) -> SearchResult:
    """Run a search for a viewer: one page of hits, the total and the facet counts."""
    filters = _resolve_skill_filters(filters)
    terms = query_terms(filters.q)
    by_relevance = filters.sort == "relevance" and bool(terms)
    bases = {kind: _base_clauses(kind, viewer, terms) for kind in KINDS}
    active = filters.active()
    ranked: list[tuple[tuple[Any, ...], str, int, float]] = []
    counts: dict[str, int] = {}  # per kind, reused by the kind facet
    for order, kind in enumerate(KINDS):
        where = clauses(kind, active, bases[kind])
        if where is None:
            continue
        rows = _candidates(kind, where, with_text=by_relevance)
        counts[kind] = len(rows) if len(rows) < CANDIDATE_CAP else _count(kind, where)
        for row in rows:
            points = score(terms, row.title, row.text, row.subtitle) if by_relevance else 0.0
            # Ties: newer first, then a fixed kind order and id, so pages never shuffle.
            key = (-points, -row.when.timestamp(), order, -row.id)
            ranked.append((key, kind, row.id, points))
    ranked.sort(key=lambda item: item[0])
    pages = max(1, math.ceil(len(ranked) / PER_PAGE))
    page = min(filters.page, pages)
    window = ranked[(page - 1) * PER_PAGE : page * PER_PAGE]
    loaded: dict[str, dict[int, Any]] = {}
    for kind in KINDS:
        ids = [record_id for _, k, record_id, _ in window if k == kind]
        loaded[kind] = _load(kind, ids) if ids else {}
    hits = [
        Hit(kind, loaded[kind][record_id], points)
        for _, kind, record_id, points in window
        if record_id in loaded[kind]
    ]
    filters = replace(filters, page=page)
    facets = build_facets(active, bases, locale, counts)
    return SearchResult(filters, hits, sum(counts.values()), page, pages, facets)
