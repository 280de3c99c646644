"""What a person does with matches in a browser: save one and find it under "Saved", set
one aside and undo it, filter by kind and place, open an opening from a match and read why
it fits; and, for a challenge's organisation, invite a suggested person to propose and
contact them through the mediated request."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .. import factories as f
from ..conftest import PASSWORD

pytestmark = pytest.mark.browser

CV = ("computer-vision", "python")


def log_in(page: Page, base: str, email: str, next_path: str) -> None:
    page.goto(f"{base}/login?next={next_path}")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("[data-test=login-form] button[type=submit]")


def _seeker_world(app) -> dict[str, int]:
    with app.app_context():
        f.profile(f.user("lucia@example.org", locale="en"), skill_slugs=CV, state_code="NLE",
                  open_to=["jobs", "challenges"])  # fmt: skip
        firm = f.org(kind="company", state_code="NLE")
        first = f.opening(firm, title="Visión para acero", skill_slugs=CV, state_code="NLE")
        second = f.opening(firm, title="Visión para vidrio", skill_slugs=CV, state_code="NLE")
        remote = f.opening(firm, title="Visión remota", skill_slugs=CV, state_code="JAL",
                           remote_policy="remote")  # fmt: skip
        return {"first": first.id, "second": second.id, "remote": remote.id}


def _card(page: Page, record_id: int):
    return page.locator(f"[data-test=match][data-kind=opening][data-id='{record_id}']")


def test_save_not_interested_undo_filter_and_why(app, live_server: str, page: Page, csrf_enabled):
    ids = _seeker_world(app)
    log_in(page, live_server, "lucia@example.org", "/me/matches")
    expect(_card(page, ids["first"])).to_be_visible()

    # Save: the card says so, and the "Saved" tab lists it.
    _card(page, ids["first"]).locator("[data-test=save]").click()
    expect(_card(page, ids["first"]).locator("[data-test=unsave]")).to_be_visible()
    page.click("[data-test=tab-saved]")
    expect(page).to_have_url(f"{live_server}/me/matches?view=saved")
    expect(_card(page, ids["first"])).to_be_visible()
    expect(_card(page, ids["second"])).to_have_count(0)

    # Not interested, then undo.
    page.click("[data-test=tab-all]")
    _card(page, ids["second"]).locator("[data-test=not-interested]").click()
    expect(page.locator("[data-test=undo-notice]")).to_contain_text("Visión para vidrio")
    expect(_card(page, ids["second"])).to_have_count(0)
    page.click("[data-test=undo-notice] [data-test=undo]")
    expect(_card(page, ids["second"])).to_be_visible()

    # Filter: openings, remote only; the query stays in the URL.
    page.select_option("[data-test=filter-kind]", "opening")
    page.check("[data-test=filter-remote]")
    page.click("[data-test=filter-submit]")
    expect(page).to_have_url(re.compile(r"/me/matches\?kind=opening&.*remote=1"))
    expect(_card(page, ids["remote"])).to_be_visible()
    expect(_card(page, ids["first"])).to_have_count(0)

    # Open the opening from its card: the reasons come along.
    _card(page, ids["remote"]).locator("[data-test=match-link]").click()
    expect(page.locator("[data-test=record-title]")).to_have_text("Visión remota")
    why = page.locator("[data-test=match-why]")
    expect(why).to_contain_text("Why this matches you")
    expect(why.locator("[data-test=reason][data-code=remote]")).to_be_visible()
    expect(why.locator("[data-test=match-score]")).to_contain_text("/100")


def test_invite_to_propose_and_contact_from_the_solvers_page(
    app, live_server: str, page: Page, csrf_enabled
):
    with app.app_context():
        owner = f.user("dueno@example.org", locale="en")
        agency = f.org(owner, kind="government_agency", skill_slugs=())
        challenge = f.challenge(agency, title="Reto de visión", skill_slugs=("computer-vision",))
        nora = f.profile(f.user("nora@example.org", locale="en"), full_name="Nora Visión",
                         skill_slugs=("computer-vision",))  # fmt: skip
        challenge_id, nora_id = challenge.id, nora.id
    log_in(page, live_server, "dueno@example.org", f"/manage/challenges/{challenge_id}/solvers")
    person = page.locator(f"[data-test=solver-people] [data-test=match][data-id='{nora_id}']")
    expect(person).to_contain_text("Nora Visión")
    person.locator("[data-test=invite]").click()
    expect(page.locator(".flash, [role=status], .notice").first).to_be_visible()
    expect(person.locator("[data-test=invited]")).to_be_visible()
    expect(person.locator("[data-test=invite]")).to_have_count(0)

    person.locator("[data-test=contact]").click()
    expect(page).to_have_url(f"{live_server}/people/{nora_id}/contact")
    page.fill("#message", "Hola Nora, ¿te interesa proponer para nuestro reto?")
    page.click("[data-test=send-contact]")
    expect(page.locator("[data-test=contacts-sent]")).to_contain_text("Nora Visión")
