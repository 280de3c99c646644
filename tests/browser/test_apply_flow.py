"""A member applies to an opening, once."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .. import factories as f
from ..helpers import translated
from .conftest import log_in

pytestmark = pytest.mark.browser


def test_member_applies_once(app, live_server: str, page: Page, csrf_enabled) -> None:
    with app.app_context():
        f.user("ana@example.org")
        org = f.org(f.user("duena@example.org"), name="Kaab Salud")
        opening_id = f.opening(org, title="Ingeniería de datos clínicos").id

    log_in(page, live_server, "ana@example.org")

    page.goto(f"{live_server}/openings/{opening_id}")
    expect(page.locator("h1")).to_have_text("Ingeniería de datos clínicos")
    page.click("[data-test=apply]")
    page.fill("#message", "Tengo cinco años de experiencia con datos clínicos.")
    page.click("[data-test=apply-submit]")
    sent = translated(
        app, "Your application was sent. The organisation will answer you here.", "es"
    )
    expect(page.locator(".flash-success")).to_have_text(sent)
    already = translated(app, "You have already applied to this opening.", "es")
    expect(page.locator("[data-test=already-applied]")).to_have_text(already)
    expect(page.locator("[data-test=apply]")).to_have_count(0)

    # Trying again through the form's address is refused with the same message.
    page.goto(f"{live_server}/openings/{opening_id}/apply")
    expect(page.locator(".flash-error")).to_have_text(already)
    assert page.url == f"{live_server}/openings/{opening_id}"
    assert len(app.extensions["outbox"]) == 1  # the owner heard once
