"""Public discovery: Atom feeds of openings and challenges, sitemap.xml and robots.txt.

SECURITY.md row 47 (only public records and public fields), row 31 (hidden profiles are
absent from the sitemap) and row 48 (a forged host changes no link).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own output in tests
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from directory.extensions import db
from directory.models import Opening, PendingRevision

from . import factories as f
from .helpers import translated

A = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SECRET = "SECRET-MARKER-5519"
SITEMAP_NS = "http://www.sitemaps.org/"
FORGED = [
    {"HTTP_X_FORWARDED_HOST": "evil.example"},
    {"HTTP_FORWARDED": "for=1.2.3.4;host=evil.example;proto=https"},
    {"HTTP_HOST": "127.0.0.1:5000"},
]


def _feed(client: FlaskClient, url: str, **kwargs) -> ET.Element:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    assert response.mimetype == "application/atom+xml"
    return ET.fromstring(response.data)  # noqa: S314 - our own output


def _titles(feed: ET.Element) -> set[str]:
    return {entry.findtext(f"{A}title") for entry in feed.findall(f"{A}entry")}


@pytest.fixture
def posts(app: Flask) -> dict[str, int]:
    """Listed posts in two states, and posts that must never be listed."""
    with app.app_context():
        owner = f.user("owner@example.org")
        org = f.org(owner, name="Visión Norte", kind="government_agency", state_code="NLE")
        jal = f.org(name="Laboratorio Tapatío", kind="government_agency", state_code="JAL")
        hidden_org = f.org(owner, status="pending", name=f"Org {SECRET}")
        ids = {
            "remote": f.opening(org, title="Visión remota", remote_policy="remote",
                                skill_slugs=("python",)).id,
            "jalisco": f.opening(jal, title="Datos en Jalisco", state_code="JAL",
                                 city="Guadalajara", skill_slugs=("machine-learning",)).id,
            "challenge": f.challenge(org, title="Reto del agua", stage="pilot").id,
            "jal_challenge": f.challenge(jal, title="Reto tapatío", state_code="JAL").id,
        }  # fmt: skip
        f.opening(org, status="pending", title=f"Pendiente {SECRET}")
        f.opening(org, status="archived", title=f"Archivada {SECRET}")
        f.opening(org, title=f"Cerrada {SECRET}", closes_on=date.today() - timedelta(days=1))
        f.opening(hidden_org, title=f"De org oculta {SECRET}")
        f.challenge(org, status="draft", title=f"Reto borrador {SECRET}")
        # A held edit of a listed opening: its text is not public until a curator accepts it.
        db.session.add(PendingRevision(kind="opening", record_id=ids["remote"],
                                       values={"title": f"Editada {SECRET}"},
                                       submitted_by_id=owner.id))  # fmt: skip
        opening = db.session.get(Opening, ids["remote"])
        opening.moderation_note = f"Nota {SECRET}"
        db.session.commit()
        return ids


def test_the_openings_feed_lists_only_published_open_openings(client, posts):
    feed = _feed(client, "/openings/feed.atom")
    assert _titles(feed) == {"Visión remota", "Datos en Jalisco"}
    assert feed.get(XML_LANG) == "es"
    for tag in ("id", "title", "updated", "author", "subtitle"):
        assert feed.find(f"{A}{tag}") is not None, tag
    for entry in feed.findall(f"{A}entry"):
        for tag in ("id", "title", "updated", "published", "summary"):
            assert entry.findtext(f"{A}{tag}"), tag
        assert entry.find(f"{A}link").get("href").startswith("http://localhost/openings/")


def test_the_challenges_feed_lists_only_published_open_challenges(client, posts):
    feed = _feed(client, "/challenges/feed.atom")
    assert _titles(feed) == {"Reto del agua", "Reto tapatío"}
    link = feed.find(f"{A}entry/{A}link").get("href")
    assert re.fullmatch(r"http://localhost/challenges/\d+", link)


def test_feeds_hold_public_fields_only(client, posts):
    for url in ("/openings/feed.atom", "/challenges/feed.atom", "/sitemap.xml"):
        body = client.get(url).get_data(as_text=True)
        assert SECRET not in body, url  # no hidden record, held edit or moderation note
        assert "@example.org" not in body, url  # no member's e-mail


def test_the_feeds_filter_like_the_directory(client, posts):
    cases = {
        "/openings/feed.atom?state=JAL": {"Datos en Jalisco"},
        "/openings/feed.atom?remote=remote": {"Visión remota"},
        "/openings/feed.atom?skill=python": {"Visión remota"},
        "/openings/feed.atom?q=REMOTA": {"Visión remota"},  # case ignored
        "/openings/feed.atom?kind=challenge": {"Visión remota", "Datos en Jalisco"},
        "/openings/feed.atom?state=XX&skill=%3Cb%3E": {"Visión remota", "Datos en Jalisco"},
        "/openings/feed.atom?stage=pilot": set(),  # a facet openings do not have
        "/challenges/feed.atom?stage=pilot": {"Reto del agua"},
        "/challenges/feed.atom?state=JAL&q=reto": {"Reto tapatío"},
    }
    for url, titles in cases.items():
        assert _titles(_feed(client, url)) == titles, url
    # The same filters give the same records on the directory page.
    page = client.get("/directory?kind=opening&state=JAL").get_data(as_text=True)
    assert "Datos en Jalisco" in page and "Visión remota" not in page


def test_the_feed_names_its_filters_and_links_back_to_the_directory(client, posts):
    feed = _feed(client, "/openings/feed.atom?state=JAL&lang=en")
    assert "Jalisco" in feed.findtext(f"{A}subtitle")
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{A}link")}
    assert links["self"] == "http://localhost/openings/feed.atom?lang=en&state=JAL"
    assert links["alternate"] == "http://localhost/directory?kind=opening&state=JAL"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_lang_switches_the_texts(app, client, posts, lang):
    feed = _feed(client, f"/openings/feed.atom?lang={lang}&remote=remote")
    assert feed.get(XML_LANG) == lang
    site = app.config["SITE_NAME"]
    assert feed.findtext(f"{A}title") == translated(app, "%(site)s: openings", lang, site=site)
    summary = feed.find(f"{A}entry").findtext(f"{A}summary")
    assert translated(app, "Remote", lang) in summary
    assert translated(app, "Job", lang) in summary
    other = "en" if lang == "es" else "es"
    assert translated(app, "Remote", other) not in summary


def test_public_feeds_may_be_cached_and_answer_304_to_a_reader_that_has_them(client, posts):
    first = client.get("/openings/feed.atom?state=JAL")
    assert first.headers["Cache-Control"] == "public, max-age=300"
    etag = first.headers["ETag"]
    again = client.get("/openings/feed.atom?state=JAL", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other = client.get("/openings/feed.atom", headers={"If-None-Match": etag})
    assert other.status_code == 200


def test_an_unknown_language_falls_back_to_spanish(client, posts):
    assert _feed(client, "/challenges/feed.atom?lang=xx").get(XML_LANG) == "es"


def test_hostile_titles_are_escaped(app, client):
    with app.app_context():
        f.opening(title="<script>alert(1)</script> & <img src=x onerror=alert(2)>",
                  description="**negritas** <script>alert(3)</script>")  # fmt: skip
    response = client.get("/openings/feed.atom")
    body = response.get_data(as_text=True)
    assert "<script>" not in body and "<img" not in body
    entry = ET.fromstring(response.data).find(f"{A}entry")  # noqa: S314
    assert entry.findtext(f"{A}title").startswith("<script>alert(1)</script> & ")
    assert "negritas" in entry.findtext(f"{A}summary")
    assert "<" not in entry.findtext(f"{A}summary")  # plain text: Markdown and tags dropped


@pytest.mark.parametrize("environ", FORGED, ids=["x-forwarded-host", "forwarded", "other-host"])
def test_a_forged_host_never_changes_links(client, posts, environ):
    urls = ["/openings/feed.atom?state=JAL", "/challenges/feed.atom", "/sitemap.xml",
            "/robots.txt", "/directory?state=JAL"]  # fmt: skip
    for url in urls:
        body = client.get(url, environ_overrides=environ).get_data(as_text=True)
        found = re.findall(r"""https?://[^\s"'<>)]+""", body)
        links = [u for u in found if not u.startswith(("http://www.w3.org/", SITEMAP_NS))]
        assert links, url
        assert all(link.startswith("http://localhost/") for link in links), (url, links)
        assert "evil" not in body and "127.0.0.1" not in body, url


