"""The private Atom feed of a saved search: its current results, for its owner's reader.

The token in the URL is the only key (feed readers send no cookies): it is checked
against the stored hash, and the search is re-run as its owner, so the feed holds only
what that person may see at the moment it is read. A wrong, replaced or revoked token is
a 404. The response is never cached, and the request log shows `<token>`, not the token
(request_log.SECRET_URL_ARGS). The route lives in the public blueprint because it needs
no log-in; robots.txt keeps crawlers away and the sitemap never lists it.
"""

from __future__ import annotations

from flask import abort, current_app, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from ..models import SavedSearch, SearchKind
from ..services import alerts
from . import bp
from .atom import Feed, atom_document, atom_response, feed_language
from .feed_entries import entry_for
from .feeds import filters_summary

FEED_SIZE = 50


def search_page_url(saved: SavedSearch, *, external: bool = False) -> str:
    """The page that shows a saved search: /directory or /search with its parameters."""
    endpoint = "matches.search" if saved.kind == SearchKind.SEMANTIC else "public.browse"
    params = {str(k): str(v) for k, v in (saved.params or {}).items()}
    return url_for(endpoint, _external=external, **params)


@bp.get("/alerts/feed/<token>.atom")
def alert_feed(token: str) -> Response:
    """A saved search's current results as Atom; ?lang=en|es (the owner's language by default)."""
    saved = alerts.search_for_feed_token(token)
    if saved is None:
        abort(404)
    owner = saved.user
    lang = feed_language(request.args, default=owner.locale)
    results = alerts.run_saved_search(saved, owner, FEED_SIZE)
    site = current_app.config["SITE_NAME"]
    with force_locale(lang):
        summary = filters_summary(alerts.describe(saved, lang))
        feed = Feed(
            self_url=url_for("public.alert_feed", token=token, lang=lang, _external=True),
            alternate_url=search_page_url(saved, external=True),
            title=_("%(site)s: %(name)s", site=site, name=saved.name),
            subtitle=_("Your saved search: %(filters)s", filters=summary) if summary else "",
            lang=lang,
        )
        entries = [entry_for(kind, record, lang) for kind, record in results]
    return atom_response(atom_document(feed, entries), private=True)
