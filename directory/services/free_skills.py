"""Skills typed outside the vocabulary: count them, fold them in, or adopt them.

Profiles, openings and challenges hold free-text skills (`free_skills`; matching compares
them by meaning meanwhile, matching/skillspace.py); organisations refuse unknown skills at
the form. Terms are grouped by their folded form, so "Visión 3D" and "vision 3d" count as
one. Folding a term removes it from every record that typed it and gives those records the
vocabulary skill instead (the record changes, so its search text and its matching vector
follow on the next flush and sync).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..extensions import db
from ..models import Challenge, Opening, Profile, Skill, User
from ..text import fold, slugify
from . import audit
from .orgs import InvalidInput
from .skills import _lookup_table

CATEGORIES = ("area", "domain", "practice", "technique", "tool")
HOLDERS: tuple[type[Profile] | type[Opening] | type[Challenge], ...] = (Profile, Opening, Challenge)
MAX_LABEL = 120
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass
class FreeSkill:
    """One free-text term, its spellings, how many profiles use it and a likely skill."""

    key: str  # folded
    label: str  # the most used spelling
    count: int  # records (profiles, openings and challenges) that use it
    spellings: list[str] = field(default_factory=list)
    suggestion: Skill | None = None


def _records_with_free_skills() -> list[Profile | Opening | Challenge]:
    # JSON lists cannot be searched the same way on SQLite and PostgreSQL; the non-empty
    # ones are few enough to read (one narrow query per model, then only those rows).
    out: list[Profile | Opening | Challenge] = []
    for model in HOLDERS:
        ids = [i for i, terms in db.session.execute(select(model.id, model.free_skills)) if terms]
        if ids:
            out.extend(db.session.scalars(select(model).where(model.id.in_(ids))))
    return out


def free_skill_counts() -> list[FreeSkill]:
    """Every free-text term with the number of records using it, most used first."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    records: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for model in HOLDERS:
        # In id order, so that among spellings used equally often the earliest typed wins.
        rows = db.session.execute(select(model.id, model.free_skills).order_by(model.id))
        for record_id, terms in rows:
            for term in terms or []:
                key = fold(term)
                if key:
                    spellings[key][term] += 1
                    records[key].add((model.__tablename__, record_id))
    vocabulary = _lookup_table()
    out = [
        FreeSkill(
            key=key,
            label=counter.most_common(1)[0][0],
            count=len(records[key]),
            spellings=[spelling for spelling, _n in counter.most_common()],
            suggestion=vocabulary.get(key),
        )
        for key, counter in spellings.items()
    ]
    out.sort(key=lambda item: (-item.count, item.key))
    return out


def find_term(key: str) -> FreeSkill | None:
    """The free-text term with this folded key, if any record still uses it."""
    wanted = fold(key)
    return next((item for item in free_skill_counts() if item.key == wanted), None)


def resolve_skill(typed: str) -> Skill | None:
    """A vocabulary skill by slug, label (either language) or synonym."""
    return _lookup_table().get(fold(typed)) if typed.strip() else None


def fold_into(key: str, skill: Skill, *, actor: User, ip: str = "") -> int:
    """Replace the term with the skill on every record that typed it; return how many."""
    wanted = fold(key)
    changed = profiles = 0
    spellings: set[str] = set()
    for record in _records_with_free_skills():
        kept = [term for term in record.free_skills if fold(term) != wanted]
        if len(kept) == len(record.free_skills):
            continue
        spellings |= {term for term in record.free_skills if fold(term) == wanted}
        record.free_skills = kept  # a new list: JSON columns only notice reassignment
        if skill not in record.skills:
            record.skills = [*record.skills, skill]
        changed += 1
        profiles += isinstance(record, Profile)
    db.session.flush()
    audit.record(
        "skills.folded",
        actor=actor,
        target_kind="skill",
        target_id=skill.id,
        ip=ip,
        term=wanted,
        spellings=sorted(spellings),
        skill=skill.slug,
        profiles=profiles,
        records=changed,
    )
    return changed


def _clean_label(field_name: str, value: str) -> str:
    label = " ".join((value or "").split())
    if not label:
        raise InvalidInput(field_name, _l("This field is required."))
    if len(label) > MAX_LABEL:
        raise InvalidInput(field_name, _l("Use at most %(max)d characters.", max=MAX_LABEL))
    return label


def add_to_vocabulary(
    key: str,
    *,
    label_es: str,
    label_en: str,
    category: str,
    slug: str = "",
    actor: User,
    ip: str = "",
) -> tuple[Skill, int]:
    """Create a skill with both labels (the typed spellings become synonyms), then fold the
    term into it. Return the skill and how many records changed."""
    term = find_term(key)
    if term is None:
        raise InvalidInput("label_es", _l("No profile or post uses this term any more."))
    label_es, label_en = _clean_label("label_es", label_es), _clean_label("label_en", label_en)
    if category not in CATEGORIES:
        raise InvalidInput("category", _l("Not a valid choice."))
    slug = (slug or "").strip() or slugify(label_en, max_length=80)
    if len(slug) > 80 or not _SLUG.fullmatch(slug):
        raise InvalidInput("slug", _l("Use lower-case letters, digits and hyphens."))
    if db.session.scalar(select(func.count()).where(Skill.slug == slug)):
        raise InvalidInput("slug", _l("Another skill already uses this identifier."))
    vocabulary = _lookup_table()
    for name, label in (("label_es", label_es), ("label_en", label_en)):
        if fold(label) in vocabulary:
            raise InvalidInput(
                name,
                _l("This label already names the skill “%(skill)s”.",
                   skill=vocabulary[fold(label)].label_en),
            )  # fmt: skip
    labels = {fold(label_es), fold(label_en), slug}
    synonyms = {fold(s): s for s in reversed(term.spellings)}  # the most used spelling wins
    for word in labels | set(vocabulary):
        synonyms.pop(word, None)
    skill = Skill(
        slug=slug,
        label_es=label_es,
        label_en=label_en,
        category=category,
        synonyms=sorted(synonyms.values()),
    )
    db.session.add(skill)
    db.session.flush()
    audit.record(
        "skills.added",
        actor=actor,
        target_kind="skill",
        target_id=skill.id,
        ip=ip,
        slug=slug,
        label_es=label_es,
        label_en=label_en,
        category=category,
        term=term.key,
    )
    return skill, fold_into(term.key, skill, actor=actor, ip=ip)
