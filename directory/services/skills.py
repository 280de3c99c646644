"""The bilingual skills vocabulary shipped with the package."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import Skill
from ..text import fold


def shipped_vocabulary() -> list[dict[str, Any]]:
    """Read the vocabulary file that ships inside the package."""
    text = resources.files("directory.data").joinpath("skills.json").read_text("utf-8")
    return json.loads(text)


def load_vocabulary(entries: list[dict[str, Any]] | None = None) -> tuple[int, int]:
    """Insert new skills and refresh changed labels; return (added, updated).

    Idempotent, so `make run` can call it on every start without duplicating rows.
    """
    entries = shipped_vocabulary() if entries is None else entries
    existing = {skill.slug: skill for skill in db.session.scalars(select(Skill))}
    added = updated = 0
    for entry in entries:
        skill = existing.get(entry["slug"])
        fields = {
            "label_es": entry["label_es"],
            "label_en": entry["label_en"],
            "category": entry["category"],
            "synonyms": list(entry.get("synonyms", [])),
        }
        if skill is None:
            db.session.add(Skill(slug=entry["slug"], **fields))
            added += 1
        elif any(getattr(skill, key) != value for key, value in fields.items()):
            for key, value in fields.items():
                setattr(skill, key, value)
            updated += 1
    db.session.flush()
    return added, updated


def _lookup_table() -> dict[str, Skill]:
    """Map every folded slug, label and synonym to its skill."""
    table: dict[str, Skill] = {}
    for skill in db.session.scalars(select(Skill)):
        for word in (skill.slug, skill.label_es, skill.label_en, *skill.synonyms):
            table.setdefault(fold(word), skill)
    return table


def split_terms(raw: str) -> list[str]:
    """Split a comma- or newline-separated list, trimming blanks and repeats."""
    seen: set[str] = set()
    terms: list[str] = []
    for part in raw.replace("\n", ",").split(","):
        term = " ".join(part.split())
        if term and fold(term) not in seen:
            seen.add(fold(term))
            terms.append(term)
    return terms


def resolve_skills(raw: str) -> tuple[list[Skill], list[str]]:
    """Turn typed skills into vocabulary skills (by slug, label or synonym, either language)
    and the free-text terms that matched none."""
    table = _lookup_table()
    found: list[Skill] = []
    unknown: list[str] = []
    for term in split_terms(raw):
        skill = table.get(fold(term))
        if skill is None:
            unknown.append(term)
        elif skill not in found:
            found.append(skill)
    return found, unknown


def all_skills() -> list[Skill]:
    """The whole vocabulary, for autocomplete lists."""
    return list(db.session.scalars(select(Skill).order_by(Skill.label_es)))
