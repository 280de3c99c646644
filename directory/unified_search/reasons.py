"""Why a record matched, in words a visitor understands, and how close in meaning it is.

The closeness is absolute: a band of the best model's cosine on MiniLM's common scale
(matching/service.py `on_common_scale`), measured on a small Spanish/English set
(README): exact topics score about 0.6–0.9, cross-language matches 0.35–0.6, unrelated
texts 0.0–0.45. So a hit's band never depends on the other hits of the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from .snippets import contains_phrase, highlight_terms, terms_in

# Common-scale cosine bands (see the module docstring); below CLOSE no band is shown.
VERY_CLOSE, CLOSE = 0.60, 0.48
MAX_REASONS = 3
MAX_SKILLS = 3
QUOTE_CHARS = 60


@dataclass(frozen=True)
class Band:
    """A closeness band: a stable name for CSS and tests, and its label."""

    code: str
    label: str


def band(similarity: float | None) -> Band | None:
    """The absolute band of a common-scale cosine, or None below "close"."""
    if similarity is None:
        return None
    if similarity >= VERY_CLOSE:
        return Band("very-close", _("Very close in meaning"))
    if similarity >= CLOSE:
        return Band("close", _("Close in meaning"))
    return None


def quoted(words: list[str]) -> str:
    """Words in Spanish quotes, e.g. «visión», «drones»."""
    return ", ".join(f"«{word}»" for word in words)


def _short(query: str) -> str:
    query = " ".join(query.split())
    return query if len(query) <= QUOTE_CHARS else query[: QUOTE_CHARS - 1].rstrip() + "…"


def original_words(query: str, terms: list[str]) -> list[str]:
    """The query's words as typed for these folded terms (accents and case kept)."""
    by_term: dict[str, str] = {}
    for word in query.split():
        folded = highlight_terms(word, 1)
        if folded and folded[0] not in by_term:
            by_term[folded[0]] = word.strip("\"'.,;:!?¿¡()[]{}«»“”")
    return [by_term.get(term, term) for term in terms]


def _skill_labels(record: Any, query: str, terms: list[str], locale: str) -> list[str]:
    """The record's skills named by the query, in the viewer's language."""
    found: list[str] = []
    for skill in getattr(record, "skills", None) or []:
        names = (skill.label_es, skill.label_en)
        if any(terms_in(name, terms) or contains_phrase(query, name) for name in names):
            found.append(skill.label(locale))
    for name in getattr(record, "free_skills", None) or []:
        if isinstance(name, str) and (terms_in(name, terms) or contains_phrase(query, name)):
            found.append(name)
    return list(dict.fromkeys(found))[:MAX_SKILLS]


def explain(
    kind: str,
    record: Any,
    *,
    title: str,
    text: str,
    query: str,
    terms: list[str],
    similarity: float | None,
    other_language: str | None,
    locale: str,
) -> list[str]:
    """Up to MAX_REASONS sentences: words in the title, skills, words in the text, meaning."""
    reasons: list[str] = []
    in_title = terms_in(title, terms)
    if len(terms) > 1 and contains_phrase(title, query):
        reasons.append(_("Contains «%(words)s» in its title", words=_short(query)))
    elif in_title:
        words = quoted(original_words(query, in_title))
        reasons.append(_("Contains %(words)s in its title", words=words))
    skills = _skill_labels(record, query, terms, locale)
    if skills:
        reasons.append(
            ngettext("Skill: %(names)s", "Skills: %(names)s", len(skills), names=", ".join(skills))
        )
    in_text = [term for term in terms_in(text, terms) if term not in in_title]
    if in_text:
        words = quoted(original_words(query, in_text))
        if kind == "profile":
            reasons.append(_("Mentions %(words)s in their profile", words=words))
        else:
            reasons.append(_("Mentions %(words)s in its description", words=words))
    reasons.extend(_meaning(reasons, query, similarity, other_language))
    if not reasons:
        reasons.append(_("Spelled much like your search"))
    return reasons[:MAX_REASONS]


def _meaning(
    reasons: list[str], query: str, similarity: float | None, other_language: str | None
) -> list[str]:
    """The semantic reason, when meaning (not only shared words) brought the record."""
    if similarity is None or (band(similarity) is None and reasons):
        return []
    if band(similarity) is None:
        return [_("Loosely related to «%(query)s»", query=_short(query))]
    if other_language == "en":
        return [_("Similar meaning: «%(query)s» (written in English)", query=_short(query))]
    if other_language == "es":
        return [_("Similar meaning: «%(query)s» (written in Spanish)", query=_short(query))]
    if reasons:
        return []  # the words already say why; the band says how close
    return [_("Similar meaning: «%(query)s»", query=_short(query))]
