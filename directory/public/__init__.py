"""Public pages: home, language switch, directory browse and search, record pages, stories,
the actions anyone logged in can take on a listing (apply, propose, report), the Atom
feeds (stories, openings, challenges, saved searches), sitemap.xml and robots.txt."""

from datetime import date, datetime

from flask import Blueprint
from flask_babel import format_date

bp = Blueprint("public", __name__)


@bp.app_template_filter("day")
def _day(value: date | datetime | None) -> str:
    """A date, or a datetime as the viewer's local date, in the viewer's language."""
    return format_date(value, "long") if value else ""


# The modules attach their routes to bp.
from . import (  # noqa: E402,F401
    actions,
    alert_feed,
    browse,
    feeds,
    pages,
    privacy,
    routes,
    sitemap,
    stories,
    unsubscribe,
)
