"""Public record pages: who sees what, Open Graph tags, and no leaks or stored XSS."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pytest

from directory.extensions import db
from directory.models import Status

from . import factories as f
from .conftest import PASSWORD
from .helpers import translated

LOCALES = ["es", "en"]


def login(client, email: str) -> None:
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302


def og(html: str, prop: str) -> str | None:
    match = re.search(rf'<meta property="og:{prop}" content="([^"]*)">', html)
    return match.group(1) if match else None


# --- organisations ------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_organization_page(app, client, locale):
    with app.app_context():
        owner = f.user()
        org = f.org(
            owner,
            name="Xoco Visión",
            kind="research_centre",
            description="Hacemos **visión** por computadora.",
            website="https://xoco.example.org",
            chamber_member=True,
            verified_at=datetime(2025, 3, 14, 18, tzinfo=UTC),
        )
        opening = f.opening(org, title="Ingeniería de visión")
        challenge = f.challenge(org, title="Reto de visión")
        hidden = f.opening(org, title="Puesto pendiente", status="pending")
        slug, org_id = org.slug, org.id
        opening_id, challenge_id, hidden_id = opening.id, challenge.id, hidden.id
    client.set_cookie("lang", locale)
    html = client.get(f"/organizations/{slug}").get_data(as_text=True)
    assert "<strong>visión</strong>" in html
    assert translated(app, "Research centre", locale) in html
    assert translated(app, "Member of the chamber", locale) in html
    day = "14 de marzo de 2025" if locale == "es" else "March 14, 2025"
    assert translated(app, "Verified by the chamber on %(date)s", locale, date=day) in html
    assert '<a href="https://xoco.example.org" rel="nofollow noopener ugc"' in html
    assert f'href="/openings/{opening_id}"' in html
    assert f'href="/challenges/{challenge_id}"' in html
    assert f'href="/openings/{hidden_id}"' not in html
    assert f'href="/report/organization/{org_id}"' in html
    assert og(html, "title") == "Xoco Visión"
    assert og(html, "url") == f"http://localhost/organizations/{slug}"
    assert og(html, "description") == "Hacemos visión por computadora."
    assert og(html, "locale") == ("es_MX" if locale == "es" else "en_US")


def test_claim_link_only_for_logged_in_non_members(app, client):
    with app.app_context():
        owner, stranger = f.user(), f.user()
        org = f.org(owner)
        slug, claim = org.slug, f'href="/manage/organizations/{org.id}/claim"'
        owner, stranger = owner.email, stranger.email
    assert claim not in client.get(f"/organizations/{slug}").get_data(as_text=True)
    login(client, stranger)
    assert claim in client.get(f"/organizations/{slug}").get_data(as_text=True)
    client.post("/logout")
    login(client, owner)
    assert claim not in client.get(f"/organizations/{slug}").get_data(as_text=True)


def test_merged_organization_redirects_permanently(app, client):
    with app.app_context():
        kept = f.org(name="La que queda")
        duplicate = f.org(name="Duplicado", merged_into_id=kept.id)
        kept_slug, dup_slug = kept.slug, duplicate.slug
    response = client.get(f"/organizations/{dup_slug}")
    assert response.status_code == 301
    assert response.location.endswith(f"/organizations/{kept_slug}")


def test_unpublished_organization_is_hidden(app, client):
    with app.app_context():
        owner = f.user()
        slug = f.org(owner, status="pending").slug
        owner = owner.email
    assert client.get(f"/organizations/{slug}").status_code == 404
    assert client.get("/organizations/no-such-org").status_code == 404
    login(client, owner)
    assert client.get(f"/organizations/{slug}").status_code == 200


# --- profiles -------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_public_profile_page(app, client, locale):
    with app.app_context():
        person = f.profile(
            full_name="Lucía Pérez",
            headline="Investigadora en visión",
            kind="researcher",
            seniority="senior",
            country_code="CA",
            state_code=None,
            city="Montreal",
            diaspora_status="abroad",
            open_to=["full_return", "advising"],
            languages=["es", "en"],
            links=["https://lucia.example.org", "javascript:alert(1)"],
            skill_slugs=("computer-vision", "python"),
        )
        person_id = person.id
    client.set_cookie("lang", locale)
    html = client.get(f"/people/{person_id}").get_data(as_text=True)
    for msgid in ("Researcher", "Senior", "Abroad", "Full return to Mexico", "Advising"):
        assert translated(app, msgid, locale) in html, msgid
    assert "Montreal, " + ("Canadá" if locale == "es" else "Canada") in html
    assert ("Visión por computadora" if locale == "es" else "Computer vision") in html
    assert '<a href="https://lucia.example.org" rel="nofollow noopener ugc">' in html
    assert "javascript:" not in html
    assert 'data-test="updated"' in html
    assert og(html, "title") == "Lucía Pérez"
    assert og(html, "url") == f"http://localhost/people/{person_id}"
    assert og(html, "type") == "profile"
    # Anonymous visitors cannot contact; they are not offered the button.
    assert f'href="/people/{person_id}/contact"' not in html


def test_contact_button_for_logged_in_members_when_the_person_accepts(app, client):
    with app.app_context():
        viewer = f.user()
        willing = f.profile().id
        unwilling = f.profile(contact_consent=False).id
        own = f.profile(viewer).id
        viewer = viewer.email
    login(client, viewer)
    assert f'href="/people/{willing}/contact"' in client.get(f"/people/{willing}").get_data(
        as_text=True
    )
    assert f"/people/{unwilling}/contact" not in client.get(f"/people/{unwilling}").get_data(
        as_text=True
    )
    assert f"/people/{own}/contact" not in client.get(f"/people/{own}").get_data(as_text=True)


def test_private_profile_is_404_except_for_owner_and_curators(app, client):
    with app.app_context():
        owner, other, curator = f.user(), f.user(), f.user(role="curator")
        person_id = f.profile(owner, visibility="private").id
        owner, other, curator = owner.email, other.email, curator.email
    url = f"/people/{person_id}"
    assert client.get(url).status_code == 404
    login(client, other)
    assert client.get(url).status_code == 404
    client.post("/logout")
    for allowed in (owner, curator):
        login(client, allowed)
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response.headers["Cache-Control"]
        assert og(response.get_data(as_text=True), "title") is None
        client.post("/logout")
    assert client.get("/people/999999").status_code == 404


def test_members_only_profile_needs_a_login(app, client):
    with app.app_context():
        viewer = f.user()
        person_id = f.profile(visibility="members", full_name="Solo Socios").id
        viewer = viewer.email
    assert client.get(f"/people/{person_id}").status_code == 404
    login(client, viewer)
    html = client.get(f"/people/{person_id}").get_data(as_text=True)
    assert "Solo Socios" in html
    assert og(html, "title") is None  # no preview card for what is not public
    assert '<meta name="robots" content="noindex, nofollow">' in html


def test_inactive_accounts_profile_is_hidden(app, client):
    with app.app_context():
        person_id = f.profile(f.user(active=False)).id
    assert client.get(f"/people/{person_id}").status_code == 404


# --- private markers and stored XSS ---------------------------------------------------------

PHONE = "+52 55 PRIVATE-MARK"
EMAIL = "private-mark@example.org"
XSS_NAME = '"><svg onload=alert(1)>'
XSS_TEXT = (
    "Hola <script>alert('bio')</script> <img src=x onerror=alert(2)> "
    "[x](javascript:alert(3)) [y](data:text/html;base64,PHNjcmlwdD4=) "
    '<a href="javascript:alert(4)">z</a>'
)


@pytest.fixture
def risky(app):
    """A public profile with private markers and hostile text, its org, posts and story."""
    with app.app_context():
        owner = f.user(EMAIL)
        person = f.profile(owner, full_name=XSS_NAME, headline=XSS_NAME, bio=XSS_TEXT,
                           phone=PHONE, links=["https://ok.example.org"])  # fmt: skip
        org = f.org(owner, name=XSS_NAME, description=XSS_TEXT)
        opening = f.opening(org, title=XSS_NAME, description=XSS_TEXT)
        challenge = f.challenge(org, title=XSS_NAME, problem=XSS_TEXT, desired_outcome=XSS_TEXT)
        story = f.story(title_es=XSS_NAME, title_en=XSS_NAME, body_es=XSS_TEXT, body_en=XSS_TEXT)
        story.organizations = [org]
        db.session.commit()
        return [
            f"/people/{person.id}",
            f"/organizations/{org.slug}",
            f"/openings/{opening.id}",
            f"/challenges/{challenge.id}",
            f"/stories/{story.slug}",
            "/stories",
            "/",
            "/directory",
            "/directory?q=svg+onload",
            "/directory?q=hola&sort=date",
            "/directory?kind=profile",
        ]


class _Tags(HTMLParser):
    """Collect every element and attribute the browser would build from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def _assert_clean(html: str, url: str) -> None:
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag not in ("svg", "iframe", "object"), (url, tag)
        # The only images are the site's own (the logo): never one a user's text made.
        assert tag != "img" or attrs.get("src", "").startswith("/static/"), (url, attrs)
        assert not any(name.startswith("on") for name in attrs), (url, tag, attrs)
        for name in ("href", "src", "action"):
            value = attrs.get(name, "").strip().lower()
            assert not value.startswith(("javascript:", "data:")), (url, tag, attrs)
    # The only scripts are our own files.
    assert all(attrs.get("src") for tag, attrs in parser.tags if tag == "script"), url


