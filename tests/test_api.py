"""JSON API v1: its shape, who may ask what, its languages, and bad input that never
becomes a 500. Private data (emails, phones) never appears in any answer."""

from __future__ import annotations

import pytest

from . import factories as f
from .conftest import PASSWORD
from .helpers import translated

PHONE = "+52 55 0000 PRIVATE"
MATCH_KEYS = {
    "kind",
    "id",
    "title",
    "url",
    "score",
    "band",
    "reasons",
    "shared_skills",
    "missing_skills",
}


def login(client, email: str) -> None:
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302


@pytest.fixture
def world(app) -> dict[str, int]:
    """An agency with an opening and a challenge, a candidate, a solver firm and a story."""
    with app.app_context():
        owner, editor = f.user("owner@example.org"), f.user("editor@example.org")
        f.user("other@example.org")
        f.user("curator@example.org", role="curator")
        agency = f.org(owner, kind="government_agency", editors=(editor,), skill_slugs=())
        opening = f.opening(agency, state_code="JAL", skill_slugs=("machine-learning", "robotics"))
        draft = f.opening(agency, status="draft")
        challenge = f.challenge(agency, skill_slugs=("computer-vision", "python", "robotics"))
        firm = f.org(name="Visión Norte", skill_slugs=("computer-vision", "python"))
        f.org(name="Visión Sur", skill_slugs=("computer-vision",))
        person = f.profile(
            f.user("cand@example.org"),
            full_name="Carmen Candidata",
            phone=PHONE,
            skill_slugs=("machine-learning", "robotics"),
        )
        f.profile(full_name="Rafa Robot", skill_slugs=("robotics",))
        private = f.profile(f.user("priv@example.org"), visibility="private")
        story, _second = f.story(), f.story()
        return {
            "opening": opening.id,
            "draft": draft.id,
            "challenge": challenge.id,
            "firm": firm.id,
            "profile": person.id,
            "private": private.id,
            "story": story.id,
        }


def get(client, url: str, status: int) -> dict:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.data[:300])
    assert response.is_json, url
    body = response.get_data(as_text=True)
    assert "@example.org" not in body and "PRIVATE" not in body, url
    return response.get_json()


# --- shape ------------------------------------------------------------------------------------


def test_search_shape(app, client, world):
    body = get(client, "/api/v1/search?q=visión+norte&limit=5", 200)
    assert body["query"] == "visión norte"
    assert 1 <= len(body["results"]) <= 5
    first = body["results"][0]
    assert set(first) == {"kind", "id", "title", "url", "score"}
    assert (first["kind"], first["title"]) == ("organization", "Visión Norte")
    assert first["url"].startswith("http") and "/organizations/" in first["url"]
    assert all(0 <= r["score"] <= 100 for r in body["results"])
    only = get(client, "/api/v1/search?q=visión&kind=opening,challenge", 200)
    assert {r["kind"] for r in only["results"]} <= {"opening", "challenge"}


def test_opening_candidates_shape(app, client, world):
    login(client, "owner@example.org")
    body = get(client, f"/api/v1/matches/opening/{world['opening']}", 200)
    assert (body["kind"], body["id"]) == ("opening", world["opening"])
    match = next(m for m in body["matches"] if m["id"] == world["profile"])
    assert set(match) == MATCH_KEYS
    assert match["kind"] == "profile" and match["url"].endswith(f"/people/{world['profile']}")
    assert {"code", "text", "positive"} == set(match["reasons"][0])
    assert match["shared_skills"] and isinstance(match["shared_skills"][0], str)
    assert match["title"] == "Carmen Candidata"


