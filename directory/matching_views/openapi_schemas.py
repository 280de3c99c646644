"""The component schemas of the API's OpenAPI document: what its answers look like."""

from __future__ import annotations

from typing import Any

from .access import QUERY_KINDS

KINDS = list(QUERY_KINDS)  # what search finds: opening, challenge, organization, profile, story
MATCH_KINDS = ["profile", "opening", "challenge", "organization", "story"]

SCHEMAS: dict[str, Any] = {
    # The one shape of every error answer (400, 401, 403, 404, 429, 500).
    "Error": {
        "type": "object",
        "required": ["error"],
        "additionalProperties": False,
        "properties": {
            "error": {
                "type": "object",
                "required": ["status", "message"],
                "additionalProperties": False,
                "properties": {
                    "status": {"type": "integer", "minimum": 400, "maximum": 599},
                    "message": {
                        "type": "string",
                        "description": "For people, in the language of ?lang, the user or "
                        "the lang cookie.",
                    },
                    "parameter": {
                        "type": "string",
                        "description": "400 only: the parameter at fault.",
                    },
                    "in": {"type": "string", "enum": ["query", "path"]},
                },
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
            # A profile's matches also come as two lists (the "matches" above merges them).
            "openings": {"type": "array", "items": {"$ref": "#/components/schemas/Match"}},
            "challenges": {"type": "array", "items": {"$ref": "#/components/schemas/Match"}},
            "team": {"oneOf": [{"$ref": "#/components/schemas/Team"}, {"type": "null"}]},
            "notice": {"type": "string"},
        },
    },
}
