"""Curation views: the talent gap, skill by skill, with the repatriation targets marked.

?sort= orders the table (gap, demand, local, abroad, skill) and ?targets=1 keeps only the
repatriation targets; both carry into the CSV link.
"""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import charts
from ..i18n import current_locale
from ..services import talent
from . import bp, nav_item
from .tables import Table, page_or_csv, wants_csv

nav_item(32, "curation.gaps", _l("Talent gap"))

# Column index of the table → the sort it stands for.
SORT_COLUMNS = {0: "skill", 3: "demand", 4: "local", 5: "abroad", 6: "gap"}


def gap_table(rows: list[talent.SkillGap]) -> Table:
    """Demand against local and abroad supply per skill; targets marked."""
    headers = [_("Skill"), _("Openings"), _("Challenges"), _("Demand"),
               _("People in Mexico"), _("People abroad"), _("Gap"),
               _("Repatriation target")]  # fmt: skip
    table = Table("talent", _("Talent gap by skill"), headers)
    locale = current_locale()
    for row in rows:
        target = row.repatriation_target
        table.add(
            [row.skill.label(locale), row.openings, row.challenges, row.demand, row.local,
             row.abroad, row.gap, _("Yes") if target else _("No")],
            key=row.skill.slug, mark="target" if target else "",
        )  # fmt: skip
    return table


@bp.get("/gaps")
def gaps() -> Any:
    """Skills asked for against people offering them in Mexico and abroad."""
    sort = request.args.get("sort", "gap")
    sort = sort if sort in talent.SORTS else "gap"
    targets_only = request.args.get("targets") == "1"
    rows = talent.talent_gaps(sort, targets_only, current_locale())
    table = gap_table(rows)
    # Per column: its sort link and, for the active one, its aria-sort direction.
    sortable: list[tuple[str, str] | None] = [None] * len(table.headers)
    for column, key in SORT_COLUMNS.items():
        args = {**request.args, "sort": key}
        direction = ("ascending" if key == "skill" else "descending") if key == sort else ""
        sortable[column] = (url_for("curation.gaps", **args), direction)
    chart = None
    if wants_csv() is None:
        targets = [row for row in rows if row.repatriation_target][:15]
        chart = charts.bar_chart(
            "targets",
            [(row.skill.label(current_locale()), row.gap) for row in targets],
            title=_("Repatriation targets: demand not met in Mexico"),
            desc=_("For each target skill, openings and challenges beyond the people in Mexico."),
            fmt=format_decimal,
        )
    return page_or_csv(
        [table],
        "talent-gap",
        "curation/gaps.html",
        table=table,
        sortable=sortable,
        sort=sort,
        targets_only=targets_only,
        chart=chart,
        target_count=sum(1 for row in rows if row.repatriation_target),
    )
