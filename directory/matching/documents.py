"""Pure functions that turn records into the text that is embedded and matched.

Skills appear with both labels ("Aprendizaje automático / Machine learning"): the
vocabulary is what lets a Spanish profile meet an English opening when the model itself
is English-only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

# Long descriptions dilute the signal of title and skills, and the models truncate (MiniLM
# at 256 word pieces, e5 at 512): a long text keeps its head and its end, where posts put
# their requirements and people their current work, and drops the middle.
MAX_FREE_TEXT = 600
MAX_TAIL = 400

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
    if len(text) <= MAX_FREE_TEXT + MAX_TAIL:
        return text
    head, tail = text[:MAX_FREE_TEXT], text[-MAX_TAIL:]
    # Cut at word boundaries so no half word reaches the tokenizer.
    head = head.rsplit(" ", 1)[0]
    tail = tail.split(" ", 1)[-1]
    return f"{head} … {tail}"


def profile_text(profile: Any) -> str:
    """What a person offers: headline, skills (both languages), free skills, bio."""
    return _join(
        profile.headline,
        skill_phrase(profile.skills),
        _free(profile),
        _head(profile.bio),
    )


def _free(record: Any) -> str:
    return ", ".join(getattr(record, "free_skills", None) or [])


def opening_text(opening: Any) -> str:
    """What an opening asks for: title, skills (vocabulary and free text), description."""
    return _join(
        opening.title, skill_phrase(opening.skills), _free(opening), _head(opening.description)
    )


def challenge_text(challenge: Any) -> str:
    """What a challenge needs: title, skills, problem and outcome."""
    return _join(
        challenge.title,
        skill_phrase(challenge.skills),
        _free(challenge),
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
    return text_digest(text).hex()


def text_digest(text: str) -> bytes:
    """The same hash as 32 bytes (what a worker keeps per record: half the hex string)."""
    return hashlib.sha256(text.encode("utf-8")).digest()
