"""The challenge portfolio: every challenge by agency, stage, sector and status, with how
many proposals it drew and how many solvers fit it, and the challenges nobody fits.

"Fits" here is the skills evidence of the matching layer: an organisation
(published, not the challenge's own) or a person (published, consenting to matching,
active — `matching.store.indexable_clause`, the same population matching draws from)
who offers at least half of the challenge's skills. The full semantic ranking
(`matching.service.for_challenge`) embeds the challenge and scores every candidate, which
costs tens of milliseconds per challenge and loads the models: fine on one challenge's
solvers page (linked from each row), too slow for a table of hundreds of challenges that
must answer in under a second. The skills count is its fast, explainable floor.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, union

from ..extensions import db
from ..matching.store import indexable_clause
from ..models import Challenge, Organization, Profile, Proposal, Status
from ..models.skills import challenge_skills, organization_skills, profile_skills

FILTERS = ("agency", "stage", "sector", "status")
# A solver fits when it offers at least this share of the challenge's skills.
FIT_SHARE = 0.5
# Coverage gaps are looked for among challenges still in play.
LIVE = (Status.PENDING, Status.PUBLISHED)


@dataclass
class ChallengeRow:
    """One challenge of the portfolio with its figures."""

    id: int
    title: str
    agency_id: int
    agency: str
    stage: str
    sector: str
    status: str
    created_at: datetime
    skills: int = 0
    proposals: int = 0
    organizations: int = 0
    people: int = 0
    uncovered: list[int] = field(default_factory=list)  # skill ids nobody offers

    @property
    def gap(self) -> bool:
        """Nobody fits it, or some skill it needs is offered by no one."""
        return self.status in LIVE and (
            self.organizations + self.people == 0 or bool(self.uncovered)
        )


def _filtered(filters: dict[str, Any]) -> Select[Any]:
    """Ids of the challenges matching the filters (a subquery for the other queries)."""
    query = select(Challenge.id).where(Challenge.merged_into_id.is_(None))
    if filters.get("agency"):
        query = query.where(Challenge.organization_id == filters["agency"])
    for name, column in (("stage", Challenge.stage), ("sector", Challenge.sector),
                         ("status", Challenge.status)):  # fmt: skip
        if filters.get(name):
            query = query.where(column == filters[name])
    return query


def _wanted(ids: Select[Any]) -> dict[int, list[int]]:
    """The skill ids each filtered challenge asks for."""
    wanted: dict[int, list[int]] = defaultdict(list)
    query = select(challenge_skills.c.challenge_id, challenge_skills.c.skill_id).where(
        challenge_skills.c.challenge_id.in_(ids)
    )
    for challenge_id, skill_id in db.session.execute(query):
        wanted[challenge_id].append(skill_id)
    return wanted


def _fits(
    wanted: dict[int, list[int]], kind: str, own: dict[int, int] | None = None
) -> dict[int, int]:
    """{challenge_id: how many solvers of a kind offer at least FIT_SHARE of its skills}.

    Counted over an inverted index (skill → solvers) built from one query per kind. The
    same count as a SQL self-join of the skill tables took seconds at 10,000 records on
    SQLite: the link tables have no index on skill_id, so the planner probes every
    (solver, skill) pair per challenge skill.
    """
    link, owner, model = (
        (organization_skills, organization_skills.c.organization_id, Organization)
        if kind == "organization"
        else (profile_skills, profile_skills.c.profile_id, Profile)
    )
    by_skill: dict[int, list[int]] = defaultdict(list)
    query = (
        select(owner, link.c.skill_id).join(model, model.id == owner).where(indexable_clause(kind))
    )
    for solver, skill_id in db.session.execute(query):
        by_skill[skill_id].append(solver)
    out = {}
    for challenge_id, skills in wanted.items():
        shared: Counter[int] = Counter()
        for skill_id in skills:
            shared.update(by_skill.get(skill_id, ()))
        if own is not None:
            shared.pop(own.get(challenge_id, 0), None)  # an agency does not solve its own
        threshold = len(skills) * FIT_SHARE
        out[challenge_id] = sum(k >= threshold for k in shared.values())
    return out


def _offered_skills() -> Select[Any]:
    """Skill ids offered by a published organisation or a matchable person."""
    orgs = (
        select(organization_skills.c.skill_id)
        .join(Organization, Organization.id == organization_skills.c.organization_id)
        .where(indexable_clause("organization"))
    )
    people = (
        select(profile_skills.c.skill_id)
        .join(Profile, Profile.id == profile_skills.c.profile_id)
        .where(indexable_clause("profile"))
    )
    return union(orgs, people)


def portfolio(filters: dict[str, Any]) -> list[ChallengeRow]:
    """The filtered challenges, newest first, each with its proposals, fits and uncovered
    skills — a fixed handful of grouped queries, whatever the number of challenges."""
    ids = _filtered(filters)
    rows = {
        r.id: ChallengeRow(
            r.id, r.title, r.organization_id, r.name, r.stage, r.sector, r.status, r.created_at
        )  # fmt: skip
        for r in db.session.execute(
            select(
                Challenge.id,
                Challenge.title,
                Challenge.organization_id,
                Organization.name,
                Challenge.stage,
                Challenge.sector,
                Challenge.status,
                Challenge.created_at,
            )  # fmt: skip
            .join(Organization, Organization.id == Challenge.organization_id)
            .where(Challenge.id.in_(ids))
            .order_by(Challenge.created_at.desc(), Challenge.id.desc())
        )
    }
    if not rows:
        return []
    counts = {
        "skills": select(challenge_skills.c.challenge_id, func.count())
        .where(challenge_skills.c.challenge_id.in_(ids))
        .group_by(challenge_skills.c.challenge_id),
        "proposals": select(Proposal.challenge_id, func.count())
        .where(Proposal.challenge_id.in_(ids))
        .group_by(Proposal.challenge_id),
    }
    for name, query in counts.items():
        for challenge_id, n in db.session.execute(query):
            setattr(rows[challenge_id], name, n)
    wanted = _wanted(ids)
    orgs = _fits(wanted, "organization", {i: row.agency_id for i, row in rows.items()})
    people = _fits(wanted, "profile")
    for challenge_id, row in rows.items():
        row.organizations = orgs.get(challenge_id, 0)
        row.people = people.get(challenge_id, 0)
    offered = _offered_skills().subquery()
    uncovered = (
        select(challenge_skills.c.challenge_id, challenge_skills.c.skill_id)
        .where(
            challenge_skills.c.challenge_id.in_(ids),
            challenge_skills.c.skill_id.not_in(select(offered.c.skill_id)),
        )
        .order_by(challenge_skills.c.challenge_id, challenge_skills.c.skill_id)
    )
    for challenge_id, skill_id in db.session.execute(uncovered):
        rows[challenge_id].uncovered.append(skill_id)
    return list(rows.values())


def agencies() -> list[tuple[int, str]]:
    """(id, name) of every organisation that has posted a challenge, by name."""
    query = (
        select(Organization.id, Organization.name)
        .where(Organization.id.in_(select(Challenge.organization_id)))
        .order_by(Organization.name)
    )
    return [(org_id, name) for org_id, name in db.session.execute(query)]


def summary(rows: list[ChallengeRow], dimension: str) -> dict[Any, tuple[int, int]]:
    """Challenges and proposals per value of a dimension (agency, stage, sector or status)."""
    out: dict[Any, tuple[int, int]] = {}
    for row in rows:
        key = (row.agency_id, row.agency) if dimension == "agency" else getattr(row, dimension)
        challenges, proposals = out.get(key, (0, 0))
        out[key] = (challenges + 1, proposals + row.proposals)
    return out
