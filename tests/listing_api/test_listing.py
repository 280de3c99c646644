"""GET /api/v1/organizations, /openings, /challenges, /stories, /people: only published
records and public fields (SECURITY.md row 47), the directory's facets, cursor pages that
reach the end once, and refusals in the requested language."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from directory.matching_views.openapi import document
from directory.services.opendata.fields import DATASETS

from .. import factories as f
from ..conftest import PASSWORD
from ..helpers import translated
from .conftest import EMAIL, MARKER, PHONE, World

DATASET_NAMES = list(DATASETS)


def _items(client: FlaskClient, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/json"
    return response.get_json()["items"]


def _ids(client: FlaskClient, url: str) -> list[int]:
    return [item["id"] for item in _items(client, url)]


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    return body["error"]


@pytest.mark.parametrize("dataset", DATASET_NAMES)
def test_each_listing_shows_exactly_the_published_records(
    client: FlaskClient, world: World, dataset: str
) -> None:
    response = client.get(f"/api/v1/{dataset}?limit=100")
    body = response.get_data(as_text=True)
    assert sorted(_ids(client, f"/api/v1/{dataset}?limit=100")) == sorted(world.public[dataset])
    assert MARKER not in body and PHONE not in body and EMAIL not in body
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("dataset", DATASET_NAMES)
def test_records_carry_exactly_the_documented_public_fields(
    client: FlaskClient, world: World, dataset: str
) -> None:
    schema = document("")["components"]["schemas"]
    name = {"organizations": "Organization", "openings": "Opening", "challenges": "Challenge",
            "stories": "Story", "people": "Person"}[dataset]  # fmt: skip
    for item in _items(client, f"/api/v1/{dataset}"):
        assert set(item) == set(schema[name]["properties"])
        assert item["url"].startswith("http://localhost/")  # the public origin (row 48)


def test_a_person_shows_what_their_public_page_shows_and_nothing_private(
    client: FlaskClient, world: World
) -> None:
    [person] = _items(client, "/api/v1/people")
    assert person["full_name"] == "Ana Pública"
    assert person["links"] == ["https://ana.example.org"]  # javascript: is dropped
    assert person["areas"] == ["machine-learning"] and person["skills"] == ["python"]
    for private in ("phone", "email", "visibility", "contact_consent", "matching_consent",
                    "user_id", "work_modes", "degree"):  # fmt: skip
        assert private not in person
    # Members-only profiles stay out even for a logged-in member (the API is public data).
    client.post("/login", data={"email": EMAIL, "password": PASSWORD})
    assert _ids(client, "/api/v1/people") == [world.ids["person"]]


def test_a_story_names_only_published_organisations(client: FlaskClient, world: World) -> None:
    stories = {s["id"]: s for s in _items(client, "/api/v1/stories")}
    assert stories[world.ids["story"]]["organization_ids"] == [world.ids["firm"]]
    assert stories[world.ids["story_link"]]["organization_ids"] == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/api/v1/organizations?state=JAL", ["firm"]),
        ("/api/v1/organizations?org_kind=government_agency", ["agency"]),
        ("/api/v1/organizations?sector=government", ["agency"]),
        ("/api/v1/organizations?area=computer-vision", ["firm"]),
        ("/api/v1/organizations?area=python", []),  # python is a skill, not an area
        ("/api/v1/organizations?skill=python", ["agency"]),
        ("/api/v1/organizations?q=vision+tapatia", ["firm"]),  # accents and case ignored
        ("/api/v1/organizations?skill=no-such-skill", []),
        ("/api/v1/openings?remote=remote", ["opening"]),
        ("/api/v1/openings?state=JAL&area=machine-learning", ["opening"]),
        ("/api/v1/people?diaspora=abroad", ["person"]),
        ("/api/v1/people?diaspora=local", []),
        ("/api/v1/stories?sector=health&state=JAL", ["story"]),
    ],
)
def test_the_directorys_facets_filter_the_listings(
    client: FlaskClient, world: World, url: str, expected: list[str]
) -> None:
    assert _ids(client, url) == [world.ids[name] for name in expected]


def test_pages_reach_the_end_once_with_no_gap_and_no_repeat(app: Flask, client: FlaskClient):
    with app.app_context():
        org_ids = [f.org(name=f"Empresa {n}").id for n in range(23)]
    seen: list[int] = []
    url = "/api/v1/organizations?limit=5&lang=en"
    pages = 0
    while url:
        body = client.get(url.removeprefix("http://localhost")).get_json()
        seen += [item["id"] for item in body["items"]]
        assert len(body["items"]) <= 5
        url = body["next"]
        if url:
            assert "lang=en" in url and "limit=5" in url and body["next_cursor"] in url
            # A record added mid-way, with a higher id, is still reached once.
            if pages == 1:
                with app.app_context():
                    org_ids.append(f.org(name="Nueva a medio camino").id)
        else:
            assert body["next_cursor"] is None
        pages += 1
    assert seen == sorted(org_ids) and pages == 5


@pytest.mark.parametrize("locale", ["es", "en"])
@pytest.mark.parametrize(
    "cursor",
    ["abc", "W10.bad", "x" * 200, "%00", "eyJ0IjoxfQ"],
)
def test_a_cursor_this_api_did_not_make_is_refused_in_the_language_asked(
    app: Flask, client: FlaskClient, world: World, cursor: str, locale: str
) -> None:
    error = _error(client.get(f"/api/v1/organizations?cursor={cursor}&lang={locale}"), 400)
    assert (error["parameter"], error["in"]) == ("cursor", "query")
    msgid = ("This cursor does not belong to this listing, or it has expired. Start again "
             "from the first page, without a cursor.")  # fmt: skip
    assert error["message"] == translated(app, msgid, locale)


def test_a_cursor_of_another_listing_is_refused(client: FlaskClient, world: World) -> None:
    cursor = client.get("/api/v1/openings?limit=1").get_json()["next_cursor"]
    assert cursor
    assert client.get(f"/api/v1/openings?cursor={cursor}").status_code == 200
    _error(client.get(f"/api/v1/organizations?cursor={cursor}"), 400)


@pytest.mark.parametrize("locale", ["es", "en"])
def test_a_facet_of_another_kind_is_an_unknown_parameter(
    app: Flask, client: FlaskClient, locale: str
) -> None:
    client.set_cookie("lang", locale)
    error = _error(client.get("/api/v1/stories?remote=remote"), 400)
    assert (error["parameter"], error["in"]) == ("remote", "query")
    msgid = "Unknown parameter “%(name)s”. This endpoint takes: %(known)s."
    known = "cursor, lang, limit, q, sector, state"
    assert error["message"] == translated(app, msgid, locale, name="remote", known=known)


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/organizations?limit=101", "limit"),
        ("/api/v1/organizations?limit=0", "limit"),
        ("/api/v1/organizations?state=XX", "state"),
        ("/api/v1/organizations?state=JAL&state=NLE", "state"),
        ("/api/v1/openings?remote=sometimes", "remote"),
        ("/api/v1/people?skill=" + "a" * 81, "skill"),
        ("/api/v1/people?q=" + "a" * 201, "q"),
        ("/api/v1/challenges?cursor=", "cursor"),
        ("/api/v1/challenges?token=dia_x", "token"),  # tokens travel in a header, never a URL
    ],
)
def test_values_outside_the_document_are_refused(
    client: FlaskClient, url: str, parameter: str
) -> None:
    error = _error(client.get(url), 400)
    assert error["parameter"] == parameter


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/organizations?q=%00",
        "/api/v1/organizations?q=%3Cscript%3E",
        "/api/v1/people?q=%F0%9F%A6%8E&skill=%C3%B1",
        "/api/v1/openings?q=" + "%25" * 200,
        "/api/v1/challenges?q=%ED%A0%80",  # a lone surrogate, as invalid UTF-8
    ],
)
def test_hostile_text_finds_nothing_and_breaks_nothing(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200 and response.get_json()["items"] == []


@pytest.mark.parametrize(
    "forged",
    [
        {"HTTP_HOST": "127.0.0.1:5000"},
        {"HTTP_X_FORWARDED_HOST": "evil.example"},
        {"HTTP_FORWARDED": "for=1.2.3.4;host=evil.example;proto=https"},
        {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_PORT": "8443"},
    ],
)
def test_every_link_comes_from_the_public_origin(
    client: FlaskClient, world: World, forged: dict[str, str]
) -> None:
    """Row 48: record URLs and the next page's URL ignore forged host headers."""
    for dataset in DATASET_NAMES:
        body = client.get(f"/api/v1/{dataset}?limit=1", environ_overrides=forged).get_json()
        links = [item["url"] for item in body["items"]] + [body["next"] or ""]
        assert all(link.startswith("http://localhost/") for link in links if link), links
        assert "evil" not in str(body) and "8443" not in str(body)
