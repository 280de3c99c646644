"""Demo risk self-assessments: two agency challenges that decide about people, one assessed
high and one medium, so the portfolio, the challenge page and the /directory facet show
levels from the first `make run`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from ..extensions import db
from ..models import Challenge, Organization, Status
from ..services.procurement import risk

if TYPE_CHECKING:
    from . import DemoSeeder


def add_risk_assessments(seeder: DemoSeeder) -> int:
    """Assess two published challenges (the highest option, then a middle one)."""
    challenges = db.session.scalars(
        select(Challenge)
        .join(Challenge.organization)
        .where(Challenge.status == Status.PUBLISHED)
        # Agencies' challenges first: theirs are the ones that decide about people.
        .order_by((Organization.kind != "government_agency"), Challenge.id)
        .limit(2)
    ).all()
    if not seeder.owners:
        return 0
    content = risk.current().content
    done = 0
    for challenge, pick in zip(challenges, (-1, 1), strict=False):
        # Most demo agencies have no account behind them: a demo owner signs the assessment.
        owner = seeder.owners.get(challenge.organization.slug) or next(iter(seeder.owners.values()))
        challenge.decides_about_people = True
        answers = {q["code"]: q["options"][pick]["code"] for q in risk.questions(content)}
        risk.assess(challenge, answers, actor=owner)
        done += 1
    return done
