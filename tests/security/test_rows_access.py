# ruff: noqa: E501  (the matrix reads best one route per line)
"""SECURITY.md rows 12 and 13: the full role matrix over every GET route with a record id.

test_object_access.py proves that outsiders never reach hidden records on any route (with
any method). This module adds the two missing columns and the expected answer per cell:
for {anonymous, owner, other member, other organisation's member, curator} and every GET
route whose URL carries a record id, the status code is the one in EXPECTED below — the
owner and curators reach draft/pending records, others get a login redirect, 403 or 404.
A GET route with an id that is missing from EXPECTED fails test_every_id_route_is_in_the_matrix.
Token routes (invitations, password reset, sign-up confirmation, saved-search feeds) carry
no record id: tests/test_members.py, tests/test_auth_reset.py, tests/test_auth_signup.py and
tests/test_saved_searches.py cover them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask

from directory.extensions import db
from directory.models import (
    Application,
    ContactRequest,
    PendingRevision,
    PrivacyRequest,
    Proposal,
    SavedSearch,
)

from .. import factories as f
from ..conftest import PASSWORD

ROLES = ("anonymous", "owner", "member", "other_org", "curator")
TOKEN_ROUTES = {"orgs.accept_invitation", "auth.reset_password", "auth.confirm_account", "static",
                "public.alert_feed", "public.unsubscribe"}  # fmt: skip


@dataclass
class World:
    ids: dict[str, object]
    emails: dict[str, str]


@pytest.fixture
def world(app: Flask) -> World:
    """Published and hidden records of one owner, and people with no tie to them."""
    with app.app_context():
        owner = f.user("owner@example.org")
        member = f.user("member@example.org")
        other = f.user("other@example.org")
        curator = f.user("curator@example.org", role="curator")
        applicant = f.user("applicant@example.org")
        f.org(other, name="Otra")
        org = f.org(owner, kind="government_agency", name="Agencia publicada")
        opening = f.opening(org)
        challenge = f.challenge(org)
        hidden_org = f.org(owner, kind="government_agency", status="pending", name="Pendiente")
        hidden_opening = f.opening(hidden_org, status="pending")
        hidden_challenge = f.challenge(hidden_org, status="pending")
        private = f.profile(owner, visibility="private")
        public = f.profile(applicant, visibility="public")
        story = f.story()
        hidden_story = f.story(status="pending")
        db.session.add(Application(opening=opening, user=applicant, message="hola"))
        db.session.add(Proposal(challenge=challenge, user=applicant, message="hola"))
        db.session.add(ContactRequest(sender=applicant, recipient=owner, message="hola"))
        arco = PrivacyRequest(user_id=owner.id, email=owner.email, kind="access", message="x")
        db.session.add(arco)
        # An edit of the published opening held for a curator (row 52).
        revision = PendingRevision(kind="opening", record_id=opening.id,
                                   values={"title": "Cambio en revisión"}, submitted_by_id=owner.id)  # fmt: skip
        db.session.add(revision)
        saved = SavedSearch(user=owner, name="Mi búsqueda", params={"q": "vision"})
        db.session.add(saved)
        db.session.commit()
        ids = {
            "slug": org.slug,
            "hidden_slug": hidden_org.slug,
            "org": org.id,
            "hidden_org": hidden_org.id,
            "opening": opening.id,
            "hidden_opening": hidden_opening.id,
            "challenge": challenge.id,
            "hidden_challenge": hidden_challenge.id,
            "private": private.id,
            "public": public.id,
            "story": story.slug,
            "hidden_story": hidden_story.slug,
            "arco": arco.id,
            "revision": revision.id,
            "saved_search": saved.id,
        }
        emails = {
            "owner": owner.email,
            "member": member.email,
            "other_org": other.email,
            "curator": curator.email,
        }
        return World(ids=ids, emails=emails)


# endpoint, URL template, expected status for (anonymous, owner, member, other_org, curator)
# The owner and curators reach hidden records; curators read but do not edit an organisation's
# posts (they moderate them); a private profile exists for its owner and curators only.
# fmt: off
EXPECTED: list[tuple[str, str, tuple[int, ...]]] = [
    ("public.organization", "/organizations/{slug}", (200, 200, 200, 200, 200)),
    ("public.organization", "/organizations/{hidden_slug}", (404, 200, 404, 404, 200)),
    ("public.opening", "/openings/{opening}", (200, 200, 200, 200, 200)),
    ("public.opening", "/openings/{hidden_opening}", (404, 200, 404, 404, 200)),
    ("public.challenge", "/challenges/{challenge}", (200, 200, 200, 200, 200)),
    ("public.challenge", "/challenges/{hidden_challenge}", (404, 200, 404, 404, 200)),
    ("public.apply", "/openings/{opening}/apply", (302, 302, 200, 200, 200)),
    ("public.apply", "/openings/{hidden_opening}/apply", (302, 302, 404, 404, 302)),
    ("public.propose", "/challenges/{challenge}/propose", (302, 302, 200, 200, 200)),
    ("public.propose", "/challenges/{hidden_challenge}/propose", (302, 302, 404, 404, 302)),
    ("public.profile", "/people/{public}", (200, 200, 200, 200, 200)),
    ("public.profile", "/people/{private}", (404, 200, 404, 404, 200)),
    ("me.contact_request", "/people/{public}/contact", (302, 200, 200, 200, 200)),
    ("me.contact_request", "/people/{private}/contact", (302, 403, 404, 404, 403)),
    ("public.story", "/stories/{story}", (200, 200, 200, 200, 200)),
    ("public.story", "/stories/{hidden_story}", (404, 404, 404, 404, 200)),
    ("public.report", "/report/opening/{opening}", (302, 200, 200, 200, 200)),
    ("public.report", "/report/opening/{hidden_opening}", (302, 200, 404, 404, 200)),
    ("matches.similar", "/similar/opening/{opening}", (200, 200, 200, 200, 200)),
    ("matches.similar", "/similar/opening/{hidden_opening}", (404, 200, 404, 404, 200)),
    ("api.matches", "/api/v1/matches/opening/{opening}", (401, 200, 403, 403, 200)),
    ("api.matches", "/api/v1/matches/opening/{hidden_opening}", (401, 200, 404, 404, 200)),
    ("orgs.manage", "/manage/organizations/{org}", (302, 200, 403, 403, 200)),
    ("orgs.manage", "/manage/organizations/{hidden_org}", (302, 200, 404, 404, 200)),
    ("orgs.edit", "/manage/organizations/{org}/edit", (302, 200, 403, 403, 403)),
    ("orgs.edit", "/manage/organizations/{hidden_org}/edit", (302, 200, 404, 404, 403)),
    ("orgs.new_opening", "/manage/organizations/{org}/openings/new", (302, 200, 403, 403, 403)),
    ("orgs.new_challenge", "/manage/organizations/{org}/challenges/new", (302, 200, 403, 403, 403)),
    ("orgs.claim", "/manage/organizations/{org}/claim", (302, 302, 200, 200, 200)),
    ("orgs.claim", "/manage/organizations/{hidden_org}/claim", (302, 302, 404, 404, 200)),
    ("orgs.edit_opening", "/manage/openings/{opening}/edit", (302, 200, 403, 403, 403)),
    ("orgs.edit_opening", "/manage/openings/{hidden_opening}/edit", (302, 200, 404, 404, 403)),
    ("orgs.responses_opening", "/manage/openings/{opening}/applications", (302, 200, 403, 403, 403)),
    ("matches.opening_candidates", "/manage/openings/{opening}/candidates", (302, 200, 403, 403, 200)),
    ("matches.opening_candidates", "/manage/openings/{hidden_opening}/candidates", (302, 200, 404, 404, 200)),
    ("orgs.edit_challenge", "/manage/challenges/{challenge}/edit", (302, 200, 403, 403, 403)),
    ("orgs.edit_challenge", "/manage/challenges/{hidden_challenge}/edit", (302, 200, 404, 404, 403)),
    ("orgs.responses_challenge", "/manage/challenges/{challenge}/proposals", (302, 200, 403, 403, 403)),
    ("matches.challenge_solvers", "/manage/challenges/{challenge}/solvers", (302, 200, 403, 403, 200)),
    ("curation.arco_request", "/curation/privacy/{arco}", (302, 403, 403, 403, 200)),
    ("curation.revision", "/curation/revisions/{revision}", (302, 403, 403, 403, 200)),
    # A saved search is its owner's alone: curators have no business in it either.
    ("me.alert", "/me/alerts/{saved_search}", (302, 200, 404, 404, 404)),
]
# fmt: on


def _client_for(app: Flask, role: str, world: World):
    client = app.test_client()
    if role != "anonymous":
        client.post("/login", data={"email": world.emails[role], "password": PASSWORD})
        assert client.get("/account").status_code == 200
    return client


def _id_routes(app: Flask) -> set[str]:
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.arguments - set(rule.defaults or ())
        and "GET" in rule.methods
        and rule.endpoint not in TOKEN_ROUTES
    }


def test_every_id_route_is_in_the_matrix(app):
    missing = _id_routes(app) - {endpoint for endpoint, _, _ in EXPECTED}
    assert not missing, f"add these GET routes to EXPECTED: {sorted(missing)}"


def test_each_role_gets_the_expected_answer_on_every_id_route(app, world):
    clients = {role: _client_for(app, role, world) for role in ROLES}
    wrong = []
    for endpoint, template, expected in EXPECTED:
        url = template.format(**world.ids)
        for role, code in zip(ROLES, expected, strict=True):
            got = clients[role].get(url).status_code
            if got != code:
                wrong.append((endpoint, url, role, code, got))
    assert not wrong, wrong


def test_anonymous_visitors_are_sent_to_log_in_not_shown_an_error(app, world):
    """Every 302 of the anonymous column lands on the login page, with the way back."""
    client = app.test_client()
    for _, template, expected in EXPECTED:
        if expected[0] == 302:
            url = template.format(**world.ids)
            response = client.get(url)
            assert response.location.startswith("/login?next="), url
