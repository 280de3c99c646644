"""Answering a consultation: one response per member, changeable until it closes.

The form's fields are named ``q-<question id>``: a single choice and a 1–5 scale send one
value, a multiple choice several option numbers, free text its words. Anything else — an
option that does not exist, a scale of 7, a question of another consultation — is refused
with a message and nothing is saved; so is every answer sent after the closing date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import User, utcnow
from ...models.coalition import (
    Consultation,
    ConsultationAnswer,
    ConsultationQuestion,
    ConsultationResponse,
    QuestionKind,
)
from .common import InvalidInput, clean, phase

MAX_TEXT = 5_000
SCALE = (1, 2, 3, 4, 5)


class FormData(Protocol):
    """What a request's form offers (werkzeug's MultiDict)."""

    def getlist(self, key: str) -> list[str]: ...  # noqa: D102


@dataclass
class Given:
    """One question's answer as parsed from the form."""

    choices: list[int] = field(default_factory=list)
    scale: int | None = None
    text: str = ""

    @property
    def empty(self) -> bool:
        """Whether nothing was answered."""
        return not (self.choices or self.scale or self.text)


def name_of(question: ConsultationQuestion) -> str:
    """The form field of a question."""
    return f"q-{question.id}"


def _index(raw: str, limit: int, name: str) -> int:
    if not raw.isdigit() or len(raw) > 3 or int(raw) >= limit:
        raise InvalidInput(name, _l("Choose one of the options offered."))
    return int(raw)


def _parse_one(question: ConsultationQuestion, values: list[str]) -> Given:
    name = name_of(question)
    values = [clean(v) for v in values if clean(v)]
    if question.kind == QuestionKind.TEXT:
        text = clean("\n".join(values))
        if len(text) > MAX_TEXT:
            raise InvalidInput(name, _l("Use at most %(max)d characters.", max=MAX_TEXT))
        return Given(text=text)
    if question.kind == QuestionKind.SCALE:
        if len(values) > 1 or (values and values[0] not in {str(v) for v in SCALE}):
            raise InvalidInput(name, _l("Choose a value from 1 to 5."))
        return Given(scale=int(values[0]) if values else None)
    options = len(question.options or [])
    if question.kind == QuestionKind.SINGLE and len(values) > 1:
        raise InvalidInput(name, _l("Choose only one option."))
    chosen = sorted({_index(v, options, name) for v in values})
    return Given(choices=chosen)


def parse(consultation: Consultation, form: FormData) -> dict[int, Given]:
    """Every question's answer from the form, or a refusal naming the question."""
    given = {q.id: _parse_one(q, form.getlist(name_of(q))) for q in consultation.questions}
    if all(answer.empty for answer in given.values()):
        raise InvalidInput("answers", _l("Answer at least one question."))
    return given


def response_of(consultation: Consultation, user: Any) -> ConsultationResponse | None:
    """The user's response to the consultation, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(ConsultationResponse).where(
            ConsultationResponse.consultation_id == consultation.id,
            ConsultationResponse.user_id == user.id,
        )
    )


def saved_answers(consultation: Consultation, user: Any) -> dict[int, ConsultationAnswer]:
    """The user's saved answers by question id (to fill the form again)."""
    response = response_of(consultation, user)
    return {a.question_id: a for a in response.answers} if response is not None else {}


def check_open(consultation: Consultation) -> None:
    """Refuse answers outside the dates, saying when it opens or when it closed."""
    state = phase(consultation)
    if state == "closed":
        when = format_date(consultation.closes_on, "long")
        raise InvalidInput(
            "answers",
            _l("This consultation closed on %(date)s; your answers were not saved.", date=when),
        )
    if state != "open":
        when = format_date(consultation.opens_on, "long")
        raise InvalidInput(
            "answers", _l("This consultation opens on %(date)s; answers are not taken yet.",
                          date=when),
        )  # fmt: skip


def submit(consultation: Consultation, user: User, form: FormData) -> bool:
    """Save (or replace) the member's answers; True for a first response, False for a change."""
    check_open(consultation)
    given = parse(consultation, form)
    response = response_of(consultation, user)
    first = response is None
    if response is None:
        response = ConsultationResponse(consultation_id=consultation.id, user_id=user.id)
        db.session.add(response)
    else:
        response.answers.clear()
        response.updated_at = utcnow()
    try:
        db.session.flush()  # the old answers go before the new ones take their keys
        for question_id, answer in given.items():
            if not answer.empty:
                response.answers.append(
                    ConsultationAnswer(
                        question_id=question_id,
                        choices=answer.choices,
                        scale=answer.scale,
                        text=answer.text,
                    )  # fmt: skip
                )
        db.session.flush()
    except IntegrityError as exc:  # the same member sending twice at once
        db.session.rollback()
        raise InvalidInput(
            "answers", _l("Your answers were sent twice at once. Please check them and send again.")
        ) from exc  # noqa: E501
    return first


def withdraw(consultation: Consultation, user: User) -> bool:
    """Delete the member's response while the consultation is open; False if none."""
    check_open(consultation)
    response = response_of(consultation, user)
    if response is None:
        return False
    db.session.delete(response)
    db.session.flush()
    return True


def answered_ids(user: Any, consultation_ids: list[int]) -> set[int]:
    """Which of these consultations the user has answered."""
    if not getattr(user, "is_authenticated", False) or not consultation_ids:
        return set()
    rows = db.session.scalars(
        select(ConsultationResponse.consultation_id).where(
            ConsultationResponse.user_id == user.id,
            ConsultationResponse.consultation_id.in_(consultation_ids),
        )
    )
    return set(rows)


def as_form_values(answers: Mapping[int, ConsultationAnswer]) -> dict[int, Any]:
    """Saved answers as the template needs them: option indexes, a value or the text."""
    return {qid: {"choices": a.choices or [], "scale": a.scale, "text": a.text}
            for qid, a in answers.items()}  # fmt: skip
