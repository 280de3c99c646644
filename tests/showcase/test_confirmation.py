"""A name appears on a story only once its bearer confirmed (SECURITY.md row 46): an
organisation through its owners or editors, a person for themselves; a decline takes the
name off every page, feed and search."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from directory.extensions import db
from directory.models import AuditEvent, Notification, SuccessStory, User
from directory.models.story_submissions import StoryNaming

from .. import factories as f
from ..helpers import translated
from .conftest import Cast, login, submit


def _publish(app: Flask) -> tuple[int, str]:
    with app.app_context():
        story = db.session.scalar(select(SuccessStory).order_by(SuccessStory.id.desc()))
        story.status = "published"
        db.session.commit()
        return story.id, story.slug


def _naming_ids(app: Flask) -> dict[str, int]:
    with app.app_context():
        rows = db.session.scalars(select(StoryNaming).order_by(StoryNaming.id))
        return {"org" if n.organization_id else "person": n.id for n in rows}


def _public_texts(app: Flask, slug: str) -> list[str]:
    """What anyone reads about the story: its page, the showcase, the feed and search."""
    reader = app.test_client()
    return [
        reader.get(f"/stories/{slug}").get_data(as_text=True),
        reader.get("/stories").get_data(as_text=True),
        reader.get("/stories/feed.atom").get_data(as_text=True),
    ]


def _notified(app: Flask, email: str, kind: str) -> list[Notification]:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        return list(
            db.session.scalars(
                select(Notification).where(
                    Notification.user_id == user.id, Notification.kind == kind
                )
            )
        )


def test_a_named_organisation_appears_only_after_its_editor_confirms(
    app: Flask, cast: Cast
) -> None:
    client = login(app, cast.submitter)
    # By exact name, and the same organisation again by its address: named once.
    lines = f"{cast.org_name.upper()}\n/organizations/{cast.org_slug}"
    assert submit(client, organizations=lines).status_code == 302
    story_id, slug = _publish(app)
    ids = _naming_ids(app)
    assert list(ids) == ["org"]
    for text in _public_texts(app, slug):
        assert cast.org_name not in text
    # The owner and the editor are both asked; an outsider is not.
    for email in ("owner@example.org", cast.editor):
        [note] = _notified(app, email, "story_named")
        assert note.link == f"/me/stories/named/{ids['org']}"
    assert _notified(app, cast.outsider, "story_named") == []
    editor = login(app, cast.editor)
    inbox = editor.get("/me/stories/named").get_data(as_text=True)
    assert 'data-status="waiting"' in inbox
    preview = editor.get(f"/me/stories/named/{ids['org']}").get_data(as_text=True)
    assert "Triaje de urgencias" in preview and 'data-test="confirm-naming"' in preview
    assert editor.post(f"/me/stories/named/{ids['org']}/confirm").status_code == 302
    page, listing, feed = _public_texts(app, slug)
    assert f'href="/organizations/{cast.org_slug}">{cast.org_name}</a>' in page
    assert cast.org_name in listing and f'label="{cast.org_name}"' in feed
    # The submitter hears the answer.
    [answer] = _notified(app, cast.submitter, "story_naming_answer")
    assert answer.params == {"answer": "confirmed"}
    with app.app_context():
        assert (
            db.session.scalar(
                select(AuditEvent.target_id).where(AuditEvent.action == "story_naming.confirmed")
            )
            == story_id
        )


def test_a_decline_removes_the_name_even_after_a_confirmation(app: Flask, cast: Cast) -> None:
    submit(login(app, cast.submitter), organizations=cast.org_name)
    _story_id, slug = _publish(app)
    naming_id = _naming_ids(app)["org"]
    owner = login(app, "owner@example.org")
    owner.post(f"/me/stories/named/{naming_id}/confirm")
    assert cast.org_name in _public_texts(app, slug)[0]
    response = owner.post(f"/me/stories/named/{naming_id}/decline", follow_redirects=True)
    assert 'data-status="declined"' in owner.get("/me/stories/named").get_data(as_text=True)
    assert translated(app, "Done: the name does not appear on the story.", "es") in (
        response.get_data(as_text=True)
    )
    for text in _public_texts(app, slug):
        assert cast.org_name not in text
    with app.app_context():
        story = db.session.scalar(select(SuccessStory))
        assert story.organizations == [] and "kaab" not in story.search_text


def test_a_declined_party_cannot_be_named_again(app: Flask, cast: Cast) -> None:
    client = login(app, cast.submitter)
    submit(client, organizations=cast.org_name)
    naming_id = _naming_ids(app)["org"]
    login(app, cast.editor).post(f"/me/stories/named/{naming_id}/decline")
    with app.app_context():
        story_id = db.session.scalar(select(SuccessStory.id))
    form = client.get(f"/me/stories/{story_id}/edit").get_data(as_text=True)
    assert f"/organizations/{cast.org_slug}" not in form  # its line is not offered again
    again = client.post(f"/me/stories/{story_id}/edit", content_type="multipart/form-data",
                        data={"title_es": "Otra vez", "summary_es": "x",
                              "organizations": cast.org_name})  # fmt: skip
    assert again.status_code == 200
    message = translated(app, "%(name)s declined to be named in this story: take the line out.",
                         "es", name=cast.org_name)  # fmt: skip
    assert message in again.get_data(as_text=True)
    assert len(_notified(app, cast.editor, "story_named")) == 1  # not asked twice


def test_a_person_confirms_for_themselves_and_appears_with_a_link(app: Flask, cast: Cast) -> None:
    submit(login(app, cast.submitter), people=f"http://localhost/people/{cast.person_profile}")
    _story_id, slug = _publish(app)
    naming_id = _naming_ids(app)["person"]
    assert "Itzel Pérez" not in _public_texts(app, slug)[0]
    # Nobody else answers for her, not even a curator.
    for email in (cast.editor, cast.curator):
        other = login(app, email)
        assert other.get(f"/me/stories/named/{naming_id}").status_code == 404
        assert other.post(f"/me/stories/named/{naming_id}/confirm").status_code == 404
    assert "Itzel Pérez" not in _public_texts(app, slug)[0]
    person = login(app, cast.person)
    assert person.post(f"/me/stories/named/{naming_id}/confirm").status_code == 302
    page = _public_texts(app, slug)[0]
    assert f'<a href="/people/{cast.person_profile}">Itzel Pérez</a>' in page
    # Once her profile is private, her name stays (she agreed) but no longer links to it.
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == cast.person))
        user.profile.visibility = "private"
        db.session.commit()
    page = _public_texts(app, slug)[0]
    assert "Itzel Pérez" in page and f"/people/{cast.person_profile}" not in page


def test_only_visible_people_and_published_organisations_can_be_named(
    app: Flask, cast: Cast
) -> None:
    with app.app_context():
        hidden = f.profile(f.user(), visibility="private", full_name="Persona Oculta")
        pending = f.org(f.user(), status="pending", name="Org Pendiente")
        hidden_id, pending_slug = hidden.id, pending.slug
    client = login(app, cast.submitter)
    for fields in (
        {"people": f"/people/{hidden_id}"},
        {"people": "/people/999999999"},
        {"people": "javascript:alert(1)"},
        {"organizations": f"/organizations/{pending_slug}"},
        {"organizations": "Org Pendiente"},
        {"organizations": "\n".join(f"Org {n}" for n in range(11))},
    ):
        response = submit(client, **fields)
        assert response.status_code == 200, fields
    with app.app_context():
        assert db.session.scalar(select(SuccessStory.id)) is None


def test_naming_yourself_needs_no_confirmation(app: Flask, cast: Cast) -> None:
    person = login(app, cast.person)
    submit(person, people=f"/people/{cast.person_profile}")
    with app.app_context():
        [naming] = db.session.scalars(select(StoryNaming))
        assert naming.status == "confirmed"
    assert _notified(app, cast.person, "story_named") == []


def test_notification_text_names_the_story_for_the_party_only(app: Flask, cast: Cast) -> None:
    submit(login(app, cast.submitter), organizations=cast.org_name)
    page = login(app, cast.editor).get("/me/notifications").get_data(as_text=True)
    assert re.search(r"Triaje de urgencias", page)
