"""Every page renders in Spanish and in English, for visitors and members."""

from __future__ import annotations

import re

import pytest

from directory import create_app

from .helpers import translated

LOCALES = ["es", "en"]


def _get_pages(app) -> list[str]:
    """Every GET route without parameters, plus the ones we can fill."""
    pages = []
    for rule in app.url_map.iter_rules():
        # The JSON API has its own tests (tests/test_api.py); pages here are HTML.
        if (
            "GET" in rule.methods
            and not rule.arguments
            and rule.endpoint != "static"
            and not rule.endpoint.startswith("api.")
        ):
            pages.append(rule.rule)
    return sorted(pages)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_page_renders_for_a_visitor(app, client, locale):
    client.set_cookie("lang", locale)
    for path in _get_pages(app):
        response = client.get(path)
        assert response.status_code in (200, 302), (path, response.status_code)
        if response.status_code == 200 and response.mimetype == "text/html":
            html = response.get_data(as_text=True)
            assert f'<html lang="{locale}">' in html, path


@pytest.mark.parametrize("locale", LOCALES)
def test_every_page_renders_for_a_member(app, client, make_user, auth, locale):
    make_user(locale=locale)
    auth.login()
    for path in _get_pages(app):
        response = client.get(path)
        # The curation pages are the chamber's: members get a 403 page, in their language.
        expected = (403,) if path.startswith("/curation") else (200, 302)
        assert response.status_code in expected, (path, response.status_code)
        if response.mimetype == "text/html" and response.status_code != 302:
            assert f'<html lang="{locale}">' in response.get_data(as_text=True), path


@pytest.mark.parametrize("locale", LOCALES)
def test_every_page_renders_for_a_curator(app, client, make_user, auth, locale):
    make_user(locale=locale, role="curator")
    auth.login()
    for path in _get_pages(app):
        response = client.get(path)
        # Some curation pages need a query (which pair to merge, which term): 404 without.
        assert response.status_code in (200, 302, 404), (path, response.status_code)
        assert response.status_code != 404 or path.startswith("/curation"), path
        if response.status_code == 200 and response.mimetype == "text/html":
            assert f'<html lang="{locale}">' in response.get_data(as_text=True), path


def test_home_says_what_the_directory_is_in_spanish_by_default(app, client):
    html = client.get("/").get_data(as_text=True)
    assert translated(app, "Mexico's AI ecosystem, in one directory", "es") in html
    assert 'href="/signup"' in html and 'href="/login"' in html
    assert 'lang="es"' in html


def test_language_switch_is_remembered(app, client):
    response = client.post("/language", data={"lang": "en", "next": "/login"})
    assert response.status_code == 302 and response.location == "/login"
    html = client.get("/").get_data(as_text=True)
    assert "Mexico's AI ecosystem, in one directory" in html
    assert '<html lang="en">' in html


def test_unknown_language_is_ignored(client):
    client.post("/language", data={"lang": "fr"})
    assert '<html lang="es">' in client.get("/").get_data(as_text=True)


def test_members_language_follows_their_account(app, make_user):
    make_user(locale="en")
    browser = app.test_client()
    browser.post("/login", data={"email": "ana@example.org", "password": "correct horse battery"})
    browser.post("/language", data={"lang": "es"})
    # A new browser without the cookie still gets the account's saved choice.
    other = app.test_client()
    other.post("/login", data={"email": "ana@example.org", "password": "correct horse battery"})
    assert '<html lang="es">' in other.get("/account").get_data(as_text=True)


@pytest.mark.parametrize("locale", LOCALES)
def test_not_found_page_is_friendly(app, client, locale):
    client.set_cookie("lang", locale)
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert translated(app, "Page not found", locale) in response.get_data(as_text=True)


def test_server_error_page_hides_the_traceback(app):
    fresh = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})

    @fresh.get("/boom-for-test")
    def boom():
        raise RuntimeError("secret detail")

    response = fresh.test_client().get("/boom-for-test")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret detail" not in html and "Traceback" not in html
    assert re.search(r"<h1>[^<]+</h1>", html)


def test_private_pages_are_not_cached(client, make_user, auth):
    make_user()
    auth.login()
    assert client.get("/account").headers["Cache-Control"] == "no-store"
