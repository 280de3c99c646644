"""A member makes a personal API token in a browser, in Spanish and in English: it is shown
once, it opens the listing API, and once revoked it no longer does."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from .. import factories as f
from ..helpers import translated
from .conftest import log_in

pytestmark = pytest.mark.browser

SECRET = re.compile(r"^dia_[A-Za-z0-9_-]{43}$")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_make_see_once_use_and_revoke_a_token(
    app, live_server: str, page: Page, csrf_enabled, lang: str
) -> None:
    violations: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            violations.append(message.text)

    page.on("console", watch)
    email = f"tokens-{lang}@example.org"
    with app.app_context():
        f.user(email, locale=lang)
        f.org(name=f"Laboratorio {lang}")

    log_in(page, live_server, email, next_path="/me/profile")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.click("[data-test=me-nav-api-tokens]")
    expect(page).to_have_url(f"{live_server}/me/api-tokens")
    expect(page.locator("h1")).to_have_text(translated(app, "My API tokens", lang))
    expect(page.locator("[data-test=no-tokens]")).to_be_visible()

    # An empty name is refused in the page's language, and nothing is made.
    page.click("[data-test=create-token]")
    expect(page.locator(".errors")).to_contain_text(
        translated(app, "This field is required.", lang)
    )
    expect(page.locator("[data-test=token-value]")).to_have_count(0)

    page.fill("#name", f"Informe ({lang})")
    page.click("[data-test=create-token]")
    shown = page.locator("[data-test=token-value]")
    expect(shown).to_have_value(SECRET)
    secret = shown.input_value()
    copy_now = "Copy this token now: we keep only a fingerprint of it and cannot show it again."
    expect(page.locator("[data-test=new-token]")).to_contain_text(translated(app, copy_now, lang))

    # It opens the API; the page, opened again, never shows it.
    answer = page.request.get(
        f"{live_server}/api/v1/organizations", headers={"Authorization": f"Bearer {secret}"}
    )
    assert answer.status == 200 and answer.json()["items"][0]["name"] == f"Laboratorio {lang}"
    page.goto(f"{live_server}/me/api-tokens")
    expect(page.locator("[data-test=token-value]")).to_have_count(0)
    assert secret not in page.content()
    token = page.locator("[data-test=token]")
    expect(token).to_have_count(1)
    expect(token.locator("[data-test=token-name]")).to_have_text(f"Informe ({lang})")
    expect(token.locator("[data-test=last-used]")).to_be_visible()

    token.locator("[data-test=revoke-token]").click()
    expect(page).to_have_url(f"{live_server}/me/api-tokens")
    revoked = translated(
        app, "The token “%(name)s” was revoked. It no longer works.", lang, name=f"Informe ({lang})"
    )
    expect(page.locator("main")).to_contain_text(revoked)
    expect(page.locator("[data-test=token]")).to_have_attribute("data-state", "revoked")
    expect(page.locator("[data-test=revoke-token]")).to_have_count(0)
    refused = page.request.get(
        f"{live_server}/api/v1/organizations?lang={lang}",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert refused.status == 401 and refused.json()["error"]["status"] == 401
    assert violations == []
