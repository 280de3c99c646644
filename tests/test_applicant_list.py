"""The organisation's list of applications (and proposals): each sender's shared profile
and skills, an applicant's match score with its reasons, sorted by match or date, filtered
by status, in a number of queries that does not grow with the list, and never a field the
person keeps to themselves."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from directory.extensions import db
from directory.models import Application, Opening, Proposal, utcnow
from directory.models.proposals import ProposalMember

from . import factories as f
from .conftest import PASSWORD
from .helpers import translated
from .matching.conftest import fake_matching

OWNER = "duena@example.org"
PHONE = "+52 55 PRIVATE-PHONE-42"


@pytest.fixture
def matching(app: Flask) -> Iterator[None]:
    """The deterministic fake embedder instead of the real models."""
    with fake_matching(app):
        yield


def login(app: Flask, email: str = OWNER, lang: str = "en") -> FlaskClient:
    client = app.test_client()
    client.set_cookie("lang", lang)
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def applicant(opening, name: str, *, days_ago: int = 1, status: str = "received",
              **profile: object) -> Application:  # fmt: skip
    """Someone with a profile applying `days_ago` days ago."""
    person = f.user()
    f.profile(person, full_name=name, phone=PHONE, **profile)
    row = Application(opening=opening, user=person, message=f"Mensaje de {name}",
                      status=status, created_at=utcnow() - timedelta(days=days_ago))  # fmt: skip
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def opening_id(app: Flask) -> int:
    """An opening in Nuevo León asking for machine learning and Python, with applicants."""
    with app.app_context():
        org = f.org(f.user(OWNER), name="Visión del Norte")
        opening = f.opening(org, title="Ingeniería de aprendizaje automático", state_code="NLE",
                            skill_slugs=("machine-learning", "python"))  # fmt: skip
        applicant(opening, "Ana Afín", days_ago=3, state_code="NLE", headline="Ingeniera de ML",
                  skill_slugs=("machine-learning", "python", "computer-vision"),
                  needs_work_permit=True, degree="phd", work_modes=["remote"],
                  relocate=False)  # fmt: skip
        applicant(opening, "Beto Lejano", days_ago=1, state_code="YUC",
                  skill_slugs=("computer-vision",))  # fmt: skip
        applicant(opening, "Carla Privada", days_ago=2, visibility="private",
                  matching_consent=False, headline="Perfil privado compartido",
                  skill_slugs=("python",))  # fmt: skip
        return opening.id


def rows_of(html: str) -> list[str]:
    return html.split('data-test="response-row"')[1:]


def names_in_order(html: str) -> list[str]:
    return [re.search(r"(Ana Afín|Beto Lejano|Carla Privada)", row).group(1)
            for row in rows_of(html)]  # fmt: skip


def row_of(html: str, name: str) -> str:
    return next(row for row in rows_of(html) if name in row)


def test_each_applicant_shows_their_profile_skills_and_explained_score(app, opening_id, matching):
    html = login(app).get(f"/manage/openings/{opening_id}/applications").get_data(as_text=True)
    ana = row_of(html, "Ana Afín")
    assert "Ingeniera de ML" in ana and 'data-test="applicant-skills"' in ana
    assert "Machine learning" in ana and "Computer vision" in ana
    assert "Nuevo León" in ana
    assert re.search(r'data-test="applicant-score"[^>]*>\s*\d+/100', ana)
    assert 'data-test="applicant-reasons"' in ana
    assert translated(app, "Same state: %(state)s", "en", state="Nuevo León") in ana
    assert 'data-code="skills_shared"' in ana
    beto = row_of(html, "Beto Lejano")
    assert 'data-code="skills_missing"' in beto
    score = {name: int(row_of(html, name).split('data-score="')[1].split('"')[0])
             for name in ("Ana Afín", "Beto Lejano")}  # fmt: skip
    assert score["Ana Afín"] > score["Beto Lejano"]


def test_someone_who_did_not_consent_is_shown_but_never_scored(app, opening_id, matching):
    html = login(app).get(f"/manage/openings/{opening_id}/applications").get_data(as_text=True)
    carla = row_of(html, "Carla Privada")
    # Applying shared the profile with this organisation, private or not...
    assert "Perfil privado compartido" in carla and "Python" in carla
    # ...but not with matching, nor through a link to a page the viewer may not open.
    assert 'data-test="no-score"' in carla and "data-score=" not in carla.split(">")[0]
    assert 'data-test="applicant-reasons"' not in carla
    assert 'data-test="applicant-link"' not in carla
    assert 'data-test="applicant-link"' in row_of(html, "Ana Afín")


def test_fields_the_person_keeps_to_themselves_never_appear(app, opening_id, matching):
    with app.app_context():
        emails = [a.user.email for a in db.session.scalars(db.select(Application))]
    for lang in ("en", "es"):
        html = login(app, lang=lang).get(f"/manage/openings/{opening_id}/applications")
        text = html.get_data(as_text=True)
        assert PHONE not in text
        assert not [e for e in emails if e in text]
        # What only matching reads is not part of the shared profile.
        ana = row_of(text, "Ana Afín")
        shared = ana.split('data-test="applicant-profile"')[1]
        profile = shared.split('data-test="applicant-fit"')[0]
        for msgid in ("Highest degree", "Ways of working", "Moves to another state"):
            assert translated(app, msgid, lang) not in profile


def test_a_closed_account_shows_no_profile(app, opening_id, matching):
    with app.app_context():
        row = db.session.scalar(
            db.select(Application).join(Application.user).where(Application.message.like("%Beto%"))
        )
        row.user.active = False
        db.session.commit()
    html = login(app).get(f"/manage/openings/{opening_id}/applications").get_data(as_text=True)
    beto = row_of(html, "Mensaje de Beto")
    assert 'data-test="no-profile"' in beto and "Computer vision" not in beto


def test_sorted_by_date_or_by_match(app, opening_id, matching):
    client = login(app)
    by_date = client.get(f"/manage/openings/{opening_id}/applications").get_data(as_text=True)
    assert names_in_order(by_date) == ["Beto Lejano", "Carla Privada", "Ana Afín"]
    url = f"/manage/openings/{opening_id}/applications?sort=match"
    by_match = client.get(url).get_data(as_text=True)
    assert names_in_order(by_match) == ["Ana Afín", "Beto Lejano", "Carla Privada"]
    assert '<option value="match" selected>' in by_match


def test_filtered_by_status_and_bad_choices_fall_back(app, opening_id, matching):
    with app.app_context():
        row = db.session.scalar(db.select(Application).where(Application.message.like("%Ana%")))
        row.status = "shortlisted"
        db.session.commit()
    client = login(app)
    base = f"/manage/openings/{opening_id}/applications"
    short = client.get(f"{base}?status=shortlisted").get_data(as_text=True)
    assert names_in_order(short) == ["Ana Afín"]
    assert "Shortlisted (1)" in short and "Received (2)" in short
    none = client.get(f"{base}?status=withdrawn").get_data(as_text=True)
    assert 'data-test="no-responses"' in none
    for query in ("status=evil&sort=%00", "status=" + "x" * 5000, "sort[]=1&status[]=2"):
        response = client.get(f"{base}?{query}")
        assert response.status_code == 200, query
        assert len(rows_of(response.get_data(as_text=True))) == 3


def test_the_list_costs_the_same_queries_for_three_or_nine_applicants(
    app, opening_id, matching, monkeypatch
):
    # Matching re-reads the database's stamps on a timer: keep the timer out of the count
    # (its own changes are still picked up at once).
    monkeypatch.setitem(app.config, "MATCHING_SYNC_INTERVAL", 3600.0)
    client = login(app)
    url = f"/manage/openings/{opening_id}/applications?sort=match"
    with app.app_context():
        engine = db.engine
    seen = [0]

    def listener(*_args: object) -> None:
        seen[0] += 1

    def count() -> int:
        client.get(url)  # the first load brings matching's indexes up to date
        seen[0] = 0
        assert client.get(url).status_code == 200
        return seen[0]

    event.listen(engine, "before_cursor_execute", listener)
    try:
        few = count()
        with app.app_context():
            opening = db.session.get(Opening, opening_id)
            for i in range(6):
                applicant(opening, f"Persona Extra {i}", state_code="JAL")
        many = count()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert many == few, (few, many)


def test_outsiders_cannot_read_the_list(app, opening_id, matching):
    with app.app_context():
        f.user("fuera@example.org")
    outsider = login(app, "fuera@example.org")
    assert outsider.get(f"/manage/openings/{opening_id}/applications").status_code == 403
    assert app.test_client().get(f"/manage/openings/{opening_id}/applications").status_code == 302
    assert login(app).get("/manage/openings/999999/applications").status_code == 404


def test_proposals_show_the_proposer_their_organisation_and_confirmed_partners(app):
    with app.app_context():
        owner = f.user(OWNER)
        agency = f.org(owner, kind="government_agency", name="Agencia Digital")
        challenge = f.challenge(agency, title="Detección de baches")
        person = f.user()
        f.profile(person, full_name="Pablo Proponente", phone=PHONE,
                  headline="Fundador de visión", skill_slugs=("computer-vision",))  # fmt: skip
        startup = f.org(person, name="Startup Vial")
        partner = f.org(name="Centro Confirmado", kind="research_centre")
        waiting = f.org(name="Centro Pendiente", kind="research_centre")
        proposal = Proposal(challenge=challenge, user=person, organization=startup,
                            message="Un prototipo.", consortium=True)  # fmt: skip
        proposal.members.append(ProposalMember(role="partner", organization=partner,
                                               status="confirmed"))  # fmt: skip
        proposal.members.append(ProposalMember(role="partner", organization=waiting))
        db.session.add(proposal)
        db.session.commit()
        challenge_id = challenge.id
    html = login(app).get(f"/manage/challenges/{challenge_id}/proposals").get_data(as_text=True)
    row = row_of(html, "Pablo Proponente")
    assert "Fundador de visión" in row and "Computer vision" in row and "Startup Vial" in row
    assert "Centro Confirmado" in row and "Centro Pendiente" not in row
    assert "1 still to confirm" in row
    assert PHONE not in html
