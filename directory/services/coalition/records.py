"""The coalition's records that notifications can be about, and who may read them.

Checked when a notification is shown or mailed, not when it was made: a request whose
organisation was unpublished since, or a group put back to draft, shows no title.
"""

from __future__ import annotations

from ... import permissions
from ...i18n import current_locale
from ...models import User
from ...models.coalition import (
    CoalitionMember,
    Consultation,
    GroupMeeting,
    GroupMember,
    GroupOutput,
)
from ..notifications import register_record
from .common import can_view_consultation
from .group_members import requesters
from .groups import can_coordinate, can_view_group


def _coalition_visible(user: User, row: CoalitionMember) -> bool:
    org = row.organization
    return org.role_of(user) is not None and permissions.can_view_org(user, org)


def _request_visible(user: User, row: GroupMember) -> bool:
    mine = any(u.id == user.id for u in requesters(row))
    return (mine or can_coordinate(user, row.group)) and can_view_group(user, row.group)


register_record(
    "coalition_member",
    CoalitionMember,
    _coalition_visible,
    lambda row, user, locale: row.organization.name,
)
register_record(
    "group_member",
    GroupMember,
    _request_visible,
    lambda row, user, locale: row.group.name(locale or current_locale()),
)
for _name, _model in (("group_meeting", GroupMeeting), ("group_output", GroupOutput)):
    register_record(
        _name,
        _model,
        lambda user, record: can_view_group(user, record.group),
        lambda record, user, locale: record.group.name(locale or current_locale()),
    )
register_record(
    "consultation",
    Consultation,
    can_view_consultation,
    lambda record, user, locale: record.title(locale or current_locale()),
)
