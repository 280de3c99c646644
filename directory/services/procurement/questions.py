"""Public questions and answers on a challenge (market engagement before buying).

Signed-in members ask until the clarification deadline (or the proposal deadline when
there is none); the posting organisation's editors answer. An answered public question
is shown on the challenge page to everyone; a private one only to its asker and the
organisation's editors; an unanswered one to the same two. Curators and the organisation
hide abusive questions (audited); a hidden question is gone from every page, and curators
read it only through an audited page. Askers are never named on the page.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ... import permissions
from ...extensions import db
from ...models import Challenge, Organization, User, utcnow
from ...models.procurement import ChallengeQuestion
from .. import audit, notifications
from ..notifications import kinds
from ..orgs import InvalidInput
from .common import checked_text, takes_responses
from .following import audience

MAX_QUESTION, MAX_ANSWER, MAX_REASON = 2000, 5000, 500


def can_answer(viewer: Any, question: ChallengeQuestion) -> bool:
    """The posting organisation's owners and editors answer."""
    return permissions.can_edit_post(viewer, question.challenge)


def can_hide(viewer: Any, question: ChallengeQuestion) -> bool:
    """Curators and the posting organisation's editors hide abusive questions."""
    return permissions.is_curator(viewer) or permissions.can_edit_post(viewer, question.challenge)


def _is_asker(viewer: Any, question: ChallengeQuestion) -> bool:
    return bool(getattr(viewer, "is_authenticated", False)) and question.asker_id == viewer.id


def can_see_question(viewer: Any, question: ChallengeQuestion) -> bool:
    """Whether the viewer may read the question (and its answer) now."""
    if question.hidden_at is not None:
        return False
    if not permissions.can_view_post(viewer, question.challenge):
        return False
    if _is_asker(viewer, question) or can_answer(viewer, question):
        return True
    return question.public and question.answered_at is not None


def ask_refusal(challenge: Challenge, user: Any, today: date | None = None) -> str | None:
    """Why the user may not ask about this challenge now, or None when they may."""
    today = today or date.today()
    if not takes_responses(challenge, today):
        return str(_l("This challenge is closed and no longer takes questions."))
    deadline = challenge.clarification_deadline
    if deadline is not None and today > deadline:
        return str(
            _l(
                "The period for questions ended on %(date)s: questions are no longer accepted.",
                date=format_date(deadline, "long"),
            )
        )
    if permissions.org_role(user, challenge.organization) is not None:
        return str(_l("You cannot ask questions about your own organisation's challenge."))
    return None


def _link(question: ChallengeQuestion) -> str:
    return url_for(
        "public.challenge", challenge_id=question.challenge_id, _anchor=f"question-{question.id}"
    )


def ask(
    challenge: Challenge, user: User, body: str | None, *, public: bool = True, ip: str = ""
) -> ChallengeQuestion:
    """Record a question and tell the organisation's team; refused past the deadline."""
    refusal = ask_refusal(challenge, user)
    if refusal:
        raise InvalidInput("question", refusal)
    text = checked_text("question", body, MAX_QUESTION)
    question = ChallengeQuestion(
        challenge_id=challenge.id, asker_id=user.id, body=text, public=bool(public)
    )
    db.session.add(question)
    db.session.flush()
    audit.record("question.asked", actor=user, target_kind="challenge", target_id=challenge.id,
                 ip=ip, question_id=question.id, public=question.public)  # fmt: skip
    for member in challenge.organization.memberships:
        notifications.notify(
            member.user, kinds.CHALLENGE_QUESTION, record=question, link=_link(question)
        )
    return question


def answer(question: ChallengeQuestion, text: str | None, *, actor: User, ip: str = "") -> bool:
    """Answer (or correct the answer to) a question; True when it is the first answer.

    A first answer to a public question tells its asker, and everyone who asked, proposed
    or follows the challenge; a private answer tells only its asker.
    """
    if not can_answer(actor, question):
        raise InvalidInput("answer", _l("Only the organisation's editors answer questions."))
    if question.hidden_at is not None:
        raise InvalidInput("answer", _l("This question was hidden and cannot be answered."))
    value = checked_text("answer", text, MAX_ANSWER)
    first = question.answered_at is None
    question.answer = value
    question.answered_by_id = actor.id
    if first:
        question.answered_at = utcnow()
    db.session.flush()
    action = "question.answered" if first else "question.answer_edited"
    audit.record(action, actor=actor, target_kind="challenge", target_id=question.challenge_id,
                 ip=ip, question_id=question.id, public=question.public)  # fmt: skip
    if first:
        _notify_answer(question, actor)
    return first


