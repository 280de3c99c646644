"""Any listed record as an Atom entry, in the feed's language, with its public fields only.

The fields are those of the record's card in the directory (public/_cards.html): a
title, who posts it, kind, place, closing date and a plain-text excerpt. Nothing that
the public page hides (a profile's phone, e-mail or consents, an organisation's members,
a held edit) is ever read here. Call inside `force_locale(lang)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _

from .. import geo, vocab
from ..models import Challenge, Opening, Organization, Profile
from ..text import render_markdown
from .atom import Entry
from .stories import story_entry

EXCERPT = 300  # characters of a description in a summary


def excerpt(markdown_text: str | None, size: int = EXCERPT) -> str:
    """The plain text of user Markdown, cut at a word near `size` characters."""
    text = " ".join(render_markdown(markdown_text).striptags().split())
    if len(text) <= size:
        return text
    return text[:size].rsplit(" ", 1)[0] + "…"


def _place(record: Any, lang: str) -> str:
    """City and state (or country abroad), as on the cards."""
    country = getattr(record, "country_code", "MX") or "MX"
    abroad = country != "MX"
    region = geo.country_name(country, lang) if abroad else geo.state_name(record.state_code)
    return ", ".join(part for part in (getattr(record, "city", ""), region) if part)


def _skills(record: Any, lang: str) -> tuple[tuple[str, str], ...]:
    return tuple((skill.slug, skill.label(lang)) for skill in getattr(record, "skills", []))


def _line(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


def _closes(post: Opening | Challenge) -> str:
    if post.closes_on is None:
        return ""
    return _("Closes on %(date)s", date=format_date(post.closes_on, "long"))


def opening_entry(post: Opening, lang: str) -> Entry:
    """An opening: title, organisation, kind, work mode, place, closing date, description."""
    head = _line(
        post.organization.name,
        vocab.label("opening_kinds", post.kind),
        vocab.label("remote_policies", post.remote_policy),
        _place(post, lang),
        _closes(post),
    )
    return Entry(
        url=url_for("public.opening", opening_id=post.id, _external=True),
        title=post.title,
        published=post.published_at,
        updated=post.updated_at,
        summary=_line(head, excerpt(post.description)),
        categories=_skills(post, lang),
    )


def challenge_entry(post: Challenge, lang: str) -> Entry:
    """A challenge: title, organisation, stage, sector, closing date, the problem."""
    head = _line(
        post.organization.name,
        vocab.label("stages", post.stage),
        vocab.label("sectors", post.sector) if post.sector else "",
        _place(post, lang),
        _closes(post),
    )
    return Entry(
        url=url_for("public.challenge", challenge_id=post.id, _external=True),
        title=post.title,
        published=post.published_at,
        updated=post.updated_at,
        summary=_line(head, excerpt(post.problem)),
        categories=_skills(post, lang),
    )


def organization_entry(org: Organization, lang: str) -> Entry:
    """An organisation: name, kind, place, description."""
    return Entry(
        url=url_for("public.organization", slug=org.slug, _external=True),
        title=org.name,
        published=org.published_at,
        updated=org.updated_at,
        summary=_line(
            vocab.label("org_kinds", org.kind), _place(org, lang), excerpt(org.description)
        ),
        categories=_skills(org, lang),
    )


def profile_entry(person: Profile, lang: str) -> Entry:
    """A person, as their card shows them: name, kind, place, headline."""
    return Entry(
        url=url_for("public.profile", profile_id=person.id, _external=True),
        title=person.full_name,
        published=None,
        updated=person.updated_at,
        summary=_line(
            vocab.label("profile_kinds", person.kind), _place(person, lang), person.headline
        ),
        categories=_skills(person, lang),
    )


BUILDERS: dict[str, Callable[[Any, str], Entry]] = {
    "opening": opening_entry,
    "challenge": challenge_entry,
    "organization": organization_entry,
    "profile": profile_entry,
    "story": story_entry,
}


def entry_for(kind: str, record: Any, lang: str) -> Entry:
    """The Atom entry of a record of any listed kind."""
    return BUILDERS[kind](record, lang)
