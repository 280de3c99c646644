"""Working groups: curators create and edit them and name their coordinators.

A draft group is seen by curators only; a published one is public and takes requests to
join; an archived one stays readable but takes none.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ... import permissions
from ...extensions import db
from ...models import User
from ...models.coalition import GroupCoordinator, GroupStatus, WorkingGroup
from .. import audit
from ..accounts import find_user
from .common import InvalidInput, checked_text

MAX_NAME = 200
MAX_DESCRIPTION = 10_000
MAX_COORDINATORS = 10
FIELDS = ("name_es", "name_en", "description_es", "description_en", "status")


def can_view_group(viewer: Any, group: WorkingGroup) -> bool:
    """Published and archived groups are public; drafts are for curators."""
    return group.status != GroupStatus.DRAFT or permissions.is_curator(viewer)


def takes_members(group: WorkingGroup) -> bool:
    """Only a published group takes requests to join."""
    return group.status == GroupStatus.PUBLISHED


def is_coordinator(viewer: Any, group: WorkingGroup) -> bool:
    """Whether the viewer is one of the group's coordinators."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    return any(c.user_id == viewer.id for c in group.coordinators)


def can_coordinate(viewer: Any, group: WorkingGroup) -> bool:
    """Coordinators (and curators, who name them) decide requests and add meetings."""
    return is_coordinator(viewer, group) or permissions.is_curator(viewer)


def listed_groups() -> list[WorkingGroup]:
    """Public groups: published first, then archived, each by Spanish name."""
    rows = db.session.scalars(
        select(WorkingGroup)
        .where(WorkingGroup.status != GroupStatus.DRAFT)
        .order_by(WorkingGroup.status.desc(), WorkingGroup.name_es, WorkingGroup.id)
    )
    return list(rows)


def all_groups() -> list[WorkingGroup]:
    """Every group, for curators."""
    return list(db.session.scalars(select(WorkingGroup).order_by(WorkingGroup.id)))


def coordinated_by(user: Any) -> list[WorkingGroup]:
    """The visible groups this person coordinates."""
    if not getattr(user, "is_authenticated", False):
        return []
    rows = db.session.scalars(
        select(WorkingGroup)
        .join(GroupCoordinator, GroupCoordinator.group_id == WorkingGroup.id)
        .where(GroupCoordinator.user_id == user.id, WorkingGroup.status != GroupStatus.DRAFT)
        .order_by(WorkingGroup.id)
    )
    return list(rows)


def _values(data: Mapping[str, Any]) -> dict[str, str]:
    values = {
        "name_es": checked_text("name_es", data.get("name_es"), MAX_NAME),
        "name_en": checked_text("name_en", data.get("name_en"), MAX_NAME),
        "description_es": checked_text(
            "description_es", data.get("description_es"), MAX_DESCRIPTION, required=False
        ),
        "description_en": checked_text(
            "description_en", data.get("description_en"), MAX_DESCRIPTION, required=False
        ),
    }
    status = data.get("status") or GroupStatus.DRAFT
    if status not in GroupStatus.ALL:
        raise InvalidInput("status", _l("Choose a status."))
    values["status"] = status
    return values


def _check_curator(actor: Any) -> None:
    if not permissions.is_curator(actor):
        raise InvalidInput("name_es", _l("Only curators manage working groups."))


def create_group(data: Mapping[str, Any], *, actor: User, ip: str = "") -> WorkingGroup:
    """A curator creates a working group (a draft unless told otherwise)."""
    _check_curator(actor)
    group = WorkingGroup(**_values(data), created_by_id=actor.id)
    db.session.add(group)
    db.session.flush()
    audit.record("group.created", actor=actor, target_kind="working_group", target_id=group.id,
                 ip=ip, status=group.status)  # fmt: skip
    return group


def update_group(
    group: WorkingGroup, data: Mapping[str, Any], *, actor: User, ip: str = ""
) -> list[str]:
    """A curator edits a group's names, descriptions or status; returns what changed."""
    _check_curator(actor)
    values = _values(data)
    changed = [name for name in FIELDS if getattr(group, name) != values[name]]
    for name in changed:
        setattr(group, name, values[name])
    if changed:
        db.session.flush()
        audit.record("group.updated", actor=actor, target_kind="working_group",
                     target_id=group.id, ip=ip, fields=changed)  # fmt: skip
    return changed


def name_coordinator(group: WorkingGroup, email: Any, *, actor: User, ip: str = "") -> User:
    """A curator names the holder of an account (by its e-mail) as a coordinator."""
    _check_curator(actor)
    person = find_user(str(email or "")[:254]) if email else None
    if person is None or not person.active or person.awaiting_confirmation:
        raise InvalidInput("email", _l("No active account uses this e-mail address."))
    if any(c.user_id == person.id for c in group.coordinators):
        raise InvalidInput("email", _l("This person already coordinates the group."))
    if len(group.coordinators) >= MAX_COORDINATORS:
        raise InvalidInput(
            "email", _l("A group can have at most %(max)d coordinators.", max=MAX_COORDINATORS)
        )
    group.coordinators.append(GroupCoordinator(user_id=person.id, named_by_id=actor.id))
    try:
        db.session.flush()
    except IntegrityError as exc:  # two curators naming the same person at once
        db.session.rollback()
        raise InvalidInput("email", _l("This person already coordinates the group.")) from exc
    audit.record("group.coordinator_named", actor=actor, target_kind="working_group",
                 target_id=group.id, ip=ip, user_id=person.id)  # fmt: skip
    return person


def remove_coordinator(coordinator: GroupCoordinator, *, actor: User, ip: str = "") -> None:
    """A curator takes a coordinator off a group."""
    _check_curator(actor)
    group, user_id = coordinator.group, coordinator.user_id
    group.coordinators.remove(coordinator)
    db.session.flush()
    audit.record("group.coordinator_removed", actor=actor, target_kind="working_group",
                 target_id=group.id, ip=ip, user_id=user_id)  # fmt: skip