def test_the_directory_links_its_feeds(client, posts):
    html = client.get("/directory?q=vision&state=JAL&sort=date&page=2").get_data(as_text=True)
    alternates = re.findall(r'<link rel="alternate" type="application/atom\+xml"[^>]*>', html)
    assert len(alternates) == 2
    wanted = "http://localhost/openings/feed.atom?lang=es&amp;q=vision&amp;state=JAL"
    assert f'href="{wanted}"' in alternates[0]
    assert f'href="{wanted}" data-test="feed-openings"' in html
    assert 'data-test="feed-challenges"' in html


# --- sitemap.xml and robots.txt ---------------------------------------------------------


@pytest.fixture
def people(app: Flask) -> dict[str, int]:
    with app.app_context():
        return {
            "public": f.profile(visibility="public", full_name="Pública").id,
            "members": f.profile(visibility="members", full_name=f"Miembros {SECRET}").id,
            "private": f.profile(visibility="private", full_name=f"Privada {SECRET}").id,
            "inactive": f.profile(f.user(active=False), visibility="public").id,
        }


def _sitemap(client: FlaskClient) -> dict[str, str | None]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    root = ET.fromstring(response.data)  # noqa: S314 - our own output
    return {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in root.findall(f"{SM}url")}


def test_the_sitemap_lists_every_public_record_and_nothing_else(app, client, posts, people):
    with app.app_context():
        org = f.org(name="Publicada")
        merged = f.org(name="Fusionada")
        merged.merged_into_id = org.id
        f.org(status="pending", name="Pendiente")
        story = f.story()
        hidden_story = f.story(status="pending")
        db.session.commit()
        org_slug, merged_slug, story_slug = org.slug, merged.slug, story.slug
        hidden_story_slug = hidden_story.slug
    urls = _sitemap(client)
    base = "http://localhost"
    for path in ("/", "/directory", "/stories"):
        assert base + path in urls, path
    assert f"{base}/organizations/{org_slug}" in urls
    assert f"{base}/organizations/{merged_slug}" not in urls
    assert f"{base}/stories/{story_slug}" in urls
    assert f"{base}/stories/{hidden_story_slug}" not in urls
    assert f"{base}/openings/{posts['remote']}" in urls
    assert f"{base}/challenges/{posts['challenge']}" in urls
    assert f"{base}/people/{people['public']}" in urls
    for hidden in ("members", "private", "inactive"):
        assert f"{base}/people/{people[hidden]}" not in urls, hidden
    people_urls = [u for u in urls if "/people/" in u]
    assert people_urls == [f"{base}/people/{people['public']}"]
    openings = {u for u in urls if "/openings/" in u}
    assert openings == {f"{base}/openings/{posts['remote']}", f"{base}/openings/{posts['jalisco']}"}
    assert not [u for u in urls if "/alerts/" in u or "/me/" in u or "/manage/" in u]
    # Every record carries when it last changed.
    for url, lastmod in urls.items():
        if url.rstrip("/") not in (base, base + "/directory", base + "/stories"):
            assert lastmod and re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+Z", lastmod), url


def test_robots_keeps_crawlers_out_of_private_areas_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert text.startswith("User-agent: *\n")
    for path in ("/me/", "/manage/", "/curation/", "/account", "/alerts/", "/api/"):
        assert f"Disallow: {path}\n" in text, path
    assert "Disallow: /directory" not in text and "Disallow: /openings" not in text
    assert "Sitemap: http://localhost/sitemap.xml\n" in text
