"""Free-text skills: counted across spellings, folded into a skill on every profile that
typed them, or added to the vocabulary with both labels; every decision audited."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select

from directory.extensions import db
from directory.models import AuditEvent, Profile, Skill
from directory.services import free_skills

from .. import factories as f
from ..conftest import AuthActions

NEW_SLUG = "lenguas-indigenas-nlp"


@pytest.fixture
def typed(app: Flask, make_user) -> Iterator[list[int]]:
    """Three profiles that typed "Visión 3D" in three spellings, one also "PyTorch Lightning"."""
    make_user("curator@example.org", role="curator")
    with app.app_context():
        ids = [
            f.profile(free_skills=["Visión 3D", "PyTorch Lightning"]).id,
            f.profile(free_skills=["vision 3d"]).id,
            f.profile(free_skills=["VISION 3D"], visibility="private").id,
            f.profile(free_skills=[]).id,
        ]
    yield ids
    # The vocabulary survives between tests (conftest): remove what a test added to it.
    with app.app_context():
        db.session.execute(delete(Skill).where(Skill.slug == NEW_SLUG))
        db.session.commit()


def test_terms_are_counted_across_spellings(app: Flask, typed: list[int]) -> None:
    with app.app_context():
        counts = {item.key: item for item in free_skills.free_skill_counts()}
    assert counts["vision 3d"].count == 3
    assert set(counts["vision 3d"].spellings) == {"Visión 3D", "vision 3d", "VISION 3D"}
    assert counts["pytorch lightning"].count == 1


def test_the_list_page_shows_counts(
    client: FlaskClient, auth: AuthActions, typed: list[int]
) -> None:
    auth.login("curator@example.org")
    html = client.get("/curation/free-skills").get_data(as_text=True)
    assert html.count('data-test="free-skill-row"') == 2
    assert 'data-key="vision 3d"' in html
    page = client.get("/curation/free-skills/term?key=vision 3d")
    assert page.status_code == 200
    assert client.get("/curation/free-skills/term?key=nobody-typed-this").status_code == 404


def test_folding_updates_every_profile(
    app: Flask, client: FlaskClient, auth: AuthActions, typed: list[int]
) -> None:
    auth.login("curator@example.org")
    answer = client.post("/curation/free-skills/fold",
                         data={"key": "VISIÓN 3d", "skill": "Visión por computadora"})  # fmt: skip
    assert answer.status_code == 302
    with app.app_context():
        for profile_id in typed[:3]:
            profile = db.session.get(Profile, profile_id)
            assert "computer-vision" in {s.slug for s in profile.skills}
            assert all(term.casefold() != "vision 3d" for term in profile.free_skills)
            assert "vision por computadora" in profile.search_text  # keyword search follows
        assert db.session.get(Profile, typed[0]).free_skills == ["PyTorch Lightning"]
        # The profile that never typed the term is untouched.
        assert db.session.get(Profile, typed[3]).free_skills == []
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "skills.folded"))
        assert event.details["profiles"] == 3 and event.details["skill"] == "computer-vision"
        assert [i.key for i in free_skills.free_skill_counts()] == ["pytorch lightning"]


def test_adding_to_the_vocabulary_creates_the_skill_and_folds(
    app: Flask, client: FlaskClient, auth: AuthActions, typed: list[int]
) -> None:
    auth.login("curator@example.org")
    answer = client.post("/curation/free-skills/add", data={
        "key": "vision 3d", "label_es": "PLN de lenguas indígenas",
        "label_en": "Indigenous-language NLP", "category": "technique", "slug": NEW_SLUG,
    })  # fmt: skip
    assert answer.status_code == 302
    with app.app_context():
        skill = db.session.scalar(select(Skill).where(Skill.slug == NEW_SLUG))
        assert (skill.label_es, skill.label_en) == ("PLN de lenguas indígenas",
                                                    "Indigenous-language NLP")  # fmt: skip
        assert skill.synonyms == ["Visión 3D"]  # the typed spelling now resolves to it
        for profile_id in typed[:3]:
            assert NEW_SLUG in {s.slug for s in db.session.get(Profile, profile_id).skills}
        assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "skills.added"))


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/curation/free-skills/fold", {"key": "vision 3d", "skill": "no such skill"}),
        ("/curation/free-skills/fold", {"key": "vision 3d", "skill": ""}),
        ("/curation/free-skills/add", {"key": "vision 3d", "label_es": "Python",
                                       "label_en": "Something new", "category": "tool"}),
        ("/curation/free-skills/add", {"key": "vision 3d", "label_es": "Nuevo",
                                       "label_en": "New", "category": "nonsense"}),
        ("/curation/free-skills/add", {"key": "vision 3d", "label_es": "Nuevo", "label_en": "New",
                                       "category": "tool", "slug": "Not A Slug!"}),
        ("/curation/free-skills/add", {"key": "vision 3d", "label_es": "Nuevo", "label_en": "New",
                                       "category": "tool", "slug": "python"}),
    ],
)  # fmt: skip
def test_bad_decisions_change_nothing(
    app: Flask, client: FlaskClient, auth: AuthActions, typed: list[int], url: str, data: dict
) -> None:
    auth.login("curator@example.org")
    with app.app_context():
        skills_before = db.session.scalar(select(db.func.count()).select_from(Skill))
    answer = client.post(url, data=data)
    assert answer.status_code == 400
    assert 'class="errors"' in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Skill)) == skills_before
        assert db.session.get(Profile, typed[1]).free_skills == ["vision 3d"]
        assert (
            db.session.scalar(select(AuditEvent.id).where(AuditEvent.action.like("skills.%")))
            is None
        )


def test_a_term_nobody_uses_is_404(
    client: FlaskClient, auth: AuthActions, typed: list[int]
) -> None:
    auth.login("curator@example.org")
    answer = client.post("/curation/free-skills/fold", data={"key": "nada", "skill": "Python"})
    assert answer.status_code == 404


def test_posts_free_skills_are_counted_and_folded_too(app: Flask) -> None:
    with app.app_context():
        curator = f.user("cura@example.org", role="curator")
        org = f.org(kind="company")
        opening = f.opening(org, free_skills=["Visión 3D"])
        challenge = f.challenge(org, free_skills=["visión 3d", "Otra cosa"])
        counts = {item.key: item.count for item in free_skills.free_skill_counts()}
        assert counts["vision 3d"] == 2
        skill = db.session.scalar(select(Skill).where(Skill.slug == "computer-vision"))
        assert free_skills.fold_into("vision 3d", skill, actor=curator) == 2
        db.session.commit()
        db.session.refresh(opening)
        db.session.refresh(challenge)
        assert opening.free_skills == [] and challenge.free_skills == ["Otra cosa"]
        assert skill in opening.skills and skill in challenge.skills
