"""Applying to openings, proposing for challenges and reporting records."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import Application, AuditEvent, Proposal, Report
from directory.services import engagement

from . import factories as f
from .conftest import PASSWORD, csrf_token_from
from .helpers import translated


def login(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302


def count(app, model, **where) -> int:
    with app.app_context():
        query = select(func.count()).select_from(model).filter_by(**where)
        return db.session.scalar(query) or 0


def actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action)))


@pytest.fixture
def posting(app):
    """An organisation with an owner (who gets mail), an open opening and a challenge."""
    with app.app_context():
        owner = f.user("duena@example.org")
        org = f.org(owner, name="Kaab Salud")
        applicant = f.user("ana@example.org")
        return {
            "owner": owner.email,
            "applicant": applicant.email,
            "org_id": org.id,
            "opening": f.opening(org, title="Ingeniería clínica").id,
            "challenge": f.challenge(org, title="Reto clínico").id,
        }


# --- apply ----------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["es", "en"])
def test_apply_once_then_refused(app, client, posting, locale):
    client.set_cookie("lang", locale)
    login(client, posting["applicant"])
    url = f"/openings/{posting['opening']}/apply"
    form = client.get(url)
    assert form.status_code == 200 and form.headers["Cache-Control"] == "no-store"
    response = client.post(url, data={"message": "Me interesa mucho."}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert translated(app, "Your application was sent. The organisation will answer you here.",
                      locale) in html  # fmt: skip
    assert count(app, Application, opening_id=posting["opening"]) == 1
    assert "application.created" in actions(app)
    outbox = app.extensions["outbox"]
    assert [m["To"] for m in outbox] == [posting["owner"]]
    assert "Ingeniería clínica" in outbox[0]["Subject"]
    assert "Me interesa mucho." not in outbox[0].get_content()  # the message stays on the site

    again = client.post(url, data={"message": "Otra vez"}, follow_redirects=True)
    assert translated(app, "You have already applied to this opening.", locale) in again.get_data(
        as_text=True
    )
    assert count(app, Application, opening_id=posting["opening"]) == 1
    page = client.get(f"/openings/{posting['opening']}").get_data(as_text=True)
    assert 'data-test="already-applied"' in page and 'data-test="apply"' not in page


def test_the_unique_constraint_catches_a_race(app, posting, monkeypatch):
    with app.test_request_context():
        opening = db.session.get(engagement.Opening, posting["opening"])
        user = db.session.scalar(
            select(engagement.User).where(engagement.User.email == posting["applicant"])
        )
        engagement.apply(opening, user, "primera")
        db.session.commit()
        # Pretend the check ran before the first request committed.
        monkeypatch.setattr(engagement, "has_applied", lambda *args: False)
        with pytest.raises(engagement.EngagementError):
            engagement.apply(opening, user, "segunda")
    assert count(app, Application) == 1


@pytest.mark.parametrize(
    "message",
    ["", "   ", "x" * 5001],
)
def test_apply_needs_a_sensible_message(app, client, posting, message):
    login(client, posting["applicant"])
    response = client.post(f"/openings/{posting['opening']}/apply", data={"message": message})
    assert response.status_code == 200
    assert 'class="errors"' in response.get_data(as_text=True)
    assert count(app, Application) == 0


@pytest.mark.parametrize("state", ["pending", "archived", "past", "hidden_org"])
def test_cannot_apply_to_unlisted_or_closed_openings(app, client, posting, state):
    with app.app_context():
        if state == "past":
            opening = f.opening(closes_on=date.today() - timedelta(days=1))
        elif state == "hidden_org":
            opening = f.opening(f.org(status="pending"))
        else:
            opening = f.opening(status=state)
        url = f"/openings/{opening.id}/apply"
    login(client, posting["applicant"])
    response = client.post(url, data={"message": "Hola"}, follow_redirects=True)
    if state in ("pending", "hidden_org"):
        assert response.status_code == 404
    else:
        closed = translated(app, "This opening is closed and no longer takes applications.", "es")
        assert closed in response.get_data(as_text=True)
    assert count(app, Application) == 0


def test_own_organisation_cannot_apply(app, client, posting):
    login(client, posting["owner"])
    response = client.post(
        f"/openings/{posting['opening']}/apply", data={"message": "Yo"}, follow_redirects=True
    )
    refusal = translated(app, "You cannot apply to an opening of your own organisation.", "es")
    assert refusal in response.get_data(as_text=True)
    assert count(app, Application) == 0


def test_apply_needs_a_login(client, posting):
    response = client.get(f"/openings/{posting['opening']}/apply")
    assert response.status_code == 302 and "/login" in response.location


def test_apply_refuses_a_post_without_csrf_token(app, client, posting, csrf_on):
    login_page = client.get("/login").get_data(as_text=True)
    client.post(
        "/login",
        data={"email": posting["applicant"], "password": PASSWORD,
              "csrf_token": csrf_token_from(login_page)},
    )  # fmt: skip
    url = f"/openings/{posting['opening']}/apply"
    assert client.post(url, data={"message": "Hola"}).status_code == 400
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    assert client.post(url, data={"message": "Hola", "csrf_token": token}).status_code == 302
    assert count(app, Application) == 1


# --- propose --------------------------------------------------------------------------------


def test_propose_personally_and_for_my_organisation(app, client, posting):
    with app.app_context():
        me = f.user("yo@example.org")
        mine = f.org(me, name="Mi Startup").id
        theirs = f.org(f.user(), name="Ajena").id
    login(client, "yo@example.org")
    url = f"/challenges/{posting['challenge']}/propose"
    page = client.get(url).get_data(as_text=True)
    assert "Mi Startup" in page and "Ajena" not in page
    terms = {"budget_amount": "120000", "budget_currency": "MXN", "timeline_weeks": "8"}
    personal = {"message": "Personal", "organization": "", **terms}
    assert client.post(url, data=personal).status_code == 302
    response = client.post(url, data={"message": "Por la empresa", "organization": str(mine),
                                      **terms})  # fmt: skip
    assert response.status_code == 302
    with app.app_context():
        rows = db.session.execute(select(Proposal.organization_id, Proposal.user_id)).all()
        assert sorted(org for org, _ in rows if org) == [mine]
        assert len(rows) == 2
    assert actions(app).count("proposal.created") == 2
    # Someone else's organisation, or a made-up id, is refused and nothing is saved.
    for bad in (str(theirs), "999999", "abc"):
        response = client.post(url, data={"message": "Intento", "organization": bad, **terms})
        assert response.status_code == 200 and 'class="errors"' in response.get_data(as_text=True)
    assert count(app, Proposal) == 2


def test_propose_service_refuses_an_org_i_do_not_edit(app, posting):
    from directory.services.procurement import proposals

    with app.test_request_context():
        challenge = db.session.get(engagement.Challenge, posting["challenge"])
        me = f.user()
        other_org = f.org(f.user())
        draft = proposals.Draft("Hola", 1000, "MXN", 4, organization=other_org)
        with pytest.raises(engagement.EngagementError):
            proposals.submit(challenge, me, draft)


def test_cannot_propose_to_a_closed_challenge(app, client, posting):
    with app.app_context():
        closed = f.challenge(closes_on=date.today() - timedelta(days=3)).id
    login(client, posting["applicant"])
    response = client.post(
        f"/challenges/{closed}/propose", data={"message": "Hola"}, follow_redirects=True
    )
    refusal = translated(app, "This challenge is closed and no longer takes proposals.", "es")
    assert refusal in response.get_data(as_text=True)
    assert count(app, Proposal) == 0


# --- report ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["organization", "profile", "opening", "challenge", "story"])
def test_report_creates_an_open_report(app, client, posting, kind):
    with app.app_context():
        record = {
            "organization": lambda: f.org(),
            "profile": lambda: f.profile(),
            "opening": lambda: f.opening(),
            "challenge": lambda: f.challenge(),
            "story": lambda: f.story(),
        }[kind]()
        record_id = record.id
    login(client, posting["applicant"])
    url = f"/report/{kind}/{record_id}"
    assert client.get(url).status_code == 200
    response = client.post(url, data={"reason": "scam", "message": "Parece fraude"})
    assert response.status_code == 302
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert (report.target_kind, report.target_id, report.reason, report.status) == (
            kind, record_id, "scam", "open",
        )  # fmt: skip
        assert report.message == "Parece fraude"
    assert "report.created" in actions(app)
    thanks = translated(app, "Thank you. The curators will review your report.", "es")
    assert thanks in client.get(response.location).get_data(as_text=True)


def test_report_refuses_bad_input_and_hidden_records(app, client, posting):
    with app.app_context():
        private = f.profile(visibility="private").id
        public = f.profile().id
    login(client, posting["applicant"])
    assert client.get(f"/report/profile/{private}").status_code == 404
    assert client.get("/report/planet/1").status_code == 404
    assert client.get("/report/opening/999999").status_code == 404
    for data in ({"reason": "bored", "message": ""}, {"reason": "scam", "message": "x" * 2001}):
        response = client.post(f"/report/profile/{public}", data=data)
        assert response.status_code == 200 and 'class="errors"' in response.get_data(as_text=True)
    assert count(app, Report) == 0


def test_report_needs_a_login(client, posting):
    response = client.get(f"/report/opening/{posting['opening']}")
    assert response.status_code == 302 and "/login" in response.location
