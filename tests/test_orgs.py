"""Organisations: create, my organisations, the dashboard, edits and claims.

`World`, `build_world`, `client_as` and `field_error` are shared with test_members.py,
test_posts.py and test_responses.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import (
    Application,
    AuditEvent,
    Claim,
    Membership,
    Opening,
    Organization,
    Proposal,
    Status,
    utcnow,
)
from directory.orgs import routes as org_routes
from directory.services import orgs

from . import factories as f
from .conftest import PASSWORD, csrf_token_from
from .helpers import translated

ROLES = ("anonymous", "owner", "editor", "outsider", "rival", "curator")


@dataclass
class World:
    """Ids of one organisation with its people and posts, and a rival organisation."""

    org_id: int
    org_slug: str
    other_org_id: int
    opening_id: int
    challenge_id: int
    application_id: int
    proposal_id: int
    owner_membership_id: int
    editor_membership_id: int
    rival_membership_id: int


def build_world(app: Flask, *, kind: str = "government_agency") -> World:
    """An org (owner, editor) with an opening, a challenge and responses; a rival org."""
    with app.app_context():
        owner = f.user("owner@example.org")
        editor = f.user("editor@example.org")
        f.user("outsider@example.org")
        rival = f.user("rival@example.org")
        f.user("curator@example.org", role="curator")
        org = f.org(owner, kind=kind, editors=(editor,), name="Agencia Digital")
        other = f.org(rival, kind="company")
        opening = f.opening(org)
        challenge = f.challenge(org)
        applicant = f.user("applicant@example.org", locale="en")
        f.profile(applicant, full_name="Ana Aplicante", phone="+52 55 0000 1111")
        application = Application(opening=opening, user=applicant, message="Me interesa mucho.")
        proposal = Proposal(challenge=challenge, user=applicant, message="Tenemos un prototipo.")
        db.session.add_all([application, proposal])
        db.session.commit()
        by_user = {m.user_id: m.id for m in db.session.scalars(select(Membership))}
        return World(
            org_id=org.id,
            org_slug=org.slug,
            other_org_id=other.id,
            opening_id=opening.id,
            challenge_id=challenge.id,
            application_id=application.id,
            proposal_id=proposal.id,
            owner_membership_id=by_user[owner.id],
            editor_membership_id=by_user[editor.id],
            rival_membership_id=by_user[rival.id],
        )


def client_as(app: Flask, role: str) -> FlaskClient:
    """A fresh client logged in as one of the world's people (or anonymous)."""
    client = app.test_client()
    if role != "anonymous":
        response = client.post(
            "/login", data={"email": f"{role}@example.org", "password": PASSWORD}
        )
        assert response.status_code == 302, role
    return client


def field_error(html: str, field_id: str) -> str:
    """The error text shown next to a field ('' when none)."""
    match = re.search(
        rf'<ul class="errors" id="{re.escape(field_id)}-error">(.*?)</ul>', html, re.S
    )
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip() if match else ""


def clients_for(app: Flask) -> dict[str, FlaskClient]:
    """One logged-in client per role of the world (logging in costs a slow KDF run)."""
    return {role: client_as(app, role) for role in ROLES}


def check_matrix(
    clients: dict[str, FlaskClient], method: str, url: str, expected: dict[str, int], **kw
) -> None:
    """Each role gets the expected status; anonymous is sent to the login page."""
    for role in ROLES:
        response = clients[role].open(url, method=method, **kw)
        want = expected[role]
        assert response.status_code == want, (role, method, url, response.status_code)
        if role == "anonymous":
            assert "/login" in response.location


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


ORG_FORM = {
    "name": "Laboratorio de Visión",
    "kind": "startup",
    "description": "Hacemos **visión** por computadora.",
    "website": "https://vision.example.mx",
    "sectors": ["health", "manufacturing"],
    "skills": "Python, computer vision",
    "state_code": "JAL",
    "city": "Guadalajara",
    "size": "11-50",
}


# --- creating ------------------------------------------------------------------------------


def test_create_organization_is_pending_with_creator_as_owner(app, client, make_user, auth):
    make_user()
    auth.login()
    response = client.post("/manage/organizations/new", data=ORG_FORM, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert translated(app, "Pending review", "es") in html
    assert translated(app, "%(name)s was saved. A curator will review it before it is published.",
                      "es", name="Laboratorio de Visión") in html  # fmt: skip
    with app.app_context():
        org = db.session.scalar(select(Organization))
        assert org.status == Status.PENDING
        assert org.slug == "laboratorio-de-vision"
        assert org.sectors == ["health", "manufacturing"]
        assert {s.slug for s in org.skills} == {"python", "computer-vision"}
        assert [(m.user.email, m.role) for m in org.memberships] == [("ana@example.org", "owner")]
        assert db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "organization.created")
        )


