"""The OpenAPI 3.1 document of the JSON API, written by hand to stay small and exact."""

from __future__ import annotations

from typing import Any

KINDS = ["opening", "challenge", "organization", "profile", "story"]
MATCH_KINDS = ["profile", "opening", "challenge", "organization", "story"]


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _lang() -> dict[str, Any]:
    return {
        "name": "lang",
        "in": "query",
        "required": False,
        "description": "Language of titles and reasons; default: the user's or cookie's.",
        "schema": {"type": "string", "enum": ["es", "en"]},
    }


SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["status", "message"],
                "properties": {"status": {"type": "integer"}, "message": {"type": "string"}},
            }
        },
    },
    "Hit": {
        "type": "object",
        "required": ["kind", "id", "title", "url", "score"],
        "properties": {
            "kind": {"type": "string", "enum": KINDS},
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "url": {"type": "string", "format": "uri"},
            "score": {"type": "integer", "minimum": 0, "maximum": 100},
        },
    },
    "Reason": {
        "type": "object",
        "required": ["code", "text", "positive"],
        "properties": {
            "code": {"type": "string"},
            "text": {"type": "string"},
            "positive": {"type": "boolean"},
        },
    },
    "Match": {
        "type": "object",
        "required": [
            "kind",
            "id",
            "title",
            "url",
            "score",
            "reasons",
            "shared_skills",
            "missing_skills",
        ],
        "properties": {
            "kind": {"type": "string", "enum": KINDS},
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "url": {"type": "string", "format": "uri"},
            "score": {"type": "integer", "minimum": 0, "maximum": 100},
            "band": {"type": "string", "enum": ["excellent", "good", "possible"]},
            "reasons": {"type": "array", "items": {"$ref": "#/components/schemas/Reason"}},
            "shared_skills": {"type": "array", "items": {"type": "string"}},
            "missing_skills": {"type": "array", "items": {"type": "string"}},
        },
    },
    "Team": {
        "type": "object",
        "required": ["members", "covered", "wanted", "coverage", "best_single", "text"],
        "properties": {
            "members": {
                "type": "array",
                "maxItems": 3,
                "items": {
                    "type": "object",
                    "required": ["kind", "id", "title", "url", "skills"],
                    "properties": {
                        "kind": {"type": "string", "enum": ["organization", "profile"]},
                        "id": {"type": "integer"},
                        "title": {"type": "string"},
                        "url": {"type": "string", "format": "uri"},
                        "skills": {"type": "array", "items": {"type": "string"}},
                    },
                },
            },
            "covered": {"type": "integer"},
            "wanted": {"type": "integer"},
            "coverage": {"type": "number", "minimum": 0, "maximum": 1},
            "best_single": {"type": "number", "minimum": 0, "maximum": 1},
            "text": {"type": "string"},
        },
    },
    "Matches": {
        "type": "object",
        "required": ["kind", "id", "matches"],
        "properties": {
            "kind": {"type": "string", "enum": MATCH_KINDS},
            "id": {"type": "integer"},
            "matches": {"type": "array", "items": {"$ref": "#/components/schemas/Match"}},
            "team": {"oneOf": [{"$ref": "#/components/schemas/Team"}, {"type": "null"}]},
            "notice": {"type": "string"},
        },
    },
}


def document(server_url: str) -> dict[str, Any]:
    """The OpenAPI document, with this deployment's base URL."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Directorio IA API",
            "version": "1.0.0",
            "description": "Semantic search and explained matches of Mexico's AI ecosystem. "
            "Read-only; the same visibility rules as the web pages.",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/search": {
                "get": {
                    "summary": "Semantic search over published records",
                    "operationId": "search",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string", "minLength": 1, "maxLength": 300},
                        },
                        {
                            "name": "kind",
                            "in": "query",
                            "required": False,
                            "description": "One kind, or several separated by commas.",
                            "schema": {"type": "string"},
                        },
                        {
                            "name": "limit",
                            "in": "query",
                            "required": False,
                            "schema": {"type": "integer", "minimum": 1, "maximum": 50},
                        },
                        _lang(),
                    ],
                    "responses": {
                        "200": {
                            "description": "Results, best first.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["query", "results"],
                                        "properties": {
                                            "query": {"type": "string"},
                                            "results": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Hit"},
                                            },
                                        },
                                    }
                                }
                            },
                        },
                        "400": _error("Missing or too long query, unknown kind or bad limit."),
                    },
                }
            },
            "/matches/{kind}/{id}": {
                "get": {
                    "summary": "Explained matches of one record",
                    "description": "profile: its owner only. opening: candidates; challenge: "
                    "organisations, people and a team (the organisation's editors and "
                    "curators). organization, story: more like this (anyone who may see it).",
                    "operationId": "matches",
                    "parameters": [
                        {
                            "name": "kind",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "enum": MATCH_KINDS},
                        },
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 1},
                        },
                        _lang(),
                    ],
                    "responses": {
                        "200": {
                            "description": "Matches, best first.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Matches"}
                                }
                            },
                        },
                        "401": _error("Login needed (profile, opening, challenge)."),
                        "403": _error("A public record whose matches belong to its owners."),
                        "404": _error("Unknown kind or record, or one you may not see."),
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "summary": "This document",
                    "operationId": "openapi",
                    "responses": {"200": {"description": "The OpenAPI document."}},
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }
