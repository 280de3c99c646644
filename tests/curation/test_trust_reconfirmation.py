"""Re-confirmation: records unconfirmed for a year are listed, owners are asked by mail,
and owners confirm from their organisation's manage page (curation, issue 5)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from directory.extensions import db
from directory.models import AuditEvent, Membership, Organization, Profile, utcnow

from .. import factories as f
from ..conftest import AuthActions

OLD = timedelta(days=400)


@pytest.fixture
def curator(app: Flask, client: FlaskClient, auth: AuthActions) -> int:
    """A logged-in curator; returns the account's id."""
    with app.app_context():
        user_id = f.user("curator@example.org", role="curator").id
    auth.login("curator@example.org")
    return user_id


def _old_org(app: Flask, owner_email: str = "owner@example.org", **fields: object) -> int:
    with app.app_context():
        owner = f.user(owner_email)
        return f.org(owner, confirmed_at=utcnow() - OLD, **fields).id


def _rows(html: str) -> set[int]:
    return {int(p.split('"')[0]) for p in html.split('data-test="reconfirm-row" data-id="')[1:]}


def _outbox(app: Flask) -> list:
    return app.extensions.get("outbox", [])


def _asked_events(app: Flask, kind: str = "organization") -> list[AuditEvent]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == f"{kind}.reconfirmation_requested")
            )
        )


def test_the_list_holds_published_records_unconfirmed_for_a_year(
    app: Flask, client: FlaskClient, curator: int
) -> None:
    due = _old_org(app)
    with app.app_context():
        fresh = f.org(f.user()).id
        pending = f.org(f.user(), status="pending", confirmed_at=utcnow() - OLD).id
        old_profile = f.profile(confirmed_at=utcnow() - OLD).id
        private = f.profile(visibility="private", confirmed_at=utcnow() - OLD).id
        f.profile()  # confirmed today
    html = client.get("/curation/reconfirmation").get_data(as_text=True)
    assert _rows(html) == {due}
    assert fresh not in _rows(html) and pending not in _rows(html)
    html = client.get("/curation/reconfirmation?kind=profile").get_data(as_text=True)
    assert _rows(html) == {old_profile}
    assert private not in _rows(html)
    # A nonsense kind falls back to organisations rather than failing.
    assert _rows(client.get("/curation/reconfirmation?kind=x&page=-3").get_data(as_text=True)) == {
        due
    }


def test_asking_mails_the_owners_with_the_manage_link_and_is_remembered(
    app: Flask, client: FlaskClient, curator: int
) -> None:
    org_id = _old_org(app)
    with app.app_context():
        editor = f.user("editor@example.org")
        db.session.add(Membership(user=editor, organization_id=org_id, role="editor"))
        db.session.commit()
    response = client.post("/curation/reconfirmation/organization/ask", data={"only": str(org_id)})
    assert response.status_code == 302
    [message] = _outbox(app)  # owners only, not editors
    assert message["To"] == "owner@example.org"
    assert f"/manage/organizations/{org_id}" in message.get_content()
    [event] = _asked_events(app)
    assert (event.actor_id, event.target_id) == (curator, org_id)
    html = client.get("/curation/reconfirmation").get_data(as_text=True)
    assert 'data-test="asked-on">' in html
    assert html.split('data-test="asked-on">')[1].split("</td>")[0].strip() != ""
    assert 'class="muted">' not in html.split('data-test="asked-on">')[1].split("</td>")[0]

    # Asking again within a week sends nothing more.
    client.post("/curation/reconfirmation/organization/ask", data={"ids": [str(org_id)]})
    assert len(_outbox(app)) == 1
    assert len(_asked_events(app)) == 1


def test_bulk_asking_and_records_not_due(app: Flask, client: FlaskClient, curator: int) -> None:
    first = _old_org(app, "a@example.org")
    second = _old_org(app, "b@example.org")
    with app.app_context():
        fresh = f.org(f.user("c@example.org")).id
        orphan = f.org(None, confirmed_at=utcnow() - OLD).id
    client.post(
        "/curation/reconfirmation/organization/ask",
        data={"ids": [str(first), str(second), str(fresh), str(orphan), "999999"]},
    )
    assert sorted(m["To"] for m in _outbox(app)) == ["a@example.org", "b@example.org"]
    assert {e.target_id for e in _asked_events(app)} == {first, second}


