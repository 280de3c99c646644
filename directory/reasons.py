"""Match reasons as sentences in the viewer's language.

The ranking layer explains a match with codes and parameters (skill ids, state codes,
levels); this module turns them into translated text at the last moment, so one match
reads in Spanish for one viewer and in English for the next.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from babel.lists import format_list
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from . import geo, vocab
from .extensions import db
from .i18n import current_locale
from .matching.ranking import Match, Reason, Team
from .models import Skill

# Score bands: where a match reads as excellent, good or merely possible (scores 0–100).
EXCELLENT, GOOD = 70, 45


@dataclass(frozen=True)
class ReasonText:
    """One reason, ready to show: its code, its sentence and whether it speaks for the match."""

    code: str
    text: str
    positive: bool


def score_band(score: int) -> str:
    """The band of a score: "excellent", "good" or "possible" (a stable CSS/JSON name)."""
    if score >= EXCELLENT:
        return "excellent"
    if score >= GOOD:
        return "good"
    return "possible"


def score_label(score: int) -> str:
    """The translated name of a score's band, e.g. "Excellent"."""
    labels = {"excellent": _("Excellent"), "good": _("Good"), "possible": _("Possible")}
    return labels[score_band(score)]


def load_skills(ids: Iterable[int | str]) -> dict[int, Skill]:
    """Skill rows by id, in one query (free-text skills, which are strings, need none)."""
    wanted = sorted({i for i in ids if isinstance(i, int)})
    if not wanted:
        return {}
    return {s.id: s for s in db.session.scalars(select(Skill).where(Skill.id.in_(wanted)))}


def skill_labels(ids: Iterable[int | str], skills: dict[int, Skill], locale: str) -> list[str]:
    """The labels of these skills in the locale, alphabetical (unknown ids are skipped).

    A free-text skill (a string) is shown as its author wrote it.
    """
    labels = [key if isinstance(key, str) else skills[key].label(locale) for key in ids
              if isinstance(key, str) or key in skills]  # fmt: skip
    return sorted(labels, key=str.casefold)


def _joined(labels: list[str], locale: str) -> str:
    # "A, B y C" / "A, B, and C": the list pattern of the viewer's language.
    return format_list(labels, locale=locale) if labels else ""


def _skills_shared(reason: Reason, skills: dict[int, Skill], locale: str) -> str:
    labels = skill_labels(reason.params.get("skills", []), skills, locale)
    return ngettext(
        "Shares the skill %(skills)s",
        "Shares %(num)d skills: %(skills)s",
        len(labels),
        skills=_joined(labels, locale),
    )


def _skills_missing(reason: Reason, skills: dict[int, Skill], locale: str) -> str:
    labels = skill_labels(reason.params.get("skills", []), skills, locale)
    return ngettext(
        "Missing the skill %(skills)s",
        "Missing %(num)d skills: %(skills)s",
        len(labels),
        skills=_joined(labels, locale),
    )


def _fresh(reason: Reason, _skills: dict[int, Skill], _locale: str) -> str:
    days = int(reason.params.get("days", 0) or 0)
    if days <= 0:
        return _("Published today")
    return ngettext("Published yesterday", "Published %(num)d days ago", days)


def _state(reason: Reason) -> str:
    return geo.state_name(reason.params.get("state")) or str(reason.params.get("state") or "")


def _level(reason: Reason) -> str:
    return vocab.label("seniority", reason.params.get("level"))


def _degree(reason: Reason) -> str:
    return vocab.label("degrees", reason.params.get("degree"))


def _mode(reason: Reason) -> str:
    return vocab.label("remote_policies", reason.params.get("mode"))


def _languages(reason: Reason, locale: str) -> str:
    names = [vocab.label("languages", code) for code in reason.params.get("languages", [])]
    return _joined(names, locale)


def _available_later(reason: Reason, _skills: dict[int, Skill], _locale: str) -> str:
    days = int(reason.params.get("days", 0) or 0)
    return ngettext("Available only in %(num)d day", "Available only in %(num)d days", days)


Renderer = Callable[[Reason, dict[int, Skill], str], str]

