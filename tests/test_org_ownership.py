"""Handing an organisation to another member (issue 16): owners only, to a current member
only, confirmed first, audited and notified; an organisation never ends up without an owner."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import AuditEvent, Membership, Notification, Organization
from directory.services import members
from directory.services.orgs import InvalidInput

from .conftest import csrf_token_from
from .helpers import translated
from .test_orgs import (
    ROLES,
    build_world,
    check_matrix,
    client_as,
    client_as_with_csrf,
    clients_for,
)


def _url(world) -> str:
    return f"/manage/organizations/{world.org_id}/transfer"


def _roles(app, org_id: int) -> dict[str, str]:
    with app.app_context():
        rows = db.session.execute(
            select(Membership.user_id, Membership.role).where(Membership.organization_id == org_id)
        ).all()
        emails = {m.user_id: m.user.email for m in db.session.scalars(select(Membership))}
        return {emails[user_id]: role for user_id, role in rows}


def _owners(app, org_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.organization_id == org_id, Membership.role == "owner")
        )


def test_the_owner_confirms_then_hands_over_and_becomes_an_editor(app):
    world = build_world(app)
    owner = client_as(app, "owner")
    page = owner.get(_url(world)).get_data(as_text=True)
    assert 'data-test="transfer-form"' in page
    assert "editor@example.org" in page  # the only other member is the one offered
    # First step: the confirmation, nothing changed yet.
    step = owner.post(_url(world), data={"member": world.editor_membership_id})
    html = step.get_data(as_text=True)
    assert step.status_code == 200 and 'data-test="transfer-confirm"' in html
    assert 'data-test="transfer-you-editor"' in html
    assert _roles(app, world.org_id) == {
        "owner@example.org": "owner",
        "editor@example.org": "editor",
    }
    # Second step: confirmed.
    done = owner.post(_url(world), data={"member": world.editor_membership_id, "confirmed": "yes"})
    assert done.status_code == 302
    assert _roles(app, world.org_id) == {
        "owner@example.org": "editor",
        "editor@example.org": "owner",
    }
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "organization.ownership_transferred")
        )
        assert event is not None and event.target_id == world.org_id
        assert event.details["previous_owner_role"] == "editor"
        editor_id = db.session.get(Membership, world.editor_membership_id).user_id
        notice = db.session.scalar(select(Notification).where(Notification.kind == "claim_decided"))
        assert notice is not None and notice.user_id == editor_id
        assert (notice.record_kind, notice.record_id) == ("organization", world.org_id)
        assert notice.link == f"/manage/organizations/{world.org_id}"
    mail = app.extensions["outbox"][-1]
    assert mail["To"] == "editor@example.org"
    assert "Agencia Digital" in mail["Subject"]
    # The former owner now edits but no longer manages members (nor transfers again).
    assert owner.get(f"/manage/organizations/{world.org_id}/edit").status_code == 200
    assert owner.get(_url(world)).status_code == 403
    assert client_as(app, "editor").get(_url(world)).status_code == 200


def test_the_owner_may_stay_an_owner_too(app):
    world = build_world(app)
    owner = client_as(app, "owner")
    step = owner.post(_url(world), data={"member": world.editor_membership_id, "stay_owner": "y"})
    assert 'data-test="transfer-you-stay"' in step.get_data(as_text=True)
    owner.post(
        _url(world),
        data={"member": world.editor_membership_id, "stay_owner": "y", "confirmed": "yes"},
    )
    assert _roles(app, world.org_id) == {
        "owner@example.org": "owner",
        "editor@example.org": "owner",
    }


def test_only_owners_may_transfer(app):
    world = build_world(app)
    clients = clients_for(app)
    expected = {"anonymous": 302, "owner": 200, "editor": 403, "outsider": 403, "rival": 403,
                "curator": 403}  # fmt: skip
    check_matrix(clients, "GET", _url(world), expected)
    data = {"member": world.editor_membership_id, "confirmed": "yes"}
    for role in ROLES:
        if role == "owner":
            continue
        clients[role].post(_url(world), data=data)
    assert _roles(app, world.org_id)["editor@example.org"] == "editor"
    assert client_as(app, "owner").get("/manage/organizations/999999/transfer").status_code == 404


@pytest.mark.parametrize("member", ["rival", "owner", "999999", "abc", ""])
def test_only_a_current_member_other_than_oneself_can_become_owner(app, member):
    world = build_world(app)
    ids = {"rival": world.rival_membership_id, "owner": world.owner_membership_id}
    response = client_as(app, "owner").post(
        _url(world), data={"member": ids.get(member, member), "confirmed": "yes"}
    )
    assert response.status_code == 200  # the form again, with its error
    assert 'class="errors"' in response.get_data(as_text=True)
    assert _roles(app, world.org_id) == {
        "owner@example.org": "owner",
        "editor@example.org": "editor",
    }
    with app.app_context():
        rival_org = db.session.get(Organization, world.other_org_id)
        assert rival_org.memberships[0].role == "owner"


def test_with_nobody_else_the_page_says_to_invite_first(app):
    world = build_world(app)
    with app.app_context():
        db.session.delete(db.session.get(Membership, world.editor_membership_id))
        db.session.commit()
    page = client_as(app, "owner").get(_url(world)).get_data(as_text=True)
    assert 'data-test="transfer-no-members"' in page
    assert 'data-test="transfer-form"' not in page


def test_the_service_never_leaves_an_organisation_without_an_owner(app):
    world = build_world(app)
    with app.app_context():
        org = db.session.get(Organization, world.org_id)
        owner = db.session.get(Membership, world.owner_membership_id)
        editor = db.session.get(Membership, world.editor_membership_id)
        with pytest.raises(InvalidInput):  # to oneself
            members.transfer_ownership(org, owner, actor=owner.user, stay_owner=False)
        with pytest.raises(InvalidInput):  # by an editor
            members.transfer_ownership(org, owner, actor=editor.user, stay_owner=False)
        editor.user.active = False
        with pytest.raises(InvalidInput):  # to a deactivated account
            members.transfer_ownership(org, editor, actor=owner.user, stay_owner=False)
        db.session.rollback()
        members.transfer_ownership(org, editor, actor=owner.user, stay_owner=False)
        db.session.commit()
        assert members.owner_count(org) == 1
        # The new (only) owner cannot be removed, and the old one cannot come back as owner
        # by transferring (they are an editor now).
        with pytest.raises(InvalidInput):
            members.remove_member(editor, actor=editor.user)
        with pytest.raises(InvalidInput):
            members.transfer_ownership(org, owner, actor=owner.user, stay_owner=False)
    assert _owners(app, world.org_id) == 1


def test_transfer_needs_a_csrf_token(app, csrf_on):
    world = build_world(app)
    client = client_as_with_csrf(app, "owner")
    data = {"member": world.editor_membership_id, "confirmed": "yes"}
    assert client.post(_url(world), data=data).status_code == 400
    assert _roles(app, world.org_id)["editor@example.org"] == "editor"
    page = client.get(_url(world)).get_data(as_text=True)
    assert (
        client.post(_url(world), data={**data, "csrf_token": csrf_token_from(page)}).status_code
        == 302
    )
    assert _roles(app, world.org_id)["editor@example.org"] == "owner"


def test_the_pages_speak_english_too(app):
    world = build_world(app)
    owner = client_as(app, "owner")
    owner.set_cookie("lang", "en")
    page = owner.get(_url(world)).get_data(as_text=True)
    assert "Transfer ownership of Agencia Digital" in page
    owner.set_cookie("lang", "es")
    page = owner.get(_url(world)).get_data(as_text=True)
    expected = translated(app, "Transfer ownership of %(org)s", "es", org="Agencia Digital")
    assert expected in page
