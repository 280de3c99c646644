"""SECURITY.md row 32: the two consents are separate, revocable, logged with their time,
and shown on the privacy page with their last change."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from directory.extensions import db
from directory.models import AuditEvent, ContactRequest, Profile

from .. import factories as f
from ..conftest import PASSWORD


def _login(client: FlaskClient, email: str) -> None:
    client.post("/login", data={"email": email, "password": PASSWORD})


def _consent_events(profile_id: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.target_kind == "profile", AuditEvent.target_id == profile_id)
            .where(AuditEvent.action.like("consent.%"))
            .order_by(AuditEvent.id)
        )
    )


def test_withdrawing_one_consent_leaves_the_other_and_is_logged(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        person = f.profile(f.user("ana@example.org"))
        profile_id = person.id
    _login(client, "ana@example.org")
    response = client.post("/me/privacy/consents", data={"consent": "matching", "grant": "0"})
    assert response.status_code == 302
    with app.app_context():
        profile = db.session.get(Profile, profile_id)
        assert profile.matching_consent is False
        assert profile.contact_consent is True
        events = _consent_events(profile_id)
        assert [(e.action, e.details["granted"]) for e in events] == [("consent.matching", False)]
        assert events[0].created_at is not None
        assert events[0].actor_id == profile.user_id


def test_the_page_shows_each_consent_with_its_last_change(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        f.profile(f.user("ana@example.org"))
    _login(client, "ana@example.org")
    before = client.get("/me/privacy").get_data(as_text=True)
    assert 'data-test="consent-contact" data-granted="yes"' in before
    assert 'data-test="consent-contact-changed"' not in before  # never changed yet
    client.post("/me/privacy/consents", data={"consent": "contact", "grant": "0"})
    after = client.get("/me/privacy")
    body = after.get_data(as_text=True)
    assert after.headers["Cache-Control"] == "no-store"
    assert 'data-test="consent-contact" data-granted="no"' in body
    assert 'data-test="consent-contact-changed"' in body
    assert 'data-test="consent-matching" data-granted="yes"' in body
    # Given back, it is logged again.
    client.post("/me/privacy/consents", data={"consent": "contact", "grant": "1"})
    with app.app_context():
        profile = db.session.scalar(select(Profile))
        assert [e.details["granted"] for e in _consent_events(profile.id)] == [False, True]


def test_withdrawn_contact_consent_blocks_new_requests(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        target = f.profile(f.user("ana@example.org"))
        target_id = target.id
        f.user("beto@example.org")
    _login(client, "ana@example.org")
    client.post("/me/privacy/consents", data={"consent": "contact", "grant": "0"})
    client.post("/logout")
    _login(client, "beto@example.org")
    response = client.post(f"/people/{target_id}/contact", data={"message": "Hola"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(ContactRequest)) is None


def test_bad_consent_values_change_nothing(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        f.profile(f.user("ana@example.org"))
    _login(client, "ana@example.org")
    for data in ({"consent": "role", "grant": "0"}, {"consent": "contact", "grant": "yes"}, {}):
        assert client.post("/me/privacy/consents", data=data).status_code == 400
    with app.app_context():
        profile = db.session.scalar(select(Profile))
        assert profile.contact_consent and profile.matching_consent
        assert _consent_events(profile.id) == []


def test_without_a_profile_there_is_nothing_to_consent_to(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        f.user("ana@example.org")
    _login(client, "ana@example.org")
    page = client.get("/me/privacy")
    assert page.status_code == 200
    assert 'data-test="consent-contact"' not in page.get_data(as_text=True)
    response = client.post("/me/privacy/consents", data={"consent": "contact", "grant": "1"})
    assert response.status_code == 302


def test_the_privacy_page_needs_a_login(client: FlaskClient) -> None:
    for url in ("/me/privacy", "/me/privacy/my-data.json", "/me/privacy/delete"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
