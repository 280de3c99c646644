"""Private feeds of saved searches: a bearer token per search, stored only as its hash.

The token is shown once, when it is made; the database keeps its SHA-256, so a copy of
the database opens no feed. Making a new token replaces the old one (which stops working
at once), and turning the feed off removes it. A wrong, replaced or revoked token, and
the token of an inactive account, find nothing.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import select

from ...extensions import db
from ...models import SavedSearch, User, utcnow
from .. import audit

TOKEN_BYTES = 32  # secrets.token_urlsafe(32): 43 characters, 256 bits
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")


def token_hash(token: str) -> str:
    """The SHA-256 (hex) under which a token is stored."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def issue_feed_token(saved: SavedSearch, *, ip: str = "") -> str:
    """Make a new feed token for a saved search (replacing any) and return it, once."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    replaced = saved.feed_token_hash is not None
    saved.feed_token_hash = token_hash(token)
    saved.feed_token_created_at = utcnow()
    audit.record(
        "alert.feed_token_issued",
        actor=saved.user,
        target_kind="saved_search",
        target_id=saved.id,
        ip=ip,
        replaced=replaced,
    )
    return token


def revoke_feed_token(saved: SavedSearch, *, ip: str = "") -> None:
    """Turn a saved search's feed off: its token stops working."""
    if saved.feed_token_hash is None:
        return
    saved.feed_token_hash = None
    saved.feed_token_created_at = None
    audit.record(
        "alert.feed_token_revoked",
        actor=saved.user,
        target_kind="saved_search",
        target_id=saved.id,
        ip=ip,
    )


def search_for_feed_token(token: str) -> SavedSearch | None:
    """The saved search a live token opens, or None."""
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    saved = db.session.scalar(
        select(SavedSearch).where(SavedSearch.feed_token_hash == token_hash(token))
    )
    if saved is None or not isinstance(saved.user, User) or not saved.user.active:
        return None
    return saved
