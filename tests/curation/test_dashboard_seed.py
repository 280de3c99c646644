"""The dashboard and the talent gap on the `flask seed-demo` data: every figure recomputed
here in plain Python from the records themselves, and compared with the pages."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from directory.extensions import db
from directory.models import Challenge, Opening, Organization, Profile, SuccessStory
from directory.seed import seed_demo

from .. import factories as f
from ..conftest import AuthActions
from .numbers import numbers, page_tables


def _published(profile: Profile) -> bool:
    return profile.visibility in ("public", "members") and profile.user.active


def _live(post: Opening | Challenge) -> bool:
    return post.status == "published" and post.organization.status == "published"


@pytest.fixture
def seeded(app: Flask, client: FlaskClient, auth: AuthActions) -> dict[str, Any]:
    """The demo data, a curator, and the figures computed independently of the services."""
    with app.app_context():
        seed_demo()
        db.session.commit()
        f.user("curator@example.org", role="curator")
        orgs = list(db.session.scalars(select(Organization)))
        people = [p for p in db.session.scalars(select(Profile)) if _published(p)]
        openings = list(db.session.scalars(select(Opening)))
        challenges = list(db.session.scalars(select(Challenge)))
        stories = list(db.session.scalars(select(SuccessStory)))
        states = {
            "organization": Counter(o.state_code for o in orgs if o.status == "published"),
            "profile": Counter(p.state_code for p in people if p.country_code == "MX"),
            "opening": Counter(o.state_code for o in openings if _live(o)),
        }
        demand: Counter[str] = Counter()
        for post in [*openings, *challenges]:
            if _live(post):
                demand.update(s.slug for s in post.skills)
        local = Counter(s.slug for p in people if p.country_code == "MX" for s in p.skills)
        abroad = Counter(s.slug for p in people if p.country_code != "MX" for s in p.skills)
        totals = {"organization": len(orgs), "profile": len(people), "opening": len(openings),
                  "challenge": len(challenges), "story": len(stories)}  # fmt: skip
    auth.login("curator@example.org")
    return {"states": states, "demand": demand, "local": local, "abroad": abroad,
            "totals": totals}  # fmt: skip


def test_dashboard_matches_the_seed(client: FlaskClient, seeded: dict[str, Any]) -> None:
    tables = page_tables(client.get("/curation/dashboard").get_data(as_text=True))
    assert seeded["totals"]["organization"] == 51  # the seed's documented size
    for kind, total in seeded["totals"].items():
        assert numbers(tables["kinds"][kind])[-1] == total, kind
    for code, row in tables["states"].items():
        expected = [seeded["states"][kind][code] for kind in ("organization", "profile",
                                                              "opening")]  # fmt: skip
        assert numbers(row) == expected, code
    assert sum(numbers(r)[0] for r in tables["diaspora"].values()) == seeded["totals"]["profile"]


def test_talent_gap_matches_the_seed(client: FlaskClient, seeded: dict[str, Any]) -> None:
    rows = page_tables(client.get("/curation/gaps").get_data(as_text=True))["talent"]
    slugs = set(seeded["demand"]) | set(seeded["local"]) | set(seeded["abroad"])
    assert set(rows) == slugs
    targets = set()
    for slug in slugs:
        demand, local, abroad = (seeded[k][slug] for k in ("demand", "local", "abroad"))
        assert numbers(rows[slug])[2:6] == [demand, local, abroad, demand - local], slug
        if demand > local and abroad > 0:
            targets.add(slug)
    assert targets, "the demo data should show at least one repatriation target"
    assert set(list(rows)[: len(targets)]) == targets  # targets come first
