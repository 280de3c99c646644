"""Every GET page of the app, for every role, on a phone and on a laptop (issue 16).

A visitor, a member with a published profile, an organisation editor and a curator open
every HTML route (every_page_world.py fills the path parameters from the demo seed plus
their own records) at 390 px and at 1280 px wide, in Spanish. A page fails when it scrolls
sideways, has no (or an empty) <h1>, logs a console error or fails a same-origin request,
shows English interface text from the catalogue, or has a serious or critical axe-core
violation (every_page_checks.py). The whole list of failures is reported at once.

Run it alone with `-m every_page` (or `-k every_page`); one role and width with e.g.
`-k "every_page and member-390"`. It is skipped on PostgreSQL (DATABASE_URL set): the
pages and the browser are the same on both databases and SQLite is the faster run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Browser, Page

from ..conftest import PASSWORD
from ..matching.conftest import fake_matching
from . import every_page_checks as check
from .conftest import log_in
from .every_page_world import EMAILS, REDIRECT_ONLY, ROLES, World, build_world, get_routes
from .every_page_world import url_for_route as url_of

pytestmark = [
    pytest.mark.browser,
    # The same warning for a static file the browser still drops half-way (see the icon
    # below): a request given up by the client, not a failure of the page under test.
    pytest.mark.filterwarnings(
        "ignore:unclosed file <_io.BufferedReader name='[^']*/static/:ResourceWarning",
        "ignore:Exception ignored in. <_io.FileIO name='[^']*/static/"
        ":pytest.PytestUnraisableExceptionWarning",
    ),
    pytest.mark.every_page,
    pytest.mark.skipif(
        bool(os.environ.get("DATABASE_URL")), reason="run on SQLite only (same pages)"
    ),
]

WIDTHS = (390, 1280)
# axe-core runs at 1280 px only: it costs about half a second a page, and at both widths
# the sweep went well past its four-minute budget. The other checks run at both widths.
AXE_WIDTHS = {1280}


@pytest.fixture
def world(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """The demo seed plus the roles' records, with matching on the fake embedder."""
    # Let the browser keep stylesheets and scripts between pages instead of asking the
    # server again for each on every page (as a CDN would): fewer requests, a faster sweep.
    monkeypatch.setitem(app.config, "SEND_FILE_MAX_AGE_DEFAULT", 600)
    with fake_matching(app):
        yield build_world(app)


def test_every_page_route_is_filled_and_reached(app: Flask, world: World) -> None:
    """Each visited route opens as a 200 HTML page for at least one role (else the values
    the sweep fills in are wrong and it would only check an error page), none with a 500."""
    clients = {"anonymous": app.test_client()}
    for role, email in EMAILS.items():
        clients[role] = app.test_client()
        answer = clients[role].post("/login", data={"email": email, "password": PASSWORD})
        assert answer.status_code == 302, role
    problems = []
    for rule in get_routes(app):
        try:
            path = url_of(app, world, rule)
        except LookupError as exc:
            problems.append(str(exc))
            continue
        statuses = {}
        for role, client in clients.items():
            response = client.get(path)
            statuses[role] = response.status_code
            if response.status_code == 200 and response.mimetype != "text/html":
                problems.append(f"{path}: {response.mimetype}, not HTML: add it to SKIP")
        if any(status >= 500 for status in statuses.values()):
            problems.append(f"{path}: server error {statuses}")
        elif 200 not in statuses.values() and rule.endpoint not in REDIRECT_ONLY:
            problems.append(f"{path} ({rule.endpoint}): no role sees the page {statuses}")
    assert not problems, "\n".join(problems)


def _key(page: Page, status: int) -> str:
    """What makes two visits the same page: the address (less ?next=), or for an error the
    status and its title (every 403 of a role is the same page)."""
    if status >= 400:
        titles = page.locator("h1").all_inner_texts()
        return f"{status} {titles[0] if titles else ''}"
    parts = urlsplit(page.url)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "next"])
    return parts.path + ("?" + query if query else "")


def _check_page(page: Page, width: int, world: World, axe: Axe) -> list[str]:
    problems = check.overflow(page) + check.heading(page)
    problems += check.untranslated(page, world.record_text)
    if width in AXE_WIDTHS:
        problems += check.axe(page, axe)
    return problems


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_in_the_browser(
    app: Flask, live_server: str, browser: Browser, world: World, csrf_enabled, role, width
) -> None:
    """Every page passes every check for this role at this width."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="es-MX")
    page = context.new_page()
    watch = check.PageWatch(page, live_server)
    if role != "anonymous":
        log_in(page, live_server, EMAILS[role])
    # Cache the icon once (it may be kept 600 s, see `world`): otherwise the browser asks for
    # it after each page and drops the request when the sweep moves on, and the development
    # server then leaves the file open (a ResourceWarning, an error under this suite).
    page.goto(live_server + "/static/img/favicon.svg")
    failures: list[str] = []
    seen: set[str] = set()
    axe = Axe()
    try:
        for rule in get_routes(app):
            try:
                path = url_of(app, world, rule)
            except LookupError as exc:
                failures.append(str(exc))
                continue
            watch.reset()
            response = page.goto(live_server + path)
            status = response.status if response else 0
            if status >= 500 or status == 0:
                failures.append(f"{path}: status {status}")
                continue
            key = _key(page, status)
            if key in seen:
                continue
            seen.add(key)
            problems = _check_page(page, width, world, axe) + watch.reset()
            landed = page.url.removeprefix(live_server)
            shown = path if landed == path else f"{path} -> {landed}"
            failures += [f"{shown} [{status}]: {problem}" for problem in problems]
    finally:
        context.close()
    assert not failures, f"{role} at {width} px, {len(failures)} problems:\n" + "\n".join(failures)
