"""A curator merges two duplicate organisations in a real browser, in Spanish and in
English, and the duplicate's old address then leads to the organisation kept."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from directory.extensions import db
from directory.models import AuditEvent, Opening, Organization

from .. import factories as f
from .conftest import log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["es", "en"])
def test_curator_merges_two_duplicates(
    app, live_server: str, page: Page, make_user, csrf_enabled, lang: str
) -> None:
    make_user("curadora@example.org", role="curator")
    with app.app_context():
        kept = f.org(name="Visión Artificial del Bajío", website="https://vision-bajio.mx")
        duplicate = f.org(name="VISION ARTIFICIAL DEL BAJIO S.A. de C.V.", status="pending",
                          website="https://www.vision-bajio.mx")  # fmt: skip
        opening_id = f.opening(duplicate).id
        kept_id, kept_slug = kept.id, kept.slug
        duplicate_id, duplicate_slug = duplicate.id, duplicate.slug

    log_in(page, live_server, "curadora@example.org")
    page.click(f"[data-test=lang-{lang}]")  # the language switch: a POST remembered in a cookie
    expect(page.locator("html")).to_have_attribute("lang", lang)

    page.goto(live_server + "/curation/duplicates")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    pair = page.locator("[data-test=dup-pair]")
    expect(pair).to_have_count(1)
    expect(pair.locator("[data-test=dup-reason]")).to_have_count(2)  # the name and the site
    pair.locator(f"[data-test=dup-side][data-id='{kept_id}'] [data-test=dup-keep]").click()

    expect(page.locator("[data-test=merge-keep]")).to_contain_text("Visión Artificial del Bajío")
    expect(page.locator("[data-test=merge-plan]")).to_be_visible()
    page.click("[data-test=merge-confirm]")
    expect(page.locator("[data-test=dup-none]")).to_be_visible()

    page.goto(f"{live_server}/organizations/{duplicate_slug}")
    expect(page).to_have_url(f"{live_server}/organizations/{kept_slug}")
    expect(page.locator("h1")).to_contain_text("Visión Artificial del Bajío")
    expect(page.locator("html")).to_have_attribute("lang", lang)

    with app.app_context():
        assert db.session.get(Organization, duplicate_id).merged_into_id == kept_id
        assert db.session.get(Opening, opening_id).organization_id == kept_id
        assert db.session.scalar(
            select(AuditEvent.id).where(AuditEvent.action == "organization.merged")
        )
