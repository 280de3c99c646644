"""Accounts: sign-up, authentication, login sessions, password changes and resets."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, func, select

from ..extensions import db
from ..models import LoginSession, Role, User, utcnow
from . import audit
from .passwords import hash_password, needs_rehash, password_problems, verify_password


class AccountError(ValueError):
    """A refusal with a message fit to show the user, tied to a form field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def normalise_email(email: str) -> str:
    """Validate an address's syntax and return it normalised (lower-cased, trimmed)."""
    try:
        result = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise AccountError("email", str(_l("Enter a valid email address."))) from exc
    return result.normalized.lower()


def find_user(email: str) -> User | None:
    """Look an account up by email, ignoring case."""
    try:
        address = normalise_email(email)
    except AccountError:
        return None
    return db.session.scalar(select(User).where(func.lower(User.email) == address))


def register(email: str, password: str, *, locale: str | None = None, ip: str = "") -> User:
    """Create a member account after checking the address and the password policy."""
    address = normalise_email(email)
    problems = password_problems(password, email=address)
    if problems:
        raise AccountError("password", problems[0])
    if find_user(address) is not None:
        raise AccountError("email", str(_l("An account with this email already exists.")))
    user = User(email=address, password_hash=hash_password(password), locale=locale)
    user.role = Role.MEMBER
    db.session.add(user)
    db.session.flush()
    audit.record("account.signup", actor=user, target_kind="user", target_id=user.id, ip=ip)
    return user


def authenticate(email: str, password: str, *, ip: str = "") -> User | None:
    """Return the active account these credentials open, or None (same cost either way)."""
    user = find_user(email)
    ok = verify_password(user.password_hash if user else None, password)
    # An account still awaiting confirmation answers like a wrong password: otherwise
    # signing up with an address and then logging in would tell whether it was taken.
    if user is None or not ok or not user.active or user.awaiting_confirmation:
        audit.record(
            "account.login_failed",
            actor=user,
            target_kind="user",
            target_id=user.id if user else None,
            ip=ip,
        )
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    user: User, *, lifetime: timedelta, user_agent: str = "", ip: str = ""
) -> LoginSession:
    """Open a server-side login session; its raw token goes into the signed cookie only."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    login = LoginSession(
        user=user,
        token_hash=_token_hash(token),
        created_at=now,
        last_seen_at=now,
        expires_at=now + lifetime,
        user_agent=user_agent[:200],
    )
    login.token = token
    user.current_session = login
    user.last_login_at = now
    db.session.add(login)
    db.session.flush()
    audit.record("account.login", actor=user, target_kind="user", target_id=user.id, ip=ip)
    return login


def load_session(session_id: str) -> User | None:
    """Resolve "user_id:token" to its user when the session is live and the account active."""
    user_part, _, token = session_id.partition(":")
    if not user_part.isdigit() or not token:
        return None
    login = db.session.scalar(
        select(LoginSession).where(
            LoginSession.user_id == int(user_part),
            LoginSession.token_hash == _token_hash(token),
        )
    )
    now = utcnow()
    if login is None or login.expires_at <= now or not login.user.active:
        return None
    login.token = token
    login.user.current_session = login
    # Touch at most every ten minutes so ordinary page views stay read-only.
    if now - login.last_seen_at > timedelta(minutes=10):
        login.last_seen_at = now
        db.session.commit()
    return login.user


def end_session(user: User, *, ip: str = "") -> None:
    """Log out this browser: delete its server-side session."""
    if user.current_session is not None:
        db.session.delete(user.current_session)
        user.current_session = None
    audit.record("account.logout", actor=user, target_kind="user", target_id=user.id, ip=ip)


def revoke_sessions(user: User, *, keep: LoginSession | None = None) -> int:
    """End every login session of the user except `keep`; return how many ended."""
    stmt = delete(LoginSession).where(LoginSession.user_id == user.id)
    if keep is not None:
        stmt = stmt.where(LoginSession.id != keep.id)
    result = db.session.execute(stmt)
    db.session.expire(user, ["login_sessions"])
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def set_password(user: User, new_password: str, *, keep: LoginSession | None = None) -> None:
    """Apply the policy, store the new hash and sign out every other browser."""
    problems = password_problems(new_password, email=user.email)
    if problems:
        raise AccountError("password", problems[0])
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    revoke_sessions(user, keep=keep)


def change_password(user: User, current: str, new_password: str, *, ip: str = "") -> None:
    """Change a password after checking the current one; other sessions end."""
    if not verify_password(user.password_hash, current):
        raise AccountError("current_password", str(_l("Your current password is not correct.")))
    set_password(user, new_password, keep=user.current_session)
    audit.record(
        "account.password_changed", actor=user, target_kind="user", target_id=user.id, ip=ip
    )


def _reset_serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="password-reset")


def make_reset_token(user: User, secret_key: str) -> str:
    """Sign a reset token bound to the current password hash, so it works only once."""
    fingerprint = hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]
    return _reset_serializer(secret_key).dumps({"uid": user.id, "fp": fingerprint})


def user_for_reset_token(token: str, secret_key: str, max_age: int) -> User | None:
    """Return the user a reset token belongs to, or None if it is bad, expired or used."""
    try:
        data = _reset_serializer(secret_key).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("uid"), int):
        return None
    user = db.session.get(User, data["uid"])
    if user is None or not user.active:
        return None
    fingerprint = hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]
    if not secrets.compare_digest(fingerprint, str(data.get("fp", ""))):
        return None
    return user


def reset_password(user: User, new_password: str, *, ip: str = "") -> None:
    """Set a new password from a reset link; every session ends."""
    set_password(user, new_password)
    user.awaiting_confirmation = False  # the link proved the mailbox
    audit.record("account.password_reset", actor=user, target_kind="user", target_id=user.id, ip=ip)


def make_curator(user: User, *, actor: User | None = None) -> None:
    """Grant the curator role."""
    user.role = Role.CURATOR
    audit.record("curator.granted", actor=actor, target_kind="user", target_id=user.id)
