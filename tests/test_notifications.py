"""In-app notifications: written with their event, as each person chose, shown only as the
reader may see the record now, in the reader's language (SECURITY.md rows 12, 17–19, 21, 42).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, ngettext
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import (
    Application,
    Claim,
    Notification,
    NotificationPreference,
    Opening,
    Organization,
    User,
    utcnow,
)
from directory.services import account_deletion, data_export, notifications, responses
from directory.services.revisions import fields, submit_edit

from . import factories as f
from .conftest import PASSWORD, csrf_token_from
from .helpers import translated

OWNER, EDITOR, APPLICANT, OTHER = (
    "owner@example.org",
    "editor@example.org",
    "applicant@example.org",
    "other@example.org",
)
NEWS = "Your application to “%(title)s” has news"


@dataclass
class World:
    org_id: int
    opening_id: int
    application_id: int
    title: str


@pytest.fixture
def world(app: Flask) -> World:
    """An organisation (owner reads Spanish, an editor), its opening, an English applicant."""
    with app.app_context():
        owner = f.user(OWNER, locale="es")
        editor = f.user(EDITOR)
        applicant = f.user(APPLICANT, locale="en")
        f.profile(applicant, full_name="Ana Aplicante")
        f.user(OTHER)
        org = f.org(owner, name="Kaab Salud", editors=(editor,))
        opening = f.opening(org, title="Ingeniería de datos clínicos")
        application = Application(opening=opening, user=applicant, message="Me interesa.")
        db.session.add(application)
        db.session.commit()
        return World(org.id, opening.id, application.id, opening.title)


def login(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def answer(app: Flask, world: World, status: str = "shortlisted") -> None:
    prefix = f"r{world.application_id}-"
    login(app, OWNER).post(
        f"/manage/applications/{world.application_id}", data={prefix + "status": status}
    )


def rows(app: Flask, email: str) -> list[Notification]:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def unread_label(app: Flask, locale: str, count: int) -> str:
    """The bell's accessible name as the catalogue writes it (a plural message)."""
    with app.test_request_context(), force_locale(locale):
        msgid = "Notifications (%(num)d unread)"
        return str(ngettext(msgid, msgid, count))


def outbox(app: Flask) -> list:
    return app.extensions.get("outbox", [])


def choose(app: Flask, email: str, kind: str, channel: str) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        notifications.set_preferences(user, {kind: channel})
        db.session.commit()


# --- the event writes it -----------------------------------------------------------------


def test_an_answer_reaches_the_applicant_in_the_app_and_by_mail_in_their_language(app, world):
    answer(app, world)
    [row] = rows(app, APPLICANT)
    assert (row.kind, row.record_kind, row.params) == (
        "application_status", "application", {"status": "shortlisted"})  # fmt: skip
    [mail] = outbox(app)  # once: the preference decides, the old direct mail is gone
    assert mail["To"] == APPLICANT
    assert mail["Subject"] == translated(app, NEWS, "en", title=world.title)
    client = login(app, APPLICANT)
    home = client.get("/").get_data(as_text=True)
    label = 'aria-label="' + unread_label(app, "en", 1)
    assert label in home and 'data-test="bell-count">1<' in home
    page = client.get("/me/notifications")
    html = page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert translated(app, NEWS, "en", title=world.title) in html
    assert translated(app, "New status: %(status)s", "en", status="Shortlisted") in html
    assert 'data-test="unread"' in html
    assert '<a href="/me/activity" data-test="notification-text">' in html


@pytest.mark.parametrize("locale", ["es", "en"])
def test_the_text_is_written_in_the_readers_language_when_read(app, world, locale):
    answer(app, world)
    with app.app_context():
        db.session.get(User, rows(app, APPLICANT)[0].user_id).locale = locale
        db.session.commit()
    html = login(app, APPLICANT).get("/me/notifications").get_data(as_text=True)
    assert translated(app, NEWS, locale, title=world.title) in html