@pytest.mark.parametrize("locale", LOCALES)
def test_no_private_markers_or_live_markup_anywhere(app, client, risky, locale):
    client.set_cookie("lang", locale)
    for viewer in (None, "member"):
        if viewer:
            with app.app_context():
                member = f.user().email
            login(client, member)
        for url in risky:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.get_data(as_text=True)
            assert "PRIVATE-MARK" not in html and EMAIL not in html, url
            _assert_clean(html, url)
    # The name shows up escaped, where it appears at all.
    html = client.get(risky[0]).get_data(as_text=True)
    assert "&lt;svg onload=alert(1)&gt;" in html


def test_search_never_matches_private_fields(app, client, risky):
    for query in ("PRIVATE-MARK", "private-mark@example.org", "+52 55"):
        html = client.get("/directory", query_string={"q": query}).get_data(as_text=True)
        assert translated(app, "Nothing matches your search. Try fewer words or remove a filter.",
                          "es") in html, query  # fmt: skip


# --- openings and challenges ----------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_opening_page(app, client, locale):
    with app.app_context():
        org = f.org(name="Kaab Salud")
        opening = f.opening(
            org,
            title="Ingeniería de datos clínicos",
            kind="internship",
            remote_policy="hybrid",
            relocation_support=True,
            salary_min=30000,
            salary_max=45000,
            closes_on=date(2099, 1, 31),
            skill_slugs=("machine-learning",),
        )
        opening_id = opening.id
    client.set_cookie("lang", locale)
    html = client.get(f"/openings/{opening_id}").get_data(as_text=True)
    # Mexico groups digits with commas in Spanish too (not Spain's "30.000").
    amounts = "30,000 – 45,000 MXN"
    assert amounts in html
    assert ("31 de enero de 2099" if locale == "es" else "January 31, 2099") in html
    for msgid in ("Internship", "Hybrid", "Log in to apply"):
        assert translated(app, msgid, locale) in html
    assert "Kaab Salud" in html
    assert og(html, "title") == "Ingeniería de datos clínicos · Kaab Salud"
    assert og(html, "url") == f"http://localhost/openings/{opening_id}"


