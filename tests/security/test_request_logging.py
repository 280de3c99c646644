"""SECURITY.md row 26 and the logging bar: every response carries a request id (a sane
incoming X-Request-ID is kept), each request is one JSON log line without its query string,
and a forced exception gives a friendly 500 page, logged with that id, with no traceback
shown. Friendly 403/404/429/500 pages speak both languages."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from directory.models import Role
from directory.request_log import JsonFormatter

from ..conftest import AuthActions
from ..helpers import translated


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """What the app's JSON log handler writes, in a buffer."""
    handler = next(
        h for h in logging.getLogger("directory").handlers if getattr(h, "_directory_json", False)
    )
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def _records(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


def test_each_response_gets_a_fresh_request_id(client: FlaskClient) -> None:
    ids = {client.get("/").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3 and all(len(i) >= 16 for i in ids)


def test_a_sane_incoming_request_id_is_kept(client: FlaskClient) -> None:
    response = client.get("/", headers={"X-Request-ID": "edge-7f3a9c2e.01"})
    assert response.headers["X-Request-ID"] == "edge-7f3a9c2e.01"


@pytest.mark.parametrize("bad", ["short", "x" * 200, "abc def ghi jkl", '"><script>1</script>'])
def test_an_odd_incoming_request_id_is_replaced(client: FlaskClient, bad: str) -> None:
    response = client.get("/", headers={"X-Request-ID": bad})
    assert response.headers["X-Request-ID"] != bad
    assert response.headers["X-Request-ID"].isalnum()


def test_each_request_is_one_json_line_without_the_query(
    client: FlaskClient, log_lines: io.StringIO
) -> None:
    response = client.get("/directory?q=maria-secret-search", headers={"X-Request-ID": "abcd1234"})
    lines = [r for r in _records(log_lines) if r["logger"] == "directory.request"]
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == response.headers["X-Request-ID"] == "abcd1234"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/directory", 200)
    assert line["level"] == "INFO" and line["time"].endswith("+00:00")
    assert "maria-secret-search" not in log_lines.getvalue()


def test_a_forced_exception_is_a_friendly_500_logged_with_its_id(
    app: Flask, client: FlaskClient, log_lines: io.StringIO, monkeypatch
) -> None:
    def boom() -> str:
        raise RuntimeError("kaboom-internal-detail")

    monkeypatch.setitem(app.view_functions, "public.index", boom)
    response = client.get("/", headers={"X-Request-ID": "trace-500-test"})
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert 'data-test="error-code">500<' in html
    assert "trace-500-test" in html  # the reference a person can quote
    assert "kaboom-internal-detail" not in html and "Traceback" not in html
    errors = [r for r in _records(log_lines) if r["level"] == "ERROR"]
    assert errors and errors[0]["request_id"] == "trace-500-test"
    assert "kaboom-internal-detail" in errors[0]["exc"]


def test_the_formatter_writes_extras_and_no_request_outside_one() -> None:
    record = logging.LogRecord(
        "directory.x", logging.WARNING, __file__, 1, "hi %s", ("there",), None
    )
    record.user_id = 7
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "hi there" and line["user_id"] == 7
    assert line["request_id"] is None


def _page_of(response) -> tuple[str, str]:
    html = response.get_data(as_text=True)
    lang = html.split('<html lang="', 1)[1].split('"', 1)[0]
    code = html.split('data-test="error-code">', 1)[1].split("<", 1)[0]
    return lang, code


TITLES = {403: "You cannot see this page", 404: "Page not found", 500: "Something went wrong"}


@pytest.mark.parametrize("lang", ["es", "en"])
def test_error_pages_speak_both_languages(
    app: Flask,
    client: FlaskClient,
    auth: AuthActions,
    make_user,
    monkeypatch,
    lang: str,
) -> None:
    client.set_cookie("lang", lang)
    make_user(role=Role.MEMBER, locale=lang)
    auth.login()
    not_found = client.get("/no-such-page")
    forbidden = client.get("/curation/")
    monkeypatch.setitem(app.view_functions, "public.index", lambda: 1 / 0)
    broken = client.get("/")
    for response, code in ((not_found, 404), (forbidden, 403), (broken, 500)):
        assert response.status_code == code
        assert _page_of(response) == (lang, str(code))
        assert translated(app, TITLES[code], lang) in response.get_data(as_text=True)
