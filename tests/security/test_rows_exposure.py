"""SECURITY.md rows 16 and 19 across the pages the older tests do not sweep: matching
pages (candidates, semantic search, more like this, my matches) and every curation page.

tests/test_public_pages.py sweeps the public pages, tests/test_api.py every JSON answer,
test_data_export.py and tests/test_import_export.py the exports. Here a consenting, public
person carries private markers (phone, email) and a hostile name; the markers must reach
no matching page, the phone no curation page, and the name must stay inert everywhere,
the curator's admin view included.
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from flask import Flask

from directory.extensions import db
from directory.matching.engine import Engine
from directory.models import Claim, PendingRevision, PrivacyRequest, Report

from .. import factories as f
from ..conftest import PASSWORD
from ..matching.conftest import fake_matching

PHONE = "+52 33 PRIVATE-PHONE-5150"
EMAIL = "persona-privada@example.org"
# Pages that only make sense with a query naming their records (404 without one).
NEEDS_A_QUERY = {"/curation/duplicates/merge", "/curation/free-skills/term"}
XSS = '"><svg onload=alert(1)><img src=x onerror=alert(2)>'


@pytest.fixture
def matching(app: Flask) -> Iterator[Engine]:
    """Matching on the deterministic fake embedder (no model load)."""
    with fake_matching(app) as engine:
        yield engine


@pytest.fixture
def world(app: Flask, matching: Engine) -> dict[str, object]:
    """The risky person, an opening and a challenge that match them, hostile admin items."""
    with app.app_context():
        person = f.user(EMAIL)
        profile = f.profile(person, full_name=XSS, headline=XSS, bio=XSS, phone=PHONE)
        owner = f.user("owner@example.org")
        f.user("curator@example.org", role="curator")
        agency = f.org(owner, kind="government_agency", name=XSS, description=XSS)
        opening = f.opening(agency, title="Aprendizaje automático " + XSS)
        challenge = f.challenge(agency, skill_slugs=("machine-learning", "python"))
        f.org(owner, status="pending", name=XSS)
        f.opening(agency, status="pending", title=XSS)
        f.story(status="pending", title_es=XSS, title_en=XSS)
        db.session.add(Claim(organization=agency, user=person, message=XSS))
        db.session.add(Report(reporter_id=owner.id, target_kind="profile", target_id=profile.id))
        db.session.add(PrivacyRequest(user_id=person.id, email=EMAIL, kind="access", message=XSS))
        # A held edit (row 52): its diff shows the hostile text in the curator's view.
        held = {"title": XSS, "description": XSS, "city": XSS, "skills": ["python"]}
        db.session.add(PendingRevision(kind="opening", record_id=opening.id, values=held))
        # The coalition's curator pages: a request, a group and a consultation, all hostile.
        f.coalition_member(agency, status="requested", message=XSS)
        f.working_group(name_es=XSS, name_en=XSS, coordinators=(person,))
        f.consultation(title_es=XSS, title_en=XSS)
        db.session.commit()
        return {"profile": profile.id, "opening": opening.id, "challenge": challenge.id}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def _assert_inert(html: str, url: str) -> None:
    """No element the payload could have built: no event handler, no inline script."""
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert not any(name.startswith("on") for name in attrs), (url, tag, attrs)
        assert not (tag == "img" and attrs.get("src") == "x"), url
    assert all(attrs.get("src") for tag, attrs in parser.tags if tag == "script"), url


def _login(app: Flask, email: str):
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def test_matching_pages_never_show_private_markers(app, world):
    owner = _login(app, "owner@example.org")
    pages = {
        owner: [
            f"/manage/openings/{world['opening']}/candidates",
            f"/manage/challenges/{world['challenge']}/solvers",
            "/search?q=aprendizaje+autom%C3%A1tico",
            f"/similar/opening/{world['opening']}",
            f"/api/v1/matches/opening/{world['opening']}",
            "/api/v1/search?q=aprendizaje",
        ],
        _login(app, EMAIL): ["/me/matches", "/me/profile"],
    }
    reached_the_person = False
    for client, urls in pages.items():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.get_data(as_text=True)
            assert PHONE not in body, url
            if client is owner:
                assert EMAIL not in body, url
                reached_the_person |= f"/people/{world['profile']}" in body
            if response.mimetype == "text/html":
                _assert_inert(body, url)
    # The candidates list did show the person, so the check above was not vacuous.
    assert reached_the_person


def _curation_pages(app: Flask) -> list[str]:
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("curation.")
        and "GET" in rule.methods
        and not rule.arguments
        and not rule.rule.endswith(".csv")
        and rule.rule not in NEEDS_A_QUERY
    )


def test_every_curation_page_escapes_names_and_hides_the_phone(app, world):
    curator = _login(app, "curator@example.org")
    pages = _curation_pages(app)
    with app.app_context():
        arco = db.session.scalar(db.select(PrivacyRequest.id))
    pages.append(f"/curation/privacy/{arco}")
    assert len(pages) >= 15
    escaped_somewhere = False
    for url in pages:
        response = curator.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert PHONE not in html, url
        _assert_inert(html, url)
        escaped_somewhere |= "&lt;svg onload=alert(1)&gt;" in html
    assert escaped_somewhere  # the hostile name did reach the admin view, escaped


def test_the_listing_api_and_open_data_never_show_private_markers(app, world, tmp_path):
    """Row 47: the person is public and listed, their phone and email are not; the hostile
    name travels as data in JSON and files, and stays inert on the open-data pages."""
    from directory.services import opendata

    with app.app_context():
        manifest = opendata.export(str(tmp_path))
        db.session.commit()
    files = tmp_path / "runs" / manifest.run
    bodies = {path.name: path.read_text(encoding="utf-8") for path in files.iterdir()}
    client = app.test_client()
    for url in ("/api/v1/people", "/api/v1/organizations", "/api/v1/openings",
                "/api/v1/challenges", "/api/v1/stories", "/api/v1/people?q=persona",
                "/datos-abiertos", "/datos-abiertos/diccionario"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = response.get_data(as_text=True)
        if response.mimetype == "text/html":
            _assert_inert(bodies[url], url)
    for name, body in bodies.items():
        assert PHONE not in body and EMAIL not in body, name
    assert XSS in client.get("/api/v1/people").get_json()["items"][0]["full_name"]
    assert XSS in bodies["organizations.jsonl"].replace('\\"', '"')
    # A token named with markup is shown as text on its owner's page.
    owner = _login(app, "owner@example.org")
    owner.post("/me/api-tokens", data={"name": XSS})
    _assert_inert(owner.get("/me/api-tokens").get_data(as_text=True), "/me/api-tokens")
