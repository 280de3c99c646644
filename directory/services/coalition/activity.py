"""A working group's meetings and published documents, added by its coordinators.

Each new one is told to the group (its people, the owners of its organisations and its
coordinators) by a background job (announce.py), so a large group never slows the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...extensions import db
from ...jobs import enqueue
from ...models import User, utcnow
from ...models.coalition import GroupMeeting, GroupOutput, WorkingGroup
from .. import audit
from .announce import tell
from .common import InvalidInput, checked_text, checked_url
from .groups import can_coordinate

MAX_PLACE = 300
MAX_AGENDA = 10_000
MAX_TITLE = 300
PAST_SHOWN = 20


def _check(group: WorkingGroup, actor: Any, field: str) -> None:
    if not can_coordinate(actor, group):
        raise InvalidInput(field, _l("Only the group's coordinators add meetings and documents."))


def add_meeting(
    group: WorkingGroup, data: Mapping[str, Any], *, actor: User, ip: str = ""
) -> GroupMeeting:
    """A coordinator adds a meeting (an aware start time, a place or a link, an agenda)."""
    _check(group, actor, "starts_at")
    starts_at = data.get("starts_at")
    if not isinstance(starts_at, datetime) or starts_at.tzinfo is None:
        raise InvalidInput("starts_at", _l("Enter the date and time of the meeting."))
    if not 2000 <= starts_at.year <= 2100:
        raise InvalidInput("starts_at", _l("Enter the date and time of the meeting."))
    place = checked_text("place", data.get("place"), MAX_PLACE, required=False)
    link = checked_url("link", data.get("link"), required=False)
    if not place and not link:
        raise InvalidInput("place", _l("Say where the meeting is: a place, a link or both."))
    agenda = checked_text("agenda", data.get("agenda"), MAX_AGENDA, required=False)
    meeting = GroupMeeting(group_id=group.id, starts_at=starts_at, place=place, link=link,
                           agenda=agenda, created_by_id=actor.id)  # fmt: skip
    db.session.add(meeting)
    db.session.flush()
    audit.record("group.meeting_added", actor=actor, target_kind="working_group",
                 target_id=group.id, ip=ip, meeting_id=meeting.id)  # fmt: skip
    enqueue(tell, "meeting", meeting.id, actor.id)
    return meeting


def add_output(
    group: WorkingGroup, data: Mapping[str, Any], *, actor: User, ip: str = ""
) -> GroupOutput:
    """A coordinator publishes a document of the group: title, link and date."""
    _check(group, actor, "title")
    title = checked_text("title", data.get("title"), MAX_TITLE)
    url = checked_url("url", data.get("url"))
    published_on = data.get("published_on")
    if not isinstance(published_on, date) or not 2000 <= published_on.year <= 2100:
        raise InvalidInput("published_on", _l("Enter the date of the document."))
    output = GroupOutput(group_id=group.id, title=title, url=url, published_on=published_on,
                         created_by_id=actor.id)  # fmt: skip
    db.session.add(output)
    db.session.flush()
    audit.record("group.output_added", actor=actor, target_kind="working_group",
                 target_id=group.id, ip=ip, output_id=output.id)  # fmt: skip
    enqueue(tell, "output", output.id, actor.id)
    return output


def remove(record: GroupMeeting | GroupOutput, *, actor: User, ip: str = "") -> None:
    """A coordinator deletes a meeting or a document of the group."""
    group = record.group
    _check(group, actor, "title")
    what = "meeting" if isinstance(record, GroupMeeting) else "output"
    db.session.delete(record)
    db.session.flush()
    audit.record(f"group.{what}_removed", actor=actor, target_kind="working_group",
                 target_id=group.id, ip=ip, record_id=record.id)  # fmt: skip


Meetings = tuple[list[GroupMeeting], list[GroupMeeting]]


def meetings(group: WorkingGroup, now: datetime | None = None) -> Meetings:
    """Upcoming meetings (soonest first) and the latest past ones (newest first)."""
    now = now or utcnow()
    upcoming = db.session.scalars(
        select(GroupMeeting)
        .where(GroupMeeting.group_id == group.id, GroupMeeting.starts_at >= now)
        .order_by(GroupMeeting.starts_at, GroupMeeting.id)
    )
    past = db.session.scalars(
        select(GroupMeeting)
        .where(GroupMeeting.group_id == group.id, GroupMeeting.starts_at < now)
        .order_by(GroupMeeting.starts_at.desc(), GroupMeeting.id.desc())
        .limit(PAST_SHOWN)
    )
    return list(upcoming), list(past)


def outputs(group: WorkingGroup) -> list[GroupOutput]:
    """The group's documents, newest first."""
    rows = db.session.scalars(
        select(GroupOutput)
        .where(GroupOutput.group_id == group.id)
        .order_by(GroupOutput.published_on.desc(), GroupOutput.id.desc())
    )
    return list(rows)
