"""Saved searches: save from /directory and /search, manage them at /me/alerts, follow
them through a private feed; owners only, hidden records never, names always escaped."""

from __future__ import annotations

import hashlib
import logging
import re
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own output in tests
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from directory.extensions import db
from directory.models import AuditEvent, Opening, Profile, SavedSearch, User
from directory.services import account_deletion, alerts

from . import factories as f
from .conftest import PASSWORD
from .helpers import translated
from .matching.conftest import fake_matching

A = "{http://www.w3.org/2005/Atom}"
ANA, BETO = "ana@example.org", "beto@example.org"
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def login(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def save(client: FlaskClient, query: str, *, kind: str = "directory", **fields: str):
    data = {"search_kind": kind, "query": query, "name": "Mi búsqueda", "frequency": "daily"}
    return client.post("/me/alerts", data={**data, **fields})


def saved_searches(app: Flask) -> list[SavedSearch]:
    with app.app_context():
        rows = list(db.session.scalars(select(SavedSearch).order_by(SavedSearch.id)))
        db.session.expunge_all()
        return rows


def new_feed(client: FlaskClient, search_id: int) -> str:
    """Ask for a new feed address and read it off the page (it is shown once)."""
    response = client.post(f"/me/alerts/{search_id}/feed")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    match = re.search(r'value="(http://localhost/alerts/feed/[^"]+)"', response.get_data(True))
    assert match, "no feed address on the page"
    return match.group(1).removeprefix("http://localhost")


@pytest.fixture
def world(app: Flask) -> dict[str, int]:
    """Ana and Beto, members; a listed opening and records nobody but their owner sees."""
    with app.app_context():
        f.user(ANA)
        beto = f.user(BETO)
        org = f.org(
            f.user("owner@example.org"),
            name="Datos del Norte",
            description="Datos.",
            state_code="JAL",
            skill_slugs=(),
        )
        listed = f.opening(org, title="Visión por computadora", state_code="JAL")
        f.opening(org, status="pending", title="Visión pendiente", state_code="JAL")
        f.opening(f.org(status="pending"), title="Visión de org oculta", state_code="JAL")
        private = f.profile(beto, visibility="private", full_name="Visión Privada",
                            headline="Visión por computadora", state_code="JAL")  # fmt: skip
        return {"opening": listed.id, "private_profile": private.id}


# --- saving ------------------------------------------------------------------------------


def test_save_from_the_directory_keeps_only_what_the_directory_reads(app, world):
    ana = login(app, ANA)
    query = "q=vision&state=JAL&page=3&bogus=1&skill=%3Cb%3E&sort=date"
    response = save(ana, query, name="  Visión   en Jalisco ")
    assert response.status_code == 302 and response.location == "/me/alerts"
    (saved,) = saved_searches(app)
    assert saved.kind == "directory"
    assert saved.params == {"q": "vision", "state": "JAL", "sort": "date"}
    assert (saved.name, saved.frequency, saved.paused) == ("Visión en Jalisco", "daily", False)
    assert saved.feed_token_hash is None and saved.last_run_at is None
    page = ana.get("/me/alerts").get_data(as_text=True)
    assert "Visión en Jalisco" in page and "Jalisco" in page
    assert 'href="/directory?q=vision&amp;state=JAL&amp;sort=date"' in page  # "open the search"


def test_save_from_semantic_search(app, world):
    ana = login(app, ANA)
    assert (
        save(ana, "q=detectar+plagas+con+drones&kind=opening", kind="semantic").status_code == 302
    )
    assert save(ana, "q=visi%C3%B3n", kind="semantic", frequency="never").status_code == 302
    first, second = saved_searches(app)
    assert (first.kind, first.params) == ("semantic", {"q": "detectar plagas con drones",
                                                       "kind": "opening"})  # fmt: skip
    assert (second.params, second.frequency) == ({"q": "visión"}, "never")
    # Nothing to search for, or a kind /search does not know: nothing is saved.
    for query in ("q=", "q=%20%20", "q=x&kind=users", "q=" + "a" * 301):
        response = save(ana, query, kind="semantic")
        assert response.status_code == 302 and response.location.startswith("/search")
    assert len(saved_searches(app)) == 2


def test_bad_names_frequencies_and_kinds_are_refused(app, world):
    ana = login(app, ANA)
    for fields in ({"name": ""}, {"name": "   "}, {"name": "x" * 121}, {"frequency": "hourly"},
                   {"kind": "sql"}):  # fmt: skip
        response = save(ana, "q=vision", **fields)
        assert response.status_code == 302, fields
        assert response.location.startswith("/directory"), fields
    assert saved_searches(app) == []
    response = save(ana, "q=vision", name="")
    page = ana.get(response.location).get_data(as_text=True)
    assert translated(app, "This field is required.", "es") in page


def test_a_member_keeps_at_most_so_many(app, world, monkeypatch):
    monkeypatch.setattr("directory.services.alerts.saved_searches.MAX_PER_USER", 2)
    ana = login(app, ANA)
    for _ in range(3):
        save(ana, "q=vision")
    assert len(saved_searches(app)) == 2


@pytest.fixture
def matching(app: Flask) -> Iterator[None]:
    with fake_matching(app):
        yield


def test_the_save_box_is_on_both_pages(app, client, world, matching):
    html = client.get("/directory?q=vision&state=JAL").get_data(as_text=True)
    assert 'data-test="save-search-login"' in html
    assert 'href="/login?next=/directory?q%3Dvision%26state%3DJAL"' in html
    assert 'data-test="save-search-form"' not in html
    ana = login(app, ANA)
    html = ana.get("/directory?q=vision&state=JAL&page=2").get_data(as_text=True)
    assert 'data-test="save-search-form"' in html
    assert 'name="query" value="q=vision&amp;state=JAL"' in html
    assert 'name="search_kind" value="directory"' in html
    html = ana.get("/search?q=visi%C3%B3n+artificial&kind=opening").get_data(as_text=True)
    assert 'name="search_kind" value="semantic"' in html
    assert 'name="query" value="q=visi%C3%B3n+artificial&amp;kind=opening"' in html
    assert 'data-test="save-search"' not in ana.get("/search").get_data(as_text=True)


# --- managing: owners only ----------------------------------------------------------------


def _ana_saves(app: Flask) -> tuple[FlaskClient, int]:
    ana = login(app, ANA)
    save(ana, "q=vision&state=JAL", name="Visión")
    return ana, saved_searches(app)[0].id


def test_rename_change_frequency_pause_resume_and_delete(app, world):
    ana, sid = _ana_saves(app)
    assert (
        ana.post(f"/me/alerts/{sid}", data={"name": "Otra", "frequency": "weekly"}).status_code
        == 302
    )
    (saved,) = saved_searches(app)
    assert (saved.name, saved.frequency) == ("Otra", "weekly")
    # A bad value changes nothing.
    ana.post(f"/me/alerts/{sid}", data={"name": "", "frequency": "instant"})
    ana.post(f"/me/alerts/{sid}", data={"name": "Bien", "frequency": "yearly"})
    assert (saved_searches(app)[0].name, saved_searches(app)[0].frequency) == ("Otra", "weekly")
    assert ana.post(f"/me/alerts/{sid}/pause").status_code == 302
    assert saved_searches(app)[0].paused is True
    assert 'data-test="resume"' in ana.get("/me/alerts").get_data(as_text=True)
    assert ana.post(f"/me/alerts/{sid}/resume").status_code == 302
    assert saved_searches(app)[0].paused is False
    assert ana.post(f"/me/alerts/{sid}/delete").status_code == 302
    assert saved_searches(app) == []
    assert 'data-test="no-saved-searches"' in ana.get("/me/alerts").get_data(as_text=True)


def test_only_the_owner_reaches_a_saved_search(app, world):
    ana, sid = _ana_saves(app)
    token_url = new_feed(ana, sid)
    before = saved_searches(app)
    beto = login(app, BETO)
    assert beto.get(f"/me/alerts/{sid}").status_code == 404
    for path in ("", "/pause", "/resume", "/delete", "/feed", "/feed/revoke"):
        response = beto.post(f"/me/alerts/{sid}{path}", data={"name": "Mía", "frequency": "never"})
        assert response.status_code == 404, path
    assert "Visión" not in beto.get("/me/alerts").get_data(as_text=True)
    anonymous = app.test_client()
    assert anonymous.get("/me/alerts").location.startswith("/login?next=")
    assert anonymous.get(f"/me/alerts/{sid}").location.startswith("/login?next=")
    assert anonymous.post(f"/me/alerts/{sid}/delete").status_code == 302
    assert [(s.name, s.frequency, s.paused, s.feed_token_hash) for s in saved_searches(app)] == [
        (s.name, s.frequency, s.paused, s.feed_token_hash) for s in before
    ]
    assert app.test_client().get(token_url).status_code == 200  # the feed still works


def test_my_pages_are_never_cached(app, world):
    ana, sid = _ana_saves(app)
    for url in ("/me/alerts", f"/me/alerts/{sid}"):
        assert ana.get(url).headers["Cache-Control"] == "no-store", url


# --- the private feed --------------------------------------------------------------------


def _entries(response) -> list[str]:
    feed = ET.fromstring(response.data)  # noqa: S314 - our own output
    return [e.findtext(f"{A}title") for e in feed.findall(f"{A}entry")]


def test_the_token_feed_works_and_a_revoked_or_wrong_token_is_404(app, world):
    ana, sid = _ana_saves(app)
    url = new_feed(ana, sid)
    token = url.removeprefix("/alerts/feed/").removesuffix(".atom")
    assert len(token) >= 43
    reader = app.test_client()  # a feed reader: no cookies
    response = reader.get(url)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert _entries(response) == ["Visión por computadora"]
    with app.app_context():
        saved = db.session.get(SavedSearch, sid)
        assert saved.feed_token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in str(saved.params) + saved.name
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "alert.feed_token_issued")) == 1  # fmt: skip
    assert "feed-on" in ana.get("/me/alerts").get_data(as_text=True)
    # The page never shows the address again; a new one replaces it.
    assert token not in ana.get(f"/me/alerts/{sid}").get_data(as_text=True)
    second = new_feed(ana, sid)
    assert reader.get(url).status_code == 404
    assert reader.get(second).status_code == 200
    ana.post(f"/me/alerts/{sid}/feed/revoke")
    assert reader.get(second).status_code == 404
    for wrong in ("x", "a" * 43, token[:-1] + ("A" if token[-1] != "A" else "B"), "%00" * 40):
        assert reader.get(f"/alerts/feed/{wrong}.atom").status_code == 404, wrong