def test_asking_profiles_mails_the_person(app: Flask, client: FlaskClient, curator: int) -> None:
    with app.app_context():
        person = f.user("persona@example.org", locale="en")
        profile_id = f.profile(person, confirmed_at=utcnow() - OLD).id
    client.post("/curation/reconfirmation/profile/ask", data={"ids": [str(profile_id)]})
    [message] = _outbox(app)
    assert message["To"] == "persona@example.org"
    assert "/me/profile" in message.get_content()
    [event] = _asked_events(app, "profile")
    assert event.target_id == profile_id


@pytest.mark.parametrize(
    "data",
    [{}, {"ids": ["abc"]}, {"ids": ["-1"]}, {"ids": ["99999999999999999999"]}, {"only": "x"}],
)
def test_bad_selections_change_nothing(
    app: Flask, client: FlaskClient, curator: int, data: dict
) -> None:
    _old_org(app)
    response = client.post("/curation/reconfirmation/organization/ask", data=data)
    assert response.status_code == 302
    assert _outbox(app) == [] and _asked_events(app) == []


def test_an_unknown_kind_is_a_404(client: FlaskClient, curator: int) -> None:
    assert (
        client.post("/curation/reconfirmation/opening/ask", data={"ids": ["1"]}).status_code == 404
    )


def test_the_owner_sees_the_prompt_and_confirms(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    org_id = _old_org(app)
    auth.login("owner@example.org")
    page = client.get(f"/manage/organizations/{org_id}").get_data(as_text=True)
    assert 'data-test="org-reconfirm-notice"' in page
    response = client.post(f"/manage/organizations/{org_id}/confirm")
    assert response.status_code == 302
    with app.app_context():
        confirmed = db.session.get(Organization, org_id).confirmed_at
        assert confirmed > utcnow() - timedelta(minutes=5)
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "organization.confirmed")
        ).all()
        assert [e.target_id for e in events] == [org_id]
    page = client.get(f"/manage/organizations/{org_id}").get_data(as_text=True)
    assert 'data-test="org-reconfirm-notice"' not in page


def test_a_confirmed_org_leaves_the_list_and_its_old_request_no_longer_shows(
    app: Flask, client: FlaskClient, auth: AuthActions, curator: int
) -> None:
    org_id = _old_org(app)
    client.post("/curation/reconfirmation/organization/ask", data={"only": str(org_id)})
    with app.app_context():
        from directory.services import reconfirmation

        org = db.session.get(Organization, org_id)
        assert reconfirmation.asked_on("organization", [org])  # asked, not yet answered
        org.confirmed_at = utcnow()
        db.session.commit()
        assert reconfirmation.asked_on("organization", [org]) == {}
    assert org_id not in _rows(client.get("/curation/reconfirmation").get_data(as_text=True))


def test_outsiders_cannot_confirm(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    org_id = _old_org(app)
    with app.app_context():
        f.user("outsider@example.org")
        before = db.session.get(Organization, org_id).confirmed_at
    assert client.post(f"/manage/organizations/{org_id}/confirm").status_code == 302  # log in
    auth.login("outsider@example.org")
    assert client.post(f"/manage/organizations/{org_id}/confirm").status_code == 403
    assert client.post("/manage/organizations/999999/confirm").status_code == 404
    with app.app_context():
        assert db.session.get(Organization, org_id).confirmed_at == before


def test_saving_the_edit_form_confirms_too(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    org_id = _old_org(app)
    auth.login("owner@example.org")
    with app.app_context():
        org = db.session.get(Organization, org_id)
        data = {"name": org.name, "kind": org.kind, "state_code": org.state_code, "city": ""}
    response = client.post(f"/manage/organizations/{org_id}/edit", data=data)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Organization, org_id).confirmed_at > utcnow() - timedelta(minutes=5)


def test_profiles_of_deactivated_accounts_are_not_listed(
    app: Flask, client: FlaskClient, curator: int
) -> None:
    with app.app_context():
        gone = f.user("gone@example.org", active=False)
        profile_id = f.profile(gone, confirmed_at=utcnow() - OLD).id
        assert db.session.get(Profile, profile_id) is not None
    html = client.get("/curation/reconfirmation?kind=profile").get_data(as_text=True)
    assert profile_id not in _rows(html)
