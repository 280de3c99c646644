"""SECURITY.md row 53: the API keeps its own OpenAPI contract.

Schemathesis reads /api/v1/openapi.json from the app in-process and sends every operation
(search, matches, and the listings of issue 15) data that fits the document and data that
does not, anonymously, with a logged-in session and with an API token; every answer must
be documented (status, content type, body) and below 500, what fits must be accepted and
what does not refused. A listing's cursor is opaque: like a credential, the document cannot
say which values exist, so positive cases carry a real one. Direct tests pin the refusals
the issue named (limit=51, lang=xx, an unknown parameter) and the one Error shape.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from directory.extensions import db
from directory.listing_api import cursor
from directory.matching_views import contract
from directory.matching_views.openapi import document
from directory.services import api_tokens
from directory.services.opendata.fields import DATASETS

from . import factories as f
from .conftest import PASSWORD
from .helpers import translated
from .matching.conftest import fake_matching

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    positive_data_acceptance,
    negative_data_rejection,
]
EXAMPLES = 40  # per mode and client: about 160 requests in all, a few seconds
LIMITED = ("RATELIMIT_SEMANTIC_SEARCH", "RATELIMIT_MATCHING", "RATELIMIT_API",
           "RATELIMIT_API_TOKEN")  # fmt: skip
LISTINGS = list(DATASETS)  # organizations, openings, challenges, stories, people


@dataclass
class World:
    """Clients by who they are, and the record ids by kind."""

    clients: dict[str, FlaskClient]
    ids: dict[str, int]
    headers: dict[str, dict[str, str]]
    cursors: dict[str, str]  # a real cursor of each listing (its first page)


@pytest.fixture
def world(app: Flask) -> Iterator[World]:
    """An owner with an agency, its posts and a profile, a story; fake matching; no limits."""
    saved = {key: app.config[key] for key in LIMITED}
    app.config.update(dict.fromkeys(LIMITED, "100000 per minute"))
    with fake_matching(app):
        with app.app_context():
            owner = f.user("owner@example.org")
            agency = f.org(owner, kind="government_agency", skill_slugs=("python",))
            ids = {
                "opening": f.opening(agency, skill_slugs=("machine-learning", "python")).id,
                "challenge": f.challenge(
                    agency, skill_slugs=("computer-vision", "python", "robotics")
                ).id,
                "profile": f.profile(owner, skill_slugs=("python", "machine-learning")).id,
                "organization": f.org(
                    name="Visión Norte", skill_slugs=("computer-vision", "python")
                ).id,
                "story": f.story().id,
            }
            f.profile(full_name="Rafa Robot", skill_slugs=("machine-learning", "robotics"))
            f.org(name="Visión Sur", skill_slugs=("computer-vision",))
            f.story()
            _token, secret = api_tokens.create_token(owner, "Contrato")
            db.session.commit()
        with app.test_request_context():
            cursors = {dataset: cursor.make(dataset, 0) for dataset in LISTINGS}
        # Requests outside that app context: inside it, they would share its g (and the
        # logged-in user Flask-Login caches there).
        owner_client = app.test_client()
        login = {"email": "owner@example.org", "password": PASSWORD}
        assert owner_client.post("/login", data=login).status_code == 302
        anonymous = app.test_client()
        clients = {"anonymous": anonymous, "owner": owner_client, "token": anonymous}
        headers = {"token": {"Authorization": f"Bearer {secret}"}}
        yield World(clients, ids, headers, cursors)
    app.config.update(saved)


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.is_json
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    return body["error"]


# --- schemathesis, positive and negative --------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "owner", "token"])
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_schemathesis_finds_no_failure(
    app: Flask, world: World, who: str, mode: GenerationMode
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    client = world.clients[who]
    started = time.monotonic()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=schema.as_strategy(generation_mode=mode))
    def run(case) -> None:
        listing = case.operation.path.strip("/")
        if (
            mode == GenerationMode.POSITIVE
            and listing in LISTINGS
            and "cursor" in (case.query or {})
        ):
            case.query["cursor"] = world.cursors[listing]
        response = case.call(session=client, headers=world.headers.get(who))
        case.validate_response(response, checks=CHECKS)

    run()
    assert time.monotonic() - started < 60
    # Still logged in: the owner's cases ran with the session, not as a visitor.
    if who == "owner":
        assert client.get("/account").status_code == 200


def test_every_answer_to_the_owner_keeps_the_document(app: Flask, world: World) -> None:
    """Matches, candidates, solvers with their team: 200 bodies the random ids rarely reach."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    matches = schema["/matches/{kind}/{record_id}"]["GET"]
    bodies = {}
    for kind, record_id in world.ids.items():
        for lang in ("es", "en"):
            case = matches.Case(
                path_parameters={"kind": kind, "record_id": record_id}, query={"lang": lang}
            )
            response = case.call(session=world.clients["owner"])
            assert response.status_code == 200, (kind, response.text[:300])
            bodies[kind] = response.json()
            assert bodies[kind]["matches"], kind
            case.validate_response(response, checks=CHECKS)
    assert bodies["challenge"]["team"]["members"]
    search = schema["/search"]["GET"].Case(query={"q": "python", "kind": "opening,profile"})
    response = search.call(session=world.clients["owner"])
    assert response.json()["results"]
    search.validate_response(response, checks=CHECKS)


