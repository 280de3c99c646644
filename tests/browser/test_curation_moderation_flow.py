"""A curator publishes an organisation and rejects its opening with a reason, which the
organisation's owner then reads on their dashboard, in Spanish and in English."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from directory.extensions import db
from directory.models import Opening, Organization, Status

from .. import factories as f
from ..helpers import translated
from .conftest import log_in

pytestmark = pytest.mark.browser

REASON = "Falta el rango salarial / The salary range is missing."


@pytest.mark.parametrize("locale", ["es", "en"])
def test_approve_an_org_and_reject_its_opening(app, live_server: str, page: Page, csrf_enabled,
                                               locale: str) -> None:  # fmt: skip
    with app.app_context():
        f.user("curadora@example.org", role="curator")
        owner = f.user("duena@example.org")
        org = f.org(owner, status=Status.PENDING, name="Visión del Bajío")
        opening = f.opening(org, status=Status.PENDING, title="Ingeniería de visión")
        org_id, opening_id = org.id, opening.id

    log_in(page, live_server, "curadora@example.org")
    page.click(f"[data-test=lang-{locale}]")  # the switch remembers the choice
    expect(page.locator("html")).to_have_attribute("lang", locale)

    page.goto(live_server + "/curation/queue")
    org_row = page.locator(f"[data-test=queue-row][data-kind=organization][data-id='{org_id}']")
    post_row = page.locator(f"[data-test=queue-row][data-kind=opening][data-id='{opening_id}']")
    expect(post_row.locator("[data-test=org-not-published]")).to_be_visible()
    org_row.locator("[data-test=publish]").click()
    expect(page.locator(".flash-success")).to_contain_text("Visión del Bajío")
    expect(org_row).to_have_count(0)
    expect(post_row.locator("[data-test=org-not-published]")).to_have_count(0)

    post_row.locator("[data-test=reject-reason]").fill(REASON)
    post_row.locator("[data-test=reject]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("[data-test=queue-empty]")).to_be_visible()

    page.click("[data-test=nav-account]")  # the account menu holds log out
    page.click("[data-test=nav-logout]")
    log_in(page, live_server, "duena@example.org")
    page.goto(f"{live_server}/manage/organizations/{org_id}")
    expect(page.locator("html")).to_have_attribute("lang", locale)
    expect(page.locator("[data-test=org-status]")).to_have_text(
        translated(app, "Published", locale)
    )
    expect(page.locator("[data-test=opening-status]")).to_have_text(
        translated(app, "Rejected", locale)
    )
    expect(page.locator("[data-test=opening-moderation-note]")).to_contain_text(REASON)

    with app.app_context():
        assert db.session.get(Organization, org_id).status == Status.PUBLISHED
        rejected = db.session.get(Opening, opening_id)
        assert (rejected.status, rejected.moderation_note) == (Status.REJECTED, REASON)