def test_slugs_are_made_unique(app, app_ctx):
    owner = f.user()
    slugs = [orgs.create_organization({**ORG_FORM, "skills": ""}, actor=owner).slug for _ in "abc"]
    assert slugs == ["laboratorio-de-vision", "laboratorio-de-vision-2", "laboratorio-de-vision-3"]


def test_create_ignores_status_and_other_mass_assigned_fields(app, client, make_user, auth):
    make_user()
    auth.login()
    data = {**ORG_FORM, "status": "published", "slug": "mine", "chamber_member": "y",
            "verified_at": "2020-01-01", "created_by_id": "99"}  # fmt: skip
    client.post("/manage/organizations/new", data=data)
    with app.app_context():
        org = db.session.scalar(select(Organization))
        assert org.status == Status.PENDING and org.slug != "mine"
        assert not org.chamber_member and org.verified_at is None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "x" * 10_000}, "name", "Use at most %(max)d characters."),
        ({"description": "y" * 10_001}, "description", "Use at most %(max)d characters."),
        ({"website": "javascript:alert(1)"}, "website",
         "Enter a full web address starting with http:// or https://."),
        ({"website": "ftp://example.org/file"}, "website",
         "Enter a full web address starting with http:// or https://."),
        ({"skills": "Python, Cocina tradicional"}, "skills",
         "Unknown skill: %(skills)s, pick one from the list."),
        ({"kind": "cartel"}, "kind", None),
        ({"state_code": "XX"}, "state_code", None),
    ],
)  # fmt: skip
@pytest.mark.parametrize("locale", ["es", "en"])
def test_bad_organization_input_shows_message_and_saves_nothing(
    app, client, make_user, auth, changes, field, message, locale
):
    make_user(locale=locale)
    auth.login()
    response = client.post("/manage/organizations/new", data={**ORG_FORM, **changes})
    assert response.status_code == 200
    error = field_error(response.get_data(as_text=True), field)
    assert error, field
    if message:
        params = {"max": 200 if field == "name" else 10_000, "skills": "Cocina tradicional"}
        assert translated(app, message, locale, **params) in error
    with app.app_context():
        assert count(Organization) == 0 and count(Membership) == 0


# --- my organisations and the dashboard ------------------------------------------------------


def test_my_organisations_lists_only_mine_with_role_and_status(app):
    world = build_world(app)
    with app.app_context():
        editor = db.session.scalar(select(Membership).where(Membership.role == "editor")).user
        f.org(editor, status=Status.PENDING, name="Mi Segunda Org")
    html = client_as(app, "editor").get("/manage/organizations").get_data(as_text=True)
    assert "Agencia Digital" in html and "Mi Segunda Org" in html
    assert translated(app, "Editor", "es") in html and translated(app, "Owner", "es") in html
    assert translated(app, "Pending review", "es") in html
    assert f"/manage/organizations/{world.org_id}" in html
    assert f"/manage/organizations/{world.other_org_id}" not in html
    outsider = client_as(app, "outsider").get("/manage/organizations").get_data(as_text=True)
    assert "Agencia Digital" not in outsider
    assert translated(app, "You do not belong to any organisation yet.", "es") in outsider


def test_dashboard_shows_posts_statuses_and_response_counts(app):
    world = build_world(app)
    with app.app_context():
        f.opening(db.session.get(Organization, world.org_id), status=Status.PENDING,
                  title="Puesto en revisión")  # fmt: skip
    client = client_as(app, "owner")
    client.set_cookie("lang", "en")
    html = client.get(f"/manage/organizations/{world.org_id}").get_data(as_text=True)
    assert "Puesto en revisión" in html
    assert "Pending review" in html and "Published" in html
    assert f'href="/manage/openings/{world.opening_id}/applications"' in html
    assert re.search(r'data-test="opening-responses">\s*1\s*<', html)
    assert f'href="/manage/challenges/{world.challenge_id}/proposals"' in html
    assert f'href="/openings/{world.opening_id}"' in html
    assert f'href="/manage/organizations/{world.org_id}/edit"' in html
    assert 'data-test="invite-form"' in html


def test_dashboard_is_read_only_for_curators_and_editors_cannot_manage_members(app):
    world = build_world(app)
    curator = client_as(app, "curator").get(f"/manage/organizations/{world.org_id}")
    html = curator.get_data(as_text=True)
    assert curator.status_code == 200
    assert "/edit" not in html and 'data-test="invite-form"' not in html
    assert 'data-test="remove-member"' not in html
    editor = client_as(app, "editor").get(f"/manage/organizations/{world.org_id}")
    html = editor.get_data(as_text=True)
    assert f"/manage/organizations/{world.org_id}/edit" in html
    assert 'data-test="invite-form"' not in html and 'data-test="remove-member"' not in html


