"""Every API parameter checked against the OpenAPI document the API serves (SECURITY.md row 53).

One mechanism for every operation, driven by the document itself: its parameter objects say
which names an operation takes, which are required and what each value may be. A query
parameter the operation does not declare, one given twice, a missing required one, or a
value outside its schema is refused before the view runs. The query is read as the client
sent it (before NUL characters are dropped, directory/clean_input.py), so the check and the
document agree on every byte.

The schema keywords understood are those below; a document using any other one fails at
import, so the document can never promise a check that nobody makes. A pattern must mean
the same in Python and in JSON Schema's ECMA-262 dialect (see openapi.NOT_BLANK).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import parse_qsl

from flask_babel import gettext as _

from .openapi import document

LOCATIONS = ("query", "path")
# The keywords enforced below, by type (arrays only in the query, of single values), and
# annotations that constrain nothing.
SCALAR = {"type", "enum", "minimum", "maximum", "minLength", "maxLength", "pattern"}
KEYWORDS = {"string": SCALAR, "integer": SCALAR, "array": {"type", "items", "minItems", "maxItems"}}
ANNOTATIONS = {"default", "description", "title", "examples"}
INTEGER = re.compile(r"-?[0-9]+", re.ASCII)
MAX_DIGITS = 1000  # longer numbers are compared by sign alone (int() refuses > 4300 digits)


@dataclass(frozen=True)
class Violation:
    """Why a request does not fit its operation: the parameter, where it is, and a sentence."""

    name: str
    location: str
    message: str


@dataclass(frozen=True)
class Operation:
    """One operation of the document: its method, path and parameter objects."""

    operation_id: str
    method: str
    path: str
    parameters: tuple[Mapping[str, Any], ...]

    @property
    def rule(self) -> str:
        """The path as a Flask rule: /matches/{kind}/{record_id} → /matches/<kind>/<record_id>."""
        return re.sub(r"\{(\w+)\}", r"<\1>", self.path)

    def declared(self, location: str) -> dict[str, Mapping[str, Any]]:
        """The parameters in one location, by name."""
        return {p["name"]: p for p in self.parameters if p["in"] == location}


def _check_schema(where: str, schema: Mapping[str, Any], *, array: bool) -> None:
    kind = schema.get("type")
    if kind not in KEYWORDS or (kind == "array" and not array):
        raise ValueError(f"{where}: values of type {kind!r} are not checked")
    unknown = set(schema) - KEYWORDS[kind] - ANNOTATIONS
    if unknown:
        raise ValueError(f"{where}: the keywords {sorted(unknown)} are not checked")
    if kind == "array":
        _check_schema(where + ".items", schema.get("items", {}), array=False)


def operations(doc: Mapping[str, Any]) -> dict[str, Operation]:
    """Every operation of an OpenAPI document by operationId, its parameters checked first."""
    found = {}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            for parameter in op.get("parameters", ()):
                where = f"{op['operationId']}.{parameter['name']}"
                if parameter["in"] not in LOCATIONS:
                    raise ValueError(f"{where}: parameters in {parameter['in']} are not checked")
                array = parameter["in"] == "query"
                _check_schema(where, parameter.get("schema", {}), array=array)
            parameters = tuple(op.get("parameters", ()))
            found[op["operationId"]] = Operation(
                op["operationId"], method.upper(), path, parameters
            )
    return found


@cache
def operation(operation_id: str) -> Operation:
    """The served document's operation (its server URL and cookie name play no part here)."""
    return operations(document(""))[operation_id]


def raw_query(query_string: bytes) -> list[tuple[str, str]]:
    """The query as sent: Werkzeug's own parsing, without the NUL clean-up of request.args."""
    return parse_qsl(
        query_string.decode(errors="replace"), keep_blank_values=True, errors="werkzeug.url_quote"
    )


