"""Turn the matching service's answers into what pages and the API show.

One place decides a match's title, link, band, translated reasons and skill labels, so
the HTML pages and the JSON API can never disagree (nor leak a field one of them forgot
to leave out: only the attributes listed here are ever read from a record).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import url_for

from .. import reasons
from ..i18n import current_locale
from ..matching.documents import document_text
from ..matching.ranking import Match, Team, calibrated_fit, fit_band
from ..matching.service import Hit
from . import wording

# Reasons a card shows in its own rows (the skills) rather than in its list of reasons.
SKILL_CODES = frozenset({"skills_shared", "skills_missing"})


@dataclass(frozen=True)
class MatchView:
    """One match, ready to render: what, where, how good and why."""

    kind: str
    id: int
    title: str
    url: str
    score: int
    band: str
    band_label: str
    reasons: list[reasons.ReasonText] = field(default_factory=list)
    shared_skills: list[str] = field(default_factory=list)
    missing_skills: list[str] = field(default_factory=list)
    record: Any = None
    # What pages show: the calibrated fit (ranking.calibrated_fit), its band and the
    # reasons not already shown as skill rows. The API keeps the fused score and every
    # reason (its documented contract).
    fit: int = 0
    fit_band: str = "weak"
    fit_label: str = ""
    card_reasons: list[reasons.ReasonText] = field(default_factory=list)
    saved: bool = False
    hidden: bool = False

    def as_json(self) -> dict[str, Any]:
        """The API's representation (no record attributes beyond title and link)."""
        return {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "score": self.score,
            "band": self.band,
            "reasons": [
                {"code": r.code, "text": r.text, "positive": r.positive} for r in self.reasons
            ],
            "shared_skills": self.shared_skills,
            "missing_skills": self.missing_skills,
        }


@dataclass(frozen=True)
class TeamMember:
    """A team member and the wanted skills it brings."""

    kind: str
    id: int
    title: str
    url: str
    skills: list[str]
    record: Any = None


@dataclass(frozen=True)
class TeamView:
    """A team that covers a challenge's skills better than any single record."""

    members: list[TeamMember]
    covered: int
    wanted: int
    coverage: float
    best_single: float
    summary: str
    # The page's sentence, naming the skills nobody on the team brings.
    sentence: str = ""
    missing: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The API's representation of the team."""
        return {
            "members": [
                {"kind": m.kind, "id": m.id, "title": m.title, "url": m.url, "skills": m.skills}
                for m in self.members
            ],
            "covered": self.covered,
            "wanted": self.wanted,
            "coverage": round(self.coverage, 3),
            "best_single": round(self.best_single, 3),
            "text": self.summary,
        }


def title_of(kind: str, record: Any, locale: str) -> str:
    """A record's display title in the viewer's language."""
    if kind == "organization":
        return record.name
    if kind == "profile":
        return record.full_name
    if kind == "story":
        return record.title(locale)
    return record.title


def url_of(kind: str, record: Any, external: bool = False) -> str:
    """The public page of a record."""
    if kind == "organization":
        return url_for("public.organization", slug=record.slug, _external=external)
    if kind == "profile":
        return url_for("public.profile", profile_id=record.id, _external=external)
    if kind == "story":
        return url_for("public.story", slug=record.slug, _external=external)
    if kind == "challenge":
        return url_for("public.challenge", challenge_id=record.id, _external=external)
    return url_for("public.opening", opening_id=record.id, _external=external)


def _reasons(
    match: Match, record: Any, seeker_text: str | None, shared: list[str], skills: Any, locale: str
) -> tuple[list[reasons.ReasonText], list[reasons.ReasonText]]:
    """(every reason, for the API; the card's reasons): "similar description" says what
    is similar, or leaves the card when nothing can be named."""
    all_reasons = reasons.explain(match, skills, locale)
    card: list[reasons.ReasonText] = []
    for index, reason in enumerate(all_reasons):
        if reason.code in SKILL_CODES:
            continue
        if reason.code == "similar_text":
            topics = (
                wording.shared_topics(seeker_text, document_text(match.kind, record), shared)
                if seeker_text
                else []
            )
            if not topics:
                continue
            reason = reasons.ReasonText(reason.code, wording.topics_text(topics, locale), True)
            all_reasons[index] = reason
        card.append(reason)
    return all_reasons, card


def match_view(
    match: Match,
    record: Any,
    skills: Any,
    locale: str,
    *,
    external: bool = False,
    seeker_text: str | None = None,
) -> MatchView:
    """One match, ready to render (skills: the rows reasons.load_skills returned)."""
    shared = reasons.skill_labels(match.shared_skills, skills, locale)
    every, card = _reasons(match, record, seeker_text, shared, skills, locale)
    fit = calibrated_fit(match.score)
    return MatchView(
        kind=match.kind,
        id=record.id,
        title=title_of(match.kind, record, locale),
        url=url_of(match.kind, record, external),
        score=match.score,
        band=reasons.score_band(match.score),
        band_label=reasons.score_label(match.score),
        reasons=every,
        shared_skills=shared,
        missing_skills=reasons.skill_labels(match.missing_skills, skills, locale),
        record=record,
        fit=fit,
        fit_band=fit_band(fit),
        fit_label=wording.fit_label(fit_band(fit)),
        card_reasons=card,
    )


def match_views(
    pairs: Iterable[tuple[Match, Any]],
    *,
    external: bool = False,
    locale: str | None = None,
    seeker: tuple[str, Any] | None = None,
) -> list[MatchView]:
    """Views of (match, record) pairs, skills loaded once for all of them.

    `seeker` (kind, record) is who the matches are for: its text names what a "similar
    description" has in common with each match.
    """
    pairs = list(pairs)
    locale = locale or current_locale()
    skills = reasons.load_skills(reasons.reason_skill_ids(m for m, _ in pairs))
    seeker_text = document_text(*seeker) if seeker is not None else None
    return [
        match_view(match, record, skills, locale, external=external, seeker_text=seeker_text)
        for match, record in pairs
    ]


def hit_json(hit: Hit, locale: str | None = None, *, external: bool = True) -> dict[str, Any]:
    """A search hit as the API and the search page show it."""
    locale = locale or current_locale()
    return {
        "kind": hit.kind,
        "id": hit.record.id,
        "title": title_of(hit.kind, hit.record, locale),
        "url": url_of(hit.kind, hit.record, external),
        "score": hit.score,
    }


def team_view(
    team: Team | None,
    records: dict[tuple[str, int], Any],
    *,
    external: bool = False,
    locale: str | None = None,
) -> TeamView | None:
    """The team with each member's contribution, or None when there is no team."""
    if team is None or not team.wanted:
        return None
    locale = locale or current_locale()
    skills = reasons.load_skills(team.wanted)
    missing = reasons.skill_labels(team.wanted - team.covered, skills, locale)
    members = []
    for (kind, record_id), brings in zip(team.members, team.brings, strict=True):
        record = records.get((kind, record_id))
        if record is None:  # the service only returns re-checked records; be safe anyway
            continue
        members.append(
            TeamMember(
                kind=kind,
                id=record_id,
                title=title_of(kind, record, locale),
                url=url_of(kind, record, external),
                skills=reasons.skill_labels(brings, skills, locale),
                record=record,
            )
        )
    return TeamView(
        members=members,
        covered=len(team.covered),
        wanted=len(team.wanted),
        coverage=team.coverage,
        best_single=team.best_single,
        summary=reasons.team_summary(team, len(team.wanted)),
        sentence=wording.team_sentence(team, missing, locale),
        missing=missing,
    )
