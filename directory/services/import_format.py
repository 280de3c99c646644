"""The fields of the JSON Lines import/export format and how each value is checked.

The format itself is described in importer.py's docstring and docs/import-format.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from .. import geo, vocab
from ..models import OrgRole, Status
from ..text import fold, is_http_url, slugify
from .accounts import AccountError, normalise_email
from .skills import split_terms

TYPES = ("organization", "profile", "opening", "challenge")  # also the insertion order
CURRENCIES = ("MXN", "USD")
LOCALES = ("es", "en")
MAX_INT = 2**31 - 1  # PostgreSQL INTEGER
MAX_LINKS = 5
MAX_TERM = 80
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

Parser = Callable[[Any], Any]


class Bad(ValueError):
    """A value refused; the message completes "<field> ..."."""


class Spec(NamedTuple):
    """How one field is read: the model attribute ("" = handled by the importer)."""

    attr: str
    parse: Parser
    required: bool = False


# --- value parsers -------------------------------------------------------------------------


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise Bad("must be a string")
    if "\x00" in value:
        raise Bad("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Bad("must be valid UTF-8 text") from None
    return value


def text(limit: int, *, multiline: bool = False) -> Parser:
    """A string of at most `limit` characters; single-line text has its spaces collapsed."""

    def parse(value: Any) -> str:
        value = _string(value)
        value = value.strip() if multiline else " ".join(value.split())
        if len(value) > limit:
            raise Bad(f"must be at most {limit:,} characters")
        return value

    return parse


def choice(allowed: str | tuple[str, ...]) -> Parser:
    """One of a vocab.py group's keys (or of a tuple)."""
    values = tuple(vocab.GROUPS[allowed]) if isinstance(allowed, str) else allowed

    def parse(value: Any) -> str:
        if not isinstance(value, str) or value not in values:
            raise Bad("must be one of: " + ", ".join(values))
        return value

    return parse


def choices(allowed: str) -> Parser:
    """A list of a vocab.py group's keys, repeats dropped."""
    values = tuple(vocab.GROUPS[allowed])

    def parse(value: Any) -> list[str]:
        if not isinstance(value, list) or any(
            not isinstance(v, str) or v not in values for v in value
        ):
            raise Bad("must be a list of: " + ", ".join(values))
        return list(dict.fromkeys(value))

    return parse


def boolean(value: Any) -> bool:
    """JSON true or false."""
    if not isinstance(value, bool):
        raise Bad("must be true or false")
    return value


def whole(value: Any) -> int:
    """A whole number that fits a database integer, 0 or more."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_INT:
        raise Bad(f"must be a whole number from 0 to {MAX_INT}")
    return value


def day(value: Any) -> date:
    """An ISO 8601 calendar date."""
    try:
        if isinstance(value, str) and _DATE.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise Bad("must be a date (YYYY-MM-DD)")


def moment(value: Any) -> datetime:
    """An ISO 8601 date-time; UTC when it carries no zone."""
    try:
        parsed = datetime.fromisoformat(_string(value))
    except (ValueError, Bad):
        raise Bad("must be a date and time (ISO 8601, e.g. 2025-01-31T12:00:00Z)") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def state(value: Any) -> str:
    """A Mexican state's ISO 3166-2 code without the "MX-" prefix."""
    if not isinstance(value, str) or value not in geo.STATE_NAMES:
        raise Bad("must be a Mexican state code such as JAL, CMX or NLE (see directory/geo.py)")
    return value


def country(value: Any) -> str:
    """An ISO 3166-1 alpha-2 country code."""
    if not isinstance(value, str) or value not in dict(geo.countries("en")):
        raise Bad("must be a two-letter ISO country code such as MX or US")
    return value


def url(value: Any) -> str:
    """An absolute http(s) address."""
    value = _string(value).strip()
    if len(value) > 300 or not is_http_url(value):
        raise Bad("must be a web address starting with http:// or https:// (≤300 characters)")
    return value


def urls(value: Any) -> list[str]:
    """Up to five http(s) addresses."""
    if not isinstance(value, list) or len(value) > MAX_LINKS:
        raise Bad(f"must be a list of at most {MAX_LINKS} web addresses")
    return list(dict.fromkeys(url(v) for v in value))


def terms(value: Any) -> list[str]:
    """A list of terms, or one comma-separated string of them; repeats dropped."""
    if isinstance(value, str):
        return split_terms(_string(value))
    if not isinstance(value, list):
        raise Bad("must be a list of strings or a comma-separated string")
    seen: dict[str, str] = {}
    for item in value:
        term = " ".join(_string(item).split())
        if len(term) > MAX_TERM:
            raise Bad(f"has a term longer than {MAX_TERM} characters")
        if term:
            seen.setdefault(fold(term), term)
    return list(seen.values())


def email(value: Any) -> str:
    """A syntactically valid address, normalised (lower-cased)."""
    try:
        return normalise_email(_string(value))
    except AccountError:
        raise Bad("is not a valid email address") from None


def slug(value: Any) -> str:
    """An organisation slug as the site makes them: a-z, 0-9 and hyphens."""
    if not isinstance(value, str) or len(value) > 140 or slugify(value, 140) != value:
        raise Bad("must be lower-case letters, digits and single hyphens (≤140 characters)")
    return value


def roles(value: Any) -> dict[str, str]:
    """Memberships: {"<ref>": "owner" | "editor"}."""
    if not isinstance(value, dict) or any(
        not isinstance(ref, str) or not ref or role not in OrgRole.ALL
        for ref, role in value.items()
    ):
        raise Bad('must be an object like {"<ref>": "owner"} (roles: owner, editor)')
    return dict(value)