def test_the_row_belongs_to_the_events_transaction(app, world):
    with app.test_request_context():
        application = db.session.get(Application, world.application_id)
        owner = db.session.scalar(select(User).where(User.email == OWNER))
        responses.respond(application, "accepted", "", actor=owner)
        responses.notify_applicant(application, link="http://localhost/x")
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 1
        db.session.rollback()  # the answer failed after all
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 0
        assert db.session.get(Application, world.application_id).status == "received"


@pytest.mark.parametrize(
    ("channel", "in_app", "mails"),
    [("none", 0, 0), ("email", 0, 1), ("in_app", 1, 0), ("both", 1, 1)],
)
def test_the_preference_chooses_the_channels(app, world, channel, in_app, mails):
    choose(app, APPLICANT, "application_status", channel)
    answer(app, world)
    assert len(rows(app, APPLICANT)) == in_app
    assert [m["To"] for m in outbox(app)] == [APPLICANT] * mails


def test_a_new_application_tells_the_owners_and_editors(app, world):
    with app.app_context():
        f.user("ana@example.org")
    client = login(app, "ana@example.org")
    client.post(f"/openings/{world.opening_id}/apply", data={"message": "Hola, me interesa."})
    for email in (OWNER, EDITOR):
        [row] = rows(app, email)
        assert (row.kind, row.params) == ("response_received", {"what": "application"})
        assert row.link == f"/manage/openings/{world.opening_id}/applications"
    assert sorted(m["To"] for m in outbox(app)) == [EDITOR, OWNER]
    assert "Hola, me interesa." not in outbox(app)[0].get_content()


def test_contact_requests_and_their_acceptance_are_notified(app):
    with app.app_context():
        f.profile(f.user("ana@example.org"), full_name="Ana Remitente")
        beto = f.profile(f.user("beto@example.org"), full_name="Beto Destinatario")
        beto_id = beto.id
    ana = login(app, "ana@example.org")
    ana.post(f"/people/{beto_id}/contact", data={"message": "¿Colaboramos?"})
    [row] = rows(app, "beto@example.org")
    beto_client = login(app, "beto@example.org")
    html = beto_client.get("/me/notifications").get_data(as_text=True)
    msgid = "%(name)s wants to contact you on Directorio IA"
    assert translated(app, msgid, "es", name="Ana Remitente") in html
    beto_client.post(f"/me/contacts/{row.record_id}/accept")
    [accepted] = rows(app, "ana@example.org")
    assert accepted.kind == "contact_answered" and len(outbox(app)) == 2


def test_curators_decisions_claims_edits_and_invitations_are_notified(app, world):
    with app.app_context():
        f.user("curator@example.org", role="curator")
        owner = db.session.scalar(select(User).where(User.email == OWNER))
        pending = f.org(owner, status="pending", name="Org pendiente")
        claimant = db.session.scalar(select(User).where(User.email == OTHER))
        claim = Claim(organization_id=world.org_id, user=claimant, message="Trabajo ahí.")
        db.session.add(claim)
        opening = db.session.get(Opening, world.opening_id)
        data = {**fields.service_data(fields.current("opening", opening)), "title": "Nuevo"}
        held = submit_edit(opening, data, actor=owner)  # Kaab Salud is not verified: held
        db.session.commit()
        ids = (pending.id, claim.id, held.revision.id)
    curator_client = login(app, "curator@example.org")
    curator_client.post(f"/curation/queue/organization/{ids[0]}/publish")
    curator_client.post(f"/curation/claims/{ids[1]}/approve", data={"reason": ""})
    curator_client.post(f"/curation/revisions/{ids[2]}/accept")
    kinds = sorted(row.kind for row in rows(app, OWNER))
    assert kinds == ["moderation", "revision_decided"]
    assert [row.kind for row in rows(app, OTHER)] == ["claim_decided"]
    assert len(outbox(app)) == 3
    # An invitation to someone with an account: in the app, and the link mail only once.
    login(app, OWNER).post(f"/manage/organizations/{world.org_id}/invitations",
                           data={"email": APPLICANT})  # fmt: skip
    assert [row.kind for row in rows(app, APPLICANT)] == ["invitation"]
    assert [m["To"] for m in outbox(app)[3:]] == [APPLICANT]


