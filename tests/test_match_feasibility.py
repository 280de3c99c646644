"""Matches a recruiter would sign, through the pages and the API with the real model:
eligibility filters solvers and teams, feasibility orders candidates and says why, and
skills outside the vocabulary meet across languages."""

from __future__ import annotations

import pytest

from . import factories as f
from .helpers import translated
from .test_match_pages import html_of, login

CV = ("computer-vision", "python")


def test_only_eligible_solvers_are_suggested(app, client):
    with app.app_context():
        agency = f.org(f.user("owner@example.org"), kind="government_agency", skill_slugs=CV)
        challenge = f.challenge(agency, skill_slugs=CV, eligibility=["startups"])
        f.org(name="Visión Norte", kind="startup", skill_slugs=CV)
        f.org(name="Secretaría de Visión", kind="government_agency", skill_slugs=CV)
        f.org(name="Grandes Datos SA", kind="company", skill_slugs=CV)
        f.org(name="Cámara de Visión", kind="chamber", skill_slugs=CV)
        f.profile(full_name="Nora Visión", skill_slugs=CV)
        challenge_id = challenge.id
    login(client, "owner@example.org")
    html = html_of(client, f"/manage/challenges/{challenge_id}/solvers")
    assert "Visión Norte" in html
    for ineligible in ("Secretaría de Visión", "Grandes Datos SA", "Cámara de Visión"):
        assert ineligible not in html
    assert "Nora Visión" not in html  # individuals are not eligible
    assert 'data-test="team-member"' not in html  # nor consortia
    answer = client.get(f"/api/v1/matches/challenge/{challenge_id}").get_json()
    assert [m["title"] for m in answer["matches"]] == ["Visión Norte"]
    assert answer["team"] is None


@pytest.mark.parametrize("locale", ["es", "en"])
def test_candidates_who_can_take_the_job_come_first_with_reasons(app, client, locale):
    with app.app_context():
        owner = f.user("owner@example.org", locale=locale)
        firm = f.org(owner, kind="company", state_code="NLE")
        opening = f.opening(
            firm, title="Ingeniería de visión", skill_slugs=CV, state_code="NLE",
            remote_policy="onsite", relocation_support=True,
        )  # fmt: skip
        headline = "Ingeniera de visión por computadora con Python"
        f.profile(full_name="Lucía Local", headline=headline, skill_slugs=CV,
                  state_code="NLE", open_to=["jobs"])  # fmt: skip
        f.profile(
            full_name="Alba Abroad", headline=headline, skill_slugs=CV, country_code="CA",
            state_code=None, diaspora_status="abroad", open_to=["jobs"],
        )  # fmt: skip
        f.profile(full_name="Ada Asesora", headline=headline, skill_slugs=CV,
                  state_code="NLE", open_to=["advising"])  # fmt: skip
        f.profile(full_name="Pedro Permiso", headline=headline, skill_slugs=CV,
                  state_code="NLE", open_to=["jobs"], needs_work_permit=True)  # fmt: skip
        opening_id = opening.id
    login(client, "owner@example.org")
    client.post("/language", data={"lang": locale, "next": "/"})
    html = html_of(client, f"/manage/openings/{opening_id}/candidates")
    assert "Pedro Permiso" not in html  # needs a permit the opening does not sponsor
    order = [html.index(name) for name in ("Lucía Local", "Alba Abroad", "Ada Asesora")]
    assert order[0] == min(order)
    away = translated(app, "Lives outside Mexico and is not looking to return", locale)
    assert away in html
    assert translated(app, "Not looking for a job of this kind", locale) in html


def test_free_text_skills_meet_across_languages(app, client):
    with app.app_context():
        owner = f.user("owner@example.org")
        firm = f.org(owner, kind="company")
        opening = f.opening(firm, title="Analista de demanda", skill_slugs=(),
                            free_skills=["pronóstico de demanda"])  # fmt: skip
        f.profile(full_name="Dana Demand", headline="Demand planning analyst", skill_slugs=(),
                  free_skills=["demand forecasting"], state_code=opening.state_code)  # fmt: skip
        opening_id = opening.id
    login(client, "owner@example.org")
    answer = client.get(f"/api/v1/matches/opening/{opening_id}").get_json()
    dana = next(m for m in answer["matches"] if m["title"] == "Dana Demand")
    assert dana["shared_skills"] == ["pronóstico de demanda"]
    assert dana["missing_skills"] == []


def test_a_persons_openings_and_challenges_come_as_two_lists_with_a_limit(app, client):
    with app.app_context():
        me = f.user("ana@example.org")
        f.profile(me, skill_slugs=CV, open_to=["jobs", "challenges"], state_code="NLE")
        firm = f.org(kind="company", state_code="NLE")
        for n in range(3):
            f.opening(firm, title=f"Visión {n}", skill_slugs=CV, state_code="NLE")
        f.challenge(firm, title="Reto de visión", skill_slugs=CV)
        profile_id = me.profile.id
    login(client, "ana@example.org")
    answer = client.get(f"/api/v1/matches/profile/{profile_id}?limit=2").get_json()
    assert [m["kind"] for m in answer["openings"]] == ["opening", "opening"]
    assert [m["title"] for m in answer["challenges"]] == ["Reto de visión"]
    assert len(answer["matches"]) == 2
    html = html_of(client, "/me/matches")
    assert 'data-test="matches-openings"' in html and 'data-test="matches-challenges"' in html
    assert html.index("Visión 0") < html.index('data-test="matches-challenges"')
    assert client.get(f"/api/v1/matches/profile/{profile_id}?limit=51").status_code == 400
