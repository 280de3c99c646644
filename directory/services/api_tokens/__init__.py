"""Personal API tokens (SECURITY.md row 41): made by their owner, shown once, kept hashed.

A token is ``dia_`` and 43 URL-safe characters (256 random bits). The database keeps its
SHA-256 and a short hint, never the token: a fast hash is enough for a random secret of
that size (nothing to guess from a dictionary), and it lets a request find its token with
one indexed lookup. Tokens are read-only (the API they open has no other kind of
operation), revocable at once, and stop working with their owner's account (deactivated or
deleted). A request records when a token was last used, at most once a minute per token.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ...extensions import db
from ...models import User, utcnow
from ...models.api_tokens import ApiToken, TokenScope
from .. import audit

PREFIX = "dia_"
TOKEN_BYTES = 32  # secrets.token_urlsafe(32): 43 characters
TOKEN_PATTERN = re.compile(PREFIX + r"[A-Za-z0-9_-]{43}")
HINT_LENGTH = 4
MAX_NAME = 80
MAX_ACTIVE = 10  # live tokens per account: enough for a few scripts, few to leak
LIST_SIZE = 50  # tokens shown on the owner's page (revoked ones stay listed until then)
# Writing last_used_at on every request would make each API read a write.
TOUCH_EVERY = timedelta(minutes=1)


class TokenError(ValueError):
    """A token request that cannot be done; the message is for the person."""


def token_hash(token: str) -> str:
    """The SHA-256 (hex) under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _clean_name(name: str | None) -> str:
    text = " ".join("".join(ch for ch in (name or "") if ch.isprintable()).split())
    if not text:
        raise TokenError(_l("Give the token a name, such as the script that will use it."))
    if len(text) > MAX_NAME:
        raise TokenError(_l("Use at most %(max)d characters.", max=MAX_NAME))
    return text


def active_count(user: User) -> int:
    """How many live tokens the account has."""
    query = select(func.count()).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    return db.session.scalar(query) or 0


def create_token(user: User, name: str | None, *, ip: str = "") -> tuple[ApiToken, str]:
    """Make a named read-only token for the user; return it and its secret, shown once."""
    clean = _clean_name(name)
    if active_count(user) >= MAX_ACTIVE:
        raise TokenError(
            _l("You already have %(max)d tokens. Revoke one you no longer use.", max=MAX_ACTIVE)
        )
    secret = PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken(
        user_id=user.id,
        name=clean,
        token_hash=token_hash(secret),
        hint=secret[len(PREFIX) : len(PREFIX) + HINT_LENGTH],
        scope=TokenScope.READ,
    )
    db.session.add(token)
    db.session.flush()
    audit.record("api_token.created", actor=user, target_kind="api_token", target_id=token.id,
                 ip=ip, name=clean)  # fmt: skip
    return token, secret


def owned_tokens(user: User) -> list[ApiToken]:
    """The user's tokens, live ones first, newest first within each."""
    query = (
        select(ApiToken)
        .where(ApiToken.user_id == user.id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc())
        .limit(LIST_SIZE)
    )
    return list(db.session.scalars(query))


def owned_token(user: User, token_id: int) -> ApiToken | None:
    """One of the user's own tokens, or None (someone else's is never found)."""
    token = db.session.get(ApiToken, token_id)
    return token if token is not None and token.user_id == user.id else None


def revoke_token(token: ApiToken, *, actor: User, ip: str = "") -> bool:
    """Revoke a token at once; False when it was already revoked."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    audit.record("api_token.revoked", actor=actor, target_kind="api_token", target_id=token.id,
                 ip=ip)  # fmt: skip
    return True


def find_live(secret: str) -> ApiToken | None:
    """The live token a secret opens (its owner's account active), or None."""
    if not isinstance(secret, str) or not TOKEN_PATTERN.fullmatch(secret):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(secret)))
    if token is None or token.revoked_at is not None or token.scope not in TokenScope.ALL:
        return None
    if not token.user.active:
        return None
    return token


def touch(token: ApiToken) -> bool:
    """Record that the token was used now (at most once a minute); True when it wrote."""
    now = utcnow()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return False
    token.last_used_at = now
    return True
