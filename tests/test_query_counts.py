"""Each public page's SQL budget (issue 13): a page rendered afresh (the page cache is off,
as for a signed-in member or right after a write) runs at most its cap of queries, and
the count does not grow with the number of records listed (no query per row)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from directory.extensions import db

from . import factories as f
from .conftest import PASSWORD

# Caps as measured when the test was written (a member's pages also load the account, its
# session and the unread count): a feature that needs more raises its cap here, knowingly.
CAPS: dict[str, tuple[int, int | None]] = {  # page: (anonymous, member or None: not asked)
    "home": (9, 12),  # with the newest openings and challenges
    "directory": (18, 21),
    "directory_query": (18, 21),
    "directory_kind": (6, 9),
    "organization": (4, 8),
    "opening": (3, 9),
    "challenge": (7, 13),  # outcome, questions, stage history, risk, follow: one each
    "stories": (2, 5),
    "story": (3, 6),  # with the names it carries
    "person": (3, 6),
    "login": (0, None),  # a member is sent on from the log-in page
}


def _world(size: int) -> dict[str, str]:
    """`size` records of each kind around one organisation; the paths of its pages."""
    owner = f.user(f"owner{size}@example.org")
    org = f.org(owner, name=f"Visión {size}")
    openings = [f.opening(org) for _ in range(size)]
    challenges = [f.challenge(f.org(kind="government_agency")) for _ in range(size)]
    stories = [f.story(featured=True) for _ in range(size)]
    people = [f.profile(f.user(), visibility="public") for _ in range(size)]
    return {
        "home": "/",
        "directory": "/directory",
        "directory_query": "/directory?q=visi%C3%B3n",
        "directory_kind": "/directory?kind=opening",
        "organization": f"/organizations/{org.slug}",
        "opening": f"/openings/{openings[0].id}",
        "challenge": f"/challenges/{challenges[0].id}",
        "stories": "/stories",
        "story": f"/stories/{stories[0].slug}",
        "person": f"/people/{people[0].id}",
        "login": "/login",
    }


@pytest.fixture
def count_queries(app: Flask) -> Iterator[Callable[[FlaskClient, str], int]]:
    """count(client, path): how many SQL statements one GET sends, checking it answers 200."""
    with app.app_context():
        engine = db.engine
    seen = [0]

    def listener(*_args: object) -> None:
        seen[0] += 1

    event.listen(engine, "before_cursor_execute", listener)

    def count(client: FlaskClient, path: str) -> int:
        seen[0] = 0
        response = client.get(path)
        assert response.status_code == 200, path
        return seen[0]

    yield count
    event.remove(engine, "before_cursor_execute", listener)


def _member(app: Flask) -> FlaskClient:
    with app.app_context():
        f.user("member@example.org")
    client = app.test_client()
    client.post("/login", data={"email": "member@example.org", "password": PASSWORD})
    return client


def test_every_public_page_stays_within_its_query_budget(app, count_queries):
    with app.app_context():
        paths = _world(4)
    member = _member(app)
    over = {}
    for page, path in paths.items():
        anonymous_cap, member_cap = CAPS[page]
        anonymous = count_queries(app.test_client(), path)
        counts = (anonymous, count_queries(member, path) if member_cap is not None else 0)
        if counts[0] > anonymous_cap or counts[1] > (member_cap or 0):
            over[page] = counts
    assert not over, f"over budget (anonymous, member): {over}"


def test_query_counts_do_not_grow_with_the_records_listed(app, count_queries):
    with app.app_context():
        small = _world(2)
    before = {page: count_queries(app.test_client(), path) for page, path in small.items()}
    with app.app_context():
        large = _world(9)
    after = {page: count_queries(app.test_client(), path) for page, path in large.items()}
    grew = {page: (before[page], after[page]) for page in before if after[page] > before[page]}
    assert not grew, f"a query per record somewhere (2 records, 9 records): {grew}"
