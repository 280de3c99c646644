"""The public fields of each kind of record: one table for the API, the files and the dictionary.

SECURITY.md row 47: what leaves through the listing API and the open-data files is exactly
what a record's public page shows, field by field. Each dataset lists its fields once,
with a type and a bilingual description; the API's answers, the OpenAPI schemas, the CSV
and JSON Lines files and the data dictionary page are all built from these lists, so a
field cannot reach one of them without being documented in all. A profile's phone, e-mail,
visibility, consents and work preferences are in no list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from ...models import Challenge, Opening, Organization, Profile, Status, SuccessStory
from ...text import is_http_url

# Value types and their JSON Schema (a null is allowed where a field is `nullable`).
TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "uri": {"type": "string", "format": "uri"},
    "strings": {"type": "array", "items": {"type": "string"}},
    "integers": {"type": "array", "items": {"type": "integer"}},
    "impact": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["label_es", "label_en", "value"],
            "additionalProperties": False,
            "properties": {k: {"type": "string"} for k in ("label_es", "label_en", "value")},
        },
    },
}


@dataclass(frozen=True)
class Field:
    """One public field: its name, type, whether it may be null, meaning, and how to read it."""

    name: str
    type: str
    description: LazyString
    get: Callable[[Any], Any]
    nullable: bool = False
    vocabulary: str = ""  # the vocab.GROUPS group its codes come from, if any


def _attr(name: str) -> Callable[[Any], Any]:
    return lambda record: getattr(record, name)


def _list(name: str) -> Callable[[Any], Any]:
    return lambda record: list(getattr(record, name) or [])


def _when(name: str) -> Callable[[Any], Any]:
    def read(record: Any) -> str | None:
        value = getattr(record, name)
        return value.isoformat() if isinstance(value, date | datetime) else None

    return read


def _link(name: str) -> Callable[[Any], Any]:
    """Only absolute http(s) links, as the pages show them; anything else is null."""

    def read(record: Any) -> str | None:
        value = (getattr(record, name) or "").strip()
        return value if is_http_url(value) else None

    return read


def _areas(record: Any) -> list[str]:
    return sorted(s.slug for s in record.skills if s.category == "area")


def _skills(record: Any) -> list[str]:
    return sorted(s.slug for s in record.skills if s.category != "area")


def _page(endpoint: str, key: str, attr: str = "id") -> Callable[[Any], Any]:
    return lambda record: url_for(endpoint, _external=True, **{key: getattr(record, attr)})


def _org(attr: str) -> Callable[[Any], Any]:
    return lambda post: getattr(post.organization, attr)


def _story_orgs(story: SuccessStory) -> list[int]:
    """Only organisations anyone may see, as on the story's page."""
    return sorted(org.id for org in story.organizations if org.status == Status.PUBLISHED)


def _impact(story: SuccessStory) -> list[dict[str, str]]:
    keys = ("label_es", "label_en", "value")
    return [{k: str(item.get(k) or "") for k in keys} for item in story.impact or []]


def _common_tail(endpoint: str, key: str, attr: str = "id") -> list[Field]:
    return [
        Field("published_at", "datetime", _l("When a curator published it (UTC)."),
              _when("published_at"), nullable=True),
        Field("updated_at", "datetime", _l("When it last changed (UTC)."), _when("updated_at")),
        Field("url", "uri", _l("Its public page."), _page(endpoint, key, attr)),
    ]  # fmt: skip


def _skill_fields() -> list[Field]:
    return [
        Field("areas", "strings", _l("AI areas, as vocabulary codes."), _areas),
        Field("skills", "strings", _l("Skills, as vocabulary codes."), _skills),
    ]


def _post_org() -> list[Field]:
    return [
        Field("organization_id", "integer", _l("The organisation that posts it."),
              _org("id")),
        Field("organization_slug", "string", _l("That organisation's short name in its address."),
              _org("slug")),
        Field("organization_name", "string", _l("That organisation's name."), _org("name")),
    ]  # fmt: skip


