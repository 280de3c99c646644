"""SECURITY.md row 52, the curators' side: held edits listed with an escaped per-field diff,
accepted (applied as a normal edit, re-embedded) or rejected with a reason; both audited,
the submitter mailed in their language, and a second decision refused."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
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
)
from directory.services import revisions
from directory.services.revisions import fields

from .. import factories as f
from ..conftest import PASSWORD
from ..helpers import translated
from ..matching.conftest import FAKE_MODEL, FakeEmbedder, make_engine

XSS = "<script>alert(1)</script>"
NEW_TITLE = "Vacante de visión por computadora remota"


@dataclass
class Seed:
    org_id: int
    org_slug: str
    opening_id: int
    challenge_id: int
    approved_title: str


def seed(app: Flask, *, locale: str | None = None) -> Seed:
    """An owner (in a language) with a published, non-verified agency, opening and challenge."""
    with app.app_context():
        owner = f.user("owner@example.org", locale=locale)
        f.user("curator@example.org", role="curator")
        f.user("member@example.org")
        org = f.org(owner, kind="government_agency", name="Agencia Hídrica")
        opening = f.opening(org)
        challenge = f.challenge(org)
        return Seed(org.id, org.slug, opening.id, challenge.id, opening.title)


def hold(app: Flask, model: type, record_id: int, **changes: Any) -> int:
    """Submit an edit as the owner (it waits for review); return the revision's id."""
    with app.app_context():
        record = db.session.get(model, record_id)
        owner = db.session.scalar(select(f.User).where(f.User.email == "owner@example.org"))
        kind = revisions.kind_of(record)
        data = {**fields.service_data(fields.current(kind, record)), **changes}
        outcome = revisions.submit_edit(record, data, actor=owner)
        db.session.commit()
        assert outcome.held and outcome.revision is not None
        return outcome.revision.id


def login(app: Flask, email: str) -> FlaskClient:
    """A client logged in as someone of the seed."""
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def flashes(html: str, category: str) -> list[str]:
    """The flash messages of a category on a page."""
    return re.findall(rf'class="flash flash-{category}">([^<]*)<', html)


def revision(app: Flask, revision_id: int) -> PendingRevision:
    """A fresh, detached copy of a revision."""
    with app.app_context():
        row = db.session.get(PendingRevision, revision_id)
        db.session.expunge_all()
        return row


def actions(app: Flask) -> list[str]:
    """Every audit action so far, oldest first."""
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


@pytest.fixture
def world(app: Flask) -> Seed:
    return seed(app)


@pytest.fixture
def curator(app: Flask, world: Seed) -> FlaskClient:
    return login(app, "curator@example.org")


# --- the list and its diff ------------------------------------------------------------------


def test_the_list_shows_a_per_field_diff_with_user_text_escaped(app, world, curator):
    rid = hold(app, Opening, world.opening_id, title=XSS + " Vacante",
               description='<img src=x onerror="alert(2)">', seniority="lead")  # fmt: skip
    for url in ("/curation/revisions", f"/curation/revisions/{rid}"):
        html = curator.get(url).get_data(as_text=True)
        assert f'data-test="revision" data-id="{rid}"' in html, url
        assert XSS not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
        assert "&lt;img src=x onerror=" in html, url
        rows = re.findall(r'data-test="diff-row" data-field="(\w+)"', html)
        assert rows == ["title", "description", "seniority"], url  # text fields first
        assert f"<del>{world.approved_title}</del>" in html, url
        assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt; Vacante</ins>" in html, url
    assert 'data-test="accept-form"' in html and 'data-test="reject-form"' in html


def test_the_overview_and_the_queue_lead_to_the_edits(app, world, curator):
    hold(app, Challenge, world.challenge_id, problem="Otro problema")
    home = curator.get("/curation/").get_data(as_text=True)
    assert 'data-test="waiting-revisions">1<' in home
    assert 'href="/curation/revisions"' in curator.get("/curation/queue").get_data(as_text=True)
    nav = curator.get("/curation/revisions").get_data(as_text=True)
    assert 'aria-current="page"' in nav.split('data-test="curation-nav"', 1)[1].split("</nav>")[0]


# --- accept ---------------------------------------------------------------------------------