# --- who sees what ----------------------------------------------------------------------


def test_another_persons_notifications_are_never_shown_or_markable(app, world):
    answer(app, world)
    [row] = rows(app, APPLICANT)
    other = login(app, OTHER)
    assert world.title not in other.get("/me/notifications").get_data(as_text=True)
    assert other.post(f"/me/notifications/{row.id}/read").status_code == 404
    assert other.post("/me/notifications/999999/read").status_code == 404
    other.post("/me/notifications/read-all")
    assert rows(app, APPLICANT)[0].read_at is None


def test_a_record_hidden_later_no_longer_shows_its_title(app, world):
    answer(app, world)
    with app.app_context():
        db.session.get(Organization, world.org_id).status = "rejected"
        db.session.commit()
    html = login(app, APPLICANT).get("/me/notifications").get_data(as_text=True)
    assert world.title not in html and "Kaab Salud" not in html
    assert translated(app, "One of your applications has news", "en") in html
    assert 'href="/me/activity" data-test="notification-text"' not in html  # no link either
    # The team still sees their own organisation's records.
    with app.app_context():
        db.session.get(Organization, world.org_id).status = "published"
        db.session.delete(db.session.get(Application, world.application_id))
        db.session.commit()
    html = login(app, APPLICANT).get("/me/notifications").get_data(as_text=True)
    assert world.title not in html  # the application itself is gone


def test_names_titles_and_reasons_are_escaped(app, world):
    with app.app_context():
        db.session.get(Opening, world.opening_id).title = '"><svg onload=alert(1)>'
        db.session.commit()
        f.profile(f.user("x@example.org"), full_name="<script>alert(2)</script>")
        target_id = f.profile(f.user("y@example.org"), full_name="Ye").id
    answer(app, world)
    login(app, "x@example.org").post(f"/people/{target_id}/contact", data={"message": "hola"})
    with app.test_request_context():
        owner = db.session.scalar(select(User).where(User.email == OWNER))
        reason = "<img src=x onerror=alert(3)>"
        notifications.notify(owner, "moderation", record=db.session.get(Opening, world.opening_id),
                             params={"action": "rejected", "reason": reason})  # fmt: skip
        db.session.commit()
    html = login(app, APPLICANT).get("/me/notifications").get_data(as_text=True)
    assert "<svg onload" not in html and "&lt;svg onload=alert(1)&gt;" in html
    html = login(app, "y@example.org").get("/me/notifications").get_data(as_text=True)
    assert "<script>alert(2)" not in html and "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    html = login(app, OWNER).get("/me/notifications").get_data(as_text=True)
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(3)&gt;" in html


def test_inactive_and_deleted_accounts_are_never_notified(app, world):
    with app.test_request_context():
        person = db.session.scalar(select(User).where(User.email == APPLICANT))
        application = db.session.get(Application, world.application_id)
        person.active = False
        assert notifications.notify(person, "application_status", record=application) is None
        person.active = True
        account_deletion.delete_account(person, actor=None)
        assert notifications.notify(person, "application_status") is None
        assert outbox(app) == []


def test_a_match_about_a_record_the_person_may_not_see_is_not_written(app, world):
    with app.test_request_context():
        person = db.session.scalar(select(User).where(User.email == OTHER))
        hidden = f.opening(db.session.get(Organization, world.org_id), status="pending")
        assert notifications.notify(person, "new_match", record=hidden) is None
        shown = db.session.get(Opening, world.opening_id)
        assert notifications.notify(person, "new_match", record=shown) is not None
        # Nobody appears in someone else's match without consenting to be matched.
        candidate = f.profile(f.user("cand@example.org"), full_name="Candidata Uno",
                              matching_consent=False)  # fmt: skip
        assert notifications.notify(person, "new_match", record=candidate) is None
        candidate.matching_consent = True
        row = notifications.notify(person, "new_match", record=candidate)
        assert row is not None and "Candidata Uno" in notifications.present(row, person).headline
        candidate.matching_consent = False  # withdrawn since
        assert "Candidata Uno" not in notifications.present(row, person).headline


