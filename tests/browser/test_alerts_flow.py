"""Save a search from the directory in a browser, in Spanish and in English, find it at
/me/alerts and get its private feed address."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from .. import factories as f
from ..helpers import translated
from .conftest import log_in

pytestmark = pytest.mark.browser

FEED_ADDRESS = re.compile(r"^http://localhost/alerts/feed/[A-Za-z0-9_-]{43}\.atom$")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_save_a_search_and_find_it_in_my_alerts(
    app, live_server: str, page: Page, csrf_enabled, lang: str
) -> None:
    violations: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            violations.append(message.text)

    page.on("console", watch)
    email = f"alertas-{lang}@example.org"
    with app.app_context():
        f.user(email, locale=lang)
        org = f.org(name="Laboratorio Tapatío", state_code="JAL", skill_slugs=())
        f.opening(org, title="Visión en Jalisco", state_code="JAL")

    log_in(page, live_server, email, next_path="/directory%3Fq%3Dvision%26state%3DJAL")
    expect(page.locator("[data-test=result]").first).to_contain_text("Visión en Jalisco")
    expect(page.locator("html")).to_have_attribute("lang", lang)

    page.click("[data-test=save-search-open]")
    expect(page.locator("[data-test=save-search-name]")).to_have_value("vision")
    page.fill("[data-test=save-search-name]", f"Visión en Jalisco ({lang})")
    page.select_option("[data-test=save-search-form] [data-test=frequency]", "daily")
    page.click("[data-test=save-search-submit]")

    expect(page).to_have_url(f"{live_server}/me/alerts")
    item = page.locator("[data-test=saved-search]")
    expect(item).to_have_count(1)
    expect(item.locator("[data-test=saved-search-name]")).to_have_text(
        f"Visión en Jalisco ({lang})"
    )
    expect(item.locator("[data-test=search-parts]")).to_contain_text("Jalisco")
    daily = translated(app, "Once a day", lang)
    expect(item.locator("[data-test=frequency-now]")).to_contain_text(daily)
    expect(item.locator("[data-test=feed-off]")).to_have_text(
        translated(app, "No private feed", lang)
    )

    # Its page shows what it finds now, and makes a private feed address, shown once.
    item.locator("[data-test=see-results]").click()
    expect(page.locator("[data-test=current-results]")).to_contain_text("Visión en Jalisco")
    page.click("[data-test=new-feed]")
    address = page.locator("[data-test=feed-url]")
    expect(address).to_have_value(FEED_ADDRESS)
    feed_path = address.input_value().removeprefix("http://localhost")
    feed = page.request.get(live_server + feed_path)
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("application/atom+xml")
    assert "Visión en Jalisco" in feed.text()
    assert violations == []  # the save box, /me/alerts and its page need no inline code
