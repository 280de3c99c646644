"""Issue 16 in a real browser, in Spanish and in English: an owner closes a challenge after
confirming it, hands the organisation to an editor, and the new owner deletes an empty
organisation of theirs; a curator reads a queue row that says what the record is."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from directory.extensions import db
from directory.models import Challenge, Membership, Organization, Status, utcnow

from .. import factories as f
from ..conftest import PASSWORD
from ..helpers import translated

pytestmark = pytest.mark.browser


def _log_in(page: Page, live_server: str, email: str, locale: str) -> None:
    page.goto(live_server + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("[data-test=login-form] button[type=submit]")
    expect(page.locator("[data-test=nav-account]")).to_be_visible()
    page.click(f"[data-test=lang-{locale}]")
    expect(page.locator("html")).to_have_attribute("lang", locale)


def _log_out(page: Page) -> None:
    page.click("[data-test=nav-account]")
    page.click("[data-test=nav-logout]")
    expect(page.locator("[data-test=nav-login]")).to_be_visible()


@pytest.mark.parametrize("locale", ["es", "en"])
def test_close_transfer_and_delete(app, live_server: str, page: Page, csrf_enabled,
                                   locale: str) -> None:  # fmt: skip
    with app.app_context():
        owner = f.user("duena@example.org")
        editor = f.user("editora@example.org")
        f.profile(editor, full_name="Elena Editora")
        agency = f.org(owner, kind="government_agency", name="Agencia Digital",
                       editors=(editor,))  # fmt: skip
        challenge = f.challenge(agency, title="Baches en la ciudad")
        empty = f.org(editor, status=Status.REJECTED, name="Proyecto Vacío")
        agency_id, challenge_id, empty_id = agency.id, challenge.id, empty.id

    # 1. The owner's own challenge page leads to managing it, not to a dead end.
    _log_in(page, live_server, "duena@example.org", locale)
    page.goto(f"{live_server}/challenges/{challenge_id}")
    expect(page.locator("[data-test=report]")).to_have_count(0)
    page.click("[data-test=manage-post]")
    expect(page).to_have_url(
        f"{live_server}/manage/organizations/{agency_id}#challenge-{challenge_id}"
    )

    # 2. Close asks first; Cancel changes nothing, confirming closes it.
    row = page.locator(f"#challenge-{challenge_id}")
    row.locator("[data-test=close-challenge]").click()
    expect(page.locator("[data-test=close-confirm]")).to_be_visible()
    page.click("[data-test=close-cancel]")
    with app.app_context():
        assert db.session.get(Challenge, challenge_id).status == Status.PUBLISHED
    row.locator("[data-test=close-challenge]").click()
    page.click("[data-test=close-confirm-submit]")
    expect(page.locator(".flash-success")).to_contain_text(
        translated(app, "The challenge was closed.", locale)
    )
    with app.app_context():
        assert db.session.get(Challenge, challenge_id).status == Status.ARCHIVED

    # 3. Members are named; no Remove beside the only owner; transfer, confirmed.
    expect(
        page.locator("[data-test=member][data-role=owner] [data-test=remove-member]")
    ).to_have_count(0)
    expect(
        page.locator("[data-test=member][data-role=owner] [data-test=member-you]")
    ).to_be_visible()
    expect(page.locator("[data-test=member][data-role=editor]")).to_contain_text("Elena Editora")
    page.click("[data-test=transfer-link]")
    page.select_option("#member", label="Elena Editora")
    page.click("[data-test=transfer-submit]")
    expect(page.locator("[data-test=transfer-confirm]")).to_contain_text("Elena Editora")
    expect(page.locator("[data-test=transfer-you-editor]")).to_be_visible()
    page.click("[data-test=transfer-confirm-submit]")
    expect(page.locator(".flash-success")).to_contain_text("Elena Editora")
    expect(page.locator("[data-test=transfer-link]")).to_have_count(0)  # an editor now
    with app.app_context():
        roles = dict(
            db.session.execute(
                select(Membership.user_id, Membership.role).where(
                    Membership.organization_id == agency_id
                )
            ).all()
        )
        assert sorted(roles.values()) == ["editor", "owner"]
    _log_out(page)

    # 4. The new owner deletes an organisation of theirs that was never published.
    _log_in(page, live_server, "editora@example.org", locale)
    page.goto(f"{live_server}/manage/organizations/{agency_id}")
    expect(page.locator("[data-test=delete-unavailable]")).to_be_visible()  # it was published
    page.goto(f"{live_server}/manage/organizations/{empty_id}")
    page.click("[data-test=delete-org-link]")
    page.fill("#name", "Otro nombre")
    page.click("[data-test=delete-org-submit]")
    expect(page.locator("#name-error")).to_be_visible()
    page.fill("#name", "Proyecto Vacío")
    page.click("[data-test=delete-org-submit]")
    expect(page).to_have_url(f"{live_server}/manage/organizations")
    expect(page.locator(".flash-success")).to_contain_text("Proyecto Vacío")
    with app.app_context():
        assert db.session.get(Organization, empty_id) is None
        assert db.session.get(Organization, agency_id) is not None


@pytest.mark.parametrize("locale", ["es", "en"])
def test_a_queue_row_says_what_the_record_is(app, live_server: str, page: Page, csrf_enabled,
                                             locale: str) -> None:  # fmt: skip
    with app.app_context():
        f.user("curadora@example.org", role="curator")
        f.org(name="Visión del Bajío S.A. de C.V.", website="https://vbajio.mx")
        org = f.org(
            f.user("nueva@example.org"),
            status=Status.PENDING,
            kind="startup",
            name="Vision del Bajio",
            website="https://vbajio.mx/",
            city="León",
            state_code="GUA",
            description="**Inspección visual** para autopartes.",
        )
        org.created_at = utcnow() - timedelta(days=3, hours=1)
        db.session.commit()
        org_id = org.id

    _log_in(page, live_server, "curadora@example.org", locale)
    page.goto(live_server + "/curation/queue")
    row = page.locator(f"[data-test=queue-row][data-kind=organization][data-id='{org_id}']")
    expect(row.locator("[data-test=row-kind]")).to_have_text(translated(app, "Startup", locale))
    expect(row.locator("[data-test=row-place]")).to_have_text("León, Guanajuato")
    website = row.locator("[data-test=row-website]")
    expect(website).to_have_text("https://vbajio.mx/")
    expect(website).to_have_attribute("rel", "nofollow noopener ugc")
    expect(row.locator("[data-test=row-summary]")).to_have_text(
        "Inspección visual para autopartes."
    )
    expect(row.locator("[data-test=row-duplicate]")).to_contain_text(
        "Visión del Bajío S.A. de C.V."
    )
    expect(row.locator("[data-test=row-waited]")).to_have_text(
        "3 días" if locale == "es" else "3 days"
    )
    row.locator("[data-test=row-duplicates-page]").click()
    expect(page).to_have_url(f"{live_server}/curation/duplicates?kind=organization")
