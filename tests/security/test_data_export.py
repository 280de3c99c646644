"""SECURITY.md row 29 (ARCO access): "download my data" returns every record of mine as a
JSON attachment, and nothing of anyone else's beyond the name I already see."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from directory.extensions import db
from directory.models import (
    Application,
    AuditEvent,
    ContactRequest,
    Membership,
    PrivacyRequest,
    Proposal,
    User,
)
from directory.models.match_feedback import MatchFeedback

from .. import factories as f
from ..conftest import PASSWORD

MY_PHONE = "+52 33 MY-OWN-PHONE"
OTHER_PHONE = "+52 55 OTHER-PHONE-77"
OTHER_EMAIL = "otra.persona@example.org"
OTHER_NOTE = "OTHER-PRIVATE-MARKER"


def _world(app: Flask) -> dict[str, Any]:
    with app.app_context():
        me = f.user("ana@example.org")
        mine = f.profile(me, phone=MY_PHONE, full_name="Ana Pérez", free_skills=["tinyml"])
        other = f.user(OTHER_EMAIL)
        f.profile(other, full_name="Otra Persona", phone=OTHER_PHONE, visibility="private")
        org = f.org(me, name="Visión Norte")
        opening = f.opening(f.org(other, name="Org ajena"), title="Vacante X")
        challenge = f.challenge(f.org(other, kind="government_agency"), title="Reto Y")
        db.session.add_all(
            [
                Application(opening=opening, user=me, message="Me interesa"),
                Proposal(challenge=challenge, user=me, organization=org, message="Propuesta"),
                ContactRequest(sender=me, recipient=other, message="Hola, ¿platicamos?"),
                ContactRequest(sender=other, recipient=me, message=f"Te escribo {OTHER_NOTE}"),
                PrivacyRequest(user_id=me.id, email=me.email, kind="access", message="¿Qué datos?"),
                # Somebody else's records of the same kinds must not come along.
                Application(opening=opening, user=other, message=OTHER_NOTE),
                PrivacyRequest(user_id=other.id, email=OTHER_EMAIL, kind="access", message="x"),
                MatchFeedback(user_id=me.id, kind="opening", record_id=opening.id, saved=True),
                MatchFeedback(user_id=other.id, kind="opening", record_id=opening.id, hidden=True),
            ]
        )
        db.session.commit()
        return {"profile_id": mine.id, "org": org.slug, "user_id": me.id}


def _download(client: FlaskClient) -> tuple[Any, dict[str, Any]]:
    client.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    client.post("/me/privacy/consents", data={"consent": "matching", "grant": "0"})
    response = client.get("/me/privacy/my-data.json")
    return response, json.loads(response.get_data(as_text=True))


def test_the_download_is_a_json_attachment_that_is_not_cached(
    app: Flask, client: FlaskClient
) -> None:
    _world(app)
    response, _data = _download(client)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert ".json" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"


def test_every_kind_of_record_of_mine_is_in_it(app: Flask, client: FlaskClient) -> None:
    ids = _world(app)
    _response, data = _download(client)
    assert data["account"]["email"] == "ana@example.org"
    assert data["profile"]["full_name"] == "Ana Pérez"
    assert data["profile"]["phone"] == MY_PHONE  # my own private data is mine to see
    assert data["profile"]["free_skills"] == ["tinyml"]
    assert {s["slug"] for s in data["profile"]["skills"]} == {"machine-learning", "python"}
    assert data["consents"]["current"]["matching"]["granted"] is False
    assert data["consents"]["current"]["matching"]["changed_at"]
    assert data["consents"]["history"][-1]["consent"] == "matching"
    assert [a["message"] for a in data["applications"]] == ["Me interesa"]
    assert data["applications"][0]["opening"] == "Vacante X"
    assert data["proposals"][0]["on_behalf_of"] == "Visión Norte"
    assert [c["message"] for c in data["contact_requests"]["sent"]] == ["Hola, ¿platicamos?"]
    assert len(data["contact_requests"]["received"]) == 1
    assert data["memberships"] == [
        {"organization": "Visión Norte", "organization_slug": ids["org"], "role": "owner",
         "since": data["memberships"][0]["since"]}
    ]  # fmt: skip
    assert len(data["login_sessions"]) == 1
    assert data["login_sessions"][0]["created_at"]
    assert [r["message"] for r in data["privacy_requests"]] == ["¿Qué datos?"]
    assert [(m["kind"], m["saved"], m["hidden"]) for m in data["match_feedback"]] == [
        ("opening", True, False)
    ]
    actions = {event["action"] for event in data["audit_events"]}
    assert {"account.signup", "account.login", "consent.matching"} <= actions


def test_no_secret_and_nothing_private_of_anyone_else(app: Flask, client: FlaskClient) -> None:
    _world(app)
    response, data = _download(client)
    text = response.get_data(as_text=True)
    with app.app_context():
        me = db.session.scalar(select(User).where(User.email == "ana@example.org"))
        assert me.password_hash not in text
        assert "token_hash" not in text
    assert OTHER_EMAIL not in text
    assert OTHER_PHONE not in text
    # The other person's application is theirs; the message they sent me is mine to keep.
    assert text.count(OTHER_NOTE) == 1
    assert data["contact_requests"]["sent"][0]["other_party"] == "Otra Persona"


def test_the_download_is_audited(app: Flask, client: FlaskClient) -> None:
    ids = _world(app)
    _download(client)
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "privacy.data_downloaded")
        )
        assert event is not None
        assert (event.actor_id, event.target_id) == (ids["user_id"], ids["user_id"])


def test_the_account_page_offers_the_download(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        f.user("ana@example.org")
    client.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    body = client.get("/account").get_data(as_text=True)
    assert 'data-test="account-download-data"' in body
    assert 'href="/me/privacy/my-data.json"' in body
    assert 'data-test="account-delete-link"' in body


def test_a_person_without_a_profile_still_gets_their_account(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        f.user("ana@example.org")
        db.session.add(Membership(user=f.user("x@example.org"), organization=f.org()))
        db.session.commit()
    client.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    data = client.get("/me/privacy/my-data.json").get_json()
    assert data["profile"] is None
    assert data["memberships"] == []
    assert data["consents"]["current"]["contact"] == {"granted": False, "changed_at": None}