def test_the_feed_dies_with_the_search_and_with_the_account(app, world):
    ana, sid = _ana_saves(app)
    url = new_feed(ana, sid)
    with app.app_context():
        db.session.scalar(select(User).where(User.email == ANA)).active = False
        db.session.commit()
    assert app.test_client().get(url).status_code == 404
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == ANA))
        user.active = True
        db.session.commit()
    assert app.test_client().get(url).status_code == 200
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == ANA))
        account_deletion.delete_account(user, actor=None)
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(SavedSearch)) == 0
    assert app.test_client().get(url).status_code == 404


def test_the_token_never_reaches_the_request_log(app, world, caplog):
    ana, sid = _ana_saves(app)
    url = new_feed(ana, sid)
    token = url.removeprefix("/alerts/feed/").removesuffix(".atom")
    caplog.set_level(logging.INFO, logger="directory.request")
    app.test_client().get(url)
    lines = [r.getMessage() + str(vars(r)) for r in caplog.records]
    assert any("/alerts/feed/<token>.atom" in line for line in lines)
    assert not [line for line in lines if token in line]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_feed_speaks_the_owners_language_unless_asked(app, world, lang):
    with app.app_context():
        db.session.scalar(select(User).where(User.email == ANA)).locale = lang
        db.session.commit()
    ana, sid = _ana_saves(app)
    url = new_feed(ana, sid)
    feed = ET.fromstring(app.test_client().get(url).data)  # noqa: S314
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    other = "en" if lang == "es" else "es"
    summary = feed.find(f"{A}entry").findtext(f"{A}summary")
    assert translated(app, "On site", lang) in summary
    asked = ET.fromstring(app.test_client().get(f"{url}?lang={other}").data)  # noqa: S314
    assert translated(app, "On site", other) in asked.find(f"{A}entry").findtext(f"{A}summary")


