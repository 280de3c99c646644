"""Issue 12, end to end, in Spanish and in English: a member saves a directory search, a
curator publishes a matching opening from the moderation queue, the digest job runs, and
the member finds it on the bell and in one mail in their language, which they then use to
stop that search's mails (after which a new match mails them nothing). Under the strict CSP.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask_babel import force_locale, gettext, ngettext
from playwright.sync_api import APIRequestContext, Browser, ConsoleMessage, Page, Playwright, expect
from sqlalchemy import select

from directory.extensions import db
from directory.models import Opening, Organization, SavedSearch, Status, utcnow
from directory.services import alerts
from directory.services.digests.run import PERIODS, run_digests

from .. import factories as f
from ..helpers import translated
from ..test_notifications import unread_label
from .conftest import log_in

pytestmark = pytest.mark.browser

MEMBER, CURATOR, NEIGHBOUR = "ana@example.org", "curadora@example.org", "vecina@example.org"
FREQUENCY = "instant"  # "As soon as there is something new": run by the worker every 10 min
WORD = "geoespacial"  # only the new openings' titles have it
SEARCH_NAME = "Empleos geoespaciales"
TITLE = "Analista geoespacial en Mérida"
SECOND_TITLE = "Cartografía geoespacial en Campeche"
ORIGIN = "http://localhost"  # PUBLIC_URL in tests: every mailed link starts with it


def _mail_text(app: Flask, lang: str, msgid: str, **params: object) -> str:
    """A message as a mail writes it in `lang` (plain text: nothing HTML-escaped)."""
    with app.test_request_context(), force_locale(lang):
        return str(gettext(msgid, **params))


def _subject(app: Flask, lang: str, count: int) -> str:
    msgid = "%(num)d new in Directorio IA"
    with app.test_request_context(), force_locale(lang):
        return str(ngettext(msgid, msgid, count))


def _stop_link(app: Flask, lang: str, text: str) -> str:
    """The per-search "Stop these e-mails: <link>" address in a digest's plain text."""
    prefix, _sep, suffix = _mail_text(
        app, lang, "Stop these e-mails: %(link)s", link="\0"
    ).partition("\0")
    lines = [line for line in text.splitlines() if line.startswith(prefix)]
    assert len(lines) == 1, text  # one saved search in the mail, so one such line
    link = lines[0][len(prefix) : len(lines[0]) - len(suffix)].strip()
    assert link.startswith(f"{ORIGIN}/unsubscribe/"), lines[0]
    return link


def _mails_to(app: Flask, email: str) -> list:
    return [m for m in app.extensions.get("outbox", []) if m["To"] == email]


