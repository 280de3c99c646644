"""The risk self-assessment of a challenge whose solution would take or support decisions
about people, and the questionnaire it answers (kept as data, revised by curators).

The questionnaire in force is the newest `RiskQuestionnaire` row; the first one is loaded
from directory/data/risk_questionnaire.json the first time it is needed (or by
`flask load-risk-questionnaire`). Each option is worth points; the sum decides the level
(low, medium, high) from the thresholds in the same document, and each safeguard is
required from a level up. Proposers answer the safeguards their challenge's level calls for.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...i18n import current_locale
from ...models import Challenge, User
from ...models.proposals import RiskAssessment, RiskLevel, RiskQuestionnaire
from .. import audit
from ..orgs import InvalidInput
from .risk_schema import problems

DEFAULT_FILE = "risk_questionnaire.json"
NOTE_MAX = 500


@cache
def _shipped() -> dict[str, Any]:
    text = resources.files("directory.data").joinpath(DEFAULT_FILE).read_text("utf-8")
    return json.loads(text)


def default_content() -> dict[str, Any]:
    """The questionnaire shipped with the directory (a copy the caller may change)."""
    return copy.deepcopy(_shipped())


def _newest() -> RiskQuestionnaire | None:
    return db.session.scalar(
        select(RiskQuestionnaire).order_by(RiskQuestionnaire.version.desc()).limit(1)
    )


def load_default(*, force: bool = False) -> RiskQuestionnaire:
    """Store the shipped questionnaire as the first version (or as a new one with force)."""
    newest = _newest()
    if newest is not None and not force:
        return newest
    return _add_version(default_content(), actor=None, note="default")


def current() -> RiskQuestionnaire:
    """The questionnaire in force, loading the shipped one on first use."""
    newest = _newest()
    if newest is not None:
        return newest
    try:
        with db.session.begin_nested():
            return load_default()
    except IntegrityError:
        # Another request stored version 1 at the same moment: theirs is as good.
        newest = _newest()
        assert newest is not None
        return newest


def in_force() -> tuple[int, dict[str, Any]]:
    """(version, content) of the questionnaire in force, without writing anything: the
    shipped one (version 0) until a first assessment or revision stores it."""
    newest = _newest()
    if newest is not None:
        return newest.version, newest.content
    return 0, default_content()


def version(number: int) -> RiskQuestionnaire | None:
    """One stored version of the questionnaire."""
    return db.session.scalar(select(RiskQuestionnaire).where(RiskQuestionnaire.version == number))


def _add_version(content: dict[str, Any], *, actor: User | None, note: str) -> RiskQuestionnaire:
    number = (db.session.scalar(select(func.max(RiskQuestionnaire.version))) or 0) + 1
    row = RiskQuestionnaire(version=number, content=content, note=note,
                            created_by_id=actor.id if actor is not None else None)  # fmt: skip
    db.session.add(row)
    db.session.flush()
    return row


def save(content: Any, *, actor: User, note: str = "", ip: str = "") -> RiskQuestionnaire:
    """Save a curator's revision as the new version in force (audited); refuse a broken one."""
    wrong = problems(content)
    if wrong:
        raise InvalidInput("content", "; ".join(wrong[:5]))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise InvalidInput("note", _l("Use at most %(max)d characters.", max=NOTE_MAX))
    before = current()
    row = _add_version(content, actor=actor, note=note)
    audit.record("risk_questionnaire.saved", actor=actor, target_kind="risk_questionnaire",
                 target_id=row.id, ip=ip, version=row.version, previous=before.version,
                 note=note)  # fmt: skip
    return row


# --- reading a questionnaire in the viewer's language ----------------------------------------


def text(item: dict[str, Any], key: str, locale: str | None = None) -> str:
    """An item's text in the viewer's language (Spanish when the other is missing)."""
    locale = locale or current_locale()
    return str(item.get(f"{key}_{locale}") or item.get(f"{key}_es") or "")