ORGANIZATION = [
    Field("id", "integer", _l("Number of the record; stable."), _attr("id")),
    Field("slug", "string", _l("Short name in its address."), _attr("slug")),
    Field("name", "string", _l("Name."), _attr("name")),
    Field("kind", "string", _l("Kind of organisation."), _attr("kind"), vocabulary="org_kinds"),
    Field("description", "string", _l("Description, in Markdown as written."),
          _attr("description")),
    Field("website", "uri", _l("Website (http or https only)."), _link("website"), nullable=True),
    Field("sectors", "strings", _l("Sectors it works in."), _list("sectors"),
          vocabulary="sectors"),
    Field("state", "string", _l("Mexican state, as a code."), _attr("state_code"), nullable=True),
    Field("city", "string", _l("City."), _attr("city")),
    Field("size", "string", _l("Size."), _attr("size"), vocabulary="org_sizes"),
    *_skill_fields(),
    Field("verified", "boolean", _l("Verified by the chamber's curators."),
          lambda org: org.verified_at is not None),
    Field("chamber_member", "boolean", _l("Member of the chamber."), _attr("chamber_member")),
    *_common_tail("public.organization", "slug", "slug"),
]  # fmt: skip

OPENING = [
    Field("id", "integer", _l("Number of the record; stable."), _attr("id")),
    Field("title", "string", _l("Title."), _attr("title")),
    Field("description", "string", _l("Description, in Markdown as written."),
          _attr("description")),
    *_post_org(),
    Field("kind", "string", _l("Kind of opening."), _attr("kind"), vocabulary="opening_kinds"),
    Field("seniority", "string", _l("Seniority."), _attr("seniority"), vocabulary="seniority"),
    Field("state", "string", _l("Mexican state, as a code."), _attr("state_code"), nullable=True),
    Field("city", "string", _l("City."), _attr("city")),
    Field("remote_policy", "string", _l("On site, hybrid or remote."), _attr("remote_policy"),
          vocabulary="remote_policies"),
    Field("relocation_support", "boolean", _l("Helps with moving."),
          _attr("relocation_support")),
    Field("salary_min", "integer", _l("Lowest monthly salary offered."), _attr("salary_min"),
          nullable=True),
    Field("salary_max", "integer", _l("Highest monthly salary offered."), _attr("salary_max"),
          nullable=True),
    Field("salary_currency", "string", _l("Currency of the salary (ISO 4217)."),
          _attr("salary_currency")),
    Field("closes_on", "date", _l("Last day to apply."), _when("closes_on"), nullable=True),
    *_skill_fields(),
    Field("free_skills", "strings", _l("Skills outside the vocabulary, as typed."),
          _list("free_skills")),
    Field("min_degree", "string", _l("Lowest degree required."), _attr("min_degree"),
          nullable=True, vocabulary="degrees"),
    Field("residence", "string", _l("Where applicants must live."), _attr("residence"),
          vocabulary="residence"),
    Field("required_languages", "strings", _l("Languages required."),
          _list("required_languages"), vocabulary="languages"),
    Field("sponsors_work_permit", "boolean", _l("Sponsors a work permit."),
          _attr("sponsors_work_permit")),
    *_common_tail("public.opening", "opening_id"),
]  # fmt: skip

CHALLENGE = [
    Field("id", "integer", _l("Number of the record; stable."), _attr("id")),
    Field("title", "string", _l("Title."), _attr("title")),
    Field("problem", "string", _l("The problem to solve, in Markdown as written."),
          _attr("problem")),
    Field("desired_outcome", "string", _l("The outcome wanted."), _attr("desired_outcome")),
    Field("data_available", "string", _l("The data available."), _attr("data_available")),
    *_post_org(),
    Field("sector", "string", _l("Sector."), _attr("sector"), vocabulary="sectors"),
    Field("stage", "string", _l("Stage: discovery, prototype, pilot or scale."), _attr("stage"),
          vocabulary="stages"),
    Field("eligibility", "strings", _l("Who may propose."), _list("eligibility"),
          vocabulary="eligibility"),
    Field("budget_min", "integer", _l("Lowest budget."), _attr("budget_min"), nullable=True),
    Field("budget_max", "integer", _l("Highest budget."), _attr("budget_max"), nullable=True),
    Field("budget_currency", "string", _l("Currency of the budget (ISO 4217)."),
          _attr("budget_currency")),
    Field("state", "string", _l("Mexican state, as a code."), _attr("state_code"), nullable=True),
    Field("closes_on", "date", _l("Last day to propose."), _when("closes_on"), nullable=True),
    Field("clarification_deadline", "date", _l("Last day to ask questions."),
          _when("clarification_deadline"), nullable=True),
    *_skill_fields(),
    Field("free_skills", "strings", _l("Skills outside the vocabulary, as typed."),
          _list("free_skills")),
    *_common_tail("public.challenge", "challenge_id"),
]  # fmt: skip

