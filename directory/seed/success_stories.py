"""Add the demo success stories (from stories.py) with their organisations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..extensions import db
from ..models import Status, SuccessStory
from .stories import STORIES

if TYPE_CHECKING:
    from . import DemoSeeder


def add_stories(seeder: DemoSeeder) -> int:
    """Add the six bilingual success stories."""
    for seed in STORIES:
        orgs = [seeder.orgs[slug] for slug in seed.orgs.split()]
        created = seeder.after(max(org.created_at for org in orgs))
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
                published_at=seeder.after(created, 10),
                organizations=orgs,
            )
        )
    db.session.flush()
    return len(STORIES)
