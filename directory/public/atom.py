"""Atom 1.0 documents: the one builder behind every feed (stories, openings, challenges and
the private feeds of saved searches).

Callers hand over plain values (every URL already absolute through
``url_for(..., _external=True)``, so it names the public origin, directory/origin.py);
ElementTree escapes every text and attribute.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - we build XML, never parse untrusted input
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import current_app, request
from werkzeug.wrappers import Response

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MIMETYPE = "application/atom+xml"


@dataclass(frozen=True)
class Entry:
    """One entry: its page (also its id), texts already in the feed's language."""

    url: str
    title: str
    published: datetime | None
    updated: datetime | None
    summary: str = ""
    # Sanitised HTML (render_markdown), escaped once more as Atom's type="html" expects.
    content_html: str | None = None
    categories: tuple[tuple[str, str], ...] = ()  # (term, label)


@dataclass(frozen=True)
class Feed:
    """The feed's own metadata."""

    self_url: str
    alternate_url: str
    title: str
    subtitle: str
    lang: str


def iso(value: datetime | None) -> str:
    """An RFC 3339 UTC time ("…Z"); now when there is none (Atom requires `updated`)."""
    value = value or datetime.now(UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = text
    return element


def _link(parent: ET.Element, rel: str, href: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}link", {"rel": rel, "href": href})


def atom_document(feed: Feed, entries: Sequence[Entry]) -> bytes:
    """An Atom 1.0 document of these entries, in the order given."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: feed.lang})
    site = current_app.config["SITE_NAME"]
    _text(root, "id", feed.self_url)
    _text(root, "title", feed.title)
    if feed.subtitle:
        _text(root, "subtitle", feed.subtitle)
    _link(root, "self", feed.self_url)
    _link(root, "alternate", feed.alternate_url)
    times = [e.updated or e.published for e in entries]
    newest = max((t for t in times if t is not None), default=None)
    _text(root, "updated", iso(newest))
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", site)
    for item in entries:
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        _text(entry, "id", item.url)
        _text(entry, "title", item.title)
        _link(entry, "alternate", item.url)
        _text(entry, "published", iso(item.published or item.updated))
        _text(entry, "updated", iso(item.updated or item.published))
        _text(entry, "summary", item.summary)
        if item.content_html is not None:
            _text(entry, "content", item.content_html, type="html")
        for term, label in item.categories:
            _text(entry, "category", "", term=term, label=label)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def feed_language(args: Mapping[str, Any], default: str | None = None) -> str:
    """The language asked for with ?lang=, else `default`, else Spanish."""
    languages = current_app.config["LANGUAGES"]
    lang = str(args.get("lang") or "")
    if lang in languages:
        return lang
    return default if default in languages else "es"


PUBLIC_MAX_AGE = 300  # seconds a reader or proxy may keep a public feed


def atom_response(body: bytes, *, private: bool = False) -> Response:
    """Serve a document as Atom. A public feed may be cached a few minutes and answers a
    reader's If-None-Match with 304; a private one is kept by no cache (SECURITY.md row 21)."""
    response = Response(body, mimetype=MIMETYPE)
    if private:
        response.headers["Cache-Control"] = "private, no-store"
        return response
    response.headers["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    response.add_etag()
    return response.make_conditional(request)
