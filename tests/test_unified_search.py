"""One search box (issue 16): keyword and semantic hits fused into one list of cards that
say what each record is, whose it is, where, and why it matched — for the right viewer only.

The pure parts (fusion, snippets, highlighting) are tested alone; the pages run on the real
models (loaded once per session) except where a test needs the model to be down.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import event

from directory.extensions import db
from directory.matching.embedder import EmbedderUnavailable
from directory.models import Profile
from directory.unified_search import fusion, reasons, snippets

from . import factories as f
from .conftest import PASSWORD
from .helpers import translated
from .matching.conftest import FakeEmbedder, fake_matching

CARD = re.compile(r'data-test="search-result" data-kind="(\w+)" data-id="(\d+)"')


def html_of(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def cards(html: str) -> list[tuple[str, int]]:
    return [(kind, int(record_id)) for kind, record_id in CARD.findall(html)]


def card_of(html: str, kind: str, record_id: int) -> str:
    """The HTML of one result card."""
    return html.split(f'data-kind="{kind}" data-id="{record_id}"', 1)[1].split(
        'class="search-card"', 1
    )[0]


# --- fusion --------------------------------------------------------------------------------


def test_rank_fusion_rewards_records_both_lists_found_and_dedupes():
    keyword = [("opening", 1), ("organization", 2), ("opening", 1)]
    semantic = [("profile", 3), ("organization", 2), ("story", 4)]
    merged = fusion.fuse(keyword, semantic)
    assert [hit.key for hit in merged] == [
        ("organization", 2),  # found by both
        ("opening", 1),  # keyword first place wins the tie with semantic first place
        ("profile", 3),
        ("story", 4),
    ]
    both = merged[0]
    assert (both.keyword_rank, both.semantic_rank) == (2, 2)
    assert both.score == pytest.approx(2 / 62)
    assert fusion.count_by_kind(merged) == {
        "organization": 1,
        "opening": 1,
        "profile": 1,
        "story": 1,
    }


def test_pages_are_clamped():
    hits = fusion.fuse([("opening", i) for i in range(1, 26)], [])
    assert [len(fusion.page_of(hits, n, 10)[0]) for n in (1, 2, 3)] == [10, 10, 5]
    assert fusion.page_of(hits, 99, 10)[1:] == (3, 3)
    assert fusion.page_of(hits, 0, 10)[1:] == (1, 3)
    assert fusion.page_of([], 5, 10) == ([], 1, 1)


# --- snippets and highlighting ---------------------------------------------------------------


def test_highlighting_ignores_accents_case_and_stop_words():
    terms = snippets.highlight_terms("Visión por computadora para la INDUSTRIA")
    assert terms == ["vision", "computadora", "industria"]
    parts = snippets.segments("Visión por Computadoras en la industria.", terms)
    assert [(p.text, p.marked) for p in parts if p.marked] == [
        ("Visión", True),
        ("Computadoras", True),
        ("industria", True),
    ]
    assert "".join(p.text for p in parts) == "Visión por Computadoras en la industria."


def test_short_terms_mark_whole_words_only():
    parts = snippets.segments("Laboratorio de IA en la Agencia Iatrica", ["ia"])
    assert [p.text for p in parts if p.marked] == ["IA"]


def test_a_snippet_starts_near_the_first_word_found_and_drops_markdown():
    text = "**Intro.** " + "relleno " * 60 + "Detectamos [plagas](https://x.example) con drones."
    parts = snippets.snippet(text, ["plagas"])
    joined = "".join(p.text for p in parts)
    assert joined.startswith("… ") and "Detectamos plagas con drones." in joined
    assert "**" not in joined and "https://" not in joined
    assert [p.text for p in parts if p.marked] == ["plagas"]
    assert len(joined) <= snippets.SNIPPET_CHARS + 6
    assert snippets.snippet("", ["x"]) == []


def test_markup_in_text_stays_text():
    parts = snippets.segments('<img src=x onerror="alert(1)"> visión', ["vision"])
    assert parts[0].text == '<img src=x onerror="alert(1)"> ' and not parts[0].marked


def test_closeness_bands_are_absolute(app):
    with app.test_request_context(), force_locale("en"):
        assert reasons.band(0.9).code == "very-close"
        assert reasons.band(0.5).code == "close"
        assert reasons.band(0.4) is None and reasons.band(None) is None


# --- the page ------------------------------------------------------------------------------


@pytest.fixture
def world(app: Flask) -> dict[str, int]:
    with app.app_context():
        lab = f.org(name="Laboratorio Jaguar", description="Óptica y cámaras.", city="Mérida",
                    state_code="YUC")  # fmt: skip
        opening = f.opening(
            lab,
            title="Ingeniería de visión por computadora",
            description="Detectar defectos de fábrica con visión por computadora y PyTorch.",
            skill_slugs=("computer-vision", "pytorch"),
            remote_policy="remote",
        )
        person = f.profile(full_name="Rosa Ruiz", headline="Visión por computadora en Yucatán")
        return {"org": lab.id, "opening": opening.id, "person": person.id}


@pytest.mark.parametrize("locale", ["es", "en"])
def test_cards_say_kind_org_place_snippet_and_why(app, client, world, locale):
    client.set_cookie("lang", locale)
    html = html_of(client, "/search?q=visión+por+computadora")
    found = cards(html)
    assert ("opening", world["opening"]) in found and ("profile", world["person"]) in found
    card = card_of(html, "opening", world["opening"])
    singular = {"es": "Vacante", "en": "Opening"}[locale]
    assert f'data-test="result-kind">{singular}<' in card
    assert "Laboratorio Jaguar" in card
    assert translated(app, "Remote", locale) in card
    assert "<mark>visión</mark>" in card.lower()
    assert translated(app, "Contains «%(words)s» in its title", locale,
                      words="visión por computadora") in card  # fmt: skip
    assert "PyTorch" in card or "computadora" in card
    person = card_of(html, "profile", world["person"])
    assert {"es": ">Persona<", "en": ">Person<"}[locale] in person
    assert "Mérida" not in person and "Guadalajara, Jalisco" in person
    # Singular labels on the cards; no relative score.
    labels = set(re.findall(r'data-test="result-kind">([^<]*)<', html))
    assert labels <= {"Vacante", "Persona", "Organización", "Opening", "Person", "Organisation"}
    assert "/100" not in html


def test_a_skill_named_by_the_query_is_a_reason(app, client, world):
    client.set_cookie("lang", "en")
    html = html_of(client, "/search?q=pytorch")
    card = card_of(html, "opening", world["opening"])
    assert "Skill: PyTorch" in card


def test_filter_by_kind_with_counts_and_refine_link(app, client, world):
    html = html_of(client, "/search?q=visión+por+computadora&kind=organization")
    assert {kind for kind, _ in cards(html)} == {"organization"}
    assert 'data-test="kind-tab-opening"' in html and 'data-test="kind-tab-profile"' in html
    tab = re.search(r'data-test="kind-tab-organization" aria-current="page">[^<]*'
                    r'<span class="count">(\d+)</span>', html)  # fmt: skip
    assert tab and int(tab.group(1)) == len(cards(html))
    assert 'href="/directory?q=visi%C3%B3n+por+computadora"' in html
    assert 'value="visión por computadora"' in html  # the query stays in the box


def test_spanish_finds_english_and_english_finds_spanish(app, client):
    with app.app_context():
        english = f.opening(
            title="Crop disease detection from drone imagery",
            description="Deep learning on aerial images of fields to spot plant diseases early.",
        )
        spanish = f.org(
            name="Agrovisión del Bajío",
            description="Detección de plagas y enfermedades en cultivos con drones y satélites.",
        )
        ids = (english.id, spanish.id)
    assert ("opening", ids[0]) in cards(
        html_of(client, "/search?q=detectar+enfermedades+de+cultivos+con+drones")
    )
    assert ("organization", ids[1]) in cards(
        html_of(client, "/search?q=crop+disease+detection+with+drones")
    )


@pytest.mark.parametrize("how", ["private", "members", "no_consent"])
def test_a_hidden_profile_never_appears(app, client, world, how):
    with app.app_context():
        profile = db.session.get(Profile, world["person"])
        if how == "no_consent":
            profile.matching_consent = False
        else:
            profile.visibility = how
        db.session.commit()
    html = html_of(client, "/search?q=Rosa+Ruiz")
    assert ("profile", world["person"]) not in cards(html)
    assert "Rosa Ruiz</a>" not in html and f"/people/{world['person']}" not in html


def test_members_only_profile_shows_to_members_but_never_your_own(app, client, world):
    with app.app_context():
        db.session.get(Profile, world["person"]).visibility = "members"
        f.user("ana@example.org")
        owner_email = db.session.get(Profile, world["person"]).user.email
        db.session.commit()
    client.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    assert ("profile", world["person"]) in cards(html_of(client, "/search?q=Rosa+Ruiz"))
    other = app.test_client()
    other.post("/login", data={"email": owner_email, "password": PASSWORD})
    assert ("profile", world["person"]) not in cards(html_of(other, "/search?q=Rosa+Ruiz"))


def test_unpublished_records_never_appear(app, client):
    with app.app_context():
        draft = f.opening(title="Vacante secreta de visión", status="draft")
        pending = f.org(name="Organización secreta de visión", status="pending")
        ids = {("opening", draft.id), ("organization", pending.id)}
    html = html_of(client, "/search?q=secreta+de+visión")
    assert not ids & set(cards(html))
    shown = html.split('data-test="result-count"', 1)[1]
    assert "Vacante secreta" not in shown and "Organización secreta" not in shown


def test_markup_in_a_title_is_escaped_in_the_marked_snippet(app, client):
    evil = '<script>alert("x")</script> visión <img src=x onerror=alert(1)>'
    with app.app_context():
        opening = f.opening(title=evil, description=f"{evil} por computadora")
        opening_id = opening.id
    html = html_of(client, "/search?q=visión+por+computadora")
    assert "<script>alert" not in html and "<img src=x" not in html
    card = card_of(html, "opening", opening_id)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; visión &lt;img" in card  # the title
    snippet = card.split('data-test="result-snippet">', 1)[1].split("</p>", 1)[0]
    assert snippet == (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; <mark>visión</mark> "
        "&lt;img src=x onerror=alert(1)&gt; por <mark>computadora</mark>"
    )


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/search", 200),
        ("/search?q=", 200),
        ("/search?q=%20%20", 200),
        ("/search?q=" + "a" * 301, 400),
        ("/search?q=visi%C3%B3n&page=abc", 200),
        ("/search?q=visi%C3%B3n&page=-3", 200),
        ("/search?q=visi%C3%B3n&page=99999999999", 200),
        ("/search?q=visi%C3%B3n&page=%C2%B2", 200),
        ("/search?q=visi%C3%B3n&kind=users", 400),
        ("/search?q=%00visi%C3%B3n%01", 200),
    ],
)
def test_odd_input_never_breaks_the_page(app, client, world, url, status):
    html = html_of(client, url, status)
    if status == 400:  # said in words, next to the box; nothing searched
        assert 'data-test="search-error"' in html and 'data-test="search-result"' not in html
    elif "q=visi" in url:
        assert ("opening", world["opening"]) in cards(html)


def test_paging_keeps_the_query_and_the_kind(app, client):
    with app.app_context():
        org = f.org(name="Fábrica de visión")
        for n in range(13):
            f.opening(org, title=f"Visión artificial para inspección {n}")
    first = html_of(client, "/search?q=visión+artificial&kind=opening")
    assert len(cards(first)) == 10
    assert 'href="/search?q=visi%C3%B3n+artificial&amp;kind=opening&amp;page=2"' in first
    second = html_of(client, "/search?q=visión+artificial&kind=opening&page=2")
    assert len(cards(second)) == 3 and not set(cards(first)) & set(cards(second))


def test_nothing_found_suggests_the_directory(app, client, world):
    client.set_cookie("lang", "en")
    html = html_of(client, "/search?q=qzxv+wplkj")
    assert cards(html) == [] and 'data-test="no-results"' in html
    assert 'data-test="browse-facets" href="/directory"' in html or 'href="/directory"' in html
    assert 'value="qzxv wplkj"' in html


class _Down(FakeEmbedder):
    def embed_query(self, text: str):  # type: ignore[override]
        raise EmbedderUnavailable("down")


def test_without_the_model_keyword_results_show_with_a_note(app, client, world):
    with fake_matching(app, _Down()):
        html = html_of(client, "/search?q=visión+por+computadora")
    assert ("opening", world["opening"]) in cards(html)
    assert 'data-test="semantic-unavailable"' in html


@pytest.fixture
def count_queries(app: Flask) -> Iterator[list[int]]:
    with app.app_context():
        engine = db.engine
    seen = [0]

    def listener(*_args: object) -> None:
        seen[0] += 1

    event.listen(engine, "before_cursor_execute", listener)
    yield seen
    event.remove(engine, "before_cursor_execute", listener)


def test_no_query_per_result(app, count_queries):
    def measure() -> int:
        client = app.test_client()
        client.get("/search?q=visión")  # the index syncs on the first search
        count_queries[0] = 0
        assert client.get("/search?q=visión").status_code == 200
        return count_queries[0]

    with app.app_context():
        for _ in range(2):
            f.opening(f.org(), title="Visión en planta")
            f.profile(headline="Visión por computadora")
            f.story()
    few = measure()
    with app.app_context():
        for _ in range(7):
            f.opening(f.org(), title="Visión en planta")
            f.profile(headline="Visión por computadora")
            f.story()
    many = measure()
    assert many <= few + 1 and many <= 30, (few, many)


def test_every_page_has_the_header_search_box(client):
    for path in ("/", "/directory", "/login"):
        html = html_of(client, path)
        assert 'data-test="site-search"' in html and 'action="/search"' in html
    assert 'data-test="home-search"' in html_of(client, "/")
