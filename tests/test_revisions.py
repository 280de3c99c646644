"""SECURITY.md row 52, the editor's side: text edits of published records by organisations
the chamber has not verified wait for a curator; the approved text stays public meanwhile.

The curators' side (diff, accept, reject, mails) is in tests/curation/test_revisions.py.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from directory.extensions import db
from directory.models import (
    AuditEvent,
    Challenge,
    Opening,
    Organization,
    PendingRevision,
    RevisionStatus,
    Status,
    User,
    utcnow,
)
from directory.services import account_deletion, revisions
from directory.services.orgs import InvalidInput
from directory.services.revisions import fields

from . import factories as f
from .helpers import translated
from .test_orgs import ORG_FORM, build_world, client_as
from .test_posts import CHALLENGE_FORM, OPENING_FORM

HELD = (
    "Your changes were received. A curator will review them before they are published; "
    "until then the approved version stays public."
)
SAVED = "Your changes were saved."
SCAM = "Deposita 5,000 MXN para reservar tu entrevista"


def _flash(html: str) -> str:
    """The last success message on a page (the log-in's may come before it)."""
    return re.findall(r'class="flash flash-success">([^<]*)<', html)[-1]


def _events(app: Flask, action: str) -> list[AuditEvent]:
    with app.app_context():
        rows = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))
        db.session.expunge_all()
        return rows


def _revisions(app: Flask) -> list[PendingRevision]:
    with app.app_context():
        rows = list(db.session.scalars(select(PendingRevision).order_by(PendingRevision.id)))
        db.session.expunge_all()
        return rows


def _verify(app: Flask, org_id: int) -> None:
    with app.app_context():
        db.session.get(Organization, org_id).verified_at = utcnow()
        db.session.commit()


def _opening_form(app: Flask, opening_id: int, **changes: Any) -> dict[str, Any]:
    """The edit form of an opening as its editor would send it unchanged, plus changes."""
    with app.app_context():
        o = db.session.get(Opening, opening_id)
        data = {**OPENING_FORM, "title": o.title, "description": o.description, "city": o.city,
                "kind": o.kind, "seniority": o.seniority, "state_code": o.state_code or "",
                "remote_policy": o.remote_policy, "relocation_support": "",
                "salary_min": "", "salary_max": "", "skills": "machine-learning, python",
                "closes_on": o.closes_on.isoformat()}  # fmt: skip
    return {**data, **changes}


def _data(record: Any, **changes: Any) -> dict[str, Any]:
    """A record's live values as the edit service takes them, plus changes."""
    kind = revisions.kind_of(record)
    return {**fields.service_data(fields.current(kind, record)), **changes}


# --- held edits -----------------------------------------------------------------------------


