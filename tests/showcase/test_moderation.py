"""Submitted stories go through the moderation queue like organisations and posts: curators
publish, reject (with a reason the submitter reads) and feature them."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from directory.extensions import db
from directory.models import AuditEvent, Notification, SuccessStory

from ..helpers import translated
from .conftest import Cast, login, submit


def _story(app: Flask) -> SuccessStory:
    with app.app_context():
        story = db.session.scalar(select(SuccessStory))
        db.session.expunge(story)
        return story


def test_a_submitted_story_waits_in_the_queue_with_its_names(app: Flask, cast: Cast) -> None:
    submit(login(app, cast.submitter), organizations=cast.org_name,
           people=f"/people/{cast.person_profile}")  # fmt: skip
    story = _story(app)
    curator = login(app, cast.curator)
    queue = curator.get("/curation/queue?kind=story").get_data(as_text=True)
    assert f'data-kind="story" data-id="{story.id}"' in queue
    assert 'data-test="count-story">1<' in queue
    named = translated(app, "Named: %(confirmed)d confirmed, %(waiting)d waiting, %(declined)d "
                       "declined. Only confirmed names appear.", "es",
                       confirmed=0, waiting=2, declined=0)  # fmt: skip
    assert named in queue
    # The curator reads the pending story (image and all) before deciding.
    assert curator.get(f"/stories/{story.slug}").status_code == 200


def test_publishing_puts_the_story_on_the_showcase_and_tells_the_submitter(
    app: Flask, cast: Cast
) -> None:
    submit(login(app, cast.submitter))
    story = _story(app)
    curator = login(app, cast.curator)
    response = curator.post(f"/curation/queue/story/{story.id}/publish")
    assert response.status_code == 302
    published = _story(app)
    assert published.status == "published" and published.published_at is not None
    assert story.title_es in app.test_client().get("/stories").get_data(as_text=True)
    with app.app_context():
        note = db.session.scalar(select(Notification).where(Notification.kind == "moderation"))
        assert note is not None and note.params["action"] == "published"
        assert db.session.scalar(
            select(AuditEvent.id).where(AuditEvent.action == "story.published")
        )
    # A second click changes nothing and says why.
    again = curator.post(f"/curation/queue/story/{story.id}/publish", follow_redirects=True)
    refusal = translated(app, "This record is already published; nothing was changed.", "es")
    assert refusal in again.get_data(as_text=True)


def test_a_rejection_reason_reaches_the_submitter_who_can_fix_and_resend(
    app: Flask, cast: Cast
) -> None:
    submitter = login(app, cast.submitter)
    submit(submitter)
    story = _story(app)
    curator = login(app, cast.curator)
    curator.post(f"/curation/queue/story/{story.id}/reject", data={"reason": "Falta la fuente"})
    assert _story(app).status == "rejected"
    mine = submitter.get("/me/stories").get_data(as_text=True)
    assert "Falta la fuente" in mine
    submitter.post(f"/me/stories/{story.id}/edit", content_type="multipart/form-data",
                   data={"title_es": story.title_es, "summary_es": "Con la fuente citada",
                         "url": "https://example.org/fuente"})  # fmt: skip
    assert _story(app).status == "pending"
    assert f'data-id="{story.id}"' in curator.get("/curation/queue").get_data(as_text=True)


def test_curators_feature_a_published_story_on_the_home_page(app: Flask, cast: Cast) -> None:
    submit(login(app, cast.submitter))
    story = _story(app)
    curator = login(app, cast.curator)
    # Not yet published: featuring is refused.
    curator.post(f"/curation/stories/{story.id}/feature")
    assert _story(app).featured is False
    curator.post(f"/curation/queue/story/{story.id}/publish")
    curator.post(f"/curation/stories/{story.id}/feature")
    assert _story(app).featured is True
    home = app.test_client().get("/").get_data(as_text=True)
    assert f'data-test="home-story" data-id="{story.id}"' in home
    showcase = app.test_client().get("/stories").get_data(as_text=True)
    assert 'data-test="featured"' in showcase
    # Members cannot feature or publish.
    member = login(app, cast.outsider)
    assert member.post(f"/curation/stories/{story.id}/unfeature").status_code == 403
    assert _story(app).featured is True