STORY = [
    Field("id", "integer", _l("Number of the record; stable."), _attr("id")),
    Field("slug", "string", _l("Short name in its address."), _attr("slug")),
    Field("title_es", "string", _l("Title in Spanish."), _attr("title_es")),
    Field("title_en", "string", _l("Title in English."), _attr("title_en")),
    Field("summary_es", "string", _l("Summary in Spanish."), _attr("summary_es")),
    Field("summary_en", "string", _l("Summary in English."), _attr("summary_en")),
    Field("body_es", "string", _l("The story in Spanish, in Markdown as written."),
          _attr("body_es")),
    Field("body_en", "string", _l("The story in English, in Markdown as written."),
          _attr("body_en")),
    Field("sector", "string", _l("Sector."), _attr("sector"), vocabulary="sectors"),
    Field("state", "string", _l("Mexican state, as a code."), _attr("state_code"), nullable=True),
    Field("impact", "impact", _l("Impact figures: a label in each language and a value."),
          _impact),
    Field("link", "uri", _l("A link to learn more (http or https only)."), _link("url"),
          nullable=True),
    Field("featured", "boolean", _l("Featured by the curators."), _attr("featured")),
    Field("organization_ids", "integers", _l("The published organisations it names."),
          _story_orgs),
    *_common_tail("public.story", "slug", "slug"),
]  # fmt: skip

PERSON = [
    Field("id", "integer", _l("Number of the record; stable."), _attr("id")),
    Field("full_name", "string", _l("Name."), _attr("full_name")),
    Field("headline", "string", _l("Headline."), _attr("headline")),
    Field("bio", "string", _l("About the person, in Markdown as written."), _attr("bio")),
    Field("kind", "string", _l("What the person does."), _attr("kind"),
          vocabulary="profile_kinds"),
    Field("seniority", "string", _l("Seniority."), _attr("seniority"), vocabulary="seniority"),
    Field("city", "string", _l("City."), _attr("city")),
    Field("state", "string", _l("Mexican state, as a code."), _attr("state_code"), nullable=True),
    Field("country", "string", _l("Country (ISO 3166 code)."), _attr("country_code")),
    Field("diaspora_status", "string", _l("In Mexico, abroad, returning or returned."),
          _attr("diaspora_status"), vocabulary="diaspora_status"),
    Field("open_to", "strings", _l("What the person is open to."), _list("open_to"),
          vocabulary="open_to"),
    Field("available_from", "date", _l("Available from."), _when("available_from"),
          nullable=True),
    Field("languages", "strings", _l("Languages."), _list("languages"), vocabulary="languages"),
    *_skill_fields(),
    Field("free_skills", "strings", _l("Skills outside the vocabulary, as typed."),
          _list("free_skills")),
    Field("links", "strings", _l("Links (http or https only)."),
          lambda p: [link for link in p.links or [] if is_http_url(link)]),
    Field("updated_at", "datetime", _l("When it last changed (UTC)."), _when("updated_at")),
    Field("url", "uri", _l("Its public page."), _page("public.profile", "profile_id")),
]  # fmt: skip

# Dataset name (the API path and file name) → record kind, model and fields.
DATASETS: dict[str, tuple[str, Any, list[Field]]] = {
    "organizations": ("organization", Organization, ORGANIZATION),
    "openings": ("opening", Opening, OPENING),
    "challenges": ("challenge", Challenge, CHALLENGE),
    "stories": ("story", SuccessStory, STORY),
    "people": ("profile", Profile, PERSON),
}
# The open-data files: people are in the API (public profiles only), never in a bulk file.
OPEN_DATASETS = ("organizations", "openings", "challenges", "stories")


def record_json(dataset: str, record: Any) -> dict[str, Any]:
    """A record's public fields, as JSON values."""
    return {f.name: f.get(record) for f in DATASETS[dataset][2]}


def schema(dataset: str) -> dict[str, Any]:
    """The JSON Schema of one record of a dataset (its fields, nothing else)."""
    properties = {}
    for f in DATASETS[dataset][2]:
        prop = {**TYPES[f.type], "description": english(f.description)}
        if f.nullable:
            prop = {**prop, "type": [prop["type"], "null"]}
        properties[f.name] = prop
    return {
        "type": "object",
        "required": list(properties),
        "additionalProperties": False,
        "properties": properties,
    }


def english(text: LazyString | str) -> str:
    """A description in English, whatever the request's language (the OpenAPI document)."""
    with force_locale("en"):
        return str(text)
