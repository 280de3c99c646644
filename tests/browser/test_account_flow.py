"""Sign up → log out → log in → switch language → log out, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ..helpers import mailed_link, translated

pytestmark = pytest.mark.browser

PASSWORD = "una frase de paso larga"


def test_signup_login_language_logout(app, live_server: str, page: Page, csrf_enabled) -> None:
    page.goto(live_server + "/")
    expect(page.locator("html")).to_have_attribute("lang", "es")

    page.click("[data-test=hero-signup]")
    page.fill("#email", "lucia@example.org")
    page.fill("#password", PASSWORD)
    page.fill("#confirm", "otra cosa distinta")
    page.click("[data-test=signup-form] button[type=submit]")
    expect(page.locator(".errors")).to_contain_text(
        translated(app, "The passwords do not match.", "es")
    )

    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.click("[data-test=signup-form] button[type=submit]")
    expect(page.locator("[data-test=check-mail] h1")).to_have_text(
        translated(app, "Check your mail", "es")
    )
    # The mailed link, on this test server, asks for the password once more.
    page.goto(live_server + mailed_link(app, "/signup/confirm/"))
    page.fill("#password", PASSWORD)
    page.click("[data-test=confirm-form] button[type=submit]")
    expect(page.locator("[data-test=account-email]")).to_have_text("lucia@example.org")

    page.click("[data-test=nav-account]")  # the account menu holds log out
    page.click("[data-test=nav-logout]")
    expect(page.locator("[data-test=nav-login]")).to_be_visible()

    page.click("[data-test=nav-login]")
    page.fill("#email", "lucia@example.org")
    page.fill("#password", PASSWORD)
    page.check("#remember")
    page.click("[data-test=login-form] button[type=submit]")
    expect(page.locator("[data-test=account-email]")).to_have_text("lucia@example.org")

    # Switch to English: the page we are on comes back in English, and stays so.
    page.click("[data-test=lang-en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("My account")
    page.goto(live_server + "/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("[data-test=nav-account]")).to_have_text("My account")

    page.click("[data-test=nav-account]")  # the account menu holds log out
    page.click("[data-test=nav-logout]")
    expect(page.locator("[data-test=nav-login]")).to_have_text("Log in")
    # The choice outlives the session: the visitor still reads English.
    page.goto(live_server + "/login")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_wrong_password_shows_message_in_spanish(
    app, live_server: str, page: Page, make_user, csrf_enabled
) -> None:
    make_user("mario@example.org")
    page.goto(live_server + "/login")
    page.fill("#email", "mario@example.org")
    page.fill("#password", "no es la contraseña")
    page.click("[data-test=login-form] button[type=submit]")
    expect(page.locator(".errors")).to_contain_text(
        translated(app, "Wrong email or password.", "es")
    )
