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
from ..matching.ranking import Match, Team
from ..matching.service import Hit


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


def match_views(
    pairs: Iterable[tuple[Match, Any]], *, external: bool = False, locale: str | None = None
) -> list[MatchView]:
    """Views of (match, record) pairs, skills loaded once for all of them."""
    pairs = list(pairs)
    locale = locale or current_locale()
    skills = reasons.load_skills(reasons.reason_skill_ids(m for m, _ in pairs))
    return [
        MatchView(
            kind=match.kind,
            id=record.id,
            title=title_of(match.kind, record, locale),
            url=url_of(match.kind, record, external),
            score=match.score,
            band=reasons.score_band(match.score),
            band_label=reasons.score_label(match.score),
            reasons=reasons.explain(match, skills, locale),
            shared_skills=reasons.skill_labels(match.shared_skills, skills, locale),
            missing_skills=reasons.skill_labels(match.missing_skills, skills, locale),
            record=record,
        )
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
    )
