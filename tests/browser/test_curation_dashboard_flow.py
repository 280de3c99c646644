"""A curator reads the dashboard, the talent gap and a CSV link in a real browser, in
Spanish and in English."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .. import factories as f
from ..helpers import translated
from .conftest import log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["es", "en"])
def test_curator_reads_the_dashboard(app, live_server: str, page: Page, make_user,
                                     csrf_enabled, lang: str) -> None:  # fmt: skip
    make_user("curator@example.org", role="curator")
    with app.app_context():
        agency = f.org(kind="government_agency", state_code="CMX")
        f.opening(f.org(state_code="NLE"), state_code="NLE", skill_slugs=("computer-vision",))
        f.challenge(agency, skill_slugs=("computer-vision",))
        f.profile(country_code="US", state_code=None, diaspora_status="abroad",
                  skill_slugs=("computer-vision",))  # fmt: skip
    log_in(page, live_server, "curator@example.org")
    if lang == "en":
        page.click("[data-test=lang-en]")
    expect(page.locator("html")).to_have_attribute("lang", lang)

    page.goto(live_server + "/curation/")
    page.locator("[data-test=curation-nav] a[href$='/curation/dashboard']").click()
    expect(page.locator("[data-test=dashboard-title]")).to_have_text(
        translated(app, "The ecosystem in numbers", lang)
    )
    # Three maps of the 32 states; Nuevo León holds one live firm and its opening.
    expect(page.locator("svg[data-test^=chart-map-] g[data-state]")).to_have_count(96)
    nle = page.locator("[data-test=chart-map-opening] g[data-state=NLE] title")
    expect(nle).to_have_text("Nuevo León: 1")
    # The same figures as a table, behind a disclosure.
    section = page.locator("[data-test=section-states]")
    section.locator("summary").click()
    row = section.locator("[data-test=table-states] tr[data-key=NLE] td.num")
    expect(row).to_have_text(["1", "0", "1"])  # the firm and its opening; nobody lives there
    with page.expect_download() as download:
        section.locator("[data-test=csv-states]").click()
    assert download.value.suggested_filename == "dashboard-states.csv"

    page.locator("[data-test=curation-nav] a[href$='/curation/gaps']").click()
    target = page.locator("[data-test=table-talent] tr.mark-target")
    expect(target).to_have_count(1)
    expect(target.locator("th")).to_contain_text(
        "Computer vision" if lang == "en" else "Visión por computadora"
    )