def test_links_stay_on_this_site_and_kinds_are_known(app, world):
    with app.test_request_context():
        person = db.session.scalar(select(User).where(User.email == OTHER))
        for link in ("https://evil.example", "//evil.example", "/\\evil.example", "javascript:x"):
            with pytest.raises(ValueError):
                notifications.notify(person, "new_match", link=link)
        with pytest.raises(ValueError):
            notifications.notify(person, "no_such_kind")


# --- the pages ----------------------------------------------------------------------------


def test_the_list_is_paged_newest_first_and_can_be_marked_read(app, world):
    with app.app_context():
        person = db.session.scalar(select(User).where(User.email == APPLICANT))
        start = utcnow()
        for n in range(25):
            db.session.add(Notification(user_id=person.id, kind="application_status",
                                        record_kind="application", record_id=world.application_id,
                                        params={"status": "accepted"},
                                        created_at=start + timedelta(seconds=n)))  # fmt: skip
        db.session.commit()
        ids = [row.id for row in rows(app, APPLICANT)]
    client = login(app, APPLICANT)
    first = shown_ids(client.get("/me/notifications"))
    assert first == list(reversed(ids))[:20]  # newest first
    assert shown_ids(client.get("/me/notifications?page=2")) == list(reversed(ids))[20:]
    assert client.post(f"/me/notifications/{ids[0]}/read", data={"page": "2"}).status_code == 302
    assert sum(row.read_at is None for row in rows(app, APPLICANT)) == 24
    client.post("/me/notifications/read-all")
    assert all(row.read_at is not None for row in rows(app, APPLICANT))
    home = client.get("/").get_data(as_text=True)
    label = 'aria-label="' + translated(app, "Notifications (none unread)", "en")
    assert label in home and 'data-test="bell-count"' not in home


def test_settings_are_saved_with_a_csrf_token_and_only_allowed_channels(app, world, csrf_on):
    client = login_with_token(app, APPLICANT)
    page = client.get("/me/notifications/settings")
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    token = csrf_token_from(html)
    with app.test_request_context(), force_locale("en"):
        labels = [str(kind.label) for kind in notifications.KINDS.values()]
    assert all(f"<legend>{label}</legend>" in html for label in labels)
    data = {code: spec.default for code, spec in notifications.KINDS.items()}
    assert client.post("/me/notifications/settings", data=data).status_code == 400  # no token
    data.update(csrf_token=token, application_status="email", contact_request="none")
    assert client.post("/me/notifications/settings", data=data).status_code == 302
    with app.app_context():
        stored = dict(db.session.execute(
            select(NotificationPreference.kind, NotificationPreference.channel)).all())  # fmt: skip
    assert stored == {"application_status": "email", "contact_request": "none"}
    # The invitation mail carries its link: it cannot be switched to e-mail only or off there.
    data.update(invitation="email")
    refused = client.post("/me/notifications/settings", data=data)
    assert refused.status_code == 200 and 'class="errors"' in refused.get_data(as_text=True)


def shown_ids(response) -> list[int]:
    html = response.get_data(as_text=True)
    return [int(n) for n in re.findall(r'data-test="notification-(\d+)"', html)]


def login_with_token(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    return client


def test_my_data_lists_my_notifications_and_deletion_removes_them(app, world):
    answer(app, world)
    choose(app, APPLICANT, "new_match", "both")
    with app.test_request_context():
        person = db.session.scalar(select(User).where(User.email == APPLICANT))
        exported = data_export.export_user_data(person)
        [item] = exported["notifications"]
        assert item["kind"] == "application_status" and item["params"] == {"status": "shortlisted"}
        assert exported["notification_preferences"]["new_match"] == "both"
        account_deletion.delete_account(person, actor=None)
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 0
        assert db.session.scalar(select(func.count()).select_from(NotificationPreference)) == 0
