"""The directory: keyword search and facets over every kind of listing."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from ..i18n import current_locale
from ..services import search
from . import bp


@bp.get("/directory")
def browse() -> str:
    """Search and filter organisations, people, openings, challenges and stories."""
    filters = search.SearchFilters.from_args(request.args)
    result = search.search(filters, current_user, locale=current_locale())
    return render_template("public/browse.html", result=result, filters=result.filters)
