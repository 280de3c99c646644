"""Members and organisations submit success stories in Spanish, English or both, and change
them until a curator publishes them."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from directory.extensions import db
from directory.models import AuditEvent, SuccessStory

from ..helpers import translated
from .conftest import Cast, login, submit


def _story(app: Flask) -> SuccessStory:
    with app.app_context():
        story = db.session.scalar(select(SuccessStory).order_by(SuccessStory.id.desc()))
        assert story is not None
        db.session.expunge(story)
        return story


def test_a_member_submits_a_story_that_waits_for_review(app: Flask, cast: Cast) -> None:
    client = login(app, cast.submitter)
    response = submit(client)
    assert response.status_code == 302 and response.location == "/me/stories"
    story = _story(app)
    assert story.status == "pending" and story.title_es.startswith("Triaje")
    assert story.title_en == "" and story.impact == [
        {"label_es": "Menos espera", "label_en": "", "value": "-30%"}
    ]
    with app.app_context():
        [event] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "story.submitted")
        )
        assert event.target_id == story.id
    mine = client.get("/me/stories").get_data(as_text=True)
    assert 'data-test="my-story"' in mine and 'data-status="pending"' in mine
    assert 'data-test="edit-story"' in mine
    # Not public until a curator publishes it: anonymous readers get a 404.
    assert app.test_client().get(f"/stories/{story.slug}").status_code == 404
    assert story.title_es not in app.test_client().get("/stories").get_data(as_text=True)


@pytest.mark.parametrize("locale", ["es", "en"])
def test_a_story_in_one_language_says_so_in_the_readers_language(
    app: Flask, cast: Cast, locale: str
) -> None:
    client = login(app, cast.submitter)
    english_only = {
        "title_es": "", "summary_es": "", "body_es": "", "impact_label_es": "",
        "title_en": "Flood alerts in Tabasco", "summary_en": "Warnings 6 hours earlier.",
        "body_en": "A model reads *river gauges*.", "impact_label_en": "Earlier warning",
    }  # fmt: skip
    assert submit(client, **english_only).status_code == 302
    story = _story(app)
    assert story.slug == "flood-alerts-in-tabasco" and story.languages() == ("en",)
    with app.app_context():
        db.session.get(SuccessStory, story.id).status = "published"
        db.session.commit()
    reader = app.test_client()
    reader.set_cookie("lang", locale)
    page = reader.get(f"/stories/{story.slug}").get_data(as_text=True)
    assert "Flood alerts in Tabasco" in page and "<em>river gauges</em>" in page
    assert "Earlier warning" in page  # the label that exists, in either language
    notice = "This story has no Spanish version yet: here it is in English."
    if locale == "es":
        assert translated(app, notice, "es") in page
        assert '<meta property="og:locale" content="en_US">' in page  # the text shown
    else:
        assert 'data-test="language-notice"' not in page
    listing = reader.get("/stories").get_data(as_text=True)
    assert "Flood alerts in Tabasco" in listing
    assert ('data-test="other-language"' in listing) is (locale == "es")


def test_a_spanish_only_story_reads_in_spanish_for_an_english_reader(
    app: Flask, cast: Cast
) -> None:
    client = login(app, cast.submitter)
    submit(client)
    story = _story(app)
    with app.app_context():
        db.session.get(SuccessStory, story.id).status = "published"
        db.session.commit()
    reader = app.test_client()
    reader.set_cookie("lang", "en")
    page = reader.get(f"/stories/{story.slug}").get_data(as_text=True)
    assert story.title_es in page and "Menos espera" in page
    assert "This story has no English version yet: here it is in Spanish." in page
    assert '<meta property="og:locale" content="es_MX">' in page


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title_es": "", "summary_es": "", "body_es": ""}, "title_es",
         "Write the story in Spanish, in English or in both: a title and a summary."),
        ({"summary_es": ""}, "summary_es", "A version needs its title and its summary."),
        ({"title_en": "Only an English title"}, "summary_en",
         "A version needs its title and its summary."),
        ({"impact_value": ""}, "impact_value", "Write the figure, for example 30% or 1,200."),
        ({"impact_label_es": ""}, "impact_label_es", "Say what the figure measures."),
        ({"title_es": "x" * 201}, "title_es", ("Use at most %(max)d characters.", {"max": 200})),
        ({"url": "javascript:alert(1)"}, "url",
         "Enter a full web address starting with http:// or https://."),
        ({"sector": "not-a-sector"}, "sector", "Choose a sector from the list."),
        ({"state_code": "XX"}, "state_code", "Choose a state from the list."),
        ({"submitted_for": "999999"}, "submitted_for",
         "You can send a story only for an organisation you edit."),
    ],
)  # fmt: skip
def test_bad_input_gets_a_clear_message_and_saves_nothing(
    app: Flask, cast: Cast, fields: dict, field: str, message: str | tuple
) -> None:
    client = login(app, cast.submitter)
    response = submit(client, **fields)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    msgid, params = message if isinstance(message, tuple) else (message, {})
    assert translated(app, msgid, "es", **params) in page, msgid
    assert f'id="{field}-error"' in page or field == "submitted_for", field
    with app.app_context():
        assert db.session.scalar(select(SuccessStory.id)) is None


def test_hostile_text_is_stored_inert_and_rendered_escaped(app: Flask, cast: Cast) -> None:
    client = login(app, cast.submitter)
    xss = '"><svg onload=alert(1)><img src=x onerror=alert(2)>'
    response = submit(client, title_es="Título\x00 " + xss, summary_es=xss,
                      body_es="[x](javascript:alert(1)) <script>alert(3)</script>")  # fmt: skip
    assert response.status_code == 302
    story = _story(app)
    assert "\x00" not in story.title_es
    with app.app_context():
        db.session.get(SuccessStory, story.id).status = "published"
        db.session.commit()
    page = app.test_client().get(f"/stories/{story.slug}").get_data(as_text=True)
    assert "<svg onload" not in page and "<script>alert(3)" not in page
    assert "javascript:alert" not in page and "&lt;svg onload=alert(1)&gt;" in page


def test_the_submitter_edits_until_publication_and_a_rejected_story_returns_to_review(
    app: Flask, cast: Cast
) -> None:
    client = login(app, cast.submitter)
    submit(client)
    story = _story(app)
    form = client.get(f"/me/stories/{story.id}/edit")
    assert form.status_code == 200 and "Triaje de urgencias" in form.get_data(as_text=True)
    both = {"title_es": "Triaje en Mérida", "summary_es": "Resumen nuevo",
            "title_en": "Triage in Mérida", "summary_en": "New summary"}  # fmt: skip
    changed = client.post(
        f"/me/stories/{story.id}/edit", content_type="multipart/form-data", data=both
    )
    assert changed.status_code == 302
    story = _story(app)
    assert (story.title_es, story.title_en, story.status) == (
        "Triaje en Mérida",
        "Triage in Mérida",
        "pending",
    )
    with app.app_context():
        record = db.session.get(SuccessStory, story.id)
        record.status, record.moderation_note = "rejected", "Falta la fuente"
        db.session.commit()
    mine = client.get("/me/stories").get_data(as_text=True)
    assert "Falta la fuente" in mine and 'data-status="rejected"' in mine
    client.post(f"/me/stories/{story.id}/edit", content_type="multipart/form-data",
                data={"title_es": "Triaje en Mérida", "summary_es": "Con fuente"})  # fmt: skip
    assert _story(app).status == "pending"
    with app.app_context():
        db.session.get(SuccessStory, story.id).status = "published"
        db.session.commit()
    # Published: the form is gone, a late POST changes nothing.
    assert client.get(f"/me/stories/{story.id}/edit").status_code == 302
    client.post(f"/me/stories/{story.id}/edit", content_type="multipart/form-data",
                data={"title_es": "Cambiado", "summary_es": "Cambiado"})  # fmt: skip
    assert _story(app).title_es == "Triaje en Mérida"
    assert 'data-test="edit-story"' not in client.get("/me/stories").get_data(as_text=True)


def test_nobody_else_edits_a_story_nor_learns_it_exists(app: Flask, cast: Cast) -> None:
    submit(login(app, cast.submitter))
    story = _story(app)
    for email in (cast.outsider, cast.editor, cast.curator):
        client = login(app, email)
        assert client.get(f"/me/stories/{story.id}/edit").status_code == 404, email
        client.post(f"/me/stories/{story.id}/edit", content_type="multipart/form-data",
                    data={"title_es": "Robado", "summary_es": "x"})  # fmt: skip
        assert story.title_es not in client.get("/me/stories").get_data(as_text=True)
    assert _story(app).title_es == story.title_es
    anonymous = app.test_client().get(f"/me/stories/{story.id}/edit")
    assert anonymous.status_code == 302 and anonymous.location.startswith("/login")


def test_an_organisation_submits_through_its_editor_and_its_team_may_edit(
    app: Flask, cast: Cast
) -> None:
    editor = login(app, cast.editor)
    page = editor.get("/me/stories/new").get_data(as_text=True)
    assert f'value="{cast.org_id}"' in page  # "send it as" offers the organisation
    assert submit(editor, submitted_for=str(cast.org_id)).status_code == 302
    story = _story(app)
    assert story.submitted_for_id == cast.org_id and story.created_by_id is not None
    with app.app_context():
        record = db.session.get(SuccessStory, story.id)
        # The editor speaks for the organisation: it is named and confirmed at once.
        assert [org.id for org in record.organizations] == [cast.org_id]
        assert [n.status for n in record.namings] == ["confirmed"]
    owner = login(app, "owner@example.org")
    assert story.title_es in owner.get("/me/stories").get_data(as_text=True)
    assert owner.get(f"/me/stories/{story.id}/edit").status_code == 200
    # A member who edits no organisation cannot send a story in its name.
    outsider = login(app, cast.outsider)
    assert f'value="{cast.org_id}"' not in outsider.get("/me/stories/new").get_data(as_text=True)
    refused = submit(outsider, submitted_for=str(cast.org_id))
    assert refused.status_code == 200


def test_submissions_are_rate_limited(app: Flask, cast: Cast) -> None:
    app.config["RATELIMIT_STORY"] = "2 per hour"
    try:
        client = login(app, cast.submitter)
        codes = [submit(client, title_es=f"Historia {n}").status_code for n in range(3)]
    finally:
        app.config["RATELIMIT_STORY"] = "10 per hour;30 per day"
    assert codes == [302, 302, 429]
