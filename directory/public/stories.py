"""The success-stories showcase and its Atom feed."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - we build XML, never parse untrusted input
from datetime import UTC, datetime

from flask import current_app, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from .. import permissions
from ..extensions import db
from ..models import SuccessStory
from ..text import render_markdown
from . import bp

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50


def _listed_stories(*, featured_first: bool, limit: int | None = None) -> list[SuccessStory]:
    """Published stories, newest first (featured ones ahead if asked; id breaks ties)."""
    order = [SuccessStory.published_at.desc(), SuccessStory.id.desc()]
    if featured_first:
        order.insert(0, SuccessStory.featured.desc())
    query = (
        select(SuccessStory)
        .where(permissions.listed_stories_clause())
        .options(selectinload(SuccessStory.organizations))
        .order_by(*order)
    )
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


@bp.get("/stories")
def stories() -> str:
    """Deployed Mexican AI systems and what they changed."""
    return render_template("public/stories.html", stories=_listed_stories(featured_first=True))


def _iso(value: datetime | None) -> str:
    value = value or datetime.now(UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = text
    return element


def atom_feed(items: list[SuccessStory], lang: str) -> bytes:
    """Build an Atom 1.0 document of stories in one language (ElementTree escapes text)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
    site = current_app.config["SITE_NAME"]
    self_url = url_for("public.stories_feed", lang=lang, _external=True)
    _text(feed, "id", self_url)
    with force_locale(lang):
        _text(feed, "title", _("%(site)s: success stories", site=site))
        _text(feed, "subtitle", _("Artificial intelligence deployed in Mexico."))
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": self_url})
    alternate = url_for("public.stories", _external=True)
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": alternate})
    newest = max((s.updated_at or s.published_at for s in items), default=None)
    _text(feed, "updated", _iso(newest))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", site)
    for story in items:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        link = url_for("public.story", slug=story.slug, _external=True)
        _text(entry, "id", link)
        _text(entry, "title", story.title(lang))
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": link})
        _text(entry, "published", _iso(story.published_at))
        _text(entry, "updated", _iso(story.updated_at or story.published_at))
        _text(entry, "summary", story.summary(lang))
        body = (
            (story.body_en or story.body_es) if lang == "en" else (story.body_es or story.body_en)
        )
        # Sanitised HTML, then escaped again by ElementTree as Atom's type="html" expects.
        _text(entry, "content", str(render_markdown(body)), type="html")
        for org in story.organizations:
            _text(entry, "category", "", term=org.slug, label=org.name)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


@bp.get("/stories/feed.atom")
def stories_feed() -> Response:
    """The published stories as an Atom feed; ?lang=en for English, Spanish otherwise."""
    lang = request.args.get("lang", "")
    lang = lang if lang in current_app.config["LANGUAGES"] else "es"
    body = atom_feed(_listed_stories(featured_first=False, limit=FEED_SIZE), lang)
    return Response(body, mimetype="application/atom+xml")
