"""Directorio IA: a bilingual directory and matching service for Mexico's AI ecosystem."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from .config import DefaultConfig, env_overrides


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: config, extensions, blueprints, CLI commands."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(DefaultConfig)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(
        app.instance_path, "directory.sqlite3"
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.update(env_overrides())
    else:
        # Tests may still point at PostgreSQL through DATABASE_URL; the mapping wins.
        app.config.update(env_overrides())
        app.config.update(test_config)

    from . import (  # noqa: F401  (search_text: listener)
        clean_input,
        database,
        denials,
        health,
        i18n,
        image_routes,
        page_cache,
        production,
        ratelimits,
        request_log,
        search_text,
        security_headers,
        web,
    )
    from .extensions import csrf, db, migrate
    from .matching import store  # noqa: F401  (purges vectors of hidden records)

    # First: refuse an unsafe production config before anything else is set up.
    production.init_app(app)
    # Before csrf: its request hook must find the request id already set.
    request_log.init_app(app)
    db.init_app(app)
    database.configure_engine_events(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    i18n.init_app(app)
    web.init_app(app)
    # Before security_headers: hooks run in reverse, so an image's own caching wins.
    image_routes.init_app(app)
    security_headers.init_app(app)
    denials.init_app(app)  # every 403 is audited
    clean_input.init_app(app)  # no NUL in any form field or query parameter
    # Between the two: the cache wraps the public views, then the limits wrap the cache.
    page_cache.init_app(app)
    ratelimits.init_app(app)  # after the blueprints: it wraps their views
    health.init_app(app)  # /healthz/live and /ready, exempt from the limits just set up

    from . import cli, jobs
    from .matching import warmup

    jobs.init_app(app)  # the background queue, its hooks and `flask jobs`
    cli.init_app(app)
    warmup.init_app(app)  # `flask run` loads the models in the background (gunicorn: a hook)
    return app
