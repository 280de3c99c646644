"""Fixtures of the listing API and open-data tests: published and hidden records carrying
private markers, and an open-data folder of the test's own."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask

from directory.extensions import db

from .. import factories as f
from ..security.conftest import make_app  # noqa: F401  (fixture: a worker app)

MARKER = "HIDDEN-MARKER-5521"
PHONE = "+52 33 PRIVATE-PHONE-8080"
EMAIL = "persona.publica@example.org"


@dataclass
class World:
    """Ids of what anyone may see (`public`) and of what nobody but owners may (`hidden`)."""

    public: dict[str, list[int]]
    hidden: dict[str, list[int]]
    ids: dict[str, int]


@pytest.fixture
def opendata_dir(app: Flask, tmp_path: Path) -> Iterator[Path]:
    """OPENDATA_DIR in the test's temporary folder, never instance/."""
    saved = app.config.get("OPENDATA_DIR")
    folder = tmp_path / "opendata"
    app.config["OPENDATA_DIR"] = str(folder)
    yield folder
    app.config["OPENDATA_DIR"] = saved


@pytest.fixture
def world(app: Flask) -> World:
    """Published records of every kind, and hidden ones named with MARKER."""
    yesterday = date.today() - timedelta(days=1)
    with app.app_context():
        owner = f.user("owner@example.org")
        agency = f.org(
            owner,
            kind="government_agency",
            name="Agencia Digital",
            state_code="CMX",
            sectors=["government"],
            skill_slugs=("python",),
        )
        firm = f.org(name="Visión Tapatía", kind="startup", state_code="JAL",
                     skill_slugs=("computer-vision", "machine-learning"))  # fmt: skip
        opening = f.opening(
            agency,
            title="Científica de datos",
            state_code="JAL",
            remote_policy="remote",
            skill_slugs=("machine-learning", "python"),
        )
        other_opening = f.opening(firm, title="Ingeniería de visión", state_code="NLE",
                                  skill_slugs=("computer-vision",))  # fmt: skip
        challenge = f.challenge(agency, title="Fugas de agua", stage="pilot")
        story = f.story(title_es="Triaje en Jalisco", title_en="Triage in Jalisco",
                        state_code="JAL", sector="health")  # fmt: skip
        story.organizations = [firm]
        person = f.profile(f.user(EMAIL), full_name="Ana Pública", phone=PHONE,
                           state_code="JAL", diaspora_status="abroad",
                           links=["https://ana.example.org", "javascript:alert(1)"])  # fmt: skip
        # Hidden: a pending organisation and its (published) opening, drafts, pending and
        # rejected posts, closed ones, hidden stories, and people who did not go public.
        pending_org = f.org(owner, status="pending", name=f"Org {MARKER}")
        hidden_openings = [
            f.opening(pending_org, title=f"Vacante {MARKER} 1"),
            f.opening(agency, status="draft", title=f"Vacante {MARKER} 2"),
            f.opening(agency, status="archived", title=f"Vacante {MARKER} 3"),
            f.opening(agency, title=f"Vacante {MARKER} 4", closes_on=yesterday),
        ]
        hidden_challenges = [
            f.challenge(agency, status="pending", title=f"Reto {MARKER} 1"),
            f.challenge(pending_org, title=f"Reto {MARKER} 2"),
            f.challenge(agency, status="rejected", title=f"Reto {MARKER} 3"),
        ]
        hidden_stories = [
            f.story(status="pending", title_es=f"Historia {MARKER}", title_en=MARKER),
            f.story(status="rejected", title_es=f"Historia {MARKER} 2", title_en=MARKER),
        ]
        hidden_story_link = f.story(title_es="Historia con una organización oculta")
        hidden_story_link.organizations = [pending_org]
        inactive = f.user("gone@example.org", active=False)
        hidden_people = [
            f.profile(visibility="members", full_name=f"Miembro {MARKER}"),
            f.profile(visibility="private", full_name=f"Privada {MARKER}", phone=PHONE),
            f.profile(inactive, full_name=f"Inactiva {MARKER}"),
        ]
        db.session.commit()
        public = {
            "organizations": [agency.id, firm.id],
            "openings": [opening.id, other_opening.id],
            "challenges": [challenge.id],
            "stories": [story.id, hidden_story_link.id],
            "people": [person.id],
        }
        hidden = {
            "organizations": [pending_org.id],
            "openings": [o.id for o in hidden_openings],
            "challenges": [c.id for c in hidden_challenges],
            "stories": [s.id for s in hidden_stories],
            "people": [p.id for p in hidden_people],
        }
        ids = {"agency": agency.id, "firm": firm.id, "pending_org": pending_org.id,
               "opening": opening.id, "story": story.id, "person": person.id,
               "story_link": hidden_story_link.id}  # fmt: skip
        return World(public, hidden, ids)
