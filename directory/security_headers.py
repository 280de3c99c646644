"""Security headers on every response, and no-store on everything private.

The Content-Security-Policy allows scripts and styles from this site only. Templates have
no inline <script>, no on* handlers and no style="" attributes (tests/security/
test_headers.py reads every template to keep it so), which is why style-src needs no
'unsafe-inline' either: an injected <style> or style attribute could otherwise restyle a
page to fake a form or leak content through CSS selectors. JavaScript may still set
element.style through the CSSOM, which CSP does not govern.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from flask_login import current_user

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Pages behind a log-in, and the log-in pages themselves: never kept by any cache.
PRIVATE_PREFIXES = ("/me", "/manage", "/curation", "/account", "/invitations", "/api/")
PRIVATE_BLUEPRINTS = ("auth", "me", "orgs", "curation")


def is_private(path: str, blueprint: str | None) -> bool:
    """Whether a response for this path holds something personal or account-bound."""
    return blueprint in PRIVATE_BLUEPRINTS or any(
        path == prefix.rstrip("/") or path.startswith(prefix) for prefix in PRIVATE_PREFIXES
    )


def _add_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")  # for browsers without frame-ancestors
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    config = current_app.config
    if config.get("HSTS_SECONDS"):
        value = f"max-age={int(config['HSTS_SECONDS'])}"
        if config.get("HSTS_INCLUDE_SUBDOMAINS"):
            value += "; includeSubDomains"
        headers.setdefault("Strict-Transport-Security", value)
    if request.endpoint == "static":
        return response
    # Any page a logged-in person sees carries their name and CSRF token: private too.
    if is_private(request.path, request.blueprint) or current_user.is_authenticated:
        headers["Cache-Control"] = "no-store"
        headers.pop("Expires", None)
    return response


def init_app(app: Flask) -> None:
    """Register the header hook (HSTS only where HSTS_SECONDS is set: production)."""
    app.config.setdefault("HSTS_SECONDS", 0)
    app.config.setdefault("HSTS_INCLUDE_SUBDOMAINS", False)
    app.after_request(_add_headers)
