"""Liveness and readiness probes for load balancers, orchestrators and `make run`.

- ``GET /healthz/live``: the process answers; 200 at once, touching neither the database
  nor a model. A failing live probe means "restart me".
- ``GET /healthz/ready``: 200 once the matching warm-up finished (models loaded, indexes
  synced, one search answered: directory/matching/warmup.py; under gunicorn, in every
  worker) and the database answers ``SELECT 1``. Before that 503 ``starting`` with
  ``Retry-After``; after a failed warm-up 503 ``failed`` (the failure is in the log, and
  pages that need no model are still served). A failing ready probe means "send no
  traffic here yet". Under gunicorn with the machine's embedding service
  (matching/embed_service.py) the warm-up first waits for the service's ping; a service
  that stops answering later makes the answer 200 ``degraded`` (``"embedding":
  "unreachable"``): pages serve and searches rank with their other scorers meanwhile.

Both answer JSON, ``Cache-Control: no-store``, and set no cookie; no rate limit applies
(a probe every few seconds must never meet a 429) and, being GET only, CSRF does not
either. They pass the Host check like every route (directory/origin.py): a load balancer
must probe with a host name the app trusts (the public one, or one in TRUSTED_HOSTS),
otherwise it gets 400.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, Response, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db
from .matching import warmup

log = logging.getLogger(__name__)

bp = Blueprint("health", __name__, url_prefix="/healthz")
RETRY_AFTER = 5  # seconds a probe is asked to wait while the worker warms up


@bp.after_request
def _no_store(response: Response) -> Response:
    """A cached "ready" would outlive the worker that said it."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/live")
def live() -> Response:
    """The process is up."""
    return jsonify(status="live")


def _database_answers() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        log.warning("readiness: the database does not answer", exc_info=True)
        return False
    return True


def _embedding_service() -> str | None:
    """ok, loading or unreachable for the machine's embedding service; None without one."""
    socket_path = current_app.config.get("MATCHING_EMBED_SOCKET")
    if not socket_path:
        return None
    from .matching.remote import ping

    status = ping(str(socket_path))
    if status is None:
        return "unreachable"
    return "ok" if status.get("ready") else "loading"


@bp.get("/ready")
def ready() -> tuple[Response, int, dict[str, str]]:
    """Ready for traffic: warmed up and the database answers."""
    status, seconds = warmup.readiness(current_app._get_current_object())
    database = _database_answers()
    body: dict[str, object] = {
        "warmup": status,
        "warmup_seconds": seconds,
        "database": "ok" if database else "unreachable",
    }
    embedding = _embedding_service()
    if embedding is not None:
        body["embedding"] = embedding
    wait = {"Retry-After": str(RETRY_AFTER)}
    if status == warmup.FAILED:
        return jsonify(status="failed", **body), 503, {}
    if status == warmup.STARTING:
        return jsonify(status="starting", **body), 503, wait
    if not database:
        return jsonify(status="unavailable", **body), 503, wait
    if embedding == "unreachable":
        # Warmed up, but the embedding service stopped (its supervisor restarts it):
        # pages serve and searches use their other scorers meanwhile, so traffic may stay.
        return jsonify(status="degraded", **body), 200, {}
    # READY, or OFF: the models then load on the first request that needs them.
    return jsonify(status="ready", **body), 200, {}


def init_app(app: Flask) -> None:
    """Register the probes, exempt from every rate limit (call after ratelimits.init_app)."""
    app.register_blueprint(bp)
    from .ratelimits import limiter_of

    # Default and application-wide limits (RATELIMIT_DEFAULT, ...) would otherwise count
    # the load balancer's probes too.
    limiter_of(app).exempt(bp)
