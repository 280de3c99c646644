"""Anonymous public pages from the page cache (directory/page_cache.py): served without
touching the database, never stale after a write, never personal, never shared with a
signed-in member, and invalidated across workers through Redis (ROWS.md, row 21)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import event, update

from directory.extensions import db
from directory.models import AuditEvent, Organization, Status
from directory.page_cache import cache_of

from .. import factories as f
from ..conftest import PASSWORD
from .conftest import free_port


@pytest.fixture
def cached(app: Flask) -> Iterator[Flask]:
    """The session's app with the in-process page cache on (one process: tests)."""
    app.config["PAGE_CACHE"] = "local"
    cache_of(app).clear()
    yield app
    app.config["PAGE_CACHE"] = "auto"
    cache_of(app).clear()


class Queries:
    """Counts the SQL statements the app sends."""

    def __init__(self, app: Flask) -> None:
        self.count = 0
        with app.app_context():
            self.engine = db.engine
        event.listen(self.engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: object) -> None:
        self.count += 1

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._seen)


@pytest.fixture
def queries(app: Flask) -> Iterator[Queries]:
    counter = Queries(app)
    yield counter
    counter.close()


def _published_org(name: str = "Visión Andina") -> Organization:
    owner = f.user(f"owner-{name.split()[0].lower()}@example.org")
    return f.org(owner, name=name, kind="startup")