@pytest.mark.parametrize("how", ["archived", "past"])
def test_closed_opening_says_closed_and_hides_apply(app, client, how):
    with app.app_context():
        fields = (
            {"status": "archived"}
            if how == "archived"
            else {"closes_on": date.today() - timedelta(days=2)}
        )
        opening_id = f.opening(**fields).id
        member = f.user().email
    login(client, member)
    html = client.get(f"/openings/{opening_id}").get_data(as_text=True)
    assert translated(app, "This opening is closed and no longer takes applications.", "es") in html
    assert 'data-test="apply"' not in html


def test_unlisted_posts_are_404_except_for_their_org(app, client):
    with app.app_context():
        owner = f.user()
        org = f.org(owner)
        pending_opening = f.opening(org, status="pending").id
        draft_challenge = f.challenge(org, status="draft").id
        hidden_org_post = f.opening(f.org(status="pending")).id
        owner = owner.email
    urls = [f"/openings/{pending_opening}", f"/challenges/{draft_challenge}",
            f"/openings/{hidden_org_post}", "/openings/999999", "/challenges/999999"]  # fmt: skip
    for url in urls:
        assert client.get(url).status_code == 404, url
    login(client, owner)
    html = client.get(f"/openings/{pending_opening}").get_data(as_text=True)
    assert translated(app, "Pending review", "es") in html  # not yet published, not "closed"
    assert 'data-test="closed-notice"' not in html and 'data-test="apply"' not in html
    assert client.get(f"/challenges/{draft_challenge}").status_code == 200


