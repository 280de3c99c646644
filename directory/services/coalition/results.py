"""Consultation results: counts per option and scale value, never who answered what.

SECURITY.md row 45: no figure is shown from fewer than THRESHOLD answers — not the number
of people who answered the consultation while it has fewer than THRESHOLD responses, and
no count, mean or text of a question with fewer than THRESHOLD answers. Free-text answers
are for curators only, shown and exported without names, dates or order of arrival
(sorted by their words), so they cannot be lined up with anyone's other answers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from ...extensions import db
from ...models import User, utcnow
from ...models.coalition import (
    Consultation,
    ConsultationAnswer,
    ConsultationQuestion,
    ConsultationResponse,
    QuestionKind,
)
from .. import audit
from .answers import SCALE

THRESHOLD = 5


@dataclass
class QuestionResult:
    """What may be shown of one question: nothing (hidden) or its counts."""

    question: ConsultationQuestion
    shown: bool
    answered: int | None = None  # None while hidden
    counts: list[tuple[str, int]] = field(default_factory=list)
    mean: float | None = None
    texts: list[str] = field(default_factory=list)  # curators only, and only when asked


@dataclass
class Results:
    """A consultation's results: its respondents (when shown) and each question's."""

    shown: bool
    respondents: int | None
    questions: list[QuestionResult]


def respondents(consultation: Consultation) -> int:
    """How many members answered (an internal figure: show it only through `results`)."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(ConsultationResponse)
            .where(ConsultationResponse.consultation_id == consultation.id)
        )
        or 0
    )


def _answers(consultation: Consultation) -> dict[int, list[ConsultationAnswer]]:
    rows = db.session.scalars(
        select(ConsultationAnswer)
        .join(ConsultationResponse, ConsultationAnswer.response_id == ConsultationResponse.id)
        .where(ConsultationResponse.consultation_id == consultation.id)
    )
    by_question: dict[int, list[ConsultationAnswer]] = {}
    for answer in rows:
        by_question.setdefault(answer.question_id, []).append(answer)
    return by_question


def _result(question: ConsultationQuestion, rows: list[ConsultationAnswer], locale: str,
            with_texts: bool) -> QuestionResult:  # fmt: skip
    if len(rows) < THRESHOLD:
        return QuestionResult(question, shown=False)
    result = QuestionResult(question, shown=True, answered=len(rows))
    if question.kind in QuestionKind.WITH_OPTIONS:
        tally = Counter(i for row in rows for i in row.choices or [])
        labels = question.option_labels(locale)
        result.counts = [(label, tally[i]) for i, label in enumerate(labels)]
    elif question.kind == QuestionKind.SCALE:
        tally = Counter(row.scale for row in rows if row.scale)
        result.counts = [(str(value), tally[value]) for value in SCALE]
        result.mean = round(sum(v * n for v, n in tally.items()) / len(rows), 2)
    elif with_texts:
        shown = (row.text for row in rows if row.text and row.hidden_at is None)
        result.texts = sorted(shown, key=str.casefold)
    return result


def results(consultation: Consultation, locale: str, *, with_texts: bool = False) -> Results:
    """The figures that may be shown; free texts only when `with_texts` (curators)."""
    total = respondents(consultation)
    if total < THRESHOLD:
        return Results(False, None, [QuestionResult(q, shown=False)
                                     for q in consultation.questions])  # fmt: skip
    answers = _answers(consultation)
    return Results(
        True,
        total,
        [_result(q, answers.get(q.id, []), locale, with_texts) for q in consultation.questions],
    )


def free_texts(
    consultation: Consultation, locale: str
) -> list[tuple[ConsultationQuestion, list[str]]]:
    """Each free-text question (with enough answers) and its visible answers, for curators."""
    found = results(consultation, locale, with_texts=True)
    return [
        (r.question, r.texts)
        for r in found.questions
        if r.shown and r.question.kind == QuestionKind.TEXT
    ]


def hide_text(
    consultation: Consultation, question_id: Any, text: Any, *, actor: User, ip: str = ""
) -> int:
    """A curator hides an abusive free text (every answer with exactly these words, so no
    answer's id or order is ever shown); returns how many were hidden. Audited."""
    question = next((q for q in consultation.questions if str(q.id) == str(question_id)), None)
    if question is None or question.kind != QuestionKind.TEXT or not isinstance(text, str):
        return 0
    rows = db.session.scalars(
        select(ConsultationAnswer).where(
            ConsultationAnswer.question_id == question.id,
            ConsultationAnswer.text == text,
            ConsultationAnswer.hidden_at.is_(None),
        )
    ).all()
    for row in rows:
        row.hidden_at = utcnow()
    if rows:
        db.session.flush()
        audit.record("consultation.answer_hidden", actor=actor, target_kind="consultation",
                     target_id=consultation.id, ip=ip, question_id=question.id,
                     answers=len(rows))  # fmt: skip
    return len(rows)
