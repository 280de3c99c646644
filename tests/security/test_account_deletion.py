"""SECURITY.md row 30 (ARCO cancellation): deleting an account removes its rows, sessions
and vectors, and no page, search, match, export or API answer returns it afterwards."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import String, cast, func, select

from directory.extensions import db
from directory.matching import service
from directory.matching.engine import Engine
from directory.models import (
    Application,
    AuditEvent,
    Claim,
    ContactRequest,
    Embedding,
    Invitation,
    LoginSession,
    Membership,
    Organization,
    PrivacyRequest,
    Profile,
    Proposal,
    Report,
    User,
)
from directory.models.match_feedback import MatchFeedback, ProposalInvitation
from directory.services import members

from .. import factories as f
from ..conftest import PASSWORD
from ..matching.conftest import FAKE_MODEL
from ..matching.conftest import fake_matching as use_fake_matching

EMAIL = "ana.borrame@example.org"
NAME = "Anastasia Borrable Quetzal"


@pytest.fixture
def fake_matching(app: Flask) -> Iterator[Engine]:
    """Matching on the deterministic fake embedder (no model load)."""
    with use_fake_matching(app) as engine:
        yield engine


def _world(app: Flask) -> dict[str, Any]:
    """Ana, with a public profile and a record of every kind, among other people's records."""
    with app.app_context():
        ana = f.user(EMAIL)
        profile = f.profile(ana, full_name=NAME, headline="Visión por computadora en Oaxaca")
        other = f.user("otro@example.org")
        f.profile(other, full_name="Otro Perfil")
        their_org = f.org(other, name="Org de otro")
        f.org(other, name="Org compartida", editors=(ana,))
        opening = f.opening(their_org, title="Vacante abierta")
        challenge = f.challenge(f.org(other, kind="government_agency"), title="Reto abierto")
        invitation, _token = members.invite_editor(their_org, EMAIL, actor=other)
        db.session.add_all(
            [
                Application(opening=opening, user=ana, message="Postulo"),
                Proposal(challenge=challenge, user=ana, message="Propongo"),
                ContactRequest(sender=ana, recipient=other, message="Hola"),
                ContactRequest(sender=other, recipient=ana, message="Hola Ana"),
                Claim(organization=their_org, user=ana, message="Es mía"),
                Report(reporter_id=ana.id, target_kind="opening", target_id=opening.id),
                PrivacyRequest(user_id=ana.id, email=EMAIL, kind="access", message=NAME),
                MatchFeedback(user_id=ana.id, kind="opening", record_id=opening.id, saved=True),
                ProposalInvitation(
                    challenge_id=challenge.id, invitee_kind="profile", invitee_id=profile.id
                ),
            ]
        )
        opening.created_by_id = ana.id
        db.session.commit()
        return {"user_id": ana.id, "profile_id": profile.id, "opening_id": opening.id}


def _login(client: FlaskClient, email: str = EMAIL) -> None:
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302


def _delete(client: FlaskClient, password: str = PASSWORD, confirm: bool = True) -> Any:
    data = {"password": password}
    if confirm:
        data["confirm"] = "y"
    return client.post("/me/privacy/delete", data=data)


