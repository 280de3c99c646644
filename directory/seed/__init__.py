"""Fictional, deterministic demo data for Directorio IA.

`seed_demo()` adds organisations, people, memberships, openings, challenges and success
stories to the session and flushes; the caller commits. Everything comes from
random.Random(2026), so two runs on the same day produce the same records.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import (
    Challenge,
    Membership,
    Opening,
    Organization,
    OrgRole,
    Skill,
    Status,
    SuccessStory,
    User,
    utcnow,
)
from ..services.passwords import hash_password
from .challenges import CHALLENGES, DEMO_NOTE_ES
from .firms import FIRMS
from .institutions import INSTITUTIONS
from .persons import seed_people
from .posts import KIND_SNIPPETS, OPENINGS, RELOCATION_SNIPPET, REMOTE_SNIPPET
from .records import OrgSeed
from .stories import STORIES

__all__ = ["DEMO_PASSWORD", "ORGANIZATIONS", "seed_demo"]

DEMO_PASSWORD = "demo-directorio-2026"  # noqa: S105 - public, shared by every demo account
SEED = 2026
HISTORY_DAYS = 540  # created_at spreads over about 18 months

ORGANIZATIONS: tuple[OrgSeed, ...] = INSTITUTIONS + FIRMS
OPENING_ORG_KINDS = {"startup", "company", "research_centre", "university"}

# Organisations that get an owner among the seeded people, and the profile kind preferred.
OWNER_KINDS: dict[str, tuple[str, ...]] = {
    "startup": ("founder",),
    "company": ("executive", "product_manager"),
    "ngo": ("executive", "policy_expert"),
    "chamber": ("executive", "policy_expert", "founder"),
    "research_centre": ("researcher",),
    "university": ("researcher",),
    "government_agency": ("policy_expert", "executive"),
}
EXTRA_OWNED = ("cimat", "adip-cdmx", "camara-ia-mx")

# Monthly MXN salary bands by seniority, and fixed bands for non-job kinds.
SALARY_BANDS: dict[str, tuple[int, int]] = {
    "junior": (22_000, 40_000),
    "mid": (42_000, 75_000),
    "senior": (75_000, 130_000),
    "lead": (110_000, 170_000),
    "executive": (150_000, 240_000),
}
KIND_BANDS: dict[str, tuple[int, int]] = {
    "internship": (8_000, 16_000),
    "fellowship": (16_000, 32_000),
}


class DemoSeeder:
    """Build the demo records with one shared random generator and clock."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.now = utcnow()
        self.today = date.today()
        self.skills = {skill.slug: skill for skill in db.session.scalars(select(Skill))}
        self.orgs: dict[str, Organization] = {}
        self.owners: dict[str, User] = {}

    # -- helpers -------------------------------------------------------------------------

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

    # -- organisations --------------------------------------------------------------------

    def add_organizations(self) -> None:
        """Add every demo organisation."""
        for seed in ORGANIZATIONS:
            created = self.past(HISTORY_DAYS, 30)
            published = "p" not in seed.flags
            published_at = self.after(created, 7) if published else None
            org = Organization(
                slug=seed.slug,
                name=seed.name,
                kind=seed.kind,
                description=seed.description,
                website=seed.website,
                sectors=seed.sectors.split(),
                state_code=seed.state_code,
                city=seed.city,
                size=seed.size,
                status=Status.PUBLISHED if published else Status.PENDING,
                verified_at=(
                    self.after(published_at, 30) if published_at and "v" in seed.flags else None
                ),
                chamber_member="c" in seed.flags,
                created_at=created,
                updated_at=published_at or created,
                published_at=published_at,
                confirmed_at=self.after(created),
                skills=self.skill_list(seed.skills, 2, 6),
            )
            db.session.add(org)
            self.orgs[seed.slug] = org
        db.session.flush()

    # -- memberships ----------------------------------------------------------------------

    def add_memberships(self, users: Sequence[User]) -> int:
        """Give about 25 organisations an owner and some an editor; return how many."""
        owned = [s.slug for s in FIRMS if s.kind in {"startup", "company"}][:20]
        owned += [s.slug for s in FIRMS if s.kind == "ngo"][:2] + list(EXTRA_OWNED)
        local = [u for u in users if u.profile is not None and u.profile.country_code == "MX"]
        taken: set[int] = set()
        count = 0
        for slug in owned:
            org = self.orgs[slug]
            owner = self._pick(local, taken, *OWNER_KINDS[org.kind])
            self._add_membership(org, owner, OrgRole.OWNER)
            org.created_by_id = owner.id
            self.owners[slug] = owner
            count += 1
        for slug in self.rng.sample(owned, 8):
            editor = self._pick(local, taken, "engineer", "data_scientist", "product_manager")
            self._add_membership(self.orgs[slug], editor, OrgRole.EDITOR)
            count += 1
        db.session.flush()
        return count

    def _pick(self, people: Sequence[User], taken: set[int], *kinds: str) -> User:
        """Pick a not-yet-used person, preferring the given profile kinds."""
        free = [u for u in people if u.id not in taken]
        preferred = [u for u in free if u.profile is not None and u.profile.kind in kinds]
        user = self.rng.choice(preferred or free)
        taken.add(user.id)
        return user

    def _add_membership(self, org: Organization, user: User, role: str) -> None:
        """Add one membership dated after both the organisation and the account."""
        start = max(org.created_at, user.created_at)
        db.session.add(
            Membership(user=user, organization=org, role=role, created_at=self.after(start, 60))
        )

    # -- openings and challenges ------------------------------------------------------------

    def _salary(self, kind: str, seniority: str) -> tuple[int | None, int | None]:
        """Return a monthly MXN salary range, or (None, None) for about one in seven."""
        if self.rng.random() < 0.15:
            return None, None
        low, high = KIND_BANDS.get(kind) or SALARY_BANDS[seniority]
        salary_min = round(self.rng.uniform(low, (low + high) / 2), -3)
        salary_max = round(self.rng.uniform(salary_min + 5_000, high + 5_000), -3)
        return int(salary_min), int(salary_max)

    def _created(self, org: Organization, window_days: int) -> datetime:
        """Return a creation time after the organisation's and within the window."""
        return self.after(max(org.created_at, self.now - timedelta(days=window_days)))

    def add_openings(self) -> int:
        """Add the demo openings; three stay pending."""
        pending = set(self.rng.sample(range(len(OPENINGS)), 3))
        for index, seed in enumerate(OPENINGS):
            org = self.orgs[seed.org]
            if org.kind not in OPENING_ORG_KINDS:
                raise ValueError(f"{seed.org} ({org.kind}) may not post openings in the demo")
            lang = 1 if seed.lang == "en" else 0
            sentences = [seed.summary, self.rng.choice(KIND_SNIPPETS[seed.kind][lang])]
            if seed.relocation:
                sentences.append(RELOCATION_SNIPPET[lang])
            elif seed.remote_policy == "remote":
                sentences.append(REMOTE_SNIPPET[lang])
            created = self._created(org, 365)
            status = Status.PENDING if index in pending else Status.PUBLISHED
            salary_min, salary_max = self._salary(seed.kind, seed.seniority)
            remote = seed.remote_policy == "remote"
            owner = self.owners.get(seed.org)
            db.session.add(
                Opening(
                    organization=org,
                    title=seed.title,
                    description=" ".join(sentences),
                    kind=seed.kind,
                    seniority=seed.seniority,
                    state_code=None if remote else org.state_code,
                    city="" if remote else org.city,
                    remote_policy=seed.remote_policy,
                    relocation_support=seed.relocation,
                    salary_min=salary_min,
                    salary_max=salary_max,
                    closes_on=self.future(20, 120),
                    status=status,
                    created_by_id=owner.id if owner else None,
                    created_at=created,
                    updated_at=created,
                    published_at=self.after(created, 3) if status == Status.PUBLISHED else None,
                    skills=self.skill_list(seed.skills, 3, 7),
                )
            )
        db.session.flush()
        return len(OPENINGS)

    def add_challenges(self) -> int:
        """Add the demo challenges (fictional calls); two stay pending."""
        pending = set(self.rng.sample(range(len(CHALLENGES)), 2))
        for index, seed in enumerate(CHALLENGES):
            org = self.orgs[seed.org]
            created = self._created(org, 300)
            status = Status.PENDING if index in pending else Status.PUBLISHED
            owner = self.owners.get(seed.org)
            budget_min, budget_max = seed.budget
            if not budget_min < budget_max:
                raise ValueError(f"budget range is empty for {seed.title!r}")
            db.session.add(
                Challenge(
                    organization=org,
                    title=seed.title,
                    problem=f"{seed.problem}\n\n_{DEMO_NOTE_ES}_",
                    desired_outcome=seed.desired_outcome,
                    data_available=seed.data_available,
                    sector=seed.sector,
                    stage=seed.stage,
                    eligibility=seed.eligibility.split(),
                    budget_min=budget_min,
                    budget_max=budget_max,
                    state_code=seed.state_code,
                    closes_on=self.future(30, 120),
                    status=status,
                    created_by_id=owner.id if owner else None,
                    created_at=created,
                    updated_at=created,
                    published_at=self.after(created, 5) if status == Status.PUBLISHED else None,
                    skills=self.skill_list(seed.skills, 3, 6),
                )
            )
        db.session.flush()
        return len(CHALLENGES)

    def add_stories(self) -> int:
        """Add the six bilingual success stories."""
        for seed in STORIES:
            orgs = [self.orgs[slug] for slug in seed.orgs.split()]
            created = self.after(max(org.created_at for org in orgs))
            db.session.add(
                SuccessStory(
                    slug=seed.slug,
                    title_es=seed.title_es,
                    title_en=seed.title_en,
                    summary_es=seed.summary_es,
                    summary_en=seed.summary_en,
                    body_es=seed.body_es,
                    body_en=seed.body_en,
                    sector=seed.sector,
                    state_code=seed.state_code,
                    impact=[
                        {"label_es": es, "label_en": en, "value": value}
                        for es, en, value in seed.impact
                    ],
                    featured=seed.featured,
                    status=Status.PUBLISHED,
                    created_at=created,
                    updated_at=created,
                    published_at=self.after(created, 10),
                    organizations=orgs,
                )
            )
        db.session.flush()
        return len(STORIES)


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
    seeder.add_organizations()
    users = seed_people(seeder, hash_password(DEMO_PASSWORD))
    memberships = seeder.add_memberships(users)
    return {
        "organizations": len(seeder.orgs),
        "people": len(users),
        "memberships": memberships,
        "openings": seeder.add_openings(),
        "challenges": seeder.add_challenges(),
        "stories": seeder.add_stories(),
    }