def test_challenge_answers_organisations_people_and_a_team(app, client, world):
    login(client, "editor@example.org")
    body = get(client, f"/api/v1/matches/challenge/{world['challenge']}?lang=en", 200)
    kinds = {m["kind"] for m in body["matches"]}
    assert kinds == {"organization", "profile"}
    scores = [m["score"] for m in body["matches"]]
    assert scores == sorted(scores, reverse=True)
    team = body["team"]
    assert [m["title"] for m in team["members"]][:1] == ["Visión Norte"]
    assert (team["covered"], team["wanted"]) == (3, 3)
    assert team["coverage"] == 1.0 and team["best_single"] == pytest.approx(2 / 3, abs=1e-3)
    assert "3 of 3 skills (100%)" in team["text"] and "67%" in team["text"]
    assert sorted(team["members"][0]["skills"]) == ["Computer vision", "Python"]


@pytest.mark.parametrize("kind", ["organization", "story"])
def test_more_like_this_for_anyone(app, client, world, kind):
    record_id = world["firm"] if kind == "organization" else world["story"]
    body = get(client, f"/api/v1/matches/{kind}/{record_id}", 200)
    assert body["matches"] and all(m["kind"] == kind for m in body["matches"])
    assert record_id not in [m["id"] for m in body["matches"]]


# --- languages --------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["es", "en"])
def test_reason_text_follows_lang_then_the_user(app, client, world, locale):
    with app.app_context():
        f.profile(f.user("ana@example.org", locale=locale), state_code="JAL")
    login(client, "ana@example.org")
    profile_id = _own_profile_id(app, "ana@example.org")
    expected = translated(app, "Same state: %(state)s", locale, state="Jalisco")
    body = get(client, f"/api/v1/matches/profile/{profile_id}", 200)
    texts = [r["text"] for m in body["matches"] for r in m["reasons"]]
    assert expected in texts
    other = "en" if locale == "es" else "es"
    forced = get(client, f"/api/v1/matches/profile/{profile_id}?lang={other}", 200)
    texts = [r["text"] for m in forced["matches"] for r in m["reasons"]]
    assert translated(app, "Same state: %(state)s", other, state="Jalisco") in texts


def _own_profile_id(app, email: str) -> int:
    from directory.extensions import db
    from directory.models import User

    with app.app_context():
        return db.session.scalar(db.select(User).where(User.email == email)).profile.id


# --- who may ask ------------------------------------------------------------------------------


# (who, kind, record, expected status): one world, a fresh client per row.
ACCESS = [
    (None, "profile", "profile", 401),
    ("other@example.org", "profile", "profile", 404),
    ("curator@example.org", "profile", "profile", 404),
    ("owner@example.org", "profile", "private", 404),
    ("cand@example.org", "profile", "profile", 200),
    ("priv@example.org", "profile", "private", 200),
    (None, "opening", "opening", 401),
    ("other@example.org", "opening", "opening", 403),
    ("other@example.org", "opening", "draft", 404),
    ("owner@example.org", "opening", "opening", 200),
    ("editor@example.org", "opening", "draft", 200),
    ("curator@example.org", "opening", "opening", 200),
    (None, "challenge", "challenge", 401),
    ("other@example.org", "challenge", "challenge", 403),
    ("curator@example.org", "challenge", "challenge", 200),
    ("editor@example.org", "challenge", "challenge", 200),
    (None, "organization", "firm", 200),
    (None, "story", "story", 200),
]


def test_who_may_ask(app, world):
    clients = {}
    for who, kind, key, status in ACCESS:
        if who not in clients:
            clients[who] = app.test_client()
            if who:
                login(clients[who], who)
        body = get(clients[who], f"/api/v1/matches/{kind}/{world[key]}", status)
        if status != 200:
            assert set(body) == {"error"} and body["error"]["status"] == status, (who, kind)
            assert body["error"]["message"]


def test_a_private_profile_gets_a_notice_not_matches(app, client, world):
    login(client, "priv@example.org")
    body = get(client, f"/api/v1/matches/profile/{world['private']}?lang=en", 200)
    assert body["matches"] == [] and "private" in body["notice"]


