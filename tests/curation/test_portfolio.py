"""The challenge portfolio: proposals, who fits each challenge, coverage gaps, filters and
CSV exports, against a world built here (issue 5, "Numbers")."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from directory.curation.tables import Table, safe_cell, to_csv
from directory.extensions import db
from directory.models import Proposal

from .. import factories as f
from ..conftest import AuthActions
from .numbers import csv_rows, numbers, page_tables

PORTFOLIO = "/curation/portfolio"


@pytest.fixture
def world(app: Flask, client: FlaskClient, auth: AuthActions) -> dict[str, Any]:
    """Two agencies' challenges and the organisations and people who could solve them."""
    with app.app_context():
        f.user("curator@example.org", role="curator")
        # The agency offers both skills itself: it must not count as its own solver.
        agency = f.org(kind="government_agency", name="=HYPERLINK(\"http://x\")",
                       skill_slugs=("computer-vision", "python"))  # fmt: skip
        other = f.org(kind="government_agency", skill_slugs=("statistical-modeling",))
        f.org(skill_slugs=("computer-vision",))  # offers half: fits
        f.org(skill_slugs=("natural-language-processing",))  # offers none
        f.org(status="pending", skill_slugs=("computer-vision", "python"))  # not published
        f.profile(skill_slugs=("python",))  # fits (half)
        f.profile(skill_slugs=("computer-vision", "python"))  # fits
        f.profile(visibility="private", skill_slugs=("computer-vision", "python"))
        f.profile(matching_consent=False, skill_slugs=("computer-vision", "python"))
        fitted = f.challenge(agency, stage="pilot", sector="health",
                             skill_slugs=("computer-vision", "python"))  # fmt: skip
        lonely = f.challenge(other, stage="discovery", sector="energy",
                             skill_slugs=("speech-synthesis",))  # fmt: skip
        closed = f.challenge(other, status="archived", skill_slugs=("speech-synthesis",))
        for _ in range(2):
            db.session.add(Proposal(challenge=fitted, user=f.user(), message="Propuesta"))
        db.session.commit()
        ids = {"agency": agency.id, "other": other.id, "fitted": fitted.id,
               "lonely": lonely.id, "closed": closed.id}  # fmt: skip
    auth.login("curator@example.org")
    return ids


def _tables(client: FlaskClient, **args: str) -> dict[str, dict[str, list[str]]]:
    page = client.get(PORTFOLIO, query_string=args)
    assert page.status_code == 200
    return page_tables(page.get_data(as_text=True))


def test_each_challenge_with_its_figures(client: FlaskClient, world: dict[str, Any]) -> None:
    rows = _tables(client)["challenges"]
    assert set(rows) == {str(world[k]) for k in ("fitted", "lonely", "closed")}
    # Cells counted: skills, proposals, organisations that fit, people who fit.
    assert numbers(rows[str(world["fitted"])]) == [2, 2, 1, 2]
    assert numbers(rows[str(world["lonely"])]) == [1, 0, 0, 0]
    assert rows[str(world["lonely"])][-1] != ""  # speech synthesis: nobody offers it


def test_coverage_gaps(client: FlaskClient, world: dict[str, Any]) -> None:
    gaps = _tables(client)["gaps"]
    # The archived challenge is out of play; the fitted one is covered.
    assert set(gaps) == {str(world["lonely"])}


def test_summaries(client: FlaskClient, world: dict[str, Any]) -> None:
    tables = _tables(client)
    assert numbers(tables["by_agency"][str(world["agency"])]) == [1, 2]
    assert numbers(tables["by_agency"][str(world["other"])]) == [2, 0]
    assert numbers(tables["by_stage"]["pilot"]) == [1, 2]
    assert numbers(tables["by_sector"]["energy"]) == [1, 0]
    assert numbers(tables["by_status"]["published"]) == [2, 2]
    assert numbers(tables["by_status"]["archived"]) == [1, 0]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({"stage": "pilot"}, {"fitted"}),
        ({"sector": "energy"}, {"lonely"}),
        ({"status": "archived"}, {"closed"}),
        ({"stage": "pilot", "sector": "energy"}, set()),
    ],
)
def test_filters(
    client: FlaskClient, world: dict[str, Any], args: dict[str, str], expected: set[str]
) -> None:
    rows = _tables(client, **args)["challenges"]
    assert set(rows) == {str(world[k]) for k in expected}


def test_agency_filter_and_bad_values(client: FlaskClient, world: dict[str, Any]) -> None:
    rows = _tables(client, agency=str(world["other"]))["challenges"]
    assert set(rows) == {str(world["lonely"]), str(world["closed"])}
    page = client.get(PORTFOLIO, query_string={"agency": "x'; drop", "stage": "nope"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-test="filters-ignored"' in html
    assert len(page_tables(html)["challenges"]) == 3  # nothing filtered out


def test_csv_export_guards_formulas(client: FlaskClient, world: dict[str, Any]) -> None:
    rows = csv_rows(client, PORTFOLIO, "challenges", stage="pilot")
    assert len(rows) == 2
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
    assert rows[1][6:9] == ["2", "1", "2"]
    assert len(csv_rows(client, PORTFOLIO, "gaps")) == 2


def test_safe_cell() -> None:
    assert [safe_cell(v) for v in ("=1+1", "+52", "-x", "@SUM", "\tx", "ok")] == [
        "'=1+1", "'+52", "'-x", "'@SUM", "'\tx", "ok",
    ]  # fmt: skip
    assert safe_cell(-3) == "-3"  # a number is data
    assert safe_cell(None) == ""
    table = Table("t", "T", ["a", "b"])
    table.add(["=cmd", 1])
    assert to_csv(table) == "a,b\r\n'=cmd,1\r\n"
