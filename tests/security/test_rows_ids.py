"""SECURITY.md row 38 (robustness): an id beyond any database integer in any route's URL is
a 404, never a 500 (PostgreSQL's INTEGER stops at 2,147,483,647; SQLite does not)."""

from __future__ import annotations

from flask import Flask, url_for
from flask.testing import FlaskClient
from werkzeug.routing import IntegerConverter

HUGE = 5_088_264_334


def _sample(converter: object) -> str:
    """A value the converter accepts: the first of an any(...), else a word."""
    items = getattr(converter, "items", None)
    return sorted(items)[0] if items else "x"


def test_every_get_route_with_an_id_answers_404_for_a_huge_id(
    app: Flask, client: FlaskClient, make_user, auth
) -> None:
    make_user()
    auth.login()
    checked, bad = 0, []
    for rule in app.url_map.iter_rules():
        converters = rule._converters  # noqa: SLF001 (werkzeug keeps them there)
        ints = [a for a, c in converters.items() if isinstance(c, IntegerConverter)]
        if "GET" not in rule.methods or not ints:
            continue
        # Build with a valid id, then put the huge one in its place in the URL.
        args = {a: 1 if a in ints else _sample(converters.get(a)) for a in rule.arguments}
        with app.test_request_context():
            path = url_for(rule.endpoint, **args)
        path = path.replace("/1", f"/{HUGE}")
        status = client.get(path).status_code
        checked += 1
        if status != 404:
            bad.append((path, status))
    assert checked > 20 and not bad, bad
