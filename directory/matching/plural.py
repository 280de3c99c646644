"""Plural to singular for search queries, by the general rules of Spanish and English.

Records name one thing ("Ingeniera de datos", "Data scientist"); people often search in
the plural ("ingenieros de datos", "data scientists"). Bringing the query's words to the
singular lets both the embeddings and the character n-grams meet the record's wording.
The rules are the grammar's, not a word list: Spanish -ones → -ón, -ces → -z, -es after
l, r, n, d, j or y, and -s after an unaccented a, e or o; English -ies → -y, -sses/-ches/
-shes/-xes → drop -es, and a final -s except after s, u, i or an apostrophe. Short words
and names (capitals inside, as in MLOps or AWS, unless the whole query is in capitals)
are left alone. Measured on MELO (see
bench/matching_quality.py), where it lifts every direction; only queries are changed,
because records are already named in the singular.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+")


def _spanish(word: str) -> str:
    if len(word) <= 4:  # las, los, más, tres, unos...
        return word
    if word.endswith("iones"):
        return word[:-5] + "ión"
    if word.endswith("ces"):
        return word[:-3] + "z"
    if word.endswith("es") and word[-3] in "lrndjy":
        return word[:-2]
    # Words in -is/-us (análisis, virus) and accented -és (inglés) are singular already.
    if word.endswith("s") and word[-2] in "aeo":
        return word[:-1]
    return word


def _english(word: str) -> str:
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if word.endswith("s") and word[-2] not in "sui'":
        return word[:-1]
    return word


def singular_query(text: str, language: str) -> str:
    """The query with each plain word brought to the singular ("es" or "en" rules).

    In a query typed all in capitals every word is plain (the query comes back lower-cased,
    as the models read it anyway); otherwise a word with a capital after its first letter
    or a digit (MLOps, AWS, GPT4) is a name and stays as typed.
    """
    rule = _english if language == "en" else _spanish
    shouted = not any(ch.islower() for ch in text)

    def one(match: re.Match[str]) -> str:
        word = match.group(0)
        if any(ch.isdigit() for ch in word):
            return word
        if shouted:
            return rule(word.lower())
        if any(ch.isupper() for ch in word[1:]):
            return word
        lowered = word.lower()
        changed = rule(lowered)
        if changed == lowered:
            return word
        return changed.capitalize() if word[0].isupper() else changed

    return _WORD.sub(one, text)
