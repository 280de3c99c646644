"""Public Q&A on a challenge: who asks and until when, who answers, who reads what, who is
told, hiding abusive questions, the rate limit (SECURITY.md rows 12, 42, 44)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from sqlalchemy import select

from directory.extensions import db
from directory.models import AuditEvent, Challenge, Notification, User
from directory.models.procurement import ChallengeQuestion

from .. import factories as f
from ..conftest import csrf_token_from
from ..helpers import translated
from .conftest import ASKER, CURATOR, EDITOR, FOLLOWER, OUTSIDER, OWNER, PROPOSER, World, login


def _ask(app: Flask, world: World, email: str = ASKER, text: str = "¿Hay datos?", **extra):
    client = login(app, email)
    data = {"question": text, **extra}
    return client, client.post(f"/challenges/{world.challenge_id}/questions", data=data)


def _question(app: Flask, body: str) -> ChallengeQuestion:
    with app.app_context():
        row = db.session.scalar(select(ChallengeQuestion).where(ChallengeQuestion.body == body))
        assert row is not None
        db.session.expunge(row)
        return row


def _page(app: Flask, world: World, email: str | None = None) -> str:
    client = login(app, email) if email else app.test_client()
    response = client.get(f"/challenges/{world.challenge_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _kinds_for(app: Flask, email: str) -> list[str]:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        return list(
            db.session.scalars(select(Notification.kind).where(Notification.user_id == user.id))
        )


def _mailed_to(app: Flask) -> list[str]:
    return [message["To"] for message in app.extensions.get("outbox", [])]


def test_a_member_asks_a_public_question_the_team_is_told_and_the_page_waits(app, world):
    client, response = _ask(app, world, text="¿Qué formato tienen las imágenes?")
    assert response.status_code == 302
    question = _question(app, "¿Qué formato tienen las imágenes?")
    assert response.location.endswith(f"/challenges/{world.challenge_id}#question-{question.id}")
    assert question.public and question.answered_at is None
    assert _kinds_for(app, OWNER) == ["challenge_question"]
    assert _kinds_for(app, EDITOR) == ["challenge_question"]
    # Unanswered: the asker and the organisation see it, nobody else.
    assert "¿Qué formato tienen las imágenes?" in client.get(
        f"/challenges/{world.challenge_id}"
    ).get_data(as_text=True)
    assert "¿Qué formato tienen las imágenes?" in _page(app, world, EDITOR)
    assert "¿Qué formato tienen las imágenes?" not in _page(app, world)
    assert "¿Qué formato tienen las imágenes?" not in _page(app, world, OUTSIDER)
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "question.asked"))
        assert event.details["question_id"] == question.id
    # The organisation's dashboard counts what waits for an answer.
    dashboard = login(app, OWNER).get(f"/manage/organizations/{world.agency_id}")
    assert 'data-test="unanswered-questions"' in dashboard.get_data(as_text=True)


def test_the_answer_appears_in_order_with_dates_and_everyone_concerned_is_told(app, world):
    with app.app_context():
        asker = db.session.scalar(select(User).where(User.email == ASKER))
        challenge = db.session.get(Challenge, world.challenge_id)
        first = f.question(challenge, asker, body="Primera pregunta", answer="Primera respuesta")
        first_id = first.id
    _ask(app, world, email=OUTSIDER, text="Segunda pregunta")
    second = _question(app, "Segunda pregunta")
    app.extensions.get("outbox", []).clear()
    editor = login(app, EDITOR)
    response = editor.post(f"/questions/{second.id}/answer", data={"answer": "**Sí**, en DICOM."})
    assert response.status_code == 302
    html = _page(app, world)
    assert html.index("Primera pregunta") < html.index("Segunda pregunta")
    assert "<strong>Sí</strong>, en DICOM." in html
    assert html.count('data-test="answer"') == 2
    assert f'id="question-{first_id}"' in html and f'id="question-{second.id}"' in html
    # The asker gets a reply; who asked before, proposed or follows hears of the answer.
    assert _kinds_for(app, OUTSIDER) == ["question_reply"]
    assert _kinds_for(app, ASKER) == ["challenge_answer"]
    assert _kinds_for(app, FOLLOWER) == ["challenge_answer"]
    assert _kinds_for(app, PROPOSER) == ["challenge_answer"]
    assert "challenge_answer" not in _kinds_for(app, OWNER)  # the team made the answer
    assert set(_mailed_to(app)) == {OUTSIDER, ASKER, FOLLOWER, PROPOSER}
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "question.answered"))


def test_a_correction_tells_nobody_again(app, world):
    _ask(app, world, text="¿Plazo?")
    question = _question(app, "¿Plazo?")
    editor = login(app, EDITOR)
    editor.post(f"/questions/{question.id}/answer", data={"answer": "Diez días."})
    before = len(app.extensions.get("outbox", []))
    editor.post(f"/questions/{question.id}/answer", data={"answer": "Doce días."})
    assert len(app.extensions.get("outbox", [])) == before
    assert "Doce días." in _page(app, world) and "Diez días." not in _page(app, world)


def test_a_private_question_is_read_only_by_its_asker_and_the_team(app, world):
    _ask(app, world, text="Pregunta confidencial", private="y")
    question = _question(app, "Pregunta confidencial")
    assert not question.public
    login(app, OWNER).post(f"/questions/{question.id}/answer", data={"answer": "Respuesta privada"})
    assert "Respuesta privada" in _page(app, world, ASKER)
    assert "Respuesta privada" in _page(app, world, EDITOR)
    for email in (None, OUTSIDER, FOLLOWER, CURATOR):
        assert "Pregunta confidencial" not in _page(app, world, email), email
    # Only the asker is told of a private answer.
    assert _kinds_for(app, ASKER) == ["question_reply"]
    assert _kinds_for(app, FOLLOWER) == [] and _kinds_for(app, PROPOSER) == []


def test_questions_are_refused_after_the_clarification_deadline_with_a_message(app, world):
    with app.app_context():
        challenge = db.session.get(Challenge, world.challenge_id)
        challenge.clarification_deadline = date.today() - timedelta(days=1)
        db.session.commit()
    client = login(app, ASKER)
    client.set_cookie("lang", "en")
    page = client.get(f"/challenges/{world.challenge_id}").get_data(as_text=True)
    assert 'data-test="ask-refusal"' in page and 'data-test="ask-form"' not in page
    assert "The period for questions ended on" in page
    response = client.post(
        f"/challenges/{world.challenge_id}/questions", data={"question": "¿Tarde?"}
    )
    assert response.status_code == 302
    followed = client.get(response.location).get_data(as_text=True)
    assert "The period for questions ended on" in followed
    with app.app_context():
        assert db.session.scalar(select(ChallengeQuestion.id)) is None


def test_closed_challenges_and_own_organisations_take_no_questions(app, world):
    client = login(app, EDITOR)
    client.post(f"/challenges/{world.challenge_id}/questions", data={"question": "¿Propia?"})
    with app.app_context():
        challenge = db.session.get(Challenge, world.challenge_id)
        challenge.status = "archived"
        db.session.commit()
    login(app, ASKER).post(
        f"/challenges/{world.challenge_id}/questions", data={"question": "¿Cerrado?"}
    )
    with app.app_context():
        assert db.session.scalar(select(ChallengeQuestion.id)) is None


def test_only_the_team_answers(app, world):
    _ask(app, world, text="¿Quién responde?")
    question = _question(app, "¿Quién responde?")
    for email in (ASKER, OUTSIDER, CURATOR):
        response = login(app, email).post(f"/questions/{question.id}/answer", data={"answer": "Yo"})
        assert response.status_code == 403, email
    assert app.test_client().post(f"/questions/{question.id}/answer").status_code == 302
    assert _question(app, "¿Quién responde?").answered_at is None


def test_hiding_by_the_team_or_a_curator_is_audited_and_removes_the_question(app, world):
    with app.app_context():
        asker = db.session.scalar(select(User).where(User.email == ASKER))
        challenge = db.session.get(Challenge, world.challenge_id)
        abusive = f.question(challenge, asker, body="Texto abusivo", answer="Respuesta").id
        other = f.question(challenge, asker, body="Texto grosero", answer="Otra").id
    assert "Texto abusivo" in _page(app, world)
    assert login(app, OUTSIDER).post(f"/questions/{abusive}/hide").status_code == 403
    assert login(app, EDITOR).post(f"/questions/{abusive}/hide", data={"reason": "insultos"})
    curator = login(app, CURATOR)
    assert curator.post(f"/questions/{other}/hide").status_code == 302
    for email in (None, ASKER, EDITOR, CURATOR):
        html = _page(app, world, email)
        assert "Texto abusivo" not in html and "Texto grosero" not in html, email
    with app.app_context():
        events = list(
            db.session.scalars(select(AuditEvent).where(AuditEvent.action == "question.hidden"))
        )
    assert sorted(e.details["by_curator"] for e in events) == [False, True]
    assert [e.details["reason"] for e in events if not e.details["by_curator"]] == ["insultos"]
    # Curators read hidden questions only on an audited page; members may not.
    assert (
        login(app, OUTSIDER).get(f"/challenges/{world.challenge_id}/questions/hidden").status_code
        == 403
    )
    page = curator.get(f"/challenges/{world.challenge_id}/questions/hidden")
    assert page.status_code == 200 and "Texto abusivo" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    with app.app_context():
        viewed = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "question.hidden_viewed")
        )
        assert sorted(viewed.details["question_ids"]) == sorted([abusive, other])
    # A curator may show it again (audited); the editor may not.
    assert login(app, EDITOR).post(f"/questions/{abusive}/restore").status_code == 403
    curator.post(f"/questions/{abusive}/restore")
    assert "Texto abusivo" in _page(app, world)
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "question.restored"))


def test_a_notification_about_a_hidden_question_loses_its_title(app, world):
    _ask(app, world, text="¿Se ve el título?")
    question = _question(app, "¿Se ve el título?")
    login(app, CURATOR).post(f"/questions/{question.id}/hide")
    owner = login(app, OWNER)
    owner.set_cookie("lang", "en")
    html = owner.get("/me/notifications").get_data(as_text=True)
    # The owner reads their account's language (Spanish), whatever the cookie says.
    assert translated(app, "A question about a challenge you can no longer see", "es") in html
    assert "Triaje de radiografías" not in html


def test_questions_are_rate_limited_per_member(app, world):
    app.config["RATELIMIT_QUESTION"] = "2 per hour"
    try:
        client = login(app, ASKER)
        codes = [
            client.post(
                f"/challenges/{world.challenge_id}/questions", data={"question": f"¿{n}?"}
            ).status_code
            for n in range(3)
        ]
    finally:
        app.config["RATELIMIT_QUESTION"] = "10 per hour;30 per day"
    assert codes == [302, 302, 429]


def test_hostile_and_oversized_questions_are_refused_or_neutralised(app, world):
    client, _response = _ask(app, world, text="x" * 2001)
    with app.app_context():
        assert db.session.scalar(select(ChallengeQuestion.id)) is None
    _ask(app, world, text="<script>alert(1)</script>\x00 ¿sí?")
    question = _question(app, "<script>alert(1)</script> ¿sí?")
    login(app, OWNER).post(
        f"/questions/{question.id}/answer",
        data={"answer": "<img src=x onerror=alert(2)> [x](javascript:alert(3))"},
    )
    html = _page(app, world)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "onerror" not in html and "javascript:alert" not in html


def test_the_ask_form_carries_a_csrf_token_and_refuses_without_it(app, world, csrf_on):
    client = login_with_token(app, ASKER)
    page = client.get(f"/challenges/{world.challenge_id}").get_data(as_text=True)
    token = csrf_token_from(page)
    url = f"/challenges/{world.challenge_id}/questions"
    assert client.post(url, data={"question": "¿Sin token?"}).status_code == 400
    assert (
        client.post(url, data={"question": "¿Con token?", "csrf_token": token}).status_code == 302
    )
    with app.app_context():
        assert list(db.session.scalars(select(ChallengeQuestion.body))) == ["¿Con token?"]


def login_with_token(app: Flask, email: str):
    """Log in through the form when CSRF is on."""
    from ..conftest import PASSWORD

    client = app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    return client
