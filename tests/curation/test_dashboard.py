"""The curation dashboard: every figure checked against a small world built here, the CSV
exports, and what must never be counted or shown (issue 5, "Numbers")."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from directory import charts
from directory.extensions import db
from directory.models import AuditEvent, Organization, utcnow

from .. import factories as f
from ..conftest import AuthActions
from .numbers import csv_rows, numbers, page_tables

DASHBOARD = "/curation/dashboard"
PRIVATE_NAMES = ("Secreta Privada", "Cuenta Inactiva")


@pytest.fixture
def world(app: Flask, client: FlaskClient, auth: AuthActions) -> dict[str, Any]:
    """Organisations, people, openings and challenges whose figures are known, and a curator."""
    with app.app_context():
        now = utcnow()
        f.user("curator@example.org", role="curator")
        agency = f.org(kind="government_agency", state_code="CMX",
                       skill_slugs=("natural-language-processing",),
                       created_at=now - timedelta(days=10))  # fmt: skip
        agency.moderated_at = agency.created_at + timedelta(days=4)
        startup = f.org(state_code="NLE", created_at=now - timedelta(days=6))
        startup.published_at = startup.created_at + timedelta(days=2)
        pending = f.org(status="pending", state_code="JAL")
        old = f.org(status="rejected", state_code="JAL", created_at=now - timedelta(days=400))
        old.moderated_at = old.created_at + timedelta(days=9)
        db.session.commit()
        f.profile(state_code="JAL", skill_slugs=("machine-learning", "computer-vision"))
        f.profile(visibility="members", country_code="US", state_code=None,
                  diaspora_status="abroad", open_to=["full_return", "advising"],
                  skill_slugs=("computer-vision",))  # fmt: skip
        f.profile(country_code="ES", state_code=None, diaspora_status="returning",
                  open_to=["full_return"], skill_slugs=("python",))  # fmt: skip
        # Never counted: a private profile and the public profile of a deactivated account.
        f.profile(visibility="private", full_name=PRIVATE_NAMES[0], state_code="CMX",
                  country_code="MX", skill_slugs=("computer-vision",))  # fmt: skip
        f.profile(f.user(active=False), full_name=PRIVATE_NAMES[1], state_code="CMX",
                  country_code="DE", diaspora_status="abroad", open_to=["full_return"])  # fmt: skip
        f.opening(startup, state_code="NLE", skill_slugs=("computer-vision", "python"))
        f.opening(startup, status="pending", state_code="CMX")
        f.opening(pending, state_code="JAL")  # published, but its organisation is not
        f.challenge(agency, skill_slugs=("computer-vision",))
        f.challenge(agency, status="draft")
        org_created = [o.created_at for o in db.session.scalars(select(Organization))]
    auth.login("curator@example.org")
    return {"org_created": org_created, "now": now}


def _tables(client: FlaskClient) -> dict[str, dict[str, list[str]]]:
    page = client.get(DASHBOARD)
    assert page.status_code == 200
    return page_tables(page.get_data(as_text=True))


def test_records_by_kind_and_status(client: FlaskClient, world: dict[str, Any]) -> None:
    kinds = _tables(client)["kinds"]
    # Columns: published, pending, draft, rejected, closed, total.
    assert numbers(kinds["organization"]) == [2, 1, 0, 1, 0, 4]
    assert numbers(kinds["profile"]) == [3, 0, 0, 0, 0, 3]  # private and inactive left out
    assert numbers(kinds["opening"]) == [2, 1, 0, 0, 0, 3]
    assert numbers(kinds["challenge"]) == [1, 0, 1, 0, 0, 2]
    assert numbers(kinds["story"]) == [0, 0, 0, 0, 0, 0]


def test_records_by_month(client: FlaskClient, world: dict[str, Any]) -> None:
    months = _tables(client)["months"]
    assert len(months) == 12
    expected: dict[str, int] = {}
    for created in world["org_created"]:
        expected[f"{created.year:04d}-{created.month:02d}"] = (
            expected.get(f"{created.year:04d}-{created.month:02d}", 0) + 1
        )
    now = world["now"]
    assert list(months)[-1] == f"{now.year:04d}-{now.month:02d}"
    org_column = {key: numbers(row)[0] for key, row in months.items()}
    # The organisation rejected 400 days ago falls outside the twelve months.
    assert sum(org_column.values()) == 3
    for key, n in org_column.items():
        assert n == expected.get(key, 0), key
    # People: three published profiles, all created now.
    assert sum(numbers(row)[1] for row in months.values()) == 3


def test_by_state_counts_live_records_only(client: FlaskClient, world: dict[str, Any]) -> None:
    states = _tables(client)["states"]
    assert len(states) == 32
    # Cells: name, code, organisations, people, openings.
    assert numbers(states["CMX"]) == [1, 0, 0]
    assert numbers(states["NLE"]) == [1, 0, 1]
    assert numbers(states["JAL"]) == [0, 1, 0]
    assert sum(sum(numbers(row)) for row in states.values()) == 4


def test_the_map_has_every_state(client: FlaskClient, world: dict[str, Any]) -> None:
    html = client.get(DASHBOARD).get_data(as_text=True)
    for kind in ("organization", "profile", "opening"):
        assert f'data-test="chart-map-{kind}"' in html
    assert html.count('data-state="CMX"') == 3
    assert len(charts.TILES) == 32
    assert len(set(charts.TILES.values())) == 32  # no two states on one tile


def test_ai_areas(client: FlaskClient, world: dict[str, Any]) -> None:
    areas = _tables(client)["areas"]
    # Cells: organisations, people, openings, challenges, total.
    assert numbers(areas["computer-vision"]) == [1, 2, 1, 1, 5]
    assert numbers(areas["machine-learning"]) == [0, 1, 0, 0, 1]
    assert numbers(areas["natural-language-processing"]) == [1, 0, 0, 0, 1]
    assert "python" not in areas  # a tool, not an AI area
    assert list(areas)[0] == "computer-vision"  # most records first


def test_diaspora(client: FlaskClient, world: dict[str, Any]) -> None:
    tables = _tables(client)
    assert {k: numbers(v) for k, v in tables["diaspora"].items()} == {
        "local": [1], "abroad": [1], "returning": [1], "returned": [0],
    }  # fmt: skip
    assert {k: numbers(v) for k, v in tables["countries"].items()} == {"US": [1], "ES": [1]}
    wishes = {k: numbers(v)[0] for k, v in tables["return"].items()}
    assert wishes["full_return"] == 2  # the deactivated account's wish is not counted
    assert wishes["advising"] == 1
    assert wishes["jobs"] == 0


def test_posts_by_status(client: FlaskClient, world: dict[str, Any]) -> None:
    status = _tables(client)["post_status"]
    assert numbers(status["published"]) == [2, 1]
    assert numbers(status["pending"]) == [1, 0]
    assert numbers(status["draft"]) == [0, 1]


def test_time_to_moderation(client: FlaskClient, world: dict[str, Any]) -> None:
    rows = csv_rows(client, DASHBOARD, "moderation")
    assert len(rows) == 5  # header and four kinds
    orgs = rows[1]
    # Waits of 4 (moderated), 2 (published) and 9 (rejected) days.
    assert orgs[1:] == ["3", "5.0", "4.0"]
    openings = rows[2]
    assert openings[1] == "2"
    assert float(openings[3]) < 0.1  # published as they were created
    assert rows[4][1:] == ["0", "", ""]  # no story decided yet


def test_csv_matches_the_page_and_is_audited(
    app: Flask, client: FlaskClient, world: dict[str, Any]
) -> None:
    rows = csv_rows(client, DASHBOARD, "states")
    assert len(rows) == 33
    by_code = {row[1]: [int(n) for n in row[2:]] for row in rows[1:]}
    assert by_code["NLE"] == [1, 0, 1]
    html = client.get(DASHBOARD).get_data(as_text=True)
    for key in ("kinds", "months", "states", "areas", "diaspora", "countries", "return",
                "post_status", "moderation"):  # fmt: skip
        assert f'data-test="csv-{key}"' in html
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "curation.export_csv")
        )
        assert event is not None and event.details["table"] == "states"


def test_unknown_csv_table_is_404(client: FlaskClient, world: dict[str, Any]) -> None:
    response = client.get(DASHBOARD, query_string={"format": "csv", "table": "people"})
    assert response.status_code == 404


def test_hidden_people_appear_nowhere(client: FlaskClient, world: dict[str, Any]) -> None:
    pages = [client.get(DASHBOARD).get_data(as_text=True)]
    for table in ("kinds", "states", "countries", "return", "diaspora", "areas"):
        pages.append(client.get(DASHBOARD, query_string={"format": "csv", "table": table})
                     .get_data(as_text=True))  # fmt: skip
    for text in pages:
        for name in PRIVATE_NAMES:
            assert name not in text
    countries = {row[1] for row in csv_rows(client, DASHBOARD, "countries")[1:]}
    assert "DE" not in countries  # the deactivated account lived in Germany


def test_empty_directory_renders(client: FlaskClient, auth: AuthActions, make_user) -> None:
    make_user("curator@example.org", role="curator")
    auth.login("curator@example.org")
    page = client.get(DASHBOARD)
    assert page.status_code == 200
    assert 'data-test="chart-kinds"' in page.get_data(as_text=True)


def test_charts_escape_labels() -> None:
    svg = str(charts.bar_chart("x", [('<script>"&', 3)], title="<b>t</b>"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "<b>" not in svg
    assert charts.bins(17) == [(1, 4), (5, 8), (9, 12), (13, 16), (17, 17)]
    assert charts.bins(3) == [(1, 1), (2, 2), (3, 3)]
    assert charts.bins(0) == []
