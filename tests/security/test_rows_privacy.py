"""SECURITY.md row 31: a new profile is private and absent from listings, search and matches.

The older tests prove the parts one by one (tests/test_profiles.py: a new profile is
private; tests/test_browse.py: listings; tests/matching/test_privacy.py: search and
matches, even from a stale index). This module follows one profile made through the real
form, with every consent ticked, across all of them at once, then publishes it to show the
same checks do see a visible profile.

The sitemap (directory/public/sitemap.py) lists a profile only while its owner shows it to
everyone: test_the_sitemap_lists_a_profile_only_while_it_is_public follows one profile
through private, members-only and public, and back.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from directory.extensions import db
from directory.models import Profile

from .. import factories as f
from ..conftest import PASSWORD
from ..matching.conftest import fake_matching

NAME = "Xochitl Privadísima Ek"


@pytest.fixture
def matching(app: Flask) -> Iterator[None]:
    with fake_matching(app):
        yield


def _places(app: Flask, opening_id: int) -> dict[str, str]:
    """Where a visible profile would show up, for an anonymous visitor and the opening's team."""
    return {
        "/directory": "anonymous",
        "/directory?kind=profile&q=xochitl": "anonymous",
        "/search?q=xochitl+privadisima": "anonymous",
        "/api/v1/search?q=xochitl+privadisima&kind=profile": "anonymous",
        f"/manage/openings/{opening_id}/candidates": "owner",
        f"/api/v1/matches/opening/{opening_id}": "owner",
    }


def _seen(app: Flask, opening_id: int) -> dict[str, bool]:
    clients = {"anonymous": app.test_client(), "owner": app.test_client()}
    clients["owner"].post("/login", data={"email": "owner@example.org", "password": PASSWORD})
    seen = {}
    for url, who in _places(app, opening_id).items():
        response = clients[who].get(url)
        assert response.status_code == 200, url
        seen[url] = "Xochitl" in response.get_data(as_text=True)
    return seen


def test_a_new_profile_stays_out_of_every_list_until_published(app, client, auth, matching):
    with app.app_context():
        owner = f.user("owner@example.org")
        opening = f.opening(f.org(owner), title="Visión por computadora en Python")
        opening_id = opening.id
        f.user("xochitl@example.org")
    auth.login("xochitl@example.org")
    response = client.post(
        "/me/profile/edit",
        data={
            "full_name": NAME,
            "headline": "Visión por computadora en Python",
            "bio": "Xochitl privadisima, visión por computadora.",
            "kind": "engineer",
            "seniority": "senior",
            "skills": "Python, Visión por computadora",
            "languages": ["es"],
            "diaspora_status": "local",
            "country_code": "MX",
            "state_code": "JAL",
            "city": "Guadalajara",
            "links": "",
            "contact_consent": "y",
            "matching_consent": "y",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        profile = db.session.scalar(db.select(Profile))
        assert profile.visibility == "private"
        profile_id = profile.id
    assert not any(_seen(app, opening_id).values())
    assert app.test_client().get(f"/people/{profile_id}").status_code == 404
    # Published, the same places do show the person: the checks above could see them.
    assert client.post("/me/profile/publish").status_code == 302
    with app.app_context():
        assert db.session.get(Profile, profile_id).visibility == "public"
    seen = _seen(app, opening_id)
    assert seen["/directory?kind=profile&q=xochitl"] and seen["/search?q=xochitl+privadisima"]
    assert seen[f"/manage/openings/{opening_id}/candidates"]


def test_the_sitemap_lists_a_profile_only_while_it_is_public(app, client, auth):
    with app.app_context():
        f.user("xochitl@example.org")
    auth.login("xochitl@example.org")
    response = client.post(
        "/me/profile/edit",
        data={"full_name": NAME, "kind": "engineer", "seniority": "senior", "languages": ["es"],
              "diaspora_status": "local", "country_code": "MX", "state_code": "JAL",
              "links": "", "contact_consent": "y", "matching_consent": "y"},
    )  # fmt: skip
    assert response.status_code == 302
    with app.app_context():
        profile = db.session.scalar(db.select(Profile))
        url = f"http://localhost/people/{profile.id}"

    def listed() -> bool:
        response = app.test_client().get("/sitemap.xml")
        assert response.status_code == 200
        return f"<loc>{url}</loc>" in response.get_data(as_text=True)

    assert not listed()  # a new profile is private
    for visibility, shown in (("members", False), ("public", True), ("private", False)):
        with app.app_context():
            db.session.get(Profile, profile.id).visibility = visibility
            db.session.commit()
        assert listed() is shown, visibility
    for path in ("/sitemap", "/sitemap_index.xml"):
        assert client.get(path).status_code == 404, path
