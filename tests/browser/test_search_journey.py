"""One search box (issue 16): a visitor types in the header's box on a laptop and on a
phone, reads result cards that say what, whose, where and why, and filters by kind."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import Page, expect

from .. import factories as f

pytestmark = pytest.mark.browser

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
SHOTS = os.environ.get("SEARCH_SCREENSHOTS")  # a folder: save what the test saw


def _world(app) -> dict[str, int]:
    with app.app_context():
        lab = f.org(name="Laboratorio Jaguar de Visión", description="Cámaras y óptica.",
                    city="Mérida", state_code="YUC")  # fmt: skip
        opening = f.opening(
            lab,
            title="Ingeniería de visión por computadora",
            description="Detectar defectos de fábrica con visión por computadora y PyTorch.",
            skill_slugs=("computer-vision", "pytorch"),
            remote_policy="remote",
        )
        person = f.profile(full_name="Rosa Ruiz", headline="Visión por computadora en Yucatán")
        ids = {"org": lab.id, "opening": opening.id, "person": person.id}
    # The first search of a session loads the models (tens of seconds): not the browser's.
    assert app.test_client().get("/search?q=visi%C3%B3n").status_code == 200
    return ids


def _search_from_header(page: Page, query: str) -> None:
    box = page.locator("[data-test=site-search-q]")
    expect(box).to_be_visible()
    box.fill(query)
    box.press("Enter")
    expect(page.locator("[data-test=search-results]")).to_be_visible()


def _check_cards(page: Page, ids: dict[str, int]) -> None:
    opening = page.locator(
        f"[data-test=search-result][data-kind=opening][data-id='{ids['opening']}']"
    )
    expect(opening.locator("[data-test=result-kind]")).to_have_text("Vacante")
    expect(opening.locator("[data-test=result-org]")).to_have_text("Laboratorio Jaguar de Visión")
    expect(opening.locator("[data-test=result-place]")).to_have_text("Remoto")
    expect(opening.locator("[data-test=result-snippet]")).to_contain_text("PyTorch")
    expect(opening.locator("[data-test=result-snippet] mark").first).to_have_text("visión")
    expect(opening.locator("[data-test=result-reasons]")).to_contain_text("visión por computadora")
    person = page.locator(
        f"[data-test=search-result][data-kind=profile][data-id='{ids['person']}']"
    )
    expect(person.locator("[data-test=result-kind]")).to_have_text("Persona")
    expect(person.locator("[data-test=result-place]")).to_have_text("Guadalajara, Jalisco")
    expect(page.locator("[data-test=semantic-q]")).to_have_value("visión por computadora")


def test_search_from_the_header_on_a_laptop_and_filter_by_kind(
    app, live_server: str, page: Page
) -> None:
    ids = _world(app)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server + "/stories")
    _search_from_header(page, "visión por computadora")
    _check_cards(page, ids)
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "search-1280.png"), full_page=True)

    # Filter by kind: the tab shows its count, and only organisations remain.
    tab = page.locator("[data-test=kind-tab-organization]")
    count = int(tab.locator(".count").inner_text())
    tab.click()
    expect(tab).to_have_attribute("aria-current", "page")
    results = page.locator("[data-test=search-result]")
    expect(results).to_have_count(count)
    expect(page.locator("[data-test=search-result][data-kind=opening]")).to_have_count(0)
    expect(results.filter(has_text="Laboratorio Jaguar de Visión")).to_have_count(1)
    assert "kind=organization" in page.url
    # Everything again, then on to the directory's filters with the same words.
    page.click("[data-test=kind-tab-all]")
    expect(page.locator("[data-test=search-result][data-kind=opening]")).not_to_have_count(0)
    page.click("[data-test=refine-link]")
    expect(page.locator("[data-test=browse-q]")).to_have_value("visión por computadora")


def test_search_from_the_folded_menu_on_a_phone(app, live_server: str, page: Page) -> None:
    ids = _world(app)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/")
    assert page.evaluate(OVERFLOW) <= 0
    expect(page.locator("[data-test=site-search-q]")).to_be_hidden()  # folded with the menu
    page.click("[data-test=menu-toggle]")
    _search_from_header(page, "visión por computadora")
    assert page.evaluate(OVERFLOW) <= 0
    _check_cards(page, ids)
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "search-390.png"), full_page=True)
    page.click("[data-test=kind-tab-profile]")
    expect(page.locator("[data-test=search-result]")).to_have_count(1)
    expect(page.locator("[data-test=search-result] [data-test=result-link]")).to_have_text(
        "Rosa Ruiz"
    )
    assert page.evaluate(OVERFLOW) <= 0


def test_the_home_search_box_finds_the_same(app, live_server: str, page: Page) -> None:
    ids = _world(app)
    page.goto(live_server + "/")
    page.fill("[data-test=home-q]", "visión por computadora")
    page.click("[data-test=home-search-submit]")
    _check_cards(page, ids)
    page.fill("[data-test=semantic-q]", "qzxv wplkj")
    page.click("[data-test=semantic-submit]")
    expect(page.locator("[data-test=no-results]")).to_be_visible()
    page.click("[data-test=browse-facets]")
    expect(page.locator("[data-test=facet-kind]")).to_be_visible()