# --- the four record types -----------------------------------------------------------------

STATUS = choice(Status.ALL)
NAME = text(200)
LONG = text(10_000, multiline=True)
CITY = text(120)
REF = text(140)

SPECS: dict[str, dict[str, Spec]] = {
    "organization": {
        "ref": Spec("", REF),
        "slug": Spec("", slug),
        "name": Spec("name", NAME, True),
        "kind": Spec("kind", choice("org_kinds"), True),
        "description": Spec("description", LONG),
        "website": Spec("website", url),
        "sectors": Spec("sectors", choices("sectors")),
        "state": Spec("state_code", state),
        "city": Spec("city", CITY),
        "size": Spec("size", choice("org_sizes")),
        "skills": Spec("", terms),
        "status": Spec("status", STATUS),
        "chamber_member": Spec("chamber_member", boolean),
        "verified_at": Spec("verified_at", moment),
    },
    "opening": {
        "organization": Spec("", REF, True),
        "title": Spec("title", NAME, True),
        "description": Spec("description", LONG),
        "skills": Spec("", terms),
        "kind": Spec("kind", choice("opening_kinds")),
        "seniority": Spec("seniority", choice("seniority")),
        "state": Spec("state_code", state),
        "city": Spec("city", CITY),
        "remote_policy": Spec("remote_policy", choice("remote_policies")),
        "relocation_support": Spec("relocation_support", boolean),
        "salary_min": Spec("salary_min", whole),
        "salary_max": Spec("salary_max", whole),
        "salary_currency": Spec("salary_currency", choice(CURRENCIES)),
        "closes_on": Spec("closes_on", day),
        "status": Spec("status", STATUS),
        "free_skills": Spec("free_skills", terms),
        "min_degree": Spec("min_degree", choice("degrees")),
        "residence": Spec("residence", choice("residence")),
        "required_languages": Spec("required_languages", choices("languages")),
        "sponsors_work_permit": Spec("sponsors_work_permit", boolean),
    },
    "challenge": {
        "organization": Spec("", REF, True),
        "title": Spec("title", NAME, True),
        "problem": Spec("problem", LONG),
        "desired_outcome": Spec("desired_outcome", LONG),
        "data_available": Spec("data_available", LONG),
        "sector": Spec("sector", choice("sectors")),
        "stage": Spec("stage", choice("stages")),
        "eligibility": Spec("eligibility", choices("eligibility")),
        "skills": Spec("", terms),
        "budget_min": Spec("budget_min", whole),
        "budget_max": Spec("budget_max", whole),
        "budget_currency": Spec("budget_currency", choice(CURRENCIES)),
        "state": Spec("state_code", state),
        "closes_on": Spec("closes_on", day),
        "status": Spec("status", STATUS),
        "free_skills": Spec("free_skills", terms),
    },
    "profile": {
        "email": Spec("", email, True),
        "full_name": Spec("full_name", text(120), True),
        "headline": Spec("headline", NAME),
        "bio": Spec("bio", LONG),
        "kind": Spec("kind", choice("profile_kinds")),
        "seniority": Spec("seniority", choice("seniority")),
        "skills": Spec("", terms),
        "free_skills": Spec("free_skills", terms),
        "languages": Spec("languages", choices("languages")),
        "country": Spec("country_code", country),
        "state": Spec("state_code", state),
        "city": Spec("city", CITY),
        "diaspora_status": Spec("diaspora_status", choice("diaspora_status")),
        "open_to": Spec("open_to", choices("open_to")),
        "available_from": Spec("available_from", day),
        "work_modes": Spec("work_modes", choices("remote_policies")),
        "relocate": Spec("relocate", boolean),
        "degree": Spec("degree", choice("degrees")),
        "needs_work_permit": Spec("needs_work_permit", boolean),
        "links": Spec("links", urls),
        "visibility": Spec("visibility", choice("visibility")),
        "contact_consent": Spec("contact_consent", boolean),
        "matching_consent": Spec("matching_consent", boolean),
        "locale": Spec("", choice(LOCALES)),
        "organizations": Spec("", roles),
        "organization": Spec("", REF),
        "role": Spec("", choice(OrgRole.ALL)),
    },
}


def check_row(kind: str, values: dict[str, Any], extra: dict[str, Any]) -> list[str]:
    """Rules across fields of one record; normalises extra["organizations"] to {ref: role}."""
    problems: list[str] = []
    for low, high in (("salary_min", "salary_max"), ("budget_min", "budget_max")):
        if values.get(high) is not None and values.get(low, 0) > values[high]:
            problems.append(f"{high} cannot be lower than {low}")
    if kind in ("opening", "challenge") and "organization" in extra:
        extra["organizations"] = {extra.pop("organization"): None}
    if kind == "profile":
        memberships = dict(extra.get("organizations", {}))
        if "organization" in extra:
            memberships[extra.pop("organization")] = extra.pop("role", OrgRole.EDITOR)
        elif "role" in extra:
            problems.append("role needs an organization")
        extra["organizations"] = memberships
        abroad = values.get("country_code", "MX") != "MX"
        if abroad and "state_code" in values:
            problems.append("state is only for people living in Mexico (country MX)")
        if values.get("diaspora_status") == "abroad" and not abroad:
            problems.append("diaspora_status abroad needs a country other than MX")
    return problems
