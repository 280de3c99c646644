"""Mediated contact: emails stay hidden until the recipient accepts, and only then."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import AuditEvent, ContactRequest, Profile
from directory.services import contacts

from . import factories
from .helpers import translated

ANA, BETO, CARLA, DIEGO = (f"{n}@example.org" for n in ("ana", "beto", "carla", "diego"))


@dataclass
class People:
    """Ana (sender, with a profile), Beto (accepts contact), Carla (sender), Diego (a bystander)."""

    beto_profile: int
    ana_profile: int


@pytest.fixture
def people(app) -> People:
    with app.app_context():
        ana = factories.user(ANA)
        beto = factories.user(BETO, locale="en")
        factories.user(CARLA)
        factories.user(DIEGO)
        ana_profile = factories.profile(ana, full_name="Ana Sender", visibility="members")
        beto_profile = factories.profile(beto, full_name="Beto Recipient")
        return People(beto_profile=beto_profile.id, ana_profile=ana_profile.id)


def ask(
    client, profile_id: int, message: str = "Hola, me interesa tu trabajo en visión."
) -> object:
    return client.post(f"/people/{profile_id}/contact", data={"message": message})


def requests(app) -> list[ContactRequest]:
    with app.app_context():
        rows = db.session.scalars(select(ContactRequest).order_by(ContactRequest.id)).all()
        db.session.expunge_all()
        return list(rows)


def actions(app, prefix: str) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.action.startswith(prefix))
                .order_by(AuditEvent.id)
            )
        )


def set_profile(app, profile_id: int, **fields: object) -> None:
    with app.app_context():
        profile = db.session.get(Profile, profile_id)
        for key, value in fields.items():
            setattr(profile, key, value)
        db.session.commit()


def test_anonymous_visitors_must_log_in_to_ask(client, people):
    response = client.get(f"/people/{people.beto_profile}/contact")
    assert response.status_code == 302 and response.location.startswith("/login")
    assert ask(client, people.beto_profile).status_code == 302
    assert client.get("/me/contacts").status_code == 302


def test_who_cannot_be_contacted(app, client, auth, people):
    auth.login(ANA)
    assert client.get(f"/people/{people.ana_profile}/contact").status_code == 403  # myself
    assert client.get("/people/999999/contact").status_code == 404
    set_profile(app, people.beto_profile, contact_consent=False)
    assert client.get(f"/people/{people.beto_profile}/contact").status_code == 403
    assert ask(client, people.beto_profile).status_code == 403
    set_profile(app, people.beto_profile, contact_consent=True, visibility="private")
    assert client.get(f"/people/{people.beto_profile}/contact").status_code == 404
    assert ask(client, people.beto_profile).status_code == 404
    set_profile(app, people.beto_profile, visibility="members")
    assert client.get(f"/people/{people.beto_profile}/contact").status_code == 200
    assert requests(app) == []


def test_the_service_refuses_oneself_and_no_consent(app_ctx):
    ana = factories.user()
    mine = factories.profile(ana)
    with pytest.raises(contacts.ContactError):
        contacts.send_request(ana, mine, "Hola")
    other = factories.profile(contact_consent=False)
    with pytest.raises(contacts.ContactError):
        contacts.send_request(ana, other, "Hola")


def test_a_request_is_saved_audited_and_mailed_in_the_recipients_language(
    app, client, auth, people
):
    auth.login(ANA)
    page = client.get(f"/people/{people.beto_profile}/contact").get_data(as_text=True)
    assert "Beto Recipient" in page and BETO not in page
    response = ask(client, people.beto_profile)
    assert response.status_code == 302 and response.location == "/me/contacts"
    [request] = requests(app)
    assert request.status == "pending" and request.message.startswith("Hola")
    assert actions(app, "contact.") == ["contact.requested"]
    [mail] = app.extensions["outbox"]
    assert mail["To"] == BETO
    subject = "%(name)s wants to contact you on Directorio IA"
    assert mail["Subject"] == translated(app, subject, "en", name="Ana Sender")  # Beto reads en
    assert ANA not in mail.get_content() and "/me/contacts" in mail.get_content()
    html = client.get("/me/contacts").get_data(as_text=True)
    assert "Beto Recipient" in html and BETO not in html
    assert translated(app, "Waiting for an answer", "es") in html


@pytest.mark.parametrize("locale", ["es", "en"])
@pytest.mark.parametrize(
    ("message", "msgid", "params"),
    [
        ("", "This field is required.", {}),
        ("x" * 2001, "Use at most %(max)d characters.", {"max": 2000}),
    ],
)
def test_a_bad_message_is_explained_and_nothing_sent(
    app, client, auth, people, locale, message, msgid, params
):
    client.set_cookie("lang", locale)
    auth.login(ANA)
    response = ask(client, people.beto_profile, message)
    assert response.status_code == 200
    assert translated(app, msgid, locale, **params) in response.get_data(as_text=True)
    assert requests(app) == [] and app.extensions.get("outbox", []) == []


@pytest.mark.parametrize("locale", ["es", "en"])
def test_a_second_pending_request_is_refused(app, client, auth, people, locale):
    client.set_cookie("lang", locale)
    auth.login(ANA)
    ask(client, people.beto_profile)
    response = ask(client, people.beto_profile, "¿Otra vez?")
    msgid = "You have already asked to contact this person. Wait for their answer."
    assert translated(app, msgid, locale) in response.get_data(as_text=True)
    assert len(requests(app)) == 1 and len(app.extensions["outbox"]) == 1
    page = client.get(f"/people/{people.beto_profile}/contact").get_data(as_text=True)
    assert 'data-test="already-requested"' in page and 'data-test="contact-form"' not in page


def test_accepting_reveals_both_emails_to_both(app, client, auth, people):
    auth.login(ANA)
    ask(client, people.beto_profile)
    [request] = requests(app)
    assert ANA not in _contacts_as(client, auth, BETO)
    response = client.post(f"/me/contacts/{request.id}/accept")
    assert response.status_code == 302
    assert requests(app)[0].status == "accepted" and requests(app)[0].decided_at is not None
    assert ANA in client.get("/me/contacts").get_data(as_text=True)
    assert BETO in _contacts_as(client, auth, ANA)
    assert actions(app, "contact.") == ["contact.requested", "contact.accepted"]
    assert app.extensions["outbox"][-1]["To"] == ANA  # Ana hears that Beto accepted
    again = ask(client, people.beto_profile)  # already in contact: no new request
    assert again.status_code == 200 and len(requests(app)) == 1


def test_declining_reveals_nothing(app, client, auth, people):
    auth.login(CARLA)
    ask(client, people.beto_profile)
    [request] = requests(app)
    _contacts_as(client, auth, BETO)
    client.post(f"/me/contacts/{request.id}/decline")
    assert requests(app)[0].status == "declined"
    assert CARLA not in client.get("/me/contacts").get_data(as_text=True)
    html = _contacts_as(client, auth, CARLA)
    assert BETO not in html and translated(app, "Declined", "es") in html
    assert actions(app, "contact.") == ["contact.requested", "contact.declined"]
    again = ask(client, people.beto_profile, "¿Y ahora?")  # a "no" stays a no
    msgid = "This person declined your earlier request, so you cannot ask again."
    assert translated(app, msgid, "es") in again.get_data(as_text=True)
    assert len(requests(app)) == 1


def test_only_the_recipient_decides_and_only_once(app, client, auth, people):
    auth.login(ANA)
    ask(client, people.beto_profile)
    [request] = requests(app)
    assert client.post(f"/me/contacts/{request.id}/accept").status_code == 403  # the sender
    _contacts_as(client, auth, DIEGO)
    assert client.post(f"/me/contacts/{request.id}/accept").status_code == 404  # a bystander
    assert BETO not in client.get("/me/contacts").get_data(as_text=True)
    _contacts_as(client, auth, BETO)
    assert client.post("/me/contacts/999999/accept").status_code == 404
    assert client.post(f"/me/contacts/{request.id}/maybe").status_code == 404
    client.post(f"/me/contacts/{request.id}/decline")
    response = client.post(f"/me/contacts/{request.id}/accept", follow_redirects=True)
    # Beto reads English.
    assert translated(app, "You have already answered this request.", "en") in (
        response.get_data(as_text=True)
    )
    assert requests(app)[0].status == "declined"
    assert ANA not in response.get_data(as_text=True)


def test_withdrawn_consent_closes_waiting_requests(app, client, auth, people):
    auth.login(ANA)
    ask(client, people.beto_profile)
    [request] = requests(app)
    set_profile(app, people.beto_profile, contact_consent=False)
    html = _contacts_as(client, auth, BETO)
    assert translated(app, "Closed", "en") in html
    assert f'data-test="accept-{request.id}"' not in html
    client.post(f"/me/contacts/{request.id}/accept")
    assert requests(app)[0].status == "pending"
    assert ANA not in client.get("/me/contacts").get_data(as_text=True)
    assert translated(app, "Closed", "es") in _contacts_as(client, auth, ANA)


def test_a_pending_request_shows_no_email_and_can_be_seen_by_its_two_people_only(
    app, client, auth, people
):
    auth.login(ANA)
    ask(client, people.beto_profile)
    assert BETO not in client.get("/me/contacts").get_data(as_text=True)
    assert ANA not in _contacts_as(client, auth, BETO)
    html = _contacts_as(client, auth, DIEGO)
    assert "Ana Sender" not in html and "Beto Recipient" not in html


def test_messages_and_names_are_escaped(app, client, auth, people):
    set_profile(app, people.ana_profile, full_name='"><svg onload=alert(1)>')
    auth.login(ANA)
    ask(client, people.beto_profile, "<script>alert(2)</script>")
    html = _contacts_as(client, auth, BETO)
    assert "<svg" not in html and "<script>alert(2)" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html


def test_contact_pages_are_not_cached(client, auth, people):
    auth.login(ANA)
    assert client.get("/me/contacts").headers["Cache-Control"] == "no-store"


def test_requests_are_listed_newest_first(app_ctx):
    beto = factories.user()
    target = factories.profile(beto)
    senders = [factories.user() for _ in range(3)]
    for sender in senders:
        contacts.send_request(sender, target, "Hola")
    db.session.commit()
    assert [r.sender_id for r in contacts.received(beto)] == [s.id for s in reversed(senders)]
    assert db.session.scalar(select(func.count()).select_from(ContactRequest)) == 3


def _contacts_as(client, auth, email: str) -> str:
    """Log in as someone else and return their contacts page."""
    auth.logout()
    auth.login(email)
    return client.get("/me/contacts").get_data(as_text=True)