@pytest.fixture
def curator_page(browser: Browser) -> Iterator[Page]:
    """The curator's own browser context (own cookies), beside the member's `page`."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture
def anonymous(playwright: Playwright, live_server: str) -> Iterator[APIRequestContext]:
    """Someone without an account (no cookies), asking the live server."""
    context = playwright.request.new_context(base_url=live_server)
    yield context
    context.dispose()


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_saved_search_alerts_by_bell_and_mail_until_unsubscribed(
    app,
    live_server: str,
    page: Page,
    curator_page: Page,
    anonymous: APIRequestContext,
    csrf_enabled,
    lang: str,
) -> None:
    violations: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            violations.append(message.text)

    page.on("console", watch)
    curator_page.on("console", watch)

    with app.app_context():
        member_id = f.user(MEMBER, locale=lang).id
        f.user(CURATOR, role="curator", locale=lang)
        org_id = f.org(name="Cartas Abiertas del Sureste", state_code="YUC", skill_slugs=()).id
        # Someone else saved the same search: the control that shows the last run did run.
        alerts.save_search(f.user(NEIGHBOUR, locale="es"), kind="directory", name="Vecina",
                           frequency=FREQUENCY, args={"q": WORD})  # fmt: skip
        db.session.commit()

    # 1. The member saves the search from /directory (nothing matches it yet).
    log_in(page, live_server, MEMBER, next_path=f"/directory%3Fq%3D{WORD}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("[data-test=no-results]")).to_be_visible()
    page.click("[data-test=save-search-open]")
    expect(page.locator("[data-test=save-search-name]")).to_have_value(WORD)
    page.fill("[data-test=save-search-name]", SEARCH_NAME)
    page.select_option("[data-test=save-search-form] [data-test=frequency]", FREQUENCY)
    page.click("[data-test=save-search-submit]")
    expect(page).to_have_url(f"{live_server}/me/alerts")
    item = page.locator("[data-test=saved-search]")
    expect(item).to_have_count(1)
    expect(item.locator("[data-test=saved-search-name]")).to_have_text(SEARCH_NAME)
    expect(item.locator("[data-test=frequency-now]")).to_have_attribute("data-frequency", FREQUENCY)
    expect(item.locator("[data-test=frequency-now]")).to_contain_text(
        translated(app, "As soon as there is something new", lang)
    )

    # 2. A matching opening is submitted; a curator publishes it from the queue.
    with app.app_context():
        org = db.session.get(Organization, org_id)
        opening_id = f.opening(org, status=Status.PENDING, title=TITLE, state_code="YUC",
                               city="Mérida").id  # fmt: skip
    assert anonymous.get(f"/openings/{opening_id}").status == 404  # not public yet

    log_in(curator_page, live_server, CURATOR, next_path="/curation/queue")
    expect(curator_page).to_have_url(f"{live_server}/curation/queue")
    row = curator_page.locator(f"[data-test=queue-row][data-kind=opening][data-id='{opening_id}']")
    expect(row.locator("[data-test=view]")).to_have_text(TITLE)
    row.locator("[data-test=publish]").click()
    expect(curator_page.locator(".flash-success")).to_contain_text(
        translated(app, "“%(title)s” is published.", lang, title=TITLE)
    )
    expect(row).to_have_count(0)

    public = anonymous.get(f"/openings/{opening_id}")
    assert public.status == 200 and TITLE in public.text()  # public now, to anyone
    with app.app_context():
        opening = db.session.get(Opening, opening_id)
        saved = db.session.scalar(select(SavedSearch).filter_by(user_id=member_id))
        assert opening.status == Status.PUBLISHED
        assert saved.created_at < opening.published_at  # saved before it was published
        search_id = saved.id

    # 3. The worker's periodic job runs: one digest for the member, one for the neighbour.
    with app.app_context():
        assert run_digests(FREQUENCY) == 2

    # 4. The bell rings once; its line names the search and the opening, and leads there.
    page.goto(f"{live_server}/directory")
    bell = page.locator("[data-test=nav-notifications]")
    expect(page.locator("[data-test=bell-count]")).to_have_text("1")
    expect(bell).to_have_attribute("aria-label", unread_label(app, lang, 1))
    bell.click()
    expect(page).to_have_url(f"{live_server}/me/notifications")
    lines = page.locator("[data-test=notifications] li")
    expect(lines).to_have_count(1)
    news = translated(app, "New in your saved search “%(name)s”: “%(title)s”", lang,
                      name=SEARCH_NAME, title=TITLE)  # fmt: skip
    expect(lines.first.locator("[data-test=notification-text]")).to_have_text(news)
    expect(lines.first.locator("[data-test=unread]")).to_be_visible()
    lines.first.locator("[data-test=notification-text]").click()
    expect(page).to_have_url(f"{live_server}/openings/{opening_id}")
    expect(page.locator("[data-test=record-title]")).to_have_text(TITLE)

    # 5. One mail, in the member's language, with the opening and one-click unsubscribe.
    mails = _mails_to(app, MEMBER)
    assert len(mails) == 1
    mail = mails[0]
    assert mail["Subject"] == _subject(app, lang, 1)
    if lang == "es":
        assert mail["Subject"] != _subject(app, "en", 1)
    text = mail.get_body(("plain",)).get_content()
    html_body = mail.get_body(("html",)).get_content()
    link = f"{ORIGIN}/openings/{opening_id}"
    heading = _mail_text(app, lang, "Your saved search “%(name)s”", name=SEARCH_NAME)
    assert TITLE in text and link in text and heading in text
    assert f'<a href="{link}">{TITLE}</a>' in html_body and heading in html_body
    assert mail["List-Unsubscribe"].startswith(f"<{ORIGIN}/unsubscribe/")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # 6. "Stop these e-mails" of that search: confirm in the browser, then it never mails.
    stop = _stop_link(app, lang, text)
    assert f"<{stop}>" != mail["List-Unsubscribe"]  # this search's link, not "stop all"
    assert f'href="{stop}"' in html_body
    page.goto(live_server + stop.removeprefix(ORIGIN))
    what = translated(app, "e-mails of this saved search", lang)
    expect(page.locator("[data-test=unsubscribe]")).to_contain_text(
        translated(app, "Stop receiving %(what)s?", lang, what=what)
    )
    page.click("[data-test=unsubscribe-submit]")
    expect(page.locator("[data-test=unsubscribed]")).to_have_text(
        translated(app, "Done: you will receive no more %(what)s.", lang, what=what)
    )

    page.goto(f"{live_server}/me/alerts")
    item = page.locator(f"[data-test=saved-search][data-id='{search_id}']")
    expect(item.locator("[data-test=saved-search-name]")).to_have_text(SEARCH_NAME)
    expect(item.locator("[data-test=frequency-now]")).to_have_attribute("data-frequency", "never")
    expect(item.locator("[data-test=frequency-now]")).to_contain_text(
        translated(app, "Never: keep the search without alerts", lang)
    )

    # A second match is published; the next run (a later window: a new run key) mails the
    # neighbour, whose search still alerts, and neither mails nor rings for the member.
    with app.app_context():
        org = db.session.get(Organization, org_id)
        f.opening(org, title=SECOND_TITLE, state_code="CAM", city="Campeche")
        assert run_digests(FREQUENCY, now=utcnow() + PERIODS[FREQUENCY] + timedelta(minutes=1)) == 1
    neighbour_mails = _mails_to(app, NEIGHBOUR)
    assert len(neighbour_mails) == 2
    assert SECOND_TITLE in neighbour_mails[-1].get_body(("plain",)).get_content()
    assert len(_mails_to(app, MEMBER)) == 1
    page.goto(f"{live_server}/me/notifications")
    expect(page.locator("[data-test=notifications] li")).to_have_count(1)
    expect(page.locator("[data-test=notifications]")).not_to_contain_text(SECOND_TITLE)

    assert violations == []  # directory, alerts, queue, bell, opening, unsubscribe pages
