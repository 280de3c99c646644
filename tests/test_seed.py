"""The demo seed: counts, idempotency, sane values and a working demo login."""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import (
    Challenge,
    Opening,
    Organization,
    Profile,
    Skill,
    Status,
    SuccessStory,
    User,
)
from directory.seed import DEMO_PASSWORD

ALLOWED_DOMAINS = {"example.org", "example.com"}


def _count(model: type[db.Model]) -> int:  # type: ignore[name-defined]
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _seed(runner: FlaskCliRunner) -> str:
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result.output


def test_seed_demo_creates_the_required_counts(runner: FlaskCliRunner, app_ctx: Flask) -> None:
    output = _seed(runner)
    assert "Demo data:" in output

    assert _count(Organization) >= 40
    assert _count(Profile) == 120
    # Every person has an account, plus one demo curator to try the admin view with.
    assert _count(User) == 121
    curator = db.session.scalar(select(User).where(User.email == "curadora@example.org"))
    assert curator is not None and curator.is_curator and curator.profile is None
    abroad = db.session.scalar(
        select(func.count()).select_from(Profile).where(Profile.country_code != "MX")
    )
    assert abroad is not None and abroad >= 40
    assert _count(Opening) >= 40
    government_challenges = db.session.scalar(
        select(func.count())
        .select_from(Challenge)
        .join(Organization)
        .where(Organization.kind == "government_agency")
    )
    assert government_challenges is not None and government_challenges >= 15
    stories = db.session.scalars(select(SuccessStory)).all()
    assert len(stories) >= 6
    assert all(story.title_es and story.title_en for story in stories)
    kinds = set(db.session.scalars(select(Organization.kind)))
    assert kinds == {
        "startup",
        "company",
        "research_centre",
        "university",
        "government_agency",
        "ngo",
        "chamber",
    }


def test_seed_demo_is_idempotent(runner: FlaskCliRunner, app_ctx: Flask) -> None:
    _seed(runner)
    before = [_count(m) for m in (Organization, User, Opening, Challenge, SuccessStory)]
    assert "already present" in _seed(runner)
    after = [_count(m) for m in (Organization, User, Opening, Challenge, SuccessStory)]
    assert before == after


def test_seeded_values_are_sane(runner: FlaskCliRunner, app_ctx: Flask) -> None:
    _seed(runner)
    published = db.session.scalars(select(Opening).where(Opening.status == Status.PUBLISHED)).all()
    assert published
    today = date.today()
    for opening in published:
        assert opening.closes_on is not None and opening.closes_on > today
        assert opening.published_at is not None
        if opening.salary_min is not None or opening.salary_max is not None:
            assert opening.salary_min is not None and opening.salary_max is not None
            assert opening.salary_min <= opening.salary_max
        assert 3 <= len(opening.skills) <= 7

    for challenge in db.session.scalars(select(Challenge)):
        assert challenge.closes_on is not None and challenge.closes_on > today
        assert challenge.budget_min is not None and challenge.budget_max is not None
        assert challenge.budget_min < challenge.budget_max

    for org in db.session.scalars(select(Organization)):
        assert 2 <= len(org.skills) <= 6
        assert any(skill.category == "area" for skill in org.skills), org.slug
        assert org.website.startswith("https://")

    emails = list(db.session.scalars(select(User.email)))
    assert len(emails) == len(set(emails))
    assert {email.rsplit("@", 1)[1] for email in emails} <= ALLOWED_DOMAINS
    assert len(set(db.session.scalars(select(User.password_hash)))) == 1


def test_seed_is_deterministic_in_shape(runner: FlaskCliRunner, app_ctx: Flask) -> None:
    _seed(runner)
    assert db.session.scalar(select(func.count()).select_from(Skill)) > 0
    statuses = list(db.session.scalars(select(Profile.diaspora_status)))
    assert statuses.count("local") + statuses.count("returned") == 80
    assert {"abroad", "returning", "returned"} <= set(statuses)


def test_seeded_user_can_log_in(runner: FlaskCliRunner, client: FlaskClient, app: Flask) -> None:
    with app.app_context():
        _seed(runner)
        email = db.session.scalars(select(User.email).order_by(User.id)).first()
    assert email is not None

    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302

    page = client.get("/account")
    assert page.status_code == 200
    assert email in page.get_data(as_text=True)


def test_the_demo_has_a_high_and_a_medium_risk_challenge(app):
    from sqlalchemy import select

    from directory.extensions import db
    from directory.models import Challenge
    from directory.seed import seed_demo

    with app.app_context():
        seed_demo()
        db.session.commit()
        levels = sorted(
            level
            for level in db.session.scalars(select(Challenge.risk_level).select_from(Challenge))
            if level is not None
        )
    assert levels == ["high", "medium"]
