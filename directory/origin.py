"""One public origin for every absolute URL, and a 400 for requests to any other host.

A reset link built from the request's ``Host`` goes wherever an attacker points it
(SECURITY.md row 48). So links are never built from the request: ``PUBLIC_URL`` (e.g.
``https://directorio.example.mx``) is the only origin this app writes into mails, feeds,
the API, Open Graph tags and the OpenAPI document.

The fix sits at the mechanism, not at each link:
- a WSGI middleware checks the request's host against ``TRUSTED_HOSTS`` and then rewrites
  the host and scheme the app sees to the public origin's, so ``url_for(_external=True)``,
  ``request.host_url`` and ``request.url_root`` can only ever name the public origin;
- an untrusted host gets a plain 400 before the app runs (Flask's own ``TRUSTED_HOSTS``
  holds the same list, a second lock on the same door);
- ``SERVER_NAME`` and ``PREFERRED_URL_SCHEME`` carry the origin outside requests
  (command-line mails, background jobs).

Werkzeug reads neither ``X-Forwarded-Host`` (ProxyFix is built without ``x_host``) nor
``Forwarded``, so a proxy header cannot move the origin either.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import SplitResult, urlsplit

from flask import Flask
from werkzeug.exceptions import BadRequest, SecurityError
from werkzeug.wsgi import get_host

log = logging.getLogger(__name__)

UNKNOWN_HOST = BadRequest(
    "Este sitio no atiende ese nombre de host. / This site does not serve that host name."
)

# `make run` serves here; development without PUBLIC_URL writes links to it.
DEVELOPMENT_URL = "http://127.0.0.1:5000"
# Development answers only on the machine itself unless TRUSTED_HOSTS says otherwise.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")


class OriginError(ValueError):
    """PUBLIC_URL is not an http(s) origin."""


def parse_origin(value: str) -> SplitResult:
    """Split an origin such as ``https://directorio.example.mx``; refuse anything else."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise OriginError(f"PUBLIC_URL must be an http(s) origin, not {value!r}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise OriginError(f"PUBLIC_URL must be an origin without a path, query or user: {value!r}")
    return parts


def _host_list(value: Any) -> list[str]:
    """TRUSTED_HOSTS as a list: a JSON list from the environment, or a comma-separated string."""
    if not value:
        return []
    if isinstance(value, str):
        value = value.split(",")
    return [str(host).strip().lower() for host in value if str(host).strip()]


def origin_problems(config: Mapping[str, Any]) -> list[str]:
    """What production lacks to pin its origin (empty when sound)."""
    problems = []
    public = config.get("PUBLIC_URL")
    if not public:
        problems.append(
            "PUBLIC_URL is not set: links in mails would take the host from the request "
            "(set DIRECTORY_PUBLIC_URL=https://your.domain)"
        )
    else:
        try:
            if parse_origin(str(public)).scheme != "https":
                problems.append("PUBLIC_URL must use https in production")
        except OriginError as exc:
            problems.append(str(exc))
    if not _host_list(config.get("TRUSTED_HOSTS")):
        problems.append(
            "TRUSTED_HOSTS is not set: requests for any host would be served "
            "(set DIRECTORY_TRUSTED_HOSTS='[\"your.domain\"]')"
        )
    return problems


class CanonicalOrigin:
    """WSGI middleware: a trusted request sees the public origin as its host and scheme."""

    def __init__(self, wsgi_app: Any, origin: SplitResult, trusted: Iterable[str]) -> None:
        self.wsgi_app = wsgi_app
        self.trusted = list(trusted)
        self.netloc = origin.netloc
        self.scheme = origin.scheme
        self.server_name = origin.hostname or ""
        self.server_port = str(origin.port or (443 if origin.scheme == "https" else 80))

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        try:
            get_host(environ, self.trusted)
        except SecurityError:
            # Answered here: the app's own error page builds links, and this request has
            # no origin to build them from. Nothing of the host is echoed back.
            log.warning("request for an untrusted host refused")
            return UNKNOWN_HOST(environ, start_response)
        environ["HTTP_HOST"] = self.netloc
        environ["SERVER_NAME"] = self.server_name
        environ["SERVER_PORT"] = self.server_port
        environ["wsgi.url_scheme"] = self.scheme
        return self.wsgi_app(environ, start_response)


def init_app(app: Flask) -> None:
    """Pin every absolute URL to PUBLIC_URL and refuse hosts outside TRUSTED_HOSTS."""
    config = app.config
    origin = parse_origin(str(config.get("PUBLIC_URL") or DEVELOPMENT_URL))
    hosts = _host_list(config.get("TRUSTED_HOSTS")) or list(LOCAL_HOSTS)
    if origin.hostname and origin.hostname not in hosts:
        hosts.append(origin.hostname)
    config["PUBLIC_URL"] = f"{origin.scheme}://{origin.netloc}"
    config["TRUSTED_HOSTS"] = hosts
    config["SERVER_NAME"] = origin.netloc
    config["PREFERRED_URL_SCHEME"] = origin.scheme
    app.wsgi_app = CanonicalOrigin(app.wsgi_app, origin, hosts)  # type: ignore[method-assign]
