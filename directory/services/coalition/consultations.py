"""Consultations, curators' side: write one with its questions, publish it, edit its dates.

Questions change only while the consultation is a draft: once published, answers refer to
them. Publishing on or after the opening date tells every member at once (announce.py);
otherwise the hourly check does on the opening date.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ... import permissions
from ...extensions import db
from ...models import User, utcnow
from ...models.coalition import Consultation, ConsultationQuestion, GroupStatus, QuestionKind
from .. import audit
from .announce import announce
from .common import InvalidInput, checked_text

MAX_TITLE = 200
MAX_CONTEXT = 20_000
MAX_QUESTION = 500
MAX_OPTION = 200
MAX_OPTIONS = 10
MAX_QUESTIONS = 30
TEXT_FIELDS = ("title_es", "title_en", "context_es", "context_en", "opens_on", "closes_on")


def _check_curator(actor: Any) -> None:
    if not permissions.is_curator(actor):
        raise InvalidInput("title_es", _l("Only curators manage consultations."))


def _day(field: str, value: Any) -> date:
    if not isinstance(value, date) or not 2000 <= value.year <= 2100:
        raise InvalidInput(field, _l("Enter a date."))
    return value


def _values(data: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title_es": checked_text("title_es", data.get("title_es"), MAX_TITLE),
        "title_en": checked_text("title_en", data.get("title_en"), MAX_TITLE),
        "context_es": checked_text("context_es", data.get("context_es"), MAX_CONTEXT),
        "context_en": checked_text("context_en", data.get("context_en"), MAX_CONTEXT),
        "opens_on": _day("opens_on", data.get("opens_on")),
        "closes_on": _day("closes_on", data.get("closes_on")),
    }
    if values["closes_on"] < values["opens_on"]:
        raise InvalidInput("closes_on", _l("The closing date cannot be before the opening date."))
    return values


def create(data: Mapping[str, Any], *, actor: User, ip: str = "") -> Consultation:
    """A curator starts a consultation as a draft."""
    _check_curator(actor)
    consultation = Consultation(**_values(data), created_by_id=actor.id)
    db.session.add(consultation)
    db.session.flush()
    audit.record("consultation.created", actor=actor, target_kind="consultation",
                 target_id=consultation.id, ip=ip)  # fmt: skip
    return consultation


def update(
    consultation: Consultation, data: Mapping[str, Any], *, actor: User, ip: str = ""
) -> list[str]:
    """A curator edits the title, context or dates (also once published); returns changes."""
    _check_curator(actor)
    values = _values(data)
    changed = [name for name in TEXT_FIELDS if getattr(consultation, name) != values[name]]
    for name in changed:
        setattr(consultation, name, values[name])
    if changed:
        db.session.flush()
        audit.record("consultation.updated", actor=actor, target_kind="consultation",
                     target_id=consultation.id, ip=ip, fields=changed)  # fmt: skip
        announce(consultation)  # an opening date moved to today announces it now
    return changed


def _lines(text: Any) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def _options(kind: str, data: Mapping[str, Any]) -> list[dict[str, str]]:
    if kind not in QuestionKind.WITH_OPTIONS:
        return []
    spanish = _lines(checked_text("options_es", data.get("options_es"), 5_000))
    english = _lines(checked_text("options_en", data.get("options_en"), 5_000))
    if not 2 <= len(spanish) <= MAX_OPTIONS:
        raise InvalidInput(
            "options_es", _l("Give from 2 to %(max)d options, one per line.", max=MAX_OPTIONS)
        )
    if len(english) != len(spanish):
        raise InvalidInput(
            "options_en", _l("Give the same number of options in English as in Spanish.")
        )
    if any(len(option) > MAX_OPTION for option in spanish + english):
        raise InvalidInput(
            "options_es", _l("Each option can have at most %(max)d characters.", max=MAX_OPTION)
        )
    return [{"es": es, "en": en} for es, en in zip(spanish, english, strict=True)]


def _check_draft(consultation: Consultation, field: str) -> None:
    if consultation.status != GroupStatus.DRAFT:
        raise InvalidInput(field, _l("Questions cannot change once the consultation is published."))


def add_question(
    consultation: Consultation, data: Mapping[str, Any], *, actor: User, ip: str = ""
) -> ConsultationQuestion:
    """A curator adds a question to a draft consultation."""
    _check_curator(actor)
    _check_draft(consultation, "text_es")
    kind = data.get("kind")
    if kind not in QuestionKind.ALL:
        raise InvalidInput("kind", _l("Choose the kind of question."))
    if len(consultation.questions) >= MAX_QUESTIONS:
        raise InvalidInput(
            "text_es", _l("A consultation can have at most %(max)d questions.", max=MAX_QUESTIONS)
        )
    question = ConsultationQuestion(
        kind=kind,
        text_es=checked_text("text_es", data.get("text_es"), MAX_QUESTION),
        text_en=checked_text("text_en", data.get("text_en"), MAX_QUESTION),
        options=_options(kind, data),
        position=1 + max((q.position for q in consultation.questions), default=0),
    )
    consultation.questions.append(question)
    db.session.flush()
    audit.record("consultation.question_added", actor=actor, target_kind="consultation",
                 target_id=consultation.id, ip=ip, question_id=question.id)  # fmt: skip
    return question


def delete_question(question: ConsultationQuestion, *, actor: User, ip: str = "") -> None:
    """A curator removes a question from a draft consultation."""
    _check_curator(actor)
    consultation = question.consultation
    _check_draft(consultation, "text_es")
    consultation.questions.remove(question)
    db.session.flush()
    audit.record("consultation.question_removed", actor=actor, target_kind="consultation",
                 target_id=consultation.id, ip=ip, question_id=question.id)  # fmt: skip


def publish(consultation: Consultation, *, actor: User, ip: str = "") -> bool:
    """A curator publishes a draft; members hear of it when it opens. True if told now."""
    _check_curator(actor)
    if consultation.status != GroupStatus.DRAFT:
        raise InvalidInput("title_es", _l("This consultation is already published."))
    if not consultation.questions:
        raise InvalidInput("title_es", _l("Add at least one question before publishing."))
    consultation.status, consultation.published_at = GroupStatus.PUBLISHED, utcnow()
    db.session.flush()
    audit.record("consultation.published", actor=actor, target_kind="consultation",
                 target_id=consultation.id, ip=ip)  # fmt: skip
    return announce(consultation)


def listed() -> list[Consultation]:
    """Published consultations, the latest opening first."""
    rows = db.session.scalars(
        select(Consultation)
        .where(Consultation.status == GroupStatus.PUBLISHED)
        .order_by(Consultation.opens_on.desc(), Consultation.id.desc())
    )
    return list(rows)


def all_consultations() -> list[Consultation]:
    """Every consultation, for curators, newest first."""
    return list(db.session.scalars(select(Consultation).order_by(Consultation.id.desc())))
