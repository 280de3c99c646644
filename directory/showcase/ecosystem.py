"""/ecosistema: the ecosystem in public numbers — the curators' dashboard, from published
records only, with no one named and no count under 5 shown (it reads "fewer than 5").

The tables and charts are the dashboard's own (curation/dashboard.py, services/stats.py,
charts.py) built with `public=True`: live records only, no totals (a total minus the figures
shown would give away a hidden one), rows never ranked by a hidden figure.
"""

from __future__ import annotations

from flask import make_response, render_template
from flask_login import current_user
from werkzeug.wrappers import Response

from ..curation import dashboard
from . import bp

PUBLIC_MAX_AGE = 300  # seconds a browser or proxy may keep the page


def public_tables() -> dict[str, dashboard.Table]:
    """The dashboard's tables for everyone: published records, small counts hidden."""
    tables = (
        dashboard.kinds_table(public=True),
        dashboard.months_table(public=True),
        dashboard.states_table(),
        dashboard.areas_table(public=True),
        *dashboard.diaspora_tables(public=True),
    )
    return {table.key: dashboard.suppress_small(table) for table in tables}


@bp.get("/ecosistema")
def ecosystem() -> Response:
    """Mexico's AI ecosystem in numbers: kinds, growth, states, AI areas, diaspora."""
    tables = public_tables()
    html = render_template(
        "showcase/ecosystem.html",
        tables=tables,
        charts=dashboard.draw_charts(tables, public=True),
    )
    response = make_response(html)
    if not current_user.is_authenticated:
        response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    return response
