"""The shape a risk questionnaire must have before it can be saved or used.

A questionnaire is data (directory/data/risk_questionnaire.json, then versions curators
save): `questions` (each with bilingual text, a principle and options worth points),
`levels` (low, medium, high with the points from which each starts) and `safeguards`
(each with bilingual label and prompt, a principle, and the level from which it is
required). `problems()` lists everything wrong with a document in the reader's language,
so a curator's edit is refused with reasons rather than saved broken.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l

from ...models.proposals import RiskLevel

CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
PRINCIPLES = ("transparency", "accountability", "fairness", "privacy", "safety",
              "human_oversight")  # fmt: skip
MAX_QUESTIONS, MAX_OPTIONS, MAX_SAFEGUARDS = 20, 6, 12
MAX_POINTS = 10
TEXT_MAX, LABEL_MAX, SUMMARY_MAX = 500, 300, 500
LANGS = ("es", "en")


def _text(item: dict[str, Any], key: str, limit: int, where: str, out: list[str]) -> None:
    for lang in LANGS:
        value = item.get(f"{key}_{lang}")
        if not isinstance(value, str) or not value.strip():
            out.append(str(_l("%(where)s: the text in both languages is required.", where=where)))
            return
        if len(value) > limit:
            out.append(str(_l("%(where)s: use at most %(max)d characters.", where=where,
                              max=limit)))  # fmt: skip
            return


def _code(item: dict[str, Any], seen: set[str], where: str, out: list[str]) -> None:
    code = item.get("code")
    if not isinstance(code, str) or not CODE.match(code):
        out.append(str(_l("%(where)s: the code must be lower-case letters, digits and _.",
                          where=where)))  # fmt: skip
    elif code in seen:
        out.append(str(_l("%(where)s: the code “%(code)s” is used twice.", where=where,
                          code=code)))  # fmt: skip
    else:
        seen.add(code)


def _principle(item: dict[str, Any], where: str, out: list[str]) -> None:
    if item.get("principle") not in PRINCIPLES:
        out.append(str(_l("%(where)s: choose one of the principles.", where=where)))


def _points(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_POINTS


def _questions(doc: dict[str, Any], out: list[str]) -> int:
    """Check the questions; return the highest score they allow."""
    questions = doc.get("questions")
    if not isinstance(questions, list) or not 1 <= len(questions) <= MAX_QUESTIONS:
        out.append(str(_l("Write between 1 and %(max)d questions.", max=MAX_QUESTIONS)))
        return 0
    seen: set[str] = set()
    top = 0
    for n, question in enumerate(questions, 1):
        where = str(_l("Question %(n)d", n=n))
        if not isinstance(question, dict):
            out.append(where)
            continue
        _code(question, seen, where, out)
        _principle(question, where, out)
        _text(question, "text", TEXT_MAX, where, out)
        options = question.get("options")
        if not isinstance(options, list) or not 2 <= len(options) <= MAX_OPTIONS:
            out.append(str(_l("%(where)s: give between 2 and %(max)d options.", where=where,
                              max=MAX_OPTIONS)))  # fmt: skip
            continue
        codes: set[str] = set()
        best = 0
        for m, option in enumerate(options, 1):
            spot = str(_l("Question %(n)d, option %(m)d", n=n, m=m))
            if not isinstance(option, dict):
                out.append(spot)
                continue
            _code(option, codes, spot, out)
            _text(option, "label", LABEL_MAX, spot, out)
            if not _points(option.get("points")):
                out.append(str(_l("%(where)s: points must be a whole number from 0 to %(max)d.",
                                  where=spot, max=MAX_POINTS)))  # fmt: skip
            else:
                best = max(best, option["points"])
        top += best
    return top


def _levels(doc: dict[str, Any], top: int, out: list[str]) -> None:
    levels = doc.get("levels")
    codes = [level.get("code") for level in levels or [] if isinstance(level, dict)]
    if not isinstance(levels, list) or codes != list(RiskLevel.ALL):
        out.append(str(_l("Give the levels low, medium and high, in that order.")))
        return
    starts = [level.get("min_points") for level in levels]
    if not all(isinstance(s, int) and not isinstance(s, bool) for s in starts):
        out.append(str(_l("Each level starts at a whole number of points.")))
        return
    if not 0 == starts[0] < starts[1] < starts[2] <= max(top, 1):
        out.append(str(_l("Low starts at 0 points, medium above it and high above medium, at "
                          "most at the highest score the questions allow (%(top)d).",
                          top=top)))  # fmt: skip
    for level in levels:
        where = str(_l("Level %(level)s", level=level["code"]))
        _text(level, "summary", SUMMARY_MAX, where, out)


def _safeguards(doc: dict[str, Any], out: list[str]) -> None:
    safeguards = doc.get("safeguards")
    if not isinstance(safeguards, list) or not 1 <= len(safeguards) <= MAX_SAFEGUARDS:
        out.append(str(_l("Write between 1 and %(max)d safeguards.", max=MAX_SAFEGUARDS)))
        return
    seen: set[str] = set()
    for n, safeguard in enumerate(safeguards, 1):
        where = str(_l("Safeguard %(n)d", n=n))
        if not isinstance(safeguard, dict):
            out.append(where)
            continue
        _code(safeguard, seen, where, out)
        _principle(safeguard, where, out)
        _text(safeguard, "label", LABEL_MAX, where, out)
        _text(safeguard, "prompt", TEXT_MAX, where, out)
        if safeguard.get("from_level") not in RiskLevel.ALL:
            out.append(str(_l("%(where)s: say from which level it is required.", where=where)))


def problems(doc: Any) -> list[str]:
    """Everything wrong with a questionnaire document (empty when it can be used)."""
    if not isinstance(doc, dict):
        return [str(_l("The questionnaire must be a JSON object."))]
    out: list[str] = []
    top = _questions(doc, out)
    _levels(doc, top, out)
    _safeguards(doc, out)
    return out
