"""Curation views: the ecosystem dashboard (and, imported below, portfolio and talent gap).

The figures come from services/stats.py; this module turns them into labelled tables in
the viewer's language and charts drawn from those same tables, so the SVG, the HTML table
and the CSV export always agree.
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
from .tables import Table, page_or_csv, register, wants_csv

nav_item(30, "curation.dashboard", _l("Dashboard"))
register(bp)

STATUS_ORDER = (Status.PUBLISHED, Status.PENDING, Status.DRAFT, Status.REJECTED, Status.ARCHIVED)
MAP_KINDS = ("organization", "profile", "opening")


def _kind(kind: str) -> str:
    return vocab.label("record_kinds", kind)


def _days(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def kinds_table() -> Table:
    """Records of each kind by status; people count only while their profile is published."""
    counts = stats.records_by_kind()
    headers = [_("Kind"), *(vocab.label("status", s) for s in STATUS_ORDER), _("Total")]
    table = Table("kinds", _("Records by kind and status"), headers)
    for kind in stats.KINDS:
        row = [counts[kind].get(status, 0) for status in STATUS_ORDER]
        table.add([_kind(kind), *row, sum(counts[kind].values())], key=kind)
    return table


def months_table() -> Table:
    """New records per month and kind, the last twelve months."""
    keys, counts = stats.records_by_month()
    headers = [_("Month"), *(_kind(kind) for kind in stats.KINDS), _("Total")]
    table = Table("months", _("New records by month"), headers)
    for year, month in keys:
        row = [counts[kind][(year, month)] for kind in stats.KINDS]
        label = format_date(date(year, month, 1), "MMM yy")
        table.add([label, *row, sum(row)], key=f"{year:04d}-{month:02d}")
    return table


def states_table() -> Table:
    """Organisations, people in Mexico and openings per state (live records only)."""
    counts = stats.by_state()
    headers = [_("State"), _("Code"), *(_kind(kind) for kind in MAP_KINDS)]
    table = Table("states", _("Records by Mexican state"), headers)
    for code, name in geo.MEXICAN_STATES:
        table.add([name, code, *(counts[kind].get(code, 0) for kind in MAP_KINDS)], key=code)
    return table


def areas_table() -> Table:
    """Live records per AI area (the vocabulary's skills of category "area")."""
    areas, counts = stats.ai_areas()
    kinds = ("organization", "profile", "opening", "challenge")
    headers = [_("AI area"), *(_kind(kind) for kind in kinds), _("Total")]
    table = Table("areas", _("AI areas"), headers)
    locale = current_locale()
    rows = []
    for area in areas:
        row = [counts[kind].get(area.id, 0) for kind in kinds]
        rows.append((-sum(row), area.label(locale), area.slug, row))
    for total, name, slug, row in sorted(rows):
        table.add([name, *row, -total], key=slug)
    return table


def diaspora_tables() -> list[Table]:
    """People by diaspora status; the abroad by country and by what they are open to."""
    figures = stats.diaspora()
    status = Table("diaspora", _("People by diaspora status"), [_("Status"), _("People")])
    for key in vocab.DIASPORA_STATUS:
        status.add([vocab.label("diaspora_status", key), figures["status"].get(key, 0)], key=key)
    locale = current_locale()
    country = Table("countries", _("People abroad by country"), [_("Country"), _("Code"),
                                                                  _("People")])  # fmt: skip
    for code, n in sorted(figures["country"].items(), key=lambda kv: (-kv[1], kv[0])):
        country.add([geo.country_name(code, locale), code, n], key=code)
    wishes = Table("return", _("People abroad by what they are open to"),
                   [_("Open to"), _("People")])  # fmt: skip
    for key, n in sorted(figures["open_to"].items(), key=lambda kv: -kv[1]):
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


def _charts(tables: dict[str, Table]) -> dict[str, Any]:
    """The SVG of each section, drawn from its table's rows."""
    kinds = tables["kinds"]
    months = tables["months"]
    states = tables["states"]
    names = dict(geo.MEXICAN_STATES)
    out: dict[str, Any] = {
        "kinds": charts.bar_chart(
            "kinds",
            [(r[0], r[1]) for r in kinds.rows],
            title=_("Published records by kind"),
            fmt=_num,
        ),
        "months": charts.stacked_columns(
            "months",
            [str(r[0]) for r in months.rows],
            [
                (header, [r[i + 1] for r in months.rows])
                for i, header in enumerate(months.headers[1:-1])
            ],
            title=months.caption,
            desc=_("New records each month, stacked by kind."),
        ),
        "maps": [
            charts.state_map(
                f"map-{kind}",
                {r[1]: r[2 + i] for r in states.rows},
                names,
                title=_kind(kind),
                desc=_("Live records of this kind in each state."),
            )
            for i, kind in enumerate(MAP_KINDS)
        ],
    }
    for key, value_col in (("areas", -1), ("diaspora", 1), ("countries", 2), ("return", 1)):
        rows = [(str(r[0]), r[value_col]) for r in tables[key].rows if r[value_col]][:15]
        out[key] = charts.bar_chart(key, rows, title=tables[key].caption, fmt=_num)
    status = tables["post_status"]
    out["post_status"] = charts.stacked_columns(
        "post_status",
        [str(r[0]) for r in status.rows],
        [(status.headers[1], [r[1] for r in status.rows]),
         (status.headers[2], [r[2] for r in status.rows])],
        title=status.caption,
    )  # fmt: skip
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
    drawn = _charts(tables) if wants_csv() is None else {}
    return page_or_csv(
        list(tables.values()), "dashboard", "curation/dashboard.html", tables=tables, charts=drawn
    )


# The other numbers pages attach their routes to the same blueprint.
from . import gaps, portfolio  # noqa: E402,F401
