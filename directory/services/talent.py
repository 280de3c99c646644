"""Talent gap: which skills the ecosystem asks for against who offers them, here and abroad.

Demand is the number of live openings and live challenges that ask for a skill; supply is
the number of published profiles offering it, split by where the person lives (country MX
or abroad). A skill where demand exceeds local supply and someone abroad offers it is a
*repatriation target*: the diaspora could close that gap.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from ..extensions import db
from ..models import Profile, Skill
from ..models.skills import profile_skills
from .stats import published_profiles, skill_counts

SORTS = ("gap", "demand", "local", "abroad", "skill")


@dataclass(frozen=True)
class SkillGap:
    """Demand and supply of one skill."""

    skill: Skill
    openings: int
    challenges: int
    local: int
    abroad: int

    @property
    def demand(self) -> int:
        """Live openings plus live challenges asking for the skill."""
        return self.openings + self.challenges

    @property
    def gap(self) -> int:
        """Demand not met by people in Mexico (negative when supply exceeds demand)."""
        return self.demand - self.local

    @property
    def repatriation_target(self) -> bool:
        """Demand exceeds local supply and people abroad offer the skill."""
        return self.demand > self.local and self.abroad > 0


def _supply() -> dict[int, tuple[int, int]]:
    """Published people offering each skill: {skill_id: (in Mexico, abroad)}."""
    local = func.sum(case((Profile.country_code == "MX", 1), else_=0))
    abroad = func.sum(case((Profile.country_code != "MX", 1), else_=0))
    query = (
        select(profile_skills.c.skill_id, local, abroad)
        .join(Profile, Profile.id == profile_skills.c.profile_id)
        .where(published_profiles())
        .group_by(profile_skills.c.skill_id)
    )
    return {skill_id: (int(a or 0), int(b or 0)) for skill_id, a, b in db.session.execute(query)}


def talent_gaps(
    sort: str = "gap", targets_only: bool = False, locale: str = "es"
) -> list[SkillGap]:
    """Every skill asked for or offered, with its figures, sorted (targets first for "gap")."""
    openings = skill_counts("opening")
    challenges = skill_counts("challenge")
    supply = _supply()
    ids = set(openings) | set(challenges) | set(supply)
    if not ids:
        return []
    skills = db.session.scalars(select(Skill).where(Skill.id.in_(ids)))
    rows = [
        SkillGap(
            skill=skill,
            openings=openings.get(skill.id, 0),
            challenges=challenges.get(skill.id, 0),
            local=supply.get(skill.id, (0, 0))[0],
            abroad=supply.get(skill.id, (0, 0))[1],
        )
        for skill in skills
    ]
    if targets_only:
        rows = [row for row in rows if row.repatriation_target]
    name = {row.skill.id: row.skill.label(locale).casefold() for row in rows}
    keys = {
        "gap": lambda r: (not r.repatriation_target, -r.gap, -r.demand, name[r.skill.id]),
        "demand": lambda r: (-r.demand, name[r.skill.id]),
        "local": lambda r: (-r.local, name[r.skill.id]),
        "abroad": lambda r: (-r.abroad, name[r.skill.id]),
        "skill": lambda r: name[r.skill.id],
    }
    rows.sort(key=keys.get(sort, keys["gap"]))
    return rows
