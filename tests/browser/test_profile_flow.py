"""Create a profile (skills typed into the chip input) → it is private → publish it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from directory.extensions import db
from directory.models import Profile

from ..helpers import translated
from .conftest import log_in

pytestmark = pytest.mark.browser

EMAIL = "lucia@example.org"


def test_create_a_profile_then_publish_it(
    app, live_server: str, page: Page, make_user, csrf_enabled
) -> None:
    make_user(EMAIL)
    log_in(page, live_server, EMAIL, next_path="/me/profile")
    expect(page.locator("[data-test=no-profile]")).to_be_visible()

    page.click("[data-test=create-profile]")
    page.fill("#full_name", "Lucía Pérez")
    page.fill("#headline", "Ingeniera de visión por computadora")
    page.fill("#bio", "Trabajo en **inspección visual** para manufactura.")
    # The skills field is a chip input: type a skill, press Enter, it becomes a chip.
    page.fill("#skills-entry", "Visión por computadora")
    page.press("#skills-entry", "Enter")
    page.fill("#skills-entry", "python")
    page.press("#skills-entry", "Enter")
    page.fill("#skills-entry", "Cocina molecular")
    page.press("#skills-entry", "Enter")
    expect(page.locator(".chip")).to_have_count(3)
    expect(page.locator(".chip").nth(1)).to_contain_text("Python")  # matched the vocabulary
    page.check("#languages-0")
    page.select_option("#state_code", "JAL")
    page.fill("#city", "Guadalajara")
    page.check("#contact_consent")
    page.click("[data-test=save-profile]")

    status = page.locator("[data-test=profile-visibility]")
    expect(status).to_have_attribute("data-visibility", "private")
    expect(status).to_contain_text(translated(app, "Private (only me)", "es"))
    expect(page.locator("[data-test=profile-areas]")).to_contain_text("Visión por computadora")
    expect(page.locator("[data-test=profile-free-skills]")).to_contain_text("Cocina molecular")
    expect(page.locator("[data-test=profile-bio] strong")).to_have_text("inspección visual")

    page.select_option("[data-test=publish-visibility]", "public")
    page.click("[data-test=publish-button]")
    expect(status).to_have_attribute("data-visibility", "public")
    expect(status).to_contain_text(translated(app, "Public", "es"))
    expect(page.locator("[data-test=public-profile-link]")).to_be_visible()

    with app.app_context():
        profile = db.session.scalars(select(Profile)).one()
        assert profile.visibility == "public" and profile.contact_consent is True
        assert {s.slug for s in profile.skills} == {"computer-vision", "python"}
        assert profile.free_skills == ["Cocina molecular"]


def test_the_state_hides_abroad_and_errors_show_in_spanish(
    app, live_server: str, page: Page, make_user, csrf_enabled
) -> None:
    make_user(EMAIL)
    log_in(page, live_server, EMAIL, next_path="/me/profile/edit")
    page.fill("#full_name", "Lucía Pérez")
    page.click("[data-test=save-profile]")  # no state chosen while in Mexico
    expect(page.locator("[data-test=form-has-errors]")).to_be_visible()
    expect(page.locator(".errors")).to_contain_text(
        translated(app, "Choose your state: it is required in Mexico.", "es")
    )
    page.select_option("#country_code", "CA")
    expect(page.locator("#state_code")).to_be_hidden()
    page.select_option("#diaspora_status", "abroad")
    page.click("[data-test=save-profile]")
    expect(page.locator("[data-test=profile-visibility]")).to_have_attribute(
        "data-visibility", "private"
    )