def test_second_anonymous_visit_runs_no_query_and_revalidates_with_304(cached, queries):
    with cached.app_context():
        org = _published_org()
        db.session.commit()
        slug = org.slug
    client = cached.test_client()
    first = client.get(f"/organizations/{slug}")
    assert first.status_code == 200 and "Visión Andina" in first.text
    assert first.headers["Cache-Control"] == "public, no-cache"
    assert "Cookie" in first.headers["Vary"] and first.headers["ETag"]
    queries.count = 0
    again = client.get(f"/organizations/{slug}")
    assert again.data == first.data and queries.count == 0
    unchanged = client.get(
        f"/organizations/{slug}", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert unchanged.status_code == 304 and not unchanged.data
    # The security headers still come with a page from the cache.
    assert "default-src 'self'" in again.headers["Content-Security-Policy"]


def test_anonymous_pages_carry_no_csrf_token_and_set_no_cookie(cached):
    for path in ("/", "/directory", "/stories"):
        response = cached.test_client().get(path)
        assert 'name="csrf_token"' not in response.text
        assert "Set-Cookie" not in response.headers
        assert response.headers["Cache-Control"] == "public, no-cache"


@pytest.mark.parametrize("how", ["orm", "bulk", "core"])
def test_every_kind_of_write_shows_at_the_next_visit(cached, how):
    with cached.app_context():
        org = _published_org()
        db.session.commit()
        slug, org_id = org.slug, org.id
    client = cached.test_client()
    assert "Visión Andina" in client.get("/directory?kind=organization").text
    with cached.app_context():
        if how == "orm":
            db.session.get(Organization, org_id).name = "Visión Pacífico"
            db.session.commit()
        elif how == "bulk":
            db.session.execute(
                update(Organization).where(Organization.id == org_id).values(name="Visión Pacífico")
            )
            db.session.commit()
        else:  # a CLI command or a job writing through the engine
            with db.engine.begin() as conn:
                conn.execute(
                    update(Organization.__table__)
                    .where(Organization.__table__.c.id == org_id)
                    .values(name="Visión Pacífico")
                )
    page = client.get("/directory?kind=organization").text
    assert "Visión Pacífico" in page and "Visión Andina" not in page
    assert "Visión Pacífico" in client.get(f"/organizations/{slug}").text


def test_a_hidden_record_disappears_at_once(cached):
    with cached.app_context():
        org = _published_org()
        db.session.commit()
        slug, org_id = org.slug, org.id
    client = cached.test_client()
    assert client.get(f"/organizations/{slug}").status_code == 200
    with cached.app_context():
        db.session.get(Organization, org_id).status = Status.REJECTED
        db.session.commit()
    assert client.get(f"/organizations/{slug}").status_code == 404
    assert "Visión Andina" not in client.get("/directory").text


def test_rolled_back_and_private_writes_keep_the_cache(cached):
    cache = cache_of(cached)
    with cached.app_context():
        _published_org()
        db.session.commit()
        before = cache.version()
        db.session.add(Organization(name="Nunca", slug="nunca", kind="startup"))
        db.session.flush()
        db.session.rollback()
        assert cache.version() == before
        db.session.add(AuditEvent(action="test.read", details={}))
        db.session.commit()
        assert cache.version() == before
        db.session.get(
            Organization, db.session.query(Organization.id).scalar()
        ).website = "https://vision.example.mx"
        db.session.commit()
        assert cache.version() != before


def test_members_never_get_or_fill_the_anonymous_copy(cached):
    with cached.app_context():
        org = _published_org()
        f.user("lucia@example.org")
        db.session.commit()
        slug = org.slug
    member = cached.test_client()
    member.post("/login", data={"email": "lucia@example.org", "password": PASSWORD})
    mine = member.get(f"/organizations/{slug}")
    assert "Log out" in mine.text or "Cerrar sesión" in mine.text
    assert mine.headers["Cache-Control"] == "no-store"
    stranger = cached.test_client().get(f"/organizations/{slug}")
    assert "Cerrar sesión" not in stranger.text and "Log out" not in stranger.text
    assert 'name="csrf_token"' not in stranger.text
    # And the member still gets their own page after an anonymous one was cached.
    assert member.get(f"/organizations/{slug}").headers["Cache-Control"] == "no-store"


def test_a_flashed_message_is_never_cached(cached):
    client = cached.test_client()
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Mensaje para ti")]
    shown = client.get("/stories")
    assert "Mensaje para ti" in shown.text and "no-cache" not in shown.headers.get(
        "Cache-Control", ""
    )
    assert "Mensaje para ti" not in cached.test_client().get("/stories").text


def test_languages_are_cached_apart_and_switched_without_a_session(cached):
    client = cached.test_client()
    assert '<html lang="es">' in client.get("/stories").text
    switched = client.get("/language?lang=en&next=/stories")
    assert switched.status_code == 302 and switched.headers["Location"].endswith("/stories")
    cookies = switched.headers.getlist("Set-Cookie")
    assert any(c.startswith("lang=en") for c in cookies)
    assert not any(c.startswith("session=") for c in cookies)
    assert '<html lang="en">' in client.get("/stories").text
    assert '<html lang="es">' in cached.test_client().get("/stories").text
    # An outside address in next is refused, as for the POST form.
    assert (
        "evil" not in client.get("/language?lang=es&next=https://evil.example").headers["Location"]
    )


def test_a_get_never_changes_a_members_saved_language(cached):
    with cached.app_context():
        user = f.user("lucia@example.org")
        db.session.commit()
        user_id = user.id
    member = cached.test_client()
    member.post("/login", data={"email": "lucia@example.org", "password": PASSWORD})
    member.get("/language?lang=en&next=/")
    with cached.app_context():
        from directory.models import User

        assert db.session.get(User, user_id).locale != "en"
    # Members keep the POST form with its token.
    assert re.search(r'<form method="post"[^>]*lang-switch', member.get("/").text)


def test_rate_limits_still_apply_to_cached_pages(make_app):
    app = make_app(PAGE_CACHE="local", RATELIMIT_SEARCH="2 per minute")
    client = app.test_client()
    assert [client.get("/directory").status_code for _ in range(3)] == [200, 200, 429]


def test_a_write_on_one_worker_invalidates_the_other_through_redis(make_app, redis_url):
    one, two = (
        make_app(RATELIMIT_STORAGE_URI=redis_url, RATELIMIT_KEY_PREFIX="pc-shared")
        for _ in range(2)
    )
    assert cache_of(one).mode() == cache_of(two).mode() == "redis"
    with one.app_context():
        org = _published_org()
        db.session.commit()
        slug, org_id = org.slug, org.id
    reader = two.test_client()
    assert "Visión Andina" in reader.get(f"/organizations/{slug}").text
    with one.app_context():
        db.session.get(Organization, org_id).name = "Visión Pacífico"
        db.session.commit()
    assert "Visión Pacífico" in reader.get(f"/organizations/{slug}").text


def test_with_redis_down_pages_are_rendered_afresh(make_app):
    app = make_app(RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{free_port()}/0")
    with app.app_context():
        org = _published_org()
        db.session.commit()
        slug = org.slug
    client = app.test_client()
    first = client.get(f"/organizations/{slug}")
    assert first.status_code == 200 and "Visión Andina" in first.text
    assert client.get(f"/organizations/{slug}").status_code == 200
