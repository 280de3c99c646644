"""The create-curator command."""

from __future__ import annotations

from sqlalchemy import select

from directory.extensions import db
from directory.models import AuditEvent, User

from .conftest import PASSWORD


def test_create_curator_prompts_for_a_password(app, runner, auth):
    result = runner.invoke(
        args=["create-curator", "Cura@Example.org"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert "cura@example.org is now a curator" in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "cura@example.org"))
        assert user.role == "curator"
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "curator.granted"))
    assert auth.login("cura@example.org").status_code == 302


def test_create_curator_promotes_an_existing_member(app, runner, make_user):
    make_user("ana@example.org")
    result = runner.invoke(args=["create-curator", "ana@example.org"])
    assert result.exit_code == 0
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ana@example.org"))
        assert user.role == "curator"


def test_create_curator_refuses_a_weak_password(app, runner):
    result = runner.invoke(args=["create-curator", "cura@example.org"], input="123\n123\n")
    assert result.exit_code != 0
    with app.app_context():
        assert db.session.scalar(select(User)) is None


def test_curator_role_cannot_be_granted_by_signing_up(app, client):
    client.post(
        "/signup",
        data={
            "email": "ana@example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
            "role": "curator",
        },
    )
    with app.app_context():
        assert db.session.scalar(select(User)).role == "member"
