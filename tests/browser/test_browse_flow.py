"""Search the directory, narrow it with facets, and share the URL."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .. import factories as f

pytestmark = pytest.mark.browser


def test_search_with_facets_is_shareable(app, live_server: str, page: Page, csrf_enabled) -> None:
    with app.app_context():
        f.org(name="Laboratorio Visión Jalisco", state_code="JAL", skill_slugs=())
        f.org(name="Visión Regia", state_code="NLE", skill_slugs=())
        f.opening(title="Ingeniería de visión tapatía", state_code="JAL")
        f.org(name="Contadores del Bajío", description="Contabilidad.", state_code="JAL",
              skill_slugs=())  # fmt: skip

    page.goto(live_server + "/directory")
    page.fill("[data-test=browse-q]", "vision")
    page.click("[data-test=browse-submit]")
    expect(page).to_have_url(f"{live_server}/directory?q=vision")
    results = page.locator("[data-test=result]")
    expect(results.filter(has_text="Visión Regia")).to_have_count(1)
    expect(results.filter(has_text="Contadores del Bajío")).to_have_count(0)

    page.click("[data-test=facet-state-JAL]")
    expect(results.filter(has_text="Visión Regia")).to_have_count(0)
    page.click("[data-test=facet-kind-organization]")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Laboratorio Visión Jalisco")
    for part in ("q=vision", "state=JAL", "kind=organization"):
        assert part in page.url
    expect(page.locator("[data-test=facet-state] [aria-current=true]")).to_have_text("Jalisco")

    # The URL is the search: opened elsewhere, it gives the same results.
    shared = page.context.new_page()
    shared.goto(page.url)
    shared_results = shared.locator("[data-test=result]")
    expect(shared_results).to_have_count(1)
    expect(shared_results.first).to_contain_text("Laboratorio Visión Jalisco")
    expect(shared.locator("[data-test=browse-q]")).to_have_value("vision")

    # Removing the state filter brings the other state's organisation back.
    shared.click("[data-test=facet-clear-state]")
    expect(shared_results.filter(has_text="Visión Regia")).to_have_count(1)
    shared.close()
