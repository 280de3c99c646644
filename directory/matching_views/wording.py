"""What a match card says beyond the ranking's reasons: the fit and its band, what two
descriptions have in common, and the team sentence on a challenge's solvers page."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from babel.lists import format_list
from flask_babel import gettext as _
from flask_babel import ngettext

from ..matching.ranking import FIT_BANDS, Team

MAX_TOPICS = 3
# Words that say nothing about the work, in both languages (longer than four letters:
# shorter words are skipped anyway).
_STOPWORDS = """
    about above after again against among around because before being below between both
    could doing during either every first from further having into itself might other
    others ought their theirs there these they this those through under until using where
    which while whose would years year experience working work looking seeking team teams
    company people person role roles based including within across build building
    sobre entre desde hasta hacia para porque cuando donde mientras como cada todos todas
    otro otra otros otras este esta estos estas ellos ellas nuestro nuestra nuestros
    nuestras tiene tienen tener hacer trabajo trabajos experiencia buscamos busco buscando
    equipo equipos empresa persona personas también tambien ademas además puede pueden
    mucho muchos según segun alguien años anos durante través traves contra sobre siendo
    están estan estar somos ser fueron será sera nuevo nueva nuevos nuevas parte
    """
_WORD = re.compile(r"[^\W\d_]{5,}", re.UNICODE)


def fit_label(band: str) -> str:
    """The translated name of a fit band, e.g. "Strong fit"."""
    labels = {
        "strong": _("Strong fit"),
        "good": _("Good fit"),
        "partial": _("Partial fit"),
        "weak": _("Weak fit"),
    }
    return labels.get(band, labels["weak"])


def fit_help() -> str:
    """What the fit number means, for the badge's tooltip and the help text."""
    bands = dict(FIT_BANDS)
    return _(
        "Fit out of 100, the same scale for every list: %(strong)d or more is a strong fit "
        "(skills, field and place line up), %(good)d to %(strong_below)d a good fit with a gap "
        "or two, %(partial)d to %(good_below)d a partial fit. It is not a ranking within this "
        "list: a list may hold no strong fit at all.",
        strong=bands["strong"],
        strong_below=bands["strong"] - 1,
        good=bands["good"],
        good_below=bands["good"] - 1,
        partial=bands["partial"],
    )


def _key(word: str) -> str:
    """A word compared without case, accents or a plural s."""
    plain = unicodedata.normalize("NFKD", word.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    if plain.endswith("es") and len(plain) > 6:
        return plain[:-2]
    return plain[:-1] if plain.endswith("s") and len(plain) > 5 else plain


STOPWORDS = frozenset(_key(word) for word in _STOPWORDS.split())


def _words(text: str) -> Counter[str]:
    return Counter(_key(w) for w in _WORD.findall(text or "") if _key(w) not in STOPWORDS)


def shared_topics(seeker_text: str, target_text: str, skip: list[str] | None = None) -> list[str]:
    """Up to three words both texts use (as the target writes them), most used first.

    Words already shown as shared skills (`skip`) are left out: a card says each thing once.
    """
    skipped = {_key(w) for label in skip or [] for w in _WORD.findall(label)}
    mine, theirs = _words(seeker_text), _words(target_text)
    common = [key for key in theirs if key in mine and key not in skipped]
    common.sort(key=lambda key: (-(min(mine[key], theirs[key])), -len(key), key))
    shown: dict[str, str] = {}
    for word in _WORD.findall(target_text or ""):
        key = _key(word)
        if key in common[:MAX_TOPICS] and key not in shown:
            shown[key] = word.casefold()
    return [shown[key] for key in common[:MAX_TOPICS] if key in shown]


def topics_text(topics: list[str], locale: str) -> str:
    """The reason that replaces "Similar description": what both texts talk about."""
    return _("Both descriptions talk about %(topics)s", topics=format_list(topics, locale=locale))


def team_sentence(team: Team, missing: list[str], locale: str) -> str:
    """E.g. "Together they cover 5 of the 6 skills the challenge asks for (83%); the best
    single organisation or person covers 50%. Still missing: Robotics."."""
    covered = ngettext(
        "Together they cover %(covered)d of the %(num)d skill the challenge asks for "
        "(%(percent)d%%); the best single organisation or person covers %(best)d%%.",
        "Together they cover %(covered)d of the %(num)d skills the challenge asks for "
        "(%(percent)d%%); the best single organisation or person covers %(best)d%%.",
        len(team.wanted),
        covered=len(team.covered),
        percent=round(100 * team.coverage),
        best=round(100 * team.best_single),
    )
    if not missing:
        return covered + " " + _("No skill is left uncovered.")
    still = ngettext(
        "Still missing: %(skills)s.",
        "Still missing: %(skills)s.",
        len(missing),
        skills=format_list(missing, locale=locale),
    )
    return covered + " " + still
