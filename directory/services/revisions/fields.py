"""Which fields of each record a held edit carries, and how their values are stored."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ...models import Challenge, Opening, Organization, Skill
from ..orgs import ORG_FIELDS
from ..posts import CHALLENGE_FIELDS, OPENING_FIELDS

Record = Organization | Opening | Challenge

MODELS: dict[str, type[Record]] = {
    "organization": Organization,
    "opening": Opening,
    "challenge": Challenge,
}
FIELDS: dict[str, tuple[str, ...]] = {
    "organization": (*ORG_FIELDS, "skills"),
    "opening": (*OPENING_FIELDS, "skills"),
    "challenge": (*CHALLENGE_FIELDS, "skills"),
}
# "Text" is whatever the organisation writes in its own words: every free-text field and
# every link, because that is where a bait-and-switch puts a scam (a new title, a new
# description, a website or a city line that says "pay here"). Choices from the controlled
# vocabularies, numbers, dates and vocabulary skills cannot carry a message and so may go
# live. The list names what is NOT text, so a field added later is held until someone
# decides otherwise: safe by default.
# fmt: off
NOT_TEXT: dict[str, frozenset[str]] = {
    "organization": frozenset({"kind", "sectors", "state_code", "size", "skills"}),
    "opening": frozenset({"kind", "seniority", "state_code", "remote_policy",
                          "relocation_support", "salary_min", "salary_max", "salary_currency",
                          "closes_on", "skills", "min_degree", "residence",
                          "required_languages", "sponsors_work_permit"}),
    "challenge": frozenset({"sector", "stage", "eligibility", "budget_min", "budget_max",
                            "budget_currency", "state_code", "closes_on", "skills"}),
}
# fmt: on
TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    kind: tuple(name for name in fields if name not in NOT_TEXT[kind])
    for kind, fields in FIELDS.items()
}
DATE_FIELDS = ("closes_on",)


def kind_of(record: Record) -> str:
    """The kind name of a record whose edits may be held."""
    for kind, model in MODELS.items():
        if isinstance(record, model):
            return kind
    raise TypeError(f"edits of {type(record).__name__} are not reviewed")


def organization_of(record: Record) -> Organization:
    """The organisation that answers for a record (itself, for an organisation)."""
    return record if isinstance(record, Organization) else record.organization


def _stored(name: str, value: Any) -> Any:
    if name == "skills":
        return sorted(skill.slug for skill in value or [])
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return list(value)
    return value


def stored(kind: str, clean: Mapping[str, Any]) -> dict[str, Any]:
    """Cleaned values (Skill objects, dates) as JSON: skills as slugs, dates as ISO text."""
    return {name: _stored(name, clean.get(name)) for name in FIELDS[kind]}


def current(kind: str, record: Record) -> dict[str, Any]:
    """A record's live values in the stored shape, to compare with a held edit."""
    return {name: _stored(name, getattr(record, name)) for name in FIELDS[kind]}


def changed_fields(kind: str, record: Record | None, values: Mapping[str, Any]) -> list[str]:
    """The fields whose held value differs from the record's live one."""
    live = current(kind, record) if record is not None else {}
    return [name for name in FIELDS[kind] if live.get(name) != values.get(name)]


def _parsed(name: str, value: Any) -> Any:
    if name in DATE_FIELDS and isinstance(value, str) and value:
        return date.fromisoformat(value)
    return value


def service_data(values: Mapping[str, Any]) -> dict[str, Any]:
    """Stored values as the edit services take them (skills as typed text, dates as dates).

    The skills field carries vocabulary skills (by slug) and any free-text ones together,
    as the editor typed them; the service splits them again.
    """
    data = {name: _parsed(name, value) for name, value in values.items()}
    data["skills"] = ", ".join([*(values.get("skills") or []), *(values.get("free_skills") or [])])
    return data


def form_data(values: Mapping[str, Any], skills: list[Skill], locale: str) -> dict[str, Any]:
    """Stored values for an edit form: skills as labels in the reader's language.

    Empty (None) values are left out, so each field shows its own default for "not set"
    (a select's blank choice), as a form filled from the record does.
    """
    data = {name: _parsed(name, value) for name, value in values.items() if value is not None}
    labels = [skill.label(locale) for skill in skills]
    data["skills"] = ", ".join([*labels, *(values.get("free_skills") or [])])
    return data