def test_a_text_edit_of_a_published_opening_waits_and_the_public_page_keeps_the_old_text(app):
    world = build_world(app)
    with app.app_context():
        approved = db.session.get(Opening, world.opening_id).title
    client = client_as(app, "editor")
    url = f"/manage/openings/{world.opening_id}/edit"
    assert 'data-test="review-notice"' in client.get(url).get_data(as_text=True)
    response = client.post(url, data={**OPENING_FORM, "title": SCAM}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert _flash(html) == translated(app, HELD, "es")
    assert 'data-test="pending-edits"' in html and 'data-test="pending-edit"' in html
    public = client_as(app, "anonymous").get(f"/openings/{world.opening_id}")
    assert approved in public.get_data(as_text=True) and SCAM not in public.get_data(as_text=True)
    with app.app_context():
        opening = db.session.get(Opening, world.opening_id)
        assert opening.title == approved and opening.status == Status.PUBLISHED
        assert opening.seniority != "senior"  # the non-text part waits with the text
    [revision] = _revisions(app)
    assert (revision.kind, revision.record_id, revision.status) == (
        "opening", world.opening_id, RevisionStatus.PENDING)  # fmt: skip
    assert revision.values["title"] == SCAM and revision.values["seniority"] == "senior"
    assert sorted(revision.values["skills"]) == ["computer-vision", "python"]
    [event] = _events(app, "opening.revision_submitted")
    assert event.details["revision_id"] == revision.id and "title" in event.details["changed"]
    assert _events(app, "opening.edited") == []
    # Nothing saved is lost: the edit form shows the held values, and says so.
    form = client.get(url).get_data(as_text=True)
    assert f'value="{SCAM}"' in form and 'data-test="pending-notice"' in form


def test_a_text_edit_of_a_published_challenge_waits(app):
    world = build_world(app)
    client = client_as(app, "owner")
    url = f"/manage/challenges/{world.challenge_id}/edit"
    client.post(url, data={**CHALLENGE_FORM, "problem": SCAM})
    public = client.get(f"/challenges/{world.challenge_id}").get_data(as_text=True)
    assert "Las fugas se detectan tarde." in public and SCAM not in public
    with app.app_context():
        assert (
            db.session.get(Challenge, world.challenge_id).problem == "Las fugas se detectan tarde."
        )
    [revision] = _revisions(app)
    assert revision.kind == "challenge" and revision.values["problem"] == SCAM
    assert SCAM in client.get(url).get_data(as_text=True)


def test_a_text_edit_of_a_published_organisation_waits(app):
    world = build_world(app)
    client = client_as(app, "owner")
    url = f"/manage/organizations/{world.org_id}/edit"
    data = {**ORG_FORM, "name": "Agencia Digital Oficial", "kind": "government_agency",
            "website": "https://scam.example.com"}  # fmt: skip
    response = client.post(url, data=data, follow_redirects=True)
    assert _flash(response.get_data(as_text=True)) == translated(app, HELD, "es")
    public = client.get(f"/organizations/{world.org_slug}").get_data(as_text=True)
    assert "Agencia Digital" in public and "scam.example.com" not in public
    with app.app_context():
        org = db.session.get(Organization, world.org_id)
        assert (org.name, org.website, org.city) == ("Agencia Digital", "https://example.org",
                                                     "Monterrey")  # fmt: skip
    [revision] = _revisions(app)
    assert revision.kind == "organization" and revision.values["website"] == data["website"]
    form = client.get(url).get_data(as_text=True)
    assert 'value="Agencia Digital Oficial"' in form and 'data-test="pending-notice"' in form


def test_a_new_edit_replaces_the_one_waiting(app):
    world = build_world(app)
    client = client_as(app, "editor")
    url = f"/manage/openings/{world.opening_id}/edit"
    client.post(url, data={**OPENING_FORM, "title": "Primera versión"})
    client.post(url, data={**OPENING_FORM, "title": "Segunda versión"})
    first, second = _revisions(app)
    assert first.status == RevisionStatus.SUPERSEDED and second.status == RevisionStatus.PENDING
    assert second.values["title"] == "Segunda versión"
    assert _events(app, "opening.revision_submitted")[-1].details["replaces"] == [first.id]
    assert 'value="Segunda versión"' in client.get(url).get_data(as_text=True)


# --- edits that go live ---------------------------------------------------------------------


def test_verified_organisations_edit_live_and_the_edit_is_logged(app):
    world = build_world(app)
    _verify(app, world.org_id)
    client = client_as(app, "editor")
    url = f"/manage/openings/{world.opening_id}/edit"
    assert 'data-test="review-notice"' not in client.get(url).get_data(as_text=True)
    response = client.post(
        url, data={**OPENING_FORM, "title": "Título nuevo"}, follow_redirects=True
    )
    assert _flash(response.get_data(as_text=True)) == translated(app, SAVED, "es")
    assert "Título nuevo" in client.get(f"/openings/{world.opening_id}").get_data(as_text=True)
    assert _revisions(app) == []
    [event] = _events(app, "opening.edited")
    assert event.details["review"] == "verified" and "title" in event.details["changed"]


def test_edits_of_non_text_fields_alone_go_live(app):
    world = build_world(app)
    client = client_as(app, "owner")
    data = _opening_form(app, world.opening_id, seniority="lead", salary_min="1000")
    response = client.post(f"/manage/openings/{world.opening_id}/edit", data=data)
    assert response.status_code == 302
    with app.app_context():
        opening = db.session.get(Opening, world.opening_id)
        assert (opening.seniority, opening.salary_min) == ("lead", 1000)
    assert _revisions(app) == []
    [event] = _events(app, "opening.edited")
    assert event.details["review"] == "no_text_change"


def test_reverting_the_text_withdraws_the_waiting_edit(app):
    world = build_world(app)
    client = client_as(app, "owner")
    url = f"/manage/openings/{world.opening_id}/edit"
    client.post(url, data=_opening_form(app, world.opening_id, title=SCAM))
    client.post(url, data=_opening_form(app, world.opening_id, seniority="lead"))
    [revision] = _revisions(app)
    assert revision.status == RevisionStatus.SUPERSEDED
    [event] = _events(app, "opening.edited")
    assert event.details["withdrew_revisions"] == [revision.id]


def test_unpublished_records_edit_live(app, app_ctx):
    owner = f.user("owner@example.org")
    org = f.org(owner, kind="government_agency")
    opening = f.opening(org, status=Status.PENDING)
    outcome = revisions.submit_edit(opening, _data(opening, title=SCAM), actor=owner)
    assert outcome.held is False and opening.title == SCAM
    assert revisions.live_reason(opening, owner) == "not_published"


def test_a_curator_who_edits_does_so_live(app, app_ctx):
    curator = f.user("curator@example.org", role="curator")
    opening = f.opening(f.org(curator, kind="government_agency"))
    outcome = revisions.submit_edit(opening, _data(opening, title=SCAM), actor=curator)
    assert outcome.held is False and opening.title == SCAM


def test_an_invalid_edit_is_refused_not_held(app, app_ctx):
    owner = f.user("owner@example.org")
    opening = f.opening(f.org(owner, kind="government_agency"))
    with pytest.raises(InvalidInput):
        revisions.submit_edit(opening, _data(opening, title=SCAM, kind="astrology"), actor=owner)
    assert db.session.scalars(select(PendingRevision)).all() == []


# --- languages ------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["es", "en"])
def test_the_editor_reads_the_held_notice_in_their_language(app, locale):
    world = build_world(app)
    client = client_as(app, "editor")
    client.set_cookie("lang", locale)
    url = f"/manage/openings/{world.opening_id}/edit"
    html = client.post(url, data={**OPENING_FORM, "title": SCAM}, follow_redirects=True).get_data(
        as_text=True
    )
    assert f'<html lang="{locale}">' in html
    assert _flash(html) == translated(app, HELD, locale)
    notice = (
        "Your changes of %(date)s wait for a curator's review; the form shows them. "
        "Saving again replaces them."
    )
    form = client.get(url).get_data(as_text=True)
    expected = translated(app, notice, locale, date="DATE").split("DATE")[0]
    assert expected in form


# --- the submitter's data -------------------------------------------------------------------


def test_the_submitters_export_lists_their_held_edits_and_deletion_keeps_them_anonymous(app):
    world = build_world(app)
    client = client_as(app, "editor")
    client.post(f"/manage/openings/{world.opening_id}/edit", data={**OPENING_FORM, "title": SCAM})
    data = client.get("/me/privacy/my-data.json").get_json()
    [edit] = data["submitted_edits"]
    assert edit["kind"] == "opening" and edit["values"]["title"] == SCAM
    assert "submitted_by_id" not in edit
    with app.app_context():
        editor = db.session.scalar(select(User).where(User.email == "editor@example.org"))
        account_deletion.delete_account(editor, actor=None)
        db.session.commit()
        revision = db.session.scalar(select(PendingRevision))
        assert revision.submitted_by_id is None and revision.status == RevisionStatus.PENDING
