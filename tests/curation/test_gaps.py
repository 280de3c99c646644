"""The talent gap: demand against supply in Mexico and abroad, skill by skill, with the
repatriation targets marked, sorted and exported (issue 5, "Numbers")."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .. import factories as f
from ..conftest import AuthActions
from .numbers import csv_rows, numbers, page_tables

GAPS = "/curation/gaps"


@pytest.fixture
def world(app: Flask, client: FlaskClient, auth: AuthActions, make_user) -> None:
    """Demand for computer vision beyond Mexico's supply, met abroad; python over-supplied."""
    make_user("curator@example.org", role="curator", locale="en")
    with app.app_context():
        firm = f.org()
        agency = f.org(kind="government_agency")
        f.opening(firm, skill_slugs=("computer-vision", "python"))
        f.opening(firm, skill_slugs=("computer-vision", "statistical-modeling"))
        f.opening(firm, status="pending", skill_slugs=("computer-vision",))  # not counted
        f.challenge(agency, skill_slugs=("computer-vision",))
        f.profile(skill_slugs=("computer-vision", "python"))
        f.profile(skill_slugs=("python",))
        f.profile(country_code="US", state_code=None, diaspora_status="abroad",
                  skill_slugs=("computer-vision",))  # fmt: skip
        f.profile(visibility="private", country_code="CA", state_code=None,
                  skill_slugs=("statistical-modeling",))  # fmt: skip
    auth.login("curator@example.org")


def _rows(client: FlaskClient, **args: str) -> dict[str, list[str]]:
    page = client.get(GAPS, query_string=args)
    assert page.status_code == 200
    return page_tables(page.get_data(as_text=True))["talent"]


def test_figures_per_skill(client: FlaskClient, world: None) -> None:
    rows = _rows(client)
    # Cells: openings, challenges, demand, in Mexico, abroad, gap.
    assert numbers(rows["computer-vision"]) == [2, 1, 3, 1, 1, 2]
    assert numbers(rows["python"]) == [1, 0, 1, 2, 0, -1]
    assert numbers(rows["statistical-modeling"]) == [
        1,
        0,
        1,
        0,
        0,
        1,
    ]  # the private person is left out
    assert rows["computer-vision"][0] == "Computer vision"  # the curator reads English
    assert rows["computer-vision"][-1] == "Yes"
    assert rows["statistical-modeling"][-1] == "No"  # a gap, but nobody abroad to close it


def test_targets_first_and_marked(client: FlaskClient, world: None) -> None:
    html = client.get(GAPS).get_data(as_text=True)
    assert list(page_tables(html)["talent"])[0] == "computer-vision"
    assert html.count('class="mark-target"') == 1
    assert 'data-test="chart-targets"' in html


def test_only_targets(client: FlaskClient, world: None) -> None:
    assert list(_rows(client, targets="1")) == ["computer-vision"]
    rows = csv_rows(client, GAPS, "talent", targets="1")
    assert rows[1][:7] == ["Computer vision", "2", "1", "3", "1", "1", "2"]
    assert len(rows) == 2


@pytest.mark.parametrize(
    ("sort", "first"),
    [("local", "python"), ("skill", "computer-vision"), ("demand", "computer-vision"),
     ("abroad", "computer-vision"), ("nonsense", "computer-vision")],
)  # fmt: skip
def test_sorting(client: FlaskClient, world: None, sort: str, first: str) -> None:
    assert list(_rows(client, sort=sort))[0] == first


def test_sort_by_name_is_alphabetical(client: FlaskClient, world: None) -> None:
    labels = [row[0].casefold() for row in _rows(client, sort="skill").values()]
    assert labels == sorted(labels)


def test_labels_follow_the_language(app: Flask, client: FlaskClient, world: None) -> None:
    with app.app_context():
        from sqlalchemy import select

        from directory.extensions import db
        from directory.models import User

        user = db.session.scalar(select(User).where(User.email == "curator@example.org"))
        user.locale = "es"
        db.session.commit()
    assert _rows(client)["computer-vision"][0] == "Visión por computadora"
