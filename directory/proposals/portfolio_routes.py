"""The public challenge portfolio, /retos/portafolio: listed challenges only, people counted
and never named (services/procurement/public_portfolio.py)."""

from __future__ import annotations

from math import ceil

from flask import render_template, request

from ..services.procurement import public_portfolio
from . import bp

PAGE_SIZE = 100


@bp.get("/retos/portafolio")
def portfolio() -> str:
    """Challenges by agency, unit, stage, sector, risk level, status and outcome."""
    filters, ignored = public_portfolio.read_filters(request.args)
    data = public_portfolio.build(filters)
    pages = max(1, ceil(len(data.rows) / PAGE_SIZE))
    number = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    return render_template(
        "proposals/portfolio.html",
        data=data,
        rows=data.rows[(number - 1) * PAGE_SIZE : number * PAGE_SIZE],
        page_number=number,
        pages=pages,
        filters=filters,
        ignored=ignored,
        options=public_portfolio.filter_options(),
        dim_label=public_portfolio.label,
    )