@pytest.mark.parametrize("locale", LOCALES)
def test_challenge_page(app, client, locale):
    with app.app_context():
        challenge = f.challenge(
            title="Detección de fugas",
            stage="pilot",
            eligibility=["startups", "consortia"],
            budget_min=1_500_000,
            budget_max=None,
        )
        challenge_id = challenge.id
    client.set_cookie("lang", locale)
    html = client.get(f"/challenges/{challenge_id}").get_data(as_text=True)
    for msgid in ("Pilot", "Startups", "Consortia", "Log in to send a proposal"):
        assert translated(app, msgid, locale) in html
    amount = "1,500,000"  # Mexico's grouping in both languages
    assert translated(app, "From %(min)s %(currency)s", locale, min=amount, currency="MXN") in html
    assert og(html, "url") == f"http://localhost/challenges/{challenge_id}"


# --- stories ------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_story_page(app, client, locale):
    with app.app_context():
        story = f.story(
            body_es="Texto **largo**.", body_en="Long **text**.", url="https://x.example.org"
        )
        slug = story.slug
        title = story.title_es if locale == "es" else story.title_en
        hidden = f.story(status="pending").slug
    client.set_cookie("lang", locale)
    html = client.get(f"/stories/{slug}").get_data(as_text=True)
    assert title in html
    assert ("<strong>largo</strong>" if locale == "es" else "<strong>text</strong>") in html
    assert ("Menos espera" if locale == "es" else "Less waiting") in html and "-30%" in html
    assert og(html, "title") == title
    assert og(html, "url") == f"http://localhost/stories/{slug}"
    assert client.get(f"/stories/{hidden}").status_code == 404


def test_home_shows_the_newest_open_openings_and_challenges_only(app, client):
    with app.app_context():
        org = f.org(name="Visión Norte")
        old = f.opening(org, title="Vacante antigua")
        for n in range(3):
            f.opening(org, title=f"Vacante nueva {n}")
        f.opening(org, title="Vacante en borrador", status=Status.DRAFT)
        f.opening(org, title="Vacante vencida", closes_on=date.today() - timedelta(days=1))
        f.challenge(title="Reto abierto de agua")
        f.challenge(title="Reto pendiente", status=Status.PENDING)
        old_title = old.title
    page = client.get("/").text
    assert page.count('data-test="home-opening"') == 3
    for n in range(3):
        assert f"Vacante nueva {n}" in page
    assert old_title not in page  # only the three newest
    assert "borrador" not in page and "vencida" not in page
    assert "Reto abierto de agua" in page and "Reto pendiente" not in page
