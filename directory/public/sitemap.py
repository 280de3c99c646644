"""sitemap.xml and robots.txt: what search engines and job aggregators may index.

The sitemap lists only what an anonymous visitor can open (SECURITY.md rows 31 and 47):
published organisations, open published openings and challenges of published
organisations, published stories, and profiles whose owner chose `public` — never
`members` or `private`, never an inactive account. The filters are the same named
predicates the directory uses (directory/permissions.py). Each URL carries `lastmod`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - we build XML, never parse untrusted input
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from flask import url_for
from sqlalchemy import or_, select
from werkzeug.wrappers import Response

from .. import permissions
from ..extensions import db
from ..models import Challenge, Opening, Organization, Profile, SuccessStory
from . import bp
from .atom import iso

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000  # the protocol's limit for one file; newest records first within it
# Areas that are personal, need a log-in, cost a model run per request, or hold tokens.
ROBOTS_DISALLOW = ("/me/", "/manage/", "/curation/", "/account", "/alerts/", "/api/",
                   "/search", "/similar/", "/login", "/signup", "/password/", "/report/",
                   "/invitations/", "/language")  # fmt: skip


def _open(model: type[Opening] | type[Challenge]) -> Any:
    """Not past its closing date (the directory lists no closed post either)."""
    return or_(model.closes_on.is_(None), model.closes_on >= date.today())


def _rows() -> Iterator[tuple[str, dict[str, Any], datetime | None]]:
    """(endpoint, URL values, last change) of every public record, newest first per kind."""
    queries: list[tuple[str, str, Any]] = [
        ("public.organization", "slug", select(Organization.slug, Organization.updated_at)
         .where(permissions.visible_orgs_clause(None), Organization.merged_into_id.is_(None))
         .order_by(Organization.updated_at.desc())),
        ("public.opening", "opening_id", select(Opening.id, Opening.updated_at)
         .where(permissions.listed_posts_clause(Opening), _open(Opening))
         .order_by(Opening.updated_at.desc())),
        ("public.challenge", "challenge_id", select(Challenge.id, Challenge.updated_at)
         .where(permissions.listed_posts_clause(Challenge), _open(Challenge),
                Challenge.merged_into_id.is_(None))
         .order_by(Challenge.updated_at.desc())),
        ("public.story", "slug", select(SuccessStory.slug, SuccessStory.updated_at)
         .where(permissions.listed_stories_clause())
         .order_by(SuccessStory.updated_at.desc())),
        # Anonymous: only `public` profiles of active accounts.
        ("public.profile", "profile_id", select(Profile.id, Profile.updated_at)
         .where(permissions.visible_profiles_clause(None))
         .order_by(Profile.updated_at.desc())),
    ]  # fmt: skip
    for endpoint, arg, query in queries:
        for key, updated in db.session.execute(query.limit(MAX_URLS)):
            yield endpoint, {arg: key}, updated


def sitemap_document() -> bytes:
    """The sitemap of the public pages and every public record, at most MAX_URLS."""
    ET.register_namespace("", SITEMAP)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    pages: list[tuple[str, dict[str, Any], datetime | None]] = [
        ("public.index", {}, None),
        ("public.browse", {}, None),
        ("public.stories", {}, None),
    ]
    for count, (endpoint, values, updated) in enumerate([*pages, *_rows()]):
        if count >= MAX_URLS:
            break
        url = ET.SubElement(root, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = url_for(endpoint, _external=True, **values)
        if updated is not None:
            ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = iso(updated)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """Every public page and record, with when it last changed."""
    response = Response(sitemap_document(), mimetype="application/xml")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.get("/robots.txt")
def robots() -> Response:
    """Crawl the public pages, not the personal or costly ones; here is the sitemap."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), "Allow: /"]
    lines += ["", f"Sitemap: {url_for('public.sitemap', _external=True)}", ""]
    return Response("\n".join(lines), mimetype="text/plain")
