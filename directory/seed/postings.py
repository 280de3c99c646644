"""Add the demo openings (from posts.py) and challenges (from challenges.py)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ..extensions import db
from ..models import Challenge, Opening, Organization, Status
from .challenges import CHALLENGES, DEMO_NOTE_ES
from .posts import KIND_SNIPPETS, OPENINGS, RELOCATION_SNIPPET, REMOTE_SNIPPET

if TYPE_CHECKING:
    from . import DemoSeeder

OPENING_ORG_KINDS = {"startup", "company", "research_centre", "university"}

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


def _salary(seeder: DemoSeeder, kind: str, seniority: str) -> tuple[int | None, int | None]:
    """Return a monthly MXN salary range, or (None, None) for about one in seven."""
    if seeder.rng.random() < 0.15:
        return None, None
    low, high = KIND_BANDS.get(kind) or SALARY_BANDS[seniority]
    salary_min = round(seeder.rng.uniform(low, (low + high) / 2), -3)
    salary_max = round(seeder.rng.uniform(salary_min + 5_000, high + 5_000), -3)
    return int(salary_min), int(salary_max)


def _created(seeder: DemoSeeder, org: Organization, window_days: int) -> datetime:
    """Return a creation time after the organisation's and within the window."""
    return seeder.after(max(org.created_at, seeder.now - timedelta(days=window_days)))


def add_openings(seeder: DemoSeeder) -> int:
    """Add the demo openings; three stay pending."""
    pending = set(seeder.rng.sample(range(len(OPENINGS)), 3))
    for index, seed in enumerate(OPENINGS):
        org = seeder.orgs[seed.org]
        if org.kind not in OPENING_ORG_KINDS:
            raise ValueError(f"{seed.org} ({org.kind}) may not post openings in the demo")
        lang = 1 if seed.lang == "en" else 0
        sentences = [seed.summary, seeder.rng.choice(KIND_SNIPPETS[seed.kind][lang])]
        if seed.relocation:
            sentences.append(RELOCATION_SNIPPET[lang])
        elif seed.remote_policy == "remote":
            sentences.append(REMOTE_SNIPPET[lang])
        created = _created(seeder, org, 365)
        status = Status.PENDING if index in pending else Status.PUBLISHED
        salary_min, salary_max = _salary(seeder, seed.kind, seed.seniority)
        remote = seed.remote_policy == "remote"
        owner = seeder.owners.get(seed.org)
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
                closes_on=seeder.future(20, 120),
                status=status,
                created_by_id=owner.id if owner else None,
                created_at=created,
                updated_at=created,
                published_at=seeder.after(created, 3) if status == Status.PUBLISHED else None,
                skills=seeder.skill_list(seed.skills, 3, 7),
            )
        )
    db.session.flush()
    return len(OPENINGS)


def add_challenges(seeder: DemoSeeder) -> int:
    """Add the demo challenges (fictional calls); two stay pending."""
    pending = set(seeder.rng.sample(range(len(CHALLENGES)), 2))
    for index, seed in enumerate(CHALLENGES):
        org = seeder.orgs[seed.org]
        created = _created(seeder, org, 300)
        status = Status.PENDING if index in pending else Status.PUBLISHED
        owner = seeder.owners.get(seed.org)
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
                closes_on=seeder.future(30, 120),
                status=status,
                created_by_id=owner.id if owner else None,
                created_at=created,
                updated_at=created,
                published_at=seeder.after(created, 5) if status == Status.PUBLISHED else None,
                skills=seeder.skill_list(seed.skills, 3, 6),
            )
        )
    db.session.flush()
    return len(CHALLENGES)