def _notify_answer(question: ChallengeQuestion, actor: User) -> None:
    link = _link(question)
    asker = question.asker
    if asker.id != actor.id:
        notifications.notify(asker, kinds.QUESTION_REPLY, record=question, link=link)
    if not question.public:
        return
    for person in audience(question.challenge, askers=True):
        if person.id not in (asker.id, actor.id):
            notifications.notify(person, kinds.CHALLENGE_ANSWER, record=question, link=link)


def hide(question: ChallengeQuestion, reason: str | None, *, actor: User, ip: str = "") -> None:
    """Hide an abusive question (curators and the organisation's editors); audited."""
    if not can_hide(actor, question):
        raise InvalidInput("reason", _l("You cannot hide this question."))
    if question.hidden_at is not None:
        raise InvalidInput("reason", _l("This question is already hidden."))
    question.hidden_reason = checked_text("reason", reason, MAX_REASON, required=False)
    question.hidden_at = utcnow()
    question.hidden_by_id = actor.id
    db.session.flush()
    audit.record(
        "question.hidden",
        actor=actor,
        target_kind="challenge",
        target_id=question.challenge_id,
        ip=ip,
        question_id=question.id,
        by_curator=permissions.is_curator(actor),
        reason=question.hidden_reason,
    )


def restore(question: ChallengeQuestion, *, actor: User, ip: str = "") -> None:
    """Show a hidden question again (curators only); audited."""
    if not permissions.is_curator(actor):
        raise InvalidInput("reason", _l("Only curators restore hidden questions."))
    if question.hidden_at is None:
        raise InvalidInput("reason", _l("This question is not hidden."))
    question.hidden_at = None
    question.hidden_by_id = None
    question.hidden_reason = ""
    db.session.flush()
    audit.record("question.restored", actor=actor, target_kind="challenge",
                 target_id=question.challenge_id, ip=ip, question_id=question.id)  # fmt: skip


def visible_questions(challenge: Challenge, viewer: Any) -> list[ChallengeQuestion]:
    """The questions the viewer may read on the challenge page, oldest first."""
    rows = db.session.scalars(
        select(ChallengeQuestion)
        .where(
            ChallengeQuestion.challenge_id == challenge.id, ChallengeQuestion.hidden_at.is_(None)
        )
        .order_by(ChallengeQuestion.created_at, ChallengeQuestion.id)
    )
    return [question for question in rows if can_see_question(viewer, question)]


def hidden_count(challenge: Challenge) -> int:
    """How many of the challenge's questions are hidden."""
    return (
        db.session.scalar(
            select(func.count()).where(
                ChallengeQuestion.challenge_id == challenge.id,
                ChallengeQuestion.hidden_at.is_not(None),
            )
        )
        or 0
    )


def hidden_questions(
    challenge: Challenge, *, curator: User, ip: str = ""
) -> list[ChallengeQuestion]:
    """The hidden questions, for a curator; each reading is audited."""
    if not permissions.is_curator(curator):
        raise PermissionError("curators only")
    rows = list(
        db.session.scalars(
            select(ChallengeQuestion)
            .where(
                ChallengeQuestion.challenge_id == challenge.id,
                ChallengeQuestion.hidden_at.is_not(None),
            )
            .order_by(ChallengeQuestion.hidden_at.desc(), ChallengeQuestion.id.desc())
        )
    )
    audit.record("question.hidden_viewed", actor=curator, target_kind="challenge",
                 target_id=challenge.id, ip=ip, question_ids=[q.id for q in rows])  # fmt: skip
    return rows


def unanswered_counts(org: Organization) -> dict[int, int]:
    """How many visible questions wait for an answer, per challenge of the organisation."""
    rows = db.session.execute(
        select(ChallengeQuestion.challenge_id, func.count())
        .join(ChallengeQuestion.challenge)
        .where(
            Challenge.organization_id == org.id,
            ChallengeQuestion.hidden_at.is_(None),
            ChallengeQuestion.answered_at.is_(None),
        )
        .group_by(ChallengeQuestion.challenge_id)
    ).all()
    return {challenge_id: count for challenge_id, count in rows}


def load(question_id: int) -> ChallengeQuestion | None:
    """A question by id."""
    return db.session.get(ChallengeQuestion, question_id)
