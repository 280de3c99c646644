"""An organisation answers an application: the applicant's bell shows 1, the notifications
page says so in the applicant's language, and marking it read empties the bell. Under the
strict CSP, in Spanish and in English."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from directory.extensions import db
from directory.models import Application

from .. import factories as f
from ..helpers import translated
from ..test_notifications import unread_label
from .conftest import log_in

pytestmark = pytest.mark.browser

OWNER, APPLICANT = "duena@example.org", "ana@example.org"


@pytest.fixture
def pages(browser: Browser) -> Iterator[dict[str, Page]]:
    """One browser context (its own cookies) per person."""
    contexts = {name: browser.new_context(locale="es-MX") for name in ("owner", "applicant")}
    yield {name: context.new_page() for name, context in contexts.items()}
    for context in contexts.values():
        context.close()


@pytest.mark.parametrize("locale", ["es", "en"])
def test_an_answer_rings_the_applicants_bell_until_read(
    app, live_server: str, pages: dict[str, Page], csrf_enabled, locale: str
) -> None:
    with app.app_context():
        org = f.org(f.user(OWNER, locale="es"), name="Kaab Salud")
        opening = f.opening(org, title="Ingeniería de datos clínicos")
        applicant = f.user(APPLICANT, locale=locale)
        f.profile(applicant, full_name="Ana Aplicante")
        application = Application(opening=opening, user=applicant, message="Me interesa.")
        db.session.add(application)
        db.session.commit()
        opening_id, application_id, title = opening.id, application.id, opening.title

    violations: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            violations.append(message.text)

    owner = pages["owner"]
    log_in(owner, live_server, OWNER, next_path=f"/manage/openings/{opening_id}/applications")
    owner.select_option(f"#r{application_id}-status", "shortlisted")
    owner.click("[data-test=respond-submit]")
    expect(owner.locator(".flash-success")).to_be_visible()

    page = pages["applicant"]
    page.on("console", watch)
    log_in(page, live_server, APPLICANT, next_path="/")
    bell = page.locator("[data-test=nav-notifications]")
    one_unread = unread_label(app, locale, 1)
    expect(bell).to_have_attribute("aria-label", one_unread)
    expect(page.locator("[data-test=bell-count]")).to_have_text("1")

    bell.click()
    expect(page).to_have_url(f"{live_server}/me/notifications")
    item = page.locator("[data-test=notifications] li").first
    news = translated(app, "Your application to “%(title)s” has news", locale, title=title)
    expect(item.locator("[data-test=notification-text]")).to_have_text(news)
    status = translated(app, "Shortlisted", locale)
    detail = translated(app, "New status: %(status)s", locale, status=status)
    expect(item.locator("[data-test=notification-detail]")).to_have_text(detail)
    expect(item.locator("[data-test=unread]")).to_be_visible()

    item.locator("[data-test=mark-read]").click()
    expect(page.locator("[data-test=bell-count]")).to_have_count(0)
    none_unread = translated(app, "Notifications (none unread)", locale)
    expect(bell).to_have_attribute("aria-label", none_unread)
    expect(page.locator("[data-test=unread]")).to_have_count(0)

    # The settings page, too, runs under the CSP without complaint.
    page.click("[data-test=notification-settings-link]")
    expect(page.locator("[data-test=kind-application_status]")).to_be_visible()
    assert violations == []
