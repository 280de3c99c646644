"""The public challenge portfolio (/retos/portafolio): what an Office of AI reads.

Listed challenges only (published or closed, of published organisations), by agency, unit,
stage, sector, risk level, status and outcome, with the proposals received and the
coverage gaps computed by services/portfolio.py (the curators' view uses the same code).
People are counted, never named: a row says how many organisations and people fit, and
which skills nobody in the directory offers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from ... import vocab
from ...extensions import db
from ...i18n import current_locale
from ...models import Skill
from ...models.procurement import OutcomeKind
from ...models.proposals import RiskLevel
from .. import portfolio as service

DIMENSIONS = ("agency", "unit", "stage", "sector", "level", "status", "outcome")
CHOICES: dict[str, tuple[str, ...]] = {
    "stage": tuple(vocab.STAGES),
    "sector": tuple(vocab.SECTORS),
    "level": RiskLevel.ALL,
    "status": service.LISTED,
    "outcome": OutcomeKind.ALL,
}
MAX_ID = 2**31 - 1


def read_filters(args: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
    """The valid filters of a query string, and the names of those that were ignored."""
    filters: dict[str, Any] = {}
    ignored: list[str] = []
    for name in ("agency", "unit"):
        raw = str(args.get(name, "")).strip()
        if raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_ID:
            filters[name] = int(raw)
        elif raw:
            ignored.append(name)
    for name, allowed in CHOICES.items():
        value = str(args.get(name, "")).strip()
        if value in allowed:
            filters[name] = value
        elif value:
            ignored.append(name)
    return filters, ignored


def label(dimension: str, value: Any) -> str:
    """A dimension's value as the public reads it."""
    if dimension in ("agency", "unit"):
        return str(value[1]) if value and value[1] else _("Without a unit")
    if dimension == "level":
        return vocab.label("risk_levels", value) if value else _("Not assessed")
    if dimension == "status":
        return _("Open") if value == "published" else _("Closed")
    if dimension == "outcome":
        return vocab.label("outcome_kinds", value) if value else _("No outcome yet")
    group = {"stage": "stages", "sector": "sectors"}[dimension]
    return vocab.label(group, value) if value else _("Not said")


@dataclass(frozen=True)
class Summary:
    """Challenges and proposals per value of one dimension, most challenges first."""

    dimension: str
    rows: list[tuple[str, Any, int, int]]  # label, filter value, challenges, proposals


def summaries(rows: list[service.ChallengeRow]) -> list[Summary]:
    """One summary per dimension (units only when some challenge has one)."""
    out = []
    for dimension in DIMENSIONS:
        if dimension == "unit" and not any(row.unit_id for row in rows):
            continue
        counts = service.summary(rows, dimension)
        lines = []
        for key, (challenges, proposals) in sorted(counts.items(), key=lambda kv: -kv[1][0]):
            value = key[0] if dimension in ("agency", "unit") else key
            lines.append((label(dimension, key), value, challenges, proposals))
        out.append(Summary(dimension, lines))
    return out


def skill_names(rows: list[service.ChallengeRow]) -> dict[int, str]:
    """The labels, in the reader's language, of the skills nobody offers."""
    ids = {skill for row in rows for skill in row.uncovered}
    if not ids:
        return {}
    locale = current_locale()
    found = db.session.scalars(select(Skill).where(Skill.id.in_(ids)))
    return {skill.id: skill.label(locale) for skill in found}


@dataclass(frozen=True)
class Portfolio:
    """What the page shows."""

    rows: list[service.ChallengeRow]
    summaries: list[Summary]
    gaps: list[service.ChallengeRow]
    skills: dict[int, str]
    proposals: int

    def uncovered(self, row: service.ChallengeRow) -> str:
        """The skills of a challenge nobody offers, by name, in the reader's language."""
        return ", ".join(sorted(self.skills.get(s, "") for s in row.uncovered))


def build(filters: dict[str, Any]) -> Portfolio:
    """The public portfolio for some filters."""
    rows = service.portfolio(filters, public=True)
    return Portfolio(
        rows=rows,
        summaries=summaries(rows),
        gaps=[row for row in rows if row.gap],
        skills=skill_names(rows),
        proposals=sum(row.proposals for row in rows),
    )


def filter_options() -> dict[str, list[tuple[Any, str]]]:
    """The choices of each filter, labelled for the reader."""
    options: dict[str, list[tuple[Any, str]]] = {
        "agency": service.agencies(public=True),
        "unit": service.units(public=True),
    }
    for name, allowed in CHOICES.items():
        options[name] = [(value, label(name, value)) for value in allowed]
    return options
