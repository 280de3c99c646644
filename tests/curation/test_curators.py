"""Managing curators: grant by email, revoke, never the last one (curation, issue 5)."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from directory.extensions import db
from directory.models import AuditEvent, User

from .. import factories as f
from ..conftest import AuthActions


def _role(app: Flask, email: str) -> str:
    with app.app_context():
        return db.session.scalar(select(User.role).where(User.email == email))


def _id(app: Flask, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def _events(app: Flask, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.fixture
def curator(app: Flask, client: FlaskClient, auth: AuthActions) -> int:
    """A logged-in curator; returns the account's id."""
    with app.app_context():
        user_id = f.user("curator@example.org", role="curator").id
    auth.login("curator@example.org")
    return user_id


def test_the_list_shows_the_curators(app: Flask, client: FlaskClient, curator: int) -> None:
    with app.app_context():
        f.user("other@example.org", role="curator")
        f.user("member@example.org")
    html = client.get("/curation/curators").get_data(as_text=True)
    assert html.count('data-test="curator-row"') == 2
    assert "other@example.org" in html and "member@example.org" not in html


def test_granting_by_email_records_who_granted_whom(
    app: Flask, client: FlaskClient, auth: AuthActions, curator: int
) -> None:
    with app.app_context():
        f.user("nueva@example.org")
    response = client.post("/curation/curators", data={"email": "  Nueva@Example.org "})
    assert response.status_code == 302
    assert _role(app, "nueva@example.org") == "curator"
    [event] = _events(app, "curator.granted")
    assert event.actor_id == curator
    assert event.target_id == _id(app, "nueva@example.org")
    assert event.details["granted_by"] == curator
    # The new curator reaches the curation pages.
    auth.logout()
    auth.login("nueva@example.org")
    assert client.get("/curation/curators").status_code == 200


@pytest.mark.parametrize(
    "email", ["", "not-an-email", "nobody@example.org", "curator@example.org", "gone@example.org"]
)
def test_granting_refuses_with_a_form_error(
    app: Flask, client: FlaskClient, curator: int, email: str
) -> None:
    with app.app_context():
        f.user("gone@example.org", active=False)
    response = client.post("/curation/curators", data={"email": email})
    assert response.status_code == 200
    assert 'class="errors"' in response.get_data(as_text=True)
    assert _role(app, "gone@example.org") == "member"
    assert _events(app, "curator.granted") == []


def test_revoking_another_curator(app: Flask, client: FlaskClient, curator: int) -> None:
    with app.app_context():
        other = f.user("other@example.org", role="curator").id
    response = client.post(f"/curation/curators/{other}/revoke")
    assert response.headers["Location"].endswith("/curation/curators")
    assert _role(app, "other@example.org") == "member"
    [event] = _events(app, "curator.revoked")
    assert (event.actor_id, event.target_id) == (curator, other)
    assert event.details["own"] is False


def test_the_last_curator_cannot_be_revoked(app: Flask, client: FlaskClient, curator: int) -> None:
    html = client.get("/curation/curators").get_data(as_text=True)
    assert 'data-test="last-curator"' in html and 'data-test="revoke"' not in html
    response = client.post(f"/curation/curators/{curator}/revoke")
    assert response.status_code == 302
    assert _role(app, "curator@example.org") == "curator"
    assert _events(app, "curator.revoked") == []
    assert client.get("/curation/curators").status_code == 200


def test_a_deactivated_curator_does_not_count_as_remaining(
    app: Flask, client: FlaskClient, curator: int
) -> None:
    with app.app_context():
        asleep = f.user("asleep@example.org", role="curator", active=False).id
    client.post(f"/curation/curators/{curator}/revoke")
    assert _role(app, "curator@example.org") == "curator"
    # Revoking the deactivated one is fine: an active curator remains.
    client.post(f"/curation/curators/{asleep}/revoke")
    assert _role(app, "asleep@example.org") == "member"


def test_revoking_myself_when_another_remains(
    app: Flask, client: FlaskClient, curator: int
) -> None:
    with app.app_context():
        f.user("other@example.org", role="curator")
    response = client.post(f"/curation/curators/{curator}/revoke")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/")
    assert _role(app, "curator@example.org") == "member"
    [event] = _events(app, "curator.revoked")
    assert event.details["own"] is True
    assert client.get("/curation/curators").status_code == 403


def test_revoking_a_member_or_nobody(app: Flask, client: FlaskClient, curator: int) -> None:
    with app.app_context():
        member = f.user("member@example.org").id
    client.post(f"/curation/curators/{member}/revoke")
    assert _role(app, "member@example.org") == "member"
    assert _events(app, "curator.revoked") == []
    assert client.post("/curation/curators/999999/revoke").status_code == 404
