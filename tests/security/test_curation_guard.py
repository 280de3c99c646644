"""SECURITY.md rows on roles: every route of the curation blueprint is for curators only.

The test walks app.url_map, so a route added to the blueprint later is checked too:
anonymous visitors are sent to log in and members get a 403, for every method, and
nothing they send changes the database.
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import AuditEvent, Organization

from .. import factories as f
from ..conftest import AuthActions


def _curation_calls(app: Flask) -> list[tuple[str, str]]:
    calls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("curation."):
            continue
        # Any value works: the guard must answer before the view looks anything up.
        url = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", "1", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            calls.append((method, url))
    return calls


def test_the_blueprint_has_routes(app: Flask) -> None:
    assert len(_curation_calls(app)) >= 1


def test_anonymous_visitors_are_sent_to_log_in(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        org = f.org(f.user("owner@example.org"), status="pending")
        org_status = org.status
    for method, url in _curation_calls(app):
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert "/login" in response.headers["Location"], (method, url)
    with app.app_context():
        assert db.session.scalar(select(Organization.status)) == org_status


@pytest.mark.parametrize("role", ["member"])
def test_members_get_403_everywhere(
    app: Flask, client: FlaskClient, auth: AuthActions, make_user, role: str
) -> None:
    make_user("member@example.org")
    with app.app_context():
        f.org(f.user("owner@example.org"), status="pending")
        events_before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    auth.login("member@example.org")
    for method, url in _curation_calls(app):
        response = client.open(url, method=method, data={"ids": ["1"], "reason": "x"})
        assert response.status_code == 403, (method, url)
    with app.app_context():
        assert db.session.scalar(select(Organization.status)) == "pending"
        # Only the member's own log-in and each refusal (directory/denials.py) were
        # audited; no curator action slipped through.
        events_after = db.session.scalar(select(func.count()).select_from(AuditEvent))
        denials = db.session.scalar(
            select(func.count()).where(AuditEvent.action == "access.denied")
        )
        assert denials == len(_curation_calls(app))
        assert events_after == events_before + 1 + denials


def test_curators_reach_the_overview(client: FlaskClient, auth: AuthActions, make_user) -> None:
    make_user("curator@example.org", role="curator")
    auth.login("curator@example.org")
    page = client.get("/curation/")
    assert page.status_code == 200
    assert 'data-test="curation-waiting"' in page.get_data(as_text=True)
    assert 'data-test="nav-curation"' in page.get_data(as_text=True)


def test_members_do_not_see_the_curation_link(client: FlaskClient, auth, make_user) -> None:
    make_user("member@example.org")
    auth.login("member@example.org")
    assert 'data-test="nav-curation"' not in client.get("/directory").get_data(as_text=True)
