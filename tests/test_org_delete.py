"""Deleting an organisation that never went public (issue 16): owners only, its name typed
to confirm, CSRF, audited; and account deletion removes such an organisation instead of
refusing to delete the account."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import (
    AuditEvent,
    Challenge,
    Invitation,
    Membership,
    Notification,
    Opening,
    Organization,
    PendingRevision,
    Status,
    User,
)
from directory.models.procurement import InnovationUnit
from directory.services import org_deletion

from . import factories as f
from .conftest import PASSWORD, csrf_token_from
from .helpers import translated
from .test_orgs import client_as, client_as_with_csrf

NAME = "Laboratorio Borrable"


def _count(model: Any, *where: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _world(app: Flask, status: str = Status.REJECTED) -> dict[str, int]:
    """An unpublished agency with drafts of every kind, an editor, and a bystander org."""
    with app.app_context():
        owner = f.user("owner@example.org")
        editor = f.user("editor@example.org")
        f.user("outsider@example.org")
        f.user("curator@example.org", role="curator")
        org = f.org(owner, status=status, kind="government_agency", name=NAME,
                    editors=(editor,))  # fmt: skip
        opening = f.opening(org, status=Status.PENDING)
        challenge = f.challenge(org, status=Status.DRAFT)
        f.unit(org, name="Unidad borrable")
        db.session.add(Invitation(organization=org, email="x@example.org", token_hash="a" * 64))
        db.session.add(
            PendingRevision(
                kind="organization",
                record_id=org.id,
                values={"name": "X"},
                submitted_by_id=owner.id,
            )  # fmt: skip
        )
        db.session.add(Notification(user_id=owner.id, kind="moderation",
                                    record_kind="organization", record_id=org.id,
                                    params={"action": "rejected"}))  # fmt: skip
        keep = f.org(f.user("other@example.org"), name="Se queda")
        f.opening(keep)
        db.session.commit()
        return {"org": org.id, "opening": opening.id, "challenge": challenge.id, "keep": keep.id}


def _url(ids: dict[str, int]) -> str:
    return f"/manage/organizations/{ids['org']}/delete"


def _exists(app: Flask, org_id: int) -> bool:
    with app.app_context():
        return db.session.get(Organization, org_id) is not None


def test_the_owner_types_the_name_and_everything_of_it_goes(app):
    ids = _world(app)
    owner = client_as(app, "owner")
    manage = owner.get(f"/manage/organizations/{ids['org']}").get_data(as_text=True)
    assert 'data-test="delete-org-link"' in manage
    page = owner.get(_url(ids)).get_data(as_text=True)
    assert 'data-test="delete-org-form"' in page and NAME in page
    response = owner.post(_url(ids), data={"name": "  laboratorio   BORRABLE "})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/manage/organizations"
    )
    with app.app_context():
        assert db.session.get(Organization, ids["org"]) is None
        assert db.session.get(Opening, ids["opening"]) is None
        assert db.session.get(Challenge, ids["challenge"]) is None
        assert _count(Membership, Membership.organization_id == ids["org"]) == 0
        assert _count(Invitation) == 0 and _count(InnovationUnit) == 0
        assert _count(PendingRevision) == 0
        assert _count(Notification, Notification.record_kind == "organization") == 0
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "organization.deleted")
        )
        assert event.target_id == ids["org"] and event.details["name"] == NAME
        assert event.details["openings"] == 1 and event.details["challenges"] == 1
        # The bystander is untouched, and no foreign key points at nothing.
        assert db.session.get(Organization, ids["keep"]) is not None
        assert _count(Opening) == 1
        # PostgreSQL refuses a dangling row at commit; SQLite is asked to list any.
        if db.engine.dialect.name == "sqlite":
            assert not db.session.execute(db.text("PRAGMA foreign_key_check")).all()
    assert owner.get(f"/manage/organizations/{ids['org']}").status_code == 404


def test_a_wrong_name_deletes_nothing(app):
    ids = _world(app)
    response = client_as(app, "owner").post(_url(ids), data={"name": "Otro nombre"})
    assert response.status_code == 200
    assert translated(app, "The name does not match; nothing was deleted.", "es") in (
        response.get_data(as_text=True)
    )
    assert _exists(app, ids["org"])


@pytest.mark.parametrize("status", [Status.PENDING, Status.REJECTED, Status.DRAFT])
def test_never_published_organisations_can_be_deleted(app, status):
    ids = _world(app, status)
    client_as(app, "owner").post(_url(ids), data={"name": NAME})
    assert not _exists(app, ids["org"])


@pytest.mark.parametrize("what", ["published_org", "archived_org", "published_post",
                                  "archived_post", "published_story"])  # fmt: skip
def test_anything_ever_public_keeps_the_organisation(app, what):
    ids = _world(app)
    with app.app_context():
        org = db.session.get(Organization, ids["org"])
        if what.endswith("_org"):
            org.status = what.split("_")[0]
        elif what.endswith("_post"):
            db.session.get(Opening, ids["opening"]).status = what.split("_")[0]
        else:
            f.story(organizations=[org])
        db.session.commit()
        assert org_deletion.deletion_refusal(org) is not None
    owner = client_as(app, "owner")
    manage = owner.get(f"/manage/organizations/{ids['org']}").get_data(as_text=True)
    assert (
        'data-test="delete-unavailable"' in manage and 'data-test="delete-org-link"' not in manage
    )
    assert 'data-test="delete-org-refused"' in owner.get(_url(ids)).get_data(as_text=True)
    assert owner.post(_url(ids), data={"name": NAME}).status_code == 409
    assert _exists(app, ids["org"])


def test_only_owners_may_delete(app):
    ids = _world(app)
    expected = {"anonymous": 302, "editor": 403, "outsider": 404, "curator": 403}
    for role, status in expected.items():
        client = client_as(app, role)
        assert client.get(_url(ids)).status_code == status, role
        assert client.post(_url(ids), data={"name": NAME}).status_code == status, role
    assert _exists(app, ids["org"])
    editor = client_as(app, "editor").get(f"/manage/organizations/{ids['org']}")
    assert 'data-test="owner-actions"' not in editor.get_data(as_text=True)


def test_deleting_needs_a_csrf_token(app, csrf_on):
    ids = _world(app)
    client = client_as_with_csrf(app, "owner")
    assert client.post(_url(ids), data={"name": NAME}).status_code == 400
    assert _exists(app, ids["org"])
    token = csrf_token_from(client.get(_url(ids)).get_data(as_text=True))
    assert client.post(_url(ids), data={"name": NAME, "csrf_token": token}).status_code == 302
    assert not _exists(app, ids["org"])


# --- account deletion --------------------------------------------------------------------


def _delete_account(client) -> Any:
    return client.post("/me/privacy/delete", data={"password": PASSWORD, "confirm": "y"})


def test_account_deletion_takes_the_rejected_organisation_along(app):
    with app.app_context():
        ana = f.user("ana@example.org")
        org = f.org(ana, status=Status.REJECTED, name="Rechazada de Ana")
        f.opening(org, status=Status.PENDING)
        org_id = org.id
    client = client_as(app, "ana")
    page = client.get("/me/privacy/delete").get_data(as_text=True)
    assert 'data-test="delete-blocked"' not in page
    assert 'data-test="org-deleted-with-account"' in page and "Rechazada de Ana" in page
    response = _delete_account(client)
    assert response.status_code == 302
    with app.app_context():
        assert _count(User, User.email == "ana@example.org") == 0
        assert db.session.get(Organization, org_id) is None
        assert _count(Opening) == 0
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "organization.deleted")
        )
        assert event.details["reason"] == "account_deleted" and event.actor_id is None


def test_account_deletion_still_stops_at_organisations_that_need_a_new_owner(app):
    with app.app_context():
        ana = f.user("ana@example.org")
        f.org(ana, status=Status.REJECTED, name="Con editora", editors=(f.user("ed@example.org"),))
        f.org(ana, name="Publicada")
        f.org(ana, status=Status.PENDING, name="Sola pendiente")
    client = client_as(app, "ana")
    page = client.get("/me/privacy/delete").get_data(as_text=True)
    assert page.count('data-test="blocking-org"') == 2
    assert "Con editora" in page and "Publicada" in page
    assert 'data-test="blocking-org-transfer"' in page  # each one links to its transfer page
    _delete_account(client)
    with app.app_context():
        assert _count(User, User.email == "ana@example.org") == 1
        assert _count(Organization) == 3
