"""Curation views: the ecosystem dashboard (and, imported below, portfolio and talent gap).

The figures come from services/stats.py; this module turns them into labelled tables in
the viewer's language and charts drawn from those same tables, so the SVG, the HTML table
and the CSV export always agree. The public ecosystem page (showcase/ecosystem.py) builds
the same tables with `public=True`: live records only, no totals (a total minus the figures
shown would give away a hidden one), counts under 5 replaced by `suppress_small`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import charts, geo, vocab
from ..i18n import current_locale
from ..models import Status
from ..services import stats
from . import bp, nav_item
from .tables import Cell, Table, page_or_csv, register, wants_csv

nav_item(30, "curation.dashboard", _l("Dashboard"))
register(bp)

STATUS_ORDER = (Status.PUBLISHED, Status.PENDING, Status.DRAFT, Status.REJECTED, Status.ARCHIVED)
MAP_KINDS = ("organization", "profile", "opening")


def _kind(kind: str) -> str:
    return vocab.label("record_kinds", kind)


def _days(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _total(values: list[int], public: bool) -> list[Cell]:
    """The Total cell of a row, left out of public tables."""
    return [] if public else [sum(values)]


def _with_total(headers: list[str], public: bool) -> list[str]:
    """The headers, and the Total column unless the table is public."""
    return headers if public else [*headers, _("Total")]


def kinds_table(*, public: bool = False) -> Table:
    """Records of each kind by status; people count only while their profile is published."""
    counts = stats.records_by_kind(published_only=public)
    statuses = (Status.PUBLISHED,) if public else STATUS_ORDER
    headers = [_("Kind"), *(vocab.label("status", s) for s in statuses)]
    caption = _("Published records by kind") if public else _("Records by kind and status")
    table = Table("kinds", caption, _with_total(headers, public))
    for kind in stats.KINDS:
        row = [counts[kind].get(status, 0) for status in statuses]
        table.add([_kind(kind), *row, *_total(list(counts[kind].values()), public)], key=kind)
    return table


def months_table(*, public: bool = False) -> Table:
    """New records per month and kind, the last twelve months."""
    keys, counts = stats.records_by_month(published_only=public)
    headers = [_("Month"), *(_kind(kind) for kind in stats.KINDS)]
    table = Table("months", _("New records by month"), _with_total(headers, public))
    for year, month in keys:
        row = [counts[kind][(year, month)] for kind in stats.KINDS]
        label = format_date(date(year, month, 1), "MMM yy")
        table.add([label, *row, *_total(row, public)], key=f"{year:04d}-{month:02d}")
    return table


def states_table() -> Table:
    """Organisations, people in Mexico and openings per state (live records only)."""
    counts = stats.by_state()
    headers = [_("State"), _("Code"), *(_kind(kind) for kind in MAP_KINDS)]
    table = Table("states", _("Records by Mexican state"), headers)
    for code, name in geo.MEXICAN_STATES:
        table.add([name, code, *(counts[kind].get(code, 0) for kind in MAP_KINDS)], key=code)
    return table


def _rank(n: int, public: bool) -> tuple[int, int]:
    """Sort key, largest first; on a public page hidden small counts all rank alike."""
    return (1, 0) if public and stats.is_small(n) else (0, -n)


def areas_table(*, public: bool = False) -> Table:
    """Live records per AI area (the vocabulary's skills of category "area")."""
    areas, counts = stats.ai_areas()
    kinds = ("organization", "profile", "opening", "challenge")
    headers = [_("AI area"), *(_kind(kind) for kind in kinds)]
    table = Table("areas", _("AI areas"), _with_total(headers, public))
    locale = current_locale()
    rows = []
    for area in areas:
        row = [counts[kind].get(area.id, 0) for kind in kinds]
        # A public page orders by name: an order by total would rank the hidden figures.
        order = (0, 0) if public else (-sum(row), 0)
        rows.append((order, area.label(locale), area.slug, row))
    for _order, name, slug, row in sorted(rows):
        table.add([name, *row, *_total(row, public)], key=slug)
    return table


def diaspora_tables(*, public: bool = False) -> list[Table]:
    """People by diaspora status; the abroad by country and by what they are open to."""
    figures = stats.diaspora()
    status = Table("diaspora", _("People by diaspora status"), [_("Status"), _("People")])
    for key in vocab.DIASPORA_STATUS:
        status.add([vocab.label("diaspora_status", key), figures["status"].get(key, 0)], key=key)
    locale = current_locale()
    country = Table("countries", _("People abroad by country"), [_("Country"), _("Code"),
                                                                  _("People")])  # fmt: skip
    by_country = sorted(figures["country"].items(), key=lambda kv: (_rank(kv[1], public), kv[0]))
    for code, n in by_country:
        country.add([geo.country_name(code, locale), code, n], key=code)
    wishes = Table("return", _("People abroad by what they are open to"),
                   [_("Open to"), _("People")])  # fmt: skip
    for key, n in sorted(figures["open_to"].items(), key=lambda kv: _rank(kv[1], public)):
        wishes.add([vocab.label("open_to", key), n], key=key)
    return [status, country, wishes]


def posts_status_table() -> Table:
    """Openings and challenges by status."""
    counts = stats.posts_by_status()
    table = Table("post_status", _("Openings and challenges by status"),
                  [_("Status"), _kind("opening"), _kind("challenge")])  # fmt: skip
    for status in STATUS_ORDER:
        row = [counts["opening"].get(status, 0), counts["challenge"].get(status, 0)]
        table.add([vocab.label("status", status), *row], key=status)
    return table


def moderation_table() -> Table:
    """Days from submission to a curator's decision, per kind."""
    headers = [_("Kind"), _("Decided"), _("Mean days"), _("Median days")]
    table = Table("moderation", _("Time to moderation"), headers)
    for row in stats.time_to_moderation():
        table.add([_kind(row.kind), row.decided, _days(row.mean_days),
                   _days(row.median_days)], key=row.kind)  # fmt: skip
    return table


def _num(value: float) -> str:
    return format_decimal(value)


def _n(cell: Cell) -> float:
    """A cell's figure for a chart: a hidden count ("fewer than 5") draws as nothing."""
    return cell if isinstance(cell, int | float) and not isinstance(cell, bool) else 0


def suppress_small(table: Table) -> Table:
    """The table with every count from 1 to 4 replaced by "fewer than 5" (public pages)."""
    hidden = _("fewer than %(n)d", n=stats.SMALL_COUNT)
    out = Table(table.key, table.caption, table.headers)
    for row, key, mark in zip(table.rows, table.keys, table.marks, strict=True):
        out.add([hidden if stats.is_small(cell) else cell for cell in row], key, mark)
    return out


def draw_charts(tables: dict[str, Table], *, public: bool = False) -> dict[str, Any]:
    """The SVG of each section present in `tables`, drawn from its rows.

    Counts a public table hides draw no bar and show "<5" on the state maps.
    """
    out: dict[str, Any] = {}
    names = dict(geo.MEXICAN_STATES)
    if "kinds" in tables:
        # A hidden count draws no bar: a bar at 0 would say there are none.
        rows = [(str(r[0]), _n(r[1])) for r in tables["kinds"].rows if not isinstance(r[1], str)]
        out["kinds"] = charts.bar_chart(
            "kinds", rows, title=_("Published records by kind"), fmt=_num
        )
    if "months" in tables:
        months = tables["months"]
        series = months.headers[1 : 1 + len(stats.KINDS)]
        out["months"] = charts.stacked_columns(
            "months",
            [str(r[0]) for r in months.rows],
            [(header, [int(_n(r[i + 1])) for r in months.rows]) for i, header in enumerate(series)],
            title=months.caption,
            desc=_("New records each month, stacked by kind."),
        )
    if "states" in tables:
        states = tables["states"]
        out["maps"] = [
            charts.state_map(
                f"map-{kind}",
                {str(r[1]): int(_n(r[2 + i])) for r in states.rows},
                names,
                title=_kind(kind),
                desc=_("Live records of this kind in each state."),
                hidden={str(r[1]) for r in states.rows if not isinstance(r[2 + i], int)},
                hidden_label=f"<{stats.SMALL_COUNT}",
            )
            for i, kind in enumerate(MAP_KINDS)
        ]
    for key, column in (("areas", -1), ("diaspora", 1), ("countries", 2), ("return", 1)):
        if key not in tables:
            continue
        table = tables[key]
        # A public areas table has no Total: its bars add up the figures it shows.
        added = public and key == "areas"
        values = [(str(r[0]), sum(map(_n, r[1:])) if added else _n(r[column])) for r in table.rows]
        rows = [(label, value) for label, value in values if value][:15]
        out[key] = charts.bar_chart(key, rows, title=table.caption, fmt=_num)
    if "post_status" in tables:
        status = tables["post_status"]
        out["post_status"] = charts.stacked_columns(
            "post_status",
            [str(r[0]) for r in status.rows],
            [(status.headers[1], [r[1] for r in status.rows]),
             (status.headers[2], [r[2] for r in status.rows])],
            title=status.caption,
        )  # fmt: skip
    if "moderation" in tables:
        moderation = [(str(r[0]), r[3]) for r in tables["moderation"].rows if r[3] is not None]
        out["moderation"] = charts.bar_chart(
            "moderation", moderation, title=_("Median days to a decision"), fmt=_num
        )
    return out


@bp.get("/dashboard")
def dashboard() -> Any:
    """The ecosystem in numbers: kinds, months, states, AI areas, diaspora, statuses, waits."""
    tables = {
        table.key: table
        for table in (kinds_table(), months_table(), states_table(), areas_table(),
                      *diaspora_tables(), posts_status_table(), moderation_table())
    }  # fmt: skip
    # A CSV request needs no chart: draw them only for the page.
    drawn = draw_charts(tables) if wants_csv() is None else {}
    return page_or_csv(
        list(tables.values()), "dashboard", "curation/dashboard.html", tables=tables, charts=drawn
    )


# The other numbers pages attach their routes to the same blueprint.
from . import gaps, portfolio  # noqa: E402,F401
