"""The header and the page frame at 1280 px and on a 390 px phone (issue 16): one header row
for a curator on a laptop, a menu button on a phone, a gap between header and title, and no
page that scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .. import factories as f
from ..helpers import translated
from .conftest import log_in

pytestmark = pytest.mark.browser

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_curators_header_is_one_row_and_the_account_menu_holds_the_rest(
    app, live_server: str, page: Page, make_user, csrf_enabled, lang: str
) -> None:
    make_user("curator@example.org", role="curator")
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server, "curator@example.org")
    if lang == "en":
        page.click("[data-test=lang-en]")
    page.goto(live_server + "/directory")
    header = page.locator(".site-header").bounding_box()
    assert header and header["height"] < 90, header
    title = page.locator("h1").first.bounding_box()
    assert title and title["y"] - (header["y"] + header["height"]) >= 16
    expect(page.locator("[data-test=nav-logout]")).to_be_hidden()
    expect(page.locator("[data-test=menu-toggle]")).to_be_hidden()
    page.click("[data-test=nav-account]")
    expect(page.locator("[data-test=nav-activity]")).to_have_text(
        translated(app, "My applications and proposals", lang)
    )
    page.keyboard.press("Escape")
    expect(page.locator("[data-test=nav-logout]")).to_be_hidden()
    page.click("[data-test=nav-account]")
    page.click("[data-test=nav-logout]")
    expect(page.locator("[data-test=nav-login]")).to_be_visible()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_on_a_phone_the_menu_folds_and_nothing_scrolls_sideways(
    app, live_server: str, page: Page, make_user, csrf_enabled, lang: str
) -> None:
    owner = make_user("owner@example.org")
    with app.app_context():
        long_name = "Una organización con un nombre bastante largo para un teléfono"
        website = "https://una-direccion-web-muy-larga-de-ejemplo.example.mx/a/b/c"
        org = f.org(owner, name=long_name, website=website)
        f.opening(org)
        f.challenge(f.org(kind="government_agency"))
        slug, org_id = org.slug, org.id
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/")
    if lang == "en":
        page.click("[data-test=menu-toggle]")
        page.click("[data-test=lang-en]")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("[data-test=nav-browse]")).to_be_hidden()
    page.click("[data-test=menu-toggle]")
    expect(page.locator("[data-test=menu-toggle]")).to_have_attribute("aria-expanded", "true")
    page.click("[data-test=nav-browse]")
    expect(page).to_have_url(live_server + "/directory")
    for path in ("/", "/directory", f"/organizations/{slug}", "/stories", "/login", "/signup"):
        page.goto(live_server + path)
        assert page.evaluate(OVERFLOW) <= 0, path
    # Signed in, the folded menu holds the account menu; the manage pages fit too.
    log_in(page, live_server, "owner@example.org")
    page.click("[data-test=menu-toggle]")
    page.click("[data-test=nav-account]")
    expect(page.locator("[data-test=nav-logout]")).to_be_visible()
    for path in (f"/manage/organizations/{org_id}", "/me/profile", "/me/activity", "/account"):
        page.goto(live_server + path)
        assert page.evaluate(OVERFLOW) <= 0, path


@pytest.mark.parametrize("lang", ["es", "en"])
def test_curation_has_a_grouped_side_menu_that_folds_on_a_phone(
    app, live_server: str, page: Page, make_user, csrf_enabled, lang: str
) -> None:
    make_user("curator@example.org", role="curator")
    with app.app_context():
        f.opening(f.org(state_code="NLE"), state_code="NLE")
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server, "curator@example.org")
    if lang == "en":
        page.click("[data-test=lang-en]")
    page.goto(live_server + "/curation/dashboard")
    nav = page.locator("[data-test=curation-nav]")
    expect(nav).to_be_visible()
    expect(nav.locator(".side-nav-group").first).to_have_text(translated(app, "Overview", lang))
    expect(nav.locator("a[aria-current=page]")).to_have_attribute("href", "/curation/dashboard")
    side, main = nav.bounding_box(), page.locator(".curation-main").bounding_box()
    assert side and main and side["x"] + side["width"] <= main["x"]  # beside, not above
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/curation/dashboard")
    expect(nav).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    assert page.evaluate(OVERFLOW) <= 0
    page.click(".curation-menu > summary")
    expect(nav).to_be_visible()
