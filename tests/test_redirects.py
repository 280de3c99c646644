"""The `next` parameter never sends anyone off the site (SECURITY.md row 10)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from directory.urls import safe_next

from .conftest import PASSWORD

HOSTILE = [
    "//evil.com",
    "/\\evil.com",
    "\\/evil.com",
    "https:\\\\evil.com",
    "///evil.com",
    "/\t/evil.com",
    "/%09/evil.com",
    "javascript:alert(1)",
    "https://evil.com/",
    "http:evil.com",
    " //evil.com",
    "\n//evil.com",
    "evil.com",
]


@pytest.mark.parametrize("target", HOSTILE)
def test_login_next_stays_on_site(client, make_user, target):
    make_user()
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": "ana@example.org", "password": PASSWORD},
    )
    assert response.status_code == 302
    location = urlsplit(response.location)
    assert location.netloc in ("", "localhost")
    assert location.path == "/account"


@pytest.mark.parametrize("target", HOSTILE)
def test_language_switch_next_stays_on_site(client, target):
    response = client.post("/language", data={"lang": "en", "next": target})
    assert response.status_code == 302
    assert urlsplit(response.location).netloc in ("", "localhost")
    assert urlsplit(response.location).path == "/"


def test_local_next_is_kept(client, make_user):
    make_user()
    response = client.post(
        "/login",
        query_string={"next": "/account/password?x=1"},
        data={"email": "ana@example.org", "password": PASSWORD},
    )
    assert response.location == "/account/password?x=1"


@pytest.mark.parametrize("target", HOSTILE + ["", None, "/%0d%0aSet-Cookie:x=1"])
def test_safe_next_falls_back(target):
    result = safe_next(target, "/home")
    assert result == "/home" or (result.startswith("/") and not result.startswith("//"))
    assert "evil" not in result


def test_anonymous_visit_to_private_page_returns_after_login(client, make_user):
    make_user()
    response = client.get("/account/password")
    assert response.status_code == 302
    login_url = response.location
    assert "next=" in login_url
    response = client.post(login_url, data={"email": "ana@example.org", "password": PASSWORD})
    assert response.location == "/account/password"
