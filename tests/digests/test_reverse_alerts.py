"""Ways back to Mexico, new candidates for editors and saved-search bells (issue 12): who
is told, who is never told, and what the mail and the bell say."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask_babel import force_locale, ngettext
from sqlalchemy import select

from directory.extensions import db
from directory.models import AlertSettings, Membership, Notification, User, utcnow
from directory.services import alerts
from directory.services.digests import run as digests

from .. import factories as f
from ..helpers import translated

SKILLS = ("computer-vision", "python")
VISION = "Ingeniera de visión por computadora"
LONG_AGO = utcnow() - timedelta(days=30)


def _text_to(app: Flask, email: str) -> str:
    mails = [m for m in app.extensions.get("outbox", []) if m["To"] == email]
    assert len(mails) <= 1, "one mail per person per period"
    return mails[0].get_body(("plain",)).get_content() if mails else ""


def _person(email: str, locale: str = "es", **fields) -> User:
    person = f.user(email, locale=locale)
    f.profile(person, skill_slugs=SKILLS, headline=VISION, **fields)
    return person


def _vision_opening(**fields):
    fields.setdefault("title", "Visión por computadora en Monterrey")
    return f.opening(skill_slugs=SKILLS, **fields)


@pytest.mark.parametrize("locale", ["es", "en"])
def test_people_abroad_open_to_return_get_ways_back(app: Flask, locale: str) -> None:
    with app.app_context():
        _person("lejos@example.org", locale, country_code="CA", state_code=None,
                diaspora_status="abroad", open_to=["jobs", "full_return"])  # fmt: skip
        _person("local@example.org", locale, state_code="NLE", open_to=["jobs"])
        _person("quieto@example.org", locale, country_code="CA", state_code=None,
                diaspora_status="abroad", open_to=["advising"])  # fmt: skip
        _vision_opening(relocation_support=True)
        digests.run_digests("weekly")
    heading = translated(
        app, "Ways back to Mexico: openings with relocation, remote work or research stays", locale
    )
    matches = translated(app, "New openings and challenges that fit your profile", locale)
    far = _text_to(app, "lejos@example.org")
    assert heading in far and "Visión por computadora en Monterrey" in far
    assert matches not in far  # the same opening is not told twice in one mail
    local = _text_to(app, "local@example.org")
    assert matches in local and heading not in local
    # Abroad but not open to return: a match, never a way back.
    assert heading not in _text_to(app, "quieto@example.org")


def test_an_opening_without_relocation_or_remote_work_is_no_way_back(app: Flask) -> None:
    with app.app_context():
        far = _person("lejos@example.org", country_code="US", state_code=None,
                      diaspora_status="returning", open_to=["jobs"])  # fmt: skip
        db.session.add(AlertSettings(user_id=far.id, match_frequency="never"))
        db.session.commit()
        _vision_opening(relocation_support=False, remote_policy="onsite")
        remote = _vision_opening(remote_policy="remote")
        remote.title = "Visión remota desde cualquier país"
        db.session.commit()
        digests.run_digests("weekly")
    text = _text_to(app, "lejos@example.org")
    assert "Visión remota desde cualquier país" in text
    assert "Visión por computadora en Monterrey" not in text


def test_a_visiting_stay_reaches_people_open_to_one(app: Flask) -> None:
    with app.app_context():
        _person("estancia@example.org", country_code="ES", state_code=None,
                diaspora_status="abroad", open_to=["visiting_stay"])  # fmt: skip
        stay = _vision_opening(kind="fellowship")
        stay.title = "Estancia posdoctoral en visión"
        db.session.commit()
        digests.run_digests("weekly")
    heading = translated(
        app, "Ways back to Mexico: openings with relocation, remote work or research stays", "es"
    )
    text = _text_to(app, "estancia@example.org")
    assert heading in text and "Estancia posdoctoral en visión" in text


def test_ways_back_unsubscribe_from_the_mail_stops_them(app: Flask, client) -> None:
    with app.app_context():
        far_id = _person("lejos@example.org", country_code="CA", state_code=None,
                         diaspora_status="abroad", open_to=["full_return"]).id  # fmt: skip
        _vision_opening(relocation_support=True)
        digests.run_digests("weekly")
    text = _text_to(app, "lejos@example.org")
    links = [line.split(": ", 1)[1] for line in text.splitlines() if "/unsubscribe/" in line]
    first = links[0].removeprefix("http://localhost")  # the ways-back section comes first
    assert client.post(first, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    with app.app_context():
        row = db.session.get(AlertSettings, far_id)
        assert row.ways_back_frequency == "never" and row.match_frequency == "weekly"


def _editor_with_opening(email: str = "editora@example.org"):
    editor = f.user(email)
    org = f.org(editor, name="Visión Norte", skill_slugs=SKILLS)
    opening = f.opening(org, title="Ingeniería de visión por computadora", skill_slugs=SKILLS)
    opening.published_at = LONG_AGO  # posted long ago: only the person is new
    db.session.commit()
    return editor, org, opening


def test_editors_hear_of_new_people_who_fit_their_openings(app: Flask) -> None:
    with app.app_context():
        editor, _org, opening = _editor_with_opening()
        ana = _person("ana@example.org", full_name="Ana Visión", state_code="NLE")
        _person("oculta@example.org", full_name="Beatriz Oculta", state_code="NLE",
                matching_consent=False)  # fmt: skip
        _person("privada@example.org", full_name="Carla Privada", state_code="NLE",
                visibility="private")  # fmt: skip
        digests.run_digests("daily")
        bell = db.session.scalars(select(Notification).where(Notification.user_id == editor.id))
        assert [(n.kind, n.record_id, n.params["count"]) for n in bell] == [
            ("new_candidates", opening.id, 1)
        ]
        assert ana.profile is not None
    text = _text_to(app, "editora@example.org")
    assert "Ingeniería de visión por computadora" in text and "Ana Visión" in text
    assert "Beatriz Oculta" not in text and "Carla Privada" not in text
    # The next run has nobody new to tell.
    app.extensions["outbox"].clear()
    with app.app_context():
        digests.run_digests("daily", utcnow() + timedelta(days=1))
    assert _text_to(app, "editora@example.org") == ""


def test_an_editor_who_left_before_the_mail_hears_nothing(app: Flask, monkeypatch) -> None:
    """Row 42: the editor's right to hear of candidates is checked when the mail is sent."""
    from directory.models import Digest
    from directory.services.digests import send

    with app.app_context():
        editor, _org, _opening = _editor_with_opening()
        _person("ana@example.org", full_name="Ana Visión", state_code="NLE")
        monkeypatch.setattr("directory.jobs.enqueue", lambda task, *a: None)
        digests.run_digests("daily")  # built; its mail waits for the worker
        db.session.execute(Membership.__table__.delete().where(Membership.user_id == editor.id))
        db.session.commit()
        send.send_digest(db.session.scalar(select(Digest.id)))
        assert db.session.scalar(select(Digest.status)) == "dropped"
    assert _text_to(app, "editora@example.org") == ""


