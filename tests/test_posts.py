"""Openings and challenges: posting, validation, editing, closing and closing by date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from directory.extensions import db
from directory.models import AuditEvent, Challenge, Opening, Organization, Status
from directory.services import posts

from . import factories as f
from .helpers import translated
from .test_orgs import (
    ROLES,
    build_world,
    check_matrix,
    client_as,
    clients_for,
    count,
    field_error,
    verify,
)

SOON = (date.today() + timedelta(days=20)).isoformat()
OPENING_FORM = {
    "title": "Ingeniera de visión por computadora",
    "description": "Modelos de **detección** en planta.",
    "kind": "job",
    "seniority": "senior",
    "skills": "Python, Visión por computadora",
    "remote_policy": "hybrid",
    "state_code": "NLE",
    "city": "Monterrey",
    "relocation_support": "y",
    "salary_min": "40000",
    "salary_max": "60000",
    "salary_currency": "MXN",
    "closes_on": SOON,
}
CHALLENGE_FORM = {
    "title": "Predecir fugas de agua",
    "problem": "Las fugas se detectan tarde.",
    "desired_outcome": "Priorizar inspecciones.",
    "data_available": "Sensores de presión.",
    "sector": "environment",
    "skills": "computer vision",
    "stage": "pilot",
    "eligibility": ["startups", "research_centres"],
    "budget_min": "100000",
    "budget_max": "500000",
    "budget_currency": "MXN",
    "state_code": "",
    "closes_on": SOON,
}
EVERYONE_404 = {**dict.fromkeys(ROLES, 404), "anonymous": 302}


def one_owner(app, kind: str = "government_agency") -> tuple[FlaskClient, int]:
    """A lighter world for input tests: one owner, one organisation with one post of each kind."""
    with app.app_context():
        org = f.org(f.user("owner@example.org"), kind=kind)
        f.opening(org)
        f.challenge(org)
        org_id = org.id
    return client_as(app, "owner"), org_id


# --- openings --------------------------------------------------------------------------------


def test_new_opening_is_pending_and_listed_on_the_dashboard(app):
    world = build_world(app)
    client = client_as(app, "editor")
    response = client.post(f"/manage/organizations/{world.org_id}/openings/new", data=OPENING_FORM)
    assert response.status_code == 302
    html = client.get(response.location).get_data(as_text=True)
    assert "Ingeniera de visión por computadora" in html
    assert translated(app, "Pending review", "es") in html
    with app.app_context():
        opening = db.session.scalar(select(Opening).where(Opening.title.like("Ingeniera%")))
        assert opening.status == Status.PENDING and opening.organization_id == world.org_id
        assert opening.relocation_support is True and opening.salary_max == 60000
        assert {s.slug for s in opening.skills} == {"python", "computer-vision"}
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "opening.created"))


def test_opening_ignores_mass_assigned_status_and_organisation(app):
    world = build_world(app)
    data = {**OPENING_FORM, "status": "published", "organization_id": str(world.other_org_id),
            "published_at": "2020-01-01"}  # fmt: skip
    client_as(app, "owner").post(f"/manage/organizations/{world.org_id}/openings/new", data=data)
    with app.app_context():
        opening = db.session.scalar(select(Opening).where(Opening.title.like("Ingeniera%")))
        assert opening.status == Status.PENDING and opening.organization_id == world.org_id
        assert opening.published_at is None


YESTERDAY = (date.today() - timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("changes", "field", "message", "params"),
    [
        ({"title": ""}, "title", "This field is required.", {}),
        ({"title": "t" * 10_000}, "title", "Use at most %(max)d characters.", {"max": 200}),
        ({"description": "d" * 10_001}, "description", "Use at most %(max)d characters.",
         {"max": 10_000}),
        ({"closes_on": YESTERDAY}, "closes_on", "The date cannot be in the past.", {}),
        ({"closes_on": ""}, "closes_on", "This field is required.", {}),
        ({"closes_on": "mañana"}, "closes_on", None, {}),
        ({"salary_min": "70000"}, "salary_max", "The maximum cannot be lower than the minimum.",
         {}),
        ({"salary_min": "-1"}, "salary_min", "Enter a whole number of 0 or more.", {}),
        ({"salary_max": "99999999999999999999"}, "salary_max",
         "Enter a whole number of 0 or more.", {}),
        ({"salary_min": "mucho"}, "salary_min", None, {}),
        ({"skills": ", ".join(f"habilidad {i}" for i in range(31))}, "skills",
         "Add at most %(max)d skills; you added %(count)d.", {"max": 30, "count": 31}),
        ({"skills": "x" * 81}, "skills", "Each skill may have at most %(max)d characters.",
         {"max": 80}),
        ({"min_degree": "wizard"}, "min_degree", None, {}),
        ({"residence": "moon"}, "residence", None, {}),
        ({"state_code": ""}, "state_code", "Choose a state, or mark the opening as remote.", {}),
        ({"kind": "gig"}, "kind", None, {}),
        ({"salary_currency": "BTC"}, "salary_currency", None, {}),
    ],
)  # fmt: skip
def test_bad_opening_input_shows_message_and_saves_nothing(app, changes, field, message, params):
    client, org_id = one_owner(app)
    client.set_cookie("lang", "en")
    response = client.post(
        f"/manage/organizations/{org_id}/openings/new", data={**OPENING_FORM, **changes}
    )
    assert response.status_code == 200
    error = field_error(response.get_data(as_text=True), field)
    assert error
    if message:
        assert translated(app, message, "en", **params) in error
    with app.app_context():
        assert count(Opening) == 1  # only the world's own opening


def test_bad_opening_input_message_in_spanish(app):
    client, org_id = one_owner(app)
    response = client.post(
        f"/manage/organizations/{org_id}/openings/new",
        data={**OPENING_FORM, "closes_on": YESTERDAY},
    )
    assert field_error(response.get_data(as_text=True), "closes_on") == translated(
        app, "The date cannot be in the past.", "es"
    )


def test_remote_opening_needs_no_state(app):
    world = build_world(app)
    data = {**OPENING_FORM, "remote_policy": "remote", "state_code": "", "salary_min": "",
            "salary_max": ""}  # fmt: skip
    response = client_as(app, "owner").post(
        f"/manage/organizations/{world.org_id}/openings/new", data=data
    )
    assert response.status_code == 302
    with app.app_context():
        opening = db.session.scalar(select(Opening).where(Opening.remote_policy == "remote"))
        assert opening.state_code is None and opening.salary_min is None


def test_editing_a_published_opening_keeps_it_published_and_audits(app):
    world = build_world(app)
    verify(app, world.org_id)  # verified: edits go live (row 52)
    client = client_as(app, "editor")
    url = f"/manage/openings/{world.opening_id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'value="Ingeniería de aprendizaje automático' in page
    response = client.post(url, data={**OPENING_FORM, "title": "Título nuevo"})
    assert response.status_code == 302
    with app.app_context():
        opening = db.session.get(Opening, world.opening_id)
        assert opening.status == Status.PUBLISHED and opening.title == "Título nuevo"
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "opening.edited"))
        assert event.target_id == opening.id
        assert {"title", "seniority", "salary_min", "skills"} <= set(event.details["changed"])
        assert "city" not in event.details["changed"]


def test_an_edit_may_keep_a_closing_date_that_has_passed_only_if_unchanged(app, app_ctx):
    # The service lets an edit keep its old date; the form still asks for a future one.
    opening = f.opening(closes_on=date.today() - timedelta(days=2), status=Status.PENDING)
    owner = f.user()
    data = {**OPENING_FORM, "closes_on": opening.closes_on, "salary_min": None, "salary_max": None}
    assert "title" in posts.update_opening(opening, data, actor=owner)
    with pytest.raises(posts.InvalidInput):
        posts.update_opening(opening, {**data, "closes_on": date.today() - timedelta(days=1)},
                             actor=owner)  # fmt: skip


def test_closing_an_opening_archives_it_and_it_cannot_be_edited(app):
    world = build_world(app)
    client = client_as(app, "editor")
    assert client.post(f"/manage/openings/{world.opening_id}/close").status_code == 302
    with app.app_context():
        assert db.session.get(Opening, world.opening_id).status == Status.ARCHIVED
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "opening.closed"))
    response = client.get(f"/manage/openings/{world.opening_id}/edit")
    assert response.status_code == 403
    assert translated(app, "This post is closed and can no longer be edited.", "es") in (
        response.get_data(as_text=True)
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/manage/organizations/{org}/openings/new"),
        ("GET", "/manage/openings/{opening}/edit"),
        ("GET", "/manage/organizations/{org}/challenges/new"),
        ("GET", "/manage/challenges/{challenge}/edit"),
        ("POST", "/manage/openings/{opening}/close"),
        ("POST", "/manage/challenges/{challenge}/close"),
    ],
)
def test_post_routes_authorisation(app, method, path):
    world = build_world(app)
    ok = 200 if method == "GET" else 302
    expected = {"anonymous": 302, "owner": ok, "editor": ok, "outsider": 403, "rival": 403,
                "curator": 403}  # fmt: skip
    url = path.format(org=world.org_id, opening=world.opening_id, challenge=world.challenge_id)
    clients = clients_for(app)
    check_matrix(clients, method, url, expected)
    unknown = path.format(org=999_999, opening=999_999, challenge=999_999)
    check_matrix(clients, method, unknown, EVERYONE_404)


def test_outsiders_cannot_post_for_an_org_or_edit_its_posts(app):
    world = build_world(app)
    for role in ("outsider", "rival", "curator"):
        client = client_as(app, role)
        new = client.post(f"/manage/organizations/{world.org_id}/openings/new", data=OPENING_FORM)
        edit = client.post(f"/manage/openings/{world.opening_id}/edit",
                           data={**OPENING_FORM, "title": "Hackeado"})  # fmt: skip
        assert (new.status_code, edit.status_code) == (403, 403)
    with app.app_context():
        assert count(Opening) == 1
        assert db.session.get(Opening, world.opening_id).title != "Hackeado"


# --- challenges ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["government_agency", "company"])
def test_agencies_and_companies_post_pending_challenges(app, kind):
    world = build_world(app, kind=kind)
    response = client_as(app, "owner").post(
        f"/manage/organizations/{world.org_id}/challenges/new", data=CHALLENGE_FORM
    )
    assert response.status_code == 302
    with app.app_context():
        challenge = db.session.scalar(select(Challenge).where(Challenge.title.like("Predecir%")))
        assert challenge.status == Status.PENDING
        assert challenge.eligibility == ["startups", "research_centres"]
        assert challenge.state_code is None and challenge.budget_max == 500_000


def test_a_startup_cannot_post_challenges_and_sees_no_button(app):
    world = build_world(app, kind="startup")
    client = client_as(app, "owner")
    dashboard = client.get(f"/manage/organizations/{world.org_id}").get_data(as_text=True)
    message = translated(app, "Only government agencies and companies can post challenges.", "es")
    assert 'data-test="new-challenge"' not in dashboard and message in dashboard
    for method in ("GET", "POST"):
        response = client.open(f"/manage/organizations/{world.org_id}/challenges/new",
                               method=method, data=CHALLENGE_FORM)  # fmt: skip
        assert response.status_code == 403
        assert message in response.get_data(as_text=True)
    with app.app_context():
        assert count(Challenge) == 1
        org = db.session.get(Organization, world.org_id)
        with pytest.raises(posts.InvalidInput):
            posts.create_challenge(org, {}, actor=org.memberships[0].user)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"title": "t" * 10_000}, "title", None),
        ({"problem": "p" * 10_001}, "problem", None),
        ({"eligibility": []}, "eligibility", "Choose at least one."),
        ({"eligibility": ["aliens"]}, "eligibility", None),
        ({"budget_min": "900000"}, "budget_max", "The maximum cannot be lower than the minimum."),
        ({"closes_on": YESTERDAY}, "closes_on", "The date cannot be in the past."),
        ({"skills": "y" * 81}, "skills", None),
        ({"stage": "forever"}, "stage", None),
    ],
)
def test_bad_challenge_input_shows_message_and_saves_nothing(app, changes, field, message):
    client, org_id = one_owner(app)
    response = client.post(
        f"/manage/organizations/{org_id}/challenges/new", data={**CHALLENGE_FORM, **changes}
    )
    assert response.status_code == 200
    error = field_error(response.get_data(as_text=True), field)
    assert error
    if message:
        assert error == translated(app, message, "es")
    with app.app_context():
        assert count(Challenge) == 1


def test_editing_a_published_challenge_keeps_it_published_and_audits(app):
    world = build_world(app)
    verify(app, world.org_id)  # verified: edits go live (row 52)
    client = client_as(app, "owner")
    url = f"/manage/challenges/{world.challenge_id}/edit"
    assert "Las fugas se detectan tarde." in client.get(url).get_data(as_text=True)
    assert client.post(url, data={**CHALLENGE_FORM, "stage": "scale"}).status_code == 302
    with app.app_context():
        challenge = db.session.get(Challenge, world.challenge_id)
        assert challenge.status == Status.PUBLISHED and challenge.stage == "scale"
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "challenge.edited"))
        assert "stage" in event.details["changed"] and "problem" not in event.details["changed"]


def test_closing_a_challenge(app):
    world = build_world(app)
    assert (
        client_as(app, "owner").post(f"/manage/challenges/{world.challenge_id}/close").status_code
        == 302
    )
    with app.app_context():
        assert db.session.get(Challenge, world.challenge_id).status == Status.ARCHIVED


# --- closing by date -------------------------------------------------------------------------


def test_archive_expired_closes_published_and_pending_posts_past_their_date(app, app_ctx):
    past = date.today() - timedelta(days=1)
    expired = [
        f.opening(closes_on=past),
        f.opening(closes_on=past, status=Status.PENDING),
        f.challenge(closes_on=past),
    ]
    kept = [
        f.opening(closes_on=date.today()),  # closes at the end of today
        f.opening(closes_on=past, status=Status.REJECTED),
        f.challenge(closes_on=past, status=Status.DRAFT),
        f.challenge(),
    ]
    before = {id(p): p.status for p in kept}
    assert posts.archive_expired() == 3
    db.session.commit()
    assert all(p.status == Status.ARCHIVED for p in expired)
    assert all(p.status == before[id(p)] for p in kept)
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "posts.archived_expired")
    )
    assert (event.details["openings"], event.details["challenges"]) == (2, 1)
    assert posts.archive_expired() == 0


def test_archive_expired_takes_a_date(app, app_ctx):
    opening = f.opening(closes_on=date.today() + timedelta(days=3))
    assert posts.archive_expired(today=date.today() + timedelta(days=3)) == 0
    assert posts.archive_expired(today=date.today() + timedelta(days=4)) == 1
    assert opening.status == Status.ARCHIVED


def test_pages_render_in_both_languages(app):
    world = build_world(app)
    client = client_as(app, "owner")
    for locale, text in (("es", "Post an opening"), ("en", "Post an opening")):
        client.set_cookie("lang", locale)
        client.post("/language", data={"lang": locale})
        html = client.get(f"/manage/organizations/{world.org_id}/openings/new").get_data(
            as_text=True
        )
        assert f'<html lang="{locale}">' in html
        assert translated(app, text, locale) in html


def test_an_opening_keeps_free_skills_and_states_its_requirements(app):
    client, org_id = one_owner(app)
    data = {**OPENING_FORM, "skills": "Python, conteo de chapulines", "min_degree": "phd",
            "residence": "abroad", "required_languages": ["en", "fr"],
            "sponsors_work_permit": "y"}  # fmt: skip
    response = client.post(f"/manage/organizations/{org_id}/openings/new", data=data)
    assert response.status_code == 302
    with app.app_context():
        opening = db.session.scalar(select(Opening).where(Opening.min_degree == "phd"))
        assert opening.free_skills == ["conteo de chapulines"]
        assert [s.slug for s in opening.skills] == ["python"]
        assert (opening.residence, opening.required_languages) == ("abroad", ["en", "fr"])
        assert opening.sponsors_work_permit
        opening.status = Status.PUBLISHED
        db.session.commit()
        opening_id = opening.id
    page = client.get(f"/openings/{opening_id}").get_data(as_text=True)
    assert 'data-test="free-skill">conteo de chapulines<' in page
    assert translated(app, "Degree: %(degree)s or higher", "es", degree="Doctorado") in page
    # The edit form gives the free skills back in the skills field, so nothing is lost.
    edit = client.get(f"/manage/openings/{opening_id}/edit").get_data(as_text=True)
    assert "conteo de chapulines" in edit
