"""The procurement records notifications can be about, and who may read them.

A notification about a question names its challenge only while the reader may still see
the question (a hidden question, or a challenge taken down, leaves no title); an unit
invitation names its unit only for the invited person while the agency is visible.
"""

from __future__ import annotations

from ... import permissions
from ...models import User
from ...models.procurement import ChallengeQuestion, UnitMember
from ..notifications import register_record
from .questions import can_see_question


def _invitation_visible(user: User, member: UnitMember) -> bool:
    return member.user_id == user.id and permissions.can_view_org(user, member.unit.organization)


register_record(
    "question",
    ChallengeQuestion,
    can_see_question,
    lambda question, user, locale: question.challenge.title,
)
register_record(
    "unit_member", UnitMember, _invitation_visible, lambda member, user, locale: member.unit.name
)