def test_a_saved_search_rings_the_bell_with_its_new_results(app: Flask) -> None:
    with app.app_context():
        ana = f.user("ana@example.org")
        saved = alerts.save_search(ana, kind="directory", name="Hidrología", frequency="weekly",
                                   args={"q": "hidrología"})  # fmt: skip
        saved.created_at = LONG_AGO
        db.session.commit()
        opening = f.opening(title="Especialista en hidrología satelital")
        f.opening(title="Contador público")
        digests.run_digests("weekly")
        rows = list(db.session.scalars(select(Notification)))
        assert [(n.kind, n.record_id, n.params, n.link) for n in rows] == [
            ("search_result", opening.id, {"search": "Hidrología", "count": 1},
             f"/openings/{opening.id}")
        ]  # fmt: skip
        for n in range(3):
            f.opening(title=f"Hidrología urbana {n}")
        digests.run_digests("weekly", utcnow() + timedelta(days=7))
        rows = list(db.session.scalars(select(Notification).order_by(Notification.id)))
        assert len(rows) == 2  # one line for the three new results, not three
        assert (rows[1].params["count"], rows[1].link) == (3, f"/me/alerts/{saved.id}")


def test_many_new_matches_ring_the_bell_once(app: Flask, client, auth) -> None:
    with app.app_context():
        ana = _person("ana@example.org", state_code="NLE", open_to=["jobs"])
        for n in range(3):
            _vision_opening(title=f"Visión por computadora {n}")
        digests.run_digests("weekly")
        (row,) = db.session.scalars(select(Notification).where(Notification.user_id == ana.id))
        assert (row.kind, row.params["count"], row.link) == ("new_match", 3, "/me/matches")
    auth.login("ana@example.org")
    page = client.get("/me/notifications").get_data(as_text=True)
    with app.test_request_context(), force_locale("es"):
        more = ngettext("and %(num)d more in your e-mail", "and %(num)d more in your e-mail", 2)
    assert more in page and "y 2 más" in page


def test_withdrawing_consent_before_the_mail_stops_match_alerts(app: Flask, monkeypatch) -> None:
    """Issue 12: from the moment consent is withdrawn, nothing more is sent."""
    from directory.models import Digest
    from directory.services.digests import send

    with app.app_context():
        ana = _person("ana@example.org", state_code="NLE", open_to=["jobs"])
        _vision_opening()
        monkeypatch.setattr("directory.jobs.enqueue", lambda task, *a: None)
        assert digests.run_digests("weekly") == 1  # built; its mail waits for the worker
        ana.profile.matching_consent = False
        db.session.commit()
        send.send_digest(db.session.scalar(select(Digest.id)))
        assert db.session.scalar(select(Digest.status)) == "dropped"
    assert _text_to(app, "ana@example.org") == ""