RENDERERS: dict[str, Renderer] = {
    "skills_shared": _skills_shared,
    "skills_missing": _skills_missing,
    "same_state": lambda r, s, loc: _("Same state: %(state)s", state=_state(r)),
    "nearby_state": lambda r, s, loc: _("Nearby state: %(state)s", state=_state(r)),
    "remote": lambda r, s, loc: _("Remote work is possible"),
    "relocation": lambda r, s, loc: _("Relocation support offered"),
    "relocation_for_return": lambda r, s, loc: _(
        "Relocation support for someone open to returning to Mexico"
    ),
    "open_to_return": lambda r, s, loc: _("Open to returning to Mexico"),
    "seniority_fit": lambda r, s, loc: _("Seniority fits: %(level)s", level=_level(r)),
    "seniority_gap": lambda r, s, loc: _("Asks for another seniority: %(level)s", level=_level(r)),
    "fresh": _fresh,
    "similar_text": lambda r, s, loc: _("Similar description"),
    # Feasibility (matching/feasibility.py).
    "abroad_not_returning": lambda r, s, loc: _(
        "Lives outside Mexico and is not looking to return"
    ),
    "work_mode_unwanted": lambda r, s, loc: _(
        "Does not look for this way of working: %(mode)s", mode=_mode(r)
    ),
    "other_state": lambda r, s, loc: _(
        "Lives in another state, and no relocation support is offered (%(state)s)",
        state=_state(r),
    ),
    "other_state_no_relocation": lambda r, s, loc: _(
        "Lives in another state and does not want to relocate (%(state)s)", state=_state(r)
    ),
    "willing_to_relocate": lambda r, s, loc: _("Willing to relocate to %(state)s", state=_state(r)),
    "willing_to_move_to_mexico": lambda r, s, loc: _("Lives abroad and would move to Mexico"),
    "member_of_eligible": lambda r, s, loc: _(
        "Can propose through an eligible organisation they belong to"
    ),
    "not_open_to_jobs": lambda r, s, loc: _("Not looking for a job of this kind"),
    "not_open_to_challenges": lambda r, s, loc: _("Not looking to work on challenges"),
    "degree_met": lambda r, s, loc: _("Meets the degree asked for: %(degree)s", degree=_degree(r)),
    "degree_unknown": lambda r, s, loc: _(
        "Asks for a degree the profile does not state: %(degree)s", degree=_degree(r)
    ),
    "degree_unmet": lambda r, s, loc: _(
        "Does not meet a requirement: %(degree)s", degree=_degree(r)
    ),
    "residence_abroad_unmet": lambda r, s, loc: _(
        "Does not meet a requirement: living outside Mexico"
    ),
    "residence_mexico_unmet": lambda r, s, loc: _("Does not meet a requirement: living in Mexico"),
    "languages_unknown": lambda r, s, loc: _(
        "Asks for languages the profile does not state: %(languages)s",
        languages=_languages(r, loc),
    ),
    "languages_unmet": lambda r, s, loc: _(
        "Does not meet a requirement: %(languages)s", languages=_languages(r, loc)
    ),
    "work_permit_unmet": lambda r, s, loc: _(
        "Does not meet a requirement: a permit to work in Mexico"
    ),
    "work_permit_sponsored": lambda r, s, loc: _("The work permit is sponsored"),
    "not_eligible": lambda r, s, loc: _("Not eligible for this challenge"),
    "available_later": _available_later,
}


def reason_text(reason: Reason, skills: dict[int, Skill], locale: str | None = None) -> str:
    """The sentence for one reason in the locale (the request's locale by default)."""
    locale = locale or current_locale()
    render = RENDERERS.get(reason.code)
    if render is None:  # a code added to ranking before it got a sentence here
        return _("Related")
    return render(reason, skills, locale)


def reason_skill_ids(matches: Iterable[Match]) -> set[int]:
    """Every vocabulary skill id that the reasons and skill lists of these matches mention."""
    ids: set[int | str] = set()
    for match in matches:
        ids |= match.shared_skills | match.missing_skills
        for reason in match.reasons:
            ids.update(reason.params.get("skills", []))
    return {i for i in ids if isinstance(i, int)}


def explain(
    match: Match, skills: dict[int, Skill] | None = None, locale: str | None = None
) -> list[ReasonText]:
    """A match's reasons as sentences, positive ones first (as ranking ordered them)."""
    locale = locale or current_locale()
    skills = skills if skills is not None else load_skills(reason_skill_ids([match]))
    return [ReasonText(r.code, reason_text(r, skills, locale), r.positive) for r in match.reasons]


def team_summary(team: Team, wanted: int) -> str:
    """E.g. "covers 5 of 6 skills (83%) — best single: 50%"."""
    return ngettext(
        "covers %(covered)d of %(num)d skill (%(percent)d%%) — best single: %(best)d%%",
        "covers %(covered)d of %(num)d skills (%(percent)d%%) — best single: %(best)d%%",
        wanted,
        covered=len(team.covered),
        percent=round(100 * team.coverage),
        best=round(100 * team.best_single),
    )


def kind_label(kind: str) -> str:
    """The translated name of a record kind, e.g. "Opening"."""
    names = {
        "opening": _("Opening"),
        "challenge": _("Challenge"),
        "organization": _("Organisation"),
        "profile": _("Person"),
        "story": _("Success story"),
    }
    return names.get(kind, "")
