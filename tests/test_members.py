"""Members: invitations by email, accepting them once with the right account, removals."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

from sqlalchemy import select

from directory.extensions import db
from directory.models import AuditEvent, Invitation, Membership, Organization, utcnow

from . import factories as f
from .helpers import translated
from .test_orgs import ROLES, build_world, check_matrix, client_as, clients_for, count


def _invite(app, world, email: str = "nueva@example.org", role: str = "owner"):
    return client_as(app, role).post(
        f"/manage/organizations/{world.org_id}/invitations", data={"email": email}
    )


def _link(app) -> str:
    """The invitation path from the last mail sent."""
    body = app.extensions["outbox"][-1].get_content()
    match = re.search(r"https?://[^/\s]+(/invitations/[\w-]+)", body)
    assert match, body
    return match.group(1)


def test_owner_invites_and_a_hashed_token_is_stored_and_mailed(app):
    world = build_world(app)
    response = _invite(app, world, "  Nueva@Example.org ")
    assert response.status_code == 302
    path = _link(app)
    token = path.rsplit("/", 1)[1]
    message = app.extensions["outbox"][-1]
    assert message["To"] == "nueva@example.org"
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        assert invitation.email == "nueva@example.org" and invitation.role == "editor"
        assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in invitation.token_hash
        assert db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "organization.invited")
        )
    html = (
        client_as(app, "owner").get(f"/manage/organizations/{world.org_id}").get_data(as_text=True)
    )
    assert "nueva@example.org" in html  # the owner sees whom they invited


def test_invitation_mail_uses_the_invitees_language(app):
    world = build_world(app)
    with app.app_context():
        f.user("english@example.org", locale="en")
    _invite(app, world, "english@example.org")
    subject = app.extensions["outbox"][-1]["Subject"]
    assert subject == translated(
        app, "Invitation to edit %(org)s on Directorio IA", "en", org="Agencia Digital"
    )


def test_bad_or_duplicate_invitations_are_refused(app):
    world = build_world(app)
    client = client_as(app, "owner")
    url = f"/manage/organizations/{world.org_id}/invitations"
    member = client.post(url, data={"email": "Editor@example.org"}, follow_redirects=True)
    assert translated(app, "This person already belongs to the organisation.", "es") in (
        member.get_data(as_text=True)
    )
    for email in ("no-es-correo", "", "x" * 300 + "@example.org"):
        response = client.post(url, data={"email": email}, follow_redirects=True)
        assert response.status_code == 200
        assert 'class="flash flash-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Invitation)) is None
    assert not app.extensions.get("outbox")


def test_a_new_invitation_replaces_the_old_link(app):
    world = build_world(app)
    _invite(app, world)
    first = _link(app)
    _invite(app, world)
    second = _link(app)
    with app.app_context():
        f.user("nueva@example.org")
    client = client_as(app, "nueva")
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_accepting_makes_an_editor_once(app):
    world = build_world(app)
    _invite(app, world)
    path = _link(app)
    with app.app_context():
        f.user("nueva@example.org")
    client = client_as(app, "nueva")
    page = client.get(path)
    assert page.status_code == 200 and "Agencia Digital" in page.get_data(as_text=True)
    response = client.post(path)
    assert response.status_code == 302
    assert response.location.endswith(f"/manage/organizations/{world.org_id}")
    with app.app_context():
        org = db.session.get(Organization, world.org_id)
        roles = {m.user.email: m.role for m in org.memberships}
        assert roles["nueva@example.org"] == "editor"
        assert db.session.scalar(select(Invitation)).accepted_at is not None
        assert db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "organization.invitation_accepted")
        )
    # Single use: the same link now refuses, and adds nothing.
    again = client.post(path)
    assert again.status_code == 404
    assert translated(
        app, "This invitation link is invalid, expired or already used. Ask for a new one.", "es"
    ) in again.get_data(as_text=True)
    assert client.get(f"/manage/organizations/{world.org_id}").status_code == 200
    with app.app_context():
        assert count_memberships(world.org_id) == 3


def count_memberships(org_id: int) -> int:
    return len(
        db.session.scalars(select(Membership).where(Membership.organization_id == org_id)).all()
    )


def test_another_account_is_clearly_refused(app):
    world = build_world(app)
    _invite(app, world)
    path = _link(app)
    client = client_as(app, "outsider")
    for method in ("GET", "POST"):
        response = client.open(path, method=method)
        assert response.status_code == 403
        assert translated(
            app,
            "This invitation was sent to another email address. Log in with the account that "
            "uses that address to accept it.",
            "es",
        ) in response.get_data(as_text=True)
    with app.app_context():
        assert count_memberships(world.org_id) == 2
        assert db.session.scalar(select(Invitation)).accepted_at is None


def test_invitation_needs_login_and_unknown_or_expired_tokens_fail(app):
    world = build_world(app)
    _invite(app, world, "outsider@example.org")
    path = _link(app)
    anonymous = client_as(app, "anonymous").get(path)
    assert anonymous.status_code == 302 and "/login" in anonymous.location
    client = client_as(app, "outsider")
    assert client.get("/invitations/not-a-token").status_code == 404
    assert client.get("/invitations/" + "x" * 5000).status_code == 404
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        invitation.created_at = utcnow() - timedelta(days=30)
        db.session.commit()
    assert client.get(path).status_code == 404


def test_invite_is_for_owners_only(app):
    world = build_world(app)
    expected = {"anonymous": 302, "owner": 302, "editor": 403, "outsider": 403, "rival": 403,
                "curator": 403}  # fmt: skip
    clients = clients_for(app)
    url = f"/manage/organizations/{world.org_id}/invitations"
    check_matrix(clients, "POST", url, expected, data={"email": "x@example.org"})
    check_matrix(clients, "POST", "/manage/organizations/999999/invitations",
                 {**dict.fromkeys(ROLES, 404), "anonymous": 302})  # fmt: skip
    with app.app_context():
        invited = db.session.scalars(select(Invitation)).all()
        assert [i.invited_by_id is not None for i in invited] == [True]


def test_owner_removes_an_editor(app):
    world = build_world(app)
    url = f"/manage/organizations/{world.org_id}/members/{world.editor_membership_id}/remove"
    assert client_as(app, "owner").post(url).status_code == 302
    with app.app_context():
        assert db.session.get(Membership, world.editor_membership_id) is None
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "organization.member_removed")
        )
        assert event.details["role"] == "editor"
    assert client_as(app, "editor").get(f"/manage/organizations/{world.org_id}").status_code == 403


def test_the_last_owner_cannot_be_removed(app):
    world = build_world(app)
    client = client_as(app, "owner")
    url = f"/manage/organizations/{world.org_id}/members/{world.owner_membership_id}/remove"
    response = client.post(url, follow_redirects=True)
    assert translated(
        app, "An organisation needs at least one owner; add another first.", "es"
    ) in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Membership, world.owner_membership_id) is not None
        # With a second owner, the first may leave.
        db.session.get(Membership, world.editor_membership_id).role = "owner"
        db.session.commit()
    response = client.post(url)
    assert response.status_code == 302 and response.location.endswith("/manage/organizations")
    with app.app_context():
        assert db.session.get(Membership, world.owner_membership_id) is None


def test_remove_member_authorisation(app):
    world = build_world(app)
    clients = clients_for(app)
    url = f"/manage/organizations/{world.org_id}/members/{world.editor_membership_id}/remove"
    expected = {"anonymous": 302, "owner": 302, "editor": 403, "outsider": 403, "rival": 403,
                "curator": 403}  # fmt: skip
    # Owner last in the row would remove the editor first; check the refusals before.
    for role in ("anonymous", "editor", "outsider", "rival", "curator"):
        response = clients[role].post(url)
        assert response.status_code == expected[role], role
    with app.app_context():
        assert db.session.get(Membership, world.editor_membership_id) is not None
    # Another organisation's membership id under this org, or an unknown id: 404.
    foreign = f"/manage/organizations/{world.org_id}/members/{world.rival_membership_id}/remove"
    assert clients["owner"].post(foreign).status_code == 404
    assert clients["rival"].post(foreign).status_code == 403
    unknown = f"/manage/organizations/{world.org_id}/members/999999/remove"
    assert clients["owner"].post(unknown).status_code == 404
    with app.app_context():
        assert db.session.get(Membership, world.rival_membership_id) is not None
        assert count(Membership) == 3
    assert clients["owner"].post(url).status_code == 302
