"""SECURITY.md rows 17–19 and 44 for the new user text: questions, answers, unit names,
mandates and contacts, stage notes and outcome notes are inert on every page that shows
them (the challenge, the unit, the agency, the owners' pages, the curators' audited view,
the notifications); and the ARCO helpers for a person's procurement records."""

from __future__ import annotations

from html.parser import HTMLParser

from flask import Flask
from sqlalchemy import select

from directory.extensions import db
from directory.models import Challenge, Profile, User
from directory.models.procurement import (
    ChallengeFollower,
    ChallengeOutcome,
    ChallengeQuestion,
    OutcomeAwardee,
    StageChange,
    UnitMember,
)
from directory.services.procurement import account

from .. import factories as f
from .conftest import ASKER, CURATOR, EDITOR, OWNER, World, login

XSS = '"><svg onload=alert(1)><img src=x onerror=alert(2)><script>alert(3)</script>'
MD_XSS = XSS + " [clic](javascript:alert(4)) ![x](data:text/html,alert(5))"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def _assert_inert(html: str, where: str) -> None:
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert not any(name.startswith("on") for name in attrs), (where, tag, attrs)
        assert not (tag == "img" and attrs.get("src") == "x"), where
        assert not attrs.get("href", "").lower().startswith(("javascript:", "data:")), where
    assert all(attrs.get("src") for tag, attrs in parser.tags if tag == "script"), where


def _hostile_world(app: Flask, world: World) -> None:
    with app.app_context():
        asker = db.session.scalar(select(User).where(User.email == ASKER))
        asker.profile.full_name = XSS
        challenge = db.session.get(Challenge, world.challenge_id)
        unit = challenge.unit
        unit.name, unit.mandate, unit.contact = XSS, MD_XSS, "javascript:alert(6)"
        unit.members.append(UnitMember(user_id=asker.id, status="active"))
        f.question(challenge, asker, body=XSS, answer=MD_XSS)
        f.question(challenge, asker, body=XSS + " oculta", hidden_at=challenge.created_at)
        db.session.add(StageChange(challenge_id=challenge.id, from_stage="prototype",
                                   to_stage="pilot", note=MD_XSS))  # fmt: skip
        startup = db.session.get(type(challenge.organization), world.startup_id)
        startup.name = XSS
        outcome = ChallengeOutcome(challenge_id=challenge.id, kind="awarded", note=MD_XSS)
        outcome.awardees = [
            OutcomeAwardee(organization_id=startup.id),
            OutcomeAwardee(profile_id=asker.profile.id),
        ]
        db.session.add(outcome)
        db.session.commit()


def test_hostile_text_is_inert_on_every_procurement_page(app, world):
    _hostile_world(app, world)
    pages = {
        None: [f"/challenges/{world.challenge_id}", f"/units/{world.unit_id}",
               f"/organizations/{world.agency_slug}"],
        OWNER: [f"/challenges/{world.challenge_id}", f"/manage/units/{world.unit_id}?q=svg",
                f"/manage/units/{world.unit_id}/edit", f"/manage/organizations/{world.agency_id}",
                f"/manage/challenges/{world.challenge_id}/stage",
                f"/manage/challenges/{world.challenge_id}/outcome?q=svg",
                f"/manage/challenges/{world.challenge_id}/edit", "/me/notifications"],
        ASKER: ["/me/units", f"/challenges/{world.challenge_id}"],
        CURATOR: [f"/challenges/{world.challenge_id}/questions/hidden"],
    }  # fmt: skip
    escaped = 0
    for email, urls in pages.items():
        client = login(app, email) if email else app.test_client()
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (email, url)
            html = response.get_data(as_text=True)
            _assert_inert(html, f"{email} {url}")
            escaped += "&lt;svg onload=alert(1)&gt;" in html
    assert escaped >= 8  # the payload did reach the pages, escaped


def test_notifications_about_hostile_text_stay_inert(app, world):
    _hostile_world(app, world)
    with app.app_context():
        asker = db.session.scalar(select(User).where(User.email == ASKER))
        challenge = db.session.get(Challenge, world.challenge_id)
        challenge.title = XSS
        question_id = f.question(challenge, asker, body="¿Nueva?").id
    login(app, EDITOR).post(f"/questions/{question_id}/answer", data={"answer": MD_XSS})
    html = login(app, ASKER).get("/me/notifications").get_data(as_text=True)
    _assert_inert(html, "notifications")
    assert "&lt;svg onload=alert(1)&gt;" in html  # the hostile title did reach the bell


def test_a_persons_procurement_records_are_exported_and_deleted_with_them(app, world):
    with app.app_context():
        asker = db.session.scalar(select(User).where(User.email == ASKER))
        owner = db.session.scalar(select(User).where(User.email == OWNER))
        challenge = db.session.get(Challenge, world.challenge_id)
        f.question(challenge, asker, body="Mi pregunta", answer="Su respuesta")
        mine = f.question(challenge, owner, body="De otra persona")
        db.session.add(ChallengeFollower(challenge_id=challenge.id, user_id=asker.id))
        db.session.add(UnitMember(unit_id=world.unit_id, user_id=asker.id, status="active"))
        db.session.add(StageChange(challenge_id=challenge.id, from_stage="prototype",
                                   to_stage="pilot", note="n", actor_id=asker.id))  # fmt: skip
        db.session.commit()
        data = account.export(asker)
        assert [q["question"] for q in data["challenge_questions"]] == ["Mi pregunta"]
        assert data["challenge_questions"][0]["answer"] == "Su respuesta"
        assert [c["challenge_id"] for c in data["challenges_followed"]] == [challenge.id]
        assert [u["unit_id"] for u in data["innovation_units"]] == [world.unit_id]
        account.delete_for(asker.id)
        db.session.commit()
        assert (
            db.session.scalars(
                select(ChallengeQuestion.body).where(ChallengeQuestion.asker_id == asker.id)
            ).all()
            == []
        )
        assert db.session.get(ChallengeQuestion, mine.id) is not None
        assert (
            db.session.scalar(
                select(ChallengeFollower.id).where(ChallengeFollower.user_id == asker.id)
            )
            is None
        )
        assert (
            db.session.scalar(select(UnitMember.id).where(UnitMember.user_id == asker.id)) is None
        )
        assert db.session.scalar(select(StageChange.actor_id)) is None
        assert db.session.scalar(select(Profile.id).where(Profile.user_id == asker.id))
