"""The directory's facets: which apply to each kind of record, their SQL filters and counts.

Every facet is counted with all the other active filters applied. Counts come from one
grouped query per facet (a UNION ALL over the kinds it applies to) instead of one per kind;
organisation sectors, a JSON list, are counted in Python.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel.speaklater import LazyString
from sqlalchemy import ColumnElement, Select, String, cast, func, literal, select, union_all
from sqlalchemy.orm import aliased

from .. import geo, vocab
from ..extensions import db
from ..models import Challenge, Opening, Organization, Profile, Skill, SuccessStory

KINDS: tuple[str, ...] = tuple(vocab.RECORD_KINDS)
MODELS: dict[str, Any] = {"organization": Organization, "profile": Profile, "opening": Opening,
                          "challenge": Challenge, "story": SuccessStory}  # fmt: skip
FACETS = ("kind", "state", "area", "skill", "sector", "org_kind", "diaspora", "remote", "stage",
          "risk")  # fmt: skip
SKILL_FACET_SIZE = 15
# Plain-column facets per kind; area, skill and organisation sectors are handled apart.
COLUMNS: dict[str, dict[str, Any]] = {
    "organization": {"state": Organization.state_code, "org_kind": Organization.kind},
    "profile": {"state": Profile.state_code, "diaspora": Profile.diaspora_status},
    "opening": {"state": Opening.state_code, "remote": Opening.remote_policy},
    # risk: the level of the challenge's risk self-assessment (models/proposals.py), a
    # correlated subquery: counted and filtered like a column.
    "challenge": {"state": Challenge.state_code, "stage": Challenge.stage,
                  "sector": Challenge.sector, "risk": Challenge.risk_level},
    "story": {"state": SuccessStory.state_code, "sector": SuccessStory.sector},
}  # fmt: skip
SKILLED = ("organization", "profile", "opening", "challenge")
# Facets over controlled values, by vocabulary group (state uses geo).
GROUPS = {"kind": "record_kinds", "sector": "sectors", "org_kind": "org_kinds",
          "diaspora": "diaspora_status", "remote": "remote_policies",
          "stage": "stages", "risk": "risk_levels"}  # fmt: skip


@dataclass(frozen=True)
class FacetOption:
    """One value of a facet with how many results it would give."""

    value: str
    label: str | LazyString
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    """A facet's options, most frequent first (kinds in their fixed order)."""

    name: str
    options: list[FacetOption]


def facet_clause(kind: str, name: str, value: str) -> ColumnElement[bool] | None:
    """The SQL filter of one facet for a kind, or None when the facet does not apply."""
    model = MODELS[kind]
    if name == "kind":
        return None
    if name in ("area", "skill"):
        return model.skills.any(Skill.slug == value) if kind in SKILLED else None
    if name == "sector" and kind == "organization":
        # sectors is a JSON list of vocabulary keys: match the quoted key in its text.
        return cast(Organization.sectors, String).contains(f'"{value}"', autoescape=True)
    column = COLUMNS[kind].get(name)
    return column == value if column is not None else None


def clauses(
    kind: str, active: Mapping[str, str], base: list[Any], skip: str | None = None
) -> list[Any] | None:
    """All active filters for a kind (but `skip`), or None when a filter rules the kind out."""
    where = list(base)
    for name, value in active.items():
        if name == skip:
            continue
        if name == "kind":
            if value != kind:
                return None
            continue
        clause = facet_clause(kind, name, value)
        if clause is None:
            return None
        where.append(clause)
    return where


def _grouped(kind: str, name: str, where: list[Any]) -> Select[Any]:
    """How many records of a kind carry each value of a facet: (value, count) rows."""
    model = MODELS[kind]
    if name in ("area", "skill"):
        # An alias, so the facet filters' EXISTS subqueries over skills are not correlated.
        skill = aliased(Skill)
        category = skill.category == "area" if name == "area" else skill.category != "area"
        return (
            select(skill.slug, func.count(func.distinct(model.id)))
            .select_from(model)
            .join(model.skills.of_type(skill))
            .where(*where, category)
            .group_by(skill.slug)
        )
    column = COLUMNS[kind][name]
    return select(column, func.count()).select_from(model).where(*where).group_by(column)


