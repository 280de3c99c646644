"""A search result as a card: kind, organisation, place, marked snippet, reasons, band.

Only the attributes read here ever reach the page (no e-mail, phone or private field can
slip in through a template that reads a record at will).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .. import geo, vocab
from ..matching_views.present import title_of, url_of
from ..reasons import kind_label
from . import reasons as why
from .snippets import Segment, snippet


@dataclass(frozen=True)
class Evidence:
    """What the two searches knew of a record: its closeness in meaning and language."""

    similarity: float | None = None  # common-scale cosine, None when meaning did not find it
    language: str | None = None  # the record's language per the index ("es"/"en")


@dataclass(frozen=True)
class Card:
    """One result, ready to render (every text is printed through autoescape)."""

    kind: str
    id: int
    kind_label: str
    title: str
    url: str
    organization: str = ""
    organization_url: str = ""
    place: str = ""
    snippet: list[Segment] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    band: why.Band | None = None

    @property
    def with_avatar(self) -> bool:
        """People and organisations show initials (or a photo) beside their name."""
        return self.kind in ("profile", "organization")


def body_text(kind: str, record: Any, locale: str) -> str:
    """The text a snippet is cut from: what the record's own page leads with."""
    if kind == "opening":
        return record.description or ""
    if kind == "challenge":
        return " ".join(part for part in (record.problem, record.desired_outcome) if part)
    if kind == "profile":
        return ". ".join(part for part in (record.headline, record.bio) if part)
    if kind == "story":
        return " ".join(part for part in (record.summary(locale), record.body(locale)) if part)
    return record.description or ""


def place_of(kind: str, record: Any, locale: str) -> str:
    """City and state, the country when abroad, or "Remote" for a remote opening."""
    if kind == "story":
        return ""
    policy = getattr(record, "remote_policy", None)
    if policy == "remote":
        return vocab.label("remote_policies", "remote")
    country = getattr(record, "country_code", None)
    region = (
        geo.country_name(country, locale)
        if country and country != "MX"
        else geo.state_name(record.state_code)
    )
    text = ", ".join(part for part in (getattr(record, "city", "") or "", region) if part)
    if policy == "hybrid" and text:
        text = f"{text} ({vocab.label('remote_policies', 'hybrid')})"
    return text


def card(
    kind: str,
    record: Any,
    *,
    query: str,
    terms: list[str],
    evidence: Evidence,
    query_language: str,
    locale: str,
) -> Card:
    """Build the card of one loaded, re-checked record."""
    title = title_of(kind, record, locale)
    text = body_text(kind, record, locale)
    organization = getattr(record, "organization", None) if kind != "profile" else None
    language = evidence.language
    other = language if language and language != query_language else None
    return Card(
        kind=kind,
        id=record.id,
        kind_label=kind_label(kind),
        title=title,
        url=url_of(kind, record),
        organization=organization.name if organization is not None else "",
        organization_url=url_of("organization", organization) if organization is not None else "",
        place=place_of(kind, record, locale),
        snippet=snippet(text, terms),
        reasons=why.explain(
            kind,
            record,
            title=title,
            text=text,
            query=query,
            terms=terms,
            similarity=evidence.similarity,
            other_language=other,
            locale=locale,
        ),
        band=why.band(evidence.similarity),
    )
