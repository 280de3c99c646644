"""Mediated contact in a browser: B accepts A and sees A's email; C is declined and never
sees B's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from .. import factories
from ..helpers import translated
from .conftest import log_in

pytestmark = pytest.mark.browser

ANA, BETO, CARLA = "ana@example.org", "beto@example.org", "carla@example.org"


@pytest.fixture
def pages(browser: Browser) -> Iterator[dict[str, Page]]:
    """One browser context (its own cookies) per person."""
    contexts = {name: browser.new_context(locale="es-MX") for name in ("ana", "beto", "carla")}
    yield {name: context.new_page() for name, context in contexts.items()}
    for context in contexts.values():
        context.close()


def ask(page: Page, base: str, email: str, profile_id: int, message: str) -> None:
    log_in(page, base, email, next_path=f"/people/{profile_id}/contact")
    page.fill("#message", message)
    page.click("[data-test=send-contact]")
    expect(page.locator("[data-test=contacts-sent]")).to_contain_text("Beto Destinatario")


def test_accept_reveals_emails_and_decline_does_not(
    app, live_server: str, pages: dict[str, Page], csrf_enabled
) -> None:
    with app.app_context():
        factories.profile(factories.user(ANA), full_name="Ana Remitente")
        factories.profile(factories.user(CARLA), full_name="Carla Remitente")
        beto = factories.profile(factories.user(BETO), full_name="Beto Destinatario")
        beto_id = beto.id

    ask(pages["ana"], live_server, ANA, beto_id, "Hola Beto, colaboremos en visión.")
    ask(pages["carla"], live_server, CARLA, beto_id, "Hola Beto, ¿hablamos?")
    for name in ("ana", "carla"):
        expect(pages[name].locator("[data-test=contact-email]")).to_have_count(0)

    b = pages["beto"]
    log_in(b, live_server, BETO, next_path="/me/contacts")
    from_ana = b.locator("[data-test=contacts-received] li", has_text="Ana Remitente")
    from_carla = b.locator("[data-test=contacts-received] li", has_text="Carla Remitente")
    expect(b.locator("[data-test=contact-email]")).to_have_count(0)
    from_ana.locator("button[data-test^=accept-]").click()
    expect(from_ana.locator("[data-test=contact-email]")).to_have_text(ANA)
    from_carla.locator("button[data-test^=decline-]").click()
    expect(from_carla.locator("[data-test=contact-status]")).to_contain_text(
        translated(app, "Declined", "es")
    )
    expect(from_carla.locator("[data-test=contact-email]")).to_have_count(0)
    expect(b.locator("body")).not_to_contain_text(CARLA)

    a = pages["ana"]
    a.reload()
    expect(a.locator("[data-test=contact-email]")).to_have_text(BETO)

    c = pages["carla"]
    c.reload()
    expect(c.locator("[data-test=contact-status]")).to_contain_text(
        translated(app, "Declined", "es")
    )
    expect(c.locator("body")).not_to_contain_text(BETO)
