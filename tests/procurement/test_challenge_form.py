"""The challenge form's procurement fields: the unit, the clarification and proposal
deadlines, and "decides about people" (which leads to the risk self-assessment)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from directory.extensions import db
from directory.models import AuditEvent, Challenge, Membership, Organization
from directory.models.procurement import InnovationUnit, StageChange

from .. import factories as f
from ..conftest import PASSWORD
from ..helpers import translated
from ..security.conftest import building_apps
from .conftest import OWNER, World, login

SOON = (date.today() + timedelta(days=30)).isoformat()
FORM = {
    "title": "Clasificar solicitudes ciudadanas",
    "problem": "Llegan miles de solicitudes.",
    "sector": "government",
    "stage": "discovery",
    "eligibility": ["startups"],
    "budget_currency": "MXN",
    "state_code": "",
    "closes_on": SOON,
}


def _new(app: Flask, world: World, **changes: object):
    return login(app, OWNER).post(
        f"/manage/organizations/{world.agency_id}/challenges/new", data={**FORM, **changes}
    )


def _saved(app: Flask) -> Challenge | None:
    with app.app_context():
        challenge = db.session.scalar(select(Challenge).where(Challenge.title == FORM["title"]))
        if challenge is not None:
            db.session.expunge(challenge)
        return challenge


def test_the_form_offers_the_agencys_units_and_labels_both_deadlines(app, world):
    client = login(app, OWNER)
    client.set_cookie("lang", "en")
    html = client.get(f"/manage/organizations/{world.agency_id}/challenges/new").get_data(
        as_text=True
    )
    assert f'<option value="{world.unit_id}">Equipo ETI de Salud</option>' in html
    # A member reads their account's language (Spanish), whatever the cookie says.
    for text in ("Clarification deadline", "Proposal deadline",
                 "The solution would take or support decisions about people"):  # fmt: skip
        assert translated(app, text, "es") in html, text


def test_a_company_without_units_has_no_unit_field(app, world):
    with app.app_context():
        owner = db.session.scalar(select(Membership).where(Membership.role == "owner")).user
        company = f.org(owner, kind="company")
        company_id = company.id
    html = login(app, OWNER).get(f"/manage/organizations/{company_id}/challenges/new")
    assert 'name="unit"' not in html.get_data(as_text=True)


def test_a_challenge_is_posted_by_a_unit_with_a_clarification_deadline(app, world):
    deadline = (date.today() + timedelta(days=10)).isoformat()
    response = _new(app, world, unit=str(world.unit_id), clarification_deadline=deadline)
    assert response.status_code == 302
    challenge = _saved(app)
    assert challenge.unit_id == world.unit_id
    assert challenge.clarification_deadline.isoformat() == deadline
    assert challenge.decides_about_people is False


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"clarification_deadline": (date.today() + timedelta(days=40)).isoformat()},
         "clarification_deadline"),
        ({"clarification_deadline": (date.today() - timedelta(days=1)).isoformat()},
         "clarification_deadline"),
        ({"unit": "999999"}, "unit"),
        ({"unit": "abc"}, "unit"),
    ],
)  # fmt: skip
def test_bad_procurement_values_are_refused_next_to_their_field(app, world, changes, field):
    response = _new(app, world, **changes)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert _saved(app) is None


def test_another_organisations_unit_cannot_be_used(app, world):
    with app.app_context():
        other = f.unit(f.org(kind="government_agency"), name="Unidad ajena")
        other_id = other.id
    response = _new(app, world, unit=str(other_id))
    assert response.status_code == 200 and _saved(app) is None


def test_without_a_risk_assessment_page_the_form_returns_to_the_dashboard(app, world):
    for make in building_apps(app):
        plain = make()
        plain.view_functions.pop("proposals.risk_assessment", None)  # as before part B
        client = plain.test_client()
        client.post("/login", data={"email": OWNER, "password": PASSWORD})
        response = client.post(
            f"/manage/organizations/{world.agency_id}/challenges/new",
            data={**FORM, "decides_about_people": "y"},
        )
        assert response.location.endswith(f"/manage/organizations/{world.agency_id}")
        assert _saved(app).decides_about_people is True


@pytest.fixture
def risk_app(app: Flask) -> Iterator[Flask]:
    """An app that surely has a risk self-assessment endpoint (part B's, or a stand-in)."""
    for make in building_apps(app):
        extra = make()
        if "proposals.risk_assessment" not in extra.view_functions:
            extra.add_url_rule(
                "/stand-in/risk/<int:challenge_id>",
                endpoint="proposals.risk_assessment",
                view_func=lambda challenge_id: "risk",
            )
        yield extra


def test_deciding_about_people_leads_to_the_risk_self_assessment(app, world, risk_app):
    client = risk_app.test_client()
    client.post("/login", data={"email": OWNER, "password": PASSWORD})
    url = f"/manage/organizations/{world.agency_id}/challenges/new"
    response = client.post(url, data={**FORM, "decides_about_people": "y"})
    challenge = _saved(app)
    with risk_app.test_request_context():
        from flask import url_for

        expected = url_for("proposals.risk_assessment", challenge_id=challenge.id)
    assert response.status_code == 302 and response.location == expected
    # Without the box, the dashboard as before.
    edit = client.post(f"/manage/challenges/{challenge.id}/edit", data=FORM)
    assert edit.location.endswith(f"/manage/organizations/{world.agency_id}")
    with app.app_context():
        assert db.session.get(Challenge, challenge.id).decides_about_people is False
        event = db.session.scalar(
            select(AuditEvent)
            .where(AuditEvent.action == "challenge.procurement_settings")
            .order_by(AuditEvent.id.desc())
        )
        assert "decides_about_people" in event.details["changed"]


def test_editing_keeps_the_unit_and_a_passed_clarification_deadline(app, world):
    with app.app_context():
        challenge = db.session.get(Challenge, world.challenge_id)
        challenge.clarification_deadline = date.today() - timedelta(days=2)
        db.session.commit()
    client = login(app, OWNER)
    url = f"/manage/challenges/{world.challenge_id}/edit"
    html = client.get(url).get_data(as_text=True)
    assert f'<option selected value="{world.unit_id}">' in html
    form = {
        **FORM,
        "unit": str(world.unit_id),
        "stage": "prototype",
        "clarification_deadline": (date.today() - timedelta(days=2)).isoformat(),
    }
    assert client.post(url, data=form).status_code == 302
    with app.app_context():
        challenge = db.session.get(Challenge, world.challenge_id)
        assert challenge.unit_id == world.unit_id
        assert challenge.clarification_deadline == date.today() - timedelta(days=2)


def test_a_stage_changed_in_the_form_joins_the_timeline(app, world):
    with app.app_context():
        org = db.session.get(Organization, world.agency_id)
        org.verified_at = org.created_at  # verified: the edit goes live at once
        db.session.commit()
    response = login(app, OWNER).post(
        f"/manage/challenges/{world.challenge_id}/edit", data={**FORM, "stage": "scale"}
    )
    assert response.status_code == 302
    with app.app_context():
        [change] = db.session.scalars(select(StageChange)).all()
        assert (change.from_stage, change.to_stage, change.note) == ("prototype", "scale", "")
        assert db.session.get(InnovationUnit, world.unit_id) is not None
    page = app.test_client().get(f"/challenges/{world.challenge_id}").get_data(as_text=True)
    assert 'data-stage="scale"' in page.split('data-test="timeline"')[1]
