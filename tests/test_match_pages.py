"""Matching pages: my matches, candidates, solvers, "more like this" and semantic search —
in both languages, for the right people only, and never showing a hidden record.

The real model answers (loaded once per session); each test builds a handful of records.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask_babel import force_locale

from directory.extensions import db
from directory.matching.ranking import Team
from directory.matching_views import wording
from directory.models import Opening, Organization, Profile, User

from . import factories as f
from .conftest import PASSWORD
from .helpers import translated

LOCALES = ["es", "en"]


def login(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302


def html_of(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def set_language(client, locale: str) -> None:
    client.post("/language", data={"lang": locale, "next": "/"})


# --- my matches -----------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_my_matches_show_reasons_in_the_viewers_language(app, client, locale):
    with app.app_context():
        person = f.user("ana@example.org", locale=locale)
        f.profile(person, state_code="NLE", seniority="mid")
        opening = f.opening(title="Ingeniería de aprendizaje automático", state_code="NLE")
        opening_id = opening.id
    login(client, "ana@example.org")
    html = html_of(client, "/me/matches")
    # The card's link carries the marker that keeps the explanation on the opening's page.
    assert f'href="/openings/{opening_id}?from=matches"' in html
    assert translated(app, "Same state: %(state)s", locale, state="Nuevo León") in html
    assert "/100" in html and 'data-test="match-score"' in html
    skill = "Aprendizaje automático" if locale == "es" else "Machine learning"
    assert f'data-test="shared-skill">{skill}<' in html


def test_switching_language_translates_the_reasons(app, client):
    with app.app_context():
        f.profile(f.user("ana@example.org"), state_code="NLE")
        f.opening(state_code="NLE", remote_policy="remote")
    login(client, "ana@example.org")
    remote = {loc: translated(app, "Remote work is possible", loc) for loc in LOCALES}
    assert remote["es"] in html_of(client, "/me/matches")
    set_language(client, "en")
    assert remote["en"] in html_of(client, "/me/matches")


@pytest.mark.parametrize(
    ("setup", "why"),
    [
        (None, "no_profile"),
        ({"visibility": "private"}, "private"),
        ({"matching_consent": False}, "no_consent"),
    ],
)
def test_my_matches_explain_why_there_are_none(app, client, setup, why):
    with app.app_context():
        person = f.user("ana@example.org")
        if setup is not None:
            f.profile(person, **setup)
        f.opening()
    login(client, "ana@example.org")
    html = html_of(client, "/me/matches")
    assert f'data-why="{why}"' in html
    assert 'href="/me/profile/edit"' in html
    assert 'data-test="match"' not in html


def test_people_abroad_open_to_return_see_relocation_and_remote(app, client):
    with app.app_context():
        f.profile(
            f.user("ana@example.org"),
            state_code=None,
            country_code="CA",
            diaspora_status="abroad",
            open_to=["full_return"],
        )
        f.opening(title="Visión en Monterrey", relocation_support=True)
        f.opening(title="Visión desde casa", remote_policy="remote")
    login(client, "ana@example.org")
    set_language(client, "en")
    html = html_of(client, "/me/matches")
    assert 'data-code="relocation_for_return"' in html
    assert 'data-code="remote"' in html
    relocation = "Relocation support for someone open to returning to Mexico"
    assert translated(app, relocation, "en") in html


def test_my_matches_need_a_login(client):
    response = client.get("/me/matches")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- candidates and solvers -------------------------------------------------------------


def _opening_world(app, status: str = "published") -> dict[str, int]:
    with app.app_context():
        owner, editor = f.user("owner@example.org"), f.user("editor@example.org")
        f.user("other@example.org")
        f.user("curator@example.org", role="curator")
        org = f.org(owner, editors=(editor,))
        opening = f.opening(org, status=status, skill_slugs=("machine-learning", "robotics"))
        person = f.profile(f.user("cand@example.org"), full_name="Carmen Candidata")
        return {"opening": opening.id, "profile": person.id}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner@example.org", 200),
        ("editor@example.org", 200),
        ("curator@example.org", 200),
        ("other@example.org", 403),
    ],
)
def test_candidates_are_for_the_organisations_editors_and_curators(app, client, who, status):
    ids = _opening_world(app)
    login(client, who)
    html = html_of(client, f"/manage/openings/{ids['opening']}/candidates", status)
    if status == 200:
        assert "Carmen Candidata" in html
        assert f'href="/people/{ids["profile"]}"' in html
        assert "cand@example.org" not in html
        assert 'data-test="shared-skill"' in html and 'data-test="missing-skill"' in html


def test_candidates_of_a_draft_are_not_found_for_outsiders(app, client):
    ids = _opening_world(app, status="draft")
    assert client.get(f"/manage/openings/{ids['opening']}/candidates").status_code == 302
    login(client, "other@example.org")
    html_of(client, f"/manage/openings/{ids['opening']}/candidates", 404)


@pytest.mark.parametrize("locale", LOCALES)
def test_solvers_show_organisations_people_and_a_team(app, client, locale):
    wanted = ("computer-vision", "python", "natural-language-processing", "robotics")
    with app.app_context():
        owner = f.user("owner@example.org", locale=locale)
        agency = f.org(owner, kind="government_agency", skill_slugs=())
        challenge = f.challenge(agency, skill_slugs=wanted)
        f.org(name="Visión Norte", skill_slugs=("computer-vision", "python"))
        f.profile(full_name="Nora Lenguaje", skill_slugs=("natural-language-processing",))
        f.profile(full_name="Rafa Robot", skill_slugs=("robotics",))
        challenge_id = challenge.id
    login(client, "owner@example.org")
    html = html_of(client, f"/manage/challenges/{challenge_id}/solvers")
    assert 'data-test="solver-organizations"' in html and "Visión Norte" in html
    assert "Nora Lenguaje" in html and "Rafa Robot" in html
    assert html.count('data-test="team-member"') == 3
    team = Team(
        (("organization", 1), ("profile", 1), ("profile", 2)),
        frozenset(range(4)),
        1.0,
        0.5,
        frozenset(range(4)),
    )
    with app.test_request_context(), force_locale(locale):
        summary = wording.team_sentence(team, [], locale)
    assert "4" in summary and "100%" in summary and "50%" in summary
    assert summary in html
    # The suggested team comes first, before the organisations and people.
    assert html.index('data-test="team"') < html.index('data-test="solver-organizations"')
    skill = "Visión por computadora" if locale == "es" else "Computer vision"
    assert f'data-test="team-skill">{skill}<' in html


def test_solvers_refuse_other_members(app, client):
    with app.app_context():
        challenge = f.challenge()
        f.user("other@example.org")
        challenge_id = challenge.id
    login(client, "other@example.org")
    html_of(client, f"/manage/challenges/{challenge_id}/solvers", 403)


# --- more like this and search ------------------------------------------------------------


@pytest.mark.parametrize("kind", ["opening", "challenge", "organization", "story"])
def test_more_like_this_for_every_public_kind(app, client, kind):
    with app.app_context():
        if kind == "story":
            first, second = f.story(), f.story()
        else:
            maker = {"opening": f.opening, "challenge": f.challenge, "organization": f.org}[kind]
            first, second = maker(), maker()
        first_id, second_id = first.id, second.id
    html = html_of(client, f"/similar/{kind}/{first_id}")
    assert f'data-kind="{kind}" data-id="{second_id}"' in html
    assert f'data-kind="{kind}" data-id="{first_id}"' not in html


def test_more_like_this_hides_what_the_viewer_may_not_see(app, client):
    with app.app_context():
        draft = f.opening(status="draft")
        pending_org = f.org(status="pending")
        draft_id, org_id = draft.id, pending_org.id
    html_of(client, f"/similar/opening/{draft_id}", 404)
    html_of(client, f"/similar/organization/{org_id}", 404)
    html_of(client, "/similar/opening/999999", 404)
    html_of(client, "/similar/bogus/1", 404)
    html_of(client, "/similar/opening/abc", 404)


def test_public_pages_link_to_more_like_this(app, client):
    with app.app_context():
        opening = f.opening()
        opening_id = opening.id
    assert f'href="/similar/opening/{opening_id}"' in html_of(client, f"/openings/{opening_id}")


@pytest.mark.parametrize("locale", LOCALES)
def test_semantic_search_page(app, client, locale):
    with app.app_context():
        f.opening(title="Hidrología computacional para presas")
        f.org(name="Cuencas Inteligentes", description="Modelos hidrológicos.")
    client.set_cookie("lang", locale)
    html = html_of(client, "/search?q=hidrología+computacional")
    assert "Hidrología computacional para presas" in html
    assert 'data-test="search-score"' in html
    only_orgs = html_of(client, "/search?q=hidrología&kind=organization")
    assert "Cuencas Inteligentes" in only_orgs
    assert "Hidrología computacional para presas" not in only_orgs
    html_of(client, "/search")  # the empty form
    too_long = html_of(client, "/search?q=" + "a" * 10_000, 400)
    message = "The search is too long: use at most %(max)d characters."
    assert translated(app, message, locale, max=300) in too_long
    html_of(client, "/search?q=x&kind=bogus", 400)


def test_a_query_that_means_nothing_finds_nothing(app, client):
    with app.app_context():
        f.opening(title="Hidrología computacional para presas")
        f.org(name="Cuencas Inteligentes", description="Modelos hidrológicos.")
    # The multilingual model scores unrelated texts near 0.8: relevance must not follow it.
    nothing = html_of(client, "/search?q=qzxv+wplkj")
    assert 'data-test="search-score"' not in nothing
    found = html_of(client, "/search?q=modelos+hidrol%C3%B3gicos")
    assert "Cuencas Inteligentes" in found


def test_the_directory_links_to_semantic_search(client):
    html = html_of(client, "/directory?q=visión")
    assert 'href="/search?q=visi%C3%B3n"' in html


# --- privacy: visible, then hidden, then gone everywhere ------------------------------------


def _hide_profile(how: str, profile_id: int) -> None:
    profile = db.session.get(Profile, profile_id)
    if how == "private":
        profile.visibility = "private"
    elif how == "no_consent":
        profile.matching_consent = False
    elif how == "deactivated":
        db.session.get(User, profile.user_id).active = False
    else:
        db.session.delete(profile)
    db.session.commit()


@pytest.mark.parametrize("how", ["private", "no_consent", "deactivated", "deleted"])
def test_a_hidden_person_leaves_every_list_at_once(app, client, how):
    with app.app_context():
        owner = f.user("owner@example.org")
        org = f.org(owner, kind="government_agency")
        opening = f.opening(org, skill_slugs=("geospatial-ai",))
        challenge = f.challenge(org, skill_slugs=("geospatial-ai", "python"))
        person = f.profile(
            headline="Especialista en hidrología satelital",
            full_name="Hilda Hidro",
            skill_slugs=("geospatial-ai",),
        )
        ids = {"opening": opening.id, "challenge": challenge.id, "profile": person.id}
    login(client, "owner@example.org")
    urls = [
        f"/manage/openings/{ids['opening']}/candidates",
        f"/manage/challenges/{ids['challenge']}/solvers",
        "/search?q=hidrología+satelital&kind=profile",
        f"/api/v1/matches/opening/{ids['opening']}",
        f"/api/v1/matches/challenge/{ids['challenge']}",
        "/api/v1/search?q=hidrología+satelital&kind=profile",
    ]
    for url in urls:
        assert "Hilda Hidro" in html_of(client, url), url
    with app.app_context():
        _hide_profile(how, ids["profile"])
    for url in urls:
        body = html_of(client, url)
        assert "Hilda Hidro" not in body, (how, url)
        assert f"/people/{ids['profile']}" not in body, (how, url)


def _hide_opening(how: str, opening_id: int) -> None:
    opening = db.session.get(Opening, opening_id)
    if how == "unpublished":
        opening.status = "draft"
    elif how == "pending_org":
        db.session.get(Organization, opening.organization_id).status = "pending"
    else:
        opening.closes_on = date.today() - timedelta(days=1)
    db.session.commit()


@pytest.mark.parametrize("how", ["unpublished", "pending_org", "past_date"])
def test_a_hidden_opening_leaves_every_list_at_once(app, client, how):
    with app.app_context():
        f.profile(f.user("ana@example.org"), skill_slugs=("geospatial-ai", "python"))
        other = f.opening(title="Analista geoespacial", skill_slugs=("geospatial-ai",))
        opening = f.opening(
            title="Mapas satelitales de cultivos", skill_slugs=("geospatial-ai", "python")
        )
        ids = {"opening": opening.id, "other": other.id}
    login(client, "ana@example.org")
    me = db_profile_id(app, "ana@example.org")
    urls = [
        "/me/matches",
        f"/similar/opening/{ids['other']}",
        "/search?q=mapas+satelitales",
        "/api/v1/search?q=mapas+satelitales",
        f"/api/v1/matches/profile/{me}",
    ]
    for url in urls:
        assert "Mapas satelitales de cultivos" in html_of(client, url), url
    with app.app_context():
        _hide_opening(how, ids["opening"])
    for url in urls:
        assert "Mapas satelitales de cultivos" not in html_of(client, url), (how, url)


def db_profile_id(app, email: str) -> int:
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == email))
        return user.profile.id
