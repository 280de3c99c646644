"""The bilingual skills vocabulary shipped with the package."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import Skill


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
