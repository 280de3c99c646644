"""SECURITY.md row 48: every absolute URL comes from PUBLIC_URL, whatever the request says.

The suite's app has PUBLIC_URL=http://localhost and the development TRUSTED_HOSTS
(localhost, 127.0.0.1, [::1]). Each route that mails a link or renders an absolute URL is
called with a forged ``Host`` (a trusted but non-canonical one, and an unknown one),
``X-Forwarded-Host`` and ``Forwarded``: no link may change, and an unknown host gets 400.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient

from directory.origin import OriginError, parse_origin

from .. import factories as f
from ..conftest import PASSWORD
from ..test_orgs import build_world

URL = re.compile(r"""https?://[^\s"'<>)]+""")
CANONICAL = "http://localhost/"
# Headers an attacker may send; none of them may reach a link.
FORGED: dict[str, dict[str, str]] = {
    "trusted-other-host": {"HTTP_HOST": "127.0.0.1:5000"},
    "x-forwarded-host": {"HTTP_X_FORWARDED_HOST": "evil.example"},
    "forwarded": {"HTTP_FORWARDED": "for=1.2.3.4;host=evil.example;proto=https"},
    "x-forwarded-proto": {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_X_FORWARDED_PORT": "8443"},
}
# Links that name other sites on purpose (schemas, licences, user links, the seed's sites).
ELSEWHERE = ("http://www.w3.org/", "https://example.org", "https://spec.openapis.org",
             "http://www.sitemaps.org/")  # fmt: skip


def _own_links(text: str) -> list[str]:
    return [u for u in URL.findall(text) if not u.startswith(ELSEWHERE)]


def _assert_canonical(text: str) -> None:
    links = _own_links(text)
    assert links, "no absolute link to check"
    wrong = [u for u in links if not u.startswith(CANONICAL)]
    assert not wrong, wrong
    assert "evil" not in text and "8443" not in text


def _mails(app: Flask) -> str:
    return "\n".join(m.get_body(("plain",)).get_content() for m in app.extensions["outbox"])


@pytest.mark.parametrize("forged", FORGED, ids=list(FORGED))
def test_mailed_links_ignore_forged_hosts(app: Flask, client: FlaskClient, forged: str) -> None:
    world = build_world(app)
    environ = FORGED[forged]
    with app.app_context():
        f.user("curadora@example.org", role="curator")
    # Password reset, sign-up (new address and existing one).
    client.post("/password/forgot", data={"email": "owner@example.org"}, environ_overrides=environ)
    form = {"password": PASSWORD + "!", "confirm": PASSWORD + "!"}
    client.post("/signup", data={"email": "new@example.org", **form}, environ_overrides=environ)
    client.post("/signup", data={"email": "editor@example.org", **form}, environ_overrides=environ)
    # An invitation, and an answer to an application (the owner logged in).
    owner = app.test_client()  # the test client keeps cookies per host: log in on the same
    owner.post(
        "/login",
        data={"email": "owner@example.org", "password": PASSWORD},
        environ_overrides=environ,
    )
    owner.post(
        f"/manage/organizations/{world.org_id}/invitations",
        data={"email": "invitee@example.org"},
        environ_overrides=environ,
    )
    owner.post(
        f"/manage/applications/{world.application_id}",
        data={f"r{world.application_id}-status": "shortlisted"},
        environ_overrides=environ,
    )
    assert len(app.extensions["outbox"]) == 5
    _assert_canonical(_mails(app))


def test_contact_mails_ignore_forged_hosts(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        ana, beto = f.user("ana@example.org"), f.user("beto@example.org")
        f.profile(ana, visibility="members")
        beto_profile = f.profile(beto).id
    for environ in FORGED.values():
        client.post(
            "/login",
            data={"email": "ana@example.org", "password": PASSWORD},
            environ_overrides=environ,
        )
        client.post(
            f"/people/{beto_profile}/contact",
            data={"message": "Hola, me interesa tu trabajo en visión."},
            environ_overrides=environ,
        )
    assert app.extensions["outbox"]
    _assert_canonical(_mails(app))


@pytest.fixture
def public_pages(app: Flask) -> list[str]:
    """Every kind of public page that carries og:url, the Atom feeds, the sitemap and the API."""
    with app.app_context():
        org = f.org(f.user("owner@example.org"))
        opening, challenge = f.opening(org), f.challenge(org)
        person = f.profile(f.user("ana@example.org"))
        story = f.story()
        return [
            "/",
            "/directory",
            f"/organizations/{org.slug}",
            f"/openings/{opening.id}",
            f"/challenges/{challenge.id}",
            f"/people/{person.id}",
            "/stories",
            f"/stories/{story.slug}",
            "/stories/feed.atom",
            "/openings/feed.atom?state=NLE",
            "/challenges/feed.atom",
            "/sitemap.xml",
            "/robots.txt",
            "/api/v1/openapi.json",
            "/api/v1/",
        ]


@pytest.mark.parametrize("forged", FORGED, ids=list(FORGED))
def test_pages_feeds_and_the_api_ignore_forged_hosts(
    client: FlaskClient, public_pages: list[str], forged: str
) -> None:
    for path in public_pages:
        response = client.get(path, environ_overrides=FORGED[forged])
        assert response.status_code == 200, path
        text = response.get_data(as_text=True)
        if path not in ("/", "/api/v1/"):  # og:url, feed links, API servers and links
            _assert_canonical(text)
        assert "evil" not in text and "127.0.0.1" not in text, path


@pytest.mark.parametrize(
    "path", ["/", "/login", "/api/v1/openapi.json", "/stories/feed.atom", "/sitemap.xml"]
)
def test_an_unknown_host_gets_400(client: FlaskClient, path: str) -> None:
    response = client.get(path, environ_overrides={"HTTP_HOST": "evil.example"})
    assert response.status_code == 400
    assert "evil.example" not in response.get_data(as_text=True)


def test_an_unknown_host_sends_no_mail(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        f.user("owner@example.org")
    response = client.post(
        "/password/forgot",
        data={"email": "owner@example.org"},
        environ_overrides={"HTTP_HOST": "evil.example"},
    )
    assert response.status_code == 400
    assert not app.extensions.get("outbox")


def test_links_made_outside_a_request_use_the_origin(app: Flask) -> None:
    """Command-line and background mails have no request to take a host from."""
    with app.app_context():
        assert url_for("auth.login", _external=True) == CANONICAL + "login"


def test_behind_a_proxy_forwarded_host_is_still_ignored(make_app: Callable[..., Flask]) -> None:
    proxied = make_app(PROXY_COUNT=1, PUBLIC_URL="https://directorio.example.mx")
    with proxied.app_context():
        f.user("owner@example.org")
    client = proxied.test_client()
    client.post(
        "/password/forgot",
        data={"email": "owner@example.org"},
        headers={"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"},
        environ_overrides={"HTTP_HOST": "directorio.example.mx"},
    )
    body = proxied.extensions["outbox"][-1].get_content()
    assert "https://directorio.example.mx/password/reset/" in body and "evil" not in body


@pytest.mark.parametrize(
    "value",
    ["ftp://x.mx", "directorio.example.mx", "https://x.mx/sub", "https://x.mx/?a=1", "https://"],
)
def test_public_url_must_be_an_origin(value: str) -> None:
    with pytest.raises(OriginError):
        parse_origin(value)
