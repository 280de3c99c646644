"""Bulk decisions in the moderation queue, and what publishing changes elsewhere."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from directory.models import Challenge, Opening, Organization, Status, SuccessStory

from .test_moderation import Seed, curator_client, events, flashes, record, seed


@pytest.fixture
def world(app: Flask, client: FlaskClient) -> Seed:
    ids = seed(app)
    curator_client(client)
    return ids


# --- bulk ------------------------------------------------------------------------------------


def test_bulk_publish_decides_an_organisation_before_its_posts(app, client, world):
    ids = [f"opening:{world.opening_id}", f"organization:{world.org_id}", f"story:{world.story_id}"]
    client.post("/curation/queue/bulk", data={"action": "publish", "ids": ids})
    assert record(app, Organization, world.org_id).status == Status.PUBLISHED
    assert record(app, Opening, world.opening_id).status == Status.PUBLISHED
    assert record(app, SuccessStory, world.story_id).status == Status.PUBLISHED
    assert record(app, Opening, world.live_opening_id).status == Status.PENDING  # not selected
    assert len(events(app, "opening.published")) == 1


def test_bulk_reject_gives_every_record_the_reason(app, client, world):
    ids = [f"opening:{world.live_opening_id}", f"challenge:{world.challenge_id}"]
    client.post("/curation/queue/bulk",
                data={"action": "reject", "ids": ids, "reason": "Duplicado."})  # fmt: skip
    for model, record_id in ((Opening, world.live_opening_id), (Challenge, world.challenge_id)):
        row = record(app, model, record_id)
        assert (row.status, row.moderation_note) == (Status.REJECTED, "Duplicado.")
    assert [e.details["reason"] for e in events(app, "challenge.rejected")] == ["Duplicado."]


def test_bulk_skips_and_names_what_it_cannot_decide(app, client, world):
    ids = [f"opening:{world.opening_id}", f"story:{world.story_id}"]  # the org is pending
    html = client.post("/curation/queue/bulk", data={"action": "publish", "ids": ids},
                       follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert len(flashes(html, "error")) == 1 and len(flashes(html, "success")) == 1
    assert record(app, Opening, world.opening_id).status == Status.PENDING
    assert record(app, SuccessStory, world.story_id).status == Status.PUBLISHED


@pytest.mark.parametrize(
    "data",
    [
        {"action": "reject", "ids": ["opening:{live}"]},  # no reason
        {"action": "publish", "ids": []},
        {"action": "delete", "ids": ["opening:{live}"]},
        {"action": "publish", "ids": ["opening:{live}", "opening:999999"]},
        {"action": "publish", "ids": ["opening:{live}", "planet:1"]},
        {"action": "publish", "ids": ["opening:{live}", "profile:1"]},
        {"action": "publish", "ids": ["opening:{live}", "opening:abc"]},
    ],
)
def test_bulk_bad_input_changes_nothing(app, client, world, data):
    data = {**data, "ids": [v.format(live=world.live_opening_id) for v in data["ids"]]}
    html = client.post("/curation/queue/bulk", data=data, follow_redirects=True)
    assert html.status_code == 200 and len(flashes(html.get_data(as_text=True), "error")) == 1
    assert record(app, Opening, world.live_opening_id).status == Status.PENDING
    assert events(app, "opening.published") == []


# --- what publishing does elsewhere ------------------------------------------------------


def test_a_published_opening_reaches_the_directory(app, client, world):
    def listed() -> bool:
        html = app.test_client().get("/directory?q=analista+zafiro").get_data(as_text=True)
        return f'href="/openings/{world.live_opening_id}"' in html

    assert not listed()
    client.post(f"/curation/queue/opening/{world.live_opening_id}/publish")
    assert listed()
