"""ARCO requests: people file them from their session, curators answer within 20 business
days (overdue ones stand out), each answer is mailed and audited, and a cancellation can
be carried out from the request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import AuditEvent, Membership, Organization, PrivacyRequest, User, utcnow
from directory.services import privacy

from .. import factories as f
from ..conftest import PASSWORD

PERSON = "persona@example.org"
CURATOR = "curadora@example.org"


def _login(client: FlaskClient, email: str) -> None:
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302


@pytest.fixture
def people(app: Flask) -> dict[str, int]:
    with app.app_context():
        person = f.user(PERSON, locale="en")
        f.profile(person, full_name="Persona Solicitante")
        curator = f.user(CURATOR, role="curator")
        return {"person": person.id, "curator": curator.id}


def _file(client: FlaskClient, kind: str = "access", message: str = "¿Qué datos tienen?") -> int:
    return client.post("/me/privacy/requests", data={"kind": kind, "message": message}).status_code


def _event(action: str) -> AuditEvent | None:
    return db.session.scalar(select(AuditEvent).where(AuditEvent.action == action))


def test_a_person_files_a_request_and_sees_it_with_its_deadline(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    _login(client, PERSON)
    assert _file(client, "opposition", "No quiero emparejamiento automático") == 302
    page = client.get("/me/privacy").get_data(as_text=True)
    assert 'data-test="arco-status" data-status="open"' in page
    with app.app_context():
        request = db.session.scalar(select(PrivacyRequest))
        assert (request.user_id, request.kind, request.email) == (
            people["person"],
            "opposition",
            PERSON,
        )
        event = _event("privacy.request_filed")
        assert event.actor_id == people["person"] and event.target_id == request.id


@pytest.mark.parametrize(
    "data", [{"kind": "delete-everything", "message": "x"}, {"kind": "access", "message": "  "}, {}]
)
def test_bad_requests_are_refused_with_a_message(
    app: Flask, client: FlaskClient, people: dict[str, int], data: dict[str, str]
) -> None:
    _login(client, PERSON)
    response = client.post("/me/privacy/requests", data=data)
    assert response.status_code == 400
    assert 'class="errors"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(PrivacyRequest.id))) == 0


def test_open_requests_are_capped(app: Flask, client: FlaskClient, people: dict[str, int]) -> None:
    _login(client, PERSON)
    for _ in range(privacy.MAX_OPEN_REQUESTS):
        assert _file(client) == 302
    assert _file(client) == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(PrivacyRequest.id))) == privacy.MAX_OPEN_REQUESTS


def test_only_logged_in_people_file_requests(client: FlaskClient) -> None:
    response = client.post("/me/privacy/requests", data={"kind": "access", "message": "x"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_twenty_business_days_skip_weekends() -> None:
    friday = datetime(2025, 6, 6, 12, tzinfo=UTC)
    assert privacy.add_business_days(friday, 1).weekday() == 0  # the Monday after
    monday = datetime(2025, 6, 2, 12, tzinfo=UTC)
    assert privacy.add_business_days(monday, 20) == monday + timedelta(days=28)


def test_curators_see_open_requests_oldest_first_with_overdue_flagged(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    with app.app_context():
        now = utcnow()
        old = PrivacyRequest(
            user_id=people["person"], email=PERSON, kind="access", message="viejo",
            created_at=now - timedelta(days=40),
        )  # fmt: skip
        new = PrivacyRequest(
            user_id=people["person"], email=PERSON, kind="cancellation", message="nuevo"
        )
        db.session.add_all([new, old])
        db.session.commit()
        old_id, new_id = old.id, new.id
    _login(client, CURATOR)
    page = client.get("/curation/privacy")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert body.index(f'data-test="arco-row-{old_id}"') < body.index(
        f'data-test="arco-row-{new_id}"'
    )
    assert f'data-test="arco-row-{old_id}" data-overdue="yes"' in body
    assert f'data-test="arco-row-{new_id}" data-overdue="no"' in body
    assert 'data-test="curation-nav"' in body and "/curation/privacy" in body


def test_an_answer_is_saved_mailed_audited_and_shown_to_the_person(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    person = app.test_client()
    _login(person, PERSON)
    _file(person)
    with app.app_context():
        request_id = db.session.scalar(select(PrivacyRequest.id))
    _login(client, CURATOR)
    detail = client.get(f"/curation/privacy/{request_id}")
    assert PERSON in detail.get_data(as_text=True)  # curators see whose request it is
    response = client.post(
        f"/curation/privacy/{request_id}/answer",
        data={"status": "answered", "response": "Te enviamos tus datos adjuntos."},
    )
    assert response.status_code == 302
    with app.app_context():
        request = db.session.get(PrivacyRequest, request_id)
        assert request.status == "answered"
        assert request.decided_by_id == people["curator"] and request.decided_at is not None
        event = _event("privacy.request_answered")
        assert event.actor_id == people["curator"] and event.details["status"] == "answered"
    mail = app.extensions["outbox"][-1]
    assert mail["To"] == PERSON
    assert "Te enviamos tus datos adjuntos." in mail.get_content()
    page = person.get("/me/privacy").get_data(as_text=True)
    assert 'data-status="answered"' in page and "Te enviamos tus datos adjuntos." in page
    # Once answered, it cannot be answered again.
    again = client.post(
        f"/curation/privacy/{request_id}/answer",
        data={"status": "refused", "response": "Otra respuesta distinta"},
    )
    assert again.status_code == 400
    with app.app_context():
        assert db.session.get(PrivacyRequest, request_id).status == "answered"


@pytest.mark.parametrize(
    "data", [{"status": "answered", "response": "corta"}, {"status": "maybe", "response": "x" * 20}]
)
def test_a_bad_answer_changes_nothing(
    app: Flask, client: FlaskClient, people: dict[str, int], data: dict[str, str]
) -> None:
    with app.app_context():
        db.session.add(PrivacyRequest(user_id=people["person"], email=PERSON, kind="access"))
        db.session.commit()
        request_id = db.session.scalar(select(PrivacyRequest.id))
    _login(client, CURATOR)
    assert client.post(f"/curation/privacy/{request_id}/answer", data=data).status_code == 400
    with app.app_context():
        assert db.session.get(PrivacyRequest, request_id).status == "open"
    assert app.extensions.get("outbox", []) == []


def test_a_cancellation_request_is_carried_out_by_the_curator(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    with app.app_context():
        person = db.session.get(User, people["person"])
        f.org(person, name="Org sin otra dueña")
        db.session.add(
            PrivacyRequest(user_id=person.id, email=PERSON, kind="cancellation", message="Bórrenme")
        )
        db.session.commit()
        request_id = db.session.scalar(select(PrivacyRequest.id))
    _login(client, CURATOR)
    detail = client.get(f"/curation/privacy/{request_id}").get_data(as_text=True)
    assert 'data-test="arco-orphaned"' in detail  # the curator is told what is left ownerless
    refused = client.post(
        f"/curation/privacy/{request_id}/delete-account", data={"response": "Cuenta eliminada."}
    )
    assert refused.status_code == 400  # not confirmed
    with app.app_context():
        assert db.session.get(User, people["person"]) is not None
    response = client.post(
        f"/curation/privacy/{request_id}/delete-account",
        data={"response": "Eliminamos tu cuenta y tus datos.", "confirm": "y"},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, people["person"]) is None
        request = db.session.get(PrivacyRequest, request_id)
        assert (request.status, request.user_id, request.email) == ("answered", None, "")
        assert request.response == "Eliminamos tu cuenta y tus datos."
        deleted = _event("account.deleted")
        assert deleted.actor_id == people["curator"] and deleted.target_id == people["person"]
        org = db.session.scalar(
            select(Organization).where(Organization.name == "Org sin otra dueña")
        )
        assert org is not None
        assert db.session.scalar(select(func.count(Membership.id))) == 0
    mail = app.extensions["outbox"][-1]
    assert mail["To"] == PERSON and "Eliminamos tu cuenta" in mail.get_content()


def test_only_cancellation_requests_delete_accounts(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    with app.app_context():
        db.session.add(PrivacyRequest(user_id=people["person"], email=PERSON, kind="access"))
        db.session.commit()
        request_id = db.session.scalar(select(PrivacyRequest.id))
    _login(client, CURATOR)
    response = client.post(
        f"/curation/privacy/{request_id}/delete-account",
        data={"response": "Eliminamos tu cuenta.", "confirm": "y"},
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, people["person"]) is not None
        assert db.session.get(PrivacyRequest, request_id).status == "open"


def test_unknown_requests_are_404_for_curators(client: FlaskClient, people: dict[str, int]) -> None:
    _login(client, CURATOR)
    assert client.get("/curation/privacy/999").status_code == 404
    assert client.post("/curation/privacy/999/answer", data={}).status_code == 404


def test_control_characters_are_dropped_not_a_server_error(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    _login(client, PERSON)
    assert _file(client, "rectification", "Corrijan\x00 mi\x07 ciudad\nPor favor") == 302
    with app.app_context():
        assert db.session.scalar(select(PrivacyRequest.message)) == "Corrijan mi ciudad\nPor favor"
