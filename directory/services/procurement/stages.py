"""A challenge's way through discovery → prototype → pilot → scale, as a timeline.

An editor of the posting organisation moves a public challenge to another stage with a
note; each move is a row of the timeline and an audit event, and followers and proposers
hear of it. The stage a challenge was posted at opens the timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ... import permissions, vocab
from ...extensions import db
from ...models import Challenge, User
from ...models.procurement import StageChange
from .. import audit, notifications
from ..notifications import kinds
from ..orgs import InvalidInput
from .common import checked_text, is_listed
from .following import audience

MAX_NOTE = 2000


def can_move(viewer: Any, challenge: Challenge) -> bool:
    """The posting organisation's editors move a public challenge's stage."""
    return permissions.can_edit_post(viewer, challenge) and is_listed(challenge)


def move_stage(
    challenge: Challenge, stage: str | None, note: str | None, *, actor: User, ip: str = ""
) -> StageChange:
    """Move the challenge to another stage with a note; audited, followers told."""
    if not can_move(actor, challenge):
        raise InvalidInput(
            "stage", _l("Only the organisation's editors move a published challenge.")
        )
    if stage not in vocab.STAGES:
        raise InvalidInput("stage", _l("Not a valid choice."))
    if stage == challenge.stage:
        raise InvalidInput("stage", _l("The challenge is already at this stage."))
    text = checked_text("note", note, MAX_NOTE)
    change = StageChange(
        challenge_id=challenge.id,
        from_stage=challenge.stage,
        to_stage=stage,
        note=text,
        actor_id=actor.id,
    )
    challenge.stage = stage
    db.session.add(change)
    db.session.flush()
    audit.record("challenge.stage_moved", actor=actor, target_kind="challenge",
                 target_id=challenge.id, ip=ip, from_stage=change.from_stage,
                 to_stage=stage, stage_change_id=change.id)  # fmt: skip
    link = url_for("public.challenge", challenge_id=challenge.id, _anchor="timeline")
    for person in audience(challenge):
        notifications.notify(
            person,
            kinds.CHALLENGE_NEWS,
            record=challenge,
            params={"action": "stage", "stage": stage},
            link=link,
        )
    return change


def record_edit(challenge: Challenge, before: str, *, actor: User, ip: str = "") -> None:
    """Put a stage changed through the edit form of a public challenge on its timeline."""
    if challenge.stage == before or not is_listed(challenge):
        return
    change = StageChange(challenge_id=challenge.id, from_stage=before, to_stage=challenge.stage,
                         note="", actor_id=actor.id)  # fmt: skip
    db.session.add(change)
    db.session.flush()
    audit.record("challenge.stage_moved", actor=actor, target_kind="challenge",
                 target_id=challenge.id, ip=ip, from_stage=before, to_stage=challenge.stage,
                 stage_change_id=change.id, via="edit")  # fmt: skip


@dataclass(frozen=True)
class Step:
    """One line of the timeline: when, which stage (from which), and the note."""

    at: datetime | None
    stage: str
    from_stage: str | None
    note: str


def timeline(challenge: Challenge) -> list[Step]:
    """The stage the challenge was posted at, then every move, oldest first."""
    changes = list(
        db.session.scalars(
            select(StageChange)
            .where(StageChange.challenge_id == challenge.id)
            .order_by(StageChange.created_at, StageChange.id)
        )
    )
    first = changes[0].from_stage if changes else challenge.stage
    steps = [Step(challenge.published_at or challenge.created_at, first, None, "")]
    steps += [Step(c.created_at, c.to_stage, c.from_stage, c.note) for c in changes]
    if steps[-1].stage != challenge.stage:
        # Moved without a row (an edit a curator accepted later): the timeline still ends
        # where the challenge is.
        steps.append(Step(challenge.updated_at, challenge.stage, steps[-1].stage, ""))
    return steps
