"""Structured logs: one JSON line per record, each carrying the request id.

Every request gets an id: a sane incoming ``X-Request-ID`` (so a proxy's id threads through)
or a new one. It is echoed in the response header, stamped on every log line written while
the request runs, and shown on error pages so a person can quote it.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_request_context, request
from flask.logging import default_handler
from flask_login import current_user

from .web import client_ip

HEADER = "X-Request-ID"
# Letters, digits and a few separators, 8 to 128 long: nothing that could forge a log line.
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
ACCESS_LOGGER = "directory.request"
_MARK = "_directory_json"
# Attributes every LogRecord has; anything else on a record came through extra={...}.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


def current_request_id() -> str | None:
    """The id of the request being served, if any."""
    return g.get("request_id") if has_request_context() else None


class RequestIdFilter(logging.Filter):
    """Stamp the current request id on each record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Add request_id unless the caller set it."""
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        """Serialise a record; a traceback goes into "exc", never onto a page."""
        payload: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                payload[key] = value
        if record.exc_info:
            payload["exc"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False, default=str)


def configure_logging(app: Flask) -> None:
    """Send the app's logs to stderr as JSON lines (once per process, however many apps)."""
    logger = logging.getLogger("directory")
    if not any(getattr(h, _MARK, False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        handler.addFilter(RequestIdFilter())
        setattr(handler, _MARK, True)
        logger.addHandler(handler)
        logger.removeHandler(default_handler)
        logger.addFilter(RequestIdFilter())
    if logger.level == logging.NOTSET or logger.level > logging.INFO:
        logger.setLevel(logging.INFO)


# URL parts that are credentials (password reset and invitation links): never logged.
SECRET_URL_ARGS = ("token",)


def loggable_path() -> str:
    """The request path with credential parts of the URL replaced by their name."""
    path = request.path
    for name in SECRET_URL_ARGS:
        value = (request.view_args or {}).get(name)
        if value:
            path = path.replace(str(value), f"<{name}>")
    return path


def _start() -> None:
    incoming = request.headers.get(HEADER, "")
    g.request_id = incoming if SANE_ID.fullmatch(incoming) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    request_id = g.get("request_id") or uuid.uuid4().hex
    response.headers[HEADER] = request_id
    if request.endpoint != "static":
        started = g.get("request_started", time.perf_counter())
        user = current_user.id if current_user and current_user.is_authenticated else None
        # The path, never the query string: searches and tokens may hold personal data.
        path = loggable_path()
        logging.getLogger(ACCESS_LOGGER).info(
            "%s %s %s",
            request.method,
            path,
            response.status_code,
            extra={
                "request_id": request_id,
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "client_ip": client_ip(),
                "user_id": user,
            },
        )
    return response


def init_app(app: Flask) -> None:
    """Give each request an id, log it as JSON when it ends."""
    if app.config.setdefault("LOG_JSON", True):
        configure_logging(app)
    app.before_request(_start)
    app.after_request(_finish)
    app.jinja_env.globals["request_id"] = current_request_id
