"""Story pages carry og:image (an absolute URL from PUBLIC_URL) and the og:locale of the text
shown; the stories feed's links carry its language, and open the story in it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own output in tests

import pytest
from flask import Flask
from sqlalchemy import select

from directory.extensions import db
from directory.models import SuccessStory

from .. import factories as f
from .conftest import Cast, jpeg, login, submit

A = "{http://www.w3.org/2005/Atom}"


def _published_with_image(app: Flask, cast: Cast, **fields: object) -> tuple[str, str]:
    submit(login(app, cast.submitter), image=(jpeg(), "foto.jpg"), **fields)
    with app.app_context():
        story = db.session.scalar(select(SuccessStory))
        story.status = "published"
        db.session.commit()
        return story.slug, str(story.image_name)


def _meta(html: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for prop, content in re.findall(r'<meta property="([^"]+)" content="([^"]*)">', html):
        found.setdefault(prop, []).append(content)
    return found


@pytest.mark.parametrize("locale", ["es", "en"])
def test_a_bilingual_story_page_has_og_image_and_the_readers_locale(
    app: Flask, cast: Cast, locale: str
) -> None:
    slug, image = _published_with_image(app, cast, title_en="ER triage", summary_en="Less wait.")
    reader = app.test_client()
    reader.set_cookie("lang", locale)
    meta = _meta(
        reader.get(f"/stories/{slug}", headers={"Host": "localhost"}).get_data(as_text=True)
    )
    assert meta["og:image"] == [f"http://localhost/stories/images/{image}"]
    assert meta["og:url"] == [f"http://localhost/stories/{slug}"]
    assert meta["og:type"] == ["article"]
    assert meta["og:locale"] == ["en_US" if locale == "en" else "es_MX"]
    assert meta["og:locale:alternate"] == ["es_MX" if locale == "en" else "en_US"]
    assert meta["og:title"] == ["ER triage" if locale == "en" else
                                "Triaje de urgencias con visión por computadora"]  # fmt: skip


def test_og_urls_come_from_the_public_origin_whatever_the_host(app: Flask, cast: Cast) -> None:
    slug, image = _published_with_image(app, cast)
    page = app.test_client().get(
        f"/stories/{slug}", headers={"X-Forwarded-Host": "evil.example", "Forwarded": "host=evil"}
    )
    html = page.get_data(as_text=True)
    assert "evil" not in html
    assert _meta(html)["og:image"] == [f"http://localhost/stories/images/{image}"]
    assert "og:locale:alternate" not in html  # Spanish only: no other version


def test_a_story_without_an_image_has_no_og_image(app: Flask) -> None:
    with app.app_context():
        slug = f.story().slug
    html = app.test_client().get(f"/stories/{slug}").get_data(as_text=True)
    assert "og:image" not in html and '<meta property="og:locale" content="es_MX">' in html


@pytest.mark.parametrize("lang", ["es", "en"])
def test_feed_links_carry_the_language_and_open_the_story_in_it(app: Flask, lang: str) -> None:
    with app.app_context():
        slug = f.story(title_es="Historia", title_en="Story").slug
    client = app.test_client()
    feed = ET.fromstring(client.get(f"/stories/feed.atom?lang={lang}").data)  # noqa: S314
    alternate = [
        link.get("href") for link in feed.findall(f"{A}link") if link.get("rel") == "alternate"
    ]
    assert alternate == [f"http://localhost/stories?lang={lang}"]
    [entry] = feed.findall(f"{A}entry")
    link = entry.find(f"{A}link").get("href")
    assert link == f"http://localhost/stories/{slug}?lang={lang}"
    # Following it: the story opens in the feed's language (the switch remembers it).
    reader = app.test_client()
    path = link.removeprefix("http://localhost")
    response = reader.get(path, follow_redirects=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert ("<h1 data-test=\"record-title\">Story</h1>" if lang == "en"
            else "<h1 data-test=\"record-title\">Historia</h1>") in html  # fmt: skip
    assert f'<html lang="{lang}">' in html


def test_the_language_links_never_leave_the_site(app: Flask) -> None:
    with app.app_context():
        slug = f.story().slug
    response = app.test_client().get(f"/stories/{slug}?lang=en&next=//evil.example")
    assert response.status_code == 302
    assert "evil.example" not in response.location.split("next=")[0]
    final = app.test_client().get(f"/stories/{slug}?lang=en&next=//evil.example",
                                  follow_redirects=True)  # fmt: skip
    assert final.request.path == f"/stories/{slug}"
    assert app.test_client().get(f"/stories/{slug}?lang=xx").status_code == 200
    assert app.test_client().get(f"/stories/{slug}?lang=en&slug=x&lang=es").status_code == 302


def test_the_showcase_links_its_feed_in_the_readers_language(app: Flask) -> None:
    reader = app.test_client()
    reader.set_cookie("lang", "en")
    html = reader.get("/stories").get_data(as_text=True)
    assert 'hreflang="en"' in html and 'href="/stories/feed.atom?lang=en"' in html
