"""Issue 16, applications end to end (real forms, CSRF on, strict CSP): a person applies,
opens what they sent from their activity page, the organisation reads the applicant's
profile, skills and explained match score, then the person withdraws after confirming and
the organisation sees "Withdrawn"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .. import factories as f
from ..helpers import translated
from ..matching.conftest import fake_matching
from .conftest import log_in

pytestmark = pytest.mark.browser

ANA, OWNER = "ana@example.org", "duena@example.org"
MESSAGE = "Trabajé tres años en visión por computadora para manufactura."


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    """One browser context per person (own cookies), closed at the end."""
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def _as(browser: Browser, contexts: list[BrowserContext], base: str, email: str) -> Page:
    """A page logged in as `email`, in Spanish; console errors (CSP) are collected."""
    context = browser.new_context()
    contexts.append(context)
    context.add_cookies([{"name": "lang", "value": "es", "url": base}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors  # type: ignore[attr-defined]
    log_in(page, base, email)
    return page


def test_apply_see_what_i_sent_withdraw_and_the_organisation_sees_it(
    app: Flask, live_server: str, browser: Browser, contexts, csrf_enabled
) -> None:
    with app.app_context():
        ana = f.user(ANA)
        f.profile(ana, full_name="Ana Aplicante", headline="Ingeniera de visión",
                  state_code="NLE", phone="+52 55 1234 5678",
                  skill_slugs=("machine-learning", "python"))  # fmt: skip
        org = f.org(f.user(OWNER), name="Visión del Norte")
        opening_id = f.opening(org, title="Ingeniería de aprendizaje automático",
                               state_code="NLE").id  # fmt: skip

    with fake_matching(app):
        # Ana applies.
        person = _as(browser, contexts, live_server, ANA)
        person.goto(f"{live_server}/openings/{opening_id}")
        person.click("[data-test=apply]")
        person.fill("#message", MESSAGE)
        person.click("[data-test=apply-submit]")
        expect(person.locator(".flash-success")).to_be_visible()

        # She opens exactly what she sent from her activity page.
        person.goto(f"{live_server}/me/activity")
        person.click("[data-test=my-applications] [data-test=sent-link]")
        expect(person.locator("[data-test=sent-message]")).to_have_text(MESSAGE)
        received = translated(app, "Received", "es")
        expect(person.locator("[data-test=sent-status]")).to_have_text(received)
        expect(person.locator("[data-test=history-step]")).to_have_count(1)

        # The organisation reads her profile, skills and explained score, never her phone.
        team = _as(browser, contexts, live_server, OWNER)
        team.goto(f"{live_server}/manage/openings/{opening_id}/applications?sort=match")
        row = team.locator("[data-test=response-row]")
        expect(row).to_have_count(1)
        expect(row.locator("h2")).to_have_text("Ana Aplicante")
        expect(row.locator("[data-test=applicant-headline]")).to_have_text("Ingeniera de visión")
        expect(row.locator("[data-test=applicant-skills]")).to_contain_text("Python")
        expect(row.locator("[data-test=applicant-areas]")).to_contain_text("Aprendizaje automático")
        expect(row.locator("[data-test=applicant-score]")).to_contain_text("/100")
        expect(row.locator("[data-test=applicant-reasons] li").first).to_be_visible()
        assert "1234 5678" not in team.content() and ANA not in team.content()

        # Ana withdraws, after a confirmation step she may back out of.
        person.click("[data-test=withdraw]")
        expect(person.locator("[data-test=confirm-withdraw]")).to_be_visible()
        person.click("[data-test=withdraw-cancel]")
        expect(person.locator("[data-test=sent-status]")).to_have_text(received)
        person.click("[data-test=withdraw]")
        person.click("[data-test=withdraw-confirm]")
        done = translated(
            app, "Your application was withdrawn. The organisation has been told.", "es"
        )
        expect(person.locator(".flash-success")).to_have_text(done)
        withdrawn = translated(app, "Withdrawn", "es")
        expect(person.locator("[data-test=sent-status]")).to_have_text(withdrawn)
        expect(person.locator("[data-test=withdraw]")).to_have_count(0)
        expect(person.locator("[data-test=history-step]")).to_have_count(2)

        # The organisation sees "Withdrawn" and can no longer answer it.
        team.reload()
        expect(row.locator("[data-test=response-status]")).to_have_text(withdrawn)
        expect(row.locator("[data-test=withdrawn-note]")).to_be_visible()
        expect(row.locator("[data-test=respond-form]")).to_have_count(0)

        # One application per person and opening: the opening offers no second one.
        person.goto(f"{live_server}/openings/{opening_id}")
        expect(person.locator("[data-test=apply]")).to_have_count(0)

    assert person.errors == [] and team.errors == []  # type: ignore[attr-defined]