def _count(model: Any, *where: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_deleting_removes_every_row_of_mine(app: Flask, client: FlaskClient) -> None:
    ids = _world(app)
    _login(client)
    response = _delete(client)
    assert response.status_code == 302
    uid, pid = ids["user_id"], ids["profile_id"]
    with app.app_context():
        assert db.session.get(User, uid) is None
        assert db.session.get(Profile, pid) is None
        assert _count(LoginSession, LoginSession.user_id == uid) == 0
        assert _count(Embedding, Embedding.kind == "profile", Embedding.record_id == pid) == 0
        assert _count(Application, Application.user_id == uid) == 0
        assert _count(Proposal, Proposal.user_id == uid) == 0
        assert _count(Claim, Claim.user_id == uid) == 0
        assert _count(Membership, Membership.user_id == uid) == 0
        assert _count(ContactRequest) == 0  # both directions
        assert _count(Invitation, func.lower(Invitation.email) == EMAIL) == 0
        assert _count(MatchFeedback) == 0 and _count(ProposalInvitation) == 0
        # What stays is about listings or the law, without the person.
        report = db.session.scalar(select(Report))
        assert report is not None and report.reporter_id is None
        # Organisations she only edited stay, with their owner.
        assert _count(Organization, Organization.name == "Org compartida") == 1
        request = db.session.scalar(select(PrivacyRequest))
        assert (request.user_id, request.email, request.message) == (None, "", "")
        assert request.status == "answered"
        # Other people's records are untouched.
        assert _count(User) == 1
        assert _count(Profile) == 1


def test_the_audit_trail_keeps_no_personal_data(app: Flask, client: FlaskClient) -> None:
    ids = _world(app)
    _login(client)
    _delete(client)
    with app.app_context():
        assert _count(AuditEvent, AuditEvent.actor_id == ids["user_id"]) == 0
        text = " ".join(db.session.scalars(select(cast(AuditEvent.details, String))).all()).lower()
        assert EMAIL not in text
        deleted = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "account.deleted")
        )
        assert deleted is not None
        assert deleted.actor_id is None and deleted.ip == ""
        assert deleted.target_id == ids["user_id"]
        # Ana's own events survive, but without her IP.
        signups = list(
            db.session.scalars(
                select(AuditEvent).where(
                    AuditEvent.action == "account.signup", AuditEvent.target_id == ids["user_id"]
                )
            )
        )
        assert signups and all(e.ip == "" and e.actor_id is None for e in signups)