def _value_counts(
    wheres_by_facet: Mapping[str, Mapping[str, list[Any]]],
) -> dict[str, Counter[str]]:
    """How many records carry each value of each facet, summed over the kinds it applies to.

    Every facet's grouped counts travel in one UNION ALL (a facet-name column tells them
    apart): one round trip instead of one per facet.
    """
    counts: dict[str, Counter[str]] = {name: Counter() for name in wheres_by_facet}
    parts = []
    for name, wheres in wheres_by_facet.items():
        for kind, where in wheres.items():
            if facet_clause(kind, name, "x") is None:
                continue
            if name == "sector" and kind == "organization":
                for sectors in db.session.scalars(select(Organization.sectors).where(*where)):
                    counts[name].update(set(sectors or []))
            else:
                grouped = _grouped(kind, name, where)
                parts.append(grouped.add_columns(literal(name, String).label("facet")))
    if parts:
        query = parts[0] if len(parts) == 1 else union_all(*parts)
        for value, n, name in db.session.execute(query):
            if value:
                counts[name][value] += n
    return counts


def _kind_counts(wheres: Mapping[str, list[Any]], known: Mapping[str, int]) -> Counter[str]:
    """Records per kind: the counts the search already made, the rest in one query."""
    counts: Counter[str] = Counter({kind: known[kind] for kind in wheres if kind in known})
    missing = [kind for kind in wheres if kind not in known]
    if missing:
        row = db.session.execute(
            select(
                *(
                    select(func.count())
                    .select_from(MODELS[kind])
                    .where(*wheres[kind])
                    .scalar_subquery()
                    for kind in missing
                )
            )
        ).one()
        counts.update(dict(zip(missing, row, strict=True)))
    return counts


def _skills(slugs: Iterable[str]) -> dict[str, Skill]:
    """The vocabulary skills with these slugs, in one query."""
    wanted = set(slugs)
    if not wanted:
        return {}
    return {s.slug: s for s in db.session.scalars(select(Skill).where(Skill.slug.in_(wanted)))}


def _options(
    name: str, counts: Counter[str], selected: str | None, skills: Mapping[str, Skill], locale: str
) -> list[FacetOption]:
    labels: dict[str, str | LazyString]
    if name in ("area", "skill"):
        slugs = set(counts) | ({selected} if selected else set())
        labels = {slug: skills[slug].label(locale) for slug in slugs if slug in skills}
    elif name == "state":
        labels = {code: geo.state_name(code) for code in geo.STATE_NAMES}
    else:
        # Lazy labels: translated when the page renders, so the service needs no request.
        labels = dict(vocab.GROUPS[GROUPS[name]])
    values = [v for v in counts if v in labels and counts[v] > 0]
    if name == "kind":
        values = [k for k in KINDS if counts[k] > 0 or k == selected]
    else:
        values.sort(key=lambda v: (-counts[v], v))
        if name == "skill":
            values = values[:SKILL_FACET_SIZE]
        if selected and selected in labels and selected not in values:
            values.insert(0, selected)
    return [FacetOption(v, labels[v], counts[v], v == selected) for v in values]


def build_facets(
    active: Mapping[str, str],
    bases: Mapping[str, list[Any]],
    locale: str,
    kind_counts: Mapping[str, int],
) -> list[Facet]:
    """Each facet's options, counted with every other active filter applied.

    `kind_counts` holds the records per kind the search counted under all the active
    filters; the kind facet reuses them rather than counting again.
    """
    wheres_by_facet: dict[str, dict[str, list[Any]]] = {}
    for name in FACETS:
        wheres: dict[str, list[Any]] = {}
        for kind in KINDS:
            where = clauses(kind, active, bases[kind], skip=name)
            if where is not None:
                wheres[kind] = where
        wheres_by_facet[name] = wheres
    kind_wheres = wheres_by_facet.pop("kind")
    counts = _value_counts(wheres_by_facet)
    counts["kind"] = _kind_counts(kind_wheres, kind_counts)
    # One query for the labels of both skill facets (and of their selected values).
    slugs = [*counts["area"], *counts["skill"], *(active.get(n, "") for n in ("area", "skill"))]
    skills = _skills(slug for slug in slugs if slug)
    return [
        Facet(name, _options(name, counts[name], active.get(name), skills, locale))
        for name in FACETS
    ]
