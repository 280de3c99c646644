"""A tiny Spanish/English guess, enough to weigh lexical evidence across languages.

Character n-grams help when query and record share a language and mislead when they do
not ("director" vs "directora" helps; "ingeniero" vs "engineer" shares little). The
product only needs to know which side of that line a pair is on.
"""

from __future__ import annotations

import re

from ..text import fold

SPANISH_WORDS = frozenset(
    ("de", "la", "el", "los", "las", "del", "y", "en", "para", "con", "por", "un", "una",
     "al", "o", "su", "sus", "que", "se", "como", "sin", "sobre", "entre", "hacia", "desde",
     "segun")
)  # fmt: skip
ENGLISH_WORDS = frozenset(
    ("of", "the", "and", "for", "in", "with", "to", "on", "at", "by", "an", "a", "or", "from",
     "as", "into", "over", "under", "without")
)  # fmt: skip
SPANISH_ENDINGS = ("cion", "ciones", "dor", "dora", "dores", "ero", "era", "eros", "ista",
                   "istas", "ia", "ico", "ica", "ado", "ada", "ante", "ente", "idad", "os",
                   "as", "o", "a")  # fmt: skip
ENGLISH_ENDINGS = ("tion", "tions", "er", "ers", "or", "ors", "ist", "ing", "ment", "ness",
                   "ant", "ent", "ity", "ic", "ical", "y", "s")  # fmt: skip
_WORD = re.compile(r"[a-z]+")


def guess_language(text: str) -> str:
    """Return "es" or "en" (Spanish when unsure: the product's first language)."""
    raw = text.casefold()
    if any(ch in raw for ch in "ñ¿¡áéíóú"):
        return "es"
    words = _WORD.findall(fold(text))
    if not words:
        return "es"
    spanish = english = 0.0
    for word in words:
        if word in SPANISH_WORDS:
            spanish += 2
        elif word in ENGLISH_WORDS:
            english += 2
        else:
            es_end = max((len(e) for e in SPANISH_ENDINGS if word.endswith(e)), default=0)
            en_end = max((len(e) for e in ENGLISH_ENDINGS if word.endswith(e)), default=0)
            # Longer endings are stronger evidence: "-ción" says more than "-a".
            if es_end > en_end:
                spanish += es_end / 2
            elif en_end > es_end:
                english += en_end / 2
    return "en" if english > spanish else "es"
