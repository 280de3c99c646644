"""The directory's keyword search and facets: what is found, in what order, and by whom."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from werkzeug.datastructures import MultiDict

from directory.extensions import db
from directory.services.search import PER_PAGE, SearchFilters, query_terms, score, search

from . import factories as f
from .helpers import translated


def found(viewer=None, **args: str) -> list[tuple[str, int]]:
    """(kind, id) of every hit on the asked page, in order."""
    result = search(SearchFilters.from_args(MultiDict(args)), viewer)
    return [(hit.kind, hit.record.id) for hit in result.hits]


def ids(kind: str, *records) -> set[tuple[str, int]]:
    return {(kind, record.id) for record in records}


# --- parsing ----------------------------------------------------------------------------


def test_filters_ignore_bad_values():
    filters = SearchFilters.from_args(
        MultiDict({"page": "abc", "kind": "planet", "state": "XX", "sort": "loud", "area": "<b>"})
    )
    assert filters == SearchFilters()
    assert SearchFilters.from_args({"page": "-3"}).page == 1
    assert SearchFilters.from_args({"page": "99999999999"}).page == 1
    assert SearchFilters.from_args({"q": "x" * 10_000}).q == "x" * 200
    good = SearchFilters.from_args({"kind": "opening", "state": "JAL", "page": "2", "sort": "date"})
    assert (good.kind, good.state, good.page, good.sort) == ("opening", "JAL", 2, "date")


def test_links_keep_the_query_and_reset_the_page():
    filters = SearchFilters(q="visión", kind="profile", page=3)
    assert filters.params() == {"q": "visión", "kind": "profile", "page": "3"}
    assert filters.params(state="JAL") == {"q": "visión", "kind": "profile", "state": "JAL"}
    assert filters.params(kind=None) == {"q": "visión"}
    assert filters.params(page=4)["page"] == "4"


def test_query_terms_are_folded():
    assert query_terms("  VISIÓN, Computadora visión ") == ["vision", "computadora"]
    assert score(["vision"], "vision norte", "vision norte") > score(["vision"], "otra", "vision")


# --- matching -----------------------------------------------------------------------------


def test_accents_and_case_are_ignored(app_ctx):
    accented = f.org(name="Laboratorio de Visión", description="", skill_slugs=())
    upper = f.org(name="VISIÓN NORTE", description="", skill_slugs=())
    other = f.org(name="Datos del Golfo", description="Analítica", skill_slugs=())
    for query in ("vision", "VISION", "Visión", "visión"):
        hits = set(found(q=query))
        assert ids("organization", accented, upper) <= hits, query
        assert ("organization", other.id) not in hits


def test_every_term_must_appear(app_ctx):
    both = f.org(name="Visión Robótica", description="", skill_slugs=())
    one = f.org(name="Visión Industrial", description="", skill_slugs=())
    hits = set(found(q="robotica vision"))
    assert ("organization", both.id) in hits and ("organization", one.id) not in hits


def test_skill_labels_bridge_spanish_and_english(app_ctx):
    english_tagged = f.opening(
        title="Data role A", description="We build models.", skill_slugs=("machine-learning",)
    )
    spanish_tagged = f.opening(
        title="Puesto B", description="Modelos de lenguaje.", skill_slugs=("robotics",)
    )
    untagged = f.opening(title="Puesto C", description="Contabilidad.", skill_slugs=())
    assert set(found(q="aprendizaje automatico")) == ids("opening", english_tagged)
    assert set(found(q="Machine Learning")) == ids("opening", english_tagged)
    assert set(found(q="robotics")) == ids("opening", spanish_tagged)
    assert set(found(q="robótica")) == ids("opening", spanish_tagged)
    assert ("opening", untagged.id) not in set(found(q="contabilidad robotics"))


def test_like_wildcards_are_literal(app_ctx):
    percent = f.org(name="Cien % IA", description="", skill_slugs=())
    f.org(name="Otra empresa", description="", skill_slugs=())
    assert set(found(q="%")) == ids("organization", percent)
    assert found(q="_") == []


# --- facets -------------------------------------------------------------------------------


@pytest.fixture
def facet_data(app_ctx):
    """Two of everything, differing in one facet each."""
    uni = f.org(name="Universidad A", kind="university", state_code="JAL", sectors=["health"],
                skill_slugs=("robotics",))  # fmt: skip
    startup = f.org(name="Startup B", kind="startup", state_code="NLE", sectors=["finance"],
                    skill_slugs=("python",))  # fmt: skip
    abroad = f.profile(diaspora_status="abroad", country_code="CA", state_code=None,
                       skill_slugs=("robotics",))  # fmt: skip
    local = f.profile(diaspora_status="local", state_code="NLE", skill_slugs=("python",))
    remote = f.opening(startup, remote_policy="remote", state_code="JAL", skill_slugs=("python",))
    onsite = f.opening(startup, remote_policy="onsite", state_code="NLE", skill_slugs=())
    pilot = f.challenge(uni, stage="pilot", sector="health", state_code="JAL")
    discovery = f.challenge(uni, stage="discovery", sector="finance", state_code="NLE")
    story = f.story(sector="health", state_code="JAL")
    return locals()


def test_each_facet_filters(facet_data):
    d = facet_data
    assert set(found(kind="organization")) == ids("organization", d["uni"], d["startup"])
    assert set(found(kind="story")) == ids("story", d["story"])
    assert set(found(state="JAL")) == (
        ids("organization", d["uni"]) | ids("opening", d["remote"])
        | ids("challenge", d["pilot"]) | ids("story", d["story"])
    )  # fmt: skip
    # computer-vision is the challenges' default skill; robotics is an area, python is not.
    assert set(found(area="robotics")) == ids("organization", d["uni"]) | ids(
        "profile", d["abroad"]
    )
    assert set(found(skill="python")) == (
        ids("organization", d["startup"]) | ids("profile", d["local"]) | ids("opening", d["remote"])
    )
    assert set(found(sector="health")) == (
        ids("organization", d["uni"]) | ids("challenge", d["pilot"]) | ids("story", d["story"])
    )
    assert set(found(org_kind="university")) == ids("organization", d["uni"])
    assert set(found(diaspora="abroad")) == ids("profile", d["abroad"])
    assert set(found(remote="remote")) == ids("opening", d["remote"])
    assert set(found(stage="pilot")) == ids("challenge", d["pilot"])
    assert set(found(kind="opening", state="NLE")) == ids("opening", d["onsite"])


def test_area_facet_refuses_non_area_skills(facet_data):
    # python is a tool, not an AI area: the filter is ignored rather than matching nothing.
    assert len(found(area="python")) == len(found())
    assert len(found(skill="no-such-skill")) == len(found())


def test_facet_counts_follow_the_other_filters(facet_data):
    result = search(SearchFilters(state="JAL"), None)
    kinds = {o.value: o.count for o in next(x for x in result.facets if x.name == "kind").options}
    assert kinds == {"organization": 1, "opening": 1, "challenge": 1, "story": 1}
    states = next(x for x in result.facets if x.name == "state").options
    jal = next(o for o in states if o.value == "JAL")
    assert jal.selected and jal.label == "Jalisco" and jal.count == 4
    # The state facet still offers the other states (counted without the state filter).
    assert any(o.value == "NLE" and o.count > 0 for o in states)
    result = search(SearchFilters(kind="organization"), None)
    sectors = {
        o.value: o.count for o in next(x for x in result.facets if x.name == "sector").options
    }
    assert sectors == {"health": 1, "finance": 1}


# --- order and pages ----------------------------------------------------------------------


def test_pagination(app_ctx):
    orgs = [f.org(name=f"Zafiro {n:02d}", description="", skill_slugs=()) for n in range(25)]
    first = search(SearchFilters(q="zafiro"), None)
    second = search(SearchFilters(q="zafiro", page=2), None)
    assert (first.total, first.pages, len(first.hits), len(second.hits)) == (25, 2, PER_PAGE, 5)
    seen = {h.record.id for h in first.hits} | {h.record.id for h in second.hits}
    assert seen == {o.id for o in orgs}
    assert search(SearchFilters(q="zafiro", page=99), None).page == 2


def test_sort_by_date_puts_newest_first(app_ctx):
    old, new, middle = (f.org(name=f"Zafiro {n}", skill_slugs=()) for n in "abc")
    now = datetime.now(UTC)
    for record, days in ((old, 30), (new, 1), (middle, 10)):
        record.published_at = now - timedelta(days=days)
    db.session.commit()
    assert found(q="zafiro", sort="date") == [("organization", r.id) for r in (new, middle, old)]


def test_relevance_puts_a_title_match_first(app_ctx):
    in_title = f.org(name="Robótica Zafiro", description="", skill_slugs=())
    in_text = f.org(name="Taller Norte", description="Hacemos robótica.", skill_slugs=())
    in_title.published_at = datetime.now(UTC) - timedelta(days=90)  # older, still first
    db.session.commit()
    assert found(q="robotica") == [("organization", in_title.id), ("organization", in_text.id)]
    assert found(q="robotica", sort="date")[0] == ("organization", in_text.id)


# --- visibility -----------------------------------------------------------------------------


@pytest.fixture
def hidden_and_shown(app_ctx):
    """Records carrying the word "zafiro": some listed, some that must never be."""
    word = {"description": "zafiro"}
    pending_org = f.org(status="pending", **word)
    shown = {
        "org": f.org(**word),
        "public": f.profile(bio="zafiro"),
        "opening": f.opening(**word),
        "challenge": f.challenge(problem="zafiro"),
        "story": f.story(summary_es="zafiro"),
    }
    members = f.profile(bio="zafiro", visibility="members")
    hidden = [
        ("profile", f.profile(bio="zafiro", visibility="private")),
        ("profile", f.profile(f.user(active=False), bio="zafiro")),
        ("organization", pending_org),
        ("organization", f.org(status="rejected", **word)),
        ("organization", f.org(merged_into_id=shown["org"].id, **word)),
        ("opening", f.opening(status="pending", **word)),
        ("opening", f.opening(status="archived", **word)),
        ("opening", f.opening(closes_on=date.today() - timedelta(days=1), **word)),
        ("opening", f.opening(pending_org, **word)),
        ("challenge", f.challenge(status="rejected", problem="zafiro")),
        ("challenge", f.challenge(closes_on=date.today() - timedelta(days=1), problem="zafiro")),
        ("challenge", f.challenge(pending_org, problem="zafiro")),
        ("story", f.story(status="pending", summary_es="zafiro")),
        ("story", f.story(status="draft", summary_es="zafiro")),
    ]
    return shown, members, [(kind, record.id) for kind, record in hidden]


def test_anonymous_sees_only_listed_records(hidden_and_shown):
    shown, members, hidden = hidden_and_shown
    hits = set(found(q="zafiro"))
    assert ("profile", members.id) not in hits
    assert not hits & set(hidden)
    assert len(hits) == len(shown)


def test_members_see_members_only_profiles_but_never_private(hidden_and_shown):
    shown, members, hidden = hidden_and_shown
    for viewer in (f.user(), f.user(role="curator")):
        hits = set(found(viewer, q="zafiro"))
        assert ("profile", members.id) in hits
        assert not hits & set(hidden)


# --- the page -----------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["es", "en"])
def test_browse_page_shows_results_and_facets(app, client, locale):
    with app.app_context():
        org = f.org(name="Visión Zafiro", state_code="JAL", skill_slugs=())
        slug = org.slug
    client.set_cookie("lang", locale)
    html = client.get("/directory?q=vision&state=JAL").get_data(as_text=True)
    assert f'href="/organizations/{slug}"' in html
    assert translated(app, "Directory", locale) in html
    assert translated(app, "Clear all filters", locale) in html
    assert 'value="vision"' in html  # the query stays in the box
    assert "kind=organization" in html and "state=JAL" in html  # facet links keep the query


@pytest.mark.parametrize(
    "query",
    [
        "page=abc", "page=-3", "page=0", "page=1e9", "kind=planet", "state=XX", "sort=x",
        "area=%3Cscript%3E", "skill=" + "a" * 500, "q=" + "x" * 10_000, "q=%25_%5C",
        "kind=opening&kind=profile", "diaspora=mars&remote=moon&stage=never", "q=%00",
    ],
)  # fmt: skip
def test_bad_parameters_are_ignored(client, query):
    assert client.get("/directory?" + query).status_code == 200


def test_no_results_says_so(app, client):
    html = client.get("/directory?q=nadaqueencontrar").get_data(as_text=True)
    assert (
        translated(app, "Nothing matches your search. Try fewer words or remove a filter.", "es")
        in html
    )


def test_home_has_a_search_box_and_browse_links(client):
    html = client.get("/").get_data(as_text=True)
    assert 'action="/search"' in html and 'name="q"' in html  # one box: keyword + meaning
    for kind in ("organization", "profile", "opening", "challenge"):
        assert f'href="/directory?kind={kind}"' in html
    assert 'href="/stories"' in html


def test_home_numbers_match_the_directory(app, client):
    with app.app_context():
        f.opening()
        f.opening(closes_on=date.today() - timedelta(days=1))  # past: neither counted nor listed
        f.profile(visibility="members")
    html = client.get("/").get_data(as_text=True)
    with app.app_context():
        for kind in ("organization", "opening", "challenge", "profile"):
            total = search(SearchFilters(kind=kind), None).total
            assert f'<strong>{total}</strong> <a href="/directory?kind={kind}"' in html, kind


def test_the_risk_level_of_a_challenge_is_a_facet(app, client):
    from directory.models.proposals import RiskAssessment

    with app.app_context():
        high = f.challenge(title="Reto de asignación de becas")
        low = f.challenge(title="Reto de conteo de tráfico")
        f.challenge(title="Reto sin evaluar")
        for challenge, level in ((high, "high"), (low, "low")):
            assessment = RiskAssessment(challenge=challenge, questionnaire_version=1, level=level)
            db.session.add(assessment)
        db.session.commit()
        high_id = high.id
    page = client.get("/directory?kind=challenge").text
    assert 'data-test="facet-risk-high"' in page and 'data-test="facet-risk-low"' in page
    filtered = client.get("/directory?risk=high").text
    assert "Reto de asignación de becas" in filtered
    assert "Reto de conteo de tráfico" not in filtered and "Reto sin evaluar" not in filtered
    assert f'/challenges/{high_id}"' in filtered
    # An unknown level is ignored, like any unknown facet value.
    assert "Reto sin evaluar" in client.get("/directory?risk=extreme").text