def test_management_pages_are_never_cached(app):
    world = build_world(app)
    client = client_as(app, "owner")
    for url in (
        "/manage/organizations",
        f"/manage/organizations/{world.org_id}",
        f"/manage/organizations/{world.org_id}/edit",
        f"/manage/openings/{world.opening_id}/applications",
    ):
        assert client.get(url).headers["Cache-Control"] == "no-store", url


def test_dashboard_shows_member_emails_only_to_owners_and_the_member(app):
    """Owners invited members by e-mail and may see it; an editor never sees another's."""
    world = build_world(app)
    url = f"/manage/organizations/{world.org_id}"
    as_editor = client_as(app, "editor").get(url).get_data(as_text=True)
    assert "owner@example.org" not in as_editor
    as_curator = client_as(app, "curator").get(url).get_data(as_text=True)
    assert "owner@example.org" not in as_curator and "editor@example.org" not in as_curator


def test_names_are_escaped_on_my_pages(app, client, make_user, auth):
    make_user()
    auth.login()
    evil = '"><svg onload=alert(1)>'
    client.post("/manage/organizations/new", data={**ORG_FORM, "name": evil})
    for url in ("/manage/organizations", "/manage/organizations/new"):
        assert "<svg onload" not in client.get(url).get_data(as_text=True)
    with app.app_context():
        org_id = db.session.scalar(select(Organization.id))
    for url in (f"/manage/organizations/{org_id}", f"/manage/organizations/{org_id}/edit"):
        html = client.get(url).get_data(as_text=True)
        assert "<svg onload" not in html and "&lt;svg onload" in html


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/manage/organizations/{org}",
         {"anonymous": 302, "owner": 200, "editor": 200, "outsider": 403, "rival": 403,
          "curator": 200}),
        ("/manage/organizations/{org}/edit",
         {"anonymous": 302, "owner": 200, "editor": 200, "outsider": 403, "rival": 403,
          "curator": 403}),
    ],
)  # fmt: skip
def test_org_pages_authorisation(app, path, expected):
    world = build_world(app)
    clients = clients_for(app)
    check_matrix(clients, "GET", path.format(org=world.org_id), expected)
    check_matrix(clients, "GET", path.format(org=999_999), {**dict.fromkeys(ROLES, 404),
                                                        "anonymous": 302})  # fmt: skip


def test_edit_post_refused_to_outsiders_changes_nothing(app):
    world = build_world(app)
    for role in ("outsider", "rival", "curator"):
        response = client_as(app, role).post(
            f"/manage/organizations/{world.org_id}/edit", data={**ORG_FORM, "name": "Hackeada"}
        )
        assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Organization, world.org_id).name == "Agencia Digital"


# --- editing -----------------------------------------------------------------------------------


def verify(app: Flask, org_id: int) -> None:
    """Mark an organisation verified by the chamber: its edits go live (SECURITY.md row 52;
    a non-verified one's text edits wait for review, tests/test_revisions.py)."""
    with app.app_context():
        db.session.get(Organization, org_id).verified_at = utcnow()
        db.session.commit()


def test_editing_a_published_org_keeps_it_published_and_audits_changed_fields(app):
    world = build_world(app)
    verify(app, world.org_id)
    client = client_as(app, "editor")
    form = client.get(f"/manage/organizations/{world.org_id}/edit").get_data(as_text=True)
    assert 'value="Agencia Digital"' in form
    data = {**ORG_FORM, "name": "Agencia Digital", "kind": "government_agency",
            "skills": "Visión por computadora, Python"}  # fmt: skip
    response = client.post(f"/manage/organizations/{world.org_id}/edit", data=data)
    assert response.status_code == 302
    with app.app_context():
        org = db.session.get(Organization, world.org_id)
        assert org.status == Status.PUBLISHED
        assert org.city == "Guadalajara" and org.slug == world.org_slug
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "organization.edited")
        )
        assert event.target_id == org.id
        assert {"city", "state_code", "skills", "website"} <= set(event.details["changed"])
        assert "name" not in event.details["changed"]


def test_editing_a_rejected_org_sends_it_back_for_review(app, client, make_user, auth):
    user = make_user()
    with app.app_context():
        org = f.org(db.session.merge(user), status=Status.REJECTED, kind="startup")
        org_id = org.id
    auth.login()
    client.post(f"/manage/organizations/{org_id}/edit", data=ORG_FORM)
    with app.app_context():
        assert db.session.get(Organization, org_id).status == Status.PENDING


# --- claims ------------------------------------------------------------------------------------


