"""Digest e-mails: saved searches and match alerts batched per person, each record delivered
at most once, re-checked at send time, with one-click unsubscribe (SECURITY rows 42–43)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import AlertDelivery, Digest, SavedSearch, Status, User, utcnow
from directory.services import alerts
from directory.services.digests import run as digests
from directory.services.digests import unsubscribe

from .. import factories as f
from ..helpers import translated

LONG_AGO = utcnow() - timedelta(days=30)


def _search(user: User, q: str, frequency: str = "weekly") -> SavedSearch:
    saved = alerts.save_search(user, kind="directory", name=f"Busco {q}", frequency=frequency,
                               args={"q": q})  # fmt: skip
    saved.created_at = LONG_AGO
    db.session.commit()
    return saved


def _mails_to(app: Flask, email: str) -> list:
    return [m for m in app.extensions.get("outbox", []) if m["To"] == email]


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("locale", ["es", "en"])
def test_a_new_opening_reaches_its_saved_search_once(app: Flask, locale: str) -> None:
    with app.app_context():
        ana = f.user("ana@example.org", locale=locale)
        _search(ana, "hidrología")
        f.opening(title="Especialista en hidrología satelital")
        f.opening(title="Contador público")
        assert digests.run_digests("weekly") == 1
        assert digests.run_digests("weekly") == 0  # a rerun sends nothing twice
        assert _count(Digest) == 1 and _count(AlertDelivery) == 1
    mails = _mails_to(app, "ana@example.org")
    assert len(mails) == 1
    mail = mails[0]
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "Especialista en hidrología satelital" in text and "Contador" not in text
    assert "Especialista en hidrología satelital" in html
    assert re.search(r"http://localhost/openings/\d+", text)
    heading = translated(app, "Your saved search “%(name)s”", locale, name="Busco hidrología")
    assert heading.replace("&#34;", '"') in text or "Busco hidrología" in text
    assert mail["List-Unsubscribe"].startswith("<http://localhost/unsubscribe/")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_one_mail_per_person_per_period_whatever_the_number_of_records(app: Flask) -> None:
    with app.app_context():
        ana = f.user("ana@example.org")
        _search(ana, "hidrología")
        _search(ana, "satelital")
        for n in range(3):
            f.opening(title=f"Hidrología satelital {n}")
        digests.run_digests("weekly")
        digest = db.session.scalar(select(Digest))
        assert len(digest.items) == 6  # 3 records × 2 searches, one digest
    assert len(_mails_to(app, "ana@example.org")) == 1


def test_a_record_hidden_before_sending_is_left_out(app: Flask, monkeypatch) -> None:
    """Row 42: re-checked when sent, not when queued."""
    from directory.services.digests import send

    with app.app_context():
        ana = f.user("ana@example.org")
        _search(ana, "hidrología")
        opening = f.opening(title="Hidrología secreta")
        queued: list[int] = []
        monkeypatch.setattr("directory.jobs.enqueue", lambda task, *a: queued.append(a[0]))
        monkeypatch.setattr(digests, "enqueue", lambda task, *a: queued.append(a[0]), raising=False)
        digests.run_digests("weekly")
        opening.status = Status.REJECTED
        db.session.commit()
        send.send_digest(db.session.scalar(select(Digest.id)))
        assert db.session.scalar(select(Digest.status)) == "dropped"
    assert not _mails_to(app, "ana@example.org")


def test_a_run_killed_half_way_resumes_without_duplicates_or_gaps(app: Flask) -> None:
    with app.app_context():
        people = [f.user(f"p{n}@example.org") for n in range(4)]
        for person in people:
            _search(person, "hidrología")
        f.opening(title="Hidrología satelital")

        def crash(built: int) -> None:
            if built == 2:
                raise KeyboardInterrupt  # stands for SIGKILL: nothing after this line runs

        with pytest.raises(KeyboardInterrupt):
            digests.run_digests("weekly", after_each=crash, batch=2)
        db.session.rollback()
        # Searches count as run only with their owner's digest: the rerun reaches the rest.
        assert digests.run_digests("weekly") == 2
        assert _count(Digest) == 4 and _count(AlertDelivery) == 4
    for n in range(4):
        assert len(_mails_to(app, f"p{n}@example.org")) == 1


def test_match_alerts_reach_consenting_people_only(app: Flask) -> None:
    with app.app_context():
        ana, beto = f.user("ana@example.org"), f.user("beto@example.org")
        skills = ("computer-vision", "python")
        f.profile(ana, skill_slugs=skills, state_code="NLE", open_to=["jobs"],
                  headline="Ingeniera de visión por computadora")  # fmt: skip
        f.profile(beto, skill_slugs=skills, state_code="NLE", matching_consent=False,
                  headline="Ingeniero de visión por computadora")  # fmt: skip
        f.opening(title="Ingeniería de visión por computadora", skill_slugs=skills,
                  state_code="NLE")  # fmt: skip
        assert digests.run_digests("weekly") == 1
    mails = _mails_to(app, "ana@example.org")
    assert len(mails) == 1
    assert "Ingeniería de visión" in mails[0].get_body(("plain",)).get_content()
    assert not _mails_to(app, "beto@example.org")


def test_one_click_unsubscribe_stops_the_mails(app: Flask, client) -> None:
    with app.app_context():
        ana = f.user("ana@example.org")
        _search(ana, "hidrología")
        f.opening(title="Hidrología satelital")
        digests.run_digests("weekly")
    link = _mails_to(app, "ana@example.org")[0]["List-Unsubscribe"].strip("<>")
    path = link.removeprefix("http://localhost")
    assert client.get(path).status_code == 200  # a page with a button
    # RFC 8058: the mail client posts without a session or a CSRF token.
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert done.status_code == 200
    forged = client.post(path[:-3] + "xyz", data={"List-Unsubscribe": "One-Click"})
    assert forged.status_code == 400
    with app.app_context():
        f.opening(title="Hidrología de cuencas")
        for saved in db.session.scalars(select(SavedSearch)):
            saved.last_run_at = LONG_AGO
        db.session.commit()
        assert digests.run_digests("weekly", utcnow() + timedelta(days=7)) == 0
        assert unsubscribe.read_token("nonsense", app.config["SECRET_KEY"]) is None


@pytest.mark.parametrize("locale", ["es", "en"])
def test_match_alert_settings_are_saved_and_checked(app: Flask, client, make_user, auth, locale):
    make_user("ana@example.org")
    auth.login("ana@example.org")
    client.set_cookie("lang", locale)
    page = client.get("/me/alerts/matches")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    bad = client.post("/me/alerts/matches", data={"match_frequency": "daily",
                                                   "match_threshold": "150",
                                                   "candidate_frequency": "daily"})  # fmt: skip
    assert translated(app, "Enter a whole number from 0 to 100.", locale) in bad.get_data(
        as_text=True
    )
    ok = client.post("/me/alerts/matches", data={"match_frequency": "daily",
                                                  "match_threshold": "75",
                                                  "ways_back_frequency": "daily",
                                                  "candidate_frequency": "never"})  # fmt: skip
    assert ok.status_code == 302
    with app.app_context():
        from directory.models import AlertSettings

        row = db.session.scalar(select(AlertSettings))
        saved = (row.match_frequency, row.match_threshold, row.ways_back_frequency, row.all_off)
        assert saved == ("daily", 75, "daily", False)
        assert row.candidate_frequency == "never"
    client.post("/logout")
    assert client.get("/me/alerts/matches").status_code == 302  # log in first


def test_new_matches_ring_the_bell(app: Flask) -> None:
    from directory.models import Notification

    with app.app_context():
        ana = f.user("ana@example.org")
        skills = ("computer-vision", "python")
        f.profile(ana, skill_slugs=skills, state_code="NLE", open_to=["jobs"],
                  headline="Ingeniera de visión por computadora")  # fmt: skip
        opening = f.opening(title="Ingeniería de visión por computadora", skill_slugs=skills,
                            state_code="NLE")  # fmt: skip
        digests.run_digests("weekly")
        rows = list(db.session.scalars(select(Notification)))
        assert [(n.user_id, n.record_id) for n in rows] == [(ana.id, opening.id)]
