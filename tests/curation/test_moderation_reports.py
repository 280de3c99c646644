"""Reported profiles in the moderation queue, the claims queue and the reports queue."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from directory.extensions import db
from directory.models import (
    Claim,
    Membership,
    Opening,
    Organization,
    OrgRole,
    Profile,
    Report,
    Status,
    User,
)
from directory.services import engagement, orgs

from .. import factories as f
from .test_moderation import Seed, curator_client, events, flashes, record, seed


def _report(app: Flask, kind: str, target_id: int, reason: str = "scam") -> int:
    with app.app_context():
        reporter = f.user()
        row = engagement.report(kind, target_id, reporter, reason, "Pide dinero por adelantado.")
        db.session.commit()
        return row.id


@pytest.fixture
def world(app: Flask, client: FlaskClient) -> Seed:
    ids = seed(app)
    curator_client(client)
    return ids


@pytest.fixture
def person(app: Flask) -> int:
    """A public profile of an account with the Spanish locale."""
    with app.app_context():
        return f.profile(f.user("persona@example.org", locale="es"), full_name="Rita Ruiz").id


# --- reported profiles in the moderation queue ----------------------------------------------


def test_a_reported_published_profile_waits_in_the_queue(app, client, world, person):
    with app.app_context():
        hidden = f.profile(visibility="private").id
    _report(app, "profile", person)
    _report(app, "profile", hidden)  # already private: nothing to decide
    html = client.get("/curation/queue?kind=profile").get_data(as_text=True)
    assert f'data-kind="profile" data-id="{person}"' in html
    assert f'data-id="{hidden}"' not in html
    assert "Pide dinero por adelantado." in html


def test_hiding_a_profile_makes_it_private_and_tells_its_owner(app, client, world, person):
    report_id = _report(app, "profile", person)
    reason = "Suplantación de identidad."
    client.post(f"/curation/queue/profile/{person}/hide", data={"reason": reason})
    assert record(app, Profile, person).visibility == "private"
    report = record(app, Report, report_id)
    assert (report.status, report.resolution, report.decided_by_id) == (
        "resolved", reason, world.curator_id)  # fmt: skip
    assert report.decided_at is not None
    [event] = events(app, "profile.hidden")
    assert event.target_id == person and event.details["reason"] == reason
    [mail] = app.extensions["outbox"]
    assert mail["To"] == "persona@example.org" and reason in mail.get_content()
    assert app.test_client().get(f"/people/{person}").status_code == 404
    html = client.get("/curation/queue").get_data(as_text=True)
    assert f'data-kind="profile" data-id="{person}"' not in html


def test_hiding_needs_a_reason(app, client, world, person):
    _report(app, "profile", person)
    html = client.post(f"/curation/queue/profile/{person}/hide", data={"reason": " "},
                       follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert len(flashes(html, "error")) == 1
    assert record(app, Profile, person).visibility == "public"
    assert events(app, "profile.hidden") == []


def test_dismissing_the_reports_keeps_the_profile(app, client, world, person):
    first, second = _report(app, "profile", person), _report(app, "profile", person, "wrong")
    client.post(f"/curation/queue/profile/{person}/dismiss", data={"reason": "Es legítimo."})
    assert record(app, Profile, person).visibility == "public"
    assert {record(app, Report, i).status for i in (first, second)} == {"dismissed"}
    [event] = events(app, "report.dismissed")
    assert sorted(event.details["report_ids"]) == [first, second]
    html = client.post(f"/curation/queue/profile/{person}/dismiss", follow_redirects=True)
    assert len(flashes(html.get_data(as_text=True), "error")) == 1  # nothing left to dismiss
    assert len(events(app, "report.dismissed")) == 1


def test_profile_actions_on_unknown_ids_change_nothing(client, world):
    response = client.post("/curation/queue/profile/999999/hide", data={"reason": "x"})
    assert response.status_code == 302


# --- claims ---------------------------------------------------------------------------------


def _claim(app: Flask, org_id: int, email: str = "claimant@example.org") -> int:
    with app.app_context():
        claimant = f.user(email, locale="en")
        f.profile(claimant, full_name="Carla Claim")
        org = db.session.get(Organization, org_id)
        claim = orgs.request_claim(org, claimant, "I run this lab.")
        db.session.commit()
        return claim.id


def _role(app: Flask, email: str, org_id: int) -> str | None:
    with app.app_context():
        return db.session.scalar(
            select(Membership.role)
            .join(Membership.user)
            .where(Membership.organization_id == org_id, User.email == email)
        )


def test_the_claims_queue_shows_the_domain_not_the_address(app, client, world):
    claim_id = _claim(app, world.live_org_id)
    html = client.get("/curation/claims").get_data(as_text=True)
    assert f'data-test="claim-row" data-id="{claim_id}"' in html
    assert "@example.org" in html and "claimant@example.org" not in html


def test_approving_a_claim_makes_the_claimant_an_owner(app, client, world):
    claim_id = _claim(app, world.live_org_id)
    client.post(f"/curation/claims/{claim_id}/approve")
    assert _role(app, "claimant@example.org", world.live_org_id) == OrgRole.OWNER
    claim = record(app, Claim, claim_id)
    assert (claim.status, claim.decided_by_id) == ("approved", world.curator_id)
    assert claim.decided_at is not None
    [event] = events(app, "claim.approved")
    assert (event.target_id, event.details["claim_id"]) == (world.live_org_id, claim_id)
    [mail] = app.extensions["outbox"]
    assert mail["To"] == "claimant@example.org" and "Agencia Digital" in mail["Subject"]
    # A second decision on the same claim changes nothing.
    html = client.post(f"/curation/claims/{claim_id}/dismiss", data={"reason": "no"},
                       follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert len(flashes(html, "error")) == 1
    assert record(app, Claim, claim_id).status == "approved"
    assert events(app, "claim.dismissed") == [] and len(app.extensions["outbox"]) == 1


def test_an_editor_who_claims_is_promoted(app, client, world):
    claim_id = _claim(app, world.live_org_id)
    with app.app_context():
        claimant = db.session.scalar(select(User).where(User.email == "claimant@example.org"))
        db.session.add(Membership(user=claimant, organization_id=world.live_org_id, role="editor"))
        db.session.commit()
    client.post(f"/curation/claims/{claim_id}/approve")
    assert _role(app, "claimant@example.org", world.live_org_id) == OrgRole.OWNER


def test_dismissing_a_claim_needs_a_reason_the_claimant_reads(app, client, world):
    claim_id = _claim(app, world.live_org_id)
    client.post(f"/curation/claims/{claim_id}/dismiss", data={"reason": ""})
    assert record(app, Claim, claim_id).status == "open"
    client.post(f"/curation/claims/{claim_id}/dismiss", data={"reason": "No pudimos verificarlo."})
    claim = record(app, Claim, claim_id)
    assert (claim.status, claim.resolution) == ("dismissed", "No pudimos verificarlo.")
    assert _role(app, "claimant@example.org", world.live_org_id) is None
    assert events(app, "claim.dismissed")[0].details["reason"] == "No pudimos verificarlo."
    [mail] = app.extensions["outbox"]
    assert "No pudimos verificarlo." in mail.get_content()


@pytest.mark.parametrize(
    "url", ["/curation/claims/999999/approve", "/curation/reports/999/dismiss"]
)
def test_unknown_claims_and_reports_are_refused(client, world, url):
    html = client.post(url, data={"reason": "x"}, follow_redirects=True)
    assert html.status_code == 200 and len(flashes(html.get_data(as_text=True), "error")) == 1


# --- reports --------------------------------------------------------------------------------


@pytest.fixture
def live_opening(app: Flask, world: Seed) -> int:
    with app.app_context():
        return f.opening(db.session.get(Organization, world.live_org_id), title="Estafa").id


@pytest.mark.parametrize("locale", ["es", "en"])
def test_the_reports_queue_lists_open_reports(app, client, live_opening, locale):
    report_id = _report(app, "opening", live_opening)
    client.set_cookie("lang", locale)
    html = client.get("/curation/reports?kind=opening").get_data(as_text=True)
    assert f'data-test="report-row" data-id="{report_id}"' in html
    assert 'data-test="report-row"' not in client.get("/curation/reports?kind=story").get_data(
        as_text=True
    )


def test_upholding_a_report_takes_the_listing_down(app, client, world, live_opening):
    first, second = _report(app, "opening", live_opening), _report(app, "opening", live_opening)
    reason = "Oferta fraudulenta."
    client.post(f"/curation/reports/{first}/resolve", data={"reason": reason})
    opening = record(app, Opening, live_opening)
    assert (opening.status, opening.moderation_note) == (Status.ARCHIVED, reason)
    for report_id in (first, second):  # every open report on the listing is closed
        report = record(app, Report, report_id)
        assert (report.status, report.resolution, report.decided_by_id) == (
            "resolved", reason, world.curator_id)  # fmt: skip
    [event] = events(app, "report.resolved")
    assert event.details["hidden"] is True and event.target_id == live_opening
    [mail] = app.extensions["outbox"]
    assert mail["To"] == "owner@example.org" and reason in mail.get_content()
    assert app.test_client().get(f"/openings/{live_opening}").status_code in (200, 404)
    html = app.test_client().get("/directory?q=estafa").get_data(as_text=True)
    assert f'href="/openings/{live_opening}"' not in html


def test_upholding_needs_a_reason_and_happens_once(app, client, world, live_opening):
    report_id = _report(app, "opening", live_opening)
    html = client.post(f"/curation/reports/{report_id}/resolve", data={"reason": ""},
                       follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert len(flashes(html, "error")) == 1
    assert record(app, Opening, live_opening).status == Status.PUBLISHED
    client.post(f"/curation/reports/{report_id}/dismiss", follow_redirects=True)
    html = client.post(f"/curation/reports/{report_id}/resolve", data={"reason": "tarde"},
                       follow_redirects=True).get_data(as_text=True)  # fmt: skip
    assert len(flashes(html, "error")) == 1
    assert record(app, Opening, live_opening).status == Status.PUBLISHED
    report = record(app, Report, report_id)
    assert report.status == "dismissed" and report.decided_by_id == world.curator_id
    assert events(app, "report.resolved") == [] and len(events(app, "report.dismissed")) == 1


def test_a_report_on_a_reported_profile_hides_it(app, client, world, person):
    report_id = _report(app, "profile", person)
    client.post(f"/curation/reports/{report_id}/resolve", data={"reason": "Perfil falso."})
    assert record(app, Profile, person).visibility == "private"
    assert "Perfil falso." in app.extensions["outbox"][0].get_content()
