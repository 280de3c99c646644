"""Curation views: the challenge portfolio, the cross-ministry view an Office of AI needs.

Filters (agency, stage, sector, status) come from the query string, so a filtered view
is a link a curator can share; an unknown value is ignored and said so on the page.
"""

from __future__ import annotations

from math import ceil
from typing import Any

from flask import request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import charts, vocab
from ..extensions import db
from ..i18n import current_locale
from ..models import Skill
from ..services import portfolio as service
from . import bp, nav_item
from .tables import Link, Table, page_or_csv, wants_csv

nav_item(31, "curation.portfolio", _l("Challenge portfolio"))

# Rows of a long table shown per page; the CSV export always carries every row.
PAGE_SIZE = 100

CHOICES: dict[str, dict[str, Any]] = {
    "stage": vocab.STAGES,
    "sector": vocab.SECTORS,
    "status": vocab.STATUS,
}


def read_filters() -> tuple[dict[str, Any], list[str]]:
    """The valid filters of the query string, and the names of those that were ignored."""
    filters: dict[str, Any] = {}
    ignored: list[str] = []
    raw_agency = request.args.get("agency", "").strip()
    if raw_agency:
        if raw_agency.isascii() and raw_agency.isdigit() and len(raw_agency) <= 12:
            filters["agency"] = int(raw_agency)
        else:
            ignored.append("agency")
    for name, allowed in CHOICES.items():
        value = request.args.get(name, "").strip()
        if value and value in allowed:
            filters[name] = value
        elif value:
            ignored.append(name)
    return filters, ignored


def _skill_names(ids: set[int]) -> dict[int, str]:
    """Skill labels in the viewer's language, by id."""
    if not ids:
        return {}
    locale = current_locale()
    skills = db.session.scalars(select(Skill).where(Skill.id.in_(ids)))
    return {skill.id: skill.label(locale) for skill in skills}


def _labels(group: str) -> dict[str, str]:
    """A vocabulary group's labels, translated once per request rather than once per cell."""
    return {key: str(text) for key, text in vocab.GROUPS[group].items()}


def challenge_tables(rows: list[service.ChallengeRow]) -> tuple[Table, Table]:
    """Every challenge with its figures, and the coverage gaps among them."""
    names = _skill_names({skill for row in rows for skill in row.uncovered})
    stages, sectors, statuses = _labels("stages"), _labels("sectors"), _labels("status")
    headers = [_("Challenge"), _("Agency"), _("Stage"), _("Sector"), _("Status"), _("Skills"),
               _("Proposals"), _("Organisations that fit"), _("People who fit"),
               _("Skills nobody offers")]  # fmt: skip
    table = Table("challenges", _("Challenges"), headers)
    gaps = Table("gaps", _("Coverage gaps: challenges nobody fits"),
                 [_("Challenge"), _("Agency"), _("Status"), _("Organisations that fit"),
                  _("People who fit"), _("Skills nobody offers")])  # fmt: skip
    for row in rows:
        title = Link(row.title, url_for("matches.challenge_solvers", challenge_id=row.id))
        uncovered = ", ".join(sorted(names[s] for s in row.uncovered))
        table.add(
            [title, row.agency, stages.get(row.stage, row.stage),
             sectors.get(row.sector, row.sector), statuses.get(row.status, row.status), row.skills,
             row.proposals, row.organizations, row.people, uncovered],
            key=str(row.id), mark="gap" if row.gap else "",
        )  # fmt: skip
        if row.gap:
            gaps.add([title, row.agency, statuses.get(row.status, row.status), row.organizations,
                      row.people, uncovered], key=str(row.id))  # fmt: skip
    return table, gaps


def summary_tables(rows: list[service.ChallengeRow]) -> list[Table]:
    """Challenges and proposals by agency, stage, sector and status."""
    out = []
    captions = {"agency": (_("By agency"), _("Agency")), "stage": (_("By stage"), _("Stage")),
                "sector": (_("By sector"), _("Sector")),
                "status": (_("By status"), _("Status"))}  # fmt: skip
    groups = {"stage": "stages", "sector": "sectors", "status": "status"}
    for dimension, (caption, header) in captions.items():
        table = Table(f"by_{dimension}", caption, [header, _("Challenges"), _("Proposals")])
        counts = service.summary(rows, dimension)
        for key, (challenges, proposals) in sorted(counts.items(), key=lambda kv: -kv[1][0]):
            if dimension == "agency":
                label, row_key = key[1], str(key[0])
            else:
                label, row_key = vocab.label(groups[dimension], key), key
            table.add([label, challenges, proposals], key=row_key)
        out.append(table)
    return out


@bp.get("/portfolio")
def portfolio() -> Any:
    """Challenges by agency, stage, sector and status, with proposals, fits and gaps."""
    filters, ignored = read_filters()
    rows = service.portfolio(filters)
    table, gaps = challenge_tables(rows)
    summaries = summary_tables(rows)
    drawn: dict[str, Any] = {}
    number = request.args.get("page", 1, type=int) or 1
    pages = max(1, ceil(len(table.rows) / PAGE_SIZE))
    number = min(max(number, 1), pages)
    if wants_csv() is None:
        drawn = {
            t.key: charts.bar_chart(t.key, [(str(r[0]), r[1]) for r in t.rows][:15],
                                    title=t.caption, fmt=format_decimal)
            for t in summaries
        }  # fmt: skip
    return page_or_csv(
        [table, gaps, *summaries],
        "portfolio",
        "curation/portfolio.html",
        challenges=table.page(number, PAGE_SIZE),
        total=len(table.rows),
        page_number=number,
        pages=pages,
        gaps=gaps.page(1, PAGE_SIZE),
        gap_total=len(gaps.rows),
        summaries=summaries,
        charts=drawn,
        filters=filters,
        ignored=ignored,
        agencies=service.agencies(),
        choices=CHOICES,
        fit_share=int(service.FIT_SHARE * 100),
    )