def test_accepting_publishes_the_edit_reembeds_it_and_tells_the_submitter(app):
    world = seed(app, locale="en")
    curator = login(app, "curator@example.org")
    embedder = FakeEmbedder()
    with app.app_context():
        engine = make_engine(embedder)
        engine.sync("opening")
    rid = hold(app, Opening, world.opening_id, title=NEW_TITLE)
    with app.app_context():
        assert engine.sync("opening") == 0  # the held text never reaches matching
    public = curator.get(f"/openings/{world.opening_id}").get_data(as_text=True)
    assert world.approved_title in public and NEW_TITLE not in public
    html = curator.post(f"/curation/revisions/{rid}/accept", follow_redirects=True)
    assert len(flashes(html.get_data(as_text=True), "success")) == 1
    public = app.test_client().get(f"/openings/{world.opening_id}").get_data(as_text=True)
    assert NEW_TITLE in public
    row = revision(app, rid)
    assert row.status == RevisionStatus.ACCEPTED and row.decided_at is not None
    assert row.decided_by_id is not None
    assert actions(app)[-2:] == ["opening.edited", "opening.revision_accepted"]
    with app.app_context():
        edited = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "opening.edited"))
        assert edited.details["review"] == "accepted" and edited.details["revision_id"] == rid
        assert engine.sync("opening") == 1  # re-embedded like any edit
        assert engine.kinds["opening"].names[world.opening_id].startswith(NEW_TITLE)
        assert FAKE_MODEL in engine.kinds["opening"].dense
    [mail] = app.extensions["outbox"]
    assert mail["To"] == "owner@example.org"
    assert mail["Subject"] == f"Your changes to “{NEW_TITLE}” are published"


def test_accepting_an_organisation_edit_renames_it_on_its_public_page(app, world, curator):
    rid = hold(app, Organization, world.org_id, name="Agencia Hídrica Nacional")
    curator.post(f"/curation/revisions/{rid}/accept")
    page = app.test_client().get(f"/organizations/{world.org_slug}").get_data(as_text=True)
    assert "Agencia Hídrica Nacional" in page


# --- reject ---------------------------------------------------------------------------------


def test_rejecting_needs_a_reason_keeps_the_old_text_and_mails_the_reason(app, world, curator):
    rid = hold(app, Opening, world.opening_id, title="Deposita para tu entrevista")
    html = curator.post(f"/curation/revisions/{rid}/reject", data={"reason": " "},
                        follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert flashes(html, "error") == [
        translated(app, "Write the reason: the submitter will read it.", "es")
    ]
    assert revision(app, rid).status == RevisionStatus.PENDING
    reason = "Pedir dinero a quien aplica es un fraude."
    curator.post(f"/curation/revisions/{rid}/reject", data={"reason": reason})
    row = revision(app, rid)
    assert (row.status, row.reason) == (RevisionStatus.REJECTED, reason)
    with app.app_context():
        assert db.session.get(Opening, world.opening_id).title == world.approved_title
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "opening.revision_rejected")
        )
        assert event.details == {**event.details, "revision_id": rid, "reason": reason}
    public = app.test_client().get(f"/openings/{world.opening_id}").get_data(as_text=True)
    assert world.approved_title in public and "Deposita" not in public
    [mail] = app.extensions["outbox"]
    subject = "Your changes to “%(title)s” were not published"
    assert mail["Subject"] == translated(app, subject, "es", title=world.approved_title)
    assert reason in mail.get_content()
    # The owner can try again: the form is back to the approved text.
    owner = login(app, "owner@example.org")
    form = owner.get(f"/manage/openings/{world.opening_id}/edit").get_data(as_text=True)
    assert 'data-test="pending-notice"' not in form


# --- refusals -------------------------------------------------------------------------------


def test_a_second_decision_is_refused_and_changes_nothing(app, world, curator):
    rid = hold(app, Opening, world.opening_id, title=NEW_TITLE)
    curator.post(f"/curation/revisions/{rid}/accept")
    html = curator.post(f"/curation/revisions/{rid}/reject", data={"reason": "tarde"},
                        follow_redirects=True).get_data(as_text=True)  # fmt: skip
    message = "This change was already decided; nothing was changed."
    assert flashes(html, "error") == [translated(app, message, "es")]
    html = curator.post(f"/curation/revisions/{rid}/accept", follow_redirects=True)
    assert flashes(html.get_data(as_text=True), "error") == [translated(app, message, "es")]
    assert revision(app, rid).status == RevisionStatus.ACCEPTED
    assert actions(app).count("opening.revision_accepted") == 1
    assert len(app.extensions["outbox"]) == 1


def test_a_replaced_edit_cannot_be_accepted(app, world, curator):
    first = hold(app, Opening, world.opening_id, title="Primera versión honesta")
    second = hold(app, Opening, world.opening_id, title="Segunda versión")
    html = curator.post(f"/curation/revisions/{first}/accept", follow_redirects=True)
    assert len(flashes(html.get_data(as_text=True), "error")) == 1
    with app.app_context():
        assert db.session.get(Opening, world.opening_id).title == world.approved_title
    assert revision(app, second).status == RevisionStatus.PENDING


