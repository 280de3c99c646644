"""Save and "not interested" on my matches: hiding (with undo), the saved list, filters
and pages kept in the URL, marks that are only ever the person's own, and CSRF."""

from __future__ import annotations

import re

from sqlalchemy import select

from directory.extensions import db
from directory.models.match_feedback import MatchFeedback

from . import factories as f
from .conftest import PASSWORD, csrf_token_from

CV = ("computer-vision", "python")


def login(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302


def html_of(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def ids_on(html: str, kind: str = "opening") -> list[int]:
    return [
        int(i) for i in re.findall(rf'data-test="match" data-kind="{kind}" data-id="(\d+)"', html)
    ]


def mark(client, kind: str, record_id: int, action: str, back: str = ""):
    data = {"kind": kind, "record_id": record_id, "action": action, "back": back}
    return client.post("/me/matches/feedback", data=data)


def _world(app, openings: int = 2) -> dict[str, list[int]]:
    with app.app_context():
        f.profile(f.user("ana@example.org", locale="en"), skill_slugs=CV, state_code="NLE",
                  open_to=["jobs", "challenges"])  # fmt: skip
        f.profile(f.user("beto@example.org", locale="en"), skill_slugs=CV, state_code="NLE")
        firm = f.org(kind="company", state_code="NLE")
        made = [
            f.opening(firm, title=f"Visión {n}", skill_slugs=CV, state_code="NLE").id
            for n in range(openings)
        ]
        remote = f.opening(firm, title="Visión remota", skill_slugs=CV, state_code="JAL",
                           remote_policy="remote").id  # fmt: skip
        challenge = f.challenge(firm, title="Reto de visión", skill_slugs=CV).id
        return {"openings": made, "remote": [remote], "challenge": [challenge]}


def test_not_interested_hides_a_match_and_undo_brings_it_back(app, client):
    ids = _world(app)
    first = ids["openings"][0]
    login(client, "ana@example.org")
    assert first in ids_on(html_of(client, "/me/matches"))
    response = mark(client, "opening", first, "hide", back="kind=opening")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/me/matches?kind=opening&hid=opening-{first}"
    page = html_of(client, response.headers["Location"])
    assert first not in ids_on(page)
    assert 'data-test="undo-notice"' in page and "Visión 0" in page
    assert first not in ids_on(html_of(client, "/me/matches?view=saved"))
    hidden = html_of(client, "/me/matches?view=hidden")
    assert f'data-test="hidden-match" data-kind="opening" data-id="{first}"' in hidden
    mark(client, "opening", first, "unhide")
    assert first in ids_on(html_of(client, "/me/matches"))
    with app.app_context():
        assert db.session.scalars(select(MatchFeedback)).all() == []  # undo leaves nothing


def test_saved_matches_have_their_own_list_and_survive_a_hide_and_undo(app, client):
    ids = _world(app)
    first, challenge = ids["openings"][0], ids["challenge"][0]
    login(client, "ana@example.org")
    mark(client, "opening", first, "save")
    mark(client, "challenge", challenge, "save")
    saved = html_of(client, "/me/matches?view=saved")
    assert set(ids_on(saved)) == {first} and ids_on(saved, "challenge") == [challenge]
    assert 'data-test="tab-saved"' in saved and 'Saved <span class="count">(2)' in saved
    assert 'data-saved="true"' in html_of(client, "/me/matches")
    mark(client, "opening", first, "hide")
    assert ids_on(html_of(client, "/me/matches?view=saved")) == []  # hidden shows nowhere
    mark(client, "opening", first, "unhide")
    assert ids_on(html_of(client, "/me/matches?view=saved")) == [first]
    mark(client, "opening", first, "unsave")
    assert ids_on(html_of(client, "/me/matches?view=saved")) == []


def test_marks_are_the_persons_own(app, client):
    ids = _world(app)
    first = ids["openings"][0]
    login(client, "beto@example.org")
    mark(client, "opening", first, "hide")
    mark(client, "opening", first, "save")
    client.post("/logout")
    login(client, "ana@example.org")
    assert first in ids_on(html_of(client, "/me/matches"))
    assert ids_on(html_of(client, "/me/matches?view=saved")) == []
    # Undoing someone else's mark is impossible: the form only names the match.
    mark(client, "opening", first, "unhide")
    with app.app_context():
        rows = db.session.scalars(select(MatchFeedback)).all()
        assert len(rows) == 1 and rows[0].hidden and rows[0].saved


def test_feedback_needs_a_login_and_refuses_what_it_does_not_know(app, client):
    ids = _world(app)
    response = mark(client, "opening", ids["openings"][0], "hide")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login(client, "ana@example.org")
    with app.app_context():
        draft = f.opening(status="draft", title="Borrador").id
    wrong = [("opening", draft, "hide"), ("story", 1, "hide"), ("opening", "x", "save")]
    for kind, record_id, action in [*wrong, ("opening", 1, "delete")]:
        response = mark(client, kind, record_id, action, back="//evil.example/")
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/me/matches")
    with app.app_context():
        assert db.session.scalars(select(MatchFeedback)).all() == []


def test_feedback_needs_the_csrf_token(app, client, csrf_on):
    ids = _world(app)
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"email": "ana@example.org", "password": PASSWORD,
                                "csrf_token": csrf_token_from(page)})  # fmt: skip
    assert mark(client, "opening", ids["openings"][0], "hide").status_code == 400
    html = html_of(client, "/me/matches")
    token = csrf_token_from(html)
    data = {"kind": "opening", "record_id": ids["openings"][0], "action": "hide"}
    response = client.post("/me/matches/feedback", data={**data, "csrf_token": token})
    assert response.status_code == 302


def test_filters_counts_and_pages_stay_in_the_url(app, client):
    ids = _world(app, openings=12)
    login(client, "ana@example.org")
    overview = html_of(client, "/me/matches")
    assert "Openings (13)" in overview and "Challenges (1)" in overview
    assert 'href="/me/matches?kind=opening"' in overview  # "see all"
    first = html_of(client, "/me/matches?kind=opening")
    assert len(ids_on(first)) == 10 and ids_on(first, "challenge") == []
    assert "Page 1 of 2" in first and 'href="/me/matches?kind=opening&amp;page=2"' in first
    second = html_of(client, "/me/matches?kind=opening&page=2")
    assert len(ids_on(second)) == 3 and not set(ids_on(first)) & set(ids_on(second))
    remote = html_of(client, "/me/matches?kind=opening&remote=1")
    assert ids_on(remote) == ids["remote"]
    jalisco = html_of(client, "/me/matches?kind=opening&state=JAL")
    assert ids_on(jalisco) == ids["remote"]
    nuevo_leon = html_of(client, "/me/matches?state=NLE&kind=opening&page=2")
    assert ids["remote"][0] not in ids_on(nuevo_leon)
    strong = html_of(client, "/me/matches?kind=opening&fit=strong")
    fits = [int(x) for x in re.findall(r'data-test="match"[^>]*data-score="(\d+)"', strong)]
    assert all(fit >= 85 for fit in fits)
    bad = html_of(client, "/me/matches?kind=people&fit=perfect", 400)
    assert "Some filters were not understood" in bad and 'data-test="match"' in bad
