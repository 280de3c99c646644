"""Atom feeds of published openings and challenges, filtered like the directory.

`/openings/feed.atom?state=JAL&skill=python&q=vision&lang=en` reads its query and facets
with the directory's own parser (`SearchFilters.from_args`) and runs the directory's
search as an anonymous visitor, so a feed lists exactly what `/directory?kind=opening`
lists with the same filters, newest first, and never more (SECURITY.md row 47).
"""

from __future__ import annotations

from dataclasses import replace

from flask import current_app, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..models import SearchKind
from ..services import alerts, search
from . import bp
from .atom import Feed, atom_document, atom_response, feed_language
from .feed_entries import entry_for

FEED_SIZE = 50


def filters_summary(parts: list[tuple[str, str]]) -> str:
    """The values of a search's query and filters, joined for a subtitle."""
    return " · ".join(label for _name, label in parts if label)


def _post_feed(kind: str) -> Response:
    filters = replace(search.SearchFilters.from_args(request.args), kind=kind, page=1)
    lang = feed_language(request.args)
    # The feed's own address names only what it applied: the query and the facets.
    query = {k: v for k, v in filters.params().items() if k not in ("kind", "sort")}
    results = alerts.newest_results(filters, None, FEED_SIZE)
    site = current_app.config["SITE_NAME"]
    with force_locale(lang):
        if kind == "opening":
            title = _("%(site)s: openings", site=site)
            subtitle = _("Published openings in Mexico's AI ecosystem.")
        else:
            title = _("%(site)s: challenges", site=site)
            subtitle = _("Published challenges in Mexico's AI ecosystem.")
        summary = filters_summary(alerts.describe_params(SearchKind.DIRECTORY, query, lang))
        if summary:
            filtered = _("Filtered by: %(filters)s", filters=summary)
            subtitle = f"{subtitle} {filtered}"
        feed = Feed(
            self_url=url_for(request.endpoint or "", lang=lang, _external=True, **query),
            alternate_url=url_for("public.browse", kind=kind, _external=True, **query),
            title=title,
            subtitle=subtitle,
            lang=lang,
        )
        entries = [entry_for(k, record, lang) for k, record in results]
    return atom_response(atom_document(feed, entries))


@bp.get("/openings/feed.atom")
def openings_feed() -> Response:
    """Published openings, newest first; the directory's facets filter; ?lang=en|es."""
    return _post_feed("opening")


@bp.get("/challenges/feed.atom")
def challenges_feed() -> Response:
    """Published challenges, newest first; the directory's facets filter; ?lang=en|es."""
    return _post_feed("challenge")