def test_a_hidden_record_never_appears_in_a_saved_search_feed(app, world):
    ana = login(app, ANA)
    save(ana, "q=vision", name="Todo visión")
    sid = saved_searches(app)[0].id
    url = new_feed(ana, sid)
    reader = app.test_client()
    titles = _entries(reader.get(url))
    assert titles == ["Visión por computadora"]  # not pending, not private, not hidden org
    with app.app_context():
        db.session.get(Opening, world["opening"]).status = "archived"
        db.session.get(Profile, world["private_profile"]).visibility = "members"
        db.session.commit()
    # Archived since it was saved: gone. Shown to members now: Ana, a member, may see it.
    assert _entries(reader.get(url)) == ["Visión Privada"]
    assert "Visión Privada" in ana.get(f"/me/alerts/{sid}").get_data(as_text=True)


def test_a_semantic_saved_search_re_checks_every_hit(app, world, matching):
    with app.app_context():
        f.profile(visibility="private", full_name="Persona oculta",
                  headline="Visión por computadora en Jalisco")  # fmt: skip
    ana = login(app, ANA)
    save(ana, "q=visi%C3%B3n+por+computadora", kind="semantic", name="Semántica")
    sid = saved_searches(app)[0].id
    url = new_feed(ana, sid)
    reader = app.test_client()
    titles = _entries(reader.get(url))
    assert "Visión por computadora" in titles
    hidden = {"Visión pendiente", "Visión de org oculta", "Visión Privada", "Persona oculta"}
    assert not hidden & set(titles)
    with app.app_context():
        db.session.get(Opening, world["opening"]).status = "pending"
        db.session.commit()
    # Hidden after the index was built: the re-check against the database drops it.
    assert "Visión por computadora" not in _entries(reader.get(url))


