"""Every refusal (403) becomes an audit event: who was refused what, so probing shows."""

from __future__ import annotations

import logging

from flask import Flask, Response, request
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db
from .request_log import loggable_path
from .services import audit
from .web import client_ip

log = logging.getLogger(__name__)


def _record_denial(response: Response) -> Response:
    if response.status_code != 403:
        return response
    actor = current_user._get_current_object() if current_user.is_authenticated else None
    try:
        # A refused request must not commit anything the view may have left pending.
        db.session.rollback()
        audit.record(
            "access.denied",
            actor=actor,
            target_kind="path",
            ip=client_ip(),
            method=request.method,
            path=loggable_path()[:200],  # no query string, no token: both may be secret
            endpoint=request.endpoint or "",
        )
        db.session.commit()
    except SQLAlchemyError:  # the refusal itself must still reach the person
        db.session.rollback()
        log.exception("could not audit a denial")
    return response


def init_app(app: Flask) -> None:
    """Audit each 403 answer, whichever view or error handler produced it."""
    app.after_request(_record_denial)
