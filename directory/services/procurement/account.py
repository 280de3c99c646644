"""A person's procurement records for ARCO rights: what "download my data" holds of them
and what deleting the account removes (services/data_export.py and account_deletion.py
call these)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update

from ...extensions import db
from ...models import User
from ...models.procurement import (
    ChallengeFollower,
    ChallengeOutcome,
    ChallengeQuestion,
    InnovationUnit,
    StageChange,
    UnitMember,
)


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export(user: User) -> dict[str, Any]:
    """The person's questions (with answers), follows and unit memberships."""
    questions = db.session.scalars(
        select(ChallengeQuestion)
        .where(ChallengeQuestion.asker_id == user.id)
        .order_by(ChallengeQuestion.id)
    )
    follows = db.session.scalars(
        select(ChallengeFollower)
        .where(ChallengeFollower.user_id == user.id)
        .order_by(ChallengeFollower.id)
    )
    units = db.session.scalars(
        select(UnitMember).where(UnitMember.user_id == user.id).order_by(UnitMember.id)
    )
    return {
        "challenge_questions": [
            {
                "challenge_id": q.challenge_id,
                "question": q.body,
                "public": q.public,
                "asked_at": _when(q.created_at),
                "answer": q.answer,
                "answered_at": _when(q.answered_at),
                "hidden": q.hidden_at is not None,
            }
            for q in questions
        ],
        "challenges_followed": [
            {"challenge_id": f.challenge_id, "since": _when(f.created_at)} for f in follows
        ],
        "innovation_units": [
            {
                "unit_id": m.unit_id,
                "unit": m.unit.name,
                "status": m.status,
                "invited_at": _when(m.invited_at),
                "accepted_at": _when(m.accepted_at),
            }
            for m in units
        ],
    }


def delete_for(user_id: int) -> None:
    """Remove the person's questions, follows and unit places; keep others' records
    without their name (explicitly, not trusting ON DELETE alone)."""
    for model, column in (
        (ChallengeQuestion, ChallengeQuestion.asker_id),
        (ChallengeFollower, ChallengeFollower.user_id),
        (UnitMember, UnitMember.user_id),
    ):
        db.session.execute(delete(model).where(column == user_id))
    for column in (
        ChallengeQuestion.answered_by_id,
        ChallengeQuestion.hidden_by_id,
        UnitMember.invited_by_id,
        InnovationUnit.created_by_id,
        StageChange.actor_id,
        ChallengeOutcome.decided_by_id,
    ):
        db.session.execute(
            update(column.class_)
            .where(column == user_id)
            .values({column.key: None})
            .execution_options(synchronize_session=False)
        )
