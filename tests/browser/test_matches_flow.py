"""A person with a published, consenting profile opens "My matches", reads why an opening
fits in Spanish, switches to English and reads the same reasons in English."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .. import factories as f
from ..helpers import translated
from .conftest import log_in

pytestmark = pytest.mark.browser

EMAIL = "lucia@example.org"


def test_my_matches_explain_the_fit_in_both_languages(
    app, live_server: str, page: Page, csrf_enabled
) -> None:
    with app.app_context():
        f.profile(f.user(EMAIL), state_code="NLE", seniority="senior")
        opening = f.opening(
            title="Ingeniería de visión para manufactura",
            state_code="NLE",
            seniority="senior",
            skill_slugs=("machine-learning", "python"),
        )
        opening_id = opening.id

    log_in(page, live_server, EMAIL)
    page.click("[data-test=nav-matches]")

    match = page.locator(f"[data-test=match][data-kind=opening][data-id='{opening_id}']")
    expect(match).to_be_visible()
    expect(match.locator("[data-test=match-link]")).to_have_text(
        "Ingeniería de visión para manufactura"
    )
    expect(match.locator("[data-test=match-score]")).to_contain_text("/100")
    same_state = match.locator("[data-test=reason][data-code=same_state]")
    expect(same_state).to_contain_text(
        translated(app, "Same state: %(state)s", "es", state="Nuevo León")
    )
    expect(match.locator("[data-test=shared-skill]").first).to_have_text("Aprendizaje automático")

    page.click("[data-test=lang-en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(same_state).to_contain_text(
        translated(app, "Same state: %(state)s", "en", state="Nuevo León")
    )
    expect(match.locator("[data-test=reason][data-code=seniority_fit]")).to_contain_text(
        translated(app, "Seniority fits: %(level)s", "en", level="Senior")
    )
    expect(match.locator("[data-test=shared-skill]").first).to_have_text("Machine learning")

    page.click(f"[data-test=match][data-id='{opening_id}'] [data-test=match-link]")
    expect(page.locator("[data-test=record-title]")).to_have_text(
        "Ingeniería de visión para manufactura"
    )
