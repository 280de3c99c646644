"""Per-field differences between a record's live values and a held edit, for curators.

The diff is computed here as plain segments ("same", "del", "ins") of the users' text;
templates render each segment through Jinja's autoescape, so no user text is ever
turned into markup on the server.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from ... import vocab
from ...extensions import db
from ...geo import state_name
from ...models import PendingRevision, Skill
from .fields import FIELDS, TEXT_FIELDS, Record, changed_fields, current

# Fields whose values come from a vocabulary group: shown by their label, not their code.
_GROUPS = {
    "seniority": "seniority",
    "remote_policy": "remote_policies",
    "sectors": "sectors",
    "sector": "sectors",
    "stage": "stages",
    "eligibility": "eligibility",
    "size": "org_sizes",
    "min_degree": "degrees",
    "residence": "residence",
    "required_languages": "languages",
}
_KIND_GROUPS = {"organization": "org_kinds", "opening": "opening_kinds"}
_TOKENS = re.compile(r"\s+|\S+\s*")  # words keep their trailing blanks
MAX_SEGMENTS = 4000  # a pathological diff is shown as a whole replacement instead


@dataclass
class FieldDiff:
    """One changed field: its old and new value as text, and the word-level segments."""

    name: str
    old: str
    new: str
    text: bool  # a text field (what made the edit wait) rather than a choice or number
    segments: list[tuple[str, str]] = field(default_factory=list)


def _skill_labels(slugs: list[str], locale: str) -> str:
    if not slugs:
        return ""
    skills = {s.slug: s for s in db.session.scalars(select(Skill).where(Skill.slug.in_(slugs)))}
    return ", ".join(skills[slug].label(locale) if slug in skills else slug for slug in slugs)


def display(kind: str, name: str, value: Any, locale: str) -> str:
    """A stored value as a curator reads it: labels for choices, Yes/No, plain text."""
    if value is None or value == "" or value == []:
        return ""
    if name == "skills":
        return _skill_labels(list(value), locale)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    group = _KIND_GROUPS.get(kind) if name == "kind" else _GROUPS.get(name)
    if isinstance(value, list):
        return ", ".join(vocab.label(group, v) if group else str(v) for v in value)
    if group:
        return vocab.label(group, str(value))
    if name == "state_code":
        return state_name(str(value))
    return str(value)


def segments(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level differences of two texts as ("same"|"del"|"ins", text) pieces."""
    before, after = _TOKENS.findall(old), _TOKENS.findall(new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("same", "".join(before[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("del", "".join(before[i1:i2])))
        if j2 > j1:
            pieces.append(("ins", "".join(after[j1:j2])))
    if len(pieces) > MAX_SEGMENTS:
        return [("del", old), ("ins", new)]
    return pieces


def field_diffs(
    kind: str, record: Record | None, values: Mapping[str, Any], locale: str
) -> list[FieldDiff]:
    """Every field a held edit changes, text fields first, in the form's order."""
    live = current(kind, record) if record is not None else {}
    diffs = []
    for name in changed_fields(kind, record, values):
        old = display(kind, name, live.get(name), locale)
        new = display(kind, name, values.get(name), locale)
        diffs.append(FieldDiff(name, old, new, name in TEXT_FIELDS[kind], segments(old, new)))
    order = {name: i for i, name in enumerate(FIELDS[kind])}
    diffs.sort(key=lambda d: (not d.text, order[d.name]))
    return diffs


def revision_diffs(
    revision: PendingRevision, record: Record | None, locale: str
) -> list[FieldDiff]:
    """The per-field diff of one held edit against its record's live values."""
    return field_diffs(revision.kind, record, revision.values, locale)
