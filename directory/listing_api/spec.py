"""The listing API's part of the OpenAPI document (matching_views/openapi.py merges it).

One operation per dataset, GET /<dataset>: the directory's facets that apply to the kind
of record, a keyword query, a page size and the cursor. The views are routed from these
operations and every parameter is checked against them first (matching_views/contract.py),
so the document is the contract here too.
"""

from __future__ import annotations

from typing import Any

from .. import geo, vocab
from ..matching_views.openapi import json_response, lang_parameter, responses
from ..services.facets import GROUPS
from ..services.opendata.fields import DATASETS, schema
from ..services.opendata.listing import DEFAULT_LIMIT, MAX_LIMIT, facets_of
from ..services.search import MAX_QUERY_LENGTH

TOKEN_SCHEME = "apiToken"  # noqa: S105  (a scheme's name, not a secret)
MAX_CURSOR = 200  # characters: a real cursor has about 60
MAX_SLUG = 80
# Component schema names, by dataset.
NAMES = {"organizations": "Organization", "openings": "Opening", "challenges": "Challenge",
         "stories": "Story", "people": "Person"}  # fmt: skip
SUMMARIES = {
    "organizations": "Published organisations",
    "openings": "Open, published openings of published organisations",
    "challenges": "Open, published challenges of published organisations",
    "stories": "Published success stories",
    "people": "Profiles their owners made public (public fields only)",
}


def _enum(name: str, values: list[str], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": "string", "enum": values}}  # fmt: skip


def _facet(name: str) -> dict[str, Any]:
    """A facet as a query parameter: a code from its vocabulary, or a skill's slug."""
    if name == "state":
        return _enum(name, sorted(geo.STATE_NAMES), "A Mexican state, by its code.")
    if name in GROUPS:
        values = list(vocab.GROUPS[GROUPS[name]])
        return _enum(name, values, f"One code of the {GROUPS[name]} vocabulary.")
    what = "An AI area" if name == "area" else "A skill"
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": f"{what}, by its vocabulary code (e.g. machine-learning); a code "
        "that is not in the vocabulary finds nothing.",
        "schema": {"type": "string", "minLength": 1, "maxLength": MAX_SLUG},
    }


def parameters(dataset: str) -> list[dict[str, Any]]:
    """Every query parameter of one listing."""
    return [
        {
            "name": "q",
            "in": "query",
            "required": False,
            "description": "Words that must all appear (accents and case ignored).",
            "schema": {"type": "string", "maxLength": MAX_QUERY_LENGTH},
        },
        *(_facet(name) for name in facets_of(dataset)),
        {
            "name": "limit",
            "in": "query",
            "required": False,
            "description": "Records per page.",
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT,
                       "default": DEFAULT_LIMIT},
        },
        {
            "name": "cursor",
            "in": "query",
            "required": False,
            "description": "Where the page starts: the next_cursor of the page before "
            "(opaque; made by this API for this listing). Without it, the first page.",
            "schema": {"type": "string", "minLength": 1, "maxLength": MAX_CURSOR},
        },
        lang_parameter(),
    ]  # fmt: skip


def _page_schema(dataset: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["items", "next_cursor", "next"],
        "additionalProperties": False,
        "properties": {
            "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{NAMES[dataset]}"}},
            "next_cursor": {
                "type": ["string", "null"],
                "description": "Give it as ?cursor= for the next page; null on the last page.",
            },
            "next": {
                "type": ["string", "null"],
                "format": "uri",
                "description": "The next page's URL (the same query with its cursor), or null.",
            },
        },
    }


def _operation(dataset: str) -> dict[str, Any]:
    return {
        "summary": SUMMARIES[dataset],
        "description": "In id order, a page at a time: follow next (or next_cursor) until "
        "it is null to read every record once. Anyone may ask; with an API token the "
        "requests count against the token's own, larger rate limit.",
        "operationId": dataset,
        "security": [{}, {TOKEN_SCHEME: []}],
        "parameters": parameters(dataset),
        "responses": responses(
            dataset,
            json_response("One page of records.", _page_schema(dataset)),
            blueprint="listing_api",
            _401="The Authorization header holds no live API token (wrong, revoked, or its "
            "account closed). Send no header at all to read anonymously.",
        ),
    }


def paths() -> dict[str, Any]:
    """The listing operations by path."""
    return {f"/{dataset}": {"get": _operation(dataset)} for dataset in DATASETS}


def schemas() -> dict[str, Any]:
    """The record schemas: exactly the public fields (services/opendata/fields.py)."""
    return {NAMES[dataset]: schema(dataset) for dataset in DATASETS}


def security_schemes() -> dict[str, Any]:
    """The API token: a bearer token a member makes at /me/api-tokens."""
    return {
        TOKEN_SCHEME: {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token (dia_...), made and revoked by its owner at "
            "/me/api-tokens. Read-only. A wrong or revoked token gets a 401.",
        }
    }
