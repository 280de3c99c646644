"""Chamber verification, chamber membership and featured stories (curation, issue 5)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, format_date
from sqlalchemy import select

from directory.extensions import db
from directory.models import AuditEvent, Organization, SuccessStory, User

from .. import factories as f
from ..conftest import AuthActions, csrf_token_from
from ..helpers import translated


@pytest.fixture
def curator(app: Flask, client: FlaskClient, auth: AuthActions) -> int:
    """A logged-in curator; returns the account's id."""
    with app.app_context():
        user_id = f.user("curator@example.org", role="curator").id
    auth.login("curator@example.org")
    return user_id


def _events(app: Flask, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _org(app: Flask, **fields: object) -> int:
    with app.app_context():
        return f.org(f.user(), **fields).id


# --- verification -----------------------------------------------------------------------


def test_verifying_shows_the_date_on_the_public_page(
    app: Flask, client: FlaskClient, curator: int
) -> None:
    org_id = _org(app, name="Visión Norte")
    page = client.get("/curation/verification").get_data(as_text=True)
    assert f'data-test="org-row" data-id="{org_id}"' in page
    response = client.post(f"/curation/organizations/{org_id}/verify")
    assert response.status_code == 302
    with app.app_context():
        org = db.session.get(Organization, org_id)
        assert org.verified_at is not None and org.verified_by_id == curator
        slug, day = org.slug, org.verified_at
    [event] = _events(app, "organization.verified")
    assert (event.actor_id, event.target_kind, event.target_id) == (curator, "organization", org_id)
    for locale in ("es", "en"):
        client.post("/language", data={"lang": locale})
        html = client.get(f"/organizations/{slug}").get_data(as_text=True)
        with app.test_request_context(), force_locale(locale):
            shown = format_date(day, "long")
        assert 'data-test="verified"' in html
        expected = translated(app, "Verified by the chamber on %(date)s", locale, date=shown)
        assert expected in html  # text: needs es translation
    # The curation list says who verified it.
    assert "curator@example.org" in client.get("/curation/verification?show=verified").get_data(
        as_text=True
    )


def test_unverifying_removes_the_mark(app: Flask, client: FlaskClient, curator: int) -> None:
    org_id = _org(app, verified_at=datetime(2025, 1, 2, tzinfo=UTC))
    client.post(f"/curation/organizations/{org_id}/unverify")
    with app.app_context():
        org = db.session.get(Organization, org_id)
        assert org.verified_at is None and org.verified_by_id is None
        slug = org.slug
    assert 'data-test="verified"' not in client.get(f"/organizations/{slug}").get_data(as_text=True)
    [event] = _events(app, "organization.unverified")
    assert event.details["verified_at"].startswith("2025-01-02")


def test_verifying_twice_changes_nothing(app: Flask, client: FlaskClient, curator: int) -> None:
    when = datetime(2025, 1, 2, tzinfo=UTC)
    org_id = _org(app, verified_at=when)
    client.post(f"/curation/organizations/{org_id}/verify")
    with app.app_context():
        assert db.session.get(Organization, org_id).verified_at == when
    assert _events(app, "organization.verified") == []
    assert client.post("/curation/organizations/999999/verify").status_code == 404


def test_chamber_membership_on_and_off(app: Flask, client: FlaskClient, curator: int) -> None:
    org_id = _org(app)
    client.post(f"/curation/organizations/{org_id}/chamber-member", data={"member": "1"})
    with app.app_context():
        org = db.session.get(Organization, org_id)
        assert org.chamber_member is True
        slug = org.slug
    assert 'data-test="chamber-member"' in client.get(f"/organizations/{slug}").get_data(
        as_text=True
    )
    client.post(f"/curation/organizations/{org_id}/chamber-member", data={"member": "0"})
    with app.app_context():
        assert db.session.get(Organization, org_id).chamber_member is False
    assert len(_events(app, "organization.chamber_member")) == 1
    assert len(_events(app, "organization.chamber_member_removed")) == 1


@pytest.mark.parametrize("value", ["", "yes", "2", "\x00"])
def test_chamber_membership_refuses_bad_values(
    app: Flask, client: FlaskClient, curator: int, value: str
) -> None:
    org_id = _org(app)
    response = client.post(
        f"/curation/organizations/{org_id}/chamber-member", data={"member": value}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Organization, org_id).chamber_member is False
    assert _events(app, "organization.chamber_member") == []


def test_verification_list_filters(app: Flask, client: FlaskClient, curator: int) -> None:
    verified = _org(app, name="Alfa Verificada", verified_at=datetime(2025, 1, 2, tzinfo=UTC))
    member = _org(app, name="Beta Socia", chamber_member=True)
    rejected = _org(app, name="Gamma Rechazada", status="rejected")

    def ids(query: str) -> set[str]:
        html = client.get("/curation/verification" + query).get_data(as_text=True)
        return {part.split('"')[0] for part in html.split('data-test="org-row" data-id="')[1:]}

    assert ids("") == {str(verified), str(member)}  # rejected ones are not listed
    assert ids("?show=verified") == {str(verified)}
    assert ids("?show=unverified") == {str(member)}
    assert ids("?show=members") == {str(member)}
    assert ids("?q=alfa") == {str(verified)}
    assert ids("?show=nonsense&page=abc") == {str(verified), str(member)}
    assert str(rejected) not in ids("?q=gamma")


def test_the_redirect_stays_on_the_site(app: Flask, client: FlaskClient, curator: int) -> None:
    org_id = _org(app)
    response = client.post(
        f"/curation/organizations/{org_id}/verify", data={"next": "//evil.example/x"}
    )
    assert response.headers["Location"].endswith("/curation/verification")
    response = client.post(
        f"/curation/organizations/{org_id}/unverify",
        data={"next": "/curation/verification?show=verified&page=2"},
    )
    assert response.headers["Location"].endswith("/curation/verification?show=verified&page=2")


def test_actions_need_the_csrf_token(
    app: Flask, client: FlaskClient, curator: int, csrf_on: None
) -> None:
    org_id = _org(app)
    assert client.post(f"/curation/organizations/{org_id}/verify").status_code == 400
    page = client.get("/curation/verification").get_data(as_text=True)
    token = csrf_token_from(page)
    client.post(f"/curation/organizations/{org_id}/verify", data={"csrf_token": token})
    with app.app_context():
        assert db.session.get(Organization, org_id).verified_at is not None


def test_names_are_escaped_in_the_list(app: Flask, client: FlaskClient, curator: int) -> None:
    _org(app, name='"><svg onload=alert(1)>')
    html = client.get("/curation/verification").get_data(as_text=True)
    assert "<svg onload" not in html
    assert "&lt;svg onload=alert(1)&gt;" in html


# --- featured stories -------------------------------------------------------------------


def _story(app: Flask, **fields: object) -> int:
    with app.app_context():
        return f.story(**fields).id


def test_featuring_puts_a_story_on_the_home_page_and_first_in_the_showcase(
    app: Flask, client: FlaskClient, curator: int
) -> None:
    older = _story(app)
    newer = _story(app)
    assert 'data-test="home-story"' not in client.get("/").get_data(as_text=True)
    with app.app_context():
        db.session.get(SuccessStory, older).published_at = datetime(2024, 1, 1, tzinfo=UTC)
        db.session.commit()
    client.post(f"/curation/stories/{older}/feature")
    with app.app_context():
        assert db.session.get(SuccessStory, older).featured is True
    home = client.get("/").get_data(as_text=True)
    assert f'data-test="home-story" data-id="{older}"' in home
    assert f'data-id="{newer}"' not in home
    showcase = client.get("/stories").get_data(as_text=True)
    with app.app_context():
        older_title = db.session.get(SuccessStory, older).title_es
        newer_title = db.session.get(SuccessStory, newer).title_es
    # Featured first even though it is older, and marked.
    assert showcase.index(older_title) < showcase.index(newer_title)
    assert showcase.count('data-test="featured"') == 1
    [event] = _events(app, "story.featured")
    assert (event.actor_id, event.target_kind, event.target_id) == (curator, "story", older)

    client.post(f"/curation/stories/{older}/unfeature")
    assert 'data-test="home-story"' not in client.get("/").get_data(as_text=True)
    assert len(_events(app, "story.unfeatured")) == 1


def test_only_published_stories_can_be_featured(
    app: Flask, client: FlaskClient, curator: int
) -> None:
    pending = _story(app, status="pending")
    client.post(f"/curation/stories/{pending}/feature")
    with app.app_context():
        assert db.session.get(SuccessStory, pending).featured is False
    assert _events(app, "story.featured") == []
    assert client.post("/curation/stories/999999/feature").status_code == 404
    listing = client.get("/curation/stories").get_data(as_text=True)
    assert f'data-id="{pending}"' not in listing


def test_members_cannot_feature(app: Flask, client: FlaskClient, auth: AuthActions) -> None:
    story_id = _story(app)
    with app.app_context():
        f.user("member@example.org")
    auth.login("member@example.org")
    assert client.post(f"/curation/stories/{story_id}/feature").status_code == 403
    with app.app_context():
        assert db.session.get(SuccessStory, story_id).featured is False
        assert db.session.scalar(select(User).where(User.role == "curator")) is None
