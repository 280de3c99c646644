"""Snippets with the query's words marked: pure text in, (text, marked) segments out.

Nothing here builds HTML: a template prints each segment through autoescape and wraps
the marked ones in <mark>, so a record's text can never inject markup.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..matching.language import ENGLISH_WORDS, SPANISH_WORDS
from ..text import fold

SNIPPET_CHARS = 220  # about two lines of a card
STOP_WORDS = SPANISH_WORDS | ENGLISH_WORDS | {"ai", "es", "is", "are", "son"}
_PUNCTUATION = "\"'.,;:!?¿¡()[]{}«»“”*_#`"
# Markdown that would show as stray symbols in a one-line snippet.
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"(^|\s)(#{1,6}|>|[-*+]|\d+\.)\s+|[*_`]{1,3}")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Segment:
    """A piece of text, marked when it is one of the query's words."""

    text: str
    marked: bool = False


def plain(text: str | None) -> str:
    """Markdown reduced to one line of plain text (links keep their words; anything else,
    markup included, stays text for the template to escape)."""
    text = _LINK.sub(r"\1", text or "")
    text = _MARKUP.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def highlight_terms(query: str, limit: int = 8) -> list[str]:
    """The query's folded words worth marking: no stop words, at most `limit`."""
    terms: list[str] = []
    for word in fold(query).split():
        term = word.strip(_PUNCTUATION)[:60]
        if term and term not in STOP_WORDS and term not in terms:
            terms.append(term)
    return terms[:limit]


def _stem(term: str) -> str:
    """A plural's stem, so "modelos" marks "modelo" and "modelos" alike."""
    if len(term) >= 5 and term.endswith("es") and not term.endswith("ces"):
        return term[:-2]
    if len(term) >= 4 and term.endswith("s"):
        return term[:-1]
    return term


def _pattern(terms: list[str]) -> re.Pattern[str] | None:
    """Words that begin with a term (short terms: whole words only, "IA" is not "Iata")."""
    parts = []
    for term in sorted(set(terms), key=len, reverse=True):
        stem = re.escape(_stem(term))
        parts.append(rf"{stem}\w*" if len(term) > 3 else rf"{re.escape(term)}(?!\w)")
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")") if parts else None


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each folded character the index of its original one."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        decomposed = unicodedata.normalize("NFKD", char)
        folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
        for piece in folded:
            chars.append(piece)
            origin.append(index)
    return "".join(chars), origin


def spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where the terms occur in `text` (original indexes), accents and case ignored."""
    pattern = _pattern(terms)
    if pattern is None or not text:
        return []
    folded, origin = _folded_with_map(text)
    found: list[tuple[int, int]] = []
    for match in pattern.finditer(folded):
        start, end = origin[match.start()], origin[match.end() - 1] + 1
        if not found or start >= found[-1][1]:
            found.append((start, end))
    return found


def segments(text: str, terms: list[str]) -> list[Segment]:
    """The whole text cut into plain and marked segments."""
    out: list[Segment] = []
    at = 0
    for start, end in spans(text, terms):
        if start > at:
            out.append(Segment(text[at:start]))
        out.append(Segment(text[start:end], True))
        at = end
    if at < len(text):
        out.append(Segment(text[at:]))
    return out


def snippet(text: str | None, terms: list[str], size: int = SNIPPET_CHARS) -> list[Segment]:
    """About `size` characters of plain text around the first query word, marked."""
    body = plain(text)
    if not body:
        return []
    found = spans(body, terms)
    start = 0
    if found and found[0][1] > size - 40:
        # Start a little before the first word found, at a word boundary.
        start = max(0, found[0][0] - 60)
        space = body.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else start
    end = min(len(body), start + size)
    if end < len(body):
        space = body.rfind(" ", start + size // 2, end)
        end = space if space > start else end
    window = body[start:end].strip()
    parts = segments(window, terms)
    if start > 0:
        parts.insert(0, Segment("… "))
    if end < len(body):
        parts.append(Segment(" …"))
    return parts


def contains_phrase(text: str | None, phrase: str) -> bool:
    """Whether the folded phrase occurs in the folded text as whole words."""
    folded_phrase = fold(phrase).strip(_PUNCTUATION)
    if not folded_phrase or not text:
        return False
    pattern = r"(?<!\w)" + re.escape(folded_phrase) + r"(?!\w)"
    return re.search(pattern, fold(text)) is not None


def terms_in(text: str | None, terms: list[str]) -> list[str]:
    """Which of the terms occur in the text (in the terms' order)."""
    if not text:
        return []
    return [term for term in terms if spans(text, [term])]
