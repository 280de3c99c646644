"""The challenge portfolio: every challenge by agency, unit, stage, sector, risk level,
status and outcome, with how many proposals it drew and how many solvers fit it, and the
challenges nobody fits. Curators read every challenge (curation/portfolio.py); the public
portfolio (services/procurement/public_portfolio.py) reads the listed ones only, through
the same code.

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
from ..models import Challenge, Organization, Profile, Proposal, ResponseStatus, Status
from ..models.procurement import ChallengeOutcome, InnovationUnit
from ..models.proposals import RiskAssessment
from ..models.skills import challenge_skills, organization_skills, profile_skills

FILTERS = ("agency", "unit", "stage", "sector", "level", "status", "outcome")
# What the public may read: published (open) and archived (closed) challenges.
LISTED = (Status.PUBLISHED, Status.ARCHIVED)
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
    proposals: int = 0  # withdrawn ones are not counted
    level: str | None = None  # risk level, once assessed
    unit_id: int | None = None
    unit: str = ""
    outcome: str | None = None  # awarded, not_awarded or cancelled, once closed with one
    organizations: int = 0
    people: int = 0
    uncovered: list[int] = field(default_factory=list)  # skill ids nobody offers

    @property
    def gap(self) -> bool:
        """Nobody fits it, or some skill it needs is offered by no one."""
        return self.status in LIVE and (
            self.organizations + self.people == 0 or bool(self.uncovered)
        )


def _filtered(filters: dict[str, Any], *, public: bool = False) -> Select[Any]:
    """Ids of the challenges matching the filters (a subquery for the other queries).

    `public` keeps only what anyone may read: listed challenges of published organisations.
    """
    query = select(Challenge.id).where(Challenge.merged_into_id.is_(None))
    if public:
        query = query.where(
            Challenge.status.in_(LISTED),
            Challenge.organization.has(Organization.status == Status.PUBLISHED),
        )
    if filters.get("agency"):
        query = query.where(Challenge.organization_id == filters["agency"])
    if filters.get("unit"):
        query = query.where(Challenge.unit_id == filters["unit"])
    for name, column in (("stage", Challenge.stage), ("sector", Challenge.sector),
                         ("status", Challenge.status)):  # fmt: skip
        if filters.get(name):
            query = query.where(column == filters[name])
    if filters.get("level"):
        query = query.where(Challenge.risk_level == filters["level"])
    if filters.get("outcome"):
        query = query.where(
            Challenge.id.in_(
                select(ChallengeOutcome.challenge_id).where(
                    ChallengeOutcome.kind == filters["outcome"]
                )
            )
        )
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


def _extras(rows: dict[int, ChallengeRow], ids: Select[Any]) -> None:
    """Each row's risk level, unit and outcome (three grouped queries)."""
    levels = select(RiskAssessment.challenge_id, RiskAssessment.level).where(
        RiskAssessment.challenge_id.in_(ids)
    )
    for challenge_id, level in db.session.execute(levels):
        rows[challenge_id].level = level
    units = (
        select(Challenge.id, InnovationUnit.id, InnovationUnit.name)
        .join(InnovationUnit, InnovationUnit.id == Challenge.unit_id)
        .where(Challenge.id.in_(ids))
    )
    for challenge_id, unit_id, name in db.session.execute(units):
        rows[challenge_id].unit_id, rows[challenge_id].unit = unit_id, name
    outcomes = select(ChallengeOutcome.challenge_id, ChallengeOutcome.kind).where(
        ChallengeOutcome.challenge_id.in_(ids)
    )
    for challenge_id, kind in db.session.execute(outcomes):
        rows[challenge_id].outcome = kind


def portfolio(filters: dict[str, Any], *, public: bool = False) -> list[ChallengeRow]:
    """The filtered challenges, newest first, each with its proposals, fits and uncovered
    skills — a fixed handful of grouped queries, whatever the number of challenges.
    `public`: listed challenges of published organisations only."""
    ids = _filtered(filters, public=public)
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
        .where(Proposal.challenge_id.in_(ids), Proposal.status != ResponseStatus.WITHDRAWN)
        .group_by(Proposal.challenge_id),
    }
    for name, query in counts.items():
        for challenge_id, n in db.session.execute(query):
            setattr(rows[challenge_id], name, n)
    _extras(rows, ids)
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


def agencies(*, public: bool = False) -> list[tuple[int, str]]:
    """(id, name) of every organisation that has posted a challenge (a listed one, for the
    public), by name."""
    posted = select(Challenge.organization_id)
    if public:
        posted = posted.where(Challenge.status.in_(LISTED), Challenge.merged_into_id.is_(None))
    query = select(Organization.id, Organization.name).where(Organization.id.in_(posted))
    if public:
        query = query.where(Organization.status == Status.PUBLISHED)
    return [
        (org_id, name) for org_id, name in db.session.execute(query.order_by(Organization.name))
    ]


def units(*, public: bool = False) -> list[tuple[int, str]]:
    """(id, name) of every unit that has posted a challenge (a listed one, for the public)."""
    posted = select(Challenge.unit_id).where(Challenge.unit_id.is_not(None))
    if public:
        posted = posted.where(Challenge.status.in_(LISTED), Challenge.merged_into_id.is_(None))
    query = select(InnovationUnit.id, InnovationUnit.name).where(InnovationUnit.id.in_(posted))
    if public:
        query = query.where(
            InnovationUnit.organization.has(Organization.status == Status.PUBLISHED)
        )
    return [
        (unit_id, name) for unit_id, name in db.session.execute(query.order_by(InnovationUnit.name))
    ]


def summary(rows: list[ChallengeRow], dimension: str) -> dict[Any, tuple[int, int]]:
    """Challenges and proposals per value of a dimension (agency, unit, stage, sector, level,
    status or outcome); agency and unit keys are (id, name)."""
    out: dict[Any, tuple[int, int]] = {}
    for row in rows:
        if dimension == "agency":
            key: Any = (row.agency_id, row.agency)
        elif dimension == "unit":
            key = (row.unit_id, row.unit)
        else:
            key = getattr(row, dimension)
        challenges, proposals = out.get(key, (0, 0))
        out[key] = (challenges + 1, proposals + row.proposals)
    return out
