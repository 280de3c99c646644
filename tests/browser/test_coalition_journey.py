"""Issue 15, the coalition, end to end in Spanish and in English, under the strict CSP:

1. an organisation's owner asks to join the coalition; a curator approves; it appears on
   /coalicion;
2. the organisation asks to join a working group; a coordinator accepts; the group page
   lists it;
3. a curator opens a consultation; four members answer (factories) and the results page
   shows no figure; the fifth answers in the browser and the results appear.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from flask import Flask
from playwright.sync_api import Browser, ConsoleMessage, Page, expect
from sqlalchemy import select

from directory.extensions import db
from directory.models.coalition import Consultation

from .. import factories as f
from ..coalition.helpers import answer
from ..helpers import translated
from .conftest import log_in

pytestmark = pytest.mark.browser

OWNER, CURATOR, COORDINATOR = "duena@example.org", "curadora@example.org", "coordina@example.org"
ORG_NAME = "Visión Artificial del Bajío"


@pytest.fixture
def curator_page(browser: Browser) -> Iterator[Page]:
    """The curator's own browser context (own cookies)."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture
def coordinator_page(browser: Browser) -> Iterator[Page]:
    """The working group coordinator's own browser context."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_an_organisation_joins_the_coalition_and_a_group_and_a_consultation_is_answered(
    app: Flask,
    live_server: str,
    page: Page,
    curator_page: Page,
    coordinator_page: Page,
    csrf_enabled,
    lang: str,
) -> None:
    violations: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            violations.append(message.text)

    for each in (page, curator_page, coordinator_page):
        each.on("console", watch)

    with app.app_context():
        owner = f.user(OWNER, locale=lang)
        f.user(CURATOR, role="curator", locale=lang)
        coordinator = f.user(COORDINATOR, locale=lang)
        org_id = f.org(owner, name=ORG_NAME, kind="research_centre", state_code="GUA").id
        group = f.working_group(coordinators=(coordinator,))
        group_id, group_name = group.id, group.name(lang)

    # 1. The owner asks from the organisation's manage page; the curator approves.
    log_in(page, live_server, OWNER, next_path=f"/manage/organizations/{org_id}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.click("[data-test=org-coalition-link]")
    expect(page).to_have_url(f"{live_server}/manage/organizations/{org_id}/coalicion")
    page.select_option("#tier", "member")
    page.fill("#message", "Investigamos visión por computadora para la industria.")
    page.click("[data-test=coalition-join-submit]")
    expect(page.locator(".flash-success")).to_contain_text(
        translated(
            app, "Your request was sent. A curator will review it and you will be told.", lang
        )
    )
    expect(page.locator("[data-test=coalition-requested]")).to_be_visible()

    log_in(curator_page, live_server, CURATOR, next_path="/curation/coalition")
    request_row = curator_page.locator(f"[data-test=coalition-request][data-org='{org_id}']")
    expect(request_row).to_contain_text(ORG_NAME)
    request_row.locator("[data-test=approve-tier]").select_option("founding")
    request_row.locator("[data-test=approve]").click()
    expect(curator_page.locator(".flash-success")).to_contain_text(
        translated(app, "“%(org)s” joined the coalition.", lang, org=ORG_NAME)
    )
    page.goto(f"{live_server}/coalicion")
    member = page.locator(f"[data-test=coalition-member][data-id='{org_id}']")
    expect(member).to_contain_text(ORG_NAME)
    expect(member).to_contain_text(translated(app, "Founding member", lang))
    expect(page.locator("[data-test=chart-coalition-quarters]")).to_be_visible()
    # The owner heard of the decision on the bell.
    expect(page.locator("[data-test=bell-count]")).to_have_text("1")

    # 2. The organisation asks to join a working group; the coordinator accepts.
    page.goto(f"{live_server}/grupos/{group_id}")
    expect(page.locator("[data-test=group-name]")).to_have_text(group_name)
    page.select_option("#join_as", f"org-{org_id}")
    page.click("[data-test=join-group-submit]")
    expect(page.locator("[data-test=my-request]")).to_have_attribute("data-status", "requested")

    log_in(coordinator_page, live_server, COORDINATOR, next_path=f"/grupos/{group_id}/coordinar")
    join_request = coordinator_page.locator("[data-test=join-request]")
    expect(join_request.locator("[data-test=request-name]")).to_have_text(ORG_NAME)
    join_request.locator("[data-test=accept-request]").click()
    expect(coordinator_page.locator("[data-test=no-requests]")).to_be_visible()
    page.goto(f"{live_server}/grupos/{group_id}")
    expect(page.locator(f"[data-test=group-org][data-id='{org_id}']")).to_have_text(ORG_NAME)

    # 3. The curator opens a consultation with one single-choice question.
    curator_page.goto(f"{live_server}/curation/consultations/new")
    curator_page.fill("#title_es", "Consulta sobre talento")
    curator_page.fill("#title_en", "Talent consultation")
    curator_page.fill("#context_es", "¿Qué necesita el ecosistema?")
    curator_page.fill("#context_en", "What does the ecosystem need?")
    curator_page.fill("#opens_on", date.today().isoformat())
    curator_page.fill("#closes_on", (date.today() + timedelta(days=10)).isoformat())
    curator_page.click("[data-test=consultation-submit]")
    expect(curator_page.locator("[data-test=consultation-phase]")).to_have_attribute(
        "data-phase", "draft"
    )
    curator_page.select_option("#question-kind", "single")
    curator_page.fill("#question-text_es", "¿Contrató talento de IA este año?")
    curator_page.fill("#question-text_en", "Did you hire AI talent this year?")
    curator_page.fill("#question-options_es", "Sí\nNo")
    curator_page.fill("#question-options_en", "Yes\nNo")
    curator_page.click("[data-test=question-submit]")
    expect(curator_page.locator("[data-test=question-row]")).to_have_count(1)
    curator_page.click("[data-test=publish-consultation]")
    expect(curator_page.locator("[data-test=consultation-phase]")).to_have_attribute(
        "data-phase", "open"
    )

    # Four members answer: no figure at all on the results page.
    with app.app_context():
        record = db.session.scalar(select(Consultation))
        consultation_id = record.id
        for n in range(4):
            answer(record, f.user(f"persona{n}@example.org"), q1=n % 2)
    results_url = f"{live_server}/consultas/{consultation_id}/resultados"
    page.goto(results_url)
    expect(page.locator("[data-test=results-hidden]")).to_be_visible()
    expect(page.locator("[data-test=respondents]")).to_have_count(0)
    expect(page.locator("svg.chart")).to_have_count(0)

    # The fifth answers in the browser (the owner, told of the consultation on the bell).
    page.goto(f"{live_server}/consultas/{consultation_id}")
    title = "Talent consultation" if lang == "en" else "Consulta sobre talento"
    expect(page.locator("[data-test=consultation-title]")).to_have_text(title)
    page.locator("[data-test=question] [data-test=option]").first.check()
    page.click("[data-test=answer-submit]")
    expect(page.locator(".flash-success")).to_contain_text(
        translated(app, "Thank you: your answers were saved.", lang)
    )
    expect(page.locator("[data-test=already-answered]")).to_be_visible()
    page.goto(results_url)
    expect(page.locator("[data-test=respondents]")).to_contain_text("5")
    result = page.locator("[data-test=question-result]")
    expect(result).to_have_attribute("data-shown", "yes")
    expect(result.locator("svg.chart")).to_have_count(1)
    yes = "Yes" if lang == "en" else "Sí"
    expect(result.locator("tbody tr").first.locator("th")).to_have_text(yes)
    expect(result.locator("tbody tr").first.locator("td")).to_have_text("3")  # 2 + the owner
    assert OWNER not in page.content()
    assert violations == []