def check(
    op: Operation, query: Sequence[tuple[str, str]], path: Mapping[str, str]
) -> Violation | None:
    """The first way a request breaks its operation's parameters, or None when it fits."""
    declared = op.declared("query")
    for name, _value in query:
        if name not in declared:
            return Violation(name, "query", _unknown(name, sorted(declared)))
    for name, parameter in declared.items():
        values = [value for key, value in query if key == name]
        if not values:
            if parameter.get("required"):
                return Violation(
                    name, "query", _("The parameter “%(name)s” is required.", name=name)
                )
            continue
        if len(values) > 1 and not _exploded_array(parameter):
            return Violation(
                name, "query", _("Give the parameter “%(name)s” only once.", name=name)
            )
        problem = _check_value(parameter, values)
        if problem:
            return Violation(name, "query", problem)
    for name, parameter in op.declared("path").items():
        problem = _check_value(parameter, [path.get(name, "")])
        if problem:
            return Violation(name, "path", problem)
    return None


def _unknown(name: str, known: list[str]) -> str:
    if not known:
        return _("Unknown parameter “%(name)s”: this endpoint takes none.", name=name)
    return _(
        "Unknown parameter “%(name)s”. This endpoint takes: %(known)s.",
        name=name,
        known=", ".join(known),
    )


def _exploded_array(parameter: Mapping[str, Any]) -> bool:
    # OpenAPI's default for the query is style=form, explode=true: ?kind=a&kind=b.
    return parameter["schema"].get("type") == "array" and parameter.get("explode", True)


def _check_value(parameter: Mapping[str, Any], values: list[str]) -> str | None:
    name, schema = parameter["name"], parameter["schema"]
    if schema["type"] != "array":
        return _check_scalar(name, schema, values[0])
    if not _exploded_array(parameter):  # ?kind=a,b (and "kind=" is [""], not [])
        values = values[0].split(",")
    if len(values) < schema.get("minItems", 0):
        return _("“%(name)s” must have at least %(min)d values.", name=name, min=schema["minItems"])
    if len(values) > schema.get("maxItems", len(values)):
        return _("“%(name)s” must have at most %(max)d values.", name=name, max=schema["maxItems"])
    for value in values:
        problem = _check_scalar(name, schema["items"], value)
        if problem:
            return problem
    return None


def _check_scalar(name: str, schema: Mapping[str, Any], raw: str) -> str | None:
    if "enum" in schema and _typed(schema, raw) not in schema["enum"]:
        values = ", ".join(str(v) for v in schema["enum"])
        return _("“%(name)s” must be one of: %(values)s.", name=name, values=values)
    if schema["type"] == "integer":
        return _check_integer(name, schema, raw)
    if len(raw) < schema.get("minLength", 0):
        if schema["minLength"] == 1:
            return _("“%(name)s” must not be empty.", name=name)
        return _(
            "“%(name)s” must have at least %(min)d characters.", name=name, min=schema["minLength"]
        )
    if len(raw) > schema.get("maxLength", len(raw)):
        return _(
            "“%(name)s” must have at most %(max)d characters.", name=name, max=schema["maxLength"]
        )
    if "pattern" in schema and not re.search(schema["pattern"], raw):
        # The pattern itself can be long (see openapi.NOT_BLANK): point to it instead.
        return _("“%(name)s” does not match its pattern in the OpenAPI document.", name=name)
    return None


def _typed(schema: Mapping[str, Any], raw: str) -> Any:
    if schema["type"] == "integer" and INTEGER.fullmatch(raw) and len(raw) <= MAX_DIGITS:
        return int(raw)
    return raw


def _check_integer(name: str, schema: Mapping[str, Any], raw: str) -> str | None:
    if not INTEGER.fullmatch(raw):
        return _("“%(name)s” must be a whole number.", name=name)
    # A number too long for int() is beyond any bound: only its sign matters.
    value: float = int(raw) if len(raw) <= MAX_DIGITS else float("-inf" if raw[0] == "-" else "inf")
    low, high = schema.get("minimum"), schema.get("maximum")
    if (low is None or value >= low) and (high is None or value <= high):
        return None
    if low is not None and high is not None:
        return _(
            "“%(name)s” must be a whole number from %(min)d to %(max)d.",
            name=name,
            min=low,
            max=high,
        )
    if low is not None:
        return _("“%(name)s” must be a whole number of at least %(min)d.", name=name, min=low)
    return _("“%(name)s” must be a whole number of at most %(max)d.", name=name, max=high)