@pytest.mark.parametrize("listing", LISTINGS)
def test_every_page_of_every_listing_keeps_the_document(
    app: Flask, world: World, listing: str
) -> None:
    """Records of every kind, with and without a token, page by page to the end."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[f"/{listing}"]["GET"]
    for who in ("anonymous", "token"):
        query: dict[str, object] = {"limit": 1, "lang": "en"}
        seen = 0
        while True:
            case = operation.Case(query=query)
            response = case.call(session=world.clients[who], headers=world.headers.get(who))
            assert response.status_code == 200, response.text[:300]
            case.validate_response(response, checks=CHECKS)
            body = response.json()
            seen += len(body["items"])
            if body["next_cursor"] is None:
                break
            query = {**query, "cursor": body["next_cursor"]}
        assert seen >= 1, (listing, who)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("listing", LISTINGS)
def test_schemathesis_finds_no_failure_in_each_listing(
    app: Flask, world: World, listing: str, mode: GenerationMode
) -> None:
    """Each listing alone, so its facets get examples of their own."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema[f"/{listing}"]["GET"]
    client = world.clients["anonymous"]

    @settings(max_examples=15, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:
        if mode == GenerationMode.POSITIVE and "cursor" in (case.query or {}):
            case.query["cursor"] = world.cursors[listing]
        case.validate_response(case.call(session=client), checks=CHECKS)

    run()


# --- the refusals the issue named ---------------------------------------------------------


@pytest.mark.parametrize("locale", ["es", "en"])
def test_a_limit_above_50_is_refused_not_capped(app: Flask, world: World, locale) -> None:
    client = world.clients["anonymous"]
    error = _error(client.get(f"/api/v1/search?q=python&limit=51&lang={locale}"), 400)
    msgid = "“%(name)s” must be a whole number from %(min)d to %(max)d."
    assert error == {
        "status": 400,
        "message": translated(app, msgid, locale, name="limit", min=1, max=50),
        "parameter": "limit",
        "in": "query",
    }
    assert client.get("/api/v1/search?q=python&limit=50").status_code == 200


@pytest.mark.parametrize("locale", ["es", "en"])
def test_an_unknown_language_is_refused_in_the_users_language(
    app: Flask, client: FlaskClient, locale
) -> None:
    client.set_cookie("lang", locale)
    error = _error(client.get("/api/v1/search?q=python&lang=xx"), 400)
    msgid = "“%(name)s” must be one of: %(values)s."
    assert error["message"] == translated(app, msgid, locale, name="lang", values="es, en")
    assert (error["parameter"], error["in"]) == ("lang", "query")


def test_every_operation_refuses_an_unknown_parameter(client: FlaskClient) -> None:
    client.set_cookie("lang", "en")
    doc = client.get("/api/v1/openapi.json").get_json()
    for path, item in doc["paths"].items():
        url = "/api/v1" + path.replace("{kind}", "story").replace("{record_id}", "1")
        error = _error(client.get(url + "?page=2"), 400)
        assert (error["parameter"], error["in"]) == ("page", "query"), path
        assert error["message"].startswith("Unknown parameter “page”"), path
        assert item["get"]["responses"]["400"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }


@pytest.mark.parametrize(
    ("url", "parameter", "where"),
    [
        ("/api/v1/search?q=a&limit=5&limit=6", "limit", "query"),
        ("/api/v1/search?q=a&q=b", "q", "query"),
        ("/api/v1/search?q=a&limit=0", "limit", "query"),
        ("/api/v1/search?q=a&limit=5.0", "limit", "query"),
        ("/api/v1/search?q=a&limit=" + "9" * 5000, "limit", "query"),
        ("/api/v1/search?q=a&kind=", "kind", "query"),
        ("/api/v1/search?q=a&kind=opening,,story", "kind", "query"),
        ("/api/v1/search?q=a&kind=%20opening", "kind", "query"),
        ("/api/v1/search?q=%00", "q", "query"),
        ("/api/v1/search?q=%1C%C2%85%20", "q", "query"),  # Python's spaces, not only ECMA's
        ("/api/v1/search?q=" + "a" * 301, "q", "query"),
        ("/api/v1/matches/person/1", "kind", "path"),
        ("/api/v1/matches/story/1.5", "record_id", "path"),
    ],
)
def test_values_outside_the_document_name_their_parameter(
    client: FlaskClient, url: str, parameter: str, where: str
) -> None:
    error = _error(client.get(url), 400)
    assert (error["parameter"], error["in"]) == (parameter, where)


def test_values_within_the_document_are_accepted(world: World) -> None:
    client = world.clients["anonymous"]
    for url in (
        "/api/v1/search?q=visión&kind=opening,story,opening&limit=1&lang=en",
        "/api/v1/search?q=%00visión",  # NUL is dropped, the rest searched
        "/api/v1/search?q=%EF%BB%BF",  # a BOM is no space to str.split()
        "/api/v1/search?q=" + "a" * 300,
    ):
        assert client.get(url).status_code == 200, url


def test_refused_requests_still_count_against_the_rate_limit(
    app: Flask, client: FlaskClient
) -> None:
    saved = app.config["RATELIMIT_SEMANTIC_SEARCH"]
    app.config["RATELIMIT_SEMANTIC_SEARCH"] = "1 per minute"
    try:
        assert client.get("/api/v1/search?limit=51").status_code == 400
        error = _error(client.get("/api/v1/search?q=python&lang=en"), 429)
        assert int(client.get("/api/v1/search?q=x").headers["Retry-After"]) > 0
    finally:
        app.config["RATELIMIT_SEMANTIC_SEARCH"] = saved
    assert error["message"].startswith("Too many requests")


# --- the document itself ------------------------------------------------------------------


def test_every_api_route_is_an_operation_of_the_document(app: Flask, client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    documented = {
        (method.upper(), "/api/v1" + re.sub(r"\{(\w+)\}", r"<\1>", path), op["operationId"])
        for path, item in doc["paths"].items()
        for method, op in item.items()
    }
    routes = {
        (method, rule.rule, rule.endpoint.partition(".")[2])
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(("api.", "listing_api."))
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes == documented
    assert {f"/api/v1/{name}" for name in LISTINGS} <= {path for _, path, _ in routes}


def test_the_session_cookie_is_the_declared_auth_scheme(app: Flask, client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    scheme = doc["components"]["securitySchemes"]["sessionCookie"]
    assert scheme == scheme | {"type": "apiKey", "in": "cookie"}
    assert scheme["name"] == app.config["SESSION_COOKIE_NAME"]
    operations = {op["operationId"]: op for item in doc["paths"].values() for op in item.values()}
    # Matches of profiles, openings and challenges need it; search uses it when given.
    assert {"sessionCookie": []} in operations["matches"]["security"]
    assert "401" in operations["matches"]["responses"]
    assert {} in operations["search"]["security"]
    assert operations["openapi"]["security"] == operations["index"]["security"] == []
    # The rate-limited operations document their JSON 429 and its Retry-After.
    for name in ("search", "matches", *LISTINGS):
        too_many = operations[name]["responses"]["429"]
        assert "Retry-After" in too_many["headers"], name
    # The listings answer anyone, or a bearer token (401 when it is wrong).
    token = doc["components"]["securitySchemes"]["apiToken"]
    assert token["type"] == "http" and token["scheme"] == "bearer"
    for name in LISTINGS:
        assert operations[name]["security"] == [{}, {"apiToken": []}]
        assert "401" in operations[name]["responses"]


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda doc: doc["paths"]["/search"]["get"]["parameters"][2]["schema"].update(
            format="int32"), "keywords ['format']"),
        (lambda doc: doc["paths"]["/search"]["get"]["parameters"].append(
            {"name": "X-Token", "in": "header", "schema": {"type": "string"}}), "in header"),
        (lambda doc: doc["paths"]["/search"]["get"]["parameters"][3].update(
            schema={"type": "boolean"}), "type 'boolean'"),
    ],
)  # fmt: skip
def test_the_document_cannot_promise_a_check_nobody_makes(change, complaint: str) -> None:
    doc = document("")
    assert set(contract.operations(doc)) == {"index", "search", "matches", "openapi", *LISTINGS}
    change(doc)
    with pytest.raises(ValueError, match=re.escape(complaint)):
        contract.operations(doc)
