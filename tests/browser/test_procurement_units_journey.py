"""Issue 14 (part A), end to end, in Spanish and in English: an agency owner creates an
innovation unit and posts a challenge from it with a clarification deadline; a startup
member asks a public question; the agency answers; the answer appears on the page and the
asker is told; someone follows the challenge; the agency moves the stage with a note and
closes the challenge with an outcome that names the startup; the unit page shows it.
Under the strict CSP, with CSRF on.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from flask import Flask
from playwright.sync_api import Browser, ConsoleMessage, Page, expect
from sqlalchemy import select

from directory.extensions import db
from directory.models import Challenge, Notification, Status, utcnow
from directory.models.procurement import ChallengeOutcome, InnovationUnit

from .. import factories as f
from ..helpers import translated
from .conftest import log_in

pytestmark = pytest.mark.browser

OWNER, ASKER, FOLLOWER = "duena@example.org", "startup@example.org", "seguidor@example.org"
UNIT = "Equipo de Innovación en Tecnologías Emergentes"
TITLE = "Triaje de radiografías de tórax"
STARTUP = "Visión Norte"
QUESTION = "¿Las imágenes vienen en DICOM?"
ANSWER = "Sí, en DICOM y anonimizadas."
NOTE = "Pasamos a piloto en dos hospitales."


@pytest.fixture
def other_pages(browser: Browser) -> Iterator[tuple[Page, Page]]:
    """The asker's and the follower's own browsers (own cookies), beside the owner's."""
    contexts = [browser.new_context(), browser.new_context()]
    yield contexts[0].new_page(), contexts[1].new_page()
    for context in contexts:
        context.close()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_an_agency_unit_runs_a_market_engagement_round(
    app: Flask, live_server: str, page: Page, other_pages, csrf_enabled, lang: str
) -> None:
    asker_page, follower_page = other_pages
    violations: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            violations.append(message.text)

    for each in (page, asker_page, follower_page):
        each.on("console", watch)
    with app.app_context():
        owner = f.user(OWNER, locale=lang)
        f.profile(owner, full_name="Olga Dueña")
        agency_id = f.org(owner, kind="government_agency", name="Secretaría de Salud Demo").id
        asker = f.user(ASKER, locale=lang)
        f.profile(asker, full_name="Ana Startup")
        startup_id = f.org(asker, kind="startup", name=STARTUP).id
        f.user(FOLLOWER, locale=lang)

    # 1. The agency's owner creates a unit from the organisation's dashboard.
    log_in(page, live_server, OWNER, next_path=f"/manage/organizations/{agency_id}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.click("[data-test=new-unit]")
    page.fill("#name", UNIT)
    page.fill("#mandate", "Conversar con el ecosistema **antes de comprar**.")
    page.fill("#contact", "eti@example.org")
    page.click("[data-test=unit-submit]")
    expect(page.locator("[data-test=unit-name]")).to_have_text(UNIT)
    expect(page.locator(".flash-success")).to_contain_text(
        translated(app, "The unit %(name)s was created.", lang, name=UNIT)
    )
    with app.app_context():
        unit_id = db.session.scalar(select(InnovationUnit.id))

    # 2. It posts a challenge from that unit, with a clarification deadline.
    page.goto(f"{live_server}/manage/organizations/{agency_id}")
    page.click("[data-test=new-challenge]")
    page.fill("#title", TITLE)
    page.fill("#problem", "Las radiografías esperan horas antes de ser leídas.")
    page.select_option("#sector", "health")
    page.select_option("#stage", "prototype")
    page.check("input[name=eligibility][value=startups]")
    page.select_option("#unit", str(unit_id))
    page.fill("#clarification_deadline", (date.today() + timedelta(days=7)).isoformat())
    page.fill("#closes_on", (date.today() + timedelta(days=30)).isoformat())
    page.click("[data-test=post-submit]")
    expect(page.locator(".flash-success")).to_be_visible()
    with app.app_context():
        challenge = db.session.scalar(select(Challenge).where(Challenge.title == TITLE))
        assert challenge.unit_id == unit_id and challenge.clarification_deadline is not None
        # A curator publishes it (the moderation queue has its own journey).
        challenge.status, challenge.published_at = Status.PUBLISHED, utcnow()
        db.session.commit()
        challenge_id = challenge.id
    url = f"{live_server}/challenges/{challenge_id}"

    # 3. A startup member asks a public question; the page shows both deadlines.
    log_in(asker_page, live_server, ASKER, next_path=f"/challenges/{challenge_id}")
    expect(asker_page.locator("[data-test=challenge-unit]")).to_have_text(UNIT)
    expect(asker_page.locator("[data-test=clarification-deadline]")).to_be_visible()
    expect(asker_page.locator("[data-test=closes-on]")).to_be_visible()
    asker_page.fill("#question", QUESTION)
    asker_page.click("[data-test=ask-submit]")
    expect(asker_page.locator(".flash-success")).to_contain_text(
        translated(
            app,
            "Your question was sent. You will be told when the organisation answers it.",
            lang,
        )
    )
    expect(asker_page.locator("[data-test=waiting-answer]")).to_be_visible()

    # 4. The agency answers on the challenge page; the answer is public, with its date.
    page.goto(url)
    question = page.locator("[data-test=question]", has_text=QUESTION)
    question.locator("textarea[name=answer]").fill(ANSWER)
    question.locator("[data-test=answer-submit]").click()
    expect(page.locator("[data-test=answer-body]")).to_have_text(ANSWER)
    anonymous = page.context.browser.new_context().new_page()
    anonymous.goto(url)
    expect(anonymous.locator("[data-test=question-body]")).to_have_text(QUESTION)
    expect(anonymous.locator("[data-test=answer-body]")).to_have_text(ANSWER)
    anonymous.context.close()

    # 5. The asker is told: the bell, and the line that leads to the answer.
    asker_page.goto(f"{live_server}/me/notifications")
    line = asker_page.locator("[data-test=notification-text]").first
    expect(line).to_have_text(
        translated(app, "New reply to your question about “%(title)s”", lang, title=TITLE)
    )
    line.click()
    expect(asker_page.locator("[data-test=answer-body]")).to_have_text(ANSWER)
    assert any(m["To"] == ASKER for m in app.extensions.get("outbox", []))

    # 6. Someone follows the challenge.
    log_in(follower_page, live_server, FOLLOWER, next_path=f"/challenges/{challenge_id}")
    follower_page.click("[data-test=follow]")
    expect(follower_page.locator("[data-test=following]")).to_be_visible()

    # 7. The agency moves the stage with a note: the timeline shows it, the follower hears.
    page.goto(url)
    page.click("[data-test=move-stage]")
    page.select_option("#stage", "pilot")
    page.fill("#note", NOTE)
    page.click("[data-test=stage-submit]")
    expect(page.locator("[data-test=timeline-note]")).to_have_text(NOTE)
    expect(page.locator("[data-test=timeline-step][data-stage=pilot]")).to_be_visible()
    follower_page.goto(f"{live_server}/me/notifications")
    expect(follower_page.locator("[data-test=notification-text]").first).to_contain_text(TITLE)

    # 8. It closes the challenge with an outcome that names the startup.
    page.goto(url)
    page.click("[data-test=close-with-outcome]")
    page.select_option("#kind", "awarded")
    page.fill("#q", "Visión")
    page.click("[data-test=awardee-search]")
    page.check(f"input[name=awardees][value='organization:{startup_id}']")
    page.fill("#note", "Ganó por su validación con datos locales.")
    page.click("[data-test=outcome-submit]")
    outcome = page.locator("[data-test=outcome]")
    expect(outcome).to_have_attribute("data-kind", "awarded")
    expect(outcome.locator("[data-test=awardee]")).to_have_text(STARTUP)
    expect(page.locator("[data-test=closed]")).to_be_visible()
    with app.app_context():
        assert db.session.scalar(select(ChallengeOutcome.kind)) == "awarded"
        assert db.session.scalar(
            select(Notification.id).where(Notification.kind == "challenge_news",
                                          Notification.params["action"].as_string() == "outcome")
        )  # fmt: skip

    # 9. The unit's public page shows the challenge among the past ones, and its outcome.
    follower_page.goto(f"{live_server}/units/{unit_id}")
    expect(follower_page.locator("[data-test=record-title]")).to_have_text(UNIT)
    expect(follower_page.locator("[data-test=unit-past-challenges]")).to_contain_text(TITLE)
    expect(follower_page.locator("[data-test=unit-outcome]")).to_contain_text(STARTUP)
    expect(follower_page.locator("[data-test=unit-outcome]")).to_contain_text(
        translated(app, "Awarded", lang)
    )
    follower_page.goto(f"{live_server}/organizations/" + _slug(app, agency_id))
    expect(follower_page.locator("[data-test=org-unit]")).to_have_text(UNIT)

    assert violations == []


def _slug(app: Flask, org_id: int) -> str:
    from directory.models import Organization

    with app.app_context():
        return db.session.get(Organization, org_id).slug
