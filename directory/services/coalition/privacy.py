"""What the coalition keeps about a person, for "download my data" and account deletion.

Not wired in by this package: services/data_export.py and services/account_deletion.py
call these (the rows also go by the database's ON DELETE CASCADE).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from ...extensions import db
from ...models import User
from ...models.coalition import (
    CoalitionNotice,
    ConsultationResponse,
    GroupCoordinator,
    GroupMember,
)


def export_for(user: User) -> dict[str, Any]:
    """The person's own working-group requests, coordinator roles and consultation answers."""
    responses = db.session.scalars(
        select(ConsultationResponse).where(ConsultationResponse.user_id == user.id)
    )
    groups = db.session.scalars(select(GroupMember).where(GroupMember.user_id == user.id))
    coordinating = db.session.scalars(
        select(GroupCoordinator).where(GroupCoordinator.user_id == user.id)
    )
    return {
        "working_groups": [
            {"group_id": r.group_id, "status": r.status, "message": r.message,
             "requested_at": r.requested_at.isoformat()}
            for r in groups
        ],
        "coordinating": [c.group_id for c in coordinating],
        "consultation_answers": [
            {
                "consultation_id": r.consultation_id,
                "updated_at": r.updated_at.isoformat(),
                "answers": [
                    {"question_id": a.question_id, "choices": a.choices, "scale": a.scale,
                     "text": a.text}
                    for a in r.answers
                ],
            }
            for r in responses
        ],
    }  # fmt: skip


def delete_for(user: User) -> None:
    """Remove the person's coalition rows (never commits)."""
    for model in (ConsultationResponse, GroupMember, GroupCoordinator, CoalitionNotice):
        db.session.execute(delete(model).where(model.user_id == user.id))
