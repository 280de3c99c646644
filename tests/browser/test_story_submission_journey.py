"""A member tells a success story naming an organisation, with a photo; the organisation's
editor confirms being named; a curator publishes and features it; it appears on the
showcase and the home page — in Spanish and in English."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from directory.extensions import db
from directory.models import SuccessStory

from .. import factories as f
from ..helpers import translated
from .conftest import log_in

pytestmark = pytest.mark.browser

TITLES = {"es": "Alertas de inundación en Tabasco", "en": "Flood alerts in Tabasco"}


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (30, 90, 160)).save(out, "JPEG")
    return out.getvalue()


def _log_out(page: Page) -> None:
    page.click("[data-test=nav-account]")
    page.click("[data-test=nav-logout]")
    expect(page.locator("[data-test=nav-login]")).to_be_visible()


@pytest.mark.parametrize("locale", ["es", "en"])
def test_a_story_from_submission_to_the_home_page(
    app, live_server: str, page: Page, csrf_enabled, tmp_path, monkeypatch, locale: str
) -> None:
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path))
    with app.app_context():
        f.user("socia@example.org", locale=locale)
        owner = f.user("duena@example.org", locale=locale)
        editor = f.user("editora@example.org", locale=locale)
        org = f.org(owner, editors=(editor,), name="Río Datos")
        f.user("curadora@example.org", role="curator", locale=locale)
        org_slug = org.slug

    # The member writes the story in both languages, names the organisation, adds a photo.
    log_in(page, live_server, "socia@example.org")
    expect(page.locator("html")).to_have_attribute("lang", locale)
    page.goto(live_server + "/stories")
    page.click("[data-test=submit-story]")
    page.fill("#title_es", TITLES["es"])
    page.fill("#summary_es", "Avisos seis horas antes de que el río se desborde.")
    page.fill("#body_es", "Un modelo lee los **sensores** del río.")
    page.fill("#title_en", TITLES["en"])
    page.fill("#summary_en", "Warnings six hours before the river floods.")
    page.select_option("#sector", "environment")
    page.fill("#impact_value", "6 h")
    page.fill("#impact_label_es", "Más tiempo para evacuar")
    page.fill("#impact_label_en", "More time to evacuate")
    page.fill("#organizations", "Río Datos")
    page.set_input_files("#image", {"name": "rio.jpg", "mimeType": "image/jpeg",
                                    "buffer": _photo()})  # fmt: skip
    page.click("[data-test=story-submit]")
    expect(page.locator(".flash-success")).to_be_visible()
    row = page.locator("[data-test=my-story]")
    expect(row).to_have_attribute("data-status", "pending")
    expect(row).to_contain_text(TITLES[locale])
    expect(row.locator("[data-test=named-standing]")).to_contain_text(
        translated(app, "%(confirmed)d confirmed, %(waiting)d waiting, %(declined)d declined",
                   locale, confirmed=0, waiting=1, declined=0)
    )  # fmt: skip
    _log_out(page)

    # The organisation's editor reads it and confirms being named.
    log_in(page, live_server, "editora@example.org")
    expect(page.locator("[data-test=bell-count]")).to_have_text("1")
    page.goto(live_server + "/me/stories/named")
    naming_row = page.locator("[data-test=naming-row]")
    expect(naming_row).to_have_attribute("data-status", "waiting")
    naming_row.locator("[data-test=open-naming]").click()
    expect(page.locator("[data-test=record-title]")).to_have_text(TITLES[locale])
    expect(page.locator("[data-test=story-image] img")).to_be_visible()
    page.click("[data-test=confirm-naming]")
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("[data-test=naming-status]")).to_contain_text(
        translated(app, "Confirmed", locale)
    )
    _log_out(page)

    # A curator publishes it from the queue, then features it.
    log_in(page, live_server, "curadora@example.org")
    with app.app_context():
        story_id = db.session.query(SuccessStory.id).scalar()
    page.goto(live_server + "/curation/queue?kind=story")
    queue_row = page.locator(f"[data-test=queue-row][data-kind=story][data-id='{story_id}']")
    expect(queue_row.locator("[data-test=story-names]")).to_be_visible()
    queue_row.locator("[data-test=publish]").click()
    expect(page.locator(".flash-success")).to_contain_text(TITLES[locale])
    page.goto(live_server + "/curation/stories")
    page.locator(f"[data-test=story-row][data-id='{story_id}'] [data-test=feature]").click()
    expect(page.locator(f"[data-test=story-row][data-id='{story_id}'] "
                        "[data-test=is-featured]")).to_be_visible()  # fmt: skip
    _log_out(page)

    # Anyone now finds it on the showcase (featured, with the organisation) and at home.
    page.goto(live_server + "/stories")
    page.click(f"[data-test=lang-{locale}]")
    expect(page.locator("html")).to_have_attribute("lang", locale)
    card = page.locator("[data-test=story-card]").filter(has_text=TITLES[locale])
    expect(card.locator("[data-test=featured]")).to_be_visible()
    expect(card).to_contain_text("Río Datos")
    page.goto(live_server + "/")
    home_story = page.locator(f"[data-test=home-story][data-id='{story_id}']")
    expect(home_story).to_contain_text(TITLES[locale])
    home_story.locator("a").first.click()
    org_link = page.locator(f"[data-test=story-orgs] a[href='/organizations/{org_slug}']")
    expect(org_link).to_have_text("Río Datos")
    src = page.locator("[data-test=story-image] img").get_attribute("src")
    assert src and src.startswith("/stories/images/")
    expect(page.locator("meta[property='og:image']")).to_have_attribute(
        "content", "http://localhost" + src
    )
    expect(page.locator("meta[property='og:locale']")).to_have_attribute(
        "content", "en_US" if locale == "en" else "es_MX"
    )