def test_hidden_records_are_not_found(app, client, world):
    with app.app_context():
        pending = f.org(status="pending")
        draft_story = f.story(status="draft")
        ids = (pending.id, draft_story.id)
    get(client, f"/api/v1/matches/organization/{ids[0]}", 404)
    get(client, f"/api/v1/matches/story/{ids[1]}", 404)
    get(client, "/api/v1/matches/organization/999999", 404)


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["es", "en"])
def test_a_missing_query_is_explained_in_the_users_language(app, client, locale):
    client.set_cookie("lang", locale)
    for url, msgid in (
        ("/api/v1/search", "The parameter “%(name)s” is required."),
        ("/api/v1/search?q=", "“%(name)s” must not be empty."),
    ):
        body = get(client, url, 400)
        assert body["error"]["message"] == translated(app, msgid, locale, name="q")
        assert (body["error"]["parameter"], body["error"]["in"]) == ("q", "query")
    assert get(client, "/api/v1/search?q=%20%20", 400)["error"]["parameter"] == "q"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/search?q=" + "a" * 10_000, 400),
        ("/api/v1/search?q=" + "a" * 301, 400),
        ("/api/v1/search?q=visión&kind=bogus", 400),
        ("/api/v1/search?q=visión&kind=opening,bogus", 400),
        ("/api/v1/search?q=visión&limit=abc", 400),
        ("/api/v1/search?q=visión&limit=0", 400),
        ("/api/v1/search?q=visión&limit=-1", 400),
        ("/api/v1/search?q=%00%ff", 200),
        ("/api/v1/search?q=visión&limit=", 400),
        ("/api/v1/search?q=visión&limit=51", 400),
        ("/api/v1/search?q=visión&lang=xx", 400),
        ("/api/v1/search?q=visión&page=2", 400),
        # Path parameters outside the document are refused like query parameters...
        ("/api/v1/matches/opening/abc", 400),
        ("/api/v1/matches/opening/-1", 400),
        ("/api/v1/matches/bogus/1", 400),
        ("/api/v1/matches/organization/0", 400),
        # ...while an id within it that no record can have is simply not found.
        ("/api/v1/matches/opening/99999999999999999999", 404),
        ("/api/v1/matches/organization/999999", 404),
    ],
)
def test_bad_input_is_a_clear_error_never_a_500(app, client, url, status):
    get(client, url, status)


def test_openapi_document(client):
    doc = get(client, "/api/v1/openapi.json", 200)
    assert doc["openapi"] == "3.1.0"
    listings = {"/organizations", "/openings", "/challenges", "/stories", "/people"}
    matching = {"/", "/search", "/matches/{kind}/{record_id}", "/openapi.json"}
    assert matching | listings == set(doc["paths"])
    assert doc["servers"][0]["url"].endswith("/api/v1")
    assert {"Match", "Organization", "Person"} <= set(doc["components"]["schemas"])
    assert get(client, "/api/v1/", 200)["openapi"].endswith("/api/v1/openapi.json")


def test_answers_are_not_cached(client):
    assert client.get("/api/v1/search?q=x").headers["Cache-Control"] == "no-store"


def test_a_kind_with_a_slash_is_not_found_not_redirected(client):
    # Found by the fuzz test: the router used to answer an HTML 308 to a merged path.
    response = client.get("/api/v1/matches/0%2F/1")
    assert response.status_code == 404
    assert "Location" not in response.headers


def test_an_id_beyond_any_database_integer_is_simply_not_found(app, client, make_user, auth):
    """PostgreSQL's INTEGER stops at 2,147,483,647: a larger id is a 404, never a 500."""
    make_user()
    auth.login()
    for kind in ("profile", "opening", "challenge", "organization", "story"):
        response = client.get(f"/api/v1/matches/{kind}/5088264334")
        assert response.status_code == 404, kind
        assert response.get_json()["error"]["status"] == 404
