"""A procurement world: an agency with a unit and a published challenge, and the people
around it (its owner and editor, a startup member who asks, a follower, a proposer,
someone with a private profile, a curator)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from directory.extensions import db
from directory.models import Proposal

from .. import factories as f
from ..conftest import PASSWORD

OWNER = "owner@example.org"
EDITOR = "editor@example.org"
ASKER = "asker@example.org"
FOLLOWER = "follower@example.org"
PROPOSER = "proposer@example.org"
HIDDEN = "hidden@example.org"
CURATOR = "curator@example.org"
OUTSIDER = "outsider@example.org"


@dataclass
class World:
    agency_id: int
    agency_slug: str
    unit_id: int
    challenge_id: int
    startup_id: int
    asker_profile_id: int
    hidden_profile_id: int
    follower_id: int


@pytest.fixture
def world(app: Flask) -> World:
    """Everything the procurement tests share; the follower already follows the challenge."""
    from directory.models.procurement import ChallengeFollower

    with app.app_context():
        owner = f.user(OWNER, locale="es")
        editor = f.user(EDITOR, locale="en")
        asker = f.user(ASKER, locale="en")
        follower = f.user(FOLLOWER)
        proposer = f.user(PROPOSER)
        hidden = f.user(HIDDEN)
        f.user(CURATOR, role="curator")
        f.user(OUTSIDER)
        f.profile(owner, full_name="Olga Dueña")
        asker_profile = f.profile(asker, full_name="Ana Preguntona")
        hidden_profile = f.profile(hidden, full_name="Persona Oculta", visibility="private")
        agency = f.org(owner, kind="government_agency", name="Secretaría de Salud Demo",
                       editors=(editor,))  # fmt: skip
        startup = f.org(asker, kind="startup", name="Visión Norte")
        unit = f.unit(agency, name="Equipo ETI de Salud")
        challenge = f.challenge(
            agency,
            title="Triaje de radiografías",
            clarification_deadline=date.today() + timedelta(days=10),
            unit_id=unit.id,
        )
        db.session.add(ChallengeFollower(challenge_id=challenge.id, user_id=follower.id))
        db.session.add(Proposal(challenge=challenge, user=proposer, message="Propuesta"))
        db.session.commit()
        return World(
            agency_id=agency.id,
            agency_slug=agency.slug,
            unit_id=unit.id,
            challenge_id=challenge.id,
            startup_id=startup.id,
            asker_profile_id=asker_profile.id,
            hidden_profile_id=hidden_profile.id,
            follower_id=follower.id,
        )


def login(app: Flask, email: str) -> FlaskClient:
    """A client logged in as `email`."""
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, email
    return client


def flashes(response) -> str:
    """The page's text, for messages shown after a redirect."""
    return response.get_data(as_text=True)
