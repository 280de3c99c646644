"""Which API token a request carries (``Authorization: Bearer dia_...``), found once.

A token identifies the script that calls and gives it its own rate limit; it never logs
anyone in (current_user stays anonymous, so no session, no CSRF token, no curator role)
and it never widens what a listing shows: published records, public fields (row 47).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, request

from ..models.api_tokens import ApiToken
from ..services import api_tokens


@dataclass(frozen=True)
class Presented:
    """What the request sent: whether it had an Authorization header, and its live token."""

    sent: bool
    token: ApiToken | None

    @property
    def refused(self) -> bool:
        """A header was sent but opens nothing: the request gets a 401."""
        return self.sent and self.token is None


def presented() -> Presented:
    """The request's token, looked up once per request (rate limits and views both ask)."""
    cached = g.get("_api_token")
    if isinstance(cached, Presented):
        return cached
    header = request.headers.get("Authorization")
    if header is None:
        found = Presented(False, None)
    else:
        scheme, _, value = header.strip().partition(" ")
        live = api_tokens.find_live(value.strip()) if scheme.lower() == "bearer" else None
        found = Presented(True, live)
    g._api_token = found
    return found


def request_token_id() -> int | None:
    """The live token's id on a listing API request (its rate-limit key), else None."""
    # Elsewhere an Authorization header means nothing: only the listing API reads tokens.
    if request.blueprint != "listing_api":
        return None
    token = presented().token
    return token.id if token is not None else None
