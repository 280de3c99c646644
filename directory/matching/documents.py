"""Pure functions that turn records into the text that is embedded and matched.

Skills appear with both labels ("Aprendizaje automático / Machine learning"): the
vocabulary is what lets a Spanish profile meet an English opening when the model itself
is English-only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

# Long descriptions dilute the signal of title and skills; the model also truncates at
# 256 word pieces, so keep the head of the free text only.
MAX_FREE_TEXT = 600

KINDS = ("profile", "opening", "challenge", "organization", "story")


def skill_phrase(skills: Iterable[Any]) -> str:
    """Skills with their Spanish and English labels."""
    parts = []
    for skill in skills:
        if skill.label_es.casefold() == skill.label_en.casefold():
            parts.append(skill.label_es)
        else:
            parts.append(f"{skill.label_es} / {skill.label_en}")
    return "; ".join(parts)


def _join(*parts: str | None) -> str:
    return ". ".join(part.strip() for part in parts if part and part.strip())


def _head(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text[:MAX_FREE_TEXT]


def profile_text(profile: Any) -> str:
    """What a person offers: headline, skills (both languages), free skills, bio."""
    return _join(
        profile.headline,
        skill_phrase(profile.skills),
        ", ".join(profile.free_skills or []),
        _head(profile.bio),
    )


def opening_text(opening: Any) -> str:
    """What an opening asks for: title, skills, description."""
    return _join(opening.title, skill_phrase(opening.skills), _head(opening.description))


def challenge_text(challenge: Any) -> str:
    """What a challenge needs: title, skills, problem and outcome."""
    return _join(
        challenge.title,
        skill_phrase(challenge.skills),
        _head(challenge.problem),
        _head(challenge.desired_outcome),
    )


def organization_text(org: Any) -> str:
    """What an organisation does: name, areas and skills, description."""
    return _join(org.name, skill_phrase(org.skills), _head(org.description))


def story_text(story: Any) -> str:
    """A success story in both languages."""
    return _join(story.title_es, story.title_en, _head(story.summary_es), _head(story.summary_en))


BUILDERS = {
    "profile": profile_text,
    "opening": opening_text,
    "challenge": challenge_text,
    "organization": organization_text,
    "story": story_text,
}


def document_text(kind: str, record: Any) -> str:
    """The matching text of a record of the given kind."""
    return BUILDERS[kind](record)


def text_hash(text: str) -> str:
    """Stable hash of a document, to skip re-embedding unchanged text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
