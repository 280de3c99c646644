"""Issue 14, part B, end to end in Spanish and in English: an agency's challenge gets a
high-risk self-assessment, a startup's editor proposes for the startup with budget,
timeline and safeguard answers, a person is refused (individuals are not eligible), the
agency compares the proposals side by side, shortlists and accepts, and the public
portfolio shows the challenge with its level and counts. Real forms, CSRF on, strict CSP.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask_babel import force_locale, gettext, ngettext
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .. import factories as f
from .conftest import log_in

pytestmark = pytest.mark.browser

AGENCY, STARTUP, PERSON = "agencia@example.org", "startup@example.org", "persona@example.org"
HIGH = {"rights": "severe", "autonomy": "decides_alone", "data": "sensitive",
        "population": "vulnerable", "reversibility": "hard", "oversight": "none"}  # fmt: skip
ANSWERS = {
    "sg_data_handling": "Datos cifrados y alojados en México; se borran a los 12 meses.",
    "sg_explanations": "Cada prioridad muestra sus tres razones principales.",
    "sg_human_in_the_loop": "Una enfermera confirma o cambia cada cita propuesta.",
    "sg_bias_testing": "Medimos diferencias por sexo, edad y región cada mes.",
    "sg_monitoring": "Tablero semanal, bitácora de incidentes y responsable designado.",
}


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    """One browser context per person (own cookies), closed at the end."""
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def _as(browser: Browser, contexts: list[BrowserContext], base: str, email: str,
        lang: str) -> Page:  # fmt: skip
    """A page logged in as `email`, reading in `lang`; console errors (CSP) fail the test."""
    context = browser.new_context()
    contexts.append(context)
    context.add_cookies([{"name": "lang", "value": lang, "url": base}])
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, base, email)
    page.set_default_timeout(10_000)
    page.errors = errors  # type: ignore[attr-defined]
    return page


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_market_engagement_round(app, live_server: str, browser: Browser, contexts, csrf_enabled,
                                   lang: str) -> None:  # fmt: skip
    def t(msgid: str, **params: object) -> str:
        """The message as the page shows it (text, not HTML) in the journey's language."""
        with app.test_request_context(), force_locale(lang):
            return str(gettext(msgid, **params))

    with app.app_context():
        agency = f.org(f.user(AGENCY), kind="government_agency", name="Secretaría de Salud")
        challenge = f.challenge(agency, title="Priorizar citas de especialidad",
                                eligibility=["startups", "research_centres"])  # fmt: skip
        startup = f.org(f.user(STARTUP), kind="startup", name="Visión Clínica")
        f.user(PERSON)
        challenge_id, startup_id = challenge.id, startup.id

    # 1. The agency completes a high-risk self-assessment.
    agency_page = _as(browser, contexts, live_server, AGENCY, lang)
    agency_page.goto(f"{live_server}/challenges/{challenge_id}")
    agency_page.click("[data-test=risk-link]")
    for question, option in HIGH.items():
        agency_page.check(f"input[name=q_{question}][value={option}]")
    agency_page.click("[data-test=risk-submit]")
    level = t("High risk")
    expect(agency_page.locator(".flash-success")).to_have_text(
        t("Saved. The challenge's risk level is: %(level)s.", level=level)
    )
    agency_page.goto(f"{live_server}/challenges/{challenge_id}")
    expect(agency_page.locator("[data-test=risk-level]")).to_have_text(level)

    # 2. A person on their own is refused before typing: individuals are not eligible.
    person = _as(browser, contexts, live_server, PERSON, lang)
    person.goto(f"{live_server}/challenges/{challenge_id}/propose")
    refusal = t(
        "This challenge only takes proposals from: %(groups)s. You cannot propose in your own "
        "name, and none of the organisations you edit is of one of those kinds.",
        groups=f"{t('Startups')}, {t('Research centres')}",
    )
    expect(person.locator("[data-test=propose-refused]")).to_have_text(refusal)
    expect(person.locator("[data-test=propose-form]")).to_have_count(0)

    # 3. The startup's editor proposes for the startup, answering every safeguard.
    founder = _as(browser, contexts, live_server, STARTUP, lang)
    founder.goto(f"{live_server}/challenges/{challenge_id}")
    founder.click("[data-test=propose]")
    founder.select_option("#organization", str(startup_id))
    founder.fill("#message", "Un modelo que ordena la lista de espera, con revisión clínica.")
    founder.fill("#budget_amount", "850000")
    founder.select_option("#budget_currency", "MXN")
    founder.fill("#timeline_weeks", "16")
    founder.fill("#links", "https://example.org/demo")
    for name, answer in ANSWERS.items():
        founder.fill(f"#{name}", answer)
    founder.click("[data-test=propose-submit]")
    expect(founder.locator(".flash-success")).to_have_text(
        t("Your proposal was sent. The organisation will answer you here.")
    )

    # 4. The agency compares, shortlists, then accepts.
    agency_page.goto(f"{live_server}/challenges/{challenge_id}")
    agency_page.click("[data-test=compare-link]")
    column = agency_page.locator("[data-test=compare-column]")
    expect(column).to_have_count(1)
    expect(column).to_contain_text("Visión Clínica")
    expect(agency_page.locator("[data-test=compare-budget]")).to_have_text("850,000 MXN")
    expect(agency_page.locator("[data-test=compare-safeguard]")).to_have_count(5)
    expect(agency_page.locator("table")).to_contain_text(ANSWERS["sg_bias_testing"])
    agency_page.select_option("[data-test=compare-next]", "shortlisted")
    agency_page.click("[data-test=compare-submit]")
    expect(agency_page.locator("[data-test=compare-status]")).to_have_text(t("Shortlisted"))
    agency_page.select_option("[data-test=compare-next]", "accepted")
    agency_page.click("[data-test=compare-submit]")
    expect(agency_page.locator("[data-test=compare-status]")).to_have_text(t("Accepted"))

    # The startup's editor reads the answer on their activity page.
    founder.goto(f"{live_server}/me/activity")
    expect(founder.locator("[data-test=proposal-status]")).to_have_text(t("Accepted"))

    # 5. The public portfolio shows the challenge with its level and its proposal.
    visitor = browser.new_context()
    contexts.append(visitor)
    visitor.add_cookies([{"name": "lang", "value": lang, "url": live_server}])
    public = visitor.new_page()
    public.goto(f"{live_server}/retos/portafolio")
    row = public.locator(f"[data-test=portfolio-row][data-challenge='{challenge_id}']")
    expect(row.locator("[data-test=row-level]")).to_have_text(level)
    expect(row.locator("[data-test=row-proposals]")).to_have_text("1")
    with app.test_request_context(), force_locale(lang):
        one = ngettext("%(num)d challenge", "%(num)d challenges", 1)
    expect(public.locator("[data-test=portfolio-totals]")).to_contain_text(one)

    for page in (agency_page, person, founder):
        assert not page.errors, page.errors  # type: ignore[attr-defined]
