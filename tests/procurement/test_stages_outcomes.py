"""Stage history and closing with an outcome: editors only, audited, shown on the challenge
and unit pages, told to followers and proposers; following a challenge."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from sqlalchemy import select

from directory.extensions import db
from directory.models import AuditEvent, Challenge, Notification, Proposal, Status, User
from directory.models.procurement import ChallengeFollower, ChallengeOutcome, StageChange

from .. import factories as f
from .conftest import (
    ASKER,
    CURATOR,
    EDITOR,
    FOLLOWER,
    HIDDEN,
    OUTSIDER,
    OWNER,
    PROPOSER,
    World,
    login,
)


def _notified(app: Flask, email: str) -> list[tuple[str, dict]]:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        return [
            (n.kind, dict(n.params))
            for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id))
        ]


def test_an_editor_moves_the_stage_with_a_note_and_the_timeline_shows_it(app, world):
    editor = login(app, EDITOR)
    url = f"/manage/challenges/{world.challenge_id}/stage"
    assert editor.get(url).status_code == 200
    # A note is required; the same stage is refused.
    assert editor.post(url, data={"stage": "pilot", "note": ""}).status_code == 200
    same = editor.post(url, data={"stage": "prototype", "note": "Nada"})
    assert same.status_code == 200 and 'class="errors"' in same.get_data(as_text=True)
    response = editor.post(url, data={"stage": "pilot", "note": "Piloto en **dos** hospitales"})
    assert response.status_code == 302
    with app.app_context():
        challenge = db.session.get(Challenge, world.challenge_id)
        assert challenge.stage == "pilot"
        [change] = db.session.scalars(select(StageChange)).all()
        assert (change.from_stage, change.to_stage) == ("prototype", "pilot")
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "challenge.stage_moved")
        )
        assert event.details["to_stage"] == "pilot"
    page = app.test_client().get(f"/challenges/{world.challenge_id}").get_data(as_text=True)
    timeline = page.split('data-test="timeline"')[1].split("</section>")[0]
    assert timeline.index('data-stage="prototype"') < timeline.index('data-stage="pilot"')
    assert "Piloto en <strong>dos</strong> hospitales" in timeline
    assert _notified(app, FOLLOWER) == [("challenge_news", {"action": "stage", "stage": "pilot"})]
    assert [k for k, _p in _notified(app, PROPOSER)] == ["challenge_news"]
    assert _notified(app, OWNER) == []


def test_only_the_team_moves_stages_and_decides_outcomes(app, world):
    for path in ("stage", "outcome"):
        url = f"/manage/challenges/{world.challenge_id}/{path}"
        assert app.test_client().get(url).status_code == 302
        for email in (OUTSIDER, CURATOR, ASKER):
            assert login(app, email).get(url).status_code == 403, (email, path)
            data = {"stage": "scale", "note": "x", "kind": "cancelled"}
            assert login(app, email).post(url, data=data).status_code == 403
    with app.app_context():
        challenge = db.session.get(Challenge, world.challenge_id)
        assert challenge.stage == "prototype" and challenge.status == Status.PUBLISHED
        assert db.session.scalar(select(ChallengeOutcome.id)) is None


def test_closing_with_an_outcome_names_the_startup_and_shows_on_challenge_and_unit(app, world):
    with app.app_context():
        story_id = f.story(title_es="Historia del piloto", title_en="The pilot's story").id
        hidden_story = f.story(status="pending", title_es="Borrador").id
    owner = login(app, OWNER)
    url = f"/manage/challenges/{world.challenge_id}/outcome"
    search = owner.post(url, data={"q": "Visión", "search": "1", "kind": "awarded"})
    assert f'value="organization:{world.startup_id}"' in search.get_data(as_text=True)
    assert "Borrador" not in owner.get(url).get_data(as_text=True)
    # Awarded without anyone named, or with a hidden story, is refused and changes nothing.
    assert owner.post(url, data={"kind": "awarded", "note": "x"}).status_code == 200
    refused = owner.post(url, data={"kind": "awarded", "story": str(hidden_story),
                                    "awardees": f"organization:{world.startup_id}"})  # fmt: skip
    assert refused.status_code == 200
    # A private profile cannot be named even by its id.
    owner.post(url, data={"kind": "awarded", "awardees": f"profile:{world.hidden_profile_id}"})
    with app.app_context():
        assert db.session.scalar(select(ChallengeOutcome.id)) is None
    response = owner.post(
        url,
        data={
            "kind": "awarded",
            "awardees": [f"organization:{world.startup_id}", f"profile:{world.asker_profile_id}"],
            "note": "Ganó por su *validación local*.",
            "story": str(story_id),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        challenge = db.session.get(Challenge, world.challenge_id)
        assert challenge.status == Status.ARCHIVED
        outcome = db.session.scalar(select(ChallengeOutcome))
        assert outcome.kind == "awarded" and len(outcome.awardees) == 2
        assert db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "challenge.outcome")
        ).details["awardees"] == [f"organization:{world.startup_id}",
                                  f"profile:{world.asker_profile_id}"]  # fmt: skip
    page = app.test_client().get(f"/challenges/{world.challenge_id}").get_data(as_text=True)
    block = page.split('id="outcome"')[1].split("</section>")[0]
    assert "Visión Norte" in block and "Ana Preguntona" in block
    assert "<em>validación local</em>" in block and "Historia del piloto" in block
    assert 'data-test="closed"' in page  # and it no longer takes proposals
    unit = app.test_client().get(f"/units/{world.unit_id}").get_data(as_text=True)
    outcomes = unit.split('data-test="unit-outcomes"')[1].split("</ul>")[0]
    assert "Visión Norte" in outcomes and "Triaje de radiografías" in outcomes
    # Followers and proposers are told; a correction later tells nobody again.
    assert _notified(app, FOLLOWER) == [
        ("challenge_news", {"action": "outcome", "outcome": "awarded"})
    ]
    assert [k for k, _p in _notified(app, PROPOSER)] == ["challenge_news"]
    owner.post(url, data={"kind": "awarded", "awardees": f"organization:{world.startup_id}"})
    assert len(_notified(app, FOLLOWER)) == 1


def test_an_awarded_person_who_hides_their_profile_disappears_from_the_outcome(app, world):
    login(app, OWNER).post(
        f"/manage/challenges/{world.challenge_id}/outcome",
        data={"kind": "awarded", "awardees": f"profile:{world.asker_profile_id}"},
    )
    assert "Ana Preguntona" in app.test_client().get(f"/challenges/{world.challenge_id}").get_data(
        as_text=True
    )
    with app.app_context():
        profile = db.session.scalar(select(User).where(User.email == ASKER)).profile
        profile.visibility = "private"
        db.session.commit()
    for email in (None, OUTSIDER, OWNER, CURATOR):
        client = login(app, email) if email else app.test_client()
        for url in (f"/challenges/{world.challenge_id}", f"/units/{world.unit_id}"):
            assert "Ana Preguntona" not in client.get(url).get_data(as_text=True), (email, url)


def test_cancelled_and_not_awarded_name_nobody(app, world):
    owner = login(app, OWNER)
    url = f"/manage/challenges/{world.challenge_id}/outcome"
    owner.post(url, data={"kind": "cancelled", "awardees": f"organization:{world.startup_id}"})
    with app.app_context():
        assert db.session.scalar(select(ChallengeOutcome.id)) is None
    owner.post(url, data={"kind": "cancelled", "note": "Sin presupuesto este año."})
    page = app.test_client().get(f"/challenges/{world.challenge_id}").get_data(as_text=True)
    assert 'data-kind="cancelled"' in page and "Sin presupuesto este año." in page


def test_after_the_proposal_deadline_no_proposal_is_taken_with_a_clear_message(app, world):
    with app.app_context():
        challenge = db.session.get(Challenge, world.challenge_id)
        challenge.closes_on = date.today() - timedelta(days=1)
        challenge.clarification_deadline = None
        db.session.commit()
    client = login(app, OUTSIDER)
    client.set_cookie("lang", "en")
    page = client.get(f"/challenges/{world.challenge_id}").get_data(as_text=True)
    assert 'data-test="closed-notice"' in page and "Proposal deadline" in page
    response = client.post(f"/challenges/{world.challenge_id}/propose", data={"message": "Tarde"})
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "This challenge is closed and no longer takes proposals." in page
    with app.app_context():
        assert len(db.session.scalars(select(Proposal)).all()) == 1  # the fixture's only
    # Closed with an outcome before the deadline: the same refusal.
    with app.app_context():
        challenge = db.session.get(Challenge, world.challenge_id)
        challenge.closes_on = date.today() + timedelta(days=5)
        db.session.commit()
    login(app, OWNER).post(
        f"/manage/challenges/{world.challenge_id}/outcome", data={"kind": "not_awarded"}
    )
    response = client.post(f"/challenges/{world.challenge_id}/propose", data={"message": "Tarde"})
    assert "This challenge is closed and no longer takes proposals." in client.get(
        response.location
    ).get_data(as_text=True)


def test_follow_and_unfollow(app, world):
    client = login(app, OUTSIDER)
    client.post(f"/challenges/{world.challenge_id}/follow")
    client.post(f"/challenges/{world.challenge_id}/follow")  # a double click adds nothing
    with app.app_context():
        assert len(db.session.scalars(select(ChallengeFollower)).all()) == 2  # + the fixture's
    page = client.get(f"/challenges/{world.challenge_id}").get_data(as_text=True)
    assert 'data-test="unfollow"' in page
    listed = client.get("/me/following")
    assert listed.status_code == 200 and "Triaje de radiografías" in listed.get_data(as_text=True)
    back = client.post(f"/challenges/{world.challenge_id}/unfollow", data={"back": "following"})
    assert back.location.endswith("/me/following")
    assert "Triaje de radiografías" not in client.get("/me/following").get_data(as_text=True)


def test_a_hidden_challenge_cannot_be_followed(app, world: World):
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == OWNER))
        pending = f.challenge(
            f.org(owner, kind="government_agency", status="pending"), status="pending"
        )
        pending_id = pending.id
    assert login(app, HIDDEN).post(f"/challenges/{pending_id}/follow").status_code == 404
    # Its own team sees it, but a challenge not yet public has no followers.
    login(app, OWNER).post(f"/challenges/{pending_id}/follow")
    with app.app_context():
        assert (
            db.session.scalar(
                select(ChallengeFollower.id).where(ChallengeFollower.challenge_id == pending_id)
            )
            is None
        )
