"""Withdrawing an application (and a proposal) after a confirmation step, and "what I sent":
each of my applications and proposals opens a page with exactly what I sent, its answers
and their dates, for me only."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from directory.extensions import db
from directory.models import Application, AuditEvent, Notification, Proposal, User
from directory.services import responses

from . import factories as f
from .conftest import PASSWORD, csrf_token_from
from .helpers import translated

ME, OTHER, OWNER, EDITOR = (
    "ana@example.org",
    "otra@example.org",
    "duena@example.org",
    "editor@example.org",
)


@dataclass
class Sent:
    opening: int
    application: int
    challenge: int
    proposal: int


@pytest.fixture
def sent(app: Flask) -> Sent:
    """My application to an opening and my proposal to a challenge of the same agency."""
    with app.app_context():
        me = f.user(ME)
        f.profile(me, full_name="Ana Aplicante")
        f.user(OTHER)
        owner, editor = f.user(OWNER), f.user(EDITOR)
        org = f.org(owner, kind="government_agency", name="Agencia Digital", editors=(editor,))
        opening = f.opening(org, title="Ingeniería de datos")
        challenge = f.challenge(org, title="Detección de baches")
        application = Application(opening=opening, user=me, message="Tengo **cinco** años.")
        proposal = Proposal(
            challenge=challenge, user=me, message="Un modelo de visión.", budget_amount=850_000,
            budget_currency="MXN", timeline_weeks=12, links=["https://example.org/demo"],
            safeguards={"human_review": "Una persona revisa cada alerta."},
        )  # fmt: skip
        db.session.add_all([application, proposal])
        db.session.commit()
        return Sent(opening.id, application.id, challenge.id, proposal.id)


def login(app: Flask, email: str, lang: str = "en") -> FlaskClient:
    client = app.test_client()
    client.set_cookie("lang", lang)
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def answer(app: Flask, sent: Sent, status: str, message: str = "") -> None:
    """The organisation moves my application on (audited, as through its page)."""
    with app.app_context():
        owner = db.session.scalar(select(User).where(User.email == OWNER))
        application = db.session.get(Application, sent.application)
        responses.respond(application, status, message, actor=owner)
        db.session.commit()


def status_of(app: Flask, model: type, record_id: int) -> str:
    with app.app_context():
        return db.session.get(model, record_id).status


# --- withdrawing ------------------------------------------------------------------------


@pytest.mark.parametrize("before", ["received", "shortlisted"])
def test_i_withdraw_an_undecided_application_after_confirming(app, sent, before):
    if before == "shortlisted":
        answer(app, sent, "shortlisted")
    client = login(app, ME)
    detail = client.get(f"/me/applications/{sent.application}").get_data(as_text=True)
    confirm_url = f"/me/applications/{sent.application}/withdraw"
    assert f'href="{confirm_url}"' in detail
    # The confirmation step says what will happen and changes nothing by itself.
    page = client.get(confirm_url)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'data-test="withdraw-confirm"' in text and "Agencia Digital" in text
    assert "You cannot apply to this opening again." in text
    assert status_of(app, Application, sent.application) == before
    done = client.post(confirm_url, follow_redirects=True).get_data(as_text=True)
    assert translated(app, "Your application was withdrawn. The organisation has been told.",
                      "en") in done  # fmt: skip
    assert 'data-test="withdrawn-date"' in done and 'data-test="withdraw"' not in done
    with app.app_context():
        row = db.session.get(Application, sent.application)
        assert row.status == "withdrawn" and row.withdrawn_at is not None
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "application.withdrawn")
        )
        assert event is not None and event.target_id == sent.application
        assert event.details["was"] == before


@pytest.mark.parametrize("decided", ["accepted", "declined"])
def test_a_decided_application_cannot_be_withdrawn(app, sent, decided):
    answer(app, sent, decided)
    client = login(app, ME)
    activity = client.get("/me/activity").get_data(as_text=True)
    assert f'href="/me/applications/{sent.application}/withdraw"' not in activity
    detail = client.get(f"/me/applications/{sent.application}").get_data(as_text=True)
    assert 'data-test="withdraw"' not in detail
    refused = translated(app, "This application has already been decided or withdrawn.", "en")
    # Neither the confirmation page nor a forged POST moves it.
    page = client.get(f"/me/applications/{sent.application}/withdraw", follow_redirects=True)
    assert refused in page.get_data(as_text=True)
    posted = client.post(f"/me/applications/{sent.application}/withdraw", follow_redirects=True)
    assert refused in posted.get_data(as_text=True)
    assert status_of(app, Application, sent.application) == decided


def test_withdrawing_twice_is_refused_and_the_organisation_cannot_answer_after(app, sent):
    client = login(app, ME)
    client.post(f"/me/applications/{sent.application}/withdraw")
    again = client.post(f"/me/applications/{sent.application}/withdraw", follow_redirects=True)
    assert translated(app, "This application has already been decided or withdrawn.",
                      "en") in again.get_data(as_text=True)  # fmt: skip
    owner = login(app, OWNER)
    owner.post(f"/manage/applications/{sent.application}",
               data={f"r{sent.application}-status": "accepted"})  # fmt: skip
    assert status_of(app, Application, sent.application) == "withdrawn"


def test_a_withdrawn_application_cannot_be_sent_again(app, sent):
    client = login(app, ME)
    client.post(f"/me/applications/{sent.application}/withdraw")
    page = client.get(f"/openings/{sent.opening}").get_data(as_text=True)
    assert 'data-test="apply"' not in page
    client.post(f"/openings/{sent.opening}/apply", data={"message": "Otra vez"})
    with app.app_context():
        rows = db.session.scalars(select(Application)).all()
        assert [(r.status, r.message) for r in rows] == [("withdrawn", "Tengo **cinco** años.")]


def test_the_organisation_is_told_and_sees_withdrawn(app, sent):
    login(app, ME).post(f"/me/applications/{sent.application}/withdraw")
    with app.app_context():
        told = db.session.scalars(
            select(User.email)
            .join(Notification, Notification.user_id == User.id)
            .where(Notification.kind == "application_withdrawn")
        ).all()
        assert sorted(told) == sorted([EDITOR, OWNER])
    owner = login(app, OWNER)
    html = owner.get(f"/manage/openings/{sent.opening}/applications").get_data(as_text=True)
    assert translated(app, "Withdrawn", "en") in html
    assert 'data-status="withdrawn"' in html and 'data-test="withdrawn-note"' in html
    assert 'data-test="respond-form"' not in html
    inbox = owner.get("/me/notifications").get_data(as_text=True)
    assert translated(app, "An application to “%(title)s” was withdrawn", "en",
                      title="Ingeniería de datos") in inbox  # fmt: skip


@pytest.mark.parametrize("kind", ["applications", "proposals"])
def test_only_the_sender_reaches_the_pages_and_the_action(app, sent, kind):
    record = sent.application if kind == "applications" else sent.proposal
    model = Application if kind == "applications" else Proposal
    for email in (OTHER, OWNER):
        client = login(app, email)
        for path in (f"/me/{kind}/{record}", f"/me/{kind}/{record}/withdraw"):
            assert client.get(path).status_code == 404, (email, path)
        assert client.post(f"/me/{kind}/{record}/withdraw").status_code == 404
    anonymous = app.test_client()
    assert anonymous.get(f"/me/{kind}/{record}").status_code == 302
    assert anonymous.post(f"/me/{kind}/{record}/withdraw").status_code == 302
    assert status_of(app, model, record) == "received"
    mine = login(app, ME)
    for bad in ("0", "999999", "5088264334"):
        assert mine.get(f"/me/{kind}/{bad}").status_code == 404
        assert mine.get(f"/me/{kind}/{bad}/withdraw").status_code == 404
        # Beyond any database id the URL matches no rule (werkzeug may answer 405).
        assert mine.post(f"/me/{kind}/{bad}/withdraw").status_code in (404, 405)
    assert mine.get(f"/me/{kind}/abc").status_code == 404


def test_withdrawing_needs_the_forms_token(app, sent, csrf_on):
    client = app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    login_data = {"email": ME, "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=login_data).status_code == 302
    url = f"/me/applications/{sent.application}/withdraw"
    assert client.post(url).status_code == 400
    assert status_of(app, Application, sent.application) == "received"
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    assert client.post(url, data={"csrf_token": token}).status_code == 302
    assert status_of(app, Application, sent.application) == "withdrawn"


def test_a_proposal_is_withdrawn_after_confirming_too(app, sent):
    client = login(app, ME)
    page = client.get(f"/me/proposals/{sent.proposal}/withdraw").get_data(as_text=True)
    assert 'data-test="withdraw-confirm"' in page
    assert status_of(app, Proposal, sent.proposal) == "received"
    done = client.post(f"/me/proposals/{sent.proposal}/withdraw", follow_redirects=True)
    assert translated(app, "Your proposal was withdrawn. The organisation has been told.",
                      "en") in done.get_data(as_text=True)  # fmt: skip
    assert status_of(app, Proposal, sent.proposal) == "withdrawn"


# --- what I sent --------------------------------------------------------------------------


def test_my_activity_links_each_item_to_what_i_sent(app, sent):
    html = login(app, ME).get("/me/activity").get_data(as_text=True)
    assert f'href="/me/applications/{sent.application}"' in html
    assert f'href="/me/proposals/{sent.proposal}"' in html
    assert f'href="/me/applications/{sent.application}/withdraw"' in html


def test_the_application_page_shows_what_i_sent_its_answer_and_history(app, sent):
    answer(app, sent, "shortlisted", "Nos gustaría entrevistarte.")
    html = login(app, ME, "es").get(f"/me/applications/{sent.application}").get_data(as_text=True)
    assert "<strong>cinco</strong>" in html  # the message, rendered as I wrote it
    assert "Ingeniería de datos" in html and "Agencia Digital" in html
    assert "Nos gustaría entrevistarte." in html
    steps = html.split('data-test="history-step"')[1:]
    assert [s.split('data-status="')[1].split('"')[0] for s in steps] == ["received", "shortlisted"]
    assert translated(app, "Shortlisted", "es") in html
    assert f'href="/openings/{sent.opening}"' in html
    assert "ana@example.org" not in html.split('data-test="sent-application"')[1]


def test_the_proposal_page_shows_terms_links_safeguards_and_partners(app, sent):
    with app.app_context():
        from directory.models.proposals import ProposalMember

        partner = f.org(name="Centro de Visión", kind="research_centre")
        proposal = db.session.get(Proposal, sent.proposal)
        proposal.consortium = True
        proposal.members.append(ProposalMember(role="partner", organization=partner))
        db.session.commit()
    html = login(app, ME).get(f"/me/proposals/{sent.proposal}").get_data(as_text=True)
    assert "850,000" in html and "12 weeks" in html
    assert 'href="https://example.org/demo"' in html
    assert "Una persona revisa cada alerta." in html
    assert "Centro de Visión" in html and 'data-test="sent-consortium"' in html
    assert "Un modelo de visión." in html


def test_hostile_text_stays_inert_on_my_pages(app, sent):
    with app.app_context():
        row = db.session.get(Application, sent.application)
        row.message = "<script>alert(1)</script> [x](javascript:alert(2))"
        row.response_message = "<img src=x onerror=alert(3)>"
        db.session.commit()
    html = login(app, ME).get(f"/me/applications/{sent.application}").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "javascript:alert" not in html
    assert "<img src=x" not in html


def test_the_opening_page_says_i_withdrew_and_links_what_i_sent(app, sent) -> None:
    """After withdrawing, the opening no longer reads "already applied" but says so."""
    client = login(app, ME)
    page = client.get(f"/openings/{sent.opening}").get_data(as_text=True)
    assert "You have already applied" in page
    assert f'href="/me/applications/{sent.application}"' in page
    withdraw = client.post(f"/me/applications/{sent.application}/withdraw")
    assert withdraw.status_code in (302, 303)
    page = client.get(f"/openings/{sent.opening}").get_data(as_text=True)
    assert "You withdrew your application on" in page
    assert "You have already applied" not in page
    assert f'href="/me/applications/{sent.application}"' in page
