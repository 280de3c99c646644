"""The moderation queue: publish, reject with a reason, bulk actions, and bad input.

`Seed`, `seed`, `events` and `curator_client` are shared with test_moderation_reports.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from directory.extensions import db
from directory.models import (
    AuditEvent,
    Opening,
    Organization,
    Status,
    SuccessStory,
    utcnow,
)

from .. import factories as f
from ..conftest import PASSWORD, csrf_token_from


@dataclass
class Seed:
    """Ids of a pending organisation with a pending opening, and other pending records."""

    curator_id: int
    owner_id: int
    org_id: int  # pending, oldest
    opening_id: int  # pending, under the pending org
    live_org_id: int  # published
    live_opening_id: int  # pending, under the published org
    challenge_id: int  # pending, under the published org
    story_id: int  # pending


def seed(app: Flask) -> Seed:
    """Pending records of every kind, created a day apart (the organisation first)."""
    with app.app_context():
        curator = f.user("curator@example.org", role="curator")
        owner = f.user("owner@example.org")
        org = f.org(owner, status=Status.PENDING, name="Visión Norte")
        live = f.org(owner, kind="government_agency", name="Agencia Digital")
        opening = f.opening(org, status=Status.PENDING, title="Ingeniería zafiro")
        live_opening = f.opening(live, status=Status.PENDING, title="Analista zafiro")
        challenge = f.challenge(live, status=Status.PENDING)
        story = f.story(status=Status.PENDING)
        start = utcnow() - timedelta(days=10)
        for days, record in enumerate([org, opening, live_opening, challenge, story]):
            record.created_at = start + timedelta(days=days)
        db.session.commit()
        return Seed(curator.id, owner.id, org.id, opening.id, live.id, live_opening.id,
                    challenge.id, story.id)  # fmt: skip


def events(app: Flask, action: str) -> list[AuditEvent]:
    """Audit events of one action, oldest first."""
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).all()
        db.session.expunge_all()
        return list(rows)


def curator_client(client: FlaskClient) -> FlaskClient:
    """The test client logged in as the seeded curator."""
    client.post("/login", data={"email": "curator@example.org", "password": PASSWORD})
    client.get("/curation/")  # shows (and so clears) the log-in flash
    return client


def owner_client(app: Flask) -> FlaskClient:
    """A second client logged in as the seeded owner."""
    other = app.test_client()
    other.post("/login", data={"email": "owner@example.org", "password": PASSWORD})
    return other


def record(app: Flask, model: type, record_id: int) -> object:
    """A fresh, detached copy of a record."""
    with app.app_context():
        row = db.session.get(model, record_id)
        db.session.expunge_all()
        return row


def flashes(html: str, category: str) -> list[str]:
    """The flash messages of a category on a page."""
    return re.findall(rf'class="flash flash-{category}">([^<]*)<', html)


@pytest.fixture
def world(app: Flask, client: FlaskClient) -> Seed:
    ids = seed(app)
    curator_client(client)
    return ids


# --- the queue -------------------------------------------------------------------------------


def _rows(html: str) -> list[tuple[str, int]]:
    found = re.findall(r'data-test="queue-row" data-kind="(\w+)" data-id="(\d+)"', html)
    return [(kind, int(record_id)) for kind, record_id in found]


@pytest.mark.parametrize("locale", ["es", "en"])
def test_queue_lists_everything_pending_oldest_first(app, client, world, locale):
    with app.app_context():
        f.opening(db.session.get(Organization, world.live_org_id))  # published: not listed
    client.set_cookie("lang", locale)
    page = client.get("/curation/queue")
    assert page.status_code == 200
    assert _rows(page.get_data(as_text=True)) == [
        ("organization", world.org_id),
        ("opening", world.opening_id),
        ("opening", world.live_opening_id),
        ("challenge", world.challenge_id),
        ("story", world.story_id),
    ]


def test_queue_filters_by_kind_and_ignores_unknown_kinds(client, world):
    html = client.get("/curation/queue?kind=opening").get_data(as_text=True)
    assert _rows(html) == [("opening", world.opening_id), ("opening", world.live_opening_id)]
    assert 'data-test="count-opening">2<' in html
    assert len(_rows(client.get("/curation/queue?kind=planet&page=x").get_data(as_text=True))) == 5


def test_queue_pages_keep_the_order(app, client, world):
    with app.app_context():
        for _ in range(50):
            f.story(status=Status.PENDING)  # newer than every seeded record
    first = _rows(client.get("/curation/queue").get_data(as_text=True))
    second = _rows(client.get("/curation/queue?page=2").get_data(as_text=True))
    assert len(first) == 50 and len(second) == 5
    assert first[0] == ("organization", world.org_id)
    assert not set(first) & set(second)
    assert _rows(client.get("/curation/queue?page=99").get_data(as_text=True)) == second


def test_queue_rows_link_to_the_record_and_flag_a_hidden_organisation(client, world):
    html = client.get("/curation/queue").get_data(as_text=True)
    assert f'href="/openings/{world.opening_id}" data-test="view"' in html
    assert html.count('data-test="org-not-published"') == 1  # only the post of the pending org
    assert client.get(f"/openings/{world.opening_id}").status_code == 200  # curators may look


def test_names_are_escaped_in_the_queue(app, client, world):
    with app.app_context():
        f.org(status=Status.PENDING, name='"><svg onload=alert(1)>')
    html = client.get("/curation/queue?kind=organization").get_data(as_text=True)
    assert "<svg onload" not in html and "&#34;&gt;&lt;svg onload" in html


# --- one decision ----------------------------------------------------------------------------


def test_publish_an_organisation(app, client, world):
    with app.app_context():
        db.session.get(Organization, world.org_id).moderation_note = "old reason"
        db.session.commit()
    response = client.post(f"/curation/queue/organization/{world.org_id}/publish")
    assert response.status_code == 302 and "/curation/queue" in response.headers["Location"]
    org = record(app, Organization, world.org_id)
    assert org.status == Status.PUBLISHED
    assert org.published_at is not None and org.moderated_at is not None
    assert org.moderation_note == ""
    [event] = events(app, "organization.published")
    assert (event.actor_id, event.target_kind, event.target_id) == (
        world.curator_id, "organization", world.org_id)  # fmt: skip
    [mail] = app.extensions["outbox"]
    assert mail["To"] == "owner@example.org" and "Visión Norte" in mail["Subject"]


def test_reject_an_opening_the_owner_reads_why(app, client, world):
    reason = "Falta el rango salarial."
    client.post(f"/curation/queue/opening/{world.live_opening_id}/reject", data={"reason": reason})
    opening = record(app, Opening, world.live_opening_id)
    assert opening.status == Status.REJECTED and opening.moderation_note == reason
    assert opening.moderated_at is not None and opening.published_at is None
    [event] = events(app, "opening.rejected")
    assert event.actor_id == world.curator_id and event.details["reason"] == reason
    [mail] = app.extensions["outbox"]
    assert mail["To"] == "owner@example.org" and reason in mail.get_content()
    manage = owner_client(app).get(f"/manage/organizations/{world.live_org_id}")
    assert 'data-test="opening-moderation-note"' in manage.get_data(as_text=True)
    assert reason in manage.get_data(as_text=True)


def test_a_rejected_organisation_shows_its_reason_to_its_owner(app, client, world):
    client.post(f"/curation/queue/organization/{world.org_id}/reject",
                data={"reason": "No encontramos el sitio web."})  # fmt: skip
    html = owner_client(app).get(f"/manage/organizations/{world.org_id}").get_data(as_text=True)
    assert re.search(r'data-test="org-moderation-note">[^<]*No encontramos el sitio web\.', html)


def test_a_post_of_an_unpublished_organisation_cannot_be_published(app, client, world):
    html = client.post(f"/curation/queue/opening/{world.opening_id}/publish",
                       follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert len(flashes(html, "error")) == 1
    assert record(app, Opening, world.opening_id).status == Status.PENDING
    assert events(app, "opening.published") == [] and app.extensions.get("outbox", []) == []


def test_a_second_decision_changes_nothing(app, client, world):
    url = f"/curation/queue/story/{world.story_id}"
    client.post(url + "/publish")
    first = record(app, SuccessStory, world.story_id)
    html = client.post(url + "/reject", data={"reason": "tarde"}, follow_redirects=True)
    assert len(flashes(html.get_data(as_text=True), "error")) == 1
    client.post(url + "/publish")
    story = record(app, SuccessStory, world.story_id)
    assert story.status == Status.PUBLISHED and story.moderated_at == first.moderated_at
    assert len(events(app, "story.published")) == 1 and events(app, "story.rejected") == []


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/curation/queue/opening/{live}/reject", {}),
        ("/curation/queue/opening/{live}/reject", {"reason": "  \x00 "}),
        ("/curation/queue/opening/{live}/reject", {"reason": "x" * 2001}),
        ("/curation/queue/opening/999999/publish", {}),
        ("/curation/queue/planet/{live}/publish", {}),
        ("/curation/queue/profile/{live}/publish", {}),
        ("/curation/queue/organization/{live}/reject", {"reason": "ya publicada"}),
    ],
)
def test_bad_input_is_refused_without_changes(app, client, world, url, data):
    response = client.post(url.format(live=world.live_opening_id), data=data)
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert len(flashes(html, "error")) == 1
    assert record(app, Opening, world.live_opening_id).status == Status.PENDING
    with app.app_context():
        moderated = db.session.scalars(select(AuditEvent.action)).all()
    assert not [action for action in moderated if action.endswith(("published", "rejected"))]


def test_decisions_need_the_csrf_token(app, client, world, csrf_on):
    response = client.post(f"/curation/queue/organization/{world.org_id}/publish")
    assert response.status_code == 400
    assert record(app, Organization, world.org_id).status == Status.PENDING
    token = csrf_token_from(client.get("/curation/queue").get_data(as_text=True))
    client.post(f"/curation/queue/organization/{world.org_id}/publish",
                data={"csrf_token": token})  # fmt: skip
    assert record(app, Organization, world.org_id).status == Status.PUBLISHED
