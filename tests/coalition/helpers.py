"""Small helpers of the coalition tests."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from directory.extensions import db
from directory.models import AuditEvent, Notification
from directory.models.coalition import Consultation
from directory.services.coalition import answers

from ..conftest import PASSWORD


def login(app: Flask, email: str) -> FlaskClient:
    """A fresh client logged in as `email`."""
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, email
    return client


def audited(action: str) -> int:
    """How many audit events of this action exist."""
    return (
        db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        )
        or 0
    )


def notified(user_id: int, kind: str) -> list[Notification]:
    """The in-app notifications of one kind a person received."""
    rows = db.session.scalars(
        select(Notification).where(Notification.user_id == user_id, Notification.kind == kind)
    )
    return list(rows)


def answer(consultation: Consultation, user, **by_position: object) -> None:
    """Save a member's answers through the service (by question position, 1-based)."""
    form = MultiDict()
    for question in consultation.questions:
        value = by_position.get(f"q{question.position}")
        if value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            form.add(answers.name_of(question), str(item))
    answers.submit(consultation, user, form)
    db.session.commit()
