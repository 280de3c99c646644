"""ARCO for the coalition: a person's own rows can be exported and go with their account;
what stays (counts of a consultation, an organisation's membership) names nobody."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import User
from directory.models.coalition import (
    ConsultationAnswer,
    ConsultationResponse,
    GroupCoordinator,
    GroupMember,
)
from directory.services import account_deletion
from directory.services.coalition import privacy

from .. import factories as f
from .helpers import answer


def _count(model: type, *where: object) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_a_person_exports_and_deleting_the_account_removes_their_coalition_rows(
    app: Flask,
) -> None:
    with app.app_context():
        ana = f.user("ana@example.org")
        f.profile(ana)
        other = f.user("otra@example.org")
        record = f.consultation()
        answer(record, ana, q1=1, q4="Mi propuesta")
        answer(record, other, q1=0)
        group = f.working_group(coordinators=(ana,))
        group.members.append(GroupMember(user_id=ana.id, status="active", message="Hola"))
        db.session.commit()
        exported = privacy.export_for(ana)
        assert exported["coordinating"] == [group.id]
        assert exported["working_groups"][0]["message"] == "Hola"
        (mine,) = exported["consultation_answers"]
        texts = [a["text"] for a in mine["answers"]]
        assert "Mi propuesta" in texts and len(mine["answers"]) == 2
        account_deletion.delete_account(ana, actor=None)
        db.session.commit()
        assert db.session.get(User, ana.id) is None
        assert _count(ConsultationResponse) == 1  # the other person's
        assert _count(ConsultationAnswer) == 1
        assert _count(GroupMember) == 0 and _count(GroupCoordinator) == 0


def test_delete_for_removes_the_rows_without_the_account(app: Flask) -> None:
    with app.app_context():
        ana = f.user("ana@example.org")
        record = f.consultation()
        answer(record, ana, q1=1)
        privacy.delete_for(ana)
        db.session.commit()
        assert _count(ConsultationResponse) == 0 and _count(ConsultationAnswer) == 0
        assert db.session.get(User, ana.id) is not None