def questions(content: dict[str, Any]) -> list[dict[str, Any]]:
    """The questions of a questionnaire, in order."""
    return list(content.get("questions") or [])


def level_for(content: dict[str, Any], score: int) -> str:
    """The level a score reaches under a questionnaire's thresholds."""
    reached = RiskLevel.LOW
    for level in content.get("levels") or []:
        if score >= int(level.get("min_points", 0)):
            reached = level["code"]
    return reached


def level_summary(content: dict[str, Any], level: str) -> str:
    """What a level means, in the viewer's language."""
    for item in content.get("levels") or []:
        if item.get("code") == level:
            return text(item, "summary")
    return ""


def safeguards_for(content: dict[str, Any], level: str | None) -> list[dict[str, Any]]:
    """The safeguards a level calls for (those required from that level or a lower one)."""
    if level not in RiskLevel.ALL:
        return []
    rank = RiskLevel.ALL.index(level)
    return [
        item
        for item in content.get("safeguards") or []
        if item.get("from_level") in RiskLevel.ALL
        and RiskLevel.ALL.index(item["from_level"]) <= rank
    ]


def safeguard_label(code: str) -> str:
    """A safeguard's name in the viewer's language (its code if it has been retired)."""
    _number, content = in_force()
    for item in content.get("safeguards") or []:
        if item.get("code") == code:
            return text(item, "label")
    return code


def score(content: dict[str, Any], answers: dict[str, str]) -> int:
    """The points of a full set of answers; an unanswered or unknown choice is refused."""
    total = 0
    for question in questions(content):
        chosen = answers.get(question["code"])
        points = {o["code"]: int(o["points"]) for o in question["options"]}
        if chosen not in points:
            raise InvalidInput(f"q_{question['code']}", _l("Choose one answer."))
        total += points[chosen]
    return total


# --- a challenge's assessment ----------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """A challenge's level, with what it means and the safeguards proposers must answer."""

    assessment: RiskAssessment
    level: str
    summary: str
    safeguards: list[dict[str, Any]]


def assessment_of(challenge: Challenge) -> RiskAssessment | None:
    """The challenge's assessment, if it has one."""
    return db.session.scalar(
        select(RiskAssessment).where(RiskAssessment.challenge_id == challenge.id)
    )


def result_of(challenge: Challenge) -> Result | None:
    """The challenge's level and the safeguards it calls for (under the questionnaire in
    force, so a revision of the safeguards reaches proposals sent after it)."""
    assessment = assessment_of(challenge)
    if assessment is None:
        return None
    _number, content = in_force()
    return Result(assessment, assessment.level, level_summary(content, assessment.level),
                  safeguards_for(content, assessment.level))  # fmt: skip


def assess(challenge: Challenge, answers: dict[str, str], *, actor: User,
           ip: str = "") -> RiskAssessment:  # fmt: skip
    """Score the answers, save (or replace) the challenge's assessment, audit it."""
    questionnaire = current()
    content = questionnaire.content
    known = {q["code"] for q in questions(content)}
    clean = {code: str(value) for code, value in answers.items() if code in known}
    points = score(content, clean)
    level = level_for(content, points)
    row = assessment_of(challenge)
    previous = row.level if row is not None else None
    if row is None:
        row = RiskAssessment(challenge_id=challenge.id)
        db.session.add(row)
    row.questionnaire_version = questionnaire.version
    row.answers = clean
    row.score = points
    row.level = level
    row.assessed_by_id = actor.id
    db.session.flush()
    audit.record("risk_assessment.saved", actor=actor, target_kind="challenge",
                 target_id=challenge.id, ip=ip, level=level, score=points, previous=previous,
                 version=questionnaire.version)  # fmt: skip
    return row


def is_due(challenge: Challenge) -> bool:
    """Whether the challenge says it decides about people and has no assessment yet."""
    return bool(getattr(challenge, "decides_about_people", False)) and (
        assessment_of(challenge) is None
    )
