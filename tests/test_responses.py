"""Applications and proposals as the posting organisation reads and answers them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from directory.extensions import db
from directory.models import Application, AuditEvent, Proposal, ResponseStatus
from directory.services import responses

from . import factories as f
from .helpers import translated
from .test_orgs import ROLES, build_world, check_matrix, client_as, clients_for

EVERYONE_404 = {**dict.fromkeys(ROLES, 404), "anonymous": 302}
TEAM_ONLY = {"anonymous": 302, "owner": 200, "editor": 200, "outsider": 403, "rival": 403,
             "curator": 403}  # fmt: skip


def test_applications_page_shows_name_message_and_status_but_never_email(app):
    world = build_world(app)
    html = (
        client_as(app, "editor")
        .get(f"/manage/openings/{world.opening_id}/applications")
        .get_data(as_text=True)
    )
    assert "Ana Aplicante" in html and "Me interesa mucho." in html
    assert translated(app, "Received", "es") in html
    assert "applicant@example.org" not in html and "0000 1111" not in html


def test_proposals_page_names_the_proposing_organisation(app):
    world = build_world(app)
    with app.app_context():
        proposal = db.session.get(Proposal, world.proposal_id)
        proposal.organization = f.org(name="Startup Proponente")
        db.session.commit()
    html = (
        client_as(app, "owner")
        .get(f"/manage/challenges/{world.challenge_id}/proposals")
        .get_data(as_text=True)
    )
    assert "Ana Aplicante" in html and "Startup Proponente" in html
    assert "Tenemos un prototipo." in html and "applicant@example.org" not in html


def test_an_applicant_without_profile_is_not_shown_by_email(app):
    world = build_world(app)
    with app.app_context():
        person = f.user("sin-perfil@example.org")
        db.session.add(Application(opening_id=world.opening_id, user=person, message="Hola"))
        db.session.commit()
    html = (
        client_as(app, "owner")
        .get(f"/manage/openings/{world.opening_id}/applications")
        .get_data(as_text=True)
    )
    assert "sin-perfil@example.org" not in html and "Hola" in html


def test_message_markup_is_neutralised(app):
    world = build_world(app)
    with app.app_context():
        application = db.session.get(Application, world.application_id)
        application.message = (
            "<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>"  # noqa: E501
        )
        db.session.commit()
    html = (
        client_as(app, "owner")
        .get(f"/manage/openings/{world.opening_id}/applications")
        .get_data(as_text=True)
    )
    assert "<script>alert(1)" not in html and "javascript:alert" not in html
    assert "onerror" not in html


@pytest.mark.parametrize(
    "path", ["/manage/openings/{opening}/applications", "/manage/challenges/{challenge}/proposals"]
)
def test_response_pages_authorisation(app, path):
    world = build_world(app)
    clients = clients_for(app)
    check_matrix(clients, "GET", path.format(opening=world.opening_id,
                                             challenge=world.challenge_id), TEAM_ONLY)  # fmt: skip
    check_matrix(clients, "GET", path.format(opening=999_999, challenge=999_999), EVERYONE_404)


@pytest.mark.parametrize(
    ("path", "model"),
    [("/manage/applications/{id}", Application), ("/manage/proposals/{id}", Proposal)],
)
def test_answering_is_for_the_team_only(app, path, model):
    world = build_world(app)
    clients = clients_for(app)
    record_id = world.application_id if model is Application else world.proposal_id
    url = path.format(id=record_id)
    for role in ("outsider", "rival", "curator"):
        assert clients[role].post(url, data={f"r{record_id}-status": "accepted"}).status_code == 403
    anonymous = clients["anonymous"].post(url, data={f"r{record_id}-status": "accepted"})
    assert anonymous.status_code == 302 and "/login" in anonymous.location
    for role in ("owner", "editor", "rival"):
        assert clients[role].post(path.format(id=999_999)).status_code == 404
    with app.app_context():
        assert db.session.get(model, record_id).status == ResponseStatus.RECEIVED
    response = clients["editor"].post(url, data={f"r{record_id}-status": "shortlisted"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(model, record_id).status == ResponseStatus.SHORTLISTED


def test_shortlist_then_accept_with_messages_mails_the_applicant_in_their_language(app):
    world = build_world(app)
    client = client_as(app, "owner")
    url = f"/manage/applications/{world.application_id}"
    prefix = f"r{world.application_id}-"
    client.post(url, data={prefix + "status": "shortlisted", prefix + "message": "Nos gustó."})
    with app.app_context():
        application = db.session.get(Application, world.application_id)
        assert (application.status, application.response_message) == ("shortlisted", "Nos gustó.")
        title = application.opening.title
    mail = app.extensions["outbox"][-1]
    assert mail["To"] == "applicant@example.org"
    # The applicant chose English: the mail is in English whatever the owner reads.
    assert mail["Subject"] == translated(
        app, "Your application to “%(title)s” has news", "en", title=title
    )
    assert "Nos gustó." in mail.get_content() and "Shortlisted" in mail.get_content()
    response = client.post(url, data={prefix + "status": "accepted"}, follow_redirects=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert translated(app, "This answer is final.", "es") in html
    assert "applicant@example.org" not in html
    with app.app_context():
        assert db.session.get(Application, world.application_id).status == "accepted"
        events = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "application.answered")
            .order_by(AuditEvent.id)
        ).all()
        assert [(e.details["was"], e.details["now"]) for e in events] == [
            ("received", "shortlisted"),
            ("shortlisted", "accepted"),
        ]
    assert len(app.extensions["outbox"]) == 2


@pytest.mark.parametrize(
    ("start", "target", "ok"),
    [
        ("received", "shortlisted", True),
        ("received", "accepted", True),
        ("received", "declined", True),
        ("shortlisted", "accepted", True),
        ("shortlisted", "declined", True),
        ("shortlisted", "received", False),
        ("shortlisted", "shortlisted", False),
        ("accepted", "declined", False),
        ("declined", "accepted", False),
        ("declined", "shortlisted", False),
        ("received", "hired", False),
    ],
)
def test_transitions(app, app_ctx, start, target, ok):
    record = f.opening()
    person = f.user()
    application = Application(opening=record, user=person, message="x", status=start)
    db.session.add(application)
    db.session.commit()
    if ok:
        responses.respond(application, target, "", actor=person)
        assert application.status == target
    else:
        with pytest.raises(responses.InvalidInput):
            responses.respond(application, target, "", actor=person)
        assert application.status == start


def test_a_refused_move_says_why_and_changes_nothing(app):
    world = build_world(app)
    with app.app_context():
        db.session.get(Proposal, world.proposal_id).status = ResponseStatus.DECLINED
        db.session.commit()
    client = client_as(app, "owner")
    client.set_cookie("lang", "en")
    response = client.post(
        f"/manage/proposals/{world.proposal_id}",
        data={f"r{world.proposal_id}-status": "accepted"},
        follow_redirects=True,
    )
    assert "This answer is final (Declined)." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Proposal, world.proposal_id).status == ResponseStatus.DECLINED
    assert not app.extensions.get("outbox")


def test_an_overlong_message_is_refused(app):
    world = build_world(app)
    prefix = f"r{world.application_id}-"
    client_as(app, "owner").post(
        f"/manage/applications/{world.application_id}",
        data={prefix + "status": "declined", prefix + "message": "m" * 2001},
    )
    with app.app_context():
        assert db.session.get(Application, world.application_id).status == "received"
