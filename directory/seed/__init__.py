"""Fictional, deterministic demo data for Directorio IA.

`seed_demo()` adds organisations, people, memberships, openings, challenges and success
stories to the session and flushes; the caller commits. Everything comes from
random.Random(2026), so two runs on the same day produce the same records. The builders
live in organizations.py, persons.py, postings.py and success_stories.py; the tables they
read, in the other modules here.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Organization, Role, Skill, User, utcnow
from ..services.passwords import hash_password
from .coalition import add_coalition
from .organizations import ORGANIZATIONS, add_memberships, add_organizations
from .persons import seed_people
from .postings import add_challenges, add_openings
from .procurement import add_procurement
from .risk import add_risk_assessments
from .success_stories import add_stories

__all__ = ["DEMO_CURATOR", "DEMO_PASSWORD", "ORGANIZATIONS", "seed_demo"]

DEMO_CURATOR = "curadora@example.org"
DEMO_PASSWORD = "demo-directorio-2026"  # noqa: S105 - public, shared by every demo account
SEED = 2026


class DemoSeeder:
    """What the builders share: one random generator and clock, the skills, the records made."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.now = utcnow()
        self.today = date.today()
        self.skills = {skill.slug: skill for skill in db.session.scalars(select(Skill))}
        self.orgs: dict[str, Organization] = {}
        self.owners: dict[str, User] = {}

    def skill_list(self, slugs: str, low: int, high: int) -> list[Skill]:
        """Resolve space-separated skill slugs, keeping between `low` and `high` of them."""
        wanted = slugs.split()
        missing = [slug for slug in wanted if slug not in self.skills]
        if missing:
            raise KeyError(f"unknown skill slugs in demo data: {missing}; run load-skills")
        if len(wanted) < low:
            raise ValueError(f"demo record needs at least {low} skills: {slugs!r}")
        return [self.skills[slug] for slug in wanted[:high]]

    def past(self, max_days: int, min_days: float = 1.0) -> datetime:
        """Return a moment between `min_days` and `max_days` days ago, to the second."""
        moment = self.now - timedelta(days=self.rng.uniform(min_days, max_days))
        return moment.replace(microsecond=0)

    def after(self, start: datetime, max_days: float | None = None) -> datetime:
        """Return a moment between `start` and now (at most `max_days` after `start`)."""
        span = (self.now - start).total_seconds()
        if max_days is not None:
            span = min(span, max_days * 86_400)
        return (start + timedelta(seconds=self.rng.uniform(0, max(span, 0)))).replace(microsecond=0)

    def future(self, low: int, high: int) -> date:
        """Return a date between `low` and `high` days from today."""
        return self.today + timedelta(days=self.rng.randint(low, high))


def already_seeded() -> bool:
    """Whether any demo organisation is already in the database."""
    slugs = [seed.slug for seed in ORGANIZATIONS]
    return (
        db.session.scalar(select(Organization.id).where(Organization.slug.in_(slugs))) is not None
    )


def seed_demo() -> dict[str, int]:
    """Add the fictional demo dataset (flushed, not committed) and return the counts."""
    if already_seeded():
        return {"organizations": 0, "people": 0, "openings": 0, "challenges": 0, "stories": 0}
    seeder = DemoSeeder()
    add_organizations(seeder)
    password_hash = hash_password(DEMO_PASSWORD)
    users = seed_people(seeder, password_hash)
    memberships = add_memberships(seeder, users)
    # A demo curator, so the chamber's admin view can be tried at once (no profile).
    db.session.add(
        User(email=DEMO_CURATOR, password_hash=password_hash, role=Role.CURATOR, locale="es")
    )
    counts = {
        "organizations": len(seeder.orgs),
        "people": len(users),
        "memberships": memberships,
        "openings": add_openings(seeder),
        "challenges": add_challenges(seeder),
        "stories": add_stories(seeder),
        "unit challenges": add_procurement(seeder),
    }
    counts.update(add_coalition(seeder))
    counts["risk assessments"] = add_risk_assessments(seeder)
    return counts
