"""A market-engagement round: an agency's challenge, a startup and its editor, a university,
an individual, and the people who read or answer proposals."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from directory.extensions import db

from .. import factories as f
from ..conftest import PASSWORD

AGENCY = "agencia@example.org"
STARTUP = "startup@example.org"
UNI = "universidad@example.org"
PERSON = "persona@example.org"
OTHER = "otra@example.org"
CURATOR = "curadora@example.org"
# A high-risk set of answers of the shipped questionnaire (17 points of 18).
HIGH = {"rights": "severe", "autonomy": "decides_alone", "data": "sensitive",
        "population": "vulnerable", "reversibility": "hard", "oversight": "none"}  # fmt: skip
LOW = {"rights": "none", "autonomy": "informs", "data": "none", "population": "few",
       "reversibility": "easy", "oversight": "full"}  # fmt: skip


@dataclass
class Round:
    """Ids and slugs of the round's records."""

    challenge: int  # startups and research centres only
    together: int  # the same agency's challenge that also takes consortia
    agency: int
    startup: int
    startup_slug: str
    university_slug: str
    person_profile: int
    other_profile: int


@pytest.fixture
def market(app: Flask) -> Round:
    """Two published agency challenges, open to startups and research centres (one also to
    consortia; neither to individuals), a startup whose editor proposes, a university, two
    people."""
    with app.app_context():
        agency_owner = f.user(AGENCY)
        agency = f.org(agency_owner, kind="government_agency", name="Secretaría de Salud Digital")
        challenge = f.challenge(
            agency,
            title="Priorizar citas médicas",
            eligibility=["startups", "research_centres"],
        )
        together = f.challenge(
            agency,
            title="Triaje en urgencias",
            eligibility=["startups", "research_centres", "consortia"],
        )
        founder = f.user(STARTUP)
        f.profile(founder, full_name="Fernanda Fundadora")
        startup = f.org(founder, kind="startup", name="Visión Clínica")
        rector = f.user(UNI)
        university = f.org(rector, kind="university", name="Universidad del Bajío")
        person = f.user(PERSON)
        person_profile = f.profile(person, full_name="Pablo Persona")
        other = f.user(OTHER)
        other_profile = f.profile(other, full_name="Olga Otra")
        f.user(CURATOR, role="curator")
        return Round(challenge.id, together.id, agency.id, startup.id, startup.slug,
                     university.slug, person_profile.id, other_profile.id)  # fmt: skip


def login(app: Flask, email: str, lang: str = "es") -> FlaskClient:
    """A client logged in as `email`, reading in `lang`."""
    client = app.test_client()
    client.set_cookie("lang", lang)
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, email
    return client


def proposal_data(**overrides: object) -> dict[str, object]:
    """A complete proposal form."""
    data: dict[str, object] = {
        "organization": "",
        "message": "Un modelo de priorización con revisión clínica.",
        "budget_amount": "850000",
        "budget_currency": "MXN",
        "timeline_weeks": "16",
        "links": "https://example.org/demo",
        "team": "",
        "partners": "",
    }
    data.update(overrides)
    return data


def count(app: Flask, model: type, **where: object) -> int:
    """How many rows of a model match."""
    with app.app_context():
        query = select(func.count()).select_from(model).filter_by(**where)
        return db.session.scalar(query) or 0