def test_an_edit_of_a_closed_post_cannot_be_accepted(app, world, curator):
    rid = hold(app, Opening, world.opening_id, title=NEW_TITLE)
    with app.app_context():
        db.session.get(Opening, world.opening_id).status = Status.ARCHIVED
        db.session.commit()
    html = curator.post(f"/curation/revisions/{rid}/accept", follow_redirects=True)
    assert len(flashes(html.get_data(as_text=True), "error")) == 1
    assert revision(app, rid).status == RevisionStatus.PENDING
    curator.post(f"/curation/revisions/{rid}/reject", data={"reason": "Ya cerró."})
    assert revision(app, rid).status == RevisionStatus.REJECTED


def test_an_edit_that_no_longer_validates_is_refused_not_applied(app, world, curator):
    rid = hold(app, Opening, world.opening_id, title=NEW_TITLE)
    with app.app_context():  # its new closing date passed while it waited
        row = db.session.get(PendingRevision, rid)
        row.values = {**row.values, "closes_on": "2020-01-01"}
        db.session.commit()
    html = curator.post(f"/curation/revisions/{rid}/accept", follow_redirects=True)
    [error] = flashes(html.get_data(as_text=True), "error")
    assert translated(app, "The date cannot be in the past.", "es") in error
    assert revision(app, rid).status == RevisionStatus.PENDING
    with app.app_context():
        assert db.session.get(Opening, world.opening_id).title == world.approved_title
    assert app.extensions.get("outbox", []) == []


def test_unknown_revisions_are_a_404_or_a_message(app, world, curator):
    assert curator.get("/curation/revisions/999999").status_code == 404
    html = curator.post("/curation/revisions/999999/accept", follow_redirects=True)
    assert len(flashes(html.get_data(as_text=True), "error")) == 1


@pytest.mark.parametrize("who", ["anonymous", "member@example.org", "owner@example.org"])
def test_only_curators_see_or_decide_edits(app, world, who):
    rid = hold(app, Opening, world.opening_id, title=NEW_TITLE)
    client = app.test_client() if who == "anonymous" else login(app, who)
    calls = [("GET", "/curation/revisions"), ("GET", f"/curation/revisions/{rid}"),
             ("POST", f"/curation/revisions/{rid}/accept"),
             ("POST", f"/curation/revisions/{rid}/reject")]  # fmt: skip
    for method, url in calls:
        response = client.open(url, method=method, data={"reason": "x"})
        if who == "anonymous":
            assert response.status_code == 302 and "/login" in response.location, url
        else:
            assert response.status_code == 403, url
    assert revision(app, rid).status == RevisionStatus.PENDING
    with app.app_context():
        assert db.session.get(Opening, world.opening_id).title == world.approved_title


# --- languages ------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["es", "en"])
def test_the_submitter_reads_the_decision_in_their_language(app, locale):
    world = seed(app, locale=locale)
    curator = login(app, "curator@example.org")
    curator.set_cookie("lang", "en" if locale == "es" else "es")  # the curator's own language
    rid = hold(app, Challenge, world.challenge_id, title="Reto reescrito")
    curator.post(f"/curation/revisions/{rid}/reject", data={"reason": "Texto engañoso."})
    [mail] = app.extensions["outbox"]
    with app.app_context():
        title = db.session.get(Challenge, world.challenge_id).title
    subject = "Your changes to “%(title)s” were not published"
    assert mail["Subject"] == translated(app, subject, locale, title=title)
    page = curator.get("/curation/revisions").get_data(as_text=True)
    other = "en" if locale == "es" else "es"
    assert translated(app, "Edits to review", other) in page


@pytest.mark.skipif(
    "free_skills" not in revisions.TEXT_FIELDS["opening"], reason="no free-text skills"
)
def test_free_text_skills_are_text_held_and_kept_when_accepted(app, world, curator):
    with app.app_context():
        opening = db.session.get(Opening, world.opening_id)
        data = {**fields.service_data(fields.current("opening", opening))}
    rid = hold(app, Opening, world.opening_id, skills=data["skills"] + ", Llama al 555 0100")
    assert revision(app, rid).values["free_skills"] == ["Llama al 555 0100"]
    with app.app_context():
        assert db.session.get(Opening, world.opening_id).free_skills == []
    curator.post(f"/curation/revisions/{rid}/accept")
    with app.app_context():
        opening = db.session.get(Opening, world.opening_id)
        assert opening.free_skills == ["Llama al 555 0100"]
        assert {s.slug for s in opening.skills} == {"machine-learning", "python"}
