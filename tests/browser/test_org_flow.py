"""Log in → add an organisation → post an opening with a skill chip → read the dashboard
in Spanish, then in English, in a real browser."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from directory.extensions import db
from directory.models import Opening, Status

from ..helpers import translated
from .conftest import log_in

pytestmark = pytest.mark.browser


def test_create_org_and_post_an_opening(app, live_server: str, page: Page, make_user,
                                        csrf_enabled) -> None:  # fmt: skip
    make_user("rosa@example.org")
    log_in(page, live_server, "rosa@example.org")

    page.goto(live_server + "/manage/organizations")
    page.click("[data-test=org-create]")
    page.fill("#name", "Visión Artificial del Bajío")
    page.select_option("#kind", "startup")
    page.fill("#description", "Inspección visual para la industria automotriz.")
    page.fill("#website", "https://vision-bajio.example.mx")
    page.check("[name=sectors][value=manufacturing]")
    page.select_option("#state_code", "GUA")
    page.fill("#city", "León")
    page.click("[data-test=org-submit]")

    pending_es = translated(app, "Pending review", "es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1")).to_contain_text("Visión Artificial del Bajío")
    expect(page.locator("[data-test=org-status]")).to_have_text(pending_es)

    page.click("[data-test=new-opening]")
    page.fill("#title", "Ingeniería de visión por computadora")
    page.fill("#description", "Modelos de detección de defectos.")
    page.select_option("#remote_policy", "hybrid")
    page.select_option("#state_code", "GUA")
    # The skills field is a chip input: type, press Enter, and the chip appears.
    page.fill("#skills-entry", "Python")
    page.press("#skills-entry", "Enter")
    expect(page.locator(".chip")).to_contain_text("Python")
    page.fill("#closes_on", (date.today() + timedelta(days=30)).isoformat())
    page.click("[data-test=post-submit]")

    row = page.locator("[data-test=opening-row]")
    expect(row).to_contain_text("Ingeniería de visión por computadora")
    expect(row.locator("[data-test=opening-status]")).to_have_text(pending_es)
    expect(page.locator("#openings h2")).to_have_text(translated(app, "Openings", "es"))

    page.click("[data-test=lang-en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("[data-test=org-status]")).to_have_text("Pending review")
    expect(row.locator("[data-test=opening-status]")).to_have_text("Pending review")
    expect(page.locator("#openings h2")).to_have_text("Openings")
    expect(page.locator("#members h2")).to_have_text("Members")

    with app.app_context():
        opening = db.session.scalar(select(Opening))
        assert opening.status == Status.PENDING
        assert [skill.slug for skill in opening.skills] == ["python"]
        assert opening.organization.status == Status.PENDING
