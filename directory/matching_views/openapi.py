"""The OpenAPI 3.1 document of the JSON API, written by hand to stay small and exact.

It is the API's contract, not a description of it: the views are routed from its paths and
every parameter is checked against it before a view runs (contract.py)."""

from __future__ import annotations

from typing import Any

from ..ratelimits import ENDPOINT_LIMITS
from .access import MAX_QUERY, QUERY_KINDS
from .openapi_schemas import MATCH_KINDS, SCHEMAS

SESSION_SCHEME = "sessionCookie"
DEFAULT_LIMIT, MAX_LIMIT = 20, 50


def _not_blank() -> str:
    """A pattern for text with more than what str.split() calls space (and NUL, dropped).

    Spelt out character by character: \\s means less in JSON Schema's ECMA-262 regular
    expressions than in Python's (no U+001C-U+001F, no U+0085), and a query of only those
    must be refused by the document exactly as the view would.
    """
    blank = ["\x00", *(c for c in map(chr, range(0x10000)) if c.isspace())]
    return "[^" + "".join(f"\\u{ord(c):04x}" for c in blank) + "]"


NOT_BLANK = _not_blank()


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def json_response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    """A response with a JSON body of this schema."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def responses(
    operation_id: str, ok: dict[str, Any], *, blueprint: str = "api", **errors: str
) -> dict[str, Any]:
    """200, the operation's own errors, and the 400 (and 429 where limited) every one shares."""
    responses: dict[str, Any] = {
        "200": ok,
        "400": _error("A parameter the document does not declare, or a value outside its schema."),
    }
    responses.update({code.lstrip("_"): _error(text) for code, text in errors.items()})
    if f"{blueprint}.{operation_id}" in ENDPOINT_LIMITS:
        too_many = _error("Too many requests from this account or address: wait and retry.")
        too_many["headers"] = {
            "Retry-After": {
                "description": "Seconds to wait before the next request.",
                "schema": {"type": "integer", "minimum": 0},
            }
        }
        responses["429"] = too_many
    return dict(sorted(responses.items()))


def lang_parameter() -> dict[str, Any]:
    """The ?lang parameter every operation with text takes."""
    return {
        "name": "lang",
        "in": "query",
        "required": False,
        "description": "Language of titles, reasons and errors; default: the user's or cookie's.",
        "schema": {"type": "string", "enum": ["es", "en"]},
    }


def _search() -> dict[str, Any]:
    return {
        "summary": "Semantic search over published records",
        "operationId": "search",
        # Anyone may search; with the session, the results are those the account may see.
        "security": [{}, {SESSION_SCHEME: []}],
        "parameters": [
            {
                "name": "q",
                "in": "query",
                "required": True,
                "description": "What to look for: something other than spaces (NUL is dropped).",
                "schema": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": MAX_QUERY,
                    "pattern": NOT_BLANK,
                },
            },
            {
                "name": "kind",
                "in": "query",
                "required": False,
                "description": "Kinds of record, separated by commas (kind=opening,challenge); "
                "without it, every kind.",
                "style": "form",
                "explode": False,
                "schema": {
                    "type": "array",
                    "minItems": 1,
                    "items": {"type": "string", "enum": list(QUERY_KINDS)},
                },
            },
            {
                "name": "limit",
                "in": "query",
                "required": False,
                "description": "How many results at most.",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_LIMIT,
                    "default": DEFAULT_LIMIT,
                },
            },
            lang_parameter(),
        ],
        "responses": responses(
            "search",
            json_response(
                "Results, best first.",
                {
                    "type": "object",
                    "required": ["query", "results"],
                    "properties": {
                        "query": {"type": "string"},
                        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
                    },
                },
            ),
        ),
    }


DEFAULT_MATCH_LIMIT = 20


def _matches() -> dict[str, Any]:
    return {
        "summary": "Explained matches of one record",
        "description": "profile: its owner only. opening: candidates; challenge: "
        "organisations, people and a team (the organisation's editors and curators). "
        "organization, story: more like this (anyone who may see it). profile, opening and "
        "challenge need the session cookie (401 without it); organization and story do not.",
        "operationId": "matches",
        "security": [{SESSION_SCHEME: []}, {}],
        "parameters": [
            {
                "name": "kind",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "enum": MATCH_KINDS},
            },
            {
                "name": "record_id",
                "in": "path",
                "required": True,
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": "limit",
                "in": "query",
                "required": False,
                "description": "How many matches at most, per list: a profile's openings and "
                "challenges are two lists; a challenge's organisations and people too.",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_LIMIT,
                    "default": DEFAULT_MATCH_LIMIT,
                },
            },
            lang_parameter(),
        ],
        "responses": responses(
            "matches",
            json_response("Matches, best first.", {"$ref": "#/components/schemas/Matches"}),
            _401="Login needed (profile, opening, challenge).",
            _403="A public record whose matches belong to its owners.",
            _404="Unknown record, or one you may not see.",
        ),
    }


def _index() -> dict[str, Any]:
    return {
        "summary": "Where to start",
        "operationId": "index",
        "security": [],
        "responses": responses(
            "index",
            json_response(
                "This document's and the search's URLs.",
                {
                    "type": "object",
                    "required": ["openapi", "search"],
                    "properties": {
                        "openapi": {"type": "string", "format": "uri"},
                        "search": {"type": "string", "format": "uri"},
                    },
                },
            ),
        ),
    }


def _self() -> dict[str, Any]:
    return {
        "summary": "This document",
        "operationId": "openapi",
        "security": [],
        "responses": responses(
            "openapi",
            json_response(
                "The OpenAPI document.", {"type": "object", "required": ["openapi", "paths"]}
            ),
        ),
    }


def document(server_url: str, session_cookie: str = "session") -> dict[str, Any]:
    """The OpenAPI document, with this deployment's base URL and session cookie name."""
    # Here, not at the top: the listing API's operations are built with the helpers above.
    from ..listing_api import spec as listing

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Directorio IA API",
            "version": "1.0.0",
            "description": "Semantic search, explained matches and listings of Mexico's AI "
            "ecosystem. Read-only; the same visibility rules as the web pages. The listings "
            "(organizations, openings, challenges, stories, people) hold published records "
            "and public fields only, and answer anyone; a personal API token (made at "
            "/me/api-tokens, sent as Authorization: Bearer) gives its own, larger rate "
            "limit. Every parameter is checked against this document: an undeclared one, "
            "or a value outside its schema, gets a 400 with an Error body naming the "
            "parameter.",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/": {"get": _index()},
            "/search": {"get": _search()},
            "/matches/{kind}/{record_id}": {"get": _matches()},
            "/openapi.json": {"get": _self()},
            **listing.paths(),
        },
        "components": {
            "schemas": {**SCHEMAS, **listing.schemas()},
            "securitySchemes": {
                **listing.security_schemes(),
                SESSION_SCHEME: {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": session_cookie,
                    "description": "The session cookie set by logging in to the site "
                    "(POST /login); the remember-me cookie renews it.",
                },
            },
        },
    }
