"""A member puts a photo on their profile and sees it on their public page (a visitor too);
an organisation's owner uploads a logo, sees it on the organisation's page, removes it and
sees the initials again."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import Locator, Page, expect

from .. import factories as f
from ..conftest import PASSWORD
from ..helpers import translated

pytestmark = pytest.mark.browser


def _image(size: tuple[int, int], colour: tuple[int, int, int], kind: str = "JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, kind)
    return out.getvalue()


def _file(name: str, mime: str, data: bytes) -> dict:
    return {"name": name, "mimeType": mime, "buffer": data}


def _log_in(page: Page, live_server: str, email: str) -> None:
    page.goto(live_server + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("[data-test=login-form] button[type=submit]")
    expect(page.locator("[data-test=nav-account]")).to_be_visible()


def _loaded(image: Locator) -> None:
    """The image is there and the browser could decode what the server sent."""
    expect(image).to_be_visible()
    # decode() waits for a lazy image to load, and fails if it cannot be decoded.
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") == 400


def test_upload_a_photo_and_a_logo_see_them_remove_them(
    app, live_server: str, page: Page, csrf_enabled, tmp_path, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path))
    with app.app_context():
        owner = f.user("itzel@example.org")
        profile = f.profile(owner, full_name="Itzel Canul", visibility="public")
        org = f.org(owner, name="Kaab Datos")
        profile_id, org_id, org_slug = profile.id, org.id, org.slug

    # My photo: from the profile edit page, with the limits written next to the field.
    _log_in(page, live_server, "itzel@example.org")
    page.goto(live_server + "/me/profile")
    page.click("[data-test=edit-photo]")
    preview = page.locator("[data-test=photo-preview]")
    expect(preview.locator("[data-test=avatar-initials]")).to_have_text("IC")
    expect(page.locator("#photo-limits")).to_contain_text("400")
    photo = _image((900, 600), (200, 80, 40))
    page.set_input_files("[data-test=photo-file]", _file("yo.jpg", "image/jpeg", photo))
    page.click("[data-test=photo-upload]")
    expect(page.locator(".flash-success")).to_contain_text(
        translated(app, "Your photo was saved.", "es")
    )
    _loaded(preview.locator("img"))

    # It is on my public page, for me and for a visitor who is not logged in.
    page.goto(f"{live_server}/people/{profile_id}")
    _loaded(page.locator("[data-test=profile-avatar] img"))
    visitor = page.context.browser.new_page()
    visitor.goto(f"{live_server}/people/{profile_id}")
    _loaded(visitor.locator("[data-test=profile-avatar] img"))

    # A file that is not an image is refused with a clear message; the photo stays.
    page.goto(live_server + "/me/profile/edit")
    svg = b"<svg xmlns='http://www.w3.org/2000/svg'/>"
    page.set_input_files("[data-test=photo-file]", _file("dibujo.svg", "image/svg+xml", svg))
    page.click("[data-test=photo-upload]")
    expect(page.locator(".flash-error")).to_contain_text("SVG")
    _loaded(preview.locator("img"))

    # The organisation's logo, from its edit page.
    page.goto(f"{live_server}/manage/organizations/{org_id}/edit")
    logo_preview = page.locator("[data-test=logo-preview]")
    expect(logo_preview.locator("[data-test=avatar-initials]")).to_have_text("KD")
    logo = _image((600, 200), (10, 90, 60), "PNG")
    page.set_input_files("[data-test=logo-file]", _file("logo.png", "image/png", logo))
    page.click("[data-test=logo-upload]")
    expect(page.locator(".flash-success")).to_contain_text(
        translated(app, "The logo was saved.", "es")
    )
    _loaded(logo_preview.locator("img"))
    visitor.goto(f"{live_server}/organizations/{org_slug}")
    _loaded(visitor.locator("[data-test=org-logo] img"))

    # Removed: the organisation's page shows its initials again.
    page.click("[data-test=logo-remove]")
    expect(page.locator(".flash-success")).to_contain_text(
        translated(app, "The logo was removed.", "es")
    )
    expect(logo_preview.locator("[data-test=avatar-initials]")).to_have_text("KD")
    visitor.goto(f"{live_server}/organizations/{org_slug}")
    expect(visitor.locator("[data-test=org-logo] [data-test=avatar-initials]")).to_have_text("KD")

    # And my photo: removed, my page shows my initials.
    page.goto(live_server + "/me/profile/edit")
    page.click("[data-test=photo-remove]")
    expect(preview.locator("[data-test=avatar-initials]")).to_have_text("IC")
    visitor.goto(f"{live_server}/people/{profile_id}")
    expect(visitor.locator("[data-test=profile-avatar] [data-test=avatar-initials]")).to_have_text(
        "IC"
    )
    visitor.close()
