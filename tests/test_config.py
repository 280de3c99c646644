"""Configuration: defaults, DIRECTORY_* environment overrides, DATABASE_URL."""

from __future__ import annotations

from directory import create_app
from directory.config import env_overrides, normalise_database_url


def test_environment_overrides_are_typed():
    overrides = env_overrides(
        {"DIRECTORY_MAIL_PORT": "25", "DIRECTORY_SITE_NAME": "Mi directorio", "HOME": "/root"}
    )
    assert overrides == {"MAIL_PORT": 25, "SITE_NAME": "Mi directorio"}


def test_database_url_becomes_the_sqlalchemy_uri():
    overrides = env_overrides({"DATABASE_URL": "postgres://u@db:5432/dir"})
    assert overrides["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db:5432/dir"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_default_database_lives_in_instance(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/directory.sqlite3")
    assert app.config["BABEL_DEFAULT_LOCALE"] == "es"


def test_env_var_reaches_the_app(monkeypatch):
    monkeypatch.setenv("DIRECTORY_SITE_NAME", "Directorio de prueba")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SITE_NAME"] == "Directorio de prueba"