def test_claim_creates_an_open_claim_and_refuses_a_duplicate(app):
    world = build_world(app)
    client = client_as(app, "outsider")
    url = f"/manage/organizations/{world.org_id}/claim"
    assert client.get(url).status_code == 200
    assert client.post(url, data={"message": "Soy la directora."}).status_code == 302
    again = client.post(url, data={"message": "Otra vez."})
    assert again.status_code == 200
    assert field_error(again.get_data(as_text=True), "message") == translated(
        app, "You have already asked to manage this organisation; a curator will answer.", "es"
    )
    with app.app_context():
        claims = db.session.scalars(select(Claim)).all()
        assert [(c.status, c.message, c.user.email) for c in claims] == [
            ("open", "Soy la directora.", "outsider@example.org")
        ]
        assert db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "organization.claimed")
        )


def test_claim_needs_a_message(app):
    world = build_world(app)
    response = client_as(app, "outsider").post(
        f"/manage/organizations/{world.org_id}/claim", data={"message": "  "}
    )
    assert field_error(response.get_data(as_text=True), "message")
    with app.app_context():
        assert count(Claim) == 0


def test_claim_rules_for_members_pending_and_unknown_orgs(app):
    world = build_world(app)
    member = client_as(app, "editor").get(f"/manage/organizations/{world.org_id}/claim")
    assert member.status_code == 302 and member.location.endswith(
        f"/manage/organizations/{world.org_id}"
    )
    with app.app_context():
        hidden = f.org(status=Status.PENDING).id
    outsider = client_as(app, "outsider")
    assert outsider.get(f"/manage/organizations/{hidden}/claim").status_code == 404
    assert (
        outsider.post(f"/manage/organizations/{hidden}/claim", data={"message": "x"}).status_code
        == 404
    )  # noqa: E501
    assert outsider.get("/manage/organizations/999999/claim").status_code == 404
    anonymous = client_as(app, "anonymous").get(f"/manage/organizations/{world.org_id}/claim")
    assert anonymous.status_code == 302 and "/login" in anonymous.location
    with app.app_context():
        assert count(Claim) == 0


def test_search_lists_published_organisations_i_can_claim(app):
    world = build_world(app)
    with app.app_context():
        f.org(status=Status.PENDING, name="Agencia Oculta")
    html = client_as(app, "outsider").get("/manage/organizations?q=agencia").get_data(as_text=True)
    assert "Agencia Digital" in html and "Agencia Oculta" not in html
    assert f"/manage/organizations/{world.org_id}/claim" in html
    assert f'href="/organizations/{world.org_slug}"' in html
    mine = client_as(app, "owner").get("/manage/organizations?q=agencia").get_data(as_text=True)
    assert f"/manage/organizations/{world.org_id}/claim" not in mine


@pytest.mark.parametrize("query", ["%", "_", "x" * 5000, "\x00", "' OR 1=1 --"])
def test_claim_search_survives_odd_queries(app, client, make_user, auth, query):
    make_user()
    auth.login()
    with app.app_context():
        f.org(name="Agencia Digital")
    response = client.get("/manage/organizations", query_string={"q": query})
    assert response.status_code == 200
    assert "Agencia Digital" not in response.get_data(as_text=True)


# --- automatic archiving on requests ------------------------------------------------------------


def test_a_request_closes_expired_posts_at_most_once_a_minute(app, client):
    with app.app_context():
        expired = f.opening(closes_on=date.today() - timedelta(days=1)).id
    org_routes.reset_archive_clock()
    client.get("/")
    with app.app_context():
        assert db.session.get(Opening, expired).status == Status.ARCHIVED
        again = f.opening(closes_on=date.today() - timedelta(days=1)).id
    client.get("/")  # within the minute: not run again
    with app.app_context():
        assert db.session.get(Opening, again).status == Status.PUBLISHED
    org_routes.reset_archive_clock()


# --- CSRF --------------------------------------------------------------------------------------


def test_dashboard_forms_carry_csrf_tokens_and_work(app, csrf_on):
    world = build_world(app)
    client = client_as_with_csrf(app, "owner")
    html = client.get(f"/manage/organizations/{world.org_id}").get_data(as_text=True)
    assert html.count('name="csrf_token"') >= 4  # nav, language, close, remove, invite…
    token = csrf_token_from(html)
    response = client.post(f"/manage/openings/{world.opening_id}/close",
                           data={"csrf_token": token})  # fmt: skip
    assert response.status_code == 302
    assert client.post(f"/manage/challenges/{world.challenge_id}/close").status_code == 400
    with app.app_context():
        assert db.session.get(Opening, world.opening_id).status == Status.ARCHIVED


def client_as_with_csrf(app: Flask, role: str) -> FlaskClient:
    """Log in through the real form with its CSRF token."""
    client = app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"email": f"{role}@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    return client
