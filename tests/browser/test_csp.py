"""Under the strict Content-Security-Policy the browser blocks nothing on the main pages,
and the site's own scripts still run (the skills chip input, the country/state switch)."""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from .conftest import log_in

pytestmark = pytest.mark.browser


def test_no_csp_violation_and_scripts_still_run(
    live_server: str, page: Page, make_user, csrf_enabled
) -> None:
    violations: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            violations.append(message.text)

    page.on("console", watch)
    for path in ("/", "/directory", "/search", "/signup", "/login", "/privacy"):
        response = page.goto(live_server + path)
        assert response is not None and response.status < 500, path
        assert "script-src 'self'" in response.headers["content-security-policy"]

    make_user("csp@example.org")
    log_in(page, live_server, "csp@example.org", next_path="/me/profile/edit")
    # skills.js turned the text field into a chip input: it ran under script-src 'self'.
    page.fill("#skills-entry", "python")
    page.press("#skills-entry", "Enter")
    expect(page.locator(".chip")).to_have_count(1)
    # me-profile.js hides the Mexican state for a person abroad.
    page.select_option("#country_code", "ES")
    expect(page.locator("[data-state-field]")).to_be_hidden()
    assert violations == []
