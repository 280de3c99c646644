"""The success-stories showcase and its Atom feed."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own output in tests
from datetime import UTC, datetime, timedelta

import pytest

from directory.extensions import db

from . import factories as f
from .helpers import translated

A = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def stories(app):
    """Three published stories (one featured, the oldest) and two unpublished ones."""
    with app.app_context():
        org = f.org(name="Kaab Salud")
        now = datetime.now(UTC)
        old = f.story(
            featured=True,
            title_es="Destacada vieja",
            title_en="Old featured",
            body_es="Cuerpo <script>alert(1)</script>",
            body_en="Body & more",
        )
        old.organizations = [org]
        middle = f.story(title_es="Intermedia", title_en="Middle one")
        new = f.story(title_es="La más nueva", title_en="The newest")
        for story, days in ((old, 30), (middle, 10), (new, 1)):
            story.published_at = now - timedelta(days=days)
        f.story(status="pending", title_es="Pendiente", title_en="Pending story")
        f.story(status="draft", title_es="Borrador", title_en="Draft story")
        db.session.commit()
        return {"old": old.slug, "middle": middle.slug, "new": new.slug}


@pytest.mark.parametrize("locale", ["es", "en"])
def test_showcase_lists_featured_first_then_newest(app, client, stories, locale):
    client.set_cookie("lang", locale)
    html = client.get("/stories").get_data(as_text=True)
    titles = (
        ["Destacada vieja", "La más nueva", "Intermedia"]
        if locale == "es"
        else ["Old featured", "The newest", "Middle one"]
    )
    positions = [html.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "Pendiente" not in html and "Pending story" not in html and "Borrador" not in html
    assert translated(app, "Featured", locale) in html
    assert "Kaab Salud" in html
    assert ("Menos espera" if locale == "es" else "Less waiting") in html and "-30%" in html
    assert f'href="/stories/feed.atom?lang={locale}"' in html
    assert 'property="og:url" content="http://localhost/stories"' in html


def _feed(client, query: str = "") -> ET.Element:
    response = client.get("/stories/feed.atom" + query)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    return ET.fromstring(response.data)  # noqa: S314 - our own output


def test_feed_is_atom_with_published_stories_only(client, stories):
    feed = _feed(client)
    assert feed.tag == f"{A}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "es"
    for tag in ("id", "title", "updated", "author"):
        assert feed.find(f"{A}{tag}") is not None, tag
    entries = feed.findall(f"{A}entry")
    titles = [entry.findtext(f"{A}title") for entry in entries]
    assert titles == ["La más nueva", "Intermedia", "Destacada vieja"]  # newest first
    for entry in entries:
        for tag in ("id", "title", "updated", "published", "summary", "content"):
            assert entry.find(f"{A}{tag}") is not None, tag
        link = entry.find(f"{A}link").get("href")
        assert link.startswith("http://localhost/stories/")
        datetime.fromisoformat(entry.findtext(f"{A}updated").replace("Z", "+00:00"))
    old = entries[2]
    assert old.find(f"{A}content").get("type") == "html"
    assert "<script>" not in old.findtext(f"{A}content")  # sanitised before it is escaped
    assert old.find(f"{A}category").get("label") == "Kaab Salud"


def test_feed_in_english_and_bad_language(client, stories):
    feed = _feed(client, "?lang=en")
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    titles = [entry.findtext(f"{A}title") for entry in feed.findall(f"{A}entry")]
    assert titles == ["The newest", "Middle one", "Old featured"]
    assert "Body &amp; more" in feed.findall(f"{A}entry")[2].findtext(f"{A}content")
    fallback = _feed(client, "?lang=xx")
    assert fallback.get("{http://www.w3.org/XML/1998/namespace}lang") == "es"


def test_empty_feed_is_still_valid(client):
    feed = _feed(client)
    assert feed.findall(f"{A}entry") == []
    assert feed.findtext(f"{A}updated")


def test_only_atom_is_served(client):
    assert client.get("/stories/feed.rss").status_code == 404
