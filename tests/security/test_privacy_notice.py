"""The LFPDPPP privacy notice: public, in both languages, linked from every page and sign-up."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient


def _in_language(client: FlaskClient, lang: str) -> None:
    """Switch language the way the site's switch does (a POST remembered in a cookie)."""
    client.post("/language", data={"lang": lang, "next": "/privacy"})


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_notice_is_public_and_in_the_chosen_language(client: FlaskClient, lang: str) -> None:
    _in_language(client, lang)
    page = client.get("/privacy")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert 'data-test="privacy-notice"' in body
    assert f'lang="{lang}"' in body.split('data-test="privacy-notice"')[1][:40]
    # What the law asks the notice to carry, each with its own section.
    for anchor in (
        ("#responsable" if lang == "es" else "#controller"),
        'id="arco"',
        'id="cookies"',
    ):
        assert anchor.lstrip("#") in body
    assert 'data-test="privacy-email"' in body
    assert 'href="/me/privacy"' in body  # where ARCO rights are exercised


def test_spanish_is_the_default_and_the_english_text_says_so(client: FlaskClient) -> None:
    spanish = client.get("/privacy").get_data(as_text=True)
    assert "Aviso de privacidad" in spanish  # the governing text, written in the template
    _in_language(client, "en")
    english = client.get("/privacy").get_data(as_text=True)
    assert "Privacy notice" in english
    assert "aviso de privacidad" in english  # names the Spanish text as the governing one


def test_the_controller_comes_from_the_configuration(app: Flask, client: FlaskClient) -> None:
    saved = {key: app.config[key] for key in ("PRIVACY_CONTROLLER", "PRIVACY_EMAIL")}
    app.config.update(PRIVACY_CONTROLLER="Cámara Mexicana de IA", PRIVACY_EMAIL="datos@camara.mx")
    try:
        body = client.get("/privacy").get_data(as_text=True)
    finally:
        app.config.update(saved)
    assert "Cámara Mexicana de IA" in body
    assert "mailto:datos@camara.mx" in body


@pytest.mark.parametrize("url", ["/", "/directory", "/signup", "/login"])
def test_every_page_links_the_notice_in_its_footer(client: FlaskClient, url: str) -> None:
    body = client.get(url).get_data(as_text=True)
    assert 'data-test="footer-privacy"' in body
    assert 'href="/privacy"' in body


def test_sign_up_points_to_the_notice_before_the_account_exists(client: FlaskClient) -> None:
    body = client.get("/signup").get_data(as_text=True)
    form = body.split('data-test="signup-form"')[1].split("</form>")[0]
    assert 'data-test="signup-privacy"' in form
    assert 'href="/privacy"' in form
