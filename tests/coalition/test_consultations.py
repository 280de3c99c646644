"""Consultations: curators write and publish them, members hear of them, answer once and
change their answers until the closing date; hostile answers save nothing."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import NotificationPreference
from directory.models.coalition import (
    CoalitionNotice,
    Consultation,
    ConsultationAnswer,
    ConsultationQuestion,
    ConsultationResponse,
)
from directory.services.coalition import announce

from .. import factories as f
from ..conftest import PASSWORD, csrf_token_from
from ..helpers import translated
from .helpers import audited, login, notified


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_curators_write_publish_and_members_are_told_once(app: Flask) -> None:
    with app.app_context():
        f.user("curator@example.org", role="curator")
        ana = f.user("ana@example.org").id
        quiet = f.user("quiet@example.org").id
        db.session.add(
            NotificationPreference(user_id=quiet, kind="consultation_opened", channel="none")
        )
        db.session.commit()
    curator = login(app, "curator@example.org")
    today = date.today()
    data = {
        "title_es": "Consulta sobre talento",
        "title_en": "Talent consultation",
        "context_es": "Contexto",
        "context_en": "Context",
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=10)).isoformat(),
    }
    # A closing date before the opening date is refused.
    bad = {**data, "closes_on": (today - timedelta(days=1)).isoformat()}
    assert curator.post("/curation/consultations/new", data=bad).status_code == 200
    assert curator.post("/curation/consultations/new", data=data).status_code == 302
    with app.app_context():
        record_id = db.session.scalar(select(Consultation.id))
    base = f"/curation/consultations/{record_id}"
    # Options must come in both languages, as many in each.
    curator.post(
        f"{base}/questions",
        data={
            "question-kind": "single",
            "question-text_es": "¿Sí?",
            "question-text_en": "Yes?",
            "question-options_es": "Sí\nNo",
            "question-options_en": "Yes",
        },
    )
    curator.post(
        f"{base}/questions",
        data={
            "question-kind": "single",
            "question-text_es": "¿Sí?",
            "question-text_en": "Yes?",
            "question-options_es": "Sí\nNo",
            "question-options_en": "Yes\nNo",
        },
    )
    curator.post(
        f"{base}/questions",
        data={"question-kind": "text", "question-text_es": "¿Qué?", "question-text_en": "What?"},
    )
    with app.app_context():
        kinds = [q.kind for q in db.session.scalars(select(ConsultationQuestion))]
        assert kinds == ["single", "text"]
    # A draft is the curators' alone.
    assert app.test_client().get(f"/consultas/{record_id}").status_code == 404
    assert login(app, "ana@example.org").get(f"/consultas/{record_id}").status_code == 404
    assert curator.post(f"{base}/publish").status_code == 302
    with app.app_context():
        record = db.session.get(Consultation, record_id)
        assert record.status == "published" and record.announced_at is not None
        assert audited("consultation.published") == 1
        assert len(notified(ana, "consultation_opened")) == 1
        assert notified(quiet, "consultation_opened") == []
        # Published, the questions are fixed.
        assert _count(ConsultationQuestion) == 2
        # Running the job again (a retry) tells nobody twice.
        announce.tell("consultation", record_id)
        db.session.commit()
        assert len(notified(ana, "consultation_opened")) == 1
        assert _count(CoalitionNotice) == 3  # curator, ana, quiet: each once
    curator.post(
        f"{base}/questions",
        data={"question-kind": "text", "question-text_es": "x", "question-text_en": "x"},
    )
    with app.app_context():
        assert _count(ConsultationQuestion) == 2
    assert app.test_client().get(f"/consultas/{record_id}").status_code == 200


def test_a_consultation_published_before_it_opens_is_announced_on_its_date(app: Flask) -> None:
    with app.app_context():
        ana = f.user("ana@example.org").id
        record = f.consultation(opens_on=date.today() + timedelta(days=2))
        announce.announce_due()
        assert notified(ana, "consultation_opened") == []
        record.opens_on = date.today()
        db.session.commit()
        announce.announce_due()
        assert len(notified(ana, "consultation_opened")) == 1


def test_a_member_answers_once_and_changes_the_answers(app: Flask) -> None:
    with app.app_context():
        f.user("ana@example.org")
        record = f.consultation()
        record_id = record.id
        q = {x.position: f"q-{x.id}" for x in record.questions}
    ana = login(app, "ana@example.org")
    page = ana.get(f"/consultas/{record_id}").get_data(as_text=True)
    assert 'data-test="answer-form"' in page and 'data-test="answer-submit"' in page
    response = ana.post(
        f"/consultas/{record_id}",
        data={q[1]: "0", q[2]: ["0", "2"], q[3]: "4", q[4]: "Más datos abiertos"},
    )
    assert response.status_code == 302
    response = ana.post(f"/consultas/{record_id}", data={q[1]: "1", q[3]: "2"})
    assert response.status_code == 302
    with app.app_context():
        assert _count(ConsultationResponse) == 1
        saved = {a.question_id: a for a in db.session.scalars(select(ConsultationAnswer))}
        assert len(saved) == 2
        by_pos = {p: saved.get(int(name[2:])) for p, name in q.items()}
        assert by_pos[1].choices == [1] and by_pos[3].scale == 2
        assert by_pos[2] is None and by_pos[4] is None
    page = ana.get(f"/consultas/{record_id}").get_data(as_text=True)
    assert 'data-test="already-answered"' in page
    assert f'name="{q[1]}" value="1" checked' in page
    # And the member may take them back while it is open.
    ana.post(f"/consultas/{record_id}/retirar")
    with app.app_context():
        assert _count(ConsultationResponse) == 0 and _count(ConsultationAnswer) == 0


def test_after_the_closing_date_nothing_is_saved_and_the_page_says_so(app: Flask) -> None:
    with app.app_context():
        f.user("ana@example.org")
        record = f.consultation(
            opens_on=date.today() - timedelta(days=10), closes_on=date.today() - timedelta(days=1)
        )
        record_id, first = record.id, f"q-{record.questions[0].id}"
    ana = login(app, "ana@example.org")
    page = ana.get(f"/consultas/{record_id}").get_data(as_text=True)
    assert 'data-test="consultation-closed"' in page and 'data-test="answer-submit"' not in page
    response = ana.post(f"/consultas/{record_id}", data={first: "0"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'data-test="answers-error"' in body
    with app.test_request_context():
        from flask_babel import format_date

        when = format_date(date.today() - timedelta(days=1), "long")
    message = "This consultation closed on %(date)s; your answers were not saved."
    assert translated(app, message, "es", date=when) in body
    with app.app_context():
        assert _count(ConsultationResponse) == 0


def test_hostile_answers_are_refused_and_save_nothing(app: Flask) -> None:
    with app.app_context():
        f.user("ana@example.org")
        record = f.consultation()
        other = f.consultation()
        record_id = record.id
        q = {x.position: f"q-{x.id}" for x in record.questions}
        foreign = f"q-{other.questions[0].id}"
    ana = login(app, "ana@example.org")
    url = f"/consultas/{record_id}"
    for data in (
        {q[1]: "7"},  # an option that does not exist
        {q[1]: ["0", "1"]},  # two answers to a single choice
        {q[2]: "-1"},
        {q[2]: "9" * 30},
        {q[3]: "6"},
        {q[3]: "<script>"},
        {q[4]: "x" * 5_001},
        {foreign: "0"},  # another consultation's question only: nothing answered here
        {},
    ):
        response = ana.post(url, data=data)
        assert response.status_code == 400, data
    with app.app_context():
        assert _count(ConsultationResponse) == 0
    # Anonymous visitors are sent to log in; nothing is saved.
    response = app.test_client().post(url, data={q[1]: "0"})
    assert response.status_code == 302 and "/login" in response.location
    with app.app_context():
        assert _count(ConsultationResponse) == 0


def test_a_draft_or_unknown_consultation_is_not_found(app: Flask) -> None:
    with app.app_context():
        f.user("ana@example.org")
        draft = f.consultation(status="draft").id
    ana = login(app, "ana@example.org")
    for url in (f"/consultas/{draft}", f"/consultas/{draft}/resultados", "/consultas/999999"):
        assert ana.get(url).status_code == 404, url
    assert ana.post(f"/consultas/{draft}", data={"q-1": "0"}).status_code == 404
    assert "Consulta nacional" not in app.test_client().get("/consultas").get_data(as_text=True)


def test_answers_need_the_form_token_when_csrf_is_on(app: Flask, csrf_on) -> None:
    with app.app_context():
        f.user("ana@example.org")
        record = f.consultation()
        record_id, first = record.id, f"q-{record.questions[0].id}"
    ana = login_with_token(app, "ana@example.org")
    url = f"/consultas/{record_id}"
    assert ana.post(url, data={first: "0"}).status_code == 400
    token = csrf_token_from(ana.get(url).get_data(as_text=True))
    assert ana.post(url, data={first: "0", "csrf_token": token}).status_code == 302
    with app.app_context():
        assert _count(ConsultationResponse) == 1


def test_answering_is_rate_limited_per_member(app: Flask) -> None:
    with app.app_context():
        f.user("ana@example.org")
        record = f.consultation()
        record_id, first = record.id, f"q-{record.questions[0].id}"
    ana = login(app, "ana@example.org")
    saved = app.config["RATELIMIT_COALITION"]
    app.config["RATELIMIT_COALITION"] = "2 per hour"
    try:
        codes = [
            ana.post(f"/consultas/{record_id}", data={first: "0"}).status_code for _ in range(3)
        ]
        last = ana.post(f"/consultas/{record_id}", data={first: "1"})
    finally:
        app.config["RATELIMIT_COALITION"] = saved
    assert codes == [302, 302, 429] and last.status_code == 429
    assert "Retry-After" in last.headers
    assert ana.get(f"/consultas/{record_id}").status_code == 200  # reading is not limited


def login_with_token(app: Flask, email: str):
    """Log in through the real form with its CSRF token."""
    client = app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    return client


def test_members_turn_consultation_news_off_on_the_settings_page(app: Flask) -> None:
    with app.app_context():
        ana = f.user("ana@example.org").id
        f.user("curator@example.org", role="curator")
    client = login(app, "ana@example.org")
    client.set_cookie("lang", "en")
    page = client.get("/me/notifications/settings").get_data(as_text=True)
    for label in (
        "New consultations of the coalition",
        "New meetings and documents of my working groups",
        "Curators' decisions on my organisations' coalition membership",
    ):
        assert label in page
    from directory.services import notifications

    choices = {code: kind.default for code, kind in notifications.KINDS.items()}
    choices["consultation_opened"] = "none"
    assert client.post("/me/notifications/settings", data=choices).status_code == 302
    with app.app_context():
        record = f.consultation(status="draft")
        record_id = record.id
    login(app, "curator@example.org").post(f"/curation/consultations/{record_id}/publish")
    with app.app_context():
        assert notified(ana, "consultation_opened") == []
        assert db.session.get(Consultation, record_id).announced_at is not None