def test_a_saved_session_dies_and_the_password_no_longer_opens_anything(
    app: Flask, client: FlaskClient
) -> None:
    _world(app)
    _login(client)
    other_browser = app.test_client()
    _login(other_browser)
    _delete(client)
    assert client.get("/account").status_code == 302  # logged out here
    assert other_browser.get("/account").status_code == 302  # and in every other browser
    response = client.post("/login", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 200  # the form again, with the usual error
    with app.app_context():
        outbox = app.extensions.get("outbox", [])
        assert outbox and outbox[-1]["To"] == EMAIL  # told that the account is gone


def test_no_page_search_or_api_answer_shows_the_person_afterwards(
    app: Flask, client: FlaskClient, fake_matching: Engine
) -> None:
    ids = _world(app)
    anonymous = app.test_client()
    profile_url = f"/people/{ids['profile_id']}"
    with app.app_context():
        service.sync()
        assert ids["profile_id"] in fake_matching.kinds["profile"].dense[FAKE_MODEL].ids()
    # Searched by her surname, so the query echoed on the page is not her full name.
    pages = ("/directory?q=Borrable", "/directory", "/search?q=Borrable", "/")
    for url in (profile_url, *pages[:3]):
        assert NAME in anonymous.get(url).get_data(as_text=True), url  # shown before
    api_before = anonymous.get("/api/v1/search", query_string={"q": "Borrable"})
    assert any(r["id"] == ids["profile_id"] for r in api_before.get_json()["results"])

    _login(client)
    _delete(client)

    assert anonymous.get(profile_url).status_code == 404
    for url in pages:
        body = anonymous.get(url).get_data(as_text=True)
        assert NAME not in body, url
    api_after = anonymous.get("/api/v1/search", query_string={"q": "Borrable"})
    assert api_after.status_code == 200
    assert NAME not in api_after.get_data(as_text=True)
    profiles_found = [r["id"] for r in api_after.get_json()["results"] if r["kind"] == "profile"]
    assert ids["profile_id"] not in profiles_found
    with app.app_context():
        # The FAISS index forgets the vector at the next sync, not just the re-check.
        service.sync()
        assert ids["profile_id"] not in fake_matching.kinds["profile"].dense[FAKE_MODEL].ids()


def test_candidates_of_an_opening_no_longer_include_the_person(
    app: Flask, client: FlaskClient, fake_matching: Engine
) -> None:
    ids = _world(app)
    with app.app_context():
        from directory.models import Opening

        opening = db.session.get(Opening, ids["opening_id"])
        owner = opening.organization.memberships[0].user
        before = [record.id for _m, record in service.for_opening(opening, owner)]
        assert ids["profile_id"] in before
    _login(client)
    _delete(client)
    with app.app_context():
        opening = db.session.get(Opening, ids["opening_id"])
        owner = opening.organization.memberships[0].user
        after = [record.id for _m, record in service.for_opening(opening, owner)]
        assert ids["profile_id"] not in after


def test_the_export_command_no_longer_contains_the_person(app: Flask, client: FlaskClient) -> None:
    _world(app)
    runner = app.test_cli_runner()
    before = runner.invoke(args=["export", "--with-emails"])
    assert NAME in before.output and EMAIL in before.output
    _login(client)
    _delete(client)
    after = runner.invoke(args=["export", "--with-emails"])
    assert after.exit_code == 0
    assert NAME not in after.output
    assert EMAIL not in after.output
    assert all(json.loads(line) for line in after.output.splitlines() if line.startswith("{"))


@pytest.mark.parametrize(
    ("password", "confirm"), [("wrong password here", True), (PASSWORD, False), ("", True)]
)
def test_without_the_password_and_the_tick_nothing_is_deleted(
    app: Flask, client: FlaskClient, password: str, confirm: bool
) -> None:
    ids = _world(app)
    _login(client)
    response = _delete(client, password, confirm)
    assert response.status_code == 200
    assert 'class="errors"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, ids["user_id"]) is not None
        assert _count(AuditEvent, AuditEvent.action == "account.deleted") == 0
    assert client.get("/account").status_code == 200


def test_the_last_owner_of_an_organisation_is_told_what_to_do(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        ana = f.user(EMAIL)
        f.org(ana, name="Solo Mía SA")
        f.org(ana, name="Compartida", editors=(f.user("ed@example.org"),))
        co_owned = f.org(ana, name="Con dos dueñas")
        db.session.add(
            Membership(user=f.user("b@example.org"), organization=co_owned, role="owner")
        )
        db.session.commit()
    _login(client)
    page = client.get("/me/privacy/delete").get_data(as_text=True)
    assert 'data-test="delete-blocked" data-reason="last_owner"' in page
    assert page.count('data-test="blocking-org"') == 2  # not the co-owned one
    assert "Solo Mía SA" in page and "Compartida" in page
    assert 'data-test="delete-account-form"' not in page
    _delete(client)
    with app.app_context():
        assert _count(User, User.email == EMAIL) == 1


def test_the_last_curator_cannot_delete_their_account(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        f.user(EMAIL, role="curator")
    _login(client)
    page = client.get("/me/privacy/delete").get_data(as_text=True)
    assert 'data-reason="last_curator"' in page
    _delete(client)
    with app.app_context():
        assert _count(User, User.email == EMAIL) == 1
        f.user("second@example.org", role="curator")
    _delete(client)
    with app.app_context():
        assert _count(User, User.email == EMAIL) == 0


def test_deletion_needs_csrf(app: Flask, client: FlaskClient, csrf_on: None) -> None:
    with app.app_context():
        f.user(EMAIL)
    from ..conftest import csrf_token_from

    login_page = client.get("/login").get_data(as_text=True)
    client.post(
        "/login",
        data={"email": EMAIL, "password": PASSWORD, "csrf_token": csrf_token_from(login_page)},
    )
    response = _delete(client)
    assert response.status_code in (200, 400)
    with app.app_context():
        assert _count(User, User.email == EMAIL) == 1
