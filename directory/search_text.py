"""Keep each record's folded `search_text` current, so keyword search ignores accents and case.

One column per searchable table, filled before every flush, works the same on SQLite and
PostgreSQL (no unaccent extension or ICU needed) and lets a single LIKE find "visión" from
"vision" and a Spanish skill label from its English one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from . import geo
from .models import Challenge, Opening, Organization, Profile, Skill, SuccessStory
from .text import fold


def _skill_words(skills: Iterable[Skill]) -> list[str]:
    words: list[str] = []
    for skill in skills:
        words += [skill.label_es, skill.label_en, *(skill.synonyms or [])]
    return words


def _organization(org: Organization) -> list[str]:
    return [org.name, org.description, org.city, geo.state_name(org.state_code),
            *(org.sectors or []), *_skill_words(org.skills)]  # fmt: skip


def _profile(profile: Profile) -> list[str]:
    return [profile.full_name, profile.headline, profile.bio, profile.city,
            geo.state_name(profile.state_code), geo.country_name(profile.country_code, "es"),
            geo.country_name(profile.country_code, "en"), *(profile.free_skills or []),
            *_skill_words(profile.skills)]  # fmt: skip


def _opening(opening: Opening) -> list[str]:
    org = opening.organization.name if opening.organization else ""
    return [opening.title, opening.description, org, opening.city,
            geo.state_name(opening.state_code), *_skill_words(opening.skills)]  # fmt: skip


def _challenge(challenge: Challenge) -> list[str]:
    org = challenge.organization.name if challenge.organization else ""
    return [challenge.title, challenge.problem, challenge.desired_outcome,
            challenge.data_available, challenge.sector, org,
            *_skill_words(challenge.skills)]  # fmt: skip


def _story(story: SuccessStory) -> list[str]:
    return [story.title_es, story.title_en, story.summary_es, story.summary_en, story.body_es,
            story.body_en, story.sector, *(org.name for org in story.organizations)]  # fmt: skip


BUILDERS: dict[type, Callable[[Any], list[str]]] = {
    Organization: _organization,
    Profile: _profile,
    Opening: _opening,
    Challenge: _challenge,
    SuccessStory: _story,
}


def search_text_for(record: Any) -> str:
    """The folded text keyword search matches against for a record."""
    builder = BUILDERS[type(record)]
    return fold(" ".join(str(part) for part in builder(record) if part))


@event.listens_for(Session, "before_flush")
def _refresh_search_text(session: Session, _context: Any, _instances: Any) -> None:
    for record in list(session.new) + list(session.dirty):
        if type(record) in BUILDERS:
            text = search_text_for(record)
            if record.search_text != text:
                record.search_text = text
