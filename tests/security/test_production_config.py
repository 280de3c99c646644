"""SECURITY.md row 25: production fails closed. With DIRECTORY_ENV=production the app
refuses to start with a weak or missing SECRET_KEY, DEBUG, in-memory rate limits (or none)
or no mail server; a sound configuration starts hardened. Also ProxyFix by PROXY_COUNT."""

from __future__ import annotations

import pytest
from werkzeug.middleware.proxy_fix import ProxyFix

from directory import create_app
from directory.config import DEV_SECRET_KEY
from directory.production import ProductionConfigError

from .conftest import production_config


@pytest.mark.parametrize(
    ("override", "complaint"),
    [
        ({"SECRET_KEY": DEV_SECRET_KEY}, "SECRET_KEY is weak"),
        ({"SECRET_KEY": ""}, "SECRET_KEY is missing"),
        ({"SECRET_KEY": None}, "SECRET_KEY is missing"),
        ({"SECRET_KEY": "short-but-random-7f3a"}, "SECRET_KEY is weak"),
        ({"SECRET_KEY": "a" * 64}, "SECRET_KEY is weak"),
        ({"DEBUG": True}, "DEBUG is on"),
        ({"RATELIMIT_STORAGE_URI": "memory://"}, "rate limits are in memory"),
        ({"RATELIMIT_STORAGE_URI": None}, "rate limits are in memory"),
        ({"RATELIMIT_ENABLED": False}, "rate limits are turned off"),
        ({"MAIL_SERVER": None}, "MAIL_SERVER is not set"),
        ({"PASSWORD_HASH_METHOD": "scrypt:1024:8:1"}, "PASSWORD_HASH_METHOD is scrypt:1024"),
        # Row 48: links in mails must not take their host from the request.
        ({"PUBLIC_URL": None}, "PUBLIC_URL is not set"),
        ({"PUBLIC_URL": "http://directorio.example.mx"}, "PUBLIC_URL must use https"),
        ({"PUBLIC_URL": "https://directorio.example.mx/app"}, "without a path"),
        ({"TRUSTED_HOSTS": None}, "TRUSTED_HOSTS is not set"),
        ({"TRUSTED_HOSTS": []}, "TRUSTED_HOSTS is not set"),
    ],
)
def test_production_refuses_an_unsafe_config(make_app, override: dict, complaint: str) -> None:
    with pytest.raises(ProductionConfigError, match=complaint):
        make_app(**production_config(**override))


def test_every_problem_is_listed_at_once(make_app) -> None:
    with pytest.raises(ProductionConfigError) as caught:
        make_app(
            **production_config(SECRET_KEY=DEV_SECRET_KEY, DEBUG=True, RATELIMIT_STORAGE_URI="")
        )
    message = str(caught.value)
    assert "SECRET_KEY" in message and "DEBUG" in message and "memory" in message


def test_the_environment_variable_chooses_production(monkeypatch, app) -> None:
    monkeypatch.setenv("DIRECTORY_ENV", "production")
    monkeypatch.setenv("DIRECTORY_SECRET_KEY", DEV_SECRET_KEY)
    with pytest.raises(ProductionConfigError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})


def test_a_sound_production_config_starts_hardened(make_app) -> None:
    app = make_app(**production_config())
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["PREFERRED_URL_SCHEME"] == "https"
    assert app.config["HSTS_SECONDS"] >= 365 * 24 * 3600
    assert app.config["SERVER_NAME"] == "directorio.example.mx"
    # Any other host is refused before the app runs.
    client = app.test_client()
    assert client.get("/", environ_overrides={"HTTP_HOST": "localhost"}).status_code == 400
    assert client.get("/login").status_code == 200


def test_development_stays_as_it_was(app) -> None:
    assert app.config["ENV"] == "development"
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["HSTS_SECONDS"] == 0


def test_proxy_fix_trusts_exactly_the_configured_proxies(make_app) -> None:
    assert not isinstance(make_app().wsgi_app, ProxyFix)
    fixed = make_app(PROXY_COUNT=2).wsgi_app
    assert isinstance(fixed, ProxyFix)
    assert fixed.x_for == 2 and fixed.x_proto == 2
    with pytest.raises(ProductionConfigError):
        make_app(PROXY_COUNT=-1)