def test_names_are_escaped_everywhere(app, world):
    ana = login(app, ANA)
    response = save(ana, "q=vision", name=HOSTILE)
    assert response.status_code == 302
    sid = saved_searches(app)[0].id
    pages = [ana.get("/me/alerts"), ana.get(f"/me/alerts/{sid}")]
    for response in pages:
        html = response.get_data(as_text=True)
        assert "<script>alert(1)" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    url = new_feed(ana, sid)
    body = app.test_client().get(url)
    assert b"<script>" not in body.data
    feed = ET.fromstring(body.data)  # noqa: S314
    assert HOSTILE in feed.findtext(f"{A}title")


# --- the service the alert engine calls ----------------------------------------------------


def test_run_saved_search_pages_through_results_for_its_owner(app, world):
    with app.app_context():
        org = f.org(name="Muchas vacantes")
        for n in range(25):
            f.opening(org, title=f"Visión {n:02d}", state_code="JAL")
        ana = db.session.scalar(select(User).where(User.email == ANA))
        saved = alerts.save_search(ana, kind="directory", name="x", frequency="daily",
                                   args={"q": "vision", "state": "JAL"})  # fmt: skip
        results = alerts.run_saved_search(saved, ana, limit=22)
        assert len(results) == 22
        assert {kind for kind, _ in results} == {"opening"}
        times = [alerts.result_time(record) for _, record in results]
        assert times == sorted(times, reverse=True)  # newest first
        assert len(alerts.run_saved_search(saved, limit=500)) == 26  # owner by default, capped
        ana.active = False
        assert alerts.run_saved_search(saved) == []
        ana.active = True
        db.session.commit()


def test_due_searches_and_mark_run(app, world):
    with app.app_context():
        ana = db.session.scalar(select(User).where(User.email == ANA))
        beto = db.session.scalar(select(User).where(User.email == BETO))
        daily = alerts.save_search(ana, kind="directory", name="a", frequency="daily", args={})
        paused = alerts.save_search(ana, kind="directory", name="b", frequency="daily", args={})
        paused.paused = True
        alerts.save_search(ana, kind="directory", name="c", frequency="weekly", args={})
        gone = alerts.save_search(beto, kind="directory", name="d", frequency="daily", args={})
        beto.active = False
        db.session.commit()
        due = list(db.session.scalars(alerts.due_searches("daily")))
        assert due == [daily] and gone not in due
        alerts.mark_run(daily)
        db.session.commit()
        assert daily.last_run_at is not None
